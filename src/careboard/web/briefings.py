"""Briefings and rendered page bodies, cached until the data changes.

Member pages are built only from publish/: :func:`careboard.publish.briefing.build_briefing`,
:func:`careboard.publish.sufficiency.build_sufficiency` and :func:`careboard.publish.quality.summary`,
which all take their figures from the authority's releases (:class:`careboard.publish.release.Releases`,
one disclosure-controlled release per year).  The releases are kept for the current data version
and shared by every page: a release takes a second or two to build (it audits every hidden count
with linear programming), once per year and data version.  Briefings (about a tenth of a second
more) and rendered page bodies are cached per (authority, year, area) and keyed by the data version
too: a load makes every cached entry stale at once.  The placement forecast (sufficiency) is cached
the same way, per (authority, year); neither its 500 futures (up to a second or two) nor the
sufficiency plan (seconds more) is worked out here: the refresh after each load stores both
(sufficiency/stored_forecast.py, sufficiency/stored_plan.py).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from starlette.concurrency import run_in_threadpool

from careboard.publish.briefing import Briefing, build_briefing
from careboard.publish.iro import IroSection, build_iro_section
from careboard.publish.missing_themes import MissingThemesView, build_missing_themes
from careboard.publish.release import Releases
from careboard.publish.sufficiency import SufficiencyView, build_sufficiency
from careboard.web.store import Store

if TYPE_CHECKING:
    from careboard.sufficiency.stored_plan import StoredPlan

MAX_ENTRIES = 64


class NoData(LookupError):
    """Nothing loaded for the authority and year asked for (or no such local area)."""


class _LRU:
    """A small thread-safe LRU cache that computes each missing key once, even under concurrent requests."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[tuple, object] = OrderedDict()
        self.lock = threading.Lock()
        self.key_locks: dict[tuple, threading.Lock] = {}

    def peek(self, key: tuple) -> object | None:
        """The cached value or None, without computing anything (the async fast path)."""
        with self.lock:
            return self.items.get(key)

    def get(self, key: tuple, make: Callable[[], object]) -> object:
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
            key_lock = self.key_locks.setdefault(key, threading.Lock())
        with key_lock:
            with self.lock:
                if key in self.items:
                    return self.items[key]
            try:
                value = make()
            finally:
                with self.lock:
                    self.key_locks.pop(key, None)
            with self.lock:
                self.items[key] = value
                while len(self.items) > self.size:
                    self.items.popitem(last=False)
            return value


class Briefings:
    """The briefing and page-body caches for one app."""

    def __init__(self, store: Store, targets_file: Path | None = None) -> None:
        self.store = store
        self.targets_file = targets_file
        self._briefings = _LRU(MAX_ENTRIES)
        self._pages = _LRU(MAX_ENTRIES * 4)
        self._years: dict[tuple[str, str], list[int]] = {}
        self._releases: dict[tuple[str, str], Releases] = {}
        self._releases_lock = threading.Lock()
        store.subscribe(self.clear)

    def clear(self) -> None:
        """Forget everything cached: the store switched to a newly published snapshot."""
        for lru in (self._briefings, self._pages):
            with lru.lock:
                lru.items.clear()
        self._years.clear()
        with self._releases_lock:
            self._releases.clear()

    def releases(self, la: str) -> Releases:
        """The authority's releases for the current data version (a new, empty set after each load)."""
        key = (la, self.store.version)
        with self._releases_lock:
            if key not in self._releases:
                self._releases = {k: v for k, v in self._releases.items() if k[0] != la}
                self._releases[key] = Releases(la)
            return self._releases[key]

    def years(self, la: str) -> list[int]:
        """Collection years with a current SSDA903 load for ``la``, newest first."""
        key = (la, self.store.version)
        if key not in self._years:
            with self.store.cursor() as cur:
                rows = cur.execute(
                    "SELECT DISTINCT year FROM current_loads WHERE la = ? AND kind = 'ssda903' "
                    "ORDER BY year DESC", [la]).fetchall()
            self._years[key] = [int(r[0]) for r in rows]
        return self._years[key]

    def year_or_latest(self, la: str, year: int | None) -> int:
        """The year asked for if loaded, else the latest; :class:`NoData` if nothing is loaded."""
        known = self.years(la)
        if not known:
            raise NoData("no return has been loaded for this council yet")
        if year is None:
            return known[0]
        if year not in known:
            raise NoData(f"no return is loaded for {year - 1}-{year % 100:02d}")
        return year

    def briefing(self, la: str, year: int, area: str | None = None) -> Briefing:
        """The disclosure-controlled briefing, built once per data version."""
        def make() -> Briefing:
            with self.store.cursor() as cur:
                try:
                    return build_briefing(cur, la, year, area=area, targets_file=self.targets_file,
                                          releases=self.releases(la))
                except ValueError as exc:  # no such local area
                    raise NoData(str(exc)) from None

        return self._briefings.get(("briefing", la, year, area, self.store.version), make)  # type: ignore[return-value]

    def sufficiency(self, la: str, year: int) -> SufficiencyView | None:
        """The disclosure-controlled placement forecast from 31 March of ``year``, built once per data version.

        None (cached too) when the loaded history is too short to forecast from that date.  The
        snapshot's care-history model, forecast and plan are always current (every load refreshes them
        before publishing), so this only reads.
        """
        def make() -> SufficiencyView | None:
            from careboard.sufficiency.stored_plan import StoredPlan

            plan = self.plan(la, year)
            if plan is None and self.capacity_loaded(la, year):
                # capacity loaded but no plan stored: the page says so (and how an analyst makes it)
                # rather than working one out for seconds
                plan = StoredPlan(la, year, None, {}, None, 0, 0)
            with self.store.cursor() as cur:
                return build_sufficiency(cur, la, year, releases=self.releases(la), plan=plan)

        return self._briefings.get(("sufficiency", la, year, self.store.version), make)  # type: ignore[return-value]

    def plan(self, la: str, year: int) -> StoredPlan | None:
        """The sufficiency plan from 31 March of ``year`` as the last load's refresh stored it
        (sufficiency/stored_plan.py): the members' page shows it controlled, commissioners download its
        tables.  Read, never worked out here (that takes seconds); None when none is stored."""
        def make() -> StoredPlan | bool:
            from careboard.sufficiency.stored_plan import read_plan

            with self.store.cursor() as cur:
                return read_plan(cur, la, year) or False

        found = self._briefings.get(("plan", la, year, self.store.version), make)
        return found or None  # type: ignore[return-value]

    def capacity_loaded(self, la: str, year: int) -> bool:
        """A capacity extract is loaded as at ``year`` or before (so a plan is due, stored or not)."""
        from careboard.sufficiency.stored import stored_extract_year

        with self.store.cursor() as cur:
            return stored_extract_year(cur, la, year) is not None

    def missing_themes(self, la: str, year: int) -> MissingThemesView | None:
        """The members' linked groups of children who go missing in ``year``, built once per data version."""
        def make() -> MissingThemesView | None:
            with self.store.cursor() as cur:
                return build_missing_themes(cur, la, year)

        return self._briefings.get(("missing_themes", la, year, self.store.version), make)  # type: ignore[return-value]

    def iro(self, la: str, year: int) -> IroSection | None:
        """The IRO annual report's figures for members (publish/iro.py), built once per data version."""
        def make() -> IroSection | None:
            with self.store.cursor() as cur:
                return build_iro_section(cur, self.briefing(la, year))
        return self._briefings.get(("iro", la, year, self.store.version), make)  # type: ignore[return-value]

    def page(self, name: str, key: tuple, render: Callable[[], object]) -> object:
        """A rendered page body (no user- or session-specific content), cached per data version."""
        return self._pages.get((name, *key, self.store.version), render)  # type: ignore[return-value]

    async def page_async(self, name: str, key: tuple, render: Callable[[], object]) -> object:
        """:meth:`page` for async routes: a cached page at once, otherwise built in a worker thread."""
        found = self._pages.peek((name, *key, self.store.version))
        if found is not None:
            return found
        return await run_in_threadpool(self.page, name, key, render)

    def areas(self, la: str, year: int) -> list[tuple[str, str]]:
        """The council's own local areas with figures in ``year``, as (code, name): the briefing's, from publish/."""
        return [(a.code, a.name) for a in self.briefing(la, year).areas]
