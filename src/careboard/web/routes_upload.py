"""Upload and validate a return, download the reports, and load it (analysts only, every step audited).

Validation runs on the uploaded files without touching the database (validate_files); the
analyst then sees the findings by rule and by child and decides whether to load.  Loading is
exactly ``careboard load``: the app opens the analysts' database read-write for the load and the
one refresh every load ends with (careboard.refresh: care histories, measures, stored findings, and
a new serving snapshot, which the app then switches to, dropping every cached page).  The body of
an upload is checked before it is read (guard.py).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from careboard import years
from careboard.model.invariants import ModelInvariantError
from careboard.publish.disclosure_error import DisclosureAuditError
from careboard.returns.issues import ReturnError
from careboard.store.db import DatabaseBusy
from careboard.validate import report
from careboard.web import audit, csrf
from careboard.web.auth import Uploader, client_ip
from careboard.web.briefings import NoData
from careboard.web.uploads import UploadError

router = APIRouter()
REPORTS = {
    "csv": (report.write_csv, "text/csv; charset=utf-8"),
    "xlsx": (report.write_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "html": (report.write_html, "text/html; charset=utf-8"),
}
SHOW_CHILDREN = 500  # findings shown on the page; the downloads hold them all


def _form(request: Request, user, status: int = 200, errors: dict | None = None, year: str = "") -> Response:
    web = request.app.state.web
    return web.renderer.page(request, "upload.html", "Upload and validate a return", nav="upload",
                             status_code=status, error_title=bool(errors), errors=errors or {}, year=year)


@router.get("/upload")
def upload_form(request: Request, user: Uploader) -> Response:
    return _form(request, user)


@router.post("/upload", dependencies=[Depends(csrf.verify)])
async def upload(request: Request, user: Uploader, files: Annotated[list[UploadFile] | None, File()] = None,
                 year: Annotated[str, Form()] = "") -> Response:
    web = request.app.state.web
    year_value = None
    if year.strip():
        try:
            year_value = years.parse_year(year)
        except years.YearError as exc:
            return _form(request, user, 400, {"year": str(exc).capitalize()}, year)
    contents = [(f.filename or "", f.file) for f in (files or [])]  # spooled by Starlette; copied in chunks
    try:
        item = await run_in_threadpool(web.uploads.save, user.username, contents, year_value)
    except UploadError as exc:
        return _form(request, user, 400, {"files": str(exc)}, year)
    audit.record(web.webdb, "upload", user.username, client_ip(request),
                 ", ".join(p.name for p in item.files) + (f" (year {year_value})" if year_value else ""))
    await run_in_threadpool(web.uploads.validate, item, web.la)
    return RedirectResponse(f"/upload/{item.id}", status_code=303)


def _get(request: Request, user, uid: str):
    item = request.app.state.web.uploads.get(uid, user.username)
    if item is None:
        raise NoData("that upload has expired or was loaded already; upload the files again")
    return item


@router.get("/upload/{uid}")
def upload_result(request: Request, user: Uploader, uid: str) -> Response:
    web = request.app.state.web
    item = _get(request, user, uid)
    rules = report.by_rule(item.checked) if item.checked else []
    # the capped listing (the first findings of each rule), not every finding: memory stays bounded
    findings = sorted(item.checked.listing.to_pylist(), key=lambda f: (f["child"] or "", f["table"], f["row"],
                                                                       f["rule"])) if item.checked else []
    audit.record(web.webdb, "child_view", user.username, client_ip(request), f"upload {uid} findings")
    other_la = item.checked is not None and item.checked.la != web.la
    return web.renderer.page(request, "upload_result.html", "Validation results", nav="upload", item=item,
                             rules=rules, findings=findings[:SHOW_CHILDREN],
                             total=item.checked.count if item.checked else 0, other_la=other_la)


@router.get("/upload/{uid}/report.{fmt}")
def upload_report(request: Request, user: Uploader, uid: str, fmt: str) -> Response:
    web = request.app.state.web
    item = _get(request, user, uid)
    if fmt not in REPORTS or item.checked is None:
        raise NoData("there is no such report")
    write, media = REPORTS[fmt]
    with tempfile.TemporaryDirectory(prefix="careboard-report-") as tmp:
        out = Path(tmp) / f"report.{fmt}"
        write(item.checked, out)
        data = out.read_bytes()
    audit.record(web.webdb, "download", user.username, client_ip(request), f"upload {uid} report.{fmt}")
    name = f"validation-{item.checked.la}-{years.label(item.checked.year)}.{fmt}"
    return Response(data, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.post("/upload/{uid}/load", dependencies=[Depends(csrf.verify)])
def upload_load(request: Request, user: Uploader, uid: str) -> Response:
    """Load the uploaded return and refresh (as `careboard load` does), all or nothing."""
    from careboard.refresh import refresh
    from careboard.returns.reader import read_returns
    from careboard.store.load import load_returns

    web = request.app.state.web
    item = _get(request, user, uid)
    if item.checked is None or item.checked.la != web.la:
        raise NoData("this upload cannot be loaded: it could not be read, or it is for another council")
    try:
        returns = read_returns(item.files, web.la, item.year)
    except ReturnError as exc:
        return web.renderer.page(request, "load_result.html", "The return was not loaded", nav="upload",
                                 status_code=400, outcomes=[], problem=web.uploads.hide_paths(exc.render(limit=20)))
    try:
        with web.store.writer() as con:
            outcomes = load_returns(con, returns)
            refresh(con, web.store.path, publish=True, plan_size=web.plan_size)
    except ReturnError as exc:  # a refused load (it would lose tables): nothing was written
        return web.renderer.page(request, "load_result.html", "The return was not loaded", nav="upload",
                                 status_code=400, outcomes=[], problem=web.uploads.hide_paths(exc.render(limit=20)))
    except ModelInvariantError as exc:  # loaded, but the care histories built from it were not saved
        audit.record(web.webdb, "load", user.username, client_ip(request),
                     f"upload {uid}: loaded; figures not updated ({', '.join(b.invariant.name for b in exc.broken)})")
        return web.renderer.page(request, "error.html", "The figures were not updated", status_code=422,
                                 message=f"The return was loaded, but {exc}")
    except DisclosureAuditError as exc:  # loaded, but disclosure control could not finish: nothing new published
        audit.record(web.webdb, "load", user.username, client_ip(request),
                     f"upload {uid}: loaded; figures not published ({exc})")
        return web.renderer.page(request, "error.html", "The figures were not updated", status_code=500,
                                 message="The return was loaded, but disclosure control could not finish, so no new "
                                         "figures were published. Please report this to careboard's maintainers.")
    except DatabaseBusy:
        return web.renderer.page(request, "error.html", "The return was not loaded", status_code=503,
                                 message="Another careboard command (a load from the command line) is changing the "
                                         "database and did not finish within a minute. Nothing was loaded: go back "
                                         "and select Load this return again in a few minutes.")
    audit.record(web.webdb, "load", user.username, client_ip(request),
                 "; ".join(f"{o.ret.describe()}: {o.action} (load {o.load_id})" for o in outcomes))
    web.uploads.discard(uid)
    return web.renderer.page(request, "load_result.html", "Return loaded", nav="upload", outcomes=outcomes,
                             problem=None)
