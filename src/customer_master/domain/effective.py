"""The effective view: what one legal entity sees of a customer (SPEC R-2.2).

The master is defined once for the tenant. An entity may override a few fields (credit
limit, payment terms, currency, default price list, salesperson, receivable account,
credit hold) and hold its own addresses. The effective view lays the entity's override
over the master field by field; a field the override leaves empty inherits the master's.
Nothing is copied into storage: the view is computed on every read (R-2.3).

>>> from decimal import Decimal
>>> from customer_master.domain.customer import Customer, EntityOverride
>>> master = Customer(id="c1", tenant="acme", code="CUS-0001", name="Acme Sdn Bhd",
...     kind="company", legal_entity="MY01", credit_limit=Decimal("50000"), payment_terms="NET30",
...     overrides=(EntityOverride(entity="SG01", credit_limit=Decimal("20000")),))
>>> view = effective_view(master, "SG01")
>>> view.customer.credit_limit, view.customer.payment_terms, view.overridden
(Decimal('20000'), 'NET30', ('credit_limit',))
>>> master.credit_limit
Decimal('50000')
"""

from __future__ import annotations

from attrs import evolve, frozen

from customer_master.domain.customer import OVERRIDE_FIELDS, Address, Customer


@frozen(kw_only=True)
class EffectiveView:
    """A customer as entity ``entity`` sees it; ``overridden`` names the fields that came
    from the entity's override rather than the master."""

    entity: str
    customer: Customer
    overridden: tuple[str, ...]
    is_enabled: bool

    def default_address(self, purpose: str) -> Address | None:
        """The default address for ``purpose`` (``billing`` for invoices, ``shipping`` for
        deliveries); the entity's own default wins over the master's (R-1.7)."""
        defaults = [a for a in self.customer.addresses if purpose in a.default_for]
        own = [a for a in defaults if a.entity == self.entity]
        return own[0] if own else (defaults[0] if defaults else None)


def effective_view(customer: Customer, entity: str) -> EffectiveView:
    """The master of ``customer`` with ``entity``'s override laid over it (R-2.2)."""
    override = customer.override_for(entity)
    changes: dict[str, object] = {}
    if override is not None:
        for name in OVERRIDE_FIELDS:
            value = getattr(override, name)
            if value is not None:
                changes[name] = value
    addresses = tuple(a for a in customer.addresses if a.entity in (None, entity))
    unchanged = not changes and len(addresses) == len(customer.addresses)
    view = customer if unchanged else evolve(customer, addresses=addresses, **changes)  # type: ignore[arg-type]
    return EffectiveView(
        entity=entity,
        customer=view,
        overridden=tuple(changes),
        is_enabled=customer.is_enabled_for(entity),
    )
