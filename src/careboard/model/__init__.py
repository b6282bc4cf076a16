"""Care histories: stitched episodes, periods of care, placements, children (SQL over the store)."""
