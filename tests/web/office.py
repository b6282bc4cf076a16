"""The office: `careboard` commands run as separate processes on a tiny return of their own (test_web_serving.py,
test_web_panel_concurrent.py), and the loaded databases those tests start from (built once per run, conftest.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import careboard

SRC = str(Path(careboard.__file__).resolve().parents[1])
CLI = "import sys; from careboard.cli import app; sys.argv[0] = 'careboard'; app()"
OFFICE_LA = "886"  # the tiny return's authority, Kent


def careboard_cmd(*args, env: dict | None = None, input: str | None = None, timeout: float = 600):
    """Run ``careboard ARGS`` in a new process (this worktree's code); the CompletedProcess."""
    return subprocess.run([sys.executable, "-c", CLI, *map(str, args)], capture_output=True, text=True,
                          input=input, timeout=timeout, env={**os.environ, "PYTHONPATH": SRC, **(env or {})})


def _ok(result) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "Conflicting lock" not in result.stdout + result.stderr
    return result.stdout


def tiny_returns(folder: Path) -> Path:
    """Two years of a tiny hand-made SSDA903 return for Kent in ``folder``, a child in care in both: the folder
    holding a folder for each year.  Tests about processes sharing the database file need returns, not figures: a
    synthetic authority's releases took most of a minute to work out for each page, pack and load, these take
    seconds."""
    from builders import EPISODE_ROWS, HEADER_ROWS, REVIEW_ROWS, write_table

    out = folder / OFFICE_LA
    before, latest = out / "2024-25", out / "2025-26"
    before.mkdir(parents=True)
    latest.mkdir()
    # 2024-25: the first child came into care in June 2024 and was still looked after on 31 March 2025
    write_table(before, "Header", HEADER_ROWS[:1], year=2025)
    write_table(before, "Episodes", [EPISODE_ROWS[0] | {"DEC": "", "REC": ""}], year=2025)
    write_table(latest, "Header", HEADER_ROWS)
    write_table(latest, "Episodes", EPISODE_ROWS)
    write_table(latest, "Reviews", REVIEW_ROWS)
    return out


def copy_db(built: Path, to: Path) -> Path:
    """A copy of the closed database file ``built`` (a `careboard load`'s, never served: no web files) at ``to``, with
    the file's private mode; ``to``."""
    assert not built.with_name(built.name + ".wal").exists()  # closed: everything is in the file
    shutil.copy2(built, to)
    return to
