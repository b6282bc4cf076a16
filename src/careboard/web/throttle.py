"""Sign-in throttling: a bound on password-hash work per client and overall, and growing delays.

Each password check is an argon2id hash: about a quarter of a second of CPU on a small server, on
purpose.  Without a bound, anyone who can reach the sign-in page can spend the server's CPU (and
slow every member's page) by sending wrong passwords, or rotate usernames to dodge a per-username
count.  So, decided atomically under one lock before any hash is computed:

* **one check at a time per (username, client)**: a second concurrent attempt is refused at once;
* **growing delays**, not a lock-out: after :data:`FREE_FAILURES` failures for a username from one
  client, the next attempt from that client must wait 1 s, then 2, 4 ... up to :data:`MAX_DELAY`;
  a success resets it.  Nobody can lock a real user out from elsewhere, because the delay belongs
  to the (username, client) pair;
* **a token bucket per client** (:data:`CLIENT_BURST` checks, then one per
  1/:data:`CLIENT_RATE` s) and **one for the whole server** (:data:`GLOBAL_BURST`, then
  :data:`GLOBAL_RATE` a second), so rotating usernames or addresses buys no more hashing;
* **one hash at a time, at the lowest CPU priority**: every check runs on one worker thread whose
  scheduling priority is lowered (``nice`` 19, per thread on Linux; argon2's own helper threads
  inherit it), so when pages and password checks compete for the CPU the pages win; at most
  :data:`MAX_QUEUED` admitted checks wait for it, more are refused.

Refusals cost no hashing and say how long to wait.  The state is in memory: a restart forgets it
(the audit log keeps every attempt).  The client is the connecting address, or the address a
trusted reverse proxy reports (auth.client_ip).
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

FREE_FAILURES = 3
MAX_DELAY = 15 * 60.0
FORGET_AFTER = 60 * 60.0
CLIENT_BURST, CLIENT_RATE = 10.0, 0.2  # 10 at once, then one every 5 s
GLOBAL_BURST, GLOBAL_RATE = 20.0, 1.0  # 20 at once, then one a second, for everyone together
MAX_QUEUED = 4  # admitted password checks waiting for (or on) the hashing thread
MAX_TRACKED = 100_000  # (username, client) pairs and clients remembered; the oldest are forgotten


class Throttled(Exception):
    """A sign-in refused before any password check; ``retry_after`` in whole seconds."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = max(1, retry_after)


@dataclass
class _Bucket:
    tokens: float
    at: float


@dataclass
class _Failures:
    count: int = 0
    last: float = 0.0
    busy: bool = False

    def delay(self) -> float:
        if self.count < FREE_FAILURES:
            return 0.0
        return min(2.0 ** (self.count - FREE_FAILURES), MAX_DELAY)


class SignInThrottle:
    """The admission decision for every password check; thread-safe."""

    def __init__(self, client_burst: float = CLIENT_BURST, client_rate: float = CLIENT_RATE,
                 global_burst: float = GLOBAL_BURST, global_rate: float = GLOBAL_RATE) -> None:
        self.client_burst, self.client_rate = client_burst, client_rate
        self.global_burst, self.global_rate = global_burst, global_rate
        self._lock = threading.Lock()
        self._pairs: OrderedDict[tuple[str, str], _Failures] = OrderedDict()
        self._clients: OrderedDict[str, _Bucket] = OrderedDict()
        self._global = _Bucket(global_burst, time.monotonic())
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="careboard-password",
                                        initializer=_lowest_priority)
        self._queued = 0
        self.checks = 0  # password checks admitted (for tests and the benchmark)

    @staticmethod
    def _take(bucket: _Bucket, burst: float, rate: float, now: float) -> float:
        """Take one token; 0 if taken, else seconds until one is there (nothing taken)."""
        bucket.tokens = min(burst, bucket.tokens + (now - bucket.at) * rate)
        bucket.at = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return 0.0
        return (1 - bucket.tokens) / rate

    def admit(self, username_key: str, client: str) -> None:
        """Reserve one password check for ``username_key`` from ``client``, or raise :class:`Throttled`."""
        now = time.monotonic()
        pair = (username_key, client)
        with self._lock:
            f = self._pairs.get(pair)
            if f is not None and now - f.last > max(FORGET_AFTER, 2 * f.delay()) and not f.busy:
                f.count = 0
            if f is not None and f.busy:
                raise Throttled("A sign-in with this username is already being checked. Wait a moment and try again",
                                1)
            if f is not None:
                wait = f.last + f.delay() - now
                if wait > 0:
                    raise Throttled("Too many failed attempts to sign in with this username. "
                                    f"Wait {_words(wait)} and try again", int(wait + 0.999))
            bucket = self._clients.get(client)
            if bucket is None:
                bucket = self._clients[client] = _Bucket(self.client_burst, now)
            self._clients.move_to_end(client)
            wait = self._take(bucket, self.client_burst, self.client_rate, now)
            if wait > 0:
                raise Throttled(f"Too many attempts to sign in from your address. Wait {_words(wait)} and try again",
                                int(wait + 0.999))
            wait = self._take(self._global, self.global_burst, self.global_rate, now)
            if wait > 0:
                bucket.tokens = min(self.client_burst, bucket.tokens + 1)  # not this client's fault: give it back
                raise Throttled("Too many people are trying to sign in at the moment. "
                                f"Wait {_words(wait)} and try again", int(wait + 0.999))
            if f is None:
                f = self._pairs[pair] = _Failures()
            self._pairs.move_to_end(pair)
            f.busy = True
            self.checks += 1
            self._forget()

    def done(self, username_key: str, client: str, ok: bool, checked: bool = True) -> None:
        """The check reserved by :meth:`admit` is over: a failure lengthens the delay, a success clears it.

        ``checked`` False: the password was never checked (the server was too busy), which counts for nothing.
        """
        with self._lock:
            f = self._pairs.get((username_key, client))
            if f is None:
                return
            f.busy = False
            if not checked:
                return
            if ok:
                del self._pairs[(username_key, client)]
            else:
                f.count += 1
                f.last = time.monotonic()

    def run(self, check: Callable[[], T]) -> T:
        """Run one admitted password check on the hashing thread and wait for its answer."""
        with self._lock:
            if self._queued >= MAX_QUEUED:
                raise Throttled("Too many people are trying to sign in at the moment. Wait a few seconds and try "
                                "again", 5)
            self._queued += 1
        try:
            return self._pool.submit(check).result()
        finally:
            with self._lock:
                self._queued -= 1

    def _forget(self) -> None:
        while len(self._pairs) > MAX_TRACKED:
            self._pairs.popitem(last=False)
        while len(self._clients) > MAX_TRACKED:
            self._clients.popitem(last=False)


def _words(seconds: float) -> str:
    s = max(1, int(seconds + 0.999))
    if s < 90:
        return f"{s} second{'s' if s != 1 else ''}"
    m = (s + 59) // 60
    return f"{m} minutes"


def _lowest_priority() -> None:
    """Lower this thread's CPU priority (Linux schedules threads individually; elsewhere, no effect)."""
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
