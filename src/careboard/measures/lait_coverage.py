"""Which LAIT codes careboard computes, and why it cannot compute the others.

Every children-looked-after, care-leaver and adoption code in the vendored LAIT lookup
(``reference/data/lait_measures.csv``, topics 'Children Looked After' and 'Adoption') is either the
``lait_code`` of a measure in the catalogue, or listed here with the reason it cannot be computed
from the returns careboard reads.  docs/measures.md lists them all; a test keeps the list complete.
"""

from __future__ import annotations

import csv
from importlib import resources

from careboard.measures.measure import all_measures

TOPICS = ("Children Looked After", "Adoption")

_NPD = (
    "needs the National Pupil Database (school census, attainment, absence or exclusions) matched to the 903, "
    "which the DfE does and an authority's returns do not contain"
)
NOT_COMPUTED: dict[str, str] = {
    "LAC_EngMaths9-4": _NPD,
    "LAC_Fixed_ Ex": _NPD,
    "LAC_Good_Develop": _NPD,
    "LAC_KS2_AVG_Prog8_M": _NPD,
    "LAC_KS2_AVG_Prog8_R": _NPD,
    "LAC_KS2_AVG_Prog8_W": _NPD,
    "LAC_KS2_ExpStd_GPS": _NPD,
    "LAC_KS2_ExpStd_M": _NPD,
    "LAC_KS2_ExpStd_R": _NPD,
    "LAC_KS2_ExpStd_RWM": _NPD,
    "LAC_KS2_ExpStd_W": _NPD,
    "LAC_KS4_AVG_Attain8": _NPD,
    "LAC_KS4_AVG_Prog8": _NPD,
    "LAC_Over_Abs": _NPD,
    "LAC_Pers_Abs": _NPD,
    "LAC_SEN": _NPD,
    "LAC_SEN_Statement": _NPD,
    "LAC_Unauth": _NPD,
    "Stability_School": "school moves come from the school census matched to the 903 (the 903 records no school)",
    "Number_Foster_Places(New)": "approved fostering places come from Ofsted's fostering data, not the 903",
    "Number_Foster_Places_Filled(New)": "filled fostering places come from Ofsted's fostering data, not the 903",
}


def lait_codes() -> list[dict[str, str]]:
    """The LAIT lookup's rows for the children-looked-after topics, in the lookup's order."""
    path = resources.files("careboard.reference") / "data" / "lait_measures.csv"
    with path.open(encoding="utf-8") as f:
        return [r for r in csv.DictReader(f) if r["topic"] in TOPICS]


def coverage() -> list[tuple[str, str, str, str | None, str | None]]:
    """(code, topic, LAIT title, careboard measure id or None, reason or None) for every code."""
    by_code = {m.lait_code: m.id for m in all_measures().values() if m.lait_code}
    return [(r["measure_short"], r["topic"], r["measure"], by_code.get(r["measure_short"]),
             NOT_COMPUTED.get(r["measure_short"])) for r in lait_codes()]
