"""The Panel's business is written through the web while an analyst loads a return from the command line:
neither blocks the other and nothing is lost.

Every command is a separate process, as in the office: `careboard serve`, `careboard load` of a new year
(which refreshes the figures and publishes a new snapshot the app switches to), and `careboard
export-business` reading the business while members and officers keep writing it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import date, timedelta

import httpx
from office import CLI, OFFICE_LA, SRC, _ok, careboard_cmd, copy_db
from webhelpers import PASSWORD, csrf_token, free_port

WRITERS = {"cllr.a": "member", "cllr.b": "member", "cllr.c": "member", "officer.a": "officer", "officer.b": "officer"}


def _client(base: str, username: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=120)
    for _ in range(900):
        try:
            page = client.get("/login")
            break
        except httpx.TransportError:
            time.sleep(0.1)
    else:
        raise AssertionError("careboard serve did not start")
    r = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": csrf_token(page.text)})
    assert r.status_code == 303, r.text[:500]
    return client


class Writer(threading.Thread):
    """Posts questions (members) or actions (officers) until told to stop; keeps what it sent and when."""

    def __init__(self, base: str, username: str, meeting: int, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.client = _client(base, username)
        self.username, self.meeting, self.stop = username, meeting, stop
        self.sent: list[tuple[str, float]] = []
        self.problems: list[str] = []

    def run(self) -> None:
        token = csrf_token(self.client.get("/panel").text)
        due = date.today() + timedelta(days=30)
        n = 0
        while not self.stop.is_set():
            n += 1
            text = f"{self.username} item {n}: why did this change?"
            if WRITERS[self.username] == "member":
                r = self.client.post("/panel/questions", data={"csrf_token": token, "question": text})
            else:
                r = self.client.post("/panel/actions", data={
                    "csrf_token": token, "meeting": self.meeting, "action": text, "owner": self.username,
                    "due-day": due.day, "due-month": due.month, "due-year": due.year})
            if r.status_code == 303:
                self.sent.append((text, time.monotonic()))
            else:
                self.problems.append(f"{r.status_code}: {r.text[:300]}")
            time.sleep(0.05)
        self.client.close()


def test_a_command_line_load_while_the_web_app_takes_questions_and_actions_loses_nothing(office_returns,
                                                                                          office_one_year, tmp_path):
    """On the tiny two-year return (conftest.py): the test is about the app's writes and a load sharing the database,
    not figures."""
    from careboard.store.webdb import WebDB
    from careboard.web.auth import add_user

    returns = office_returns
    db = copy_db(office_one_year, tmp_path / "office.duckdb")  # `careboard load` of one year; another while written
    web = WebDB.beside(db)  # the writers' accounts (how they are added is test_web_users_command.py's business)
    for name, role in WRITERS.items():
        add_user(web, name, PASSWORD, role)
    web.close()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = (tmp_path / "serve.log").open("w")
    serve = subprocess.Popen([sys.executable, "-c", CLI, "serve", "--db", str(db), "--la", OFFICE_LA,
                              "--port", str(port)],
                             env={**os.environ, "PYTHONPATH": SRC}, stdout=log, stderr=subprocess.STDOUT)
    stop = threading.Event()
    writers: list[Writer] = []
    try:
        clerk = _client(base, "officer.a")
        held = date.today() + timedelta(days=14)
        r = clerk.post("/panel/meetings", data={"csrf_token": csrf_token(clerk.get("/panel").text),
                                                "title": "Corporate Parenting Panel", "held-day": held.day,
                                                "held-month": held.month, "held-year": held.year})
        meeting = int(r.headers["location"].rsplit("/", 1)[1])
        assert clerk.get("/scorecard?year=2026").status_code == 404

        writers = [Writer(base, name, meeting, stop) for name in WRITERS]
        for w in writers:
            w.start()
        time.sleep(1)
        started = time.monotonic()
        load = subprocess.Popen([sys.executable, "-c", CLI, "load", str(returns / "2025-26"), "--db", str(db)],
                                env={**os.environ, "PYTHONPATH": SRC}, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        # The business can be exported while it is written and while the load runs.
        exported = careboard_cmd("export-business", "--db", db, "--out", tmp_path / "during", "--format", "json")
        out, err = load.communicate(timeout=600)
        finished = time.monotonic()
        time.sleep(1)
        stop.set()
        for w in writers:
            w.join(timeout=120)

        assert load.returncode == 0, out + err
        assert "Published the figures to the web app" in out and "Traceback" not in err
        _ok(exported)
        problems = [p for w in writers for p in w.problems]
        assert not problems, problems[:5]
        during = [t for w in writers for _, t in w.sent if started <= t <= finished]
        assert len(during) >= 10, "the web app took too few writes while the load ran to show anything"
        # The app switched to the new snapshot: the loaded year is on the scorecard.
        deadline = time.monotonic() + 20
        while clerk.get("/scorecard?year=2026").status_code != 200:
            assert time.monotonic() < deadline, "the load did not show in the web app"
            time.sleep(0.2)
        clerk.close()
    finally:
        stop.set()
        serve.send_signal(signal.SIGINT)
        try:
            serve.wait(timeout=30)
        except subprocess.TimeoutExpired:
            serve.kill()
        log.close()

    # Nothing lost: every question and action the app accepted is in the business, once.
    _ok(careboard_cmd("export-business", "--db", db, "--out", tmp_path / "after", "--format", "json"))
    questions = [q["question"] for q in json.loads((tmp_path / "after" / "questions.json").read_text())]
    actions = [a["action"] for a in json.loads((tmp_path / "after" / "actions.json").read_text())]
    sent_q = [t for w in writers if WRITERS[w.username] == "member" for t, _ in w.sent]
    sent_a = [t for w in writers if WRITERS[w.username] == "officer" for t, _ in w.sent]
    assert sorted(questions) == sorted(sent_q) and sorted(actions) == sorted(sent_a)
    assert len(sent_q) > 20 and len(sent_a) > 10
    # ... and each with its audit line.
    web = __import__("sqlite3").connect(db.with_suffix(".web.sqlite"))
    audited = dict(web.execute("SELECT action, count(*) FROM audit_log GROUP BY action").fetchall())
    web.close()
    assert audited["question_asked"] == len(sent_q) and audited["action_added"] == len(sent_a)
    text = (tmp_path / "serve.log").read_text()
    assert "Traceback" not in text, text[-3000:]
