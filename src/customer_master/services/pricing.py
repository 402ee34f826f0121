"""Price resolution as a service (SPEC R-7): collect the customer's pricing tiers, last
invoiced rate, effective default price list and the tenant's standard list, and let
``domain/pricing.py`` pick by precedence. Also records invoiced rates (R-7.2 step 2)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from customer_master.actor import Actor
from customer_master.domain.effective import effective_view
from customer_master.domain.pricing import LastPrice, PriceResolution, resolve_price
from customer_master.domain.reading import read_amount
from customer_master.errors import NotFound
from customer_master.services.base import ServiceContext


class PricingService:
    """Resolve prices for documents; remember invoiced rates."""

    def __init__(self, context: ServiceContext) -> None:
        self._ctx = context

    def resolve(
        self,
        actor: Actor,
        customer_id: str,
        *,
        entity: str,
        item_code: str,
        quantity: Decimal,
        on: date | None = None,
    ) -> PriceResolution:
        """The unit price of ``quantity`` of ``item_code`` for the customer's document of
        ``entity`` on ``on`` (default: today), with the source that won and why the
        sources before it did not apply (R-7.2)."""
        quantity = read_amount("quantity", quantity, minimum=Decimal(0))
        config = self._ctx.require(actor, "customer.read")
        customer = self._ctx.storage.lookups.customer(actor.tenant, customer_id)
        if not config.has_entity(entity):
            raise NotFound("legal entity", entity)
        if customer is None:
            raise NotFound("customer", customer_id)
        view = effective_view(customer, entity).customer
        settings = config.settings
        standard = settings.standard_price_list
        last = None
        if settings.use_last_price:
            last = self._ctx.storage.last_prices.last_price(actor.tenant, customer.id, item_code)
        return resolve_price(
            item_code=item_code,
            quantity=quantity,
            on=on or self._ctx.clock.today(settings.time_zone),
            tiers=view.pricing_tiers,
            use_last_price=settings.use_last_price,
            last_price=last,
            default_list=config.price_lists.get(view.price_list) if view.price_list else None,
            standard_list=config.price_lists.get(standard) if standard else None,
        )

    def record_invoiced_rate(
        self,
        actor: Actor,
        customer_id: str,
        *,
        item_code: str,
        unit_price: Decimal,
        currency: str,
        invoiced_on: date,
    ) -> None:
        """Remember the rate of a customer's sales-invoice line (used when
        ``use_last_price`` is on); a rate from an older invoice never replaces a newer one."""
        unit_price = read_amount("unit_price", unit_price, minimum=Decimal(0))
        with self._ctx.storage.unit_of_work() as uow:
            if uow.customers.get(actor.tenant, customer_id) is None:
                raise NotFound("customer", customer_id)
        price = LastPrice(unit_price=unit_price, currency=currency, invoiced_on=invoiced_on)
        self._ctx.storage.last_prices.record(actor.tenant, customer_id, item_code, price)
