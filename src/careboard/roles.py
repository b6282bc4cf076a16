"""Roles, declared once as the capabilities they give.

A web route says what it needs (``user: Answerer``, a parameter typed with
``web.auth.needs("answer_questions")``), never which roles may use it, and the navigation shows a
link only to users whose role gives the capability its route needs (read from the route itself, see
web/render.py), so the two cannot disagree.  The Panel's business (careboard/panel) asks the same
table who may be assigned a question or own an action.  Adding a role is one entry in
:data:`ROLES`; the SQLite file stores the role's name only.

Roles are not ranked: an officer answers questions but sees no child-level data; an analyst sees
child-level data but does not answer for the service to the Panel.  Members (councillors) ask
questions and score the service; only their own voice goes on the score-sheet, so nobody else has
``score_themes`` or ``ask_questions``.
"""

from __future__ import annotations

from dataclasses import dataclass

CAPABILITIES: dict[str, str] = {
    "view_aggregates": "See the scorecard, briefings, measures, the pack and the Panel's business "
                       "(disclosure-controlled figures only)",
    "ask_questions": "Ask the Panel's officers a question, from a measure's page or on its own",
    "score_themes": "Score each theme of the scorecard on the councillor score-sheet (one's own scores only)",
    "answer_questions": "Assign members' questions to officers and answer them",
    "manage_meetings": "Add the Panel's meetings and their agenda items",
    "update_actions": "Record the Panel's resolutions, actions and inspection action plans, and update "
                      "their progress",
    "record_challenge_cards": "Record challenge cards raised by children in care and care leavers",
    "respond_to_cards": "Respond to challenge cards (you said, we did)",
    "view_child_level": "See child-level data: validation findings by child",
    "download_plan_tables": "Download the full sufficiency plan tables (CSV, XLSX): exact modelled figures and "
                            "today's counts, not rounded or hidden",
    "upload": "Upload, validate and load returns",
    "view_audit": "Read the audit log",
    "manage_users": "Add and remove users, change their roles and reset their passwords",
}


@dataclass(frozen=True)
class Role:
    name: str
    label: str  # what the user-management page calls it
    capabilities: frozenset[str]

    def __post_init__(self) -> None:
        unknown = self.capabilities - set(CAPABILITIES)
        if unknown:
            raise ValueError(f"role {self.name}: unknown capabilities {sorted(unknown)}")


def _role(name: str, label: str, *capabilities: str) -> Role:
    return Role(name, label, frozenset({"view_aggregates", *capabilities}))


ROLES: dict[str, Role] = {r.name: r for r in (
    _role("member", "Member (councillor on the Panel)", "ask_questions", "score_themes"),
    _role("officer", "Officer (answers questions, updates actions)", "answer_questions", "manage_meetings",
          "update_actions", "respond_to_cards"),
    _role("participation", "Participation officer (records challenge cards)", "record_challenge_cards"),
    _role("analyst", "Analyst (child-level data, uploads)", "view_child_level", "upload", "download_plan_tables"),
    _role("commissioner", "Commissioner (the full sufficiency plan tables)", "download_plan_tables"),
    _role("admin", "Administrator (users, audit log, and what officers and analysts do)", "answer_questions",
          "manage_meetings", "update_actions", "record_challenge_cards", "respond_to_cards", "view_child_level",
          "upload", "download_plan_tables", "view_audit", "manage_users"),
)}


def capabilities(role: str) -> frozenset[str]:
    """What ``role`` may do; nothing at all for a role this careboard does not know."""
    found = ROLES.get(role)
    return found.capabilities if found else frozenset()


def roles_with(capability: str) -> list[str]:
    """The roles that give ``capability``, in declaration order."""
    if capability not in CAPABILITIES:
        raise ValueError(f"unknown capability {capability!r}")
    return [name for name, r in ROLES.items() if capability in r.capabilities]
