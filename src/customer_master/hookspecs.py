"""The host contract: every hook a host module (sales, POS, GL, …) may implement (R-15).

Implement hooks with ``@customer_master.hookimpl`` on a module or object, and register it
in code (``CustomerMaster.from_url(url, plugins=[my_plugin])``) or through the
``customer_master`` entry-point group (R-15.3). ``docs/hooks.md`` has a working example for
every hook.

Event hooks are called only after the change has committed, in commit order, never for a
rolled-back change (R-15.2). Each receives the ``Event`` (with its unique ``id``) first.
An exception raised by an event hook is logged and does not undo the committed change;
the outbox still holds the event for at-least-once delivery through a broker.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pluggy
from attrs import frozen

if TYPE_CHECKING:
    from customer_master.domain.customer import CreditHold, Customer
    from customer_master.domain.events import Event
    from customer_master.errors import FieldError

PROJECT = "customer_master"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@frozen
class HistoryAnswer:
    """A host module's answer that it holds documents for a customer."""

    module: str
    count: int = 0
    detail: str = ""


# ---------------------------------------------------------------------------
# Events: a customer changed (called after commit)
# ---------------------------------------------------------------------------


@hookspec
def customer_created(event: Event, customer: Customer) -> None:
    """A customer was created. ``customer`` is the stored record (version 1)."""


@hookspec
def customer_updated(event: Event, customer: Customer, changes: Mapping[str, Any]) -> None:
    """A customer was changed. ``changes`` maps each changed field (or related-record
    list) to ``{"before": …, "after": …}`` in plain data."""


@hookspec
def customer_deactivated(event: Event, customer: Customer) -> None:
    """A customer was deactivated (soft delete, R-4.1): hide it from new documents."""


@hookspec
def customer_reactivated(event: Event, customer: Customer) -> None:
    """A deactivated customer is active again."""


@hookspec
def customer_deleted(event: Event, tenant: str, customer_id: str, code: str) -> None:
    """A customer was hard-deleted (R-4.2); only its audit record remains."""


@hookspec
def customer_erased(event: Event, tenant: str, customer_id: str, code: str, fields: list[str]) -> None:
    """A customer's personal data was erased for good (R-4.4): the record stays, with its
    code, amounts, tax ids and history, but ``fields`` (names such as ``email``,
    ``contacts``) now hold the placeholder ``[erased]`` or nothing. Erase the copies of
    those values your module keeps (delivery addresses, contact names, e-mails); keep
    your documents and their amounts. The event carries no erased value.
    """


@hookspec
def customer_merged(event: Event, source: Customer, target: Customer) -> None:
    """``source`` was merged into ``target`` (R-8). Under merge policy ``transfer`` move
    your documents (invoices, receipts, credit notes) of ``source`` to ``target``."""


@hookspec
def credit_hold_changed(
    event: Event, customer: Customer, entity: str | None, hold: CreditHold | None
) -> None:
    """A credit hold was set (``hold`` given) or released (``hold`` is ``None``) for the
    master (``entity`` is ``None``) or one entity (R-5.3)."""


# ---------------------------------------------------------------------------
# Events: approvals and imports (called after commit)
# ---------------------------------------------------------------------------


@hookspec
def change_request_submitted(event: Event, request: Mapping[str, Any]) -> None:
    """An operation waits for approval in a yellow or red lane (R-10.2)."""


@hookspec
def change_request_approved(event: Event, request: Mapping[str, Any]) -> None:
    """A change request got its final approval and its operation was applied (R-10.3)."""


@hookspec
def change_request_rejected(event: Event, request: Mapping[str, Any]) -> None:
    """A change request was rejected; nothing was applied."""


@hookspec
def import_completed(event: Event, summary: Mapping[str, Any]) -> None:
    """A bulk import finished; ``summary`` has the created/updated/skipped/failed counts."""


@hookspec
def audit_checkpoint(event: Event, checkpoint: Mapping[str, Any]) -> None:
    """An operator anchored the tenant's audit chain (R-11.2): ``checkpoint`` has the
    ``tenant``, the head's ``sequence`` and ``hash`` and ``taken_at``. Keep it outside
    the customer master's database; ``audit verify --against`` checks the trail still
    reaches that record."""


# ---------------------------------------------------------------------------
# Questions the core asks host modules
# ---------------------------------------------------------------------------


@hookspec(firstresult=True)
def has_transaction_history(tenant: str, customer_id: str) -> HistoryAnswer | None:
    """Does a host module hold documents for this customer?

    Called before a hard delete (R-4.2) and by merge policy
    ``forbid_if_both_have_history`` (R-8.2). Return ``HistoryAnswer(module="sales",
    count=12)`` to say yes (the refusal names your module), ``None`` when this module
    holds nothing. The first non-``None`` answer wins.
    """


@hookspec
def validate_customer(tenant: str, customer: Customer, operation: str) -> list[FieldError] | None:
    """Extra validation by the host before a customer is stored.

    ``operation`` is ``"create"``, ``"update"`` or ``"reactivate"``. Called once the
    input itself is valid, with the customer as it would be stored. Return a list of
    ``FieldError`` to refuse (reported together with any duplicate tax id or reference),
    or ``None``. Nothing has been written yet, so an exception here leaves storage
    untouched (and surfaces to the caller).
    """


@hookspec
def customer_defaults(tenant: str, payload: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """Default values for a new customer, e.g. ``{"payment_terms": "NET30"}``.

    Called before validation of a create. Values the caller gave always win; among
    plugins, the first registered plugin's value for a field wins.
    """
