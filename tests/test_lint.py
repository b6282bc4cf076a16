"""The code base stays ruff-clean (part of the README's one test command)."""

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def test_ruff_clean():
    ruff = shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff not installed (pip install -e '.[test]')")
    result = subprocess.run([ruff, "check", "src", "tests", "bench"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_catalogue_names_one_idea():
    """'catalogue' is the measure catalogue only (issue 17.5): rule lists and loaded returns have their own names."""
    from pathlib import Path

    src = Path(__file__).resolve().parents[1] / "src" / "careboard"
    named = sorted(str(p.relative_to(src)) for p in src.rglob("*catalogue*"))
    assert named == ["measures/catalogue"]
