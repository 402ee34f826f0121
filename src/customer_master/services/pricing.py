"""Price resolution as a service (SPEC R-7): collect the customer's pricing tiers, last
invoiced rate, effective default price list and the tenant's standard list, and let
``domain/pricing.py`` pick by precedence. Also records invoiced rates (R-7.2 step 2)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from customer_master.actor import Actor
from customer_master.domain.effective import effective_view
from customer_master.domain.money import is_currency
from customer_master.domain.pricing import LastPrice, PriceResolution, resolve_price
from customer_master.domain.receivables import exact_amount
from customer_master.errors import BusinessRuleViolation, FieldError, NotFound, ValidationFailed
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
        quantity: object,
        on: date | None = None,
        currency: str | None = None,
    ) -> PriceResolution:
        """The unit price of ``quantity`` (an exact number: int, decimal string or
        Decimal, R-7.3) of ``item_code`` for the customer's document of ``entity`` in
        ``currency`` (default: the customer's effective currency for the entity) on
        ``on`` (default: today), with the source that won and why the sources before it
        did not apply (R-7.2). Refused with ``not_enabled_for_entity`` for an entity the
        customer is not enabled for (R-7.3)."""
        amount = exact_amount(quantity, "quantity")
        if isinstance(amount, FieldError):
            raise ValidationFailed([amount])
        config = self._ctx.require(actor, "customer.read")
        customer = self._ctx.storage.lookups.customer(actor.tenant, customer_id)
        if not config.has_entity(entity):
            raise NotFound("legal entity", entity)
        if customer is None:
            raise NotFound("customer", customer_id)
        if not customer.is_enabled_for(entity):
            raise BusinessRuleViolation(
                "not_enabled_for_entity", f"customer {customer.code} is not enabled for legal entity {entity}"
            )
        view = effective_view(customer, entity).customer
        settings = config.settings
        legal_entity = config.entity(entity)
        document_currency = currency or view.currency or (legal_entity.currency if legal_entity else None)
        day = on or self._ctx.clock.today(settings.time_zone)
        standard = settings.standard_price_list
        use_last_price = settings.use_last_price if view.use_last_price is None else view.use_last_price
        rates: Sequence[LastPrice] = ()
        if use_last_price:
            port = self._ctx.last_prices or self._ctx.storage.last_prices
            rates = port.last_prices(
                actor.tenant, customer.id, item_code, on=day, currency=document_currency or ""
            )
        return resolve_price(
            item_code=item_code,
            quantity=amount,
            on=day,
            tiers=view.pricing_tiers,
            use_last_price=use_last_price,
            last_prices=rates,
            currency=document_currency,
            default_list=config.price_lists.get(view.price_list) if view.price_list else None,
            standard_list=config.price_lists.get(standard) if standard else None,
        )

    def record_invoiced_rate(
        self,
        actor: Actor,
        customer_id: str,
        *,
        item_code: str,
        unit_price: object,
        currency: str,
        invoiced_on: date,
    ) -> None:
        """Remember the rate of a customer's sales-invoice line (used when
        ``use_last_price`` is on); needs ``customer.write``. Kept per invoice date and
        currency, so a look-up as of any date finds the rate in force then (R-7.2)."""
        price = exact_amount(unit_price, "unit_price")
        errors = [price] if isinstance(price, FieldError) else []
        if not isinstance(currency, str) or not is_currency(currency):
            errors.append(FieldError("currency", "invalid", "is not an ISO 4217 currency code"))
        if not isinstance(item_code, str) or not item_code.strip():
            errors.append(FieldError("item_code", "required", "is required"))
        if errors or isinstance(price, FieldError):
            raise ValidationFailed(errors)
        self._ctx.require(actor, "customer.write")
        if self._ctx.storage.lookups.customer(actor.tenant, customer_id) is None:
            raise NotFound("customer", customer_id)
        rate = LastPrice(unit_price=price, currency=currency, invoiced_on=invoiced_on)
        self._ctx.storage.last_prices.record(actor.tenant, customer_id, item_code.strip(), rate)
