"""What a member can see: every member page, crawled, shows no small count and no child identifier;
every analyst page and download is refused with 403."""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from lxml import html as lxml_html
from webhelpers import api_routes, csrf_token, http_client

from careboard.measures.measure import all_measures
from careboard.publish.disclosure import SMALL_MAX

SKIP = re.compile(r"^/(logout|assets/|static/)|\.pdf")
INTEGER = re.compile(r"^\d[\d,]*$")
COUNTED = re.compile(r"^([\d,]+) of ([\d,]+)$")


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
              for p in ("/scorecard", "/briefing", "/areas", "/sufficiency")]
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
                m = COUNTED.match(c)
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
    """No child-level data on it, so one page for every role: the same main content as the member's."""
    def main(text: str) -> str:
        return lxml_html.tostring(lxml_html.fromstring(text).xpath("//main")[0], encoding="unicode")

    for role in ("analyst", "admin"):
        client = http_client(base_url, role)
        try:
            r = client.get("/sufficiency")
            assert r.status_code == 200
            assert main(r.text) == main(member_site["/sufficiency"]), role
        finally:
            client.close()


def test_suppression_is_visible_where_it_happens(member_site):
    """The crawl is not vacuous: small cells exist in this authority and show as 'c'."""
    assert any('<abbr class="cb-marker" title="confidential' in text for text in member_site.values())


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
