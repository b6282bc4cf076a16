"""The one error disclosure control raises when it cannot prove what a reader can work out.

Kept apart from ``cells.py`` (which imports SciPy) so that the command line can name it in an ``except`` without
paying for SciPy's import on every load.
"""


class AuditError(RuntimeError):
    """The audit could not prove what a reader can work out (the solver failed on counts that have a solution):
    nothing may be published on it."""


def message(exc: AuditError) -> str:
    """What a command says when a refresh stopped on ``exc``: the returns are loaded, nothing new is published."""
    return (f"the returns are loaded, but disclosure control could not finish, so no new figures were published "
            f"({exc}); please report this")
