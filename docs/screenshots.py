"""Take the screenshots shown in docs/web.md: the scorecard, a measure page and a local area's page at
desktop width (1280 px) and at 320 px, and pages 1 to 3 of the information pack; with ``iro``, only those
shown in docs/oversight.md: the IRO service's members' page, its managers' view and the pack's IRO page.

They are of a synthetic authority (``careboard synth``: Trafford, 300 children, 2023-24 to 2025-26), served
as ``careboard serve`` serves it and read by Debian chromium through Playwright, as the browser tests do.
Run from the repository root with the worktree's code on the path::

    PYTHONPATH=src python docs/screenshots.py [iro]
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

LA, CHILDREN, YEARS, SEED = "358", 300, [2024, 2025, 2026], 1
OUT = Path(__file__).parent / "screenshots"
USER, PASSWORD = "member", "a long screenshot password"
ANALYST = "analyst"
PAGES = {"scorecard": "/scorecard", "measure": "/measures/placements_3_plus", "area": None}
HEIGHT = {"scorecard": 2400}  # down to the first theme's table; other pages: a screen and a half


def build(folder: Path) -> Path:
    """A synthetic authority's returns, loaded and computed, with one member user."""
    from careboard import synth
    from careboard.refresh import refresh
    from careboard.returns.reader import read_returns
    from careboard.store.db import connect
    from careboard.store.load import load_returns
    from careboard.store.webdb import WebDB
    from careboard.web.auth import add_user

    synth.generate(folder / "returns", LA, CHILDREN, YEARS, SEED)
    root = folder / "returns" / LA
    db = folder / "careboard.duckdb"
    con = connect(db)
    try:
        load_returns(con, read_returns([p for p in (root / "ssda903", root / "cin") if p.exists()], LA))
        # the IRO extract too, as at the latest year (the IRO pages, docs/oversight.md)
        load_returns(con, read_returns([root / "extracts" / "iro_allocations.csv"], LA, max(YEARS)))
        refresh(con)
    finally:
        con.close()
    web = WebDB.beside(db)
    add_user(web, USER, PASSWORD, "member")
    add_user(web, ANALYST, PASSWORD, "analyst")
    web.close()
    return db


def serve(db: Path):
    """The app on a free loopback port in a background thread: (server, base URL)."""
    import uvicorn

    from careboard.web.app import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = create_app(db, LA, secure_cookies=False, secret="screenshots-" + "x" * 32)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server, f"http://127.0.0.1:{port}"


def shoot(base_url: str, folder: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium",
                                     args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        for width, suffix in ((1280, "desktop"), (320, "320px")):
            context = browser.new_context(base_url=base_url, viewport={"width": width, "height": 900},
                                          accept_downloads=True)
            context.set_default_timeout(180_000)  # sign-in hashes a password; slow on a busy machine
            page = context.new_page()
            page.goto("/login")
            page.fill("#username", USER)
            page.fill("#password", PASSWORD)
            page.click("button:has-text('Sign in')")
            page.wait_for_url("**/scorecard")
            page.goto("/areas")
            area = page.locator(".cb-area-list a").first.get_attribute("href")
            for name, path in PAGES.items():
                page.goto(path or area)
                # the top of the page: what a member sees first
                page.screenshot(path=str(OUT / f"{name}-{suffix}.png"), full_page=True,
                                clip={"x": 0, "y": 0, "width": width, "height": HEIGHT.get(name, 1350)})
            if width == 1280:
                with page.expect_download() as download:
                    page.goto("/scorecard")
                    page.click("a[download]")
                download.value.save_as(folder / "pack.pdf")
            context.close()
        browser.close()
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "3", str(folder / "pack.pdf"),
                    str(folder / "pack-page")], check=True)
    for n in (1, 2, 3):  # pdftoppm numbers pages as -1 or -01 by the pack's length
        found = next(folder.glob(f"pack-page-*{n}.png"))
        shutil.move(found, OUT / f"pack-page-{n}.png")
    _quantize(OUT.glob("*.png"))


def _signed_in(browser, base_url: str, user: str, width: int):
    context = browser.new_context(base_url=base_url, viewport={"width": width, "height": 900}, accept_downloads=True)
    context.set_default_timeout(300_000)  # the IRO figures are built on first request; slow on a busy machine
    page = context.new_page()
    page.goto("/login")
    page.fill("#username", user)
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url("**/scorecard")
    return context, page


def shoot_iro(base_url: str, folder: Path) -> None:
    """The IRO service (issue 15.2): the members' page, the managers' view (a synthetic authority's IDs) and
    the pack's IRO page."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium",
                                     args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        for user, path, name in ((USER, "/iro", "iro-members"), (ANALYST, "/oversight/iro", "iro-managers")):
            context, page = _signed_in(browser, base_url, user, 1280)
            page.goto(path)
            page.screenshot(path=str(OUT / f"{name}-desktop.png"), full_page=True,
                            clip={"x": 0, "y": 0, "width": 1280, "height": 1800})
            if user == USER:
                with page.expect_download() as download:
                    page.goto("/scorecard")
                    page.click("a[download]")
                download.value.save_as(folder / "pack.pdf")
            context.close()
        browser.close()
    text = subprocess.run(["pdftotext", "-layout", str(folder / "pack.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    number = next(i for i, p in enumerate(text.split("\f"), start=1) if "The IRO service in" in p)
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", str(number), "-l", str(number), str(folder / "pack.pdf"),
                    str(folder / "iro-page")], check=True)
    shutil.move(next(folder.glob("iro-page-*.png")), OUT / "pack-iro-page.png")
    _quantize([OUT / f"{n}.png" for n in ("iro-members-desktop", "iro-managers-desktop", "pack-iro-page")])


def _quantize(pngs) -> None:
    from PIL import Image  # Pillow comes with WeasyPrint

    for png in pngs:  # 256 colours: a quarter of the size, the same to the eye
        Image.open(png).convert("RGB").quantize(256).save(png, optimize=True)


def main() -> None:
    import sys

    OUT.mkdir(exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="careboard-shots-"))
    try:
        server, url = serve(build(folder))
        try:
            (shoot_iro if sys.argv[1:] == ["iro"] else shoot)(url, folder)
        finally:
            server.should_exit = True
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print("\n".join(sorted(p.name for p in OUT.glob("*.png"))))


if __name__ == "__main__":
    main()
