"""Charts are well-formed, accessible SVG whose text states the numbers drawn."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from careboard.publish import charts

NS = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> tuple[ET.Element, str, str]:
    root = ET.fromstring(svg)
    assert root.tag == f"{NS}svg" and root.get("role") == "img"
    title, desc = root.find(f"{NS}title"), root.find(f"{NS}desc")
    assert title is not None and desc is not None and title.text and desc.text
    labelled = root.get("aria-labelledby", "").split()
    assert labelled == [title.get("id"), desc.get("id")]
    return root, title.text, desc.text


SERIES = [(2022, 10.0), (2023, "c"), (2024, 12.5), (2025, 9.1)]


def test_sparkline():
    _, title, desc = parse(charts.sparkline(SERIES, "%", "Moves: trend"))
    assert title == "Moves: trend"
    assert "2021-22: 10.0%" in desc and "2022-23: c" in desc and "2024-25: 9.1%" in desc


def test_trend_chart_breaks_the_line_at_hidden_values_and_labels_lines():
    svg = charts.trend_chart([("Kent", SERIES), ("England", [(2022, 11.0), (2024, 10.0)]),
                              ("Neighbours", [(2022, 10.5), (2025, 10.2)])], "%", "Moves over time")
    root, _, desc = parse(svg)
    assert "Kent: 2021-22: 10.0%" in desc and "England: 2021-22: 11.0%" in desc
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert "Kent: 9.1%" in texts and "England: 10.0%" in texts and "Neighbours: 10.2%" in texts
    ours = [p for p in root.iter(f"{NS}path") if p.get("stroke") == charts.OURS]
    assert len(ours) == 2  # one run before and one after the hidden year
    dashes = {p.get("stroke-dasharray") for p in root.iter(f"{NS}path")}
    assert len(dashes) == 3  # told apart by line style, not only colour


def test_bar_chart_shows_c_and_no_bar_for_hidden_values():
    root, _, desc = parse(charts.bar_chart([("Ashford", "c"), ("Dover", 24.0), ("Thanet", 31.5)], "%",
                                           "By area", highlight="Dover"))
    assert desc == "Ashford: c; Dover: 24.0%; Thanet: 31.5%."
    assert len(list(root.iter(f"{NS}rect"))) == 2
    assert "c" in [t.text for t in root.iter(f"{NS}text")]


@pytest.mark.parametrize("polarity", ["high", "low"])
def test_benchmark_strip(polarity):
    root, _, desc = parse(charts.benchmark_strip(55.1, "%", polarity, "Where we stand", ours_label="Kent",
                                                 others=[("England", 69.0), ("Neighbours' average", 68.4)],
                                                 best_quartile=72.0))
    assert "Kent: 55.1%" in desc and "England: 69.0%" in desc and "Neighbours' average: 68.4%" in desc
    assert "best quarter of councils in England: 72.0%" in desc
    texts = " ".join(t.text or "" for t in root.iter(f"{NS}text"))
    assert "best quarter" in texts


def test_escaping_and_empty_input():
    parse(charts.bar_chart([("<Area & Co>", 5.0)], "number", 'A "quoted" <title>'))
    parse(charts.trend_chart([("Kent", [(2024, None)])], "%", "Nothing"))
    parse(charts.benchmark_strip("c", "%", "high", "Hidden"))


def test_colours_are_from_the_accessible_palette():
    svg = charts.trend_chart([("Kent", SERIES), ("England", SERIES)], "%", "t") + charts.benchmark_strip(
        1.0, "%", "high", "t", others=[("England", 2.0)], best_quartile=3.0)
    allowed = {charts.OURS, charts.ENGLAND, charts.NEIGHBOURS, charts.BEST, charts.BEST_FILL, charts.GRID, charts.TEXT,
               "none"}
    import re

    used = set(re.findall(r'(?:fill|stroke)="([^"]+)"', svg))
    assert used <= allowed
