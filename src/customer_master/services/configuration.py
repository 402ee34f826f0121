"""Tenant configuration: legal entities, settings, classification lists, dimension types,
custom fields, payment terms and price lists (SPEC R-1.5, R-1.6, R-2.1, R-6.1, R-7.1).

Each change replaces the tenant's configuration value in one unit of work (with a version
check) and leaves an audit record; a change that leaves the configuration as it was
stores nothing and audits nothing, so applying the same configuration file twice is
harmless (``customer-master config apply``). Payment terms or a price list still referred to by a
customer cannot be deleted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar, cast

import attrs

from customer_master.actor import Actor
from customer_master.domain.access import PERMISSIONS
from customer_master.domain.approvals import ALL_OPERATIONS, LANES, Lane, LaneRule, lane_refusal
from customer_master.domain.config import TenantConfiguration
from customer_master.domain.config_reading import (
    read_custom_field,
    read_legal_entity,
    read_price_list,
    read_settings_changes,
)
from customer_master.domain.customer import CLASSIFIED_FIELDS, KINDS
from customer_master.domain.pricing import PriceList
from customer_master.domain.serialize import to_data
from customer_master.domain.terms import (
    PaymentTerms,
    terms_from_dict,
    terms_to_dict,
    validate_terms,
)
from customer_master.errors import BusinessRuleViolation, FieldError, NotFound, ValidationFailed
from customer_master.services.base import ServiceContext

CLASSIFIABLE = (*CLASSIFIED_FIELDS, "customer_type")


class ConfigurationService:
    """Reads and changes one tenant's configuration."""

    def __init__(self, context: ServiceContext) -> None:
        self._ctx = context

    def permissions(self, actor: Actor) -> frozenset[str]:
        """What the actor's roles let it do in its tenant (its own rights: no check)."""
        return self._ctx.storage.lookups.configuration(actor.tenant).permissions_of(actor.roles)

    def get(self, actor: Actor) -> TenantConfiguration:
        """The tenant's configuration, for anyone who may read its customers."""
        return self._ctx.require(actor, "customer.read")

    def add_legal_entity(self, actor: Actor, data: Mapping[str, Any]) -> TenantConfiguration:
        """Add (or rename) a legal entity of the tenant (R-2.1)."""
        self._ctx.require(actor, "configuration.write")  # before reading what it may not write
        entity = read_legal_entity(data)

        def change(config: TenantConfiguration) -> TenantConfiguration:
            return config.changed(entities=_replaced(config.entities, entity, lambda e: e.code))

        return self._change(actor, "configure_entity", change, {"entity": to_data(entity)})

    def update_settings(self, actor: Actor, changes: Mapping[str, Any]) -> TenantConfiguration:
        """Change some settings; the others keep their values (R-1.5)."""

        def change(config: TenantConfiguration) -> TenantConfiguration:
            settings = read_settings_changes(config.settings, changes)
            standard = settings.standard_price_list
            if standard is not None and standard not in config.price_lists:
                raise ValidationFailed(
                    [
                        FieldError(
                            "standard_price_list",
                            "unknown_reference",
                            f"no price list with code '{standard}'",
                        )
                    ]
                )
            return config.changed(settings=settings)

        return self._change(actor, "configure_settings", change, {"settings": dict(changes)})

    def set_classification(self, actor: Actor, field: str, values: Iterable[str]) -> TenantConfiguration:
        """Set the allowed values of a classified field (R-1.6); an empty list lifts the
        restriction."""
        if field not in CLASSIFIABLE:
            raise ValidationFailed(
                [FieldError("field", "not_allowed", f"must be one of: {', '.join(CLASSIFIABLE)}")]
            )
        allowed = tuple(dict.fromkeys(v.strip() for v in values if v.strip()))

        def change(config: TenantConfiguration) -> TenantConfiguration:
            return config.changed(classifications={**config.classifications, field: allowed})

        return self._change(actor, "configure_classification", change, {field: list(allowed)})

    def set_dimension_type(self, actor: Actor, name: str, values: Iterable[str]) -> TenantConfiguration:
        """Define a dimension type (``department``, ``location``) and its value codes."""
        allowed = tuple(dict.fromkeys(v.strip() for v in values if v.strip()))
        if not name.strip():
            raise ValidationFailed([FieldError("name", "blank", "must not be blank")])

        def change(config: TenantConfiguration) -> TenantConfiguration:
            return config.changed(dimension_types={**config.dimension_types, name.strip(): allowed})

        return self._change(actor, "configure_dimension", change, {name: list(allowed)})

    def set_custom_field(self, actor: Actor, data: Mapping[str, Any]) -> TenantConfiguration:
        """Define (or redefine) a typed custom field kept in customers' metadata."""
        self._ctx.require(actor, "configuration.write")  # before reading what it may not write
        definition = read_custom_field(data)

        def change(config: TenantConfiguration) -> TenantConfiguration:
            return config.changed(custom_fields=_replaced(config.custom_fields, definition, lambda f: f.name))

        return self._change(actor, "configure_custom_field", change, {"custom_field": to_data(definition)})

    def save_payment_terms(self, actor: Actor, data: Mapping[str, Any] | PaymentTerms) -> PaymentTerms:
        """Add or replace payment terms, given in their neutral form or as a value (R-6.1)."""
        self._ctx.require(actor, "configuration.write")  # before reading what it may not write
        terms = data if isinstance(data, PaymentTerms) else terms_from_dict(data)
        problems = validate_terms(terms)
        if problems:
            raise ValidationFailed(problems)

        def change(config: TenantConfiguration) -> TenantConfiguration:
            return config.changed(payment_terms={**config.payment_terms, terms.code: terms})

        self._change(actor, "configure_payment_terms", change, {"payment_terms": terms_to_dict(terms)})
        return terms

    def delete_payment_terms(self, actor: Actor, code: str) -> None:
        """Remove payment terms no customer refers to; refused while any does (R-6)."""

        def change(config: TenantConfiguration) -> TenantConfiguration:
            if code not in config.payment_terms:
                raise NotFound("payment terms", code)
            return config.changed(payment_terms={k: v for k, v in config.payment_terms.items() if k != code})

        self._change(actor, "delete_payment_terms", change, {"payment_terms": code}, terms_in_use=code)

    def save_price_list(self, actor: Actor, data: Mapping[str, Any] | PriceList) -> PriceList:
        """Add or replace a price list (R-7.1)."""
        self._ctx.require(actor, "configuration.write")  # before reading what it may not write
        price_list = data if isinstance(data, PriceList) else read_price_list(data)

        def change(config: TenantConfiguration) -> TenantConfiguration:
            return config.changed(price_lists={**config.price_lists, price_list.code: price_list})

        summary = {"price_list": price_list.code, "lines": len(price_list.lines)}
        self._change(actor, "configure_price_list", change, summary)
        return price_list

    def delete_price_list(self, actor: Actor, code: str) -> None:
        """Remove a price list that is neither the standard one nor any customer's."""

        def change(config: TenantConfiguration) -> TenantConfiguration:
            if code not in config.price_lists:
                raise NotFound("price list", code)
            if config.settings.standard_price_list == code:
                raise BusinessRuleViolation(
                    "in_use", f"price list {code} is the tenant's standard price list"
                )
            return config.changed(price_lists={k: v for k, v in config.price_lists.items() if k != code})

        self._change(actor, "delete_price_list", change, {"price_list": code}, list_in_use=code)

    def set_approval_lane(
        self, actor: Actor, operation: str, lane: str, *, kind: str | None = None
    ) -> TenantConfiguration:
        """Route ``operation`` (optionally only for customers of ``kind``) to ``lane`` (R-10.1)."""
        errors = []
        if operation not in ALL_OPERATIONS:
            errors.append(
                FieldError("operation", "not_allowed", f"must be one of: {', '.join(ALL_OPERATIONS)}")
            )
        if lane not in LANES:
            errors.append(FieldError("lane", "not_allowed", f"must be one of: {', '.join(LANES)}"))
        if kind is not None and kind not in KINDS:
            errors.append(FieldError("kind", "not_allowed", f"must be one of: {', '.join(KINDS)}"))
        refusal = lane_refusal(operation, lane) if lane in LANES else None
        if refusal is not None:
            errors.append(FieldError("lane", "irreversible", refusal))
        if errors:
            raise ValidationFailed(errors)
        rule = LaneRule(operation=operation, lane=cast(Lane, lane), kind=kind)

        def change(config: TenantConfiguration) -> TenantConfiguration:
            policy = config.settings.approvals
            rules = _replaced(policy.rules, rule, lambda r: (r.operation, r.kind))
            settings = attrs.evolve(config.settings, approvals=attrs.evolve(policy, rules=rules))
            return config.changed(settings=settings)

        return self._change(actor, "configure_approvals", change, {"lane": to_data(rule)})

    def set_approval_steps(self, actor: Actor, lane: str, roles: Iterable[str]) -> TenantConfiguration:
        """Set the roles that approve the steps of a yellow or red lane, in order."""
        steps = tuple(r.strip() for r in roles if r.strip())
        if lane not in ("yellow", "red") or not steps:
            raise ValidationFailed(
                [FieldError("lane", "not_allowed", "give yellow or red and at least one role")]
            )

        def change(config: TenantConfiguration) -> TenantConfiguration:
            policy = config.settings.approvals
            new_steps = {**dict(policy.steps), lane: steps}
            settings = attrs.evolve(config.settings, approvals=attrs.evolve(policy, steps=new_steps))
            return config.changed(settings=settings)

        return self._change(actor, "configure_approvals", change, {"steps": {lane: list(steps)}})

    def set_role_permissions(
        self, actor: Actor, role: str, permissions: Iterable[str]
    ) -> TenantConfiguration:
        """Give a role of this tenant exactly these permissions (R-12.2)."""
        granted = frozenset(p.strip() for p in permissions)
        unknown = sorted(granted - set(PERMISSIONS))
        if not role.strip() or unknown:
            raise ValidationFailed(
                [
                    FieldError(
                        "permissions",
                        "unknown_permission",
                        f"unknown: {', '.join(unknown)}; known: {', '.join(PERMISSIONS)}",
                    )
                ]
            )

        def change(config: TenantConfiguration) -> TenantConfiguration:
            return config.changed(role_permissions={**config.role_permissions, role.strip(): granted})

        return self._change(actor, "configure_roles", change, {"role": role, "permissions": sorted(granted)})

    def _change(
        self,
        actor: Actor,
        operation: str,
        change: Any,
        summary: Mapping[str, Any],
        *,
        terms_in_use: str | None = None,
        list_in_use: str | None = None,
    ) -> TenantConfiguration:
        with self._ctx.transaction(actor) as tx:
            current = tx.uow.configuration.get(actor.tenant)
            self._ctx.require(actor, "configuration.write", current)
            if terms_in_use or list_in_use:
                users = tx.uow.customers.count_using(
                    actor.tenant, payment_terms=terms_in_use, price_list=list_in_use
                )
                if users:
                    what = f"payment terms {terms_in_use}" if terms_in_use else f"price list {list_in_use}"
                    raise BusinessRuleViolation(
                        "in_use", f"{what} cannot be deleted: {users} customer(s) use them"
                    )
            changed: TenantConfiguration = change(current)
            if attrs.evolve(changed, version=current.version) == current:
                return current  # nothing to store, nothing to audit
            tx.uow.configuration.save(changed, expected_version=current.version)
            tx.audit(operation, (), {"configuration": {"before": None, "after": summary}})
        return changed


T = TypeVar("T")


def _replaced(items: tuple[T, ...], new: T, key: Callable[[T], object]) -> tuple[T, ...]:
    """``items`` with the one of ``new``'s key replaced in place, or ``new`` added last."""
    if any(key(item) == key(new) for item in items):
        return tuple(new if key(item) == key(new) else item for item in items)
    return (*items, new)
