"""Synthetic authorities: seeded, realistic SSDA903 and CIN census returns for the demo, tests and benchmarks.

``generate(out, la, size, years, seed)`` simulates the lives of an authority's looked-after children
once over the whole span of years and slices each collection year's return from that one history.
See docs/synth.md.
"""

from .generate import SynthResult, generate

__all__ = ["SynthResult", "generate"]
