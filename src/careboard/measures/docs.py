"""Write docs/measures.md from the catalogue, so the documentation is the definition.

    python -m careboard.measures.docs > docs/measures.md

A test fails when docs/measures.md differs from what this prints.
"""

from __future__ import annotations

from careboard.measures import themes
from careboard.measures.measure import BREAKDOWNS, all_measures

HEADER = """# Scorecard measures

Generated from the measure catalogue (`src/careboard/measures/catalogue/`) by
`python -m careboard.measures.docs`; do not edit by hand.

Every measure is computed for every authority and year in the database, in one pass, from the care
histories in `model/` (stitched episodes, periods of care, placements), or, for children in need and
child protection, from each year's CIN census. Short breaks (legal status V3/V4) are set aside, as
in every DfE figure. Years are named by the 31 March they end on.
Polarity says which direction is good ("high", "low" or neither); benchmarks come from the DfE's
Local Authority Interactive Tool (LAIT) where a LAIT code is given, and ranks and quartile bands follow
LAIT's own method among every English authority, careboard's figure rounded to the precision LAIT
publishes the measure to (docs/architecture.md, "Measures and benchmarks"). The last section lists
every children-looked-after LAIT code with the measure that computes it, or why it cannot be computed.
"""


def render() -> str:
    parts = [HEADER]
    theme = None
    for m in sorted(all_measures().values(), key=lambda m: themes.order(m.theme)):  # the Panel's themes, in order
        if m.theme != theme:
            theme = m.theme
            parts.append(f"\n## {theme}\n")
            declared = themes.theme(theme)
            if declared:
                parts.append(f"\n{declared.meaning}\n")
        breakdowns = ", ".join(BREAKDOWNS[b].lower() for b in m.breakdowns) or "none (authority level only)"
        parts.append(f"\n### {m.title} (`{m.id}`)\n")
        parts.append(f"\n{m.sentence}\n")
        parts.append(f"\n* **DfE definition:** {m.definition}")
        parts.append(f"\n* **Unit:** {m.unit}; **polarity:** {m.polarity or 'neither'}; "
                     f"**LAIT code:** {('`' + m.lait_code + '`') if m.lait_code else 'none published'}")
        parts.append(f"\n* **Breakdowns:** {breakdowns}; **smallest publishable cohort:** {m.min_cohort}")
        if m.notes:
            parts.append(f"\n* **careboard's choices:** {m.notes}")
        if m.example:
            parts.append(f"\n* **Worked example:** {m.example}")
        parts.append("\n")
    parts.append(_lait_section())
    return "".join(parts)


def _lait_section() -> str:
    """Every children-looked-after and adoption LAIT code: the measure that computes it, or why not."""
    from careboard.measures.lait_coverage import TOPICS, coverage

    rows = coverage()
    computed = sum(1 for r in rows if r[3])
    lines = [
        "\n## LAIT codes: what careboard computes\n",
        f"\nEvery code of LAIT's {' and '.join(repr(t) for t in TOPICS)} topics in the vendored lookup "
        f"(`reference/data/lait_measures.csv`): {computed} of {len(rows)} are computed from the returns, each "
        "with a headline row and its benchmark; the others need data the returns do not hold.\n",
        "\n| LAIT code | LAIT title | careboard measure, or why not |\n| --- | --- | --- |\n",
    ]
    for code, _topic, title, measure, reason in rows:
        what = f"`{measure}`" if measure else f"not computed: {reason}" if reason else "not computed (no reason given)"
        lines.append(f"| `{code}` | {title} | {what} |\n")
    return "".join(lines)


if __name__ == "__main__":
    print(render(), end="")
