"""The scorecard measure catalogue and the one-pass computation of every measure."""
