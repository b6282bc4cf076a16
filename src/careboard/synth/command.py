"""`careboard synth`: placeholder until the generator lands."""

import typer


def synth(out: str = typer.Argument(..., help="Folder to write the returns into")) -> None:
    """Generate a synthetic authority's returns."""
    raise typer.Exit(code=2)
