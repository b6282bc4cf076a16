"""Scorecard measures, one module per theme; each holds MEASURES."""
