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
``missing_episodes``, ``return_interviews``, ``reviews``, ``iro_reviews``
    events (a child can have several); ``iro_reviews`` are the reviews the IRO extract records, which
    need not be the 903's reviews one for one, so they are a population of their own.
``referrals``, ``assessments``, ``section47s``, ``conferences``, ``cp_plans_started``, ``cp_plans_ceased``
    the CIN census's events of the year (a child can have several): referrals (with what followed
    them, ``referral_outcome``), assessments authorised, section 47 enquiries started, initial
    conferences held, child protection plans started and ended; each with the child's age on the day.
``children_in_need``, ``cp_children``
    children in need on 31 March, and children on a child protection plan on 31 March (each once).
    The DfE counts the second among the first, but a census can break that (a plan left open on a
    closed episode is an error in the return), so they are not declared as one population.
``missing_began``, ``missing_returns``
    the oversight measures' missing incidents (careboard.oversight's missing.sql): each incident once
    across returns, counted in the year it began, and those that ended in the year with the local
    extract's detail (for return home interviews within 72 hours).  The scorecard's own missing
    measures count the incidents of each year's return open in the year, a different set, so these
    are populations of their own.
``csww_workers``
    social workers (employees) in post at the CSWW census date, by headcount.
``csww:<quantity>``
    the census's full-time-equivalent figures (social workers' FTE, agency FTE, vacancies, leavers,
    days lost, cases, ...).  They are not counts of people, and sums of them do not add up once each
    is rounded to a whole number, so each quantity is a population of its own, related to no other:
    the same quantity is the same count in every measure that shows it (:class:`Quotient` for a
    share of one quantity over another), and the 1-5 rule still protects a handful of staff.
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


@dataclass(frozen=True)
class Quotient:
    """A share of one quantity over another that is not a part of it by definition (agency FTE over
    vacancies): numerator and denominator are each their own count (``Counts.key('num')``), with no
    relation between them.  Used for the workforce census's FTE figures, which are not counts of people."""

    numerator: Counts
    denominator: Counts
    renamed: dict = field(default_factory=dict)

    @property
    def population(self) -> str:
        return self.denominator.population

    def key(self, part: str, breakdown: str = "all", value: str = "All") -> Key | None:
        return (self.numerator if part == "num" else self.denominator).key("num", breakdown, value)


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


# What followed a referral (CIN census): no further action (ReferralNFA), or assessed and found not in
# need (closed RC8/RC9 after an assessment), or anything else.  The two published outcomes are different
# referrals, both among all referrals.
REFERRAL_OUTCOME = "referral_outcome"
NFA, NOT_IN_NEED = "no further action", "assessed, not in need"
REFERRALS = "referrals"
CP_CHILDREN = "cp_children"  # children on a child protection plan on 31 March


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


def _fte(quantity: str) -> Counts:
    """One of the census's FTE quantities (oversight/workforce.sql, workforce_year), a count of its own."""
    return count(f"csww:{quantity}")


_WORKFORCE: dict[str, Counts | Quotient] = {
    "workforce_fte": _fte("social_worker_fte"),
    "workforce_agency_rate": Quotient(_fte("agency_fte"), _fte("agency_and_employed_fte")),
    "workforce_vacancy_rate": Quotient(_fte("vacancies"), _fte("vacancies_and_employed_fte")),
    "workforce_agency_covering_vacancies": Quotient(_fte("agency_covering"), _fte("agency_fte")),
    "workforce_vacancies_covered": Quotient(_fte("agency_covering"), _fte("vacancies")),
    "workforce_turnover": Quotient(_fte("leavers_fte"), _fte("social_worker_fte")),
    "workforce_starters": _fte("starters_fte"),
    "workforce_leavers": _fte("leavers_fte"),
    "workforce_absence_rate": Quotient(_fte("days_lost"), _fte("working_days_available")),
    "workforce_caseload": _fte("cases"),  # a ratio: its cases
    "workforce_cases_held": _fte("cases"),
    "workforce_caseholders": Quotient(_fte("caseholder_fte"), _fte("social_worker_fte")),
}

COUNTS: dict[str, Counts | Quotient] = {
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
    # Children in need (CIN census): referrals and what followed them, assessments, section 47 enquiries
    "referrals": count(REFERRALS),
    "referrals_rate": count(REFERRALS),
    "rereferrals_12_months": share(REFERRALS, {}, {"rereferral": YES}),
    "referrals_nfa": share(REFERRALS, {}, {REFERRAL_OUTCOME: NFA}),
    "referrals_not_in_need": share(REFERRALS, {}, {REFERRAL_OUTCOME: NOT_IN_NEED}),
    "assessments_45_days": share("assessments", {}, {"within_45_days": YES}),
    "cin_31_march": count("children_in_need"),
    "cin_rate": count("children_in_need"),
    "section47": count("section47s"),
    "section47_rate": count("section47s"),
    # Child protection: conferences, plans started (initial category), ended, and open on 31 March (latest)
    "icpc_15_days": share("conferences", {}, {"within_15_days": YES}),
    "cpp_started": count("cp_plans_started"),
    "cpp_started_rate": count("cp_plans_started"),
    "cpp_second_subsequent": share("cp_plans_started", {}, {"previous_plan": YES}),
    "cpp_2_years_ceased": share("cp_plans_ceased", {}, {"two_years": YES}),
    "cpp_31_march": count(CP_CHILDREN),
    "cpp_rate": count(CP_CHILDREN),
    "cpp_2_years_active": share(CP_CHILDREN, {}, {"two_years": YES}),
    # the children on a plan for three months or more on 31 March
    "cpp_reviewed_on_time": share(CP_CHILDREN, {"three_months": YES}, {"reviewed_on_time": YES}),
    # Oversight: the IRO service (children looked after on 31 March with an IRO allocation on record in
    # their current period of care; those allocated an IRO on 31 March are among them)
    "iro_changed_in_year": share(LAC, {**AT_31, "iro_recorded": YES}, {"iro_changed": YES}),
    "iro_three_or_more": share(LAC, {**AT_31, "iro_recorded": YES}, {"three_iros": YES}),
    "iro_caseload_per_fte": count(LAC, **AT_31, iro_recorded=YES, iro_allocated=YES),  # a ratio: its children
    "iro_unallocated": count(LAC, **AT_31, iro_unallocated=YES),
    # ... and the reviews IROs chaired in the year (events, from the extract: not the 903's "reviews")
    "iro_reviews_on_time": share("iro_reviews", {}, {"on_time": YES}),
    "iro_reviews_far": share("iro_reviews", {}, {"far": YES}),
    # Oversight: missing incidents that began in the year (missing.sql), and their children
    "missing_repeat_share": share(LAC, {"missing_began": YES}, {"missing_3_began": YES}),
    "missing_three_or_more": count(LAC, missing_began=YES, missing_3_began=YES),
    "missing_ten_or_more": count(LAC, missing_began=YES, missing_3_began=YES, missing_10_began=YES),
    "missing_exploitation_concern": count(LAC, missing_began=YES, exploitation_concern=YES),
    "missing_over_24_hours": share("missing_began", {"ended": YES}, {"day_or_more": YES}),
    "return_interviews_within_72h": share("missing_returns", {}, {"offered_within_72h": YES}),
    # Oversight: social workers.  From the 903 (children looked after on 31 March with a social worker
    # episode in the year, as for social_workers_3_plus) ...
    "social_worker_changed": share(LAC, {**AT_31, "social_worker_recorded": YES}, {"two_social_workers": YES}),
    "social_worker_looked_after_caseload": count(LAC, **AT_31, social_worker_recorded=YES,
                                                 social_worker_at_31_march=YES),  # a ratio: its children
    # ... and from the CSWW census (staff, not children: see the module docstring)
    "workforce_under_2_years": share("csww_workers", {"start_known": YES}, {"under_2_years": YES}),
    "workforce_5_years_plus": share("csww_workers", {"start_known": YES}, {"five_years_plus": YES}),
    **_WORKFORCE,
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
    REFERRALS: {REFERRAL_OUTCOME: Attribute((NFA, NOT_IN_NEED, "other"))},
    **{
        f"care_leavers_{g}": {
            "contact": Attribute(("in touch", "not in touch", "other")),
            "activity": Attribute((*EET, NEET, "other")),
        }
        for g in ("17_18", "19_21")
    },
}


def declared(measure_id: str) -> Counts | Quotient | None:
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
