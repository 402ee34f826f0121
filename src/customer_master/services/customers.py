"""Customers: create, partial update, deactivate and reactivate, enable for an entity,
read, effective view and search (SPEC R-1 to R-4.1, R-10, R-12, R-14).

Each change reads like the story in the SPEC: check the actor's permission → read the
input with every error at once → check uniqueness and host validation → route through
the approval lane (a non-green lane stores a change request and stops there) → store
with the version check, write the audit record and the event in the same unit of work →
commit → hooks hear of it. The ``_apply_*`` methods are also what a change request runs
on its final approval, re-validating against the state of that moment (R-10.3).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from attrs import evolve, frozen

from customer_master.actor import Actor
from customer_master.domain.approvals import ChangeRequest
from customer_master.domain.audit import change_set
from customer_master.domain.cloning import clone_payload
from customer_master.domain.config import TenantConfiguration
from customer_master.domain.customer import Customer, Status
from customer_master.domain.drafting import apply_changes, draft_customer
from customer_master.domain.effective import EffectiveView, effective_view
from customer_master.domain.identifiers import InvalidValue, normalise_code
from customer_master.domain.masking import masked_customer
from customer_master.domain.reading import shown
from customer_master.domain.records import ReadContext
from customer_master.domain.search import CustomerQuery, Page, query_errors
from customer_master.domain.serialize import to_data
from customer_master.domain.uniqueness import uniqueness_errors
from customer_master.domain.warnings import LookAlikes, customer_warnings
from customer_master.errors import (
    BusinessRuleViolation,
    Conflict,
    FieldError,
    FieldWarning,
    NotFound,
    ValidationFailed,
)
from customer_master.ports import UnitOfWork
from customer_master.services.base import Outcome, ServiceContext, Transaction
from customer_master.services.batching import CODES_AHEAD, BatchCustomers

# The key of a create's change request that names the customer it was cloned from.
CLONED_FROM = "cloned_from"

# A code that stands in for the generated one while a create waits for approval.
_PENDING_CODE = "PENDING"


@frozen
class Lookup:
    """A customer found by id or code; ``redirected_from`` is set when the customer asked
    for was merged away and this is the customer it was merged into (R-8.1)."""

    customer: Customer
    redirected_from: Customer | None = None


class CustomerService:
    """Use cases on customer records. Every call is scoped to the actor's tenant."""

    def __init__(self, context: ServiceContext) -> None:
        self._ctx = context

    # -- changes --------------------------------------------------------------------

    def create(self, actor: Actor, payload: Mapping[str, Any]) -> Outcome[Customer]:
        """Create a customer with all its related records in one atomic step (R-3.1)."""
        with self._ctx.transaction(actor) as tx:
            return self._create(tx, payload, cloned_from=None)

    def clone(
        self,
        actor: Actor,
        source_id: str,
        changes: Mapping[str, Any] | None = None,
        *,
        with_addresses: bool = False,
        with_contacts: bool = False,
    ) -> Outcome[Customer]:
        """Create a customer drafted from ``source_id`` (R-3.5): its classification, tags,
        dimensions, currency, payment terms, price list, pricing tiers, overrides and
        enablements (addresses and contacts when asked) with ``changes`` laid over them
        (a new name, say). Validated and routed like any create; the audit record names
        the source. Its code, tax ids, external references, bank accounts, notes and
        history are never copied."""
        with self._ctx.transaction(actor) as tx:
            self._config(tx, "customer.write")
            source = _found(tx.uow.customers.get(tx.tenant, source_id), source_id)
            drafted = clone_payload(source, with_addresses=with_addresses, with_contacts=with_contacts)
            payload = {**drafted, **(changes or {})}
            return self._create(tx, payload, cloned_from={"id": source.id, "code": source.code})

    def _create(
        self, tx: Transaction, payload: Mapping[str, Any], *, cloned_from: Mapping[str, str] | None
    ) -> Outcome[Customer]:
        actor = tx.actor
        config = self._config(tx, "customer.write")
        payload = {**self._ctx.hooks.defaults(actor.tenant, payload), **payload}
        draft, warnings = self._validated_new(tx, config, payload)
        routed = {**payload, CLONED_FROM: dict(cloned_from)} if cloned_from else payload
        request = tx.route(config, "create", payload=routed, kind=draft.kind)
        if request is not None:
            return Outcome(None, warnings, request)
        return self._reply(actor, config, self._store_new(tx, config, draft, warnings, cloned_from))

    def update(
        self, actor: Actor, customer_id: str, changes: Mapping[str, Any], *, version: int
    ) -> Outcome[Customer]:
        """Change only the fields given; related records change by ``add``/``update``/
        ``delete`` actions, all or nothing (R-3.2). ``version`` is the version the caller
        read; if the customer changed since, ``Conflict`` is raised (R-1.9)."""
        with self._ctx.transaction(actor) as tx:
            config = self._config(tx, "customer.write")
            current = self._current(tx, customer_id, version)
            changed, warnings = self._validated_change(tx, config, current, changes)
            if changed is None:
                return self._reply(actor, config, Outcome(current))
            request = tx.route(
                config,
                "update",
                payload={"customer_id": customer_id, "changes": dict(changes)},
                kind=current.kind,
                customer_versions={current.id: version},
            )
            if request is not None:
                return Outcome(None, warnings, request)
            return self._reply(actor, config, self._store_change(tx, current, changed, warnings))

    def deactivate(self, actor: Actor, customer_id: str, *, version: int | None = None) -> Outcome[Customer]:
        """Soft delete: the customer becomes inactive, its history stays (R-4.1)."""
        return self._route_status(actor, customer_id, "inactive", version)

    def reactivate(self, actor: Actor, customer_id: str, *, version: int | None = None) -> Outcome[Customer]:
        """Make a deactivated customer active again (R-4.1). A merged-away customer cannot
        come back; its unique tax ids must still be free."""
        return self._route_status(actor, customer_id, "active", version)

    def enable_for_entity(
        self, actor: Actor, customer_id: str, entity: str, *, version: int | None = None
    ) -> Customer:
        """Let documents of ``entity`` use the customer (R-2.3)."""
        return self._set_entity(actor, customer_id, entity, True, version)

    def disable_for_entity(
        self, actor: Actor, customer_id: str, entity: str, *, version: int | None = None
    ) -> Customer:
        """Stop documents of ``entity`` from using the customer (the owning entity stays)."""
        return self._set_entity(actor, customer_id, entity, False, version)

    # -- checks before saving (a form shows the warnings first, R-3.4) ---------------

    def check_create(self, actor: Actor, payload: Mapping[str, Any]) -> tuple[FieldWarning, ...]:
        """Validate a create exactly as ``create`` would and return its warnings, storing
        nothing and submitting nothing; raises ``ValidationFailed`` with every error."""
        with self._ctx.storage.unit_of_work() as uow:
            tx = Transaction(uow=uow, actor=actor, context=self._ctx)
            config = self._config(tx, "customer.write")
            payload = {**self._ctx.hooks.defaults(actor.tenant, payload), **payload}
            return self._validated_new(tx, config, payload)[1]

    def check_update(
        self, actor: Actor, customer_id: str, changes: Mapping[str, Any], *, version: int
    ) -> tuple[FieldWarning, ...]:
        """Validate an update exactly as ``update`` would (version included) and return its
        warnings, storing nothing; raises ``ValidationFailed`` or ``Conflict``."""
        with self._ctx.storage.unit_of_work() as uow:
            tx = Transaction(uow=uow, actor=actor, context=self._ctx)
            config = self._config(tx, "customer.write")
            current = self._current(tx, customer_id, version)
            return self._validated_change(tx, config, current, changes)[1]

    # -- what a change request runs on its final approval ----------------------------

    def apply_request(self, tx: Transaction, request: ChangeRequest) -> Outcome[Customer]:
        """Re-validate and apply an approved create, update, deactivate or reactivate."""
        payload = request.payload
        if request.operation == "create":
            return self._apply_create(tx, payload)
        customer_id = str(payload["customer_id"])
        version = request.customer_versions[customer_id]
        if request.operation == "update":
            return self._apply_update(tx, customer_id, payload["changes"], version)
        status: Status = "inactive" if request.operation == "deactivate" else "active"
        return Outcome(self._apply_status(tx, customer_id, status, version))

    def _apply_create(self, tx: Transaction, payload: Mapping[str, Any]) -> Outcome[Customer]:
        config = tx.uow.configuration.get(tx.tenant)
        fields = {k: v for k, v in payload.items() if k != CLONED_FROM}
        draft, warnings = self._validated_new(tx, config, fields)
        return self._store_new(tx, config, draft, warnings, payload.get(CLONED_FROM))

    def _apply_update(
        self, tx: Transaction, customer_id: str, changes: Mapping[str, Any], version: int
    ) -> Outcome[Customer]:
        config = tx.uow.configuration.get(tx.tenant)
        current = self._current(tx, customer_id, version)
        changed, warnings = self._validated_change(tx, config, current, changes)
        if changed is None:
            return Outcome(current)
        return self._store_change(tx, current, changed, warnings)

    # -- the two halves of a create or update, for bulk callers (imports, R-9) ---------
    #
    # An import checks each row inside its batch's unit of work and stores only the rows
    # that pass, so a bad row is reported with its problems and costs nothing.

    def check_new(
        self, tx: Transaction, config: TenantConfiguration, payload: Mapping[str, Any]
    ) -> tuple[Customer, tuple[FieldWarning, ...]]:
        """Validate a create as ``create`` does (host defaults, every field, unique keys,
        host validation, warnings) without storing it or drawing a code; raises
        ``ValidationFailed``. ``store_new`` stores the result."""
        payload = {**self._ctx.hooks.defaults(tx.tenant, payload), **payload}
        return self._validated_new(tx, config, payload)

    def store_new(
        self,
        tx: Transaction,
        config: TenantConfiguration,
        draft: Customer,
        warnings: tuple[FieldWarning, ...],
    ) -> Outcome[Customer]:
        """Store a customer ``check_new`` validated, with its audit record and event."""
        return self._store_new(tx, config, draft, warnings)

    def check_change(
        self, tx: Transaction, config: TenantConfiguration, current: Customer, changes: Mapping[str, Any]
    ) -> tuple[Customer | None, tuple[FieldWarning, ...]]:
        """Validate a partial update of ``current`` as ``update`` does; ``None`` when it
        changes nothing. Raises ``ValidationFailed``, or ``BusinessRuleViolation`` for a
        merged-away customer. ``store_change`` stores the result."""
        return self._validated_change(tx, config, current, changes)

    def store_change(
        self, tx: Transaction, current: Customer, changed: Customer, warnings: tuple[FieldWarning, ...]
    ) -> Outcome[Customer]:
        """Store a change ``check_change`` validated: version check (R-1.9), audit, event."""
        return self._store_change(tx, current, changed, warnings)

    def _store_new(
        self,
        tx: Transaction,
        config: TenantConfiguration,
        draft: Customer,
        warnings: tuple[FieldWarning, ...],
        cloned_from: Mapping[str, str] | None = None,
    ) -> Outcome[Customer]:
        """Store a validated new customer, drawing its code now (so a refused or pending
        create never uses one up, R-1.1); a clone's audit record names its source (R-3.5)."""
        customer = evolve(draft, code=self._next_code(tx, config)) if draft.code == _PENDING_CODE else draft
        tx.uow.customers.add(customer)
        data = to_data(customer)
        if cloned_from:
            changes = {**change_set(None, data), CLONED_FROM: {"before": None, "after": dict(cloned_from)}}
            tx.audit_customer("create", customer.id, None, data, changes)
        else:
            tx.audit_customer("create", customer.id, None, data)
        tx.emit("customer_created", {"customer": customer}, {"customer": data})
        return Outcome(customer, warnings)

    def _store_change(
        self, tx: Transaction, current: Customer, changed: Customer, warnings: tuple[FieldWarning, ...]
    ) -> Outcome[Customer]:
        stored = tx.uow.customers.update(changed, expected_version=current.version)
        before, after = to_data(current), to_data(stored)
        delta = change_set(before, after)
        tx.audit_customer("update", stored.id, before, after, delta)
        tx.emit(
            "customer_updated",
            {"customer": stored, "changes": delta},
            {"customer": after, "changes": delta},
        )
        return Outcome(stored, warnings)

    def _apply_status(
        self, tx: Transaction, customer_id: str, status: Status, version: int | None
    ) -> Customer:
        current = self._current(tx, customer_id, version)
        if current.status == status:
            return current
        if current.is_merged:
            raise BusinessRuleViolation(
                "merged", f"customer {current.code} was merged away; it stays inactive"
            )
        changed = evolve(current, status=status, updated_at=self._ctx.clock.now())
        if status == "active":
            self._check_keys(tx.uow, tx.uow.configuration.get(tx.tenant), changed, "reactivate")
        stored = tx.uow.customers.update(changed, expected_version=current.version)
        if status == "inactive":
            tx.audit("deactivate", [stored.id], change_set(to_data(current), to_data(stored)))
            tx.emit("customer_deactivated", {"customer": stored}, {"customer": to_data(stored)})
        else:
            tx.audit("reactivate", [stored.id], change_set(to_data(current), to_data(stored)))
            tx.emit("customer_reactivated", {"customer": stored}, {"customer": to_data(stored)})
        return stored

    # -- reads ----------------------------------------------------------------------

    def get(self, actor: Actor, customer_id: str) -> Customer:
        """The customer with this id in the actor's tenant, active or not (R-1.8)."""
        config = self._ctx.require(actor, "customer.read")
        found = self._ctx.storage.lookups.customer(actor.tenant, customer_id)
        return self._shown(actor, config, _found(found, customer_id))

    def lookup(self, actor: Actor, id_or_code: str) -> Lookup:
        """Find a customer by id or code; a merged-away customer leads to its target."""
        with self._ctx.storage.unit_of_work() as uow:
            config = uow.configuration.get(actor.tenant)
            self._ctx.require(actor, "customer.read", config)
            repo = uow.customers
            found = repo.get(actor.tenant, id_or_code) or repo.get_by_code(actor.tenant, id_or_code.upper())
            customer = self._shown(actor, config, _found(found, id_or_code))
            if customer.merged_into is None:
                return Lookup(customer)
            target = _found(repo.get(actor.tenant, customer.merged_into), customer.merged_into)
            return Lookup(self._shown(actor, config, target), redirected_from=customer)

    def effective_view(self, actor: Actor, customer_id: str, entity: str) -> EffectiveView:
        """The customer as legal entity ``entity`` sees it (R-2.2)."""
        config = self._ctx.require(actor, "customer.read")
        if not config.has_entity(entity):
            raise NotFound("legal entity", entity)
        found = self._ctx.storage.lookups.customer(actor.tenant, customer_id)
        view = effective_view(_found(found, customer_id), entity)
        return evolve(view, customer=self._shown(actor, config, view.customer))

    def search(self, actor: Actor, query: CustomerQuery | None = None) -> Page:
        """A page of customers; by default the active ones, by code (R-1.8, R-14.1).
        Raises ``ValidationFailed`` for a query it cannot run (an unknown ``name_match``)."""
        errors = query_errors(query or CustomerQuery())
        if errors:
            raise ValidationFailed(errors)
        with self._ctx.storage.unit_of_work() as uow:
            config = uow.configuration.get(actor.tenant)
            self._ctx.require(actor, "customer.read", config)
            page = uow.customers.list(actor.tenant, query or CustomerQuery())
        if self._ctx.can(actor, "view_sensitive", config):
            return page
        return Page(tuple(masked_customer(c) for c in page.items), page.next_cursor)

    # -- helpers --------------------------------------------------------------------

    def _config(self, tx: Transaction, permission: str) -> TenantConfiguration:
        config = tx.uow.configuration.get(tx.tenant)
        self._ctx.require(tx.actor, permission, config)
        return config

    def _reply(
        self, actor: Actor, config: TenantConfiguration, outcome: Outcome[Customer]
    ) -> Outcome[Customer]:
        """What a change gives back, masked like any read for this actor (R-12.2)."""
        if outcome.value is None:
            return outcome
        return evolve(outcome, value=self._shown(actor, config, outcome.value))

    def _shown(self, actor: Actor, config: TenantConfiguration, customer: Customer) -> Customer:
        """The customer as this actor may see it (R-12.2)."""
        return customer if self._ctx.can(actor, "view_sensitive", config) else masked_customer(customer)

    def _validated_new(
        self, tx: Transaction, config: TenantConfiguration, payload: Mapping[str, Any]
    ) -> tuple[Customer, tuple[FieldWarning, ...]]:
        """The new customer read from ``payload`` and checked against the store; a
        generated code is left as a placeholder until the customer is stored."""
        errors: list[FieldError] = []
        code = self._code_for_new(tx, config, payload, errors)
        read = ReadContext(config=config, errors=errors, new_id=self._ctx.make_id)
        now = self._ctx.clock.now()
        customer = draft_customer(
            payload, read, id=self._ctx.make_id(), tenant=tx.tenant, code=code or "", now=now
        )
        if customer is None or errors:
            raise ValidationFailed(errors)
        self._check_keys(tx.uow, config, customer, "create")
        return customer, self._warnings(tx.uow, config, customer)

    def _validated_change(
        self, tx: Transaction, config: TenantConfiguration, current: Customer, changes: Mapping[str, Any]
    ) -> tuple[Customer | None, tuple[FieldWarning, ...]]:
        """The changed customer, or ``None`` when the changes change nothing."""
        if current.is_merged:
            raise BusinessRuleViolation(
                "merged", f"customer {current.code} was merged away and cannot change"
            )
        errors: list[FieldError] = []
        read = ReadContext(config=config, errors=errors, new_id=self._ctx.make_id)
        changed = apply_changes(current, changes, read, now=self._ctx.clock.now())
        if changed is None or errors:
            raise ValidationFailed(errors)
        if not change_set(to_data(current), to_data(changed)):
            return None, ()
        self._check_keys(tx.uow, config, changed, "update")
        return changed, self._warnings(tx.uow, config, changed)

    def _code_for_new(
        self,
        tx: Transaction,
        config: TenantConfiguration,
        payload: Mapping[str, Any],
        errors: list[FieldError],
    ) -> str | None:
        """The validated given code, or a placeholder when the tenant generates codes."""
        given = payload.get("code")
        if config.settings.auto_generate_code:
            if given is not None:
                errors.append(
                    FieldError(
                        "code",
                        "read_only",
                        f"{shown(given)}: codes are generated by this tenant; leave code out",
                    )
                )
                return None
            return _PENDING_CODE
        if not isinstance(given, str):
            errors.append(FieldError("code", "required", "is required (this tenant does not generate codes)"))
            return None
        try:
            code = normalise_code(given)
        except InvalidValue as problem:
            errors.append(FieldError("code", "invalid", f"{shown(given)} {problem}"))
            return None
        if tx.uow.customers.get_by_code(tx.tenant, code) is not None:
            errors.append(FieldError("code", "taken", f"customer code {code} is already taken"))
        return code

    def _next_code(self, tx: Transaction, config: TenantConfiguration) -> str:
        """The next generated code: no gaps, never reused (R-1.1); a number whose code was
        typed in by hand while generation was off is passed over."""
        repo = tx.uow.customers
        while True:
            value = tx.uow.codes.next_value(tx.tenant)
            code = config.settings.code_for(value)
            if isinstance(repo, BatchCustomers):  # an import: ask for the next codes at once
                repo.expect_codes(config.settings.code_for(n) for n in range(value, value + CODES_AHEAD))
            if repo.get_by_code(tx.tenant, code) is None:
                return code

    def _check_keys(
        self, uow: UnitOfWork, config: TenantConfiguration, customer: Customer, operation: str
    ) -> None:
        repo = uow.customers
        errors = uniqueness_errors(
            customer,
            tax_id_holders={
                t.number: repo.find_by_tax_id(customer.tenant, t.number) for t in customer.tax_ids
            },
            ref_holders={
                r: repo.find_by_external_ref(customer.tenant, r.system, r.ref) for r in customer.external_refs
            },
            enforce_unique_tax_id=config.settings.enforce_unique_tax_id,
        )
        errors += self._ctx.hooks.extra_errors(customer.tenant, customer, operation)
        if errors:
            raise ValidationFailed(errors)

    def _warnings(
        self, uow: UnitOfWork, config: TenantConfiguration, customer: Customer
    ) -> tuple[FieldWarning, ...]:
        found = uow.customers.similar_name_candidates(customer.tenant, customer.name)
        candidates = found if isinstance(found, LookAlikes) else LookAlikes.of(found)
        if customer.code != _PENDING_CODE:  # a new customer is not among them yet
            candidates = candidates.without(customer.code)
        today = self._ctx.clock.today(config.settings.time_zone)
        return tuple(customer_warnings(customer, config.settings, today=today, similar_candidates=candidates))

    def _current(self, tx: Transaction, customer_id: str, version: int | None) -> Customer:
        current = _found(tx.uow.customers.get(tx.tenant, customer_id), customer_id)
        if version is not None and current.version != version:
            raise Conflict(
                f"customer {current.code} is at version {current.version}, not {version}; "
                "reload and try again",
                current_version=current.version,
            )
        return current

    def _route_status(
        self, actor: Actor, customer_id: str, status: Status, version: int | None
    ) -> Outcome[Customer]:
        operation = "deactivate" if status == "inactive" else "reactivate"
        with self._ctx.transaction(actor) as tx:
            config = self._config(tx, "customer.write")
            current = self._current(tx, customer_id, version)
            if current.status == status:
                return self._reply(actor, config, Outcome(current))
            request = tx.route(
                config,
                operation,
                payload={"customer_id": customer_id},
                kind=current.kind,
                customer_versions={current.id: current.version},
            )
            if request is not None:
                return Outcome(None, (), request)
            stored = self._apply_status(tx, customer_id, status, current.version)
            return self._reply(actor, config, Outcome(stored))

    def _set_entity(
        self, actor: Actor, customer_id: str, entity: str, enabled: bool, version: int | None
    ) -> Customer:
        with self._ctx.transaction(actor) as tx:
            config = self._config(tx, "customer.write")
            if not config.has_entity(entity):
                raise ValidationFailed(
                    [FieldError("entity", "unknown_entity", f"no legal entity with code '{entity}'")]
                )
            current = self._current(tx, customer_id, version)
            entities = current.enabled_entities | {entity} if enabled else current.enabled_entities - {entity}
            if entities == current.enabled_entities:
                return self._shown(actor, config, current)
            changed = evolve(current, enabled_entities=entities, updated_at=self._ctx.clock.now())
            stored = tx.uow.customers.update(changed, expected_version=current.version)
            delta = change_set(to_data(current), to_data(stored))
            tx.audit("enable_entity" if enabled else "disable_entity", [stored.id], delta)
            tx.emit(
                "customer_updated",
                {"customer": stored, "changes": delta},
                {"customer": to_data(stored), "changes": delta},
            )
        return self._shown(actor, config, stored)


def _found(customer: Customer | None, key: str) -> Customer:
    if customer is None:
        raise NotFound("customer", key)
    return customer
