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
# runs on one worker, so a fixture shared by its tests is built once.  Every test module is a group of its
# own, except modules that share session fixtures: the publish modules using the small synthetic authority
# (publish/conftest.py) are one group, the synth tests one, and the web tests two of about equal length
# (measured on the whole suite): the member-disclosure crawl with the Panel's browser tests, and the rest.
# The web tests' synthetic authority is built once per run by the first worker to need it and copied by the
# others (tests/web/conftest.py), so the second web group comes after the publish group: the other worker
# builds the publish group's authority meanwhile instead of waiting.  Workers take groups in the order below
# (the longest first, so that no long group starts last and leaves the other core idle; pytest-xdist's own
# order is by number of tests, which put the few slow web modules last); the rest follow in collection order.
SHARED_FOLDERS = ("web", "synth")
GROUPS = {
    "tests/web/test_web_member_disclosure.py": "web-disclosure-crawl",
    "tests/web/test_web_panel_browser.py": "web-disclosure-crawl",
    "tests/publish/test_cohorts.py": "publish-small-authority",
    "tests/publish/test_pack.py": "publish-small-authority",
    "tests/publish/test_release.py": "publish-small-authority",
    "tests/publish/test_stored_release.py": "publish-small-authority",
}
LONGEST_FIRST = (
    "web-disclosure-crawl",
    "publish-small-authority",  # second: the web groups share one database, built by the first to need it
    "web",
    "tests/publish/test_sufficiency_section.py",
    "tests/test_cli.py",
    "tests/test_load_safety.py",
    "tests/sufficiency/test_end_to_end.py",
    "synth",
    "tests/validate/test_validate_runner.py",
    "tests/model/test_local_areas.py",
    "tests/validate/test_cin_validate_cli.py",
    "tests/test_refresh.py",
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
