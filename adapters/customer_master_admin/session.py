"""Who is signed in to the admin, and is this form theirs? (SPEC R-12, R-16.5)

A person signs in with an API key, as every other channel authenticates (R-16.4). The
key is kept in Flask's signed session cookie — ``HttpOnly`` (no script reads it),
``SameSite=Strict`` (no other site's page sends it) and ``Secure`` unless the app is
told it is served over plain HTTP on a loopback address for a demo
(docs/decisions/0042-admin-session-and-csrf.md). Every request asks the access service
again, so a revoked key ends the session at its next click.

Every form carries the session's CSRF token (``csrf_token``; htmx requests send it as
``X-CSRF-Token``), compared in constant time before any change runs.
"""

from __future__ import annotations

import functools
import hmac
import os
import secrets
from collections.abc import Callable
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from attrs import evolve
from flask import Flask, abort, g, redirect, request, session, url_for

from customer_master.actor import Actor
from customer_master_http.auth import customer_master

F = TypeVar("F", bound=Callable[..., Any])

SECRET_ENV = "CUSTOMER_MASTER_SECRET_KEY"
INSECURE_ENV = "CUSTOMER_MASTER_ADMIN_INSECURE_COOKIE"
CHANNEL = "admin"


def configure_session(app: Flask) -> None:
    """The session cookie's flags and the key that signs it: ``SECRET_KEY`` as configured,
    else ``CUSTOMER_MASTER_SECRET_KEY`` (shared by the workers of one server), else a
    fresh random key (sessions then end when the process does)."""
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = os.environ.get(SECRET_ENV) or secrets.token_hex(32)
    insecure = os.environ.get(INSECURE_ENV, "") == "1" or app.config.get("ADMIN_INSECURE_COOKIE", False)
    app.config.update(
        SESSION_COOKIE_NAME="cm_admin",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_SECURE=not insecure,
        SESSION_COOKIE_PATH="/admin",
        PERMANENT_SESSION_LIFETIME=8 * 3600,
    )


def sign_in(secret: str) -> Actor | None:
    """Start a session for the key's user, or ``None`` for an unknown or revoked key."""
    actor = customer_master().access.authenticate(secret.strip())
    if actor is None:
        return None
    session.clear()
    session["key"] = secret.strip()
    session["csrf"] = secrets.token_urlsafe(32)
    session.permanent = True
    return actor


def sign_out() -> None:
    session.clear()


def signed_in_actor() -> Actor | None:
    """The actor of this request's session; a key revoked since sign-in is signed out."""
    secret = session.get("key")
    if not isinstance(secret, str):
        return None
    actor = customer_master().access.authenticate(secret)
    if actor is None:
        session.clear()
        return None
    return evolve(actor, channel=CHANNEL)


def actor() -> Actor:
    """The signed-in actor of this request (set by ``signed_in``)."""
    return cast(Actor, g.admin_actor)


def csrf_token() -> str:
    token = session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token


def check_csrf() -> None:
    """Refuse a change whose form does not carry this session's token (403)."""
    sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token") or ""
    expected = session.get("csrf")
    if not isinstance(expected, str) or not hmac.compare_digest(sent.encode(), expected.encode()):
        abort(403, description="this form has expired or did not come from this site: reload the page")


def signed_in(view: F) -> F:
    """A page for signed-in people only; a change (POST) also needs the CSRF token."""

    @functools.wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        who = signed_in_actor()
        if who is None:
            return redirect(url_for("admin.sign_in_page", next=_local(request.full_path)))
        if request.method == "POST":
            check_csrf()
        g.admin_actor = who
        return view(*args, **kwargs)

    return cast(F, guarded)


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path of this admin only (no open redirect)."""
    return _local(target) or url_for("admin.customers")


def _local(target: str | None) -> str:
    if not target:
        return ""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/admin") or target.startswith("//"):
        return ""
    return target.rstrip("?")
