"""Managing users from the web (admins): add, remove, change a role, reset a password.

The same operations as ``careboard users`` (web/users_command.py) on the same SQLite file; every
change is written to the audit log with who made it.  An administrator cannot remove themselves or
take away their own right to manage users, and the last user who can manage users cannot lose it,
so the app is never left without an administrator.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from careboard import roles
from careboard.web import audit, auth, csrf
from careboard.web.auth import UserManager, client_ip
from careboard.web.briefings import NoData

router = APIRouter()


def _list_page(request: Request, status: int = 200, errors: dict | None = None, values: dict | None = None,
               notice: str | None = None) -> Response:
    web = request.app.state.web
    return web.renderer.page(request, "admin_users.html", "Users", nav="users", status_code=status,
                             error_title=bool(errors), errors=errors or {}, values=values or {"role": "member"},
                             users=auth.list_users(web.webdb), roles=roles.ROLES, notice=notice)


@router.get("/admin/users")
def users(request: Request, user: UserManager, done: str = "") -> Response:
    notices = {"added": "The user was added.", "removed": "The user was removed and their sessions ended."}
    return _list_page(request, notice=notices.get(done))


@router.post("/admin/users", dependencies=[Depends(csrf.verify)])
def add(request: Request, user: UserManager, username: Annotated[str, Form()] = "",
        role: Annotated[str, Form()] = "", password: Annotated[str, Form()] = "",
        confirm: Annotated[str, Form()] = "") -> Response:
    web = request.app.state.web
    username = username.strip()
    errors: dict[str, str] = {}
    if not auth.USERNAME.match(username):
        errors["username"] = "Enter a username of 1 to 64 letters, digits or . _ @ -"
    if role not in roles.ROLES:
        errors["role"] = "Choose a role"
    if len(password) < auth.MIN_PASSWORD:
        errors["password"] = f"The password needs at least {auth.MIN_PASSWORD} characters"
    elif password != confirm:
        errors["confirm"] = "The two passwords are not the same"
    if not errors:
        try:
            auth.add_user(web.webdb, username, password, role)
        except auth.UserError as exc:
            errors["username"] = str(exc).capitalize()
    if errors:
        return _list_page(request, 400, errors, {"username": username, "role": role})
    audit.record(web.webdb, "user_added", user.username, client_ip(request), f"{username} ({role})")
    return RedirectResponse("/admin/users?done=added", status_code=303)


def _user_page(request: Request, name: str, status: int = 200, errors: dict | None = None,
               notice: str | None = None) -> Response:
    web = request.app.state.web
    found = next((u for u in auth.list_users(web.webdb) if u["username"] == name), None)
    if found is None:
        raise NoData(f"there is no user {name!r}")
    return web.renderer.page(request, "admin_user.html", f"User {name}", nav="users", status_code=status,
                             error_title=bool(errors), errors=errors or {}, target=found, roles=roles.ROLES,
                             capabilities=roles.CAPABILITIES, notice=notice)


@router.get("/admin/users/{name}")
def user_page(request: Request, user: UserManager, name: str, done: str = "") -> Response:
    notices = {"role": "The role was changed.", "password": "The password was reset and their sessions ended."}
    return _user_page(request, name, notice=notices.get(done))


@router.post("/admin/users/{name}/role", dependencies=[Depends(csrf.verify)])
def change_role(request: Request, user: UserManager, name: str, role: Annotated[str, Form()] = "") -> Response:
    web = request.app.state.web
    errors: dict[str, str] = {}
    if role not in roles.ROLES:
        errors["role"] = "Choose a role"
    elif name == user.username and "manage_users" not in roles.capabilities(role):
        errors["role"] = "You cannot take away your own right to manage users: ask another administrator"
    elif not auth.leaves_a_manager(web.webdb, name, role):
        errors["role"] = "Someone must still be able to manage users: give another user that role first"
    if not errors:
        old = auth.get_user(web.webdb, name)
        try:
            auth.change_role(web.webdb, name, role)
        except auth.UserError as exc:
            raise NoData(str(exc)) from None
        audit.record(web.webdb, "role_changed", user.username, client_ip(request),
                     f"{name}: {old.role if old else '?'} to {role}")
        return RedirectResponse(f"/admin/users/{name}?done=role", status_code=303)
    return _user_page(request, name, 400, errors)


@router.post("/admin/users/{name}/password", dependencies=[Depends(csrf.verify)])
def reset_password(request: Request, user: UserManager, name: str, password: Annotated[str, Form()] = "",
                   confirm: Annotated[str, Form()] = "") -> Response:
    web = request.app.state.web
    errors: dict[str, str] = {}
    if len(password) < auth.MIN_PASSWORD:
        errors["password"] = f"The password needs at least {auth.MIN_PASSWORD} characters"
    elif password != confirm:
        errors["confirm"] = "The two passwords are not the same"
    if not errors:
        try:
            auth.set_password(web.webdb, name, password,
                              keep_token=auth.session_token(request) if name == user.username else None)
        except auth.UserError as exc:
            raise NoData(str(exc)) from None
        audit.record(web.webdb, "password_reset", user.username, client_ip(request),
                     f"{name}: password reset, their sessions ended")
        return RedirectResponse(f"/admin/users/{name}?done=password", status_code=303)
    return _user_page(request, name, 400, errors)


@router.post("/admin/users/{name}/remove", dependencies=[Depends(csrf.verify)])
def remove(request: Request, user: UserManager, name: str, confirm: Annotated[str, Form()] = "") -> Response:
    web = request.app.state.web
    errors: dict[str, str] = {}
    if name == user.username:
        errors["confirm-remove"] = "You cannot remove yourself: ask another administrator"
    elif confirm != "yes":
        errors["confirm-remove"] = f"Select yes to confirm that {name} should be removed"
    elif not auth.leaves_a_manager(web.webdb, name, None):
        errors["confirm-remove"] = "Someone must still be able to manage users: give another user that role first"
    if not errors:
        try:
            auth.remove_user(web.webdb, name)
        except auth.UserError as exc:
            raise NoData(str(exc)) from None
        audit.record(web.webdb, "user_removed", user.username, client_ip(request), f"{name}: removed, sessions ended")
        return RedirectResponse("/admin/users?done=removed", status_code=303)
    return _user_page(request, name, 400, errors)
