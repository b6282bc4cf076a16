"""Why children left care: adoption, special guardianship, child arrangements orders, return home.

Each is a share (or number) of the children who ceased to be looked after in the year, counted once
on the last occasion, by the reason their period of care ended (REC of its last episode), as the
DfE's ceased tables and LAIT count them.  The special guardianship split is a share of the children
who left on a special guardianship order.
"""

from careboard.measures.catalogue.cohorts import CEASED_LAST_OCCASION
from careboard.measures.measure import Measure

_ADOPTED = ("E11", "E12")
_SGO = ("E43", "E44", "E45", "E46", "E47", "E48")  # E43/E44 before 2016-17, then split into E45-E48
_BREAKDOWNS = ("age_band", "entry_age_band", "sex", "ethnic_group", "legal_group", "uasc", "local_area")
_NOTES = (
    "Children who ceased to be looked after in the year, once each (the last occasion, short breaks aside), "
    "by the reason their period of care ended: REC of its last episode. A period closed by careboard's "
    "stitching because a later return dropped it (REC E99, reason not known) counts in the denominator only."
)


def _codes(codes: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{c}'" for c in codes) + ")"


def _share_of_ceased(codes: tuple[str, ...], among: tuple[str, ...] | None = None) -> str:
    """Children who left for a reason in ``codes``, of all who left (or of those who left for ``among``)."""
    where = f"WHERE rec IN {_codes(among)}" if among else ""
    return (f"SELECT la, year, CHILD, coalesce(rec IN {_codes(codes)}, false)::INT AS num, 1 AS den "
            f"FROM ({CEASED_LAST_OCCASION}) {where}")


def _number_ceased(codes: tuple[str, ...]) -> str:
    return f"SELECT la, year, CHILD, coalesce(rec IN {_codes(codes)}, false)::INT AS num FROM ({CEASED_LAST_OCCASION})"


def _measure(mid: str, title: str, sentence: str, definition: str, code: str, sql: str, theme: str,
             kind: str = "proportion", polarity: str | None = None, notes: str = "") -> Measure:
    return Measure(
        id=mid, title=title, sentence=sentence, definition=f"{definition} (DfE; LAIT {code}).",
        kind=kind, unit="%" if kind == "proportion" else "number", polarity=polarity, lait_code=code, sql=sql,
        breakdowns=_BREAKDOWNS, theme=theme, notes=_NOTES + (" " + notes if notes else ""),
    )


_THEME = "Adoption and permanence"

MEASURES = [
    _measure("adopted", "Children adopted", "How many children in our care were adopted during the year.",
             "Number of children who ceased to be looked after during the year because they were adopted (REC E11, "
             "E12)", "No_of LAC Adopted", _number_ceased(_ADOPTED), _THEME, kind="count"),
    _measure("adopted_share", "Children who left care by adoption",
             "Of the children who left our care during the year, the share who were adopted.",
             "Children adopted (REC E11, E12) as a percentage of all children who ceased to be looked after during "
             "the year", "%_of LAC Adopted", _share_of_ceased(_ADOPTED), _THEME, polarity="high",
             notes="High is good is LAIT's polarity."),
    _measure("adopted_unopposed", "Children adopted: application unopposed",
             "How many children were adopted with the application for an adoption order unopposed.",
             "Number of children who ceased to be looked after during the year because they were adopted, the "
             "application for an adoption order unopposed (REC E11)", "LACnum_Adopt_AppUnop",
             _number_ceased(("E11",)), _THEME, kind="count"),
    _measure("adopted_consent_dispensed", "Children adopted: consent dispensed with",
             "How many children were adopted with the court dispensing with parental consent.",
             "Number of children who ceased to be looked after during the year because they were adopted, consent "
             "dispensed with by the court (REC E12)", "LACnum_Adopt_ConsentDisp", _number_ceased(("E12",)),
             _THEME, kind="count"),
    _measure("adopted_unopposed_share", "Adoptions where the application was unopposed",
             "Of the children adopted during the year, the share whose adoption application was unopposed.",
             "Children adopted with the application unopposed (REC E11) as a percentage of all children adopted "
             "(E11, E12)", "LAC%_Adopt_AppUnop", _share_of_ceased(("E11",), among=_ADOPTED), _THEME),
    _measure("adopted_consent_dispensed_share", "Adoptions where consent was dispensed with",
             "Of the children adopted during the year, the share whose parents' consent was dispensed with by the "
             "court.",
             "Children adopted with consent dispensed with (REC E12) as a percentage of all children adopted "
             "(E11, E12)", "LAC%_Adopt_ConsentDisp", _share_of_ceased(("E12",), among=_ADOPTED), _THEME),
    _measure("returned_home_care_plan", "Children who returned home as planned",
             "Of the children who left our care during the year, the share who went home to their family as part "
             "of their care plan.",
             "Children who returned home to live with parents, relatives or others with parental responsibility "
             "as part of the care planning process (REC E4A), as a percentage of all children who ceased to be "
             "looked after during the year", "LAC_RetHome_CarePlan_%", _share_of_ceased(("E4A",)), _THEME),
    _measure("returned_home_not_care_plan", "Children who returned home outside the care plan",
             "Of the children who left our care during the year, the share who went home to their family when that "
             "was not part of their care plan.",
             "Children who returned home to live with parents, relatives or others with parental responsibility, "
             "not part of the current care planning process (REC E4B), as a percentage of all children who ceased "
             "to be looked after during the year", "LAC_RetHome_Not_CarePlan_%", _share_of_ceased(("E4B",)), _THEME),
    _measure("ceased_child_arrangements_order", "Children who left care on a child arrangements order",
             "Of the children who left our care during the year, the share who left to live with someone under a "
             "child arrangements (or residence) order.",
             "Children who ceased to be looked after because a residence order or child arrangements order was "
             "granted (REC E41), as a percentage of all children who ceased to be looked after during the year",
             "LAC_ceased_CAO%", _share_of_ceased(("E41",)), _THEME),
    _measure("ceased_sgo", "Children who left care on a special guardianship order",
             "How many children left our care during the year to live with a special guardian.",
             "Number of children who ceased to be looked after because a special guardianship order was made "
             "(REC E43-E48)", "LAC_ceased_SGO", _number_ceased(_SGO), _THEME, kind="count"),
    _measure("ceased_sgo_share", "Children who left care on a special guardianship order (%)",
             "Of the children who left our care during the year, the share who left to live with a special "
             "guardian.",
             "Children who ceased to be looked after because a special guardianship order was made (REC E43-E48), "
             "as a percentage of all children who ceased to be looked after during the year", "LAC_ceased_SGO%",
             _share_of_ceased(_SGO), _THEME),
    _measure("sgo_former_foster_carer_relative", "Special guardianship: former foster carers who are family or "
             "friends",
             "Of the children who left our care on a special guardianship order, the share whose special guardians "
             "were their foster carers and a relative or friend.",
             "Special guardianship orders made to former foster carers who are relatives or friends (REC E45), as a "
             "percentage of all children who ceased to be looked after on a special guardianship order",
             "LAC_SGO_FFC_Rel%", _share_of_ceased(("E45",), among=_SGO), _THEME),
    _measure("sgo_former_foster_carer_other", "Special guardianship: other former foster carers",
             "Of the children who left our care on a special guardianship order, the share whose special guardians "
             "were their foster carers but not relatives or friends.",
             "Special guardianship orders made to former foster carers other than relatives or friends (REC E46), "
             "as a percentage of all children who ceased to be looked after on a special guardianship order",
             "LAC_SGO_FFC_Oth%", _share_of_ceased(("E46",), among=_SGO), _THEME),
    _measure("sgo_other_carer_relative", "Special guardianship: family or friends who had not fostered the child",
             "Of the children who left our care on a special guardianship order, the share whose special guardians "
             "were relatives or friends who had not been their foster carers.",
             "Special guardianship orders made to carers other than former foster carers who are relatives or "
             "friends (REC E47), as a percentage of all children who ceased to be looked after on a special "
             "guardianship order", "LAC_SGO_Car_Rel%", _share_of_ceased(("E47",), among=_SGO), _THEME),
]
