"""Synthetic authorities: seeded, realistic SSDA903 and CIN census returns for the demo, tests and benchmarks."""
