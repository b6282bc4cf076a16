"""The sign-in throttle's decisions, one by one (the app-level behaviour is in test_web_signin.py)."""

from __future__ import annotations

import os
import threading

import pytest

from careboard.web import throttle as th
from careboard.web.throttle import FREE_FAILURES, SignInThrottle, Throttled


def _fail(t: SignInThrottle, key: str = "k", client: str = "c") -> None:
    t.admit(key, client)
    t.done(key, client, ok=False)


def test_delays_grow_after_the_free_failures_and_a_success_clears_them(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(th.time, "monotonic", lambda: now[0])
    t = SignInThrottle()
    for _ in range(FREE_FAILURES):
        _fail(t)
    waits = []
    for _ in range(4):
        with pytest.raises(Throttled) as refused:
            t.admit("k", "c")
        waits.append(refused.value.retry_after)
        now[0] += refused.value.retry_after
        _fail(t)
    assert waits == [1, 2, 4, 8]
    assert t.checks == FREE_FAILURES + 4
    now[0] += 16
    t.admit("k", "c")
    t.done("k", "c", ok=True)
    t.admit("k", "c")  # cleared: no delay
    t.done("k", "c", ok=True)
    t.admit("k", "other-client")  # and another client was never delayed
    t.done("k", "other-client", ok=True)


def test_one_check_at_a_time_per_username_and_client():
    t = SignInThrottle()
    t.admit("k", "c")
    with pytest.raises(Throttled, match="already being checked"):
        t.admit("k", "c")
    t.admit("k", "elsewhere")  # another client is not held up
    t.done("k", "c", ok=False)
    t.admit("k", "c")


def test_an_attempt_the_server_was_too_busy_to_check_counts_for_nothing(monkeypatch):
    monkeypatch.setattr(th.time, "monotonic", lambda: 5000.0)
    t = SignInThrottle()
    for _ in range(FREE_FAILURES + 3):
        t.admit("k", "c")
        t.done("k", "c", ok=False, checked=False)
    t.admit("k", "c")  # no delay built up


def test_the_client_and_global_buckets(monkeypatch):
    monkeypatch.setattr(th.time, "monotonic", lambda: 9000.0)
    t = SignInThrottle(client_burst=3, client_rate=0.5, global_burst=5, global_rate=0.1)
    for i in range(3):
        t.admit(f"user{i}", "one-client")
    with pytest.raises(Throttled, match="from your address") as refused:
        t.admit("user9", "one-client")
    assert refused.value.retry_after == 2  # one token at 0.5 a second
    t.admit("a", "second")
    t.admit("b", "third")
    with pytest.raises(Throttled, match="Too many people") as refused:
        t.admit("c", "fourth")
    assert refused.value.retry_after == 10
    assert t.checks == 5


def test_checks_run_one_at_a_time_at_the_lowest_priority_and_the_queue_is_bounded():
    t = SignInThrottle()
    assert t.run(lambda: threading.current_thread().name).startswith("careboard-password")
    if hasattr(os, "getpriority"):
        assert t.run(lambda: os.getpriority(os.PRIO_PROCESS, threading.get_native_id())) == 19
    gate, started = threading.Event(), threading.Event()
    results: list[object] = []

    def slow() -> int:
        started.set()
        gate.wait(10)
        return 1

    def call() -> None:
        try:
            results.append(t.run(slow))
        except Throttled as exc:
            results.append(exc)

    threads = [threading.Thread(target=call) for _ in range(th.MAX_QUEUED)]
    for x in threads:
        x.start()
    started.wait(10)
    while t._queued < th.MAX_QUEUED:  # every caller is queued or running
        threading.Event().wait(0.01)
    with pytest.raises(Throttled, match="Too many people"):
        t.run(lambda: 2)
    gate.set()
    for x in threads:
        x.join()
    assert results == [1] * th.MAX_QUEUED
