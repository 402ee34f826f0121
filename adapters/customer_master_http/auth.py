"""Who is calling, and may they do this? (SPEC R-12)

A request carries an API key as ``Authorization: Bearer <key>`` or ``X-API-Key: <key>``;
the core's access service turns it into an ``Actor`` of one tenant. No key or an unknown
key → 401. Every service call is then scoped to the actor's tenant, so another tenant's
ids are simply not found (404, no existence leak).

Permissions: the core checks almost every operation itself (with the tenant's own role
map) and raises ``Forbidden`` → 403; those views say ``requires(None)``. A few reads the
core leaves open (configuration, schedules, prices) and the receivables feed are checked
here, in this one place, against the same tenant role map; when the core enforces them,
their ``requires`` can say ``None`` too.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

from attrs import evolve
from flask import current_app, g, request

from customer_master.actor import Actor
from customer_master.app import CustomerMaster
from customer_master.errors import Forbidden
from customer_master_http.problems import problem

F = TypeVar("F", bound=Callable[..., Any])

EXTENSION = "customer_master"

SECURITY_SCHEMES: dict[str, dict[str, str]] = {
    "ApiKeyHeader": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
    "BearerKey": {"type": "http", "scheme": "bearer", "description": "The API key as a bearer token."},
}
SECURITY: list[dict[str, list[str]]] = [{"ApiKeyHeader": []}, {"BearerKey": []}]


def customer_master() -> CustomerMaster:
    """The façade this app serves."""
    return cast(CustomerMaster, current_app.extensions[EXTENSION])


def current_actor() -> Actor:
    """The authenticated actor of this request (set by ``requires``)."""
    actor = g.get("actor")
    if actor is None:  # a view without ``requires`` asked: a programming error
        raise RuntimeError("current_actor() outside an authenticated view")
    return cast(Actor, actor)


def presented_key() -> str | None:
    """The API key the request carries, if any."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    key = request.headers.get("X-API-Key", "").strip()
    return key or None


def authenticate() -> Actor:
    secret = presented_key()
    if secret is None:
        raise problem(
            401,
            "unauthorized",
            "no API key: send Authorization: Bearer <key> or X-API-Key",
            headers={"WWW-Authenticate": 'Bearer realm="customer-master"'},
        )
    known = customer_master().access.authenticate(secret)
    if known is None:
        raise problem(
            401,
            "unauthorized",
            "the API key is unknown or revoked",
            headers={"WWW-Authenticate": 'Bearer realm="customer-master", error="invalid_token"'},
        )
    return evolve(known, channel="http")


def requires(permission: str | None) -> Callable[[F], F]:
    """Authenticate the request and check that the actor's roles grant ``permission``
    before the view (and its body parsing) runs. ``None``: the core checks the
    permission itself (credit holds and releases, merge, hard delete)."""

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            actor = authenticate()
            if permission is not None:
                granted = customer_master().configuration.permissions(actor)
                if permission not in granted:
                    raise Forbidden(f"{actor.user} may not do this: it needs the {permission} permission")
            g.actor = actor
            return view(*args, **kwargs)

        guarded.required_permission = permission  # type: ignore[attr-defined]
        return cast(F, guarded)

    return decorate
