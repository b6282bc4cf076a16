"""Cohort SQL the children-in-need and child-protection measures share (not measures themselves).

Each census year is measured from that year's census (the current CIN load of the authority and
year), as the DfE does: a referral made in 2024-25 is counted from the 2024-25 census, with what
that census says happened to it by 31 March.  Every query returns the breakdown attributes the CIN
measures publish, named as ``measure.BREAKDOWNS`` names them, so no join to the SSDA903 model is
needed for children who were never looked after.
"""

from careboard.measures.inputs import shared

# The current CIN census of each authority and year.
CENSUS = "SELECT load_id, la, year FROM current_loads WHERE kind = 'cin'"

# A child's home district from the latest loaded cin_addresses.csv extract (the census holds no
# address), one row per authority and child.
_ADDRESSES = """
    SELECT a.la, a.CHILD, arg_max(s.district, a.year) AS district
    FROM current_extract_cinaddress a
    LEFT JOIN ref_sector s ON s.sector = postcode_sector(a.POSTCODE)
    GROUP BY a.la, a.CHILD
"""

# One row per child per census: date of birth (or expected), sex, ethnic group, disability and local
# area.  Local area: the cin_addresses.csv extract, else the SSDA903 home of a child looked after
# that year, else Unknown.  Shared by every CIN and child-protection measure: worked out once
# (measures/inputs.py), and named by them as CHILDREN.
_CHILDREN = f"""
    SELECT c.la, c.year, c.LAchildID, c.PersonBirthDate AS dob, c.ExpectedPersonBirthDate AS expected_dob,
           CASE c.Sex WHEN '1' THEN 'M' WHEN 'M' THEN 'M' WHEN '2' THEN 'F' WHEN 'F' THEN 'F' END AS sex,
           ethnic_group(c.Ethnicity) AS ethnic_group,
           CASE WHEN d.disabled THEN 'Disabled' WHEN d.recorded THEN 'Not disabled' END AS disability,
           coalesce(a.district, cy.local_area) AS local_area
    FROM current_cin_child c
    LEFT JOIN (SELECT load_id, LAchildID, bool_or(Disability <> 'NONE') AS disabled, true AS recorded
               FROM current_cin_disability GROUP BY load_id, LAchildID) d
      ON d.load_id = c.load_id AND d.LAchildID = c.LAchildID
    LEFT JOIN ({_ADDRESSES}) a ON a.la = c.la AND a.CHILD = c.LAchildID
    LEFT JOIN model_child_year cy ON cy.la = c.la AND cy.year = c.year AND cy.CHILD = c.LAchildID
    QUALIFY row_number() OVER (PARTITION BY c.la, c.year, c.LAchildID ORDER BY c.source_row) = 1
"""
CHILDREN = shared("cin_children", _CHILDREN)


def age_band_on(day: str) -> str:
    """The DfE age band on ``day`` (SQL), 'Unborn' for a child with only an expected date of birth."""
    return (f"CASE WHEN ch.dob IS NOT NULL THEN age_band(age_at(ch.dob, {day})) "
            "WHEN ch.expected_dob IS NOT NULL THEN 'Unborn' ELSE 'Unknown' END")


# The breakdown columns every CIN measure selects from ``ch`` (a row of CHILDREN).
ATTRIBUTES = "ch.sex, ch.ethnic_group, ch.disability, ch.local_area"

# Each census's referrals in its year, with the census's view of what followed.
REFERRALS = """
    SELECT e.*, e.year AS census_year
    FROM current_cin_cinepisode e
    WHERE e.CINreferralDate BETWEEN make_date(e.year - 1, 4, 1) AND make_date(e.year, 3, 31)
"""

# Working days after a up to and including b (England: weekends and bank holidays skipped).
WORKING_DAYS = """
    (SELECT wb.working_day_no FROM ref_working_day wb WHERE wb.day = {b})
  - (SELECT wa.working_day_no FROM ref_working_day wa WHERE wa.day = {a})
"""

BREAKDOWNS = ("age_band", "sex", "ethnic_group", "disability", "local_area")
