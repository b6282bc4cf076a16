"""Take the screenshots shown in docs/web.md: the scorecard, a measure page and a local area's page at
desktop width (1280 px) and at 320 px, and pages 1 to 3 of the information pack; those in
docs/sufficiency.md: the members' sufficiency plan at both widths and its page of the pack; and those
in docs/oversight.md: the members' missing-children and workforce pages (1280 and 320 px), the
managers' missing-children view (an analyst's, 1280 px) and the pack's missing and workforce pages; and with
``iro``, the IRO service's members' page, its managers' view and the pack's IRO page (docs/oversight.md).

They are of a synthetic authority (``careboard synth``: Trafford, 300 children, 2023-24 to 2025-26), served
as ``careboard serve`` serves it and read by Debian chromium through Playwright, as the browser tests do.
Run from the repository root with the worktree's code on the path::

    PYTHONPATH=src python docs/screenshots.py             # all of them
    PYTHONPATH=src python docs/screenshots.py plan        # only docs/sufficiency.md's
    PYTHONPATH=src python docs/screenshots.py oversight   # only docs/oversight.md's
    PYTHONPATH=src python docs/screenshots.py iro         # only the IRO service's
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
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
OVERSIGHT = {"missing-members": "/missing", "workforce-members": "/workforce"}  # issue 15, members' pages


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
        # the local extracts the pages use, as one extract return of the latest year: the capacity extracts
        # (the sufficiency plan), the missing-incident detail and the IRO allocations (docs/oversight.md)
        extracts = root / "loaded_extracts"
        extracts.mkdir()
        for name in ("foster_households.csv", "placement_capacity.csv", "missing_detail.csv", "iro_allocations.csv"):
            shutil.copy(root / "extracts" / name, extracts / name)
        load_returns(con, read_returns([p for p in (root / "ssda903", root / "cin", root / "csww") if p.exists()],
                                       LA))
        load_returns(con, read_returns([extracts], LA, YEARS[-1]))
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


def _signed_in(browser, base_url: str, width: int, user: str = USER):
    context = browser.new_context(base_url=base_url, viewport={"width": width, "height": 900}, accept_downloads=True)
    # sign-in hashes a password, and the first view of a year builds its release, the IRO figures and the
    # plan's futures: slow on a busy machine
    context.set_default_timeout(600_000)
    page = context.new_page()
    page.goto("/login")
    page.fill("#username", user)
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url("**/scorecard")
    return context, page


def _launch(pw):
    return pw.chromium.launch(executable_path="/usr/bin/chromium",
                              args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])


def _pack(db: Path, out: Path) -> None:
    """The council-wide pack with the missing children's common themes (no placement forecast: its pages are
    not shot here, and it takes minutes on a busy machine), as `careboard pack` makes it."""
    from careboard.publish.briefing import build_briefing
    from careboard.publish.pack import write_pack
    from careboard.store.db import connect

    con = connect(db, read_only=True)
    try:
        briefing = build_briefing(con, LA, YEARS[-1], with_missing_themes=True)
    finally:
        con.close()
    write_pack(briefing, out)


def shoot_oversight(base_url: str, folder: Path, db: Path) -> None:
    """Issue 15's pages: members' missing children and workforce, the managers' view, and their pack pages."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = _launch(pw)
        for width, suffix in ((1280, "desktop"), (320, "320px")):
            context, page = _signed_in(browser, base_url, width)
            for name, path in OVERSIGHT.items():
                page.goto(path)
                page.screenshot(path=str(OUT / f"{name}-{suffix}.png"), full_page=True,
                                clip={"x": 0, "y": 0, "width": width, "height": 1800})
            context.close()
        context, page = _signed_in(browser, base_url, 1280, ANALYST)
        page.goto(f"/missing/manager?year={YEARS[0]}")  # 2023-24: the year with a planted group of this seed
        page.screenshot(path=str(OUT / "missing-manager-desktop.png"), full_page=True,
                        clip={"x": 0, "y": 0, "width": 1280, "height": 2000})
        context.close()
        browser.close()
    pdf = folder / "pack.pdf"
    _pack(db, pdf)
    pages = int(next(line.split()[-1] for line in subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
        if line.startswith("Pages:")))
    wanted = {"pack-missing": "Common themes: children linked by going missing",
              "pack-workforce": "The social workers who work with our children"}
    for n in range(1, pages + 1):
        text = " ".join(subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"],
                                       capture_output=True, text=True, check=True).stdout.split())
        for name, marker in list(wanted.items()):
            if marker in text:
                subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", str(n), "-l", str(n), "-singlefile", str(pdf),
                                str(OUT / name)], check=True)
                del wanted[name]
    _quantize([OUT / f"{n}.png" for n in ("pack-missing", "pack-workforce", "missing-manager-desktop")]
              + [OUT / f"{n}-{s}.png" for n in OVERSIGHT for s in ("desktop", "320px")])


def _quantize(pngs) -> None:
    from PIL import Image  # Pillow comes with WeasyPrint

    for png in pngs:  # 256 colours: a quarter of the size, the same to the eye
        if png.exists():
            Image.open(png).convert("RGB").quantize(256).save(png, optimize=True)


def shoot(base_url: str, folder: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = _launch(pw)
        for width, suffix in ((1280, "desktop"), (320, "320px")):
            context, page = _signed_in(browser, base_url, width)
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
    _quantize([OUT / f"{name}-{suffix}.png" for name in PAGES for suffix in ("desktop", "320px")]
              + [OUT / f"pack-page-{n}.png" for n in (1, 2, 3)])


def shoot_plan(base_url: str, folder: Path) -> None:
    """The sufficiency plan section at 1280 and 320 px, and the pack's page where it starts."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium",
                                     args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        for width, suffix in ((1280, "desktop"), (320, "320px")):
            context, page = _signed_in(browser, base_url, width)
            page.goto("/sufficiency")
            section = page.locator("section.cb-plan")
            box = section.bounding_box()
            page.screenshot(path=str(OUT / f"plan-{suffix}.png"), full_page=True,
                            clip={"x": 0, "y": box["y"] - 10, "width": width, "height": min(box["height"] + 20, 1800)})
            if width == 1280:
                response = page.request.get("/pack.pdf", timeout=600_000)
                (folder / "pack.pdf").write_bytes(response.body())
            context.close()
        browser.close()
    pdf = folder / "pack.pdf"
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    first = next(i for i, text in enumerate(pages, start=1) if "Where places will be short" in text)
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", str(first), "-l", str(first), str(pdf),
                    str(folder / "plan-page")], check=True)
    shutil.move(next(folder.glob("plan-page-*.png")), OUT / "pack-plan.png")
    _quantize([OUT / name for name in ("plan-desktop.png", "plan-320px.png", "pack-plan.png")])


def shoot_iro(base_url: str, folder: Path) -> None:
    """The IRO service (issue 15.2): the members' page, the managers' view (a synthetic authority's IDs) and
    the pack's IRO page."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium",
                                     args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        for user, path, name in ((USER, "/iro", "iro-members"), (ANALYST, "/oversight/iro", "iro-managers")):
            context, page = _signed_in(browser, base_url, 1280, user)
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


def main() -> None:
    OUT.mkdir(exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="careboard-shots-"))
    try:
        db = build(folder)
        server, url = serve(db)
        try:
            only = sys.argv[1:2]
            if not only:
                shoot(url, folder)
            if only in ([], ["plan"]):
                shoot_plan(url, folder)
            if only in ([], ["oversight"]):
                shoot_oversight(url, folder, db)
            if only in ([], ["iro"]):
                shoot_iro(url, folder)
        finally:
            server.should_exit = True
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print("\n".join(sorted(p.name for p in OUT.glob("*.png"))))


if __name__ == "__main__":
    main()
