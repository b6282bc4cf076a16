"""Shared fixtures: small hand-built 903 CSV sets and the real-format samples kept in tests/data."""

from __future__ import annotations

from pathlib import Path

import pytest

from builders import EPISODE_ROWS, HEADER_ROWS, REVIEW_ROWS, write_table
from sample_files import SAMPLES

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def samples() -> Path:
    assert SAMPLES.is_dir(), f"sample folder missing from the repository: {SAMPLES}"
    return SAMPLES


@pytest.fixture
def small_set(tmp_path: Path) -> Path:
    """A tiny valid 2025-26 return for Kent in a folder named like an analyst would."""
    folder = tmp_path / "886" / "2025-26"
    folder.mkdir(parents=True)
    write_table(folder, "Header", HEADER_ROWS)
    write_table(folder, "Episodes", EPISODE_ROWS)
    write_table(folder, "Reviews", REVIEW_ROWS)
    return folder


# How `python -m pytest` spreads the tests over the workers (pytest-xdist, `--dist loadgroup`).  Each group
# runs on one worker, so a fixture shared by its tests is built once: every test module is a group of its
# own, and the folders whose session fixtures several modules share (the synthetic authorities of the publish
# and synth tests) are one group each.  The web tests are two groups, so both workers can run them: the
# member-disclosure crawl (every member page and PDF pack, attacked) and the rest; each builds the shared
# synthetic authority once.  Workers take groups in the order below (the longest first, so that no long group
# starts last and leaves the other core idle; pytest-xdist's own order is by number of tests, which put the
# few slow web modules last); the rest follow in collection order.
SHARED_FOLDERS = ("web", "publish", "synth")
GROUPS = {"tests/web/test_web_member_disclosure.py": "web-disclosure-crawl"}
LONGEST_FIRST = (
    "web-disclosure-crawl",
    "web",
    "publish",
    "tests/test_cli.py",
    "synth",
    "tests/model/test_local_areas.py",
    "tests/sufficiency/test_end_to_end.py",
    "tests/validate/test_cin_validate_cli.py",
    "tests/test_refresh.py",
    "tests/validate/test_validate_runner.py",
)


def _group(item: pytest.Item) -> str:
    path = Path(str(item.path)).resolve().relative_to(REPO)
    if path.as_posix() in GROUPS:
        return GROUPS[path.as_posix()]
    if len(path.parts) > 2 and path.parts[1] in SHARED_FOLDERS:
        return path.parts[1]
    return path.as_posix()


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist's own hook reads the marks
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    rank = {g: i for i, g in enumerate(LONGEST_FIRST)}
    for item in items:
        if item.get_closest_marker("xdist_group") is None:
            item.add_marker(pytest.mark.xdist_group(_group(item)))
    items.sort(key=lambda item: rank.get(_group(item), len(rank)))
