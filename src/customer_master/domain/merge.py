"""Merge: fold a duplicate customer (the source) into the one that stays (the target).

Both must belong to the same tenant, be different customers, and not already be merged
away; the target must be active, and both must share a currency unless the source has no
open items (R-8.1). Under merge policy ``forbid_if_both_have_history`` a merge is refused
when both customers have documents in host modules (R-8.2).

The source's addresses, contacts, bank accounts, pricing tiers, tax profiles, tax ids,
tags and entity enablements move to the target. Exact duplicates are folded into one;
where both claim the same role (two defaults for a purpose, two primary contacts, two
primary tax ids) the target's claim stands. The source becomes inactive with
``merged_into`` pointing at the target.

>>> from customer_master.domain.customer import Customer
>>> a = Customer(id="a", tenant="t", code="CUS-0001", name="Acme", kind="company", legal_entity="MY01",
...              tags=("vip",))
>>> b = Customer(id="b", tenant="t", code="CUS-0002", name="ACME Sdn Bhd", kind="company",
...              legal_entity="SG01", tags=("export",))
>>> plan = merge_plan(b, a, policy="transfer")
>>> plan.refusal is None, plan.target.tags, sorted(plan.target.enabled_entities), plan.source.merged_into
(True, ('vip', 'export'), ['SG01'], 'a')
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

from attrs import evolve, frozen

from customer_master.domain.config import MergePolicy
from customer_master.domain.customer import Address, Contact, Customer, TaxId
from customer_master.domain.serialize import to_data

R = TypeVar("R")


@frozen
class MergeRefusal:
    """Why a merge may not happen: a stable ``code`` and a message."""

    code: str
    message: str


@frozen(kw_only=True)
class MergePlan:
    """What a merge will store: the target with everything moved over, and the source
    made inactive and pointing at it; or the refusal. ``folded`` counts duplicates that
    were folded into the target's records, per kind."""

    source: Customer
    target: Customer
    folded: dict[str, int]
    refusal: MergeRefusal | None = None


def merge_refusal(
    source: Customer,
    target: Customer,
    *,
    policy: MergePolicy,
    source_has_history: bool = False,
    target_has_history: bool = False,
    source_has_open_items: bool = False,
) -> MergeRefusal | None:
    """The first rule of R-8.1/R-8.2 that refuses this merge, or ``None``."""
    if source.tenant != target.tenant:
        return MergeRefusal("other_tenant", "customers of different tenants cannot be merged")
    if source.id == target.id:
        return MergeRefusal("same_customer", "a customer cannot be merged into itself")
    if source.is_merged or target.is_merged:
        merged = source if source.is_merged else target
        return MergeRefusal("already_merged", f"customer {merged.code} was already merged away")
    if not target.is_active:
        return MergeRefusal("target_inactive", f"the target {target.code} is inactive; reactivate it first")
    if source.currency and target.currency and source.currency != target.currency and source_has_open_items:
        return MergeRefusal(
            "currency_mismatch",
            f"{source.code} has open items in {source.currency} but {target.code} uses {target.currency}",
        )
    if policy == "forbid_if_both_have_history" and source_has_history and target_has_history:
        return MergeRefusal(
            "both_have_history", "both customers have transaction history and the merge policy forbids it"
        )
    return None


def merge_plan(
    source: Customer,
    target: Customer,
    *,
    policy: MergePolicy,
    source_has_history: bool = False,
    target_has_history: bool = False,
    source_has_open_items: bool = False,
) -> MergePlan:
    """The merge of ``source`` into ``target`` (R-8.1), or its refusal."""
    refusal = merge_refusal(
        source,
        target,
        policy=policy,
        source_has_history=source_has_history,
        target_has_history=target_has_history,
        source_has_open_items=source_has_open_items,
    )
    if refusal is not None:
        return MergePlan(source=source, target=target, folded={}, refusal=refusal)
    folded: dict[str, int] = {}
    addresses = _fold(
        target.addresses, _drop_defaults(source.addresses, target.addresses), _same_place, folded, "addresses"
    )
    contacts = _fold(
        target.contacts, _drop_primary(source.contacts, target.contacts), _same_person, folded, "contacts"
    )
    merged = evolve(
        target,
        addresses=addresses,
        contacts=contacts,
        bank_accounts=_fold(target.bank_accounts, source.bank_accounts, _content, folded, "bank_accounts"),
        pricing_tiers=_fold(target.pricing_tiers, source.pricing_tiers, _content, folded, "pricing_tiers"),
        tax_profiles=_fold(target.tax_profiles, source.tax_profiles, _content, folded, "tax_profiles"),
        tax_ids=_fold(
            target.tax_ids, _drop_primary_tax(source.tax_ids, target.tax_ids), _tax_key, folded, "tax_ids"
        ),
        tags=tuple(dict.fromkeys((*target.tags, *source.tags))),
        external_refs=tuple(dict.fromkeys((*target.external_refs, *source.external_refs))),
        enabled_entities=_entities(source, target),
        overrides=(
            *target.overrides,
            *(o for o in source.overrides if target.override_for(o.entity) is None),
        ),
    )
    retired = evolve(source, status="inactive", merged_into=target.id)
    return MergePlan(source=retired, target=merged, folded=folded)


def _fold(
    kept: Sequence[R], incoming: Sequence[R], key: Callable[[R], Hashable], folded: dict[str, int], kind: str
) -> tuple[R, ...]:
    """``kept`` plus those of ``incoming`` that are not exact duplicates of a kept one."""
    seen = {key(record) for record in kept}
    result = list(kept)
    for record in incoming:
        if key(record) in seen:
            folded[kind] = folded.get(kind, 0) + 1
        else:
            seen.add(key(record))
            result.append(record)
    return tuple(result)


def _content(record: object) -> Hashable:
    """A record's content without its id, for spotting exact duplicates."""
    return tuple(sorted((k, repr(v)) for k, v in to_data(record).items() if k not in ("id", "default_for")))


def _same_place(address: Address) -> Hashable:
    return _content(evolve(address, purposes=tuple(sorted(address.purposes))))


def _same_person(contact: Contact) -> Hashable:
    return (contact.name.casefold(), (contact.email or "").casefold(), contact.phone)


def _tax_key(tax_id: TaxId) -> Hashable:
    return (tax_id.scheme, tax_id.number)


def _drop_defaults(incoming: Sequence[Address], kept: Sequence[Address]) -> list[Address]:
    """The target keeps its default for every purpose it already has one for."""
    taken = {(a.entity, p) for a in kept for p in a.default_for}
    return [
        evolve(a, default_for=tuple(p for p in a.default_for if (a.entity, p) not in taken)) for a in incoming
    ]


def _drop_primary(incoming: Sequence[Contact], kept: Sequence[Contact]) -> list[Contact]:
    if any(c.is_primary for c in kept):
        return [evolve(c, is_primary=False) for c in incoming]
    return list(incoming)


def _drop_primary_tax(incoming: Sequence[TaxId], kept: Sequence[TaxId]) -> list[TaxId]:
    if any(t.is_primary for t in kept):
        return [evolve(t, is_primary=False) for t in incoming]
    return list(incoming)


def _entities(source: Customer, target: Customer) -> frozenset[str]:
    moved = source.enabled_entities | {source.legal_entity}
    return (target.enabled_entities | moved) - {target.legal_entity}
