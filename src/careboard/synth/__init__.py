"""Synthetic authorities: seeded, realistic SSDA903 and CIN census returns for the demo, tests and benchmarks.

``generate(out, la, size, years, seed)`` simulates the lives of an authority's looked-after children
once over the whole span of years and slices each collection year's return from that one history.
See docs/synth.md.

``generate`` is imported on first use: the command line registers ``careboard synth`` on every
start, and the simulation's libraries (numpy, the samplers) would otherwise load for every
command, ``careboard validate`` included.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .generate import SynthResult, generate

__all__ = ["SynthResult", "generate"]


def __getattr__(name: str) -> object:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = importlib.import_module(".generate", __name__)
    # importing the submodule binds its name here to the module: bind the public names over it
    globals().update({public: getattr(module, public) for public in __all__})
    return globals()[name]
