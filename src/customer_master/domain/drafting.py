"""Create and partial update as pure functions (SPEC R-3.1, R-3.2).

``draft_customer`` reads a whole payload — master fields and every related record — into
a new ``Customer``. ``apply_changes`` lays a partial update over an existing customer:
master fields given are replaced, the rest stay; related records change through actions
(``add``, ``update`` by id, ``delete`` by id). Both report every problem at once in
``ctx.errors`` and return ``None`` when there is any, so nothing half-done escapes.

>>> from customer_master.domain.config import LegalEntity, TenantConfiguration
>>> config = TenantConfiguration(tenant="acme", entities=(LegalEntity(code="MY01", name="Acme MY"),))
>>> ctx = ReadContext(config=config, errors=[], new_id=iter(["a1", "a2"]).__next__)
>>> c = draft_customer({"name": "Kedai Ali", "kind": "individual", "legal_entity": "MY01",
...     "addresses": [{"purposes": ["billing"], "default_for": ["billing"], "line1": "1 Jalan Ampang",
...                    "city": "Kuala Lumpur", "country": "my"}]},
...     ctx, id="c1", tenant="acme", code="CUS-0001")
>>> c.addresses[0].country, c.addresses[0].id
('MY', 'a1')
>>> changed = apply_changes(c, {"addresses": [{"action": "update", "id": "a9", "city": "Klang"}]}, ctx)
>>> changed is None, [(e.path, e.code) for e in ctx.errors]
(True, [('addresses[0].id', 'unknown_id')])
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar

from attrs import evolve

from customer_master.domain.customer import Customer, EntityOverride
from customer_master.domain.master import MASTER_FIELDS, read_master
from customer_master.domain.reading import Reader, join_path
from customer_master.domain.records import (
    ReadContext,
    check_collections,
    read_address,
    read_bank_account,
    read_contact,
    read_override,
    read_pricing_tier,
    read_tax_id,
    read_tax_profile,
)
from customer_master.domain.serialize import to_data
from customer_master.errors import FieldError

R = TypeVar("R")

# The related records addressed by id, with the function that reads each.
RELATED: dict[str, Callable[[object, str, ReadContext], Any]] = {
    "tax_ids": read_tax_id,
    "addresses": read_address,
    "contacts": read_contact,
    "bank_accounts": read_bank_account,
    "pricing_tiers": read_pricing_tier,
    "tax_profiles": read_tax_profile,
}

ACTIONS = ("add", "update", "delete")


def draft_customer(
    payload: Mapping[str, object],
    ctx: ReadContext,
    *,
    id: str,
    tenant: str,
    code: str,
    now: datetime | None = None,
) -> Customer | None:
    """A new customer from a complete payload, or ``None`` with ``ctx.errors`` filled."""
    r = ctx.reader(payload, "")
    r.only((*MASTER_FIELDS, *RELATED, "overrides", "enabled_entities", "code"))
    addresses = tuple(a for path, item in r.items("addresses") if (a := read_address(item, path, ctx)))
    ctx.phones_from(addresses)
    master = read_master(payload, ctx)
    related: dict[str, Any] = {
        name: addresses
        if name == "addresses"
        else tuple(rec for path, item in r.items(name) if (rec := read(item, path, ctx)))
        for name, read in RELATED.items()
    }
    overrides = _unique_overrides(
        [o for path, item in r.items("overrides") if (o := read_override(item, path, ctx))], r
    )
    enabled = _enabled_entities(r, ctx)
    if ctx.errors:
        return None
    customer = Customer(
        id=id,
        tenant=tenant,
        code=code,
        **master,
        **related,
        overrides=tuple(overrides),
        enabled_entities=enabled,
        created_at=now,
        updated_at=now,
    )
    return _checked(customer, ctx)


def apply_changes(
    current: Customer,
    changes: Mapping[str, object],
    ctx: ReadContext,
    *,
    now: datetime | None = None,
) -> Customer | None:
    """``current`` with a partial update applied, or ``None`` with ``ctx.errors`` filled.
    The version moves on only in storage, so the value keeps the version it was read at."""
    r = ctx.reader(changes, "")
    r.only((*MASTER_FIELDS, *RELATED, "overrides", "code"))
    if "code" in changes and changes["code"] != current.code:
        r.refuse("code", "read_only", f"cannot replace code {current.code}: a customer's code never changes")
    addresses = current.addresses
    if "addresses" in changes:
        addresses = apply_actions(current.addresses, r.items("addresses"), read_address, ctx)
    ctx.phones_from(addresses)
    before = to_data(current)
    master_data = {name: before[name] for name in MASTER_FIELDS}
    master_data.update({k: v for k, v in changes.items() if k in MASTER_FIELDS})
    master = read_master(master_data, ctx)
    related: dict[str, Any] = {
        name: addresses
        if name == "addresses"
        else apply_actions(getattr(current, name), r.items(name), read, ctx)
        for name, read in RELATED.items()
        if name in changes
    }
    overrides = _override_actions(current.overrides, r.items("overrides"), ctx)
    if ctx.errors:
        return None
    changed = evolve(current, **master, **related, overrides=overrides, updated_at=now or current.updated_at)
    return _checked(changed, ctx)


def apply_actions(
    existing: Sequence[R],
    actions: list[tuple[str, object]],
    read: Callable[[object, str, ReadContext], R | None],
    ctx: ReadContext,
) -> tuple[R, ...]:
    """Apply ``add``/``update``/``delete`` actions to records keyed by ``id`` (R-3.2)."""
    records: dict[str, R] = {_id(rec): rec for rec in existing}
    for path, item in actions:
        action, body = _action(item, path, ctx)
        if action is None:
            continue
        if action == "add":
            if "id" in body:
                ctx.errors.append(FieldError(join_path(path, "id"), "read_only", "leave out id when adding"))
            elif (record := read(body, path, ctx)) is not None:
                records[_id(record)] = record
            continue
        record_id = body.get("id")
        if not isinstance(record_id, str) or record_id not in records:
            ctx.errors.append(
                FieldError(join_path(path, "id"), "unknown_id", f"no record with id {record_id!r}")
            )
        elif action == "delete":
            del records[record_id]
        elif (record := read(to_data(records[record_id]) | body, path, ctx)) is not None:
            records[record_id] = record
    return tuple(records.values())


def _override_actions(
    existing: tuple[EntityOverride, ...], actions: list[tuple[str, object]], ctx: ReadContext
) -> tuple[EntityOverride, ...]:
    """Overrides are keyed by entity code instead of id; their credit hold is kept."""
    by_entity = {o.entity: o for o in existing}
    for path, item in actions:
        action, body = _action(item, path, ctx)
        if action is None:
            continue
        entity = body.get("entity")
        if action == "add":
            if isinstance(entity, str) and entity in by_entity:
                ctx.errors.append(
                    FieldError(
                        join_path(path, "entity"),
                        "duplicate",
                        f"entity {entity} already has an override; update it",
                    )
                )
            elif (override := read_override(body, path, ctx)) is not None:
                by_entity[override.entity] = override
            continue
        if not isinstance(entity, str) or entity not in by_entity:
            ctx.errors.append(
                FieldError(join_path(path, "entity"), "unknown_id", f"no override for entity {entity!r}")
            )
        elif action == "delete":
            del by_entity[entity]
        else:
            old = by_entity[entity]
            data = {k: v for k, v in to_data(old).items() if k != "credit_hold"} | body
            if (override := read_override(data, path, ctx)) is not None:
                by_entity[entity] = evolve(override, credit_hold=old.credit_hold)
    return tuple(by_entity.values())


def _action(item: object, path: str, ctx: ReadContext) -> tuple[str | None, dict[str, object]]:
    """The action and the record data of one item; no action when the item is unusable
    (its problem is already reported)."""
    r = Reader(item, path, ctx.errors)
    if not isinstance(item, Mapping):
        return None, {}
    action = r.choice("action", ACTIONS, required=True)
    body = {k: v for k, v in r.data.items() if k != "action"}
    if action == "delete" and set(body) - {"id", "entity"}:
        r.error("action", "invalid", "a delete takes only the record's id")
    return action, body


def _unique_overrides(overrides: list[EntityOverride], r: Reader) -> list[EntityOverride]:
    seen: set[str] = set()
    for index, override in enumerate(overrides):
        if override.entity in seen:
            r.error(
                f"overrides[{index}]",
                "duplicate",
                f"a second override for entity {override.entity}",
            )
        seen.add(override.entity)
    return overrides


def _enabled_entities(r: Reader, ctx: ReadContext) -> frozenset[str]:
    codes = r.strings("enabled_entities", max_length=32)
    for index, code in enumerate(codes):
        if not ctx.config.has_entity(code):
            r.error(
                f"enabled_entities[{index}]",
                "unknown_entity",
                f"no legal entity with code '{code}'",
            )
    return frozenset(codes)


def _checked(customer: Customer, ctx: ReadContext) -> Customer | None:
    ctx.errors.extend(check_collections(customer))
    return None if ctx.errors else customer


def _id(record: object) -> str:
    value = getattr(record, "id")  # noqa: B009 - every related record has an id
    assert isinstance(value, str)
    return value
