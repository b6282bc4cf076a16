"""The terminal scorecard shows every comparator in the value's own unit: a percentage measure reads
"7.4%  10.0%", never "7.4%  10.0", which a member could take for unlike figures."""

from __future__ import annotations

from rich.console import Console

from careboard.benchmark.compare import scorecard_units
from careboard.publish.scorecard_output import scorecard_table


def _row(measure: str, value: float, england: float | None) -> dict:
    return {"measure": measure, "breakdown": "all", "value": value, "england": england, "sn_mean": england,
            "best_quartile": england, "quartile_band": None, "rank": None, "ranked_of": None, "trend": None}


def test_a_percentage_measure_shows_per_cent_on_its_comparators_and_a_count_does_not():
    units = scorecard_units()
    pct = next(mid for mid, m in units.items() if m.unit == "%" and not mid.startswith("pub_"))
    count = next(mid for mid, m in units.items() if m.unit == "number")
    console = Console(width=400, record=True)
    console.print(scorecard_table([_row(pct, 7.4, 10.0), _row(count, 417, 81770), _row(pct, 7.4, None)], "886", 2026))
    lines = console.export_text().splitlines()
    pct_line = next(ln for ln in lines if units[pct].title[:25] in ln and "10.0" in ln)
    assert pct_line.count("10.0%") == 3 and "7.4%" in pct_line  # England, neighbours, best quarter
    count_line = next(ln for ln in lines if "81,770" in ln)
    assert "%" not in count_line.replace(units[count].title, "")
    assert any(units[pct].title[:25] in ln and "-%" not in ln and " - " in ln for ln in lines)  # none: a dash
