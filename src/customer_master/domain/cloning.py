"""Clone: a new customer drafted from an existing one (SPEC R-3.5).

A clone starts a create from what two customers of the same kind usually share — their
classification, tags, dimensions, currency, payment terms, price list, pricing tiers,
entity overrides and enablements, and (when asked) their addresses and contacts. It never
copies what identifies or belongs to the source alone: its code, tax ids, external
references, bank accounts, notes, credit hold or history. The draft is an ordinary create
payload: the caller lays its own fields over it (at least a new name) and the create is
validated and routed like any other (R-10).

>>> from customer_master.domain.customer import Customer, TaxId
>>> source = Customer(id="c1", tenant="acme", code="CUS-0001", name="Kedai Ali",
...     kind="company", legal_entity="MY01", region="Central", tags=("pos",),
...     tax_ids=(TaxId(id="t1", scheme="my.brn", number="201901000005"),))
>>> draft = clone_payload(source)
>>> draft["region"], draft["tags"], "tax_ids" in draft, "code" in draft
('Central', ['pos'], False, False)
"""

from __future__ import annotations

from typing import Any

from customer_master.domain.customer import Customer
from customer_master.domain.serialize import to_data

# The master fields a clone takes from its source.
CLONED_FIELDS = (
    "name",
    "kind",
    "legal_entity",
    "customer_type",
    "customer_group",
    "segment",
    "sub_segment",
    "region",
    "industry",
    "tier",
    "tags",
    "dimensions",
    "currency",
    "payment_terms",
    "price_list",
    "enabled_entities",
)
# Never copied, whatever is asked: what identifies the source or is its own.
NEVER_CLONED = ("code", "tax_ids", "external_refs", "bank_accounts", "notes", "credit_hold")


def clone_payload(
    source: Customer, *, with_addresses: bool = False, with_contacts: bool = False
) -> dict[str, Any]:
    """A create payload drafted from ``source``: its shared fields, pricing tiers and
    overrides (without any credit hold), and its addresses and contacts when asked; no
    record ids, so every related record is new."""
    data = to_data(source)
    draft: dict[str, Any] = {name: data[name] for name in CLONED_FIELDS if _given(data[name])}
    draft["pricing_tiers"] = [_new_record(tier) for tier in data["pricing_tiers"]]
    draft["overrides"] = [
        _new_record(override, drop=("credit_hold",))
        for override in data["overrides"]
        if any(_given(v) for k, v in override.items() if k not in ("entity", "credit_hold"))
    ]
    if with_addresses:
        draft["addresses"] = [_new_record(address) for address in data["addresses"]]
    if with_contacts:
        draft["contacts"] = [_new_record(contact, drop=("site_id",)) for contact in data["contacts"]]
    return {k: v for k, v in draft.items() if _given(v)}


def _new_record(record: dict[str, Any], *, drop: tuple[str, ...] = ()) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k != "id" and k not in drop and _given(v)}


def _given(value: object) -> bool:
    return value is not None and value != [] and value != {}
