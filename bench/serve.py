"""Scorecard page latency under load, alone and while sign-in is flooded with wrong passwords.

    python bench/serve.py [--size 300] [--clients 20] [--flood 8] [--seconds 20] [--db FILE]

Builds a synthetic authority (or reuses ``--db``), starts the app with uvicorn in a separate process
(so the load generator does not share its interpreter), signs in once as a member, warms the cache,
then runs three phases of ``--seconds`` each, with ``--clients`` keep-alive connections requesting
``/scorecard`` back to back:

1. alone;
2. while ``--flood`` connections POST /login with random usernames and passwords back to back, all
   from one address (one attacker);
3. the same, but each attempt claims a different client address through a trusted reverse proxy
   (the server trusts 127.0.0.1 here), as a distributed attack would look.

For each phase it prints p50/p95/p99 scorecard latency, throughput, and how many sign-in attempts
reached a password check (argon2) or were refused before one.  Target: scorecard p95 under 200 ms on
2 cores, and not much worse while sign-in is flooded.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx

LA = "358"
USER, PASSWORD = "bench-member", "bench password 123"


def build_db(folder: Path, size: int) -> Path:
    """A synthetic authority, loaded and refreshed as `careboard load` leaves it."""
    import careboard.synth as synth
    from careboard.refresh import refresh
    from careboard.returns.reader import read_returns
    from careboard.store.db import connect
    from careboard.store.load import load_returns

    synth.generate(folder / "returns", LA, size, [2024, 2025, 2026], 5)
    root = folder / "returns" / LA
    db = folder / "bench.duckdb"
    con = connect(db)
    try:
        load_returns(con, read_returns([p for p in (root / "ssda903", root / "cin") if p.exists()]))
        refresh(con)
    finally:
        con.close()
    return db


def ensure_user(db: Path) -> None:
    from careboard.store.webdb import WebDB
    from careboard.web.auth import add_user, get_user

    web = WebDB.beside(db)
    try:
        if get_user(web, USER) is None:
            add_user(web, USER, PASSWORD, "member")
    finally:
        web.close()


class ServerTimer:
    """ASGI wrapper recording when and how long the app takes per /scorecard request."""

    def __init__(self, app, out: Path) -> None:
        self.app, self.out, self.times = app, out, []

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, receive, send)
            if self.times:
                self.out.write_text("\n".join(f"{at:.3f} {t:.6f}" for at, t in self.times))
            return
        t = time.perf_counter()
        await self.app(scope, receive, send)
        if scope.get("path") == "/scorecard":
            self.times.append((time.time(), time.perf_counter() - t))


def serve(db: str, port: int, timings: str) -> None:
    """The server process: the app as `careboard serve` runs it (trusting 127.0.0.1 as its proxy), timed."""
    import signal

    import uvicorn

    from careboard.web.app import create_app

    app = ServerTimer(create_app(Path(db), LA, secure_cookies=False, trusted_proxies="127.0.0.1"), Path(timings))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False,
                                           proxy_headers=False))
    signal.signal(signal.SIGTERM, lambda *_: setattr(server, "should_exit", True))
    server.run()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sign_in(base: str) -> httpx.Cookies:
    with httpx.Client(base_url=base) as client:
        for _ in range(600):
            try:
                page = client.get("/login")
                break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise RuntimeError("the server did not start")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        r = client.post("/login", data={"username": USER, "password": PASSWORD, "csrf_token": token})
        assert r.status_code == 303, r.text[:300]
        warm = client.get("/scorecard")
        assert warm.status_code == 200 and "Scorecard" in warm.text
        return client.cookies


def login_form(base: str) -> tuple[str, str]:
    """A sign-in page's cookie header and CSRF token, for the flood."""
    with httpx.Client(base_url=base) as client:
        page = client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        return "; ".join(f"{k}={v}" for k, v in client.cookies.items()), token


async def _exchange(reader, writer, request: bytes) -> tuple[bytes, bytes]:
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))
    return head, await reader.readexactly(length)


async def run_phase(port: int, cookies: httpx.Cookies, clients: int, seconds: float, flood: int,
                    spoof: bool, form: tuple[str, str]) -> dict:
    """``clients`` scorecard readers (and ``flood`` sign-in flooders) for ``seconds``.

    A minimal HTTP/1.1 client on asyncio streams (like wrk), so the load generator's own CPU use,
    which shares the machine's two cores with the server, stays small next to the server's.
    """
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    page = (f"GET /scorecard HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: {cookie}\r\n"
            "Accept: text/html\r\n\r\n").encode()
    latencies: list[float] = []
    counts = {"errors": 0, "checked": 0, "refused": 0, "other": 0}
    stop = time.perf_counter() + seconds
    started = time.time()

    async def reader_client() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while time.perf_counter() < stop:
                t = time.perf_counter()
                head, body = await _exchange(reader, writer, page)
                if head.startswith(b"HTTP/1.1 200") and b"Scorecard" in body:
                    latencies.append(time.perf_counter() - t)
                else:
                    counts["errors"] += 1
        finally:
            writer.close()

    async def flood_client() -> None:
        form_cookie, token = form
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while time.perf_counter() < stop:
                body = urlencode({"username": "u" + secrets.token_hex(5), "password": secrets.token_hex(8),
                                  "csrf_token": token}).encode()
                xff = f"X-Forwarded-For: 198.18.{random.randrange(256)}.{random.randrange(1, 255)}\r\n" if spoof else ""
                request = (f"POST /login HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: {form_cookie}\r\n{xff}"
                           "Content-Type: application/x-www-form-urlencoded\r\n"
                           f"Content-Length: {len(body)}\r\n\r\n").encode() + body
                head, _ = await _exchange(reader, writer, request)
                status = head[9:12]
                key = {b"400": "checked", b"429": "refused"}.get(status, "other")
                counts[key] += 1
        finally:
            writer.close()

    await asyncio.gather(*(reader_client() for _ in range(clients)), *(flood_client() for _ in range(flood)))
    return {"latencies": latencies, "started": started, "ended": time.time(), **counts}


def report(name: str, phase: dict, seconds: float, clients: int, inside: list[tuple[float, float]]) -> float:
    ms = sorted(x * 1000 for x in phase["latencies"])
    q = statistics.quantiles(ms, n=100)
    print(f"\n{name}")
    print(f"  scorecard: {len(ms)} requests in {seconds:.0f} s with {clients} clients ({len(ms) / seconds:.0f}/s), "
          f"{phase['errors']} errors")
    print(f"  latency ms: p50 {q[49]:.1f}  p95 {q[94]:.1f}  p99 {q[98]:.1f}  max {ms[-1]:.1f}")
    mine = sorted(t * 1000 for at, t in inside if phase["started"] <= at <= phase["ended"])
    if len(mine) > 100:
        s = statistics.quantiles(mine, n=100)
        print(f"  time inside the app per request, ms: p50 {s[49]:.2f}  p95 {s[94]:.2f}")
    if phase["checked"] or phase["refused"]:
        total = phase["checked"] + phase["refused"] + phase["other"]
        print(f"  sign-in flood: {total} attempts ({total / seconds:.0f}/s): {phase['checked']} reached a password "
              f"check, {phase['refused']} refused before one, {phase['other']} other")
    return q[94]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=300, help="children looked after in the synthetic authority")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--flood", type=int, default=8, help="sign-in flooding connections (0: no flood phases)")
    parser.add_argument("--seconds", type=float, default=20, help="length of each phase")
    parser.add_argument("--db", type=Path, help="reuse this database (Trafford, 358) instead of building one")
    parser.add_argument("--serve", nargs=3, metavar=("DB", "PORT", "TIMINGS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve[0], int(args.serve[1]), args.serve[2])
        return
    with tempfile.TemporaryDirectory(prefix="careboard-bench-") as tmp:
        t = time.perf_counter()
        db = args.db or build_db(Path(tmp), args.size)
        ensure_user(db)
        print(f"database ready in {time.perf_counter() - t:.1f} s: {db}")
        port = free_port()
        env = {**os.environ, "CAREBOARD_SECRET": "bench-" + "s" * 40}
        timings = Path(tmp) / "server_times.txt"
        server = subprocess.Popen([sys.executable, __file__, "--serve", str(db), str(port), str(timings)], env=env)
        phases = []
        try:
            base = f"http://127.0.0.1:{port}"
            cookies = sign_in(base)
            form = login_form(base)
            plan = [("alone", 0, False)]
            if args.flood:
                plan += [(f"with {args.flood} clients flooding sign-in from one address", args.flood, False),
                         (f"with {args.flood} clients flooding sign-in from random addresses (via a trusted proxy)",
                          args.flood, True)]
            for name, flood, spoof in plan:
                phases.append((name, asyncio.run(run_phase(port, cookies, args.clients, args.seconds, flood, spoof,
                                                           form))))
        finally:
            server.terminate()
            server.wait(timeout=30)
        inside = []
        if timings.exists():
            for line in timings.read_text().splitlines():
                at, took = line.split()
                inside.append((float(at), float(took)))
    print(f"cores: {os.cpu_count()}; load average at the end: {os.getloadavg()[0]:.1f} "
          "(other processes on the machine add to latency)")
    p95s = [report(name, phase, args.seconds, args.clients, inside) for name, phase in phases]
    print(f"\nscorecard p95 {'meets' if max(p95s) < 200 else 'MISSES'} the 200 ms target in every phase")


if __name__ == "__main__":
    main()
