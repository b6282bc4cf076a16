-- unit_costs.csv's optional OUT_OF_AREA_EXTRA_GBP: pounds a week more for a place of the PLACE code out of area
-- (beyond the distance limit) than a local one.  Until a council gives it, the sufficiency plan prices the
-- extra at careboard's example figures (sufficiency/cost.py) and the members' note says so.
ALTER TABLE extract_unitcosts ADD COLUMN OUT_OF_AREA_EXTRA_GBP INTEGER;
