"""What each measure's figures count, stated once, so that the same count is one count everywhere.

A reader who knows the DfE's definitions knows that the denominator of "three or more placements"
in Trafford is the number of children looked after on 31 March whose home is in Trafford, which
the children-looked-after breakdown shows too; that the eight placement-mix shares of one local
area add up to that area's children; that "return interviews accepted" is out of those offered.
Disclosure control must know it as well.  Each measure is declared here as a population and
filters (see :class:`careboard.publish.cells.Key`): the numerator, and for a share the denominator.

Populations:

``looked_after``
    one row per child looked after at any time in the year (``model_child_year``); children looked
    after on 31 March are ``at_31_march=yes``; those looked after for 12 months (the DfE's health
    cohort) add ``twelve_months=yes``.
``missing_episodes``, ``return_interviews``, ``reviews``, ``referrals``
    events (a child can have several).
``care_leavers_17_18``, ``care_leavers_19_21``
    the OC3 cohorts, with their own age, sex and ethnicity (from OC3 and the latest header).

A filter valued ``"yes"`` is a flag: the members meeting a condition only that measure uses; its
``"no"`` part is never published.  A breakdown whose column means something else for one measure
(``starts`` has its own age at entry) is renamed for that measure, so it is never equated with the
shared attribute.  A measure not declared here counts a population of its own; disclosure control
still applies the 1-5 rule and protects it within its own tables, but cannot see its links to
other measures, so ``tests/publish/test_cohorts.py`` fails for any catalogue measure left out.

Declarations are checked against the data every time a release is built: a count that two
declarations give different values, or a relation the values break, means a declaration is
wrong for these returns, and the measures involved fall back to populations of their own (with
a warning) rather than publish figures from a false model.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from careboard.publish.cells import Attribute, Crossing, Key

YES, NO = "yes", "no"
LAC = "looked_after"
AT_31 = {"at_31_march": YES}
HEALTH = {**AT_31, "twelve_months": YES}


@dataclass(frozen=True)
class Counts:
    """A measure's counts: ``population`` and ``filters`` (the count, or a share's denominator), and
    ``num`` (a share's numerator: further filters on top of the denominator's)."""

    population: str
    filters: dict = field(default_factory=dict)
    num: dict | None = None
    renamed: dict = field(default_factory=dict)  # breakdown -> this measure's own attribute name

    def key(self, part: str, breakdown: str = "all", value: str = "All") -> Key | None:
        """The count behind ``part`` ('num' or 'den') of the cell (breakdown, value); None if empty by definition."""
        filters: dict = dict(self.filters)
        if part == "num" and self.num is not None:
            filters.update(self.num)
        if breakdown != "all":
            attr = self.renamed.get(breakdown, breakdown)
            current = filters.get(attr)
            if current is None:
                filters[attr] = value
            elif isinstance(current, tuple):
                if value not in current:
                    return None
                filters[attr] = value
            elif current != value:
                return None
        return Key.of(self.population, **filters)


def count(population: str, renamed: dict | None = None, **filters: str | tuple[str, ...]) -> Counts:
    return Counts(population, dict(filters), None, renamed or {})


def share(population: str, den: dict, num: dict, renamed: dict | None = None) -> Counts:
    return Counts(population, dict(den), dict(num), renamed or {})


_PLACEMENT_MIX = {
    "placement_mix_kinship": "Kinship fostering",
    "placement_mix_inhouse_fostering": "In-house fostering",
    "placement_mix_agency_fostering": "Agency fostering",
    "placement_mix_childrens_homes": "Children's homes",
    "placement_mix_supported": "Supported accommodation",
    "placement_mix_with_parents": "With parents",
    "placement_mix_adoption": "Placed for adoption",
    "placement_mix_other": "Other",
}


# The DfE's placement categories (LAIT), a second split of the children looked after on 31 March by the
# same placement code (PLACE); those careboard has no measure for (placed for adoption, with parents,
# independent and semi-independent living, residential schools) and any other code are the rest.
DFE_PLACEMENT = "dfe_placement"
_DFE_CATEGORY = {
    "placement_foster": "Foster placements",  # U1-U6
    "placement_secure_and_childrens_homes": "Secure homes and children's homes",  # K1, K2
    "placement_other_residential": "Other residential settings",  # R1, R2, R3, R5, P3
    "placement_other_placements": "Other placements",  # Z1, Z11-Z14, T0-T4
}
DFE_REST = "any other category"

# Which placement type's children can be in which DfE category (placement_category() in store/macros.sql
# against the codes of each category in measures/catalogue/b_placements.py): fostering of each kind is U1-U6;
# careboard's children's homes are K1, K2 and R1; its "Other" holds R2, R3, R5, P3, S1, Z1, Z11-Z14 and T0-T4.
PLACEMENTS_CROSSED = Crossing(LAC, "placement_type", DFE_PLACEMENT, frozenset({
    ("Kinship fostering", "Foster placements"),
    ("In-house fostering", "Foster placements"),
    ("Agency fostering", "Foster placements"),
    ("Children's homes", "Secure homes and children's homes"),
    ("Children's homes", "Other residential settings"),
    ("Other", "Other residential settings"),
    ("Other", "Other placements"),
    ("Other", DFE_REST),
    ("Supported accommodation", DFE_REST),
    ("With parents", DFE_REST),
    ("Placed for adoption", DFE_REST),
    ("Unknown", DFE_REST),
}))
CROSSINGS = (PLACEMENTS_CROSSED,)

# Why children left care: the reason their period of care ended (REC of its last episode), a split of the
# children who ceased to be looked after (once each, the last occasion).  Codes no measure names are "other".
END_REASON = "end_reason"
ADOPTED = ("E11", "E12")
SGO = ("E43", "E44", "E45", "E46", "E47", "E48")  # E43/E44 before 2016-17, then E45-E48
CEASED = {"ceased": YES}


# Care leavers' activity: higher education (ACTIV F1, P1) is part of education, employment or training.
HIGHER_EDUCATION = "higher education"
EET = (HIGHER_EDUCATION, "other education, employment or training")
NEET = "not in education, employment or training"


def _leavers() -> dict[str, Counts]:
    out = {}
    for group, stay_ages in (("17_18", "18"), ("19_21", ("19", "20"))):
        pop = f"care_leavers_{group}"
        out |= {
            f"care_leavers_higher_education_{group}": share(pop, {}, {"activity": HIGHER_EDUCATION}),
            f"care_leavers_in_touch_{group}": share(pop, {}, {"contact": "in touch"}),
            f"care_leavers_not_in_touch_{group}": share(pop, {}, {"contact": "not in touch"}),
            f"care_leavers_eet_{group}": share(pop, {}, {"activity": EET}),
            f"care_leavers_neet_{group}": share(pop, {}, {"activity": NEET}),
            f"care_leavers_suitable_accommodation_{group}": share(pop, {"suitability_knowable": YES},
                                                                  {"suitable_accommodation": YES}),
        }
        staying = "staying_put_18" if group == "17_18" else "staying_put_19_20"
        out[staying] = share(pop, {"age_band": stay_ages, "left_foster_care_at_18": YES}, {"staying_put": YES})
    # The numbers LAIT publishes for 19-21: the cohort, and the numerators of the percentages.
    pop = "care_leavers_19_21"
    out |= {
        "care_leavers_19_21": count(pop),
        "care_leavers_eet_19_21_number": count(pop, activity=EET),
        "care_leavers_higher_education_19_21_number": count(pop, activity=HIGHER_EDUCATION),
        "care_leavers_suitable_accommodation_19_21_number": count(pop, suitability_knowable=YES,
                                                                  suitable_accommodation=YES),
    }
    return out


COUNTS: dict[str, Counts] = {
    # How many children
    "cla_31_march": count(LAC, **AT_31),
    "cla_rate": count(LAC, **AT_31),
    "starts": count(LAC, {"entry_age_band": "age_at_start"}, started=YES),
    "starts_rate": count(LAC, started=YES),
    "ceased": count(LAC, ceased=YES),
    "ceased_rate": count(LAC, ceased=YES),
    "uasc_share": share(LAC, AT_31, {"uasc": "UASC"}),
    "uasc_31_march": count(LAC, **AT_31, uasc="UASC"),
    # starters by their own age at entry, as for starts; UASC when they started (not on their last day)
    "uasc_starts_share": share(LAC, {"started": YES}, {"uasc_at_start": YES}, {"entry_age_band": "age_at_start"}),
    # Why children left care
    "adopted": count(LAC, **CEASED, end_reason=ADOPTED),
    "adopted_unopposed": count(LAC, **CEASED, end_reason="E11"),
    "adopted_consent_dispensed": count(LAC, **CEASED, end_reason="E12"),
    "adopted_share": share(LAC, CEASED, {END_REASON: ADOPTED}),
    "adopted_unopposed_share": share(LAC, {**CEASED, END_REASON: ADOPTED}, {END_REASON: "E11"}),
    "adopted_consent_dispensed_share": share(LAC, {**CEASED, END_REASON: ADOPTED}, {END_REASON: "E12"}),
    "returned_home_care_plan": share(LAC, CEASED, {END_REASON: "E4A"}),
    "returned_home_not_care_plan": share(LAC, CEASED, {END_REASON: "E4B"}),
    "ceased_child_arrangements_order": share(LAC, CEASED, {END_REASON: "E41"}),
    "ceased_sgo": count(LAC, **CEASED, end_reason=SGO),
    "ceased_sgo_share": share(LAC, CEASED, {END_REASON: SGO}),
    "sgo_former_foster_carer_relative": share(LAC, {**CEASED, END_REASON: SGO}, {END_REASON: "E45"}),
    "sgo_former_foster_carer_other": share(LAC, {**CEASED, END_REASON: SGO}, {END_REASON: "E46"}),
    "sgo_other_carer_relative": share(LAC, {**CEASED, END_REASON: SGO}, {END_REASON: "E47"}),
    # Stability and where children live
    "placements_3_plus": share(LAC, AT_31, {"three_placements": YES}),
    "placements_3_plus_number": count(LAC, **AT_31, three_placements=YES),
    "long_term_stability": share(LAC, {**AT_31, "long_term_cohort": YES}, {"same_carer_2_years": YES}),
    "long_term_stability_number": count(LAC, **AT_31, long_term_cohort=YES, same_carer_2_years=YES),
    "placed_over_20_miles_outside": share(LAC, AT_31, {"over_20_miles_outside": YES}),
    "placed_outside": share(LAC, AT_31, {"placed_outside": YES}),
    "residential_over_2_years": share(LAC, {**AT_31, "placement_type": "Children's homes"},
                                      {"same_home_2_years": YES}),
    **{mid: share(LAC, AT_31, {"placement_type": kind}) for mid, kind in _PLACEMENT_MIX.items()},
    **{mid: share(LAC, AT_31, {DFE_PLACEMENT: kind}) for mid, kind in _DFE_CATEGORY.items()},
    # Health (children looked after for 12 months on 31 March)
    "health_assessment": share(LAC, HEALTH, {"health_assessment": YES}),
    "dental_check": share(LAC, HEALTH, {"dental_check": YES}),
    "immunisations": share(LAC, HEALTH, {"immunisations": YES}),
    "substance_misuse": share(LAC, HEALTH, {"substance_misuse": YES}),
    "development_checks": share(LAC, {**HEALTH, "age_band": ("1 to 4", "Under 1")}, {"development_check": YES}),
    "convictions": share(LAC, {**HEALTH, "age_band": ("10 to 15", "16 and over")}, {"convicted": YES}),
    "sdq_received": share(LAC, {**HEALTH, "sdq_age": YES}, {"sdq_received": YES}),
    "sdq_concern": share(LAC, {**HEALTH, "sdq_age": YES, "sdq_received": YES}, {"sdq_concern": YES}),
    # Missing and away (children looked after during the year; incidents are events)
    "missing_children": share(LAC, {}, {"missing": YES}),
    "away_children": share(LAC, {}, {"away": YES}),
    "missing_more_than_once": count(LAC, missing=YES, missing_twice=YES),
    "missing_incidents": count("missing_episodes"),
    "return_interviews_offered": share("return_interviews", {}, {"offered": YES}),
    "return_interviews_accepted": share("return_interviews", {"offered": YES}, {"accepted": YES}),
    # Reviews and social workers
    "reviews_on_time": share(LAC, {**AT_31, "review_cohort": YES}, {"reviews_on_time": YES}),
    "review_participation": share("reviews", {}, {"participated": YES}),
    "social_workers_3_plus": share(LAC, {**AT_31, "social_worker_recorded": YES}, {"three_social_workers": YES}),
    # Children in need
    "rereferrals_12_months": share("referrals", {}, {"rereferral": YES}),
    **_leavers(),
}

# Averages that are one published count divided by another: showing the average reveals the pair.
RATIOS: dict[str, tuple[str, str]] = {
    "missing_incidents_per_child": ("missing_incidents", "missing_children"),  # incidents / children missing
}

# Events are at least as many as the children they happened to, in every cell: a child missing twice or more
# had at least two incidents, one missing once had one.
AT_LEAST: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("missing_incidents", ("missing_children", "missing_more_than_once")),
)

# Medians and other averages: their figure is not a count; the 1-5 rule applies to their group size.
AVERAGES_WITHOUT_COUNTS = frozenset({
    "sdq_average", "missing_duration_median", "days_in_care_median", "period_length_ended_median",
    "adoption_entry_to_placed_days", "adoption_order_to_match_days",
})

# Attributes whose possible values are not all seen in the figures (flags are added automatically).
ATTRIBUTES: dict[str, dict[str, Attribute]] = {
    LAC: {
        DFE_PLACEMENT: Attribute((*_DFE_CATEGORY.values(), DFE_REST)),
        END_REASON: Attribute((*ADOPTED, "E4A", "E4B", "E41", *SGO, "other")),
    },
    **{
        f"care_leavers_{g}": {
            "contact": Attribute(("in touch", "not in touch", "other")),
            "activity": Attribute((*EET, NEET, "other")),
        }
        for g in ("17_18", "19_21")
    },
}


def declared(measure_id: str) -> Counts | None:
    return COUNTS.get(measure_id)


def own_population(measure_id: str, kind: str) -> Counts:
    """A measure's counts when nothing links them to other measures: a population of its own."""
    if kind == "proportion":
        return share(f"measure:{measure_id}", {}, {"counted": YES})
    return count(f"measure:{measure_id}")


def attributes(keys) -> dict[str, dict[str, Attribute]]:
    """:data:`ATTRIBUTES` plus every flag (a filter valued 'yes') seen in ``keys``, with its 'no'."""
    out: dict[str, dict[str, Attribute]] = {p: dict(a) for p, a in ATTRIBUTES.items()}
    for k in keys:
        for a, v in k.filters:
            if v == YES:
                out.setdefault(k.population, {})[a] = Attribute((YES, NO))
    return out
