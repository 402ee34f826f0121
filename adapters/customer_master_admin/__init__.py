"""The web admin: pages for the people who keep the customer master (SPEC R-16.5).

Served by the HTTP adapter under ``/admin``: server-rendered Jinja templates and htmx,
vendored in ``static/`` (nothing is built or downloaded on a fresh machine). Every page
calls the same façade services as the API, as the signed-in key's actor, so lanes,
roles, masking and audit apply as they do everywhere (the audit names the channel
``admin``). Pages: sign in and out; the customer list (filters, search as you type,
sort, keyset pages, export, batch actions including "send statements"); a customer's
page (master, related records, effective view per entity, credit position, aging and
statements, attachments, timeline and notes, audit trail); create, edit and clone forms;
the approvals inbox; the import wizard; the tenant's aging; audit verify.

Attachments are in ``documents.py``; aging and statements in ``receivables.py``.
"""

from __future__ import annotations

from flask import Flask

from customer_master_admin.pages import admin
from customer_master_admin.session import configure_session


def install(app: Flask) -> None:
    """Serve the admin on ``app`` (an app built by ``customer_master_http.create_app``)."""
    configure_session(app)
    app.register_blueprint(admin)


__all__ = ["admin", "install"]
