"""Customers: the record as the API shows it, the create and update bodies, and the list
query (SPEC R-1, R-2, R-3, R-14)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from customer_master_http.schemas.approvals import ChangeRequestSchema
from customer_master_http.schemas.common import (
    FieldWarningSchema,
    day,
    decimal,
    decimal_input,
    instant,
    raw,
    strings,
    text,
)

# ---------------------------------------------------------------------------
# The record (responses)
# ---------------------------------------------------------------------------


class TaxIdSchema(Schema):
    id = text()
    scheme = text(description="e.g. `eu.vat`, `in.gstin`, `us.ein`, `my.brn`.")
    number = text(description="Validated and compact where python-stdnum knows the scheme.")
    is_primary = fields.Boolean()


class AddressSchema(Schema):
    id = text()
    purposes = strings(description="Any of billing, shipping, delivery, site, hq.")
    default_for = strings(description="The purposes this address is the default for.")
    label = text(nullable=True, description='e.g. "Port Klang Warehouse".')
    line1 = text()
    line2 = text(nullable=True)
    line3 = text(nullable=True)
    city = text()
    state = text(nullable=True)
    postal_code = text(nullable=True)
    country = text(description="ISO 3166-1 alpha-2.")
    entity = text(nullable=True, description="Set when the address belongs to one legal entity.")


class ContactSchema(Schema):
    id = text()
    name = text()
    roles = strings(description="e.g. procurement, accounts_payable.")
    email = text(nullable=True)
    phone = text(nullable=True, description="E.164.")
    site_id = text(nullable=True)
    is_primary = fields.Boolean()


class BankAccountSchema(Schema):
    id = text()
    bank_name = text(nullable=True)
    account_number = text(nullable=True)
    iban = text(nullable=True)
    bic = text(nullable=True)


class PricingTierSchema(Schema):
    id = text()
    item_code = text()
    unit_price = decimal()
    currency = text()
    min_quantity = decimal(example="0")
    max_quantity = decimal(nullable=True, example="100")
    valid_from = day(nullable=True)
    valid_to = day(nullable=True)


class TaxProfileSchema(Schema):
    id = text()
    exempt_tax_code = text()
    certificate_number = text(nullable=True)
    valid_from = day(nullable=True)
    valid_to = day(nullable=True)


class ExternalRefSchema(Schema):
    system = text(description="e.g. salesforce.")
    ref = text()


class DimensionSchema(Schema):
    type = text(description="A dimension type of the tenant, e.g. department.")
    value = text()


class CreditHoldSchema(Schema):
    reason = text()
    by = text()
    at = instant()


class CreditReleaseSchema(Schema):
    document_ref = text()
    reason = text()
    by = text()
    at = instant()
    entity = text(nullable=True)


class EntityOverrideSchema(Schema):
    entity = text()
    credit_limit = decimal(nullable=True)
    payment_terms = text(nullable=True)
    currency = text(nullable=True)
    price_list = text(nullable=True)
    salesperson = text(nullable=True)
    receivable_account = text(nullable=True)
    credit_hold = fields.Nested(CreditHoldSchema, allow_none=True)
    use_last_price = fields.Boolean(allow_none=True)


class CustomerSchema(Schema):
    """A customer master record with all its related records."""

    id = text()
    tenant = text()
    code = text(example="CUS-0001")
    name = text()
    kind = text(enum=["company", "individual"])
    legal_entity = text()
    status = text(enum=["active", "inactive"])
    version = fields.Integer(metadata={"description": "Increases on every change; also the ETag."})
    alternate_name = text(nullable=True)
    legal_name = text(nullable=True)
    email = text(nullable=True)
    billing_email = text(nullable=True)
    phone = text(nullable=True)
    website = text(nullable=True)
    customer_type = text(nullable=True)
    customer_group = text(nullable=True)
    segment = text(nullable=True)
    sub_segment = text(nullable=True)
    region = text(nullable=True)
    industry = text(nullable=True)
    tier = text(nullable=True)
    tags = strings()
    currency = text(nullable=True)
    payment_terms = text(nullable=True)
    credit_limit = decimal(nullable=True, description="null: no limit; 0: no credit.")
    price_list = text(nullable=True)
    use_last_price = fields.Boolean(allow_none=True, metadata={"description": "null: the tenant's setting."})
    tax_code = text(nullable=True)
    revenue_account = text(nullable=True)
    receivable_account = text(nullable=True)
    salesperson = text(nullable=True)
    prospect_ref = text(nullable=True)
    external_refs = fields.List(fields.Nested(ExternalRefSchema))
    dimensions = fields.List(fields.Nested(DimensionSchema))
    metadata = fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=True))
    notes = text(nullable=True)
    tax_ids = fields.List(fields.Nested(TaxIdSchema))
    addresses = fields.List(fields.Nested(AddressSchema))
    contacts = fields.List(fields.Nested(ContactSchema))
    bank_accounts = fields.List(fields.Nested(BankAccountSchema))
    pricing_tiers = fields.List(fields.Nested(PricingTierSchema))
    tax_profiles = fields.List(fields.Nested(TaxProfileSchema))
    overrides = fields.List(fields.Nested(EntityOverrideSchema))
    enabled_entities = strings(description="Legal entities besides the owning one that may use it.")
    credit_hold = fields.Nested(CreditHoldSchema, allow_none=True)
    credit_releases = fields.List(fields.Nested(CreditReleaseSchema))
    merged_into = text(nullable=True, description="The id of the customer this one was merged into.")
    created_at = instant(nullable=True)
    updated_at = instant(nullable=True)
    masked = strings(description="Fields withheld because you lack the view_sensitive permission (R-12.2).")


class CustomerResultSchema(Schema):
    """A changed customer and the warnings the change raised (SPEC R-3.4)."""

    customer = fields.Nested(CustomerSchema)
    warnings = fields.List(fields.Nested(FieldWarningSchema))


class CustomerRefSchema(Schema):
    id = text()
    code = text()


class LookupSchema(Schema):
    """A customer found by id or code; ``redirected_from`` names the merged-away customer
    that was asked for (SPEC R-8.1)."""

    customer = fields.Nested(CustomerSchema)
    redirected_from = fields.Nested(CustomerRefSchema, allow_none=True)


class EffectiveViewSchema(Schema):
    """The customer as one legal entity sees it (SPEC R-2.2)."""

    entity = text()
    customer = fields.Nested(CustomerSchema)
    overridden = strings(description="The fields that came from the entity's override.")
    is_enabled = fields.Boolean(metadata={"description": "May documents of this entity use it (R-2.3)?"})


class CustomerPageSchema(Schema):
    items = fields.List(fields.Nested(CustomerSchema))
    next_cursor = text(nullable=True, description="Pass as `after` for the next page; null on the last.")


# ---------------------------------------------------------------------------
# Requests
# ---------------------------------------------------------------------------

_RECORDS = "array"


class _MasterFields(Schema):
    """The master fields a create or an update may carry; the core validates them."""

    name = raw("string", "1–255 characters.", example="Kedai Runcit Ali Sdn Bhd")
    kind = raw("string", "`company` or `individual`.", example="company")
    legal_entity = raw("string", "The owning legal entity's code.", example="MY01")
    email = raw("string", "Required for companies unless the tenant says otherwise.", example="ap@kedai.my")
    billing_email = raw("string", "Where invoices go.")
    phone = raw("string", "Any format; stored E.164.", example="+60 3-2161 1234")
    website = raw("string", "An absolute http(s) URL.")
    customer_type = raw("string", "retail, wholesale, distributor, enterprise, government, nonprofit, other.")
    customer_group = raw("string", "From the tenant's classification list.")
    segment = raw("string", "From the tenant's classification list.")
    sub_segment = raw("string", "From the tenant's classification list.")
    region = raw("string", "From the tenant's classification list.")
    industry = raw("string", "From the tenant's classification list.")
    tier = raw("string", "From the tenant's classification list.")
    tags = raw("array", "Free-form tags.", items={"type": "string"})
    currency = raw("string", "ISO 4217.", example="MYR")
    payment_terms = raw("string", "A payment-terms code of the tenant.", example="NET30")
    credit_limit = decimal_input("null: no limit; 0: no credit.", example="50000.00")
    price_list = raw("string", "A price-list code of the tenant.")
    use_last_price = raw("boolean", "Price at the last invoiced rate; null: the tenant's setting (R-7.2).")
    external_refs = raw("array", "`{system, ref}` pairs.", items={"type": "object"})
    dimensions = raw("array", "`{type, value}` pairs.", items={"type": "object"})
    metadata = raw("object", "Custom fields (JSON object).")
    alternate_name = raw("string", "Name in another script.")
    legal_name = raw("string", "Registered legal name.")
    salesperson = raw("string", "")
    prospect_ref = raw("string", "")
    tax_code = raw("string", "Default tax code.")
    revenue_account = raw("string", "Default revenue account.")
    receivable_account = raw("string", "Receivable account.")
    notes = raw("string", "Internal notes.")


class CustomerCreateSchema(_MasterFields):
    """A new customer with all its related records, created in one atomic step (R-3.1).
    Every problem is reported at once, with its path."""

    code = raw("string", "Only when the tenant does not generate codes (R-1.1).")
    tax_ids = raw(_RECORDS, "`{scheme, number, is_primary}`.", items={"type": "object"})
    addresses = raw(
        _RECORDS,
        "`{purposes, default_for, label, line1..3, city, state, postal_code, country, entity}`.",
        items={"type": "object"},
    )
    contacts = raw(_RECORDS, "`{name, roles, email, phone, site_id, is_primary}`.", items={"type": "object"})
    bank_accounts = raw(_RECORDS, "`{bank_name, account_number, iban, bic}`.", items={"type": "object"})
    pricing_tiers = raw(
        _RECORDS,
        "`{item_code, min_quantity, max_quantity, unit_price, currency, valid_from, valid_to}`.",
        items={"type": "object"},
    )
    tax_profiles = raw(
        _RECORDS, "`{exempt_tax_code, certificate_number, valid_from, valid_to}`.", items={"type": "object"}
    )
    overrides = raw(
        _RECORDS,
        "Per legal entity: `{entity, credit_limit, payment_terms, currency, "
        "price_list, salesperson, receivable_account}`.",
        items={"type": "object"},
    )
    enabled_entities = raw(
        "array", "More legal entities that may use the customer.", items={"type": "string"}
    )


_ACTIONS = "Actions: `{action: add, ...}`, `{action: update, id, ...}`, `{action: delete, id}`."


class CustomerCloneSchema(CustomerCreateSchema):
    """A new customer drafted from an existing one (R-3.5): the fields given replace the
    drafted ones (at least a new name, and an e-mail where companies need one)."""

    with_addresses = fields.Boolean(load_default=False, metadata={"description": "Copy its addresses too."})
    with_contacts = fields.Boolean(load_default=False, metadata={"description": "Copy its contacts too."})


class CustomerUpdateSchema(_MasterFields):
    """A partial update: only the fields given change; related records change through
    actions, all or nothing (R-3.2)."""

    code = raw("string", "Read-only; given only if unchanged.")
    tax_ids = raw(_RECORDS, _ACTIONS, items={"type": "object"})
    addresses = raw(_RECORDS, _ACTIONS, items={"type": "object"})
    contacts = raw(_RECORDS, _ACTIONS, items={"type": "object"})
    bank_accounts = raw(_RECORDS, _ACTIONS, items={"type": "object"})
    pricing_tiers = raw(_RECORDS, _ACTIONS, items={"type": "object"})
    tax_profiles = raw(_RECORDS, _ACTIONS, items={"type": "object"})
    overrides = raw(_RECORDS, "Actions keyed by `entity` instead of id.", items={"type": "object"})


class CustomerQuerySchema(Schema):
    """Filters, sort and keyset pagination for the customer list (R-14.1)."""

    status = fields.String(load_default="active", validate=validate.OneOf(["active", "inactive", "any"]))
    kind = fields.String(validate=validate.OneOf(["company", "individual"]))
    customer_type = fields.String()
    customer_group = fields.String()
    segment = fields.String()
    region = fields.String()
    salesperson = fields.String()
    tag = fields.String()
    entity = fields.String(metadata={"description": "Customers enabled for this legal entity."})
    on_credit_hold = fields.Boolean()
    name = fields.String(
        metadata={"description": "Case- and accent-insensitive prefix of the name or a word."}
    )
    name_match = fields.String(
        load_default="prefix",
        validate=validate.OneOf(["prefix", "fuzzy"]),
        metadata={
            "description": "How `name` matches. `prefix`: the name or one of its words starts with it. "
            "`fuzzy`: those first, then names close to it despite a wrong, missing, extra or swapped "
            "letter (e.g. `Kedai Makmer` finds `Kedai Makmur Sdn Bhd`), best match first; equally "
            "good matches follow `sort`."
        },
    )
    email = fields.String()
    tax_id = fields.String()
    sort = fields.String(load_default="code", validate=validate.OneOf(["code", "name", "created_at"]))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    after = fields.String(metadata={"description": "The `next_cursor` of the previous page."})


class EntityPathSchema(Schema):
    """Where a hold or a release applies: the whole customer, or one legal entity."""

    entity = fields.String(metadata={"description": "A legal entity; leave out for the whole customer."})


class PendingSchema(Schema):
    """An operation accepted as a change request, waiting for approval (R-10.2)."""

    change_request = fields.Nested(ChangeRequestSchema)
    warnings = fields.List(fields.Nested(FieldWarningSchema))
