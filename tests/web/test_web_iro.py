"""Issue 15.2: the IRO service for members (aggregates from the release) and for managers (child-level,
analysts only, audited), on the shared web fixture (which loads the synthetic IRO extract)."""

from __future__ import annotations

import re

import pytest
from lxml import html as lxml_html
from webhelpers import YEARS, http_client

from careboard.publish.disclosure import SMALL_MAX

IRO_ID = re.compile(r"\bIRO\d{3}\b")  # how the synthetic extract names its IROs
COUNTED = re.compile(r"([\d,]+) of ([\d,]+) [a-z]+")


@pytest.fixture(scope="module")
def member_pages(base_url) -> dict[int, str]:
    client = http_client(base_url, "member")
    try:
        pages = {}
        for year in YEARS:
            r = client.get(f"/iro?year={year}")
            assert r.status_code == 200, (year, r.status_code)
            pages[year] = r.text
        return pages
    finally:
        client.close()


def test_a_member_cannot_reach_the_managers_view(base_url):
    client = http_client(base_url, "member")
    try:
        r = client.get("/oversight/iro")
        assert r.status_code == 403 and not IRO_ID.search(r.text)
        assert "/oversight/iro" not in client.get("/iro").text  # not even a link to it
    finally:
        client.close()


def test_the_member_page_never_shows_a_count_of_one_to_five(member_pages):
    """Every count on the page (each measure's figure and each "n of d" under a share) is 0, 6 or more, or c;
    and there is something to check: the theme's measures are shown every year, with counts."""
    problems, counts, hidden = [], 0, 0
    for year, text in member_pages.items():
        main = lxml_html.fromstring(text).xpath("//main")[0]
        cells = main.xpath(".//td[@data-measure]")
        assert {c.get("data-measure") for c in cells} >= {"iro_caseload_per_fte", "iro_changed_in_year",
                                                          "iro_reviews_on_time"}, year
        for cell in cells:
            value = cell.xpath("string(text())").strip() or cell.text_content().strip()
            hidden += value.startswith("c")
            if cell.get("data-measure") == "iro_unallocated" and value.isdigit() and 0 < int(value) <= SMALL_MAX:
                problems.append((year, "iro_unallocated", value))
            for found in COUNTED.finditer(cell.text_content()):
                for n in found.groups():
                    counts += 1
                    if 0 < int(n.replace(",", "")) <= SMALL_MAX:
                        problems.append((year, cell.get("data-measure"), found.group(0)))
    assert not problems, problems
    assert counts >= 10


def test_the_member_page_names_no_iro_and_no_child(member_pages, fixture_db):
    for year, text in member_pages.items():
        main = lxml_html.fromstring(text).xpath("//main")[0].text_content()
        assert not IRO_ID.search(main), year
        words = set(re.findall(r"\b\w+\b", main))
        assert not (words & fixture_db.children), (year, sorted(words & fixture_db.children)[:5])
        assert "The IRO service in" in main and "full-time equivalent" in main  # the annual report's figures


def test_the_managers_view_names_iros_and_children_and_is_recorded(base_url, fixture_db):
    from careboard.store.webdb import WebDB, path_for

    client = http_client(base_url, "analyst")
    try:
        r = client.get("/oversight/iro?year=2026&on=2026-01-31")
        assert r.status_code == 200
        doc = lxml_html.fromstring(r.text)
        assert len(doc.xpath("//table[contains(@class, 'cb-iro-caseloads')]/tbody/tr")) >= 2
        assert IRO_ID.search(r.text)
        overdue = doc.xpath("//table[contains(@class, 'cb-iro-overdue')]/tbody/tr/th/text()")
        assert set(overdue) <= fixture_db.children
        assert "IRO caseloads on 31 January 2026" in r.text
        assert client.get("/iro").text.count("/oversight/iro") == 1  # analysts are offered the view
    finally:
        client.close()
    web = WebDB(path_for(fixture_db.db), read_only=True)
    try:
        events = web.audit(user="analyst", action="child_view", limit=500).events
    finally:
        web.close()
    assert any("IRO service" in e["detail"] and "2026-01-31" in e["detail"] for e in events)


@pytest.mark.parametrize(("on", "status", "why"), [
    ("not-a-date", 400, "is not a date"),
    ("2026-02-30", 400, "is not a date"),
    ("2019-06-01", 422, "is outside the years loaded"),  # a real date, before the first year loaded
    ("<b>2026</b>", 400, "is not a date"),
])
def test_a_bad_caseloads_on_date_gives_the_page_with_an_error_summary(base_url, on, status, why):
    """Issue 15: a date that cannot be read, or lies outside the years loaded, is named in a GOV.UK error summary
    linked to the field, with the form expected; the page shows 31 March of the year meanwhile (not a 404)."""
    client = http_client(base_url, "analyst")
    try:
        r = client.get("/oversight/iro", params={"year": 2026, "on": on})
    finally:
        client.close()
    assert r.status_code == status
    doc = lxml_html.fromstring(r.text)
    summary = doc.xpath("//div[contains(concat(' ', @class, ' '), ' govuk-error-summary ')]")
    assert len(summary) == 1
    link = summary[0].xpath(".//ul[contains(@class, 'govuk-error-summary__list')]//a")
    assert [a.get("href") for a in link] == ["#on"]
    message = link[0].text_content()
    assert f"\u2018{on}\u2019 {why}" in message
    assert "\u2018Caseloads on\u2019 as YYYY-MM-DD, from 2023-04-01 to 2026-03-31" in message
    field = doc.get_element_by_id("on")
    assert field.get("value") == on and "govuk-input--error" in field.get("class")
    assert field.get("aria-describedby") == "on-error" and why in doc.get_element_by_id("on-error").text_content()
    assert doc.xpath("string(//title)").startswith("Error: ")
    assert "IRO caseloads on 31 March 2026" in r.text and IRO_ID.search(r.text)  # the year's figures meanwhile
    assert "<b>2026</b>" not in r.text  # what was typed is shown as text, never as markup
