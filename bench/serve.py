"""Scorecard page latency under load: 20 concurrent signed-in clients on loopback for 30 seconds.

    python bench/serve.py [--size 300] [--clients 20] [--seconds 30] [--db FILE]

Builds a synthetic authority (or reuses ``--db``), starts the app with uvicorn in a separate process
(so the load generator does not share its interpreter), signs in once as a member, warms the cache
with one request, then has ``--clients`` asyncio tasks request ``/scorecard`` back to back and prints
p50/p95/p99 latency and throughput.  Target: p95 under 200 ms on 2 cores.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

LA = "358"
USER, PASSWORD = "bench-member", "bench password 123"


def build_db(folder: Path, size: int) -> Path:
    """A synthetic authority, loaded, validated and computed, with one member user."""
    import careboard.synth as synth
    from careboard.measures.compute import ensure_computed
    from careboard.returns.reader import read_returns
    from careboard.store.db import connect
    from careboard.store.load import load_returns
    from careboard.validate.runner import validate_loaded

    synth.generate(folder / "returns", LA, size, [2024, 2025, 2026], 5)
    root = folder / "returns" / LA
    db = folder / "bench.duckdb"
    con = connect(db)
    try:
        load_returns(con, read_returns([p for p in (root / "ssda903", root / "cin") if p.exists()]))
        for year in (2024, 2025, 2026):
            validate_loaded(con, LA, year)
        ensure_computed(con)
    finally:
        con.close()
    return db


def ensure_user(db: Path) -> None:
    from careboard.store.db import connect
    from careboard.web.auth import add_user, get_user

    con = connect(db)
    try:
        if get_user(con, USER) is None:
            add_user(con, USER, PASSWORD, "member")
    finally:
        con.close()


class ServerTimer:
    """ASGI wrapper recording how long the app takes per /scorecard request (to tell server from client)."""

    def __init__(self, app, out: Path) -> None:
        self.app, self.out, self.times = app, out, []

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, receive, send)
            if self.times:
                self.out.write_text("\n".join(f"{t:.6f}" for t in self.times))
            return
        t = time.perf_counter()
        await self.app(scope, receive, send)
        if scope.get("path") == "/scorecard":
            self.times.append(time.perf_counter() - t)


def serve(db: str, port: int, timings: str) -> None:
    """The server process: the app as `careboard serve` runs it, wrapped in a timer."""
    import signal

    import uvicorn

    from careboard.web.app import create_app

    app = ServerTimer(create_app(Path(db), LA, secure_cookies=False), Path(timings))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False))
    signal.signal(signal.SIGTERM, lambda *_: setattr(server, "should_exit", True))
    server.run()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sign_in(base: str) -> httpx.Cookies:
    with httpx.Client(base_url=base) as client:
        for _ in range(200):
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


async def load(port: int, cookies: httpx.Cookies, clients: int, seconds: float) -> tuple[list[float], int]:
    """``clients`` keep-alive connections requesting /scorecard back to back until ``seconds`` pass.

    A minimal HTTP/1.1 client on asyncio streams (like wrk), so the load generator's own CPU use,
    which shares the machine's two cores with the server, stays small next to the server's.
    """
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    request = (f"GET /scorecard HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: {cookie}\r\n"
               "Accept: text/html\r\n\r\n").encode()
    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds

    async def worker() -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while time.perf_counter() < stop:
                t = time.perf_counter()
                writer.write(request)
                head = await reader.readuntil(b"\r\n\r\n")
                length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))
                body = await reader.readexactly(length)
                if head.startswith(b"HTTP/1.1 200") and b"Scorecard" in body:
                    latencies.append(time.perf_counter() - t)
                else:
                    errors += 1
        finally:
            writer.close()

    await asyncio.gather(*(worker() for _ in range(clients)))
    return latencies, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=300, help="children looked after in the synthetic authority")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
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
        try:
            base = f"http://127.0.0.1:{port}"
            cookies = sign_in(base)
            latencies, errors = asyncio.run(load(port, cookies, args.clients, args.seconds))
        finally:
            server.terminate()
            server.wait(timeout=30)
        inside = sorted(float(x) * 1000 for x in timings.read_text().split()) if timings.exists() else []
    ms = sorted(x * 1000 for x in latencies)
    q = statistics.quantiles(ms, n=100)
    print(f"scorecard: {len(ms)} requests in {args.seconds:.0f} s with {args.clients} clients "
          f"({len(ms) / args.seconds:.0f}/s), {errors} errors; cores: {os.cpu_count()}")
    print(f"latency ms: p50 {q[49]:.1f}  p95 {q[94]:.1f}  p99 {q[98]:.1f}  max {ms[-1]:.1f}")
    if len(inside) > 100:
        s = statistics.quantiles(inside, n=100)
        print(f"time inside the app per request, ms: p50 {s[49]:.2f}  p95 {s[94]:.2f}  p99 {s[98]:.2f}")
    print(f"load average during the run: {os.getloadavg()[0]:.1f} (other processes on the machine add to latency)")
    print(f"p95 {'meets' if q[94] < 200 else 'MISSES'} the 200 ms target")


if __name__ == "__main__":
    main()
