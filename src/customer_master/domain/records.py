"""Reading the customer's related records (SPEC R-1.4, R-1.7, R-2.1) from plain data.

Each ``read_*`` function reads one record at ``path`` and returns the value, or ``None``
when it has errors (recorded in ``ctx.errors`` with full paths). ``check_collections``
applies the rules that span a collection: one default per purpose, one primary contact,
one primary tax id.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal

from attrs import define, field

from customer_master.domain.config import TenantConfiguration
from customer_master.domain.customer import (
    ADDRESS_PURPOSES,
    Address,
    BankAccount,
    Contact,
    Customer,
    Dimension,
    EntityOverride,
    ExternalRef,
    TaxId,
    TaxProfile,
)
from customer_master.domain.identifiers import (
    TAX_SCHEME_PATTERN,
    normalise_bic,
    normalise_country,
    normalise_email,
    normalise_iban,
    normalise_phone,
    normalise_tax_id,
)
from customer_master.domain.money import is_currency
from customer_master.domain.pricing import PricingTier
from customer_master.domain.reading import Reader
from customer_master.errors import FieldError


@define
class ReadContext:
    """What reading needs besides the data: the tenant's configuration, a place for
    errors, a maker of new record ids, and the countries national phone numbers are
    read in (``phones_from``)."""

    config: TenantConfiguration
    errors: list[FieldError]
    new_id: Callable[[], str]
    default_country: str | None = None
    site_countries: dict[str, str] = field(factory=dict)

    def phones_from(self, addresses: Sequence[Address]) -> None:
        """Read national phone numbers in the customer's country: its default billing
        address's, else its first billing address's, else its first address's; a
        contact's in the country of its site (decision 0020). A country given by the
        caller (``default_country``) comes first."""
        billing = [a for a in addresses if "billing" in a.purposes]
        defaults = [a for a in billing if "billing" in a.default_for]
        first = next(iter(defaults or billing or addresses), None)
        self.default_country = self.default_country or (first.country if first else None)
        self.site_countries = {a.id: a.country for a in addresses}

    def phone_region(self, site_id: str | None = None) -> str | None:
        """The country a national phone number is read in (of a contact at ``site_id``)."""
        return self.site_countries.get(site_id or "", self.default_country)

    def reader(self, data: object, path: str) -> Reader:
        return Reader(data, path, self.errors)

    def record_id(self, r: Reader) -> str:
        given = r.text("id", max_length=64)
        return given or self.new_id()


def read_tax_id(data: object, path: str, ctx: ReadContext) -> TaxId | None:
    r = _record(data, path, ctx)
    if r is None:
        return None
    r.only(("id", "scheme", "number", "is_primary"))
    scheme = r.text("scheme", required=True, max_length=32)
    if scheme is not None and not TAX_SCHEME_PATTERN.match(scheme.lower()):
        r.refuse("scheme", "invalid", "must look like 'eu.vat' or 'in.gstin' (country.kind)")
        scheme = None
    scheme = scheme.lower() if scheme else None
    number = r.text("number", required=True, max_length=64)
    is_primary = r.boolean("is_primary")
    if scheme is None or number is None:
        return None
    number = r.normalised("number", lambda n: normalise_tax_id(scheme, n), required=True)
    if number is None:
        return None
    return TaxId(id=ctx.record_id(r), scheme=scheme, number=number, is_primary=is_primary)


ADDRESS_FIELDS = (
    "id",
    "purposes",
    "default_for",
    "label",
    "line1",
    "line2",
    "line3",
    "city",
    "state",
    "postal_code",
    "country",
    "entity",
)


def read_address(data: object, path: str, ctx: ReadContext) -> Address | None:
    r = _record(data, path, ctx)
    if r is None:
        return None
    r.only(ADDRESS_FIELDS)
    purposes = _purposes(r, "purposes", required=True)
    default_for = _purposes(r, "default_for")
    for purpose in default_for:
        if purpose not in purposes:
            r.error("default_for", "not_a_purpose", f"'{purpose}' is not one of this address's purposes")
    entity = _entity(r, "entity", ctx, required=False)
    values = {
        "label": r.text("label", max_length=120),
        "line1": r.text("line1", required=True),
        "line2": r.text("line2"),
        "line3": r.text("line3"),
        "city": r.text("city", required=True, max_length=120),
        "state": r.text("state", max_length=120),
        "postal_code": r.text("postal_code", max_length=20),
        "country": r.normalised("country", normalise_country, required=True),
    }
    if not _clean(r, path, ctx):
        return None
    return Address(
        id=ctx.record_id(r),
        purposes=purposes,
        default_for=default_for,
        entity=entity,
        **values,  # type: ignore[arg-type]
    )


def read_contact(data: object, path: str, ctx: ReadContext) -> Contact | None:
    r = _record(data, path, ctx)
    if r is None:
        return None
    r.only(("id", "name", "roles", "email", "phone", "site_id", "is_primary"))
    name = r.text("name", required=True)
    roles = r.strings("roles")
    email = r.normalised("email", normalise_email)
    site_id = r.text("site_id", max_length=64)
    phone = r.normalised("phone", lambda p: normalise_phone(p, ctx.phone_region(site_id)), max_length=40)
    is_primary = r.boolean("is_primary")
    if not _clean(r, path, ctx) or name is None:
        return None
    return Contact(
        id=ctx.record_id(r),
        name=name,
        roles=roles,
        email=email,
        phone=phone,
        site_id=site_id,
        is_primary=is_primary,
    )


def read_bank_account(data: object, path: str, ctx: ReadContext) -> BankAccount | None:
    r = _record(data, path, ctx)
    if r is None:
        return None
    r.only(("id", "bank_name", "account_number", "iban", "bic"))
    bank_name = r.text("bank_name", max_length=120)
    account_number = r.text("account_number", max_length=64)
    iban = r.normalised("iban", normalise_iban, max_length=64)
    bic = r.normalised("bic", normalise_bic, max_length=16)
    if not r.has("account_number") and not r.has("iban"):
        r.error("account_number", "required", "an account number or an IBAN is required")
    if not _clean(r, path, ctx):
        return None
    return BankAccount(
        id=ctx.record_id(r),
        bank_name=bank_name,
        account_number=account_number,
        iban=iban,
        bic=bic,
    )


def read_pricing_tier(data: object, path: str, ctx: ReadContext) -> PricingTier | None:
    r = _record(data, path, ctx)
    if r is None:
        return None
    r.only(
        (
            "id",
            "item_code",
            "min_quantity",
            "max_quantity",
            "unit_price",
            "currency",
            "valid_from",
            "valid_to",
        )
    )
    item_code = r.text("item_code", required=True, max_length=64)
    min_quantity = r.decimal("min_quantity", minimum=Decimal(0))
    max_quantity = r.decimal("max_quantity", minimum=Decimal(0))
    unit_price = r.decimal("unit_price", required=True, minimum=Decimal(0))
    currency = read_currency(r, "currency", required=True)
    valid_from, valid_to = r.date("valid_from"), r.date("valid_to")
    if min_quantity is not None and max_quantity is not None and max_quantity < min_quantity:
        r.refuse("max_quantity", "too_small", f"must not be below min_quantity ({min_quantity})")
    if valid_from and valid_to and valid_to < valid_from:
        r.refuse("valid_to", "before_start", f"must not be before valid_from ({valid_from})")
    if not _clean(r, path, ctx) or item_code is None or unit_price is None or currency is None:
        return None
    return PricingTier(
        id=ctx.record_id(r),
        item_code=item_code,
        min_quantity=min_quantity if min_quantity is not None else Decimal(0),
        max_quantity=max_quantity,
        unit_price=unit_price,
        currency=currency,
        valid_from=valid_from,
        valid_to=valid_to,
    )


def read_tax_profile(data: object, path: str, ctx: ReadContext) -> TaxProfile | None:
    r = _record(data, path, ctx)
    if r is None:
        return None
    r.only(("id", "exempt_tax_code", "certificate_number", "valid_from", "valid_to"))
    code = r.text("exempt_tax_code", required=True, max_length=32)
    certificate = r.text("certificate_number", max_length=64)
    valid_from, valid_to = r.date("valid_from"), r.date("valid_to")
    if valid_from and valid_to and valid_to < valid_from:
        r.refuse("valid_to", "before_start", f"must not be before valid_from ({valid_from})")
    if not _clean(r, path, ctx) or code is None:
        return None
    return TaxProfile(
        id=ctx.record_id(r),
        exempt_tax_code=code,
        certificate_number=certificate,
        valid_from=valid_from,
        valid_to=valid_to,
    )


OVERRIDE_INPUT_FIELDS = (
    "entity",
    "credit_limit",
    "payment_terms",
    "currency",
    "price_list",
    "salesperson",
    "receivable_account",
    "use_last_price",
)


def read_override(data: object, path: str, ctx: ReadContext) -> EntityOverride | None:
    """An entity override (R-2.1); its credit hold is set through the credit-hold service."""
    r = _record(data, path, ctx)
    if r is None:
        return None
    r.only(OVERRIDE_INPUT_FIELDS)
    entity = _entity(r, "entity", ctx, required=True)
    values = {
        "credit_limit": r.decimal("credit_limit", minimum=Decimal(0)),
        "payment_terms": reference(r, "payment_terms", ctx.config.payment_terms, "payment terms"),
        "currency": read_currency(r, "currency"),
        "price_list": reference(r, "price_list", ctx.config.price_lists, "price list"),
        "salesperson": r.text("salesperson", max_length=64),
        "receivable_account": r.text("receivable_account", max_length=64),
        "use_last_price": r.optional_boolean("use_last_price"),
    }
    if not _clean(r, path, ctx) or entity is None:
        return None
    return EntityOverride(entity=entity, **values)  # type: ignore[arg-type]


def read_external_ref(data: object, path: str, ctx: ReadContext) -> ExternalRef | None:
    r = _record(data, path, ctx)
    if r is None:
        return None
    r.only(("system", "ref"))
    system = r.text("system", required=True, max_length=32)
    ref = r.text("ref", required=True, max_length=128)
    if system is None or ref is None:
        return None
    return ExternalRef(system.lower(), ref)


def read_dimension(data: object, path: str, ctx: ReadContext) -> Dimension | None:
    r = _record(data, path, ctx)
    if r is None:
        return None
    r.only(("type", "value"))
    kind = r.text("type", required=True, max_length=32)
    value = r.text("value", required=True, max_length=64)
    if kind is None or value is None:
        return None
    allowed = ctx.config.dimension_types.get(kind)
    if allowed is None:
        known = ", ".join(sorted(ctx.config.dimension_types)) or "none defined"
        r.error("type", "unknown_dimension", f"'{kind}' is not a dimension type (known: {known})")
        return None
    if value not in allowed:
        r.error("value", "not_allowed", f"'{value}' is not a {kind} (allowed: {', '.join(allowed)})")
        return None
    return Dimension(kind, value)


def _record(data: object, path: str, ctx: ReadContext) -> Reader | None:
    """A reader for one record; ``None`` when the record is not an object, which is
    reported once instead of as every one of its fields missing."""
    r = ctx.reader(data, path)
    return r if isinstance(data, Mapping) else None


def reference(r: Reader, name: str, known: Mapping[str, object], what: str) -> str | None:
    """A code that must name an existing configuration record (payment terms, price list)."""
    code = r.text(name, max_length=32)
    if code is not None and code not in known:
        r.error(name, "unknown_reference", f"no {what} with code '{code}'")
        return None
    return code


def check_collections(customer: Customer) -> list[FieldError]:
    """Rules over whole collections: at most one default per purpose and entity, one
    primary contact, one primary tax id, no two tax ids alike, external refs unique per
    system (R-1.3, R-1.4, R-1.7)."""
    errors: list[FieldError] = []
    defaults = Counter((a.entity, p) for a in customer.addresses for p in a.default_for)
    for (entity, purpose), count in defaults.items():
        if count > 1:
            where = f" for entity {entity}" if entity else ""
            message = f"{count} addresses are the default {purpose} address{where}; at most one may be"
            errors.append(FieldError("addresses", "second_default", message))
    if sum(c.is_primary for c in customer.contacts) > 1:
        errors.append(FieldError("contacts", "second_primary", "at most one contact may be primary"))
    if sum(t.is_primary for t in customer.tax_ids) > 1:
        errors.append(FieldError("tax_ids", "second_primary", "at most one tax id may be primary"))
    for (scheme, number), count in Counter((t.scheme, t.number) for t in customer.tax_ids).items():
        if count > 1:
            errors.append(FieldError("tax_ids", "duplicate", f"{scheme} {number} is listed twice"))
    for system, count in Counter(ref.system for ref in customer.external_refs).items():
        if count > 1:
            errors.append(FieldError("external_refs", "duplicate", f"two references for system '{system}'"))
    site_ids = {a.id for a in customer.addresses}
    for index, contact in enumerate(customer.contacts):
        if contact.site_id is not None and contact.site_id not in site_ids:
            errors.append(
                FieldError(
                    f"contacts[{index}].site_id",
                    "unknown_reference",
                    f"no address with id '{contact.site_id}'",
                )
            )
    return errors


def _purposes(r: Reader, name: str, *, required: bool = False) -> tuple[str, ...]:
    purposes = r.strings(name)
    if required and not purposes and not any(e.path.startswith(r.at(name)) for e in r.errors):
        r.error(name, "required", f"needs at least one of: {', '.join(ADDRESS_PURPOSES)}")
    unknown = [p for p in purposes if p not in ADDRESS_PURPOSES]
    if unknown:
        r.error(
            name,
            "not_allowed",
            f"unknown purpose(s) {', '.join(unknown)}; use: {', '.join(ADDRESS_PURPOSES)}",
        )
        return ()
    return purposes


def _entity(r: Reader, name: str, ctx: ReadContext, *, required: bool) -> str | None:
    code = r.text(name, required=required, max_length=32)
    if code is not None and not ctx.config.has_entity(code):
        r.error(name, "unknown_entity", f"no legal entity with code '{code}'")
        return None
    return code


def read_currency(r: Reader, name: str, *, required: bool = False) -> str | None:
    """An ISO 4217 currency code, upper-cased (``myr`` is read as ``MYR``)."""
    code = r.text(name, required=required, max_length=3)
    if code is None:
        return None
    if not is_currency(code.upper()):
        r.refuse(name, "invalid", "is not an ISO 4217 currency code (e.g. USD, EUR, MYR)")
        return None
    return code.upper()


def _clean(r: Reader, path: str, ctx: ReadContext) -> bool:
    """Did reading this record add no error?"""
    prefix = path + "."
    return not any(e.path.startswith(prefix) or e.path == path for e in ctx.errors)
