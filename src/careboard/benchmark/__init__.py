"""Benchmarks: published DfE/LAIT figures for England, region, statistical neighbours and the best."""
