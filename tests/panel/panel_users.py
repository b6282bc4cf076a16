"""A web database with the Panel's users, made once per test module and copied for each test.

Adding a user hashes its password (slow on purpose), so a module makes its users once with
:func:`web_with_users` and each test writes to its own copy, opened by :func:`private_copy`.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from careboard.store.webdb import WebDB
from careboard.web.auth import add_user

PASSWORD = "a long test password"
NAME = "c.web.sqlite"


def web_with_users(folder: Path, users: Iterable[tuple[str, str]]) -> Path:
    """``folder`` holding a web database with each (username, role) added; returns ``folder``."""
    web = WebDB(folder / NAME)
    for name, role in users:
        add_user(web, name, PASSWORD, role)
    web.close()
    return folder


@contextmanager
def private_copy(folder: Path, to: Path) -> Iterator[WebDB]:
    """The web database of ``folder`` copied into ``to`` and opened (closed on leaving)."""
    for f in folder.iterdir():
        shutil.copyfile(f, to / f.name)
    web = WebDB(to / NAME)
    try:
        yield web
    finally:
        web.close()
