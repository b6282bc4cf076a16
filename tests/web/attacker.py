"""A hostile reader of the member pages: collect every figure, treat each hidden one as an unknown, solve.

Written independently of careboard.publish: it knows only what a determined councillor could know
- the pages as served, and the DfE definitions behind each measure (which counts are the same
children, which add up to which) - and nothing of how the suppression was chosen.

1. :func:`read_site` parses the crawled pages into observations: every count, every percentage
   with its "n of d" where shown, every breakdown cell, every year of every trend table, the
   placement-sufficiency "now" column and the data-quality tables (of each kind of return: the SSDA903's
   and the CIN census's findings are different records), each keyed by what it counts.
2. :class:`Reader` turns them into unknowns and relations: breakdowns add up to their headline;
   the shares of children looked after on 31 March have that count as denominator; the eight
   placement-mix numerators of a cell add up to the children looked after in it; a numerator is at
   most its denominator; the health measures share the 12-month cohort; validation rules add up to
   the findings; and each percentage, rounded as shown, ties its numerator to its denominator.
3. :meth:`Reader.attack` bounds every unknown: enumeration of the numerator/denominator pairs that
   round to a shown percentage, then integer programming (HiGHS via scipy) over all the relations
   of each connected set of unknowns at once.  Every step is a valid deduction, so a range it
   finds holds the true value; a count is "not pinned" only when two whole-number solutions of
   every relation differ in it.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from lxml import html as lxml_html
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array

from careboard.measures.measure import BREAKDOWNS, all_measures

YEAR_LABEL = re.compile(r"^(\d{4})-(\d{2})$")
COUNTED = re.compile(r"\(([\d,]+) of ([\d,]+) [a-z ]+\)")  # "(26 of 296 children)", "(12 of 40 reviews)"
MARKERS = {"c", "x", "z", "k"}
CAP = 1_000_000

# What the DfE definitions say (each measure's page states its definition).
CLA = "cla_31_march"
# The DfE's placement categories on 31 March (LAIT), by placement code: foster U1-U6; secure and children's
# homes K1, K2; other residential R1, R2, R3, R5, P3; other placements Z1, Z11-Z14 and (careboard) T0-T4.
DFE_CATEGORIES = ("placement_foster", "placement_secure_and_childrens_homes", "placement_other_residential",
                  "placement_other_placements")
CLA_SHARES = ("uasc_share", "placements_3_plus", "placed_over_20_miles_outside", "placed_outside",
              "placement_mix_kinship", "placement_mix_inhouse_fostering", "placement_mix_agency_fostering",
              "placement_mix_childrens_homes", "placement_mix_supported", "placement_mix_with_parents",
              "placement_mix_adoption", "placement_mix_other", *DFE_CATEGORIES)
MIX = {"placement_mix_kinship": "Kinship fostering", "placement_mix_inhouse_fostering": "In-house fostering",
       "placement_mix_agency_fostering": "Agency fostering", "placement_mix_childrens_homes": "Children's homes",
       "placement_mix_supported": "Supported accommodation", "placement_mix_with_parents": "With parents",
       "placement_mix_adoption": "Placed for adoption", "placement_mix_other": "Other"}
UASC = "Unaccompanied asylum-seeking children"  # the UASC row of a breakdown, as the pages name it
MIX_BY_NAME = {name: mid for mid, name in MIX.items()}
HEALTH = ("dental_check", "health_assessment", "immunisations", "substance_misuse")  # same 12-month cohort
# Numbers that are a percentage's numerator (LAIT publishes both): count -> (share, its numerator's part).
NUMBERS = {"uasc_31_march": "uasc_share", "placements_3_plus_number": "placements_3_plus",
           "long_term_stability_number": "long_term_stability", "adopted": "adopted_share",
           "ceased_sgo": "ceased_sgo_share", "care_leavers_eet_19_21_number": "care_leavers_eet_19_21",
           "care_leavers_higher_education_19_21_number": "care_leavers_higher_education_19_21",
           "care_leavers_suitable_accommodation_19_21_number": "care_leavers_suitable_accommodation_19_21"}
# Why children left care (REC of the last episode): shares of the children who ceased to be looked after.
CEASED_SHARES = ("adopted_share", "returned_home_care_plan", "returned_home_not_care_plan",
                 "ceased_child_arrangements_order", "ceased_sgo_share")  # E11-E12, E4A, E4B, E41, E43-E48
ADOPTION_SPLIT = {"adopted_unopposed_share": "adopted_unopposed",  # E11 of the adopted
                  "adopted_consent_dispensed_share": "adopted_consent_dispensed"}  # E12 of the adopted
SGO_SHARES = ("sgo_former_foster_carer_relative", "sgo_former_foster_carer_other", "sgo_other_carer_relative")
# Children in need (CIN census): the referral shares are out of the year's referrals; no further action and
# assessed-not-in-need are different referrals.  Plans: the share lasting two years and the share reviewed on time
# are of the children on a plan on 31 March (reviews: those on a plan three months or more); second or subsequent
# plans are out of the plans started.
REFERRAL_SHARES = ("rereferrals_12_months", "referrals_nfa", "referrals_not_in_need")
SUBSETS_OF_CLA = ("long_term_stability", "reviews_on_time", "social_workers_3_plus", "dental_check",
                  "iro_changed_in_year")
# The IRO service: both shares are of the children looked after on 31 March with an IRO on record; those
# without an allocated IRO on 31 March are children looked after that day too.
IRO_SHARES = ("iro_changed_in_year", "iro_three_or_more")
LEAVER_GROUPS = ("17_18", "19_21")


def year_of(label: str) -> int | None:
    m = YEAR_LABEL.match(label.strip())
    return int(m.group(1)) + 1 if m else None


def value_of(text: str) -> float | str | None:
    """A displayed figure: a number, a marker, or None (blank)."""
    t = text.strip().split(" (")[0].strip()
    if t in MARKERS:
        return t
    t = t.replace(",", "").rstrip("%")
    try:
        return float(t)
    except ValueError:
        return None


@dataclass
class Observation:
    """One figure as a page shows it: (measure, year, breakdown, category) and its text."""

    measure: str
    year: int
    breakdown: str
    category: str
    value: float | str | None
    counted: tuple[int, int] | None = None
    page: str = ""


@dataclass
class Site:
    """Everything read from the member pages."""

    cells: list[Observation] = field(default_factory=list)
    # year -> kind of return -> rule (None: the year's total) -> (findings, children, page)
    quality: dict[int, dict[str, dict[str | None, tuple]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(dict)))
    pages: int = 0
    conflicts: list[tuple] = field(default_factory=list)

    def by_year(self) -> dict[int, list[Observation]]:
        out: dict[int, list[Observation]] = defaultdict(list)
        for o in self.cells:
            out[o.year].append(o)
        return out


def _cell_text(el) -> str:
    return " ".join(el.text_content().split())


def read_site(pages: dict[str, str], area_names: dict[str, str]) -> Site:
    """Observations from every crawled member page (path -> HTML)."""
    site = Site()
    labels = {v: k for k, v in BREAKDOWNS.items()}
    for path, text in pages.items():
        doc = lxml_html.fromstring(text)
        m = re.match(r"^/measures/([^?]+)\?year=(\d+)(?:&area=(\w+))?$", path)
        if m:
            site.pages += 1
            _measure_page(site, doc, m.group(1), int(m.group(2)), m.group(3), area_names, labels, path)
        elif re.match(r"^/sufficiency\?year=\d+$", path):
            site.pages += 1
            _sufficiency_page(site, doc, int(path.split("=")[1]), path)
        elif path.startswith("/data-quality"):
            site.pages += 1
            _quality_page(site, doc, path)
    return site


def _measure_page(site: Site, doc, mid: str, year: int, area: str | None, area_names: dict[str, str],
                  labels: dict[str, str], path: str) -> None:
    place = ("local_area", area_names[area]) if area else ("all", "All")
    rows = doc.xpath("//dl[contains(@class,'cb-headline')]/div")
    for row in rows:
        key = _cell_text(row.xpath("dt")[0])
        dd = _cell_text(row.xpath("dd")[0])
        if year_of(key) == year:
            found = COUNTED.search(dd)
            counted = (int(found.group(1).replace(",", "")), int(found.group(2).replace(",", ""))) if found else None
            site.cells.append(Observation(mid, year, *place, value_of(dd), counted, path))
        elif area and key.endswith(" overall"):
            site.cells.append(Observation(mid, year, "all", "All", value_of(dd), None, path))
        elif area and key == "Last year":
            site.cells.append(Observation(mid, year - 1, *place, value_of(dd), None, path))
    for table in doc.xpath("//table"):
        caption = _cell_text(table.xpath("caption")[0]) if table.xpath("caption") else ""
        if caption.endswith(" by year"):
            for tr in table.xpath("tbody/tr"):
                y = year_of(_cell_text(tr.xpath("th")[0]))
                tds = tr.xpath("td")
                if y is not None and tds:
                    site.cells.append(Observation(mid, y, *place, value_of(_cell_text(tds[0])), None, path))
        elif "cb-breakdown" in (table.get("class") or ""):
            breakdown = labels[caption]
            for tr in table.xpath("tbody/tr"):
                site.cells.append(Observation(mid, year, breakdown, _cell_text(tr.xpath("th")[0]),
                                              value_of(_cell_text(tr.xpath("td")[0])), None, path))


def _sufficiency_page(site: Site, doc, year: int, path: str) -> None:
    for section in doc.xpath("//section[contains(@class,'cb-sufficiency')]"):
        for tr in section.xpath(".//table")[0].xpath("tbody/tr"):
            name = _cell_text(tr.xpath("th")[0])
            now = value_of(_cell_text(tr.xpath("td")[0]))
            if name == "All children looked after":
                site.cells.append(Observation(CLA, year, "all", "All", now, None, path))
            else:
                site.cells.append(Observation(CLA, year, "placement_type", name, now, None, path))


def _quality_page(site: Site, doc, path: str) -> None:
    tables = doc.xpath("//table")
    if not tables:
        return
    found = re.search(r"[?&]kind=(\w+)", path)
    kind = found.group(1) if found else "ssda903"
    for tr in tables[0].xpath("tbody/tr"):
        y = year_of(_cell_text(tr.xpath("th")[0]))
        tds = [value_of(_cell_text(td)) for td in tr.xpath("td")]
        _quality_fact(site, y, kind, None, tds[1], tds[2], path)
    caption = _cell_text(tables[1].xpath("caption")[0]) if len(tables) > 1 else ""
    found = re.search(r"(\d{4}-\d{2})$", caption)
    if found:
        y = year_of(found.group(1))
        for tr in tables[1].xpath("tbody/tr"):
            tds = tr.xpath("td")
            _quality_fact(site, y, kind, _cell_text(tr.xpath("th")[0]), value_of(_cell_text(tds[1])),
                          value_of(_cell_text(tds[2])), path)


def _quality_fact(site: Site, year: int, kind: str, rule: str | None, findings, children, path: str) -> None:
    old = site.quality[year][kind].get(rule)
    if old is not None and old[:2] != (findings, children):
        site.conflicts.append(("quality", year, kind, rule, old, (findings, children), path))
    site.quality[year][kind][rule] = (findings, children, path)


# ----------------------------------------------------------------------------------------------------
# The reader's unknowns and relations


Var = tuple


@dataclass
class Reader:
    """One year's figures as unknowns and relations, and what can be worked out from them."""

    year: int
    known: dict[Var, int] = field(default_factory=dict)
    lower: dict[Var, int] = field(default_factory=dict)
    equations: list[dict[Var, int]] = field(default_factory=list)  # sum(coef * var) == 0
    at_most: list[dict[Var, int]] = field(default_factory=list)  # sum(coef * var) <= 0
    shares: list[tuple[Var, Var, float, float]] = field(default_factory=list)  # n, d, lo, hi: lo <= n/d <= hi
    hidden: set[Var] = field(default_factory=set)  # what the pages show as c
    figures: int = 0
    conflicts: list[tuple] = field(default_factory=list)

    # -- building ---------------------------------------------------------------------------------

    def var(self, *name) -> Var:
        """The canonical unknown for a count: the DfE definitions make several names one count."""
        kind, mid, b, v = name
        if kind == "den" and mid in CLA_SHARES:
            return ("cnt", CLA, b, v)
        if kind == "num" and mid in MIX and b == "all":
            return ("cnt", CLA, "placement_type", MIX[mid])
        if kind == "num" and mid == "uasc_share" and b == "all":
            return ("cnt", CLA, "uasc", UASC)
        if kind == "den" and mid == "residential_over_2_years":
            return self.var("num", "placement_mix_childrens_homes", b, v)
        if kind == "den" and mid in IRO_SHARES:
            return ("den", IRO_SHARES[0], b, v)
        if kind == "den" and mid == "iro_reviews_on_time":  # the reviews IROs chaired in the year, both
            return ("den", "iro_reviews_far", b, v)
        if kind == "den" and mid in HEALTH:
            return ("den", "dental_check", b, v)
        if kind == "den" and mid == "convictions" and b == "age_band":
            return ("den", "dental_check", b, v)
        if kind == "den" and mid == "sdq_concern":
            return ("num", "sdq_received", b, v)
        if kind == "den" and mid == "return_interviews_accepted":
            return ("num", "return_interviews_offered", b, v)
        if kind == "den" and mid == "away_children":
            return ("den", "missing_children", b, v)
        if kind == "cnt" and mid in NUMBERS:
            return self.var("num", NUMBERS[mid], b, v)
        if kind == "den" and mid in CEASED_SHARES:
            return ("cnt", "ceased", b, v)
        if kind == "num" and mid in ADOPTION_SPLIT:
            return ("cnt", ADOPTION_SPLIT[mid], b, v)
        if kind == "den" and mid in ADOPTION_SPLIT:
            return self.var("num", "adopted_share", b, v)
        if kind == "den" and mid in SGO_SHARES:
            return self.var("num", "ceased_sgo_share", b, v)
        if kind == "den" and mid == "uasc_starts_share":  # the children who started, by their age at the start
            return ("cnt", "starts", b, v)
        if kind == "den" and mid in REFERRAL_SHARES:
            return ("cnt", "referrals", b, v)
        if kind == "den" and mid == "cpp_2_years_active":
            return ("cnt", "cpp_31_march", b, v)
        if kind == "den" and mid == "cpp_second_subsequent":
            return ("cnt", "cpp_started", b, v)
        if kind == "cnt" and mid == "care_leavers_19_21":
            return ("den", "care_leavers_in_touch_19_21", b, v)
        for g in LEAVER_GROUPS:
            if kind == "den" and mid in (f"care_leavers_not_in_touch_{g}", f"care_leavers_eet_{g}",
                                         f"care_leavers_neet_{g}", f"care_leavers_higher_education_{g}"):
                return ("den", f"care_leavers_in_touch_{g}", b, v)
        return (kind, mid, b, v)

    def fix(self, v: Var, value: int) -> None:
        old = self.known.get(v)
        if old is not None and old != value:
            self.conflicts.append((v, old, value))
        self.known[v] = value

    def at_least(self, v: Var, n: int) -> None:
        self.lower[v] = max(self.lower.get(v, 0), n)

    @classmethod
    def from_site(cls, site: Site, year: int) -> Reader:
        r = cls(year)
        measures = all_measures()
        seen: dict[tuple, Observation] = {}
        tables: dict[tuple[str, str], set[str]] = defaultdict(set)
        for o in site.by_year().get(year, []):
            m = measures.get(o.measure)
            if m is None or o.value is None:
                continue
            key = (o.measure, o.breakdown, o.category)
            if key in seen and (seen[key].value != o.value or (o.counted and seen[key].counted
                                                              and o.counted != seen[key].counted)):
                r.conflicts.append((key, seen[key].value, o.value, seen[key].page, o.page))
            if key not in seen or o.counted:
                seen[key] = o
            tables[(o.measure, o.breakdown)].add(o.category)
        for (mid, b, v), o in seen.items():
            r._observe(measures[mid], b, v, o)
        for (mid, b), cats in tables.items():
            if b != "all":
                r._table(measures[mid], b, cats)
        r._definitions(tables)
        for kind, facts in site.quality.get(year, {}).items():
            r._quality(kind, facts)
        return r

    def _observe(self, m, b: str, v: str, o: Observation) -> None:
        self.figures += 1
        if m.kind == "count":
            x = self.var("cnt", m.id, b, v)
            if o.value == "c":
                self.hidden.add(x)
                self.at_least(x, 1)  # zeros are shown, so a hidden count is at least 1
            elif isinstance(o.value, float):
                self.fix(x, round(o.value))
        elif m.kind == "proportion":
            n, d = self.var("num", m.id, b, v), self.var("den", m.id, b, v)
            if o.value != "x":
                self.at_least(d, 1)  # a share is shown (or hidden) only for a group that has members
            if o.counted:
                self.fix(n, o.counted[0])
                self.fix(d, o.counted[1])
            if o.value == "c":
                self.hidden.update((n, d))
            elif o.value == "k":
                self.at_least(n, 1)
                self.shares.append((n, d, 0.0, 0.0005))
            elif isinstance(o.value, float):
                self.shares.append((n, d, max(o.value - 0.05, 0) / 100, (o.value + 0.05) / 100))
        elif m.id == "missing_incidents_per_child" and isinstance(o.value, float):
            # incidents per child missing: an average to one decimal place, shown as a whole number
            n, d = self.var("cnt", "missing_incidents", b, v), self.var("num", "missing_children", b, v)
            self.shares.append((n, d, max(o.value - 0.55, 0), o.value + 0.55))

    def _table(self, m, b: str, cats: set[str]) -> None:
        """A breakdown adds up to its headline (a category not listed has none)."""
        parts = ("cnt",) if m.kind == "count" else ("num", "den") if m.kind == "proportion" else ()
        for part in parts:
            eq: dict[Var, int] = defaultdict(int)
            eq[self.var(part, m.id, "all", "All")] -= 1
            for c in cats:
                eq[self.var(part, m.id, b, c)] += 1
            self.equations.append(dict(eq))

    def _definitions(self, tables: dict[tuple[str, str], set[str]]) -> None:
        measures = all_measures()
        cells: dict[str, set[tuple[str, str]]] = defaultdict(set)
        for (mid, b), cats in tables.items():
            for c in cats:
                cells[mid].add((b, c))
        for mid, m in measures.items():
            if m.kind != "proportion":
                continue
            for b, c in cells.get(mid, set()) | {("all", "All")}:
                self.at_most.append({self.var("num", mid, b, c): 1, self.var("den", mid, b, c): -1})
        # The eight placement-mix numerators of a cell are the children looked after in it.
        mix_cells = set().union(*(cells.get(mid, set()) for mid in MIX)) | {("all", "All")}
        for b, c in mix_cells:
            eq: dict[Var, int] = defaultdict(int)
            eq[("cnt", CLA, b, c)] -= 1
            for mid in MIX:
                eq[self.var("num", mid, b, c)] += 1
            self.equations.append(dict(eq))
        # Foster placements are the three kinds of fostering; a children's home (K1, K2, R1) is a secure or
        # children's home (K1, K2) or another residential setting (R1); the other residential settings and
        # other placements outside R1 are among careboard's "Other".
        cat = {mid: mid for mid in DFE_CATEGORIES} | MIX_BY_NAME
        for b, c in set().union(*(cells.get(mid, set()) for mid in DFE_CATEGORIES)) | {("all", "All")}:
            n = {k: self.var("num", mid, b, c) for k, mid in cat.items()}
            self.equations.append({n["placement_foster"]: -1, n["Kinship fostering"]: 1,
                                   n["In-house fostering"]: 1, n["Agency fostering"]: 1})
            self.at_most.append({n["placement_secure_and_childrens_homes"]: 1, n["Children's homes"]: -1})
            self.at_most.append({n["Children's homes"]: 1, n["placement_secure_and_childrens_homes"]: -1,
                                 n["placement_other_residential"]: -1})
            self.at_most.append({n["placement_other_residential"]: 1, n["Children's homes"]: -1,
                                 n["placement_secure_and_childrens_homes"]: 1, n["placement_other_placements"]: 1,
                                 n["Other"]: -1})
        # Why children left care: the reasons are different children, all among those who ceased; the adopted
        # are the unopposed and the consent-dispensed; the special guardianship kinds are among the SGOs.
        for b, c in set().union(*(cells.get(mid, set()) for mid in CEASED_SHARES)) | {("all", "All")}:
            self.at_most.append({**{self.var("num", mid, b, c): 1 for mid in CEASED_SHARES},
                                 ("cnt", "ceased", b, c): -1})
            self.equations.append({self.var("num", "adopted_share", b, c): -1,
                                   **{("cnt", cnt, b, c): 1 for cnt in ADOPTION_SPLIT.values()}})
            self.at_most.append({**{self.var("num", mid, b, c): 1 for mid in SGO_SHARES},
                                 self.var("num", "ceased_sgo_share", b, c): -1})
        # Care leavers: in touch and not in touch are different young people, and so are EET and NEET;
        # higher education is part of EET.
        for g in LEAVER_GROUPS:
            for a, b_ in ((f"care_leavers_in_touch_{g}", f"care_leavers_not_in_touch_{g}"),
                          (f"care_leavers_eet_{g}", f"care_leavers_neet_{g}")):
                for b, c in cells.get(a, set()) | {("all", "All")}:
                    self.at_most.append({self.var("num", a, b, c): 1, self.var("num", b_, b, c): 1,
                                         self.var("den", a, b, c): -1})
            for b, c in cells.get(f"care_leavers_higher_education_{g}", set()) | {("all", "All")}:
                self.at_most.append({self.var("num", f"care_leavers_higher_education_{g}", b, c): 1,
                                     self.var("num", f"care_leavers_eet_{g}", b, c): -1})
        # Children looked after on 31 March are among those looked after during the year; the 12-month
        # cohort and the other sub-cohorts are among those looked after on 31 March.
        for b, c in cells.get(CLA, set()) | {("all", "All")}:
            if (b, c) in cells.get("missing_children", set()) | {("all", "All")} and "missing_children" in cells:
                self.at_most.append({("cnt", CLA, b, c): 1, ("den", "missing_children", b, c): -1})
            for sub in SUBSETS_OF_CLA:
                if (b, c) in cells.get(sub, set()) or b == "all":
                    self.at_most.append({self.var("den", sub, b, c): 1, ("cnt", CLA, b, c): -1})
            if (b, c) in cells.get("iro_unallocated", set()) or b == "all":
                self.at_most.append({("cnt", "iro_unallocated", b, c): 1, ("cnt", CLA, b, c): -1})
        # Each child missing had an incident, and each missing more than once at least two.
        for b, c in cells.get("missing_incidents", set()) | {("all", "All")}:
            self.at_most.append({self.var("num", "missing_children", b, c): 1,
                                 self.var("cnt", "missing_more_than_once", b, c): 1,
                                 self.var("cnt", "missing_incidents", b, c): -1})
            self.at_most.append({self.var("cnt", "missing_more_than_once", b, c): 1,
                                 self.var("num", "missing_children", b, c): -1})
        # Referrals closed with no further action and those assessed as not in need are different referrals;
        # the plans judged for reviews are among the children on a plan on 31 March.
        for b, c in cells.get("referrals_nfa", set()) | {("all", "All")}:
            self.at_most.append({self.var("num", "referrals_nfa", b, c): 1,
                                 self.var("num", "referrals_not_in_need", b, c): 1, ("cnt", "referrals", b, c): -1})
        for b, c in cells.get("cpp_reviewed_on_time", set()) | {("all", "All")}:
            self.at_most.append({self.var("den", "cpp_reviewed_on_time", b, c): 1, ("cnt", "cpp_31_march", b, c): -1})
        # Development checks: the 12-month cohort under 5 (no child under 1 has been looked after for 12 months).
        if ("all", "All") in cells.get("development_checks", set()):
            self.equations.append({self.var("den", "development_checks", "all", "All"): -1,
                                   ("den", "dental_check", "age_band", "1 to 4"): 1,
                                   ("den", "dental_check", "age_band", "Under 1"): 1})

    def _quality(self, kind: str, facts: dict) -> None:
        """One kind of return's validation counts: its rules add up to its findings (each finding is of one rule)."""
        if not facts:
            return
        total_f, total_c = ("dq", kind, "findings", None), ("dq", kind, "children", None)
        eq = {total_f: -1}
        for rule, (f, c, _) in facts.items():
            vf, vc = ("dq", kind, "findings", rule), ("dq", kind, "children", rule)
            for v, x in ((vf, f), (vc, c)):
                self.figures += 1
                if x == "c":
                    self.hidden.add(v)
                    self.at_least(v, 1)
                elif isinstance(x, float):
                    self.fix(v, round(x))
            if rule is not None:
                eq[vf] = 1
                self.at_most.append({vc: 1, vf: -1})
                self.at_most.append({vc: 1, total_c: -1})
        self.at_most.append({total_c: 1, total_f: -1})
        self.equations.append(eq)
        rules = [("dq", kind, "children", rule) for rule in facts if rule is not None]
        if rules:
            self.at_most.append({total_c: 1, **{v: -1 for v in rules}})

    # -- solving ----------------------------------------------------------------------------------

    def attack(self) -> dict[Var, tuple[float, float]]:
        """What the reader can prove about every hidden count: its range, or (lo, hi) of two whole-number
        solutions that differ, when two such solutions show it cannot be pinned (``self.proved`` says which).

        Step 1 propagates cheaply: a share with a known denominator fixes its numerator's range, and the
        pairs that round to a shown share are enumerated where the ranges are small.  Step 2 works on each
        connected set of unknowns as an integer programme over every relation at once (shares as
        lo * d <= n <= hi * d): a few solutions with different objectives first, then, for each hidden
        count they do not move, its exact minimum and maximum.
        """
        bounds: dict[Var, list[float]] = {}
        for v in self._all_vars():
            bounds[v] = [self.known[v]] * 2 if v in self.known else [self.lower.get(v, 0), math.inf]
        for _ in range(6):
            if not self._shares(bounds):
                break
        self.proved: dict[Var, bool] = {}
        out: dict[Var, tuple[float, float]] = {}
        for members, rows in self._components(bounds):
            out.update(self._solve(members, rows, bounds))
        for v in self.hidden:
            if v not in out and v in bounds:
                out[v] = tuple(bounds[v])
                self.proved[v] = True
        return out

    def _all_vars(self) -> set[Var]:
        out = set(self.known) | set(self.lower) | self.hidden
        for rel in self.equations + self.at_most:
            out.update(rel)
        for n, d, _, _ in self.shares:
            out.update((n, d))
        return out

    def _shares(self, bounds: dict[Var, list[float]]) -> bool:
        """Numerator/denominator pairs that round to a shown share: enumerate them where the ranges are small."""
        changed = False
        for n, d, lo, hi in self.shares:
            (n_lo, n_hi), (d_lo, d_hi) = bounds[n], bounds[d]
            if math.isinf(d_hi) or d_hi - d_lo > 2000:
                continue
            pairs = [(x, y) for y in range(int(d_lo), int(d_hi) + 1)
                     for x in range(max(int(n_lo), math.ceil(y * lo - 1e-9)),
                                    min(int(n_hi) if not math.isinf(n_hi) else y * 100, math.floor(y * hi + 1e-9)) + 1)]
            if not pairs:
                raise AssertionError(f"no counts fit the shown share {n}/{d}: the reader's model is wrong")
            new_n = [min(p[0] for p in pairs), max(p[0] for p in pairs)]
            new_d = [min(p[1] for p in pairs), max(p[1] for p in pairs)]
            if new_n != bounds[n] or new_d != bounds[d]:
                bounds[n], bounds[d] = new_n, new_d
                changed = True
        return changed

    def _components(self, bounds: dict[Var, list[float]]):
        """Connected sets of unknowns, each with its relations (known counts substituted)."""
        unknown = {v for v, (lo, hi) in bounds.items() if lo != hi}
        rows = []
        relations = [(e, True) for e in self.equations] + [(a, False) for a in self.at_most]
        for n, d, lo, hi in self.shares:  # a share, rounded as shown: lo * d <= n <= hi * d
            relations += [({n: 1.0, d: -hi}, False), ({n: -1.0, d: lo}, False)]
        for rel, equal in relations:
            coefs = {v: c for v, c in rel.items() if v in unknown and c}
            rhs = -sum(c * bounds[v][0] for v, c in rel.items() if v not in unknown)
            if coefs:
                rows.append((coefs, rhs, equal))
        parent = {v: v for v in unknown}

        def find(v):
            while parent[v] != v:
                parent[v] = parent[parent[v]]
                v = parent[v]
            return v

        for coefs, _, _ in rows:
            vs = list(coefs)
            for v in vs[1:]:
                parent[find(v)] = find(vs[0])
        groups: dict[Var, list[Var]] = defaultdict(list)
        for v in unknown:
            groups[find(v)].append(v)
        by_group: dict[Var, list] = defaultdict(list)
        for r in rows:
            by_group[find(next(iter(r[0])))].append(r)
        for root, members in groups.items():
            yield members, by_group[root]

    def _solve(self, members, rows, bounds) -> dict[Var, tuple[float, float]]:
        index = {v: i for i, v in enumerate(members)}
        n = len(members)
        eq_r, eq_c, eq_v, eq_b, ub_r, ub_c, ub_v, ub_b = [], [], [], [], [], [], [], []
        for coefs, rhs, equal in rows:
            rr, cc, vv, bb = (eq_r, eq_c, eq_v, eq_b) if equal else (ub_r, ub_c, ub_v, ub_b)
            k = len(bb)
            for v, c in coefs.items():
                rr.append(k)
                cc.append(index[v])
                vv.append(c)
            bb.append(rhs)
        cons = []
        if eq_b:
            a = csr_array((eq_v, (eq_r, eq_c)), shape=(len(eq_b), n))
            cons.append(LinearConstraint(a, np.array(eq_b), np.array(eq_b)))
        if ub_b:
            a = csr_array((ub_v, (ub_r, ub_c)), shape=(len(ub_b), n))
            cons.append(LinearConstraint(a, -np.inf, np.array(ub_b)))
        lb = np.array([bounds[v][0] for v in members], dtype=float)
        # no count of children reaches a million: a cap keeps every programme bounded (and its answer decided)
        ub = np.array([min(bounds[v][1], CAP) for v in members], dtype=float)
        targets = [v for v in members if v in self.hidden]
        if not targets:
            return {}

        def solve(c: np.ndarray):
            res = milp(c, constraints=cons, bounds=Bounds(lb, ub), integrality=np.ones(n))
            if res.status != 0:  # HiGHS's presolve can call the shares' fractional bounds infeasible: retry without
                res = milp(c, constraints=cons, bounds=Bounds(lb, ub), integrality=np.ones(n),
                           options={"presolve": False})
            assert res.status == 0, f"the reader's relations have no solution ({res.message}): model is wrong"
            return res

        # A few whole-number solutions: a hidden count that differs between two of them is not pinned.
        rng = np.random.default_rng(len(members))
        t_idx = np.array([index[v] for v in targets])
        points = []
        for k in range(6):
            c = np.zeros(n)
            c[t_idx] = (1.0 if k == 0 else -1.0) if k < 2 else rng.choice((-1.0, 1.0), len(t_idx))
            points.append(np.round(solve(c).x))
        out: dict[Var, tuple[float, float]] = {}
        for v in targets:
            seen = {p[index[v]] for p in points}
            if len(seen) >= 2:
                out[v] = (min(seen), max(seen))
                self.proved[v] = False  # two solutions, not the full range
                continue
            lohi = []
            for sign in (1.0, -1.0):
                c = np.zeros(n)
                c[index[v]] = sign
                lohi.append(sign * solve(c).fun)
            lo, hi = math.ceil(lohi[0] - 1e-6), math.floor(lohi[1] + 1e-6)
            hi = math.inf if hi >= CAP else hi
            out[v] = (lo, hi)
            self.proved[v] = True
        return out


def pinned_small(ranges: dict[Var, tuple[float, float]]) -> dict[Var, int]:
    """Hidden counts the reader worked out exactly, with a value of 1 to 5."""
    return {v: int(lo) for v, (lo, hi) in ranges.items() if lo == hi and 1 <= lo <= 5}
