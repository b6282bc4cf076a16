"""How a long-running stage says what it is doing, without knowing who (if anyone) is watching.

Stages (reading returns, storing them, building the model, computing measures, validating) take an
optional ``progress`` argument and call ``begin`` when a piece of work starts and ``advance`` as it
goes.  They never import a terminal library: the command line passes a Rich progress bar when
standard error is a terminal (``careboard.console.progress``), the web app and tests pass nothing
and get ``SILENT``.
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """Receives progress reports from a stage."""

    def begin(self, description: str, total: float | None = None) -> None:
        """A new piece of work starts (replacing the previous one): ``total`` units if countable."""

    def advance(self, amount: float = 1, description: str | None = None) -> None:
        """``amount`` more units of the current piece are done; ``description`` says what is done now."""


class _Silent:
    """Progress that goes nowhere: the default for every stage."""

    def begin(self, description: str, total: float | None = None) -> None:
        pass

    def advance(self, amount: float = 1, description: str | None = None) -> None:
        pass


SILENT: Progress = _Silent()
