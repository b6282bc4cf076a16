"""What a member can see: every member page, crawled, shows no small count and no child identifier;
every analyst page and download is refused with 403; and an attacker who reads every figure on every
page (and in the PDF packs) and solves for the hidden ones cannot pin any of them to a count of 1 to 5."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import tempfile
from collections import deque
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from attacker import CLA, CLA_SHARES, MIX, Reader, Site, pinned_small, read_site
from lxml import html as lxml_html
from webhelpers import api_routes, csrf_token, http_client

from careboard.measures.measure import all_measures
from careboard.publish.disclosure import SMALL_MAX

SKIP = re.compile(r"^/(logout|assets/|static/)|\.pdf")
INTEGER = re.compile(r"^\d[\d,]*$")
COUNTED = re.compile(r"([\d,]+) of ([\d,]+)\b")  # "26 of 296 children", under a share


def small(text: str) -> bool:
    """A displayed count of 1 to SMALL_MAX (what disclosure control must have replaced with 'c')."""
    text = text.strip()
    return bool(INTEGER.match(text)) and 0 < int(text.replace(",", "")) <= SMALL_MAX


@pytest.fixture(scope="module")
def member_site(base_url) -> dict[str, str]:
    """Every page a member reaches by following links from the scorecard: path -> HTML."""
    client = http_client(base_url, "member")
    seen: dict[str, str] = {}
    # The year picker is a GET form, not a link: start from every year's pages.
    starts = [f"{p}?year={y}" for y in (2024, 2025, 2026)
              for p in ("/scorecard", "/briefing", "/areas", "/sufficiency", "/iro")]
    queue = deque(["/scorecard", "/data-quality", "/accessibility", *starts])
    while queue:
        path = queue.popleft()
        if path in seen:
            continue
        r = client.get(path)
        assert r.status_code == 200, (path, r.status_code)
        seen[path] = r.text
        for href in lxml_html.fromstring(r.text).xpath("//a/@href"):
            parts = urlsplit(urljoin(base_url + path, href))
            if parts.netloc != urlsplit(base_url).netloc:
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if not SKIP.search(target) and target not in seen:
                queue.append(target)
    client.close()
    return seen


def test_the_crawl_covers_every_kind_of_member_page(member_site):
    kinds = {re.sub(r"/[^/?]+(\?.*)?$", "/X", p) if p.count("/") > 1 else p.split("?")[0] for p in member_site}
    assert {"/scorecard", "/briefing", "/areas", "/sufficiency", "/data-quality", "/measures/X", "/areas/X"} <= kinds
    assert any(p.startswith("/data-quality?") and "kind=cin" in p for p in member_site)  # the CIN census's page too
    measures = [p for p in member_site if p.startswith("/measures/")]
    assert len(measures) > 250  # every measure, every year, council-wide and for the local area


def test_no_member_page_shows_a_small_count(member_site):
    measures = all_measures()
    counts = {m.id for m in measures.values() if m.kind == "count"} | {"validation_findings"}
    count_titles = {m.title for m in measures.values() if m.kind == "count"}
    problems = []
    for path, text in member_site.items():
        doc = lxml_html.fromstring(text)
        # Figures our templates tag with their measure (scorecard, measure, breakdown and data-quality
        # tables): the test, not the template, decides which measures are counts.
        for el in doc.xpath("//*[@data-measure]"):
            if el.get("data-measure") in counts and small(el.text_content()):
                problems.append((path, el.get("data-measure"), el.text_content().strip()))
        # The pack partials' numbers tables: unit from the row's measure title.
        for row in doc.xpath("//table[contains(@class, 'cb-table')]/tbody/tr"):
            title = row.xpath("string(th)").strip()
            cells = [c.text_content().strip() for c in row.xpath("td")]
            if title in count_titles:
                problems += [(path, title, c) for c in cells if small(c)]
            for c in cells:
                m = COUNTED.search(c)
                if m and (small(m.group(1)) or small(m.group(2))):
                    problems.append((path, title, c))
        for item in doc.xpath("//*[contains(@class, 'cb-glance__item')]"):
            label = item.xpath("string(*[contains(@class, 'cb-glance__label')])").strip()
            value = item.xpath("string(*[contains(@class, 'cb-glance__value')])")
            if label in count_titles and small(value):
                problems.append((path, "at a glance: " + label, value.strip()))
    assert not problems, problems[:20]


# Today's counts as the sufficiency section states them outside its table: "325 children were looked after
# on 31 March 2026", "compared with 50 now", "Kinship fostering (50 now)" (chart heading), "50 children on
# 31 March 2026" and "2025: 334;" (chart descriptions of the recorded counts).
CURRENT = re.compile(r"([\d,]+) now\b|([\d,]+) children (?:were looked after )?on \d|\b\d{4}: ([\d,]+)[;.]")


def test_sufficiency_shows_no_small_current_count(member_site):
    """The forecast's rounded figures may be 0 or 5; today's counts, wherever they appear, may not be 1 to 5."""
    pages = {p: t for p, t in member_site.items() if p.startswith("/sufficiency")}
    assert {"/sufficiency", "/sufficiency?year=2024", "/sufficiency?year=2025", "/sufficiency?year=2026"} <= set(pages)
    problems, sections, hidden = [], 0, 0
    for path, text in pages.items():
        for section in lxml_html.fromstring(text).xpath("//section[contains(@class, 'cb-sufficiency')]"):
            sections += 1
            table = section.xpath(".//table")[0]
            assert "Now" in table.xpath("string(thead/tr/th[2])")
            for row in table.xpath("tbody/tr"):
                now = row.xpath("string(td[1])").strip()
                hidden += now == "c"
                if (now != "c" and not INTEGER.match(now)) or small(now):
                    problems.append((path, row.xpath("string(th)").strip(), now))
            for found in CURRENT.finditer(section.text_content()):
                figure = next(g for g in found.groups() if g)
                if small(figure):
                    problems.append((path, found.group(0)))
    assert not problems, problems[:20]
    # Not vacuous: two years have a forecast, and this authority has categories hidden as 'c'.
    assert sections >= 2 and hidden >= 1


def test_sufficiency_without_enough_history_says_so(member_site):
    text = member_site["/sufficiency?year=2024"]
    assert "cb-sufficiency" not in text
    assert "There is not enough history in the loaded returns to forecast placements from 31 March 2024" in text


def test_analysts_and_admins_see_the_members_sufficiency_page(base_url, member_site):
    """No child-level data on it, so one page for every role: the same main content as the member's, and for
    roles that may download the full plan tables (issue 18.5), the links to them after it."""
    def main(text: str) -> tuple[str, int]:
        found = lxml_html.fromstring(text).xpath("//main")[0]
        downloads = found.xpath(".//section[contains(@class, 'cb-plan-downloads')]")
        for d in downloads:
            d.drop_tree()
        return re.sub(r"\s+", " ", lxml_html.tostring(found, encoding="unicode")), len(downloads)

    assert main(member_site["/sufficiency"])[1] == 0
    for role in ("analyst", "admin"):
        client = http_client(base_url, role)
        try:
            r = client.get("/sufficiency")
            assert r.status_code == 200
            assert main(r.text) == (main(member_site["/sufficiency"])[0], 1), role
        finally:
            client.close()


def test_the_sufficiency_plan_for_members_and_its_tables_for_commissioners(base_url, member_site):
    """Issue 18.5: where places will be short, by area and need, from the capacity extracts the load stored;
    a year without a capacity extract says so; analysts (and commissioners, roles.py) download every table of
    the plan as CSV and as one XLSX workbook, the same tables `careboard forecast --capacity` writes."""
    import io

    import openpyxl

    from careboard import roles

    assert roles.capabilities("commissioner") == {"view_aggregates", "download_plan_tables"}
    assert "download_plan_tables" not in roles.capabilities("member")

    doc = lxml_html.fromstring(member_site["/sufficiency"])
    plan = doc.xpath("//section[contains(@class, 'cb-plan')]")
    assert plan, "no plan section on the 2025-26 page"
    table = plan[0].xpath(".//table[contains(@class, 'cb-plan-map')]")[0]
    heads = [h.text_content().strip() for h in table.xpath("thead/tr/th")]
    assert heads[0] == "Home area" and "Teenagers" in heads
    rows = {tr.xpath("string(th)").strip(): [td.text_content().strip() for td in tr.xpath("td")]
            for tr in table.xpath("tbody/tr")}
    assert len(rows) >= 3 and all(len(cells) == len(heads) - 1 for cells in rows.values())
    # every shown cell is a rounded forecast (multiples of 5, "0", "c" or a dash)
    for cells in rows.values():
        for c in cells:
            assert c in ("c", "–") or re.fullmatch(r"\d+( \(\d+ to \d+\))?", c), c
            assert c in ("c", "–") or all(int(n) % 5 == 0 for n in re.findall(r"\d+", c)), c
    assert "What recruiting foster carers would change" in plan[0].text_content()
    assert not lxml_html.fromstring(member_site["/sufficiency?year=2025"]).xpath("//section[@class='cb-plan']")
    assert "No capacity figures are loaded for 31 March 2025" in member_site["/sufficiency?year=2025"]

    client = http_client(base_url, "analyst")
    try:
        page = lxml_html.fromstring(client.get("/sufficiency").text)
        links = page.xpath("//section[contains(@class, 'cb-plan-downloads')]//a/@href")
        assert "/sufficiency/plan.xlsx?year=2026" in links
        csvs = [h for h in links if h.startswith("/sufficiency/plan/")]
        assert {"/sufficiency/plan/places.csv?year=2026", "/sufficiency/plan/recruitment.csv?year=2026"} <= set(csvs)
        r = client.get("/sufficiency/plan/places.csv?year=2026")
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
        places = list(csv.DictReader(io.StringIO(r.text)))
        assert [p["kind"] for p in places if p["months_ahead"] == "0"] == ["Foster care", "Children's homes",
                                                                          "Supported accommodation"]
        r = client.get("/sufficiency/plan.xlsx?year=2026")
        assert r.status_code == 200
        book = openpyxl.load_workbook(io.BytesIO(r.content))
        assert book.sheetnames[0] == "contents"
        assert {"places", "shortfall", "cost", "recruitment"} <= set(book.sheetnames)
        sheet = [[c.value for c in row] for row in book["places"].iter_rows()]
        assert sheet[0] == list(places[0]) and len(sheet) == len(places) + 1
        # no plan for a year without a capacity extract: refused plainly, no links
        assert client.get("/sufficiency/plan.xlsx?year=2025").status_code == 404
        assert "cb-plan-downloads" not in client.get("/sufficiency?year=2025").text
    finally:
        client.close()


def test_suppression_is_visible_where_it_happens(member_site):
    """The crawl is not vacuous: small cells exist in this authority and show as 'c'."""
    assert any('<abbr class="cb-marker" title="confidential' in text for text in member_site.values())


def test_published_only_rows_say_so_and_when(base_url):
    """Issue 15.8: the DfE's education outcomes for Trafford, on the scorecard under Education and outcomes and on
    their own pages, each marked published only with the year the DfE published it and the academic year."""
    client = http_client(base_url, "member")
    try:
        pages = {p: client.get(p) for p in ("/scorecard?year=2026", "/measures/pub_cla_absence?year=2026",
                                            "/scorecard?year=2024")}
    finally:
        client.close()
    assert all(r.status_code == 200 for r in pages.values())
    doc = lxml_html.fromstring(pages["/scorecard?year=2026"].text)
    table = doc.xpath("//section[.//h2[@id='theme-education-and-outcomes']]//table")[0]
    rows = {" ".join(r.xpath("string(th)").split()): [" ".join(c.text_content().split()) for c in r.xpath("td")]
            for r in table.xpath("tbody/tr")}
    absence = "Children in care: school sessions missed Published only: published 2026, academic year 2024/25"
    assert rows[absence][:3] == ["10.6%", "9.0%", "8.9%"]  # LAIT 2025: Trafford, England, the neighbours' mean
    suspended = ("Children in care suspended from school at least once Published only: published 2026, "
                 "academic year 2023/24")
    assert rows[suspended][0] == "9.50%"  # 2023/24 (suspensions come a year later), at the DfE's two decimal places
    page = " ".join(lxml_html.fromstring(pages["/measures/pub_cla_absence?year=2026"].text).text_content().split())
    assert "Published only: published 2026, academic year 2024/25. This is the Department for Education's" in page
    assert "indicator LAC_Over_Abs" in page
    # the 2023-24 scorecard shows what was published for that year
    older = " ".join(lxml_html.fromstring(pages["/scorecard?year=2024"].text).text_content().split())
    assert "Published only: published 2025, academic year 2023/24" in older


def test_no_child_identifier_on_any_member_page(member_site, fixture_db):
    assert fixture_db.children and len(fixture_db.children) > 100
    identifiers = fixture_db.children | fixture_db.upns
    leaks = {}
    for path, text in member_site.items():
        found = set(re.findall(r"[A-Za-z0-9]+", text)) & identifiers
        if found:
            leaks[path] = sorted(found)[:5]
    assert not leaks, leaks


def test_members_get_403_on_every_analyst_route_and_download(app, base_url, analyst_paths):
    client = http_client(base_url, "member")
    token = csrf_token(client.get("/scorecard").text)  # a valid token, so it is the role that refuses
    try:
        for method, path in analyst_paths:
            r = client.get(path) if method == "GET" else client.post(path, data={"csrf_token": token})
            assert r.status_code == 403, (method, path, r.status_code)
            assert "You cannot see this page" in r.text
    finally:
        client.close()


def test_analyst_pages_show_child_ids_to_analysts(base_url, fixture_db):
    client = http_client(base_url, "analyst")
    try:
        r = client.get("/data-quality/findings")
        assert r.status_code == 200
        assert set(re.findall(r"\d{6,7}", r.text)) & fixture_db.children
    finally:
        client.close()


@pytest.fixture(scope="module")
def analyst_paths(app) -> list[tuple[str, str]]:
    """Every route needing a capability a member's role does not give (analysts', officers', admins'
    pages), with made-up values for path parameters."""
    from careboard import roles
    from careboard.web.auth import route_capability

    member = roles.capabilities("member")
    found = []
    for route in api_routes(app):
        capability = route_capability(route)
        if capability is not None and capability not in member:
            path = route.path.replace("{uid}", "abc").replace("{fmt}", "csv").replace("{name}", "member")
            path = re.sub(r"\{\w+_id\}", "1", path)
            found += [(m, path) for m in sorted(route.methods)]
    assert len(found) >= 25
    assert ("GET", "/upload") in found and ("GET", "/panel/questions/1/answer") in found
    return found


# ----------------------------------------------------------------------------------------------------
# The attacker: every figure a member can see, hidden ones as unknowns, solved (tests/web/attacker.py).

YEARS = (2024, 2025, 2026)


@pytest.fixture(scope="module")
def area_names(member_site) -> dict[str, str]:
    """District code -> the name the pages use for it, from the local-areas pages."""
    names = {}
    for path, text in member_site.items():
        if path.startswith("/areas?") or path == "/areas":
            for a in lxml_html.fromstring(text).xpath("//ul[contains(@class,'cb-area-list')]//a"):
                names[a.get("href").split("/")[2].split("?")[0]] = a.text_content().strip()
    assert names
    return names


@pytest.fixture(scope="module")
def site(member_site, area_names) -> Site:
    return read_site(member_site, area_names)


@pytest.fixture(scope="module")
def attacks(site) -> dict[int, tuple[Reader, dict]]:
    out = {}
    for year in YEARS:
        reader = Reader.from_site(site, year)
        out[year] = (reader, reader.attack())
    return out


def test_every_figure_is_the_same_on_every_page(site, attacks):
    """A figure hidden on one page and shown on another (or shown differently) would be a leak by itself."""
    assert not site.conflicts, site.conflicts[:5]
    for year, (reader, _) in attacks.items():
        assert not reader.conflicts, (year, reader.conflicts[:5])


def test_an_attacker_with_every_page_cannot_pin_a_hidden_count(site, attacks, capsys):
    """Solve for every hidden count from everything a member can read: none comes out as one value of 1 to 5."""
    report = []
    for year, (reader, ranges) in attacks.items():
        assert not pinned_small(ranges), (year, pinned_small(ranges))
        exact = [v for v, (lo, hi) in ranges.items() if lo == hi]
        report.append(f"{year}: {reader.figures} figures read, {len(reader.hidden)} hidden counts attacked, "
                      f"{len(exact)} worked out exactly (all 6 or more), 0 pinned to 1-5")
        assert len(reader.hidden) > 100 and reader.figures > 1000  # not vacuous: a small authority, much hidden
    with capsys.disabled():
        print(f"\nattacker over {site.pages} member pages: " + "; ".join(report))


def _hidden(site: Site, year: int, measure: str, breakdown: str) -> set[str]:
    return {o.category for o in site.cells if o.year == year and o.measure == measure
            and o.breakdown == breakdown and o.value == "c"}


def test_regression_data_quality_total_minus_the_other_rules(site, attacks):
    """Issue 11: one rule's count c, the year's total and the other rules shown -> total minus the others gave it."""
    cases = 0
    for year in YEARS:
        for kind, by_rule in site.quality.get(year, {}).items():
            facts = {rule: (f, c) for rule, (f, c, _) in by_rule.items()}
            if not facts or not any(f == "c" for rule, (f, _) in facts.items() if rule is not None):
                continue
            cases += 1
            hidden_rules = [rule for rule, (f, _) in facts.items() if rule is not None and f == "c"]
            # the subtraction itself: with the total shown, never exactly one rule hidden
            assert facts[None][0] == "c" or len(hidden_rules) != 1, (year, kind, facts)
            _, ranges = attacks[year]
            for rule in hidden_rules:
                lo, hi = ranges[("dq", kind, "findings", rule)]
                assert hi > lo, (year, kind, rule, lo, hi)
    assert cases >= 1  # this authority has rules that fired for one to five records


def test_regression_placement_type_from_the_placement_mix_page(site, attacks):
    """Issue 11: the breakdown hid two placement types, the shown ones summed to 400 of 417 and the placement-mix
    page said "With parents 13 of 417", so the other was 4; the sufficiency page hid a type the scorecard showed."""
    cases = 0
    mix = {v: k for k, v in MIX.items()}
    for year in YEARS:
        hidden = _hidden(site, year, CLA, "placement_type")
        if not hidden:
            continue
        cases += 1
        _, ranges = attacks[year]
        for o in site.cells:
            if o.year != year:
                continue
            # the shared numerator is hidden wherever it appears: the mix measure's headline and the sufficiency page
            if o.measure in MIX and o.breakdown == "all" and MIX[o.measure] in hidden:
                assert o.value == "c" and o.counted is None, (year, o)
            if o.measure == CLA and o.breakdown == "placement_type" and o.category in hidden:
                assert o.value == "c", (year, o)  # the same on the scorecard, the measure page and sufficiency
        for kind in hidden:
            lo, hi = ranges[("cnt", CLA, "placement_type", kind)]
            assert hi > lo, (year, kind, lo, hi)
            assert mix[kind] in MIX
    assert cases >= 1


def test_regression_local_area_share_pins_the_count(site, attacks):
    """Issue 11: areas A and B hidden, A + B = 22 from the others, and A shown as 35.3% elsewhere: only 6 of 17
    fits, so B = 5.  A share is shown only with a published denominator, so no share narrows a hidden area."""
    cases = 0
    for year in YEARS:
        hidden = _hidden(site, year, CLA, "local_area")
        if len(hidden) < 2:
            continue
        cases += 1
        measures = all_measures()
        for o in site.cells:
            if (o.year == year and o.breakdown == "local_area" and o.category in hidden
                    and o.measure in CLA_SHARES and measures[o.measure].kind == "proportion"):
                assert o.value == "c", (year, o.measure, o.category, o.value)
        _, ranges = attacks[year]
        for area in hidden:
            lo, hi = ranges[("cnt", CLA, "local_area", area)]
            assert hi > lo, (year, area, lo, hi)
    assert cases >= 1


# The PDF packs: every figure in them is on the member pages, so the attacker above has read them too.  A pack is
# HTML printed by WeasyPrint (publish/pack.py): the HTML of every pack (every year, council-wide and for every area)
# is checked, and two packs are printed for real, to prove the PDF says no figure its HTML does not.

PDFTOTEXT = shutil.which("pdftotext")
# page numbers, the contents' "page 9" and list numbering: not figures
PAGE_NUMBER = re.compile(r"Page \d+ of \d+|\bpage \d+\b|^\s*\d+\.\s", re.M)
NUMBER = re.compile(r"(?<![\w.,])\d[\d,]*(?:\.\d+)?%?")
PAIR = re.compile(r"\b([\d,]+) of ([\d,]+)\b")


def _pack_source(app, year: int, area: str | None):
    """The Briefing and Panel business ``/pack.pdf?year=..&area=..`` prints: the route's own function."""
    from careboard.panel.store import PanelStore
    from careboard.web.routes_members import pack_contents

    web = app.state.web
    return pack_contents(web, PanelStore(web.webdb), year, area)


def _html_text(document: str) -> str:
    """What a reader of an HTML pack reads: the body's text, the charts' (inline SVG) included, no style sheet."""
    body = lxml_html.fromstring(document).xpath("//body")[0]
    for el in body.xpath(".//style | .//script"):
        el.drop_tree()
    return PAGE_NUMBER.sub("", " ".join(body.itertext()))


@pytest.fixture(scope="module")
def packs(app, area_names) -> dict[tuple[int, str | None], str]:
    """(year, area or None) -> the text of the HTML that PDF pack is printed from, for every year, council-wide and
    for every area: with every chart and summary item the printing starts from (fitting the pages only leaves
    some out, publish/pack.py:layout), so a superset of what the PDF says."""
    from careboard.publish.pack import render_html

    out = {}
    for year in YEARS:
        for area in (None, *area_names):
            briefing, business = _pack_source(app, year, area)
            out[(year, area)] = _html_text(render_html(briefing, inline_svg=True, business=business))
    return out


@pytest.fixture(scope="module")
def printed(base_url, area_names, packs) -> dict[tuple[int, str | None], str]:
    """(year, area or None) -> the text of the PDF served at /pack.pdf, for the latest year council-wide (every
    section: forecast, missing themes, IRO) and for the local area with the most children."""
    if PDFTOTEXT is None:
        pytest.skip("pdftotext (poppler-utils) not installed")
    area = max(area_names, key=lambda a: len(packs[(YEARS[-1], a)]))
    client = http_client(base_url, "member")
    out = {}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for key in ((YEARS[-1], None), (YEARS[-1], area)):
                r = client.get(f"/pack.pdf?year={key[0]}" + (f"&area={key[1]}" if key[1] else ""))
                assert r.status_code == 200, (key, r.status_code)
                pdf = Path(tmp) / "pack.pdf"
                pdf.write_bytes(r.content)
                text = subprocess.run([PDFTOTEXT, "-layout", str(pdf), "-"], capture_output=True, text=True,
                                      check=True).stdout
                out[key] = PAGE_NUMBER.sub("", text)
    finally:
        client.close()
    return out


def _web_text(member_site: dict[str, str], year: int, area: str | None) -> str:
    """The text of the member pages a pack corresponds to (charts' titles and descriptions included)."""
    if area is None:
        paths = [f"/briefing?year={year}", f"/sufficiency?year={year}", f"/iro?year={year}"]
    else:
        paths = [p for p in member_site if p == f"/areas/{area}?year={year}"
                 or (p.startswith("/measures/") and p.endswith(f"?year={year}&area={area}"))]
    assert all(p in member_site for p in paths) and paths, (year, area)
    return " ".join(" ".join(lxml_html.fromstring(member_site[p]).itertext()) for p in paths)


def _figures_not_in(text: str, other: str) -> tuple[set[str], list[tuple[str, str]], int]:
    """The numbers and the "n of d" pairs ``text`` states and ``other`` does not, and how many pairs it states."""
    pairs, other_pairs = PAIR.findall(text), set(PAIR.findall(other))
    extra = set(NUMBER.findall(text)) - set(NUMBER.findall(other))
    return extra, [p for p in pairs if p not in other_pairs], len(pairs)


def test_the_packs_show_no_figure_the_pages_do_not(packs, member_site):
    """Every number and every "n of d" in each pack also appears on the corresponding member pages."""
    pairs = 0
    for (year, area), text in packs.items():
        extra, extra_pairs, n = _figures_not_in(text, _web_text(member_site, year, area))
        assert not extra, (year, area, sorted(extra)[:20])
        assert not extra_pairs, (year, area, extra_pairs[:20])
        pairs += n
    assert pairs > 50  # the packs' numbers tables state "n of d" for their shares


def test_a_printed_pack_says_no_figure_its_html_does_not(printed, packs):
    """The PDF a member downloads states no number and no "n of d" the HTML it is printed from does not, so the
    checks of every pack's HTML hold for its PDF; and it is the same pack (its text, its figures)."""
    for key, text in printed.items():
        extra, extra_pairs, n = _figures_not_in(text, packs[key])
        assert not extra and not extra_pairs, (key, sorted(extra)[:20], extra_pairs[:20])
        assert n > 10, key  # the numbers tables' "n of d", printed
        words = set(re.findall(r"[A-Za-z]{4,}", text))
        assert len(words - set(re.findall(r"[A-Za-z]{4,}", packs[key]))) <= 0.02 * len(words), key


def test_the_packs_show_no_small_count(packs, printed):
    """No "n of d" in any pack (HTML or printed) has n or d of 1 to 5."""
    for (year, area), text in [*packs.items(), *printed.items()]:
        for n, d in PAIR.findall(text):
            assert not small(n) and not small(d), (year, area, n, d)


def test_the_council_packs_have_the_iro_section_naming_no_iro(packs, printed):
    """Issue 15.2: the IRO annual report's figures on the pack's IRO page, with no IRO named."""
    for (year, area), text in [*packs.items(), *printed.items()]:
        assert not re.search(r"\bIRO\d{3}\b", text), (year, area)
        if area is None:
            assert "The IRO service in" in text and "full-time equivalent" in text, year
