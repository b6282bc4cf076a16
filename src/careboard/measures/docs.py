"""Write docs/measures.md from the catalogue, so the documentation is the definition.

    python -m careboard.measures.docs > docs/measures.md

A test fails when docs/measures.md differs from what this prints.
"""

from __future__ import annotations

from careboard.measures import themes
from careboard.measures.measure import BREAKDOWNS, all_measures
from careboard.measures.published_only import ELSEWHERE, NOT_SHOWN, published_only

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
every children-looked-after LAIT code with the measure that computes it, or why it cannot be computed;
the section after it, the published-only rows: LAIT's education outcomes of children looked after and
children in need, which careboard shows as the DfE published them.
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
    parts.append(_published_only_section())
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
    shown = {u.lait_code: u.id for u in published_only().values()}
    for code, _topic, title, measure, reason in rows:
        what = f"`{measure}`" if measure else f"not computed: {reason}" if reason else "not computed (no reason given)"
        if code in shown:
            what += f"; shown as the published-only row `{shown[code]}`"
        lines.append(f"| `{code}` | {title} | {what} |\n")
    return "".join(lines)


def _published_only_section() -> str:
    """The published-only rows (measures/published_only.py), and the education codes not shown, with why."""
    units = list(published_only().values())
    lines = [
        "\n## Published-only rows: outcomes the DfE publishes\n",
        "\nMembers need education outcomes beside the care figures. The DfE works them out by matching the National "
        "Pupil Database to the SSDA903 and the CIN census, which a council's returns cannot do, and publishes them in "
        "*Outcomes for children in need, including children looked after by local authorities in England* and "
        "LAIT. careboard shows the council's figure as LAIT publishes it, marked **published only** with the year "
        "the DfE published it and the academic year it is for, in the theme named below (on the web scorecard, "
        "the measure pages, the pack, and `careboard scorecard`, whose CSV and JSON say `source` = "
        "`published only` and `published`). England, the region, the statistical neighbours' average, the "
        "quartile band, rank and trend are worked out exactly as for a computed measure "
        "(`benchmark/compare.sql`), from the same LAIT data: the figure is LAIT's latest year up to the "
        "scorecard's year (LAIT numbers an academic year by the year it ends: 2025 is 2024/25, whose cohort is "
        "the children looked after or in need at 31 March 2025); the trend compares it with the academic year "
        "before. The DfE publishes attainment, absence and special educational needs in the spring after the "
        "academic year, and suspensions a year later (collected two terms in arrears). Polarity is LAIT's: "
        "more absence or more suspensions is worse; the share with a plan or SEN support is neither good nor "
        "bad, so it has no band or rank. These figures are public already and pass no disclosure control "
        "(docs/disclosure.md). They are not in the page-1 summary of changes, which is about the council's "
        "own figures. They join the existing *Education and outcomes* theme, beside the council's own figures "
        "for convictions and substance misuse and straight after *Health*, so that members read health, "
        "education and justice outcomes together; a theme of their own would have split them.\n",
        "\n| row | LAIT code | DfE wording (LAIT) | unit | polarity | published to | published | theme |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- |\n",
    ]
    for u in units:
        when = ("the spring after the academic year" if u.published_lag == 1
                else "a year later than the others (collected two terms in arrears)")
        lines.append(f"| {u.title} (`{u.id}`) | `{u.lait_code}` | {u.dfe_wording} | {u.unit} | "
                     f"{u.polarity or 'neither'} | {u.precision} dp | {when} | {u.theme} |\n")
    lines.append("\nThe other education codes of LAIT's 'Children Looked After' and 'Children in Need' topics, and why "
                 "they are not shown:\n\n| LAIT code | why not shown |\n| --- | --- |\n")
    for code, why in NOT_SHOWN.items():
        lines.append(f"| `{code}` | {why} |\n")
    lines.append("\nAlso asked for, and where it is:\n\n")
    lines += [f"* {text}\n" for text in ELSEWHERE]
    return "".join(lines)


if __name__ == "__main__":
    print(render(), end="")
