"""Tenant configuration: legal entities, settings, classification lists, dimension types,
custom fields, payment terms, price lists and roles (SPEC R-1.5, R-1.6, R-2.1, R-6, R-7,
R-12)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from customer_master_http.schemas.common import day, decimal, raw, strings, text


class LegalEntitySchema(Schema):
    code = text(example="MY01")
    name = text(example="Acme Malaysia Sdn Bhd")
    currency = text(nullable=True, example="MYR")
    letterhead = fields.List(fields.String(), metadata={"description": "Lines under the name on statements."})


class LegalEntityInputSchema(Schema):
    name = raw("string", "The entity's name.", example="Acme Malaysia Sdn Bhd")
    currency = raw("string", "ISO 4217 home currency.", example="MYR")
    letterhead = raw("array", "Lines under the entity's name on its statements of account.")


class CreditSettingsSchema(Schema):
    policy = text(enum=["block", "warn", "off"])
    overdue_block = fields.Boolean()
    grace_days = fields.Integer()
    group_policies = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        metadata={"description": "Credit policy per customer group."},
    )


class LaneRuleSchema(Schema):
    operation = text(example="create")
    lane = text(enum=["green", "yellow", "red"])
    kind = text(nullable=True, description="Only for customers of this kind.")


class ApprovalPolicySchema(Schema):
    rules = fields.List(
        fields.Nested(LaneRuleSchema), metadata={"description": "Lanes set over the defaults."}
    )
    steps = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "The roles approving each lane's steps, in order."},
    )


class SettingsSchema(Schema):
    auto_generate_code = fields.Boolean()
    code_prefix = text()
    code_width = fields.Integer()
    enforce_unique_tax_id = fields.Boolean()
    company_requires_email = fields.Boolean()
    mandatory_fields = strings()
    large_credit_limit = decimal()
    similar_name_threshold = fields.Float()
    exemption_warning_days = fields.Integer()
    time_zone = text()
    credit = fields.Nested(CreditSettingsSchema)
    merge_policy = text(enum=["transfer", "forbid_if_both_have_history"])
    use_last_price = fields.Boolean()
    rounding = text(enum=["half_even", "half_up"])
    zero_installments = text(enum=["keep", "omit"])
    overallocation = text(enum=["reject", "allow"])
    standard_price_list = text(nullable=True)
    credit_check_documents = strings()
    count_open_orders_at_invoice = fields.Boolean()
    approvals = fields.Nested(ApprovalPolicySchema)


class SettingsChangesSchema(Schema):
    """The settings to change; the others keep their values. Credit settings are flat:
    ``credit_policy``, ``overdue_block``, ``grace_days``, ``credit_group_policies``."""

    auto_generate_code = raw("boolean", "", nullable=False)
    code_prefix = fields.String(validate=validate.Length(min=1, max=16), metadata={"example": "CUS-"})
    code_width = raw("integer", "1–12.", nullable=False)
    enforce_unique_tax_id = raw("boolean", "", nullable=False)
    company_requires_email = raw("boolean", "", nullable=False)
    mandatory_fields = raw("array", "Optional fields made required.", items={"type": "string"})
    large_credit_limit = raw("string", "Credit limits above it raise a warning.", nullable=False)
    similar_name_threshold = raw("number", "0–100.", nullable=False)
    exemption_warning_days = raw("integer", "", nullable=False)
    time_zone = fields.String(
        validate=validate.Length(min=1, max=64),
        metadata={"description": "IANA name, e.g. Asia/Kuala_Lumpur."},
    )
    merge_policy = raw("string", "transfer | forbid_if_both_have_history.", nullable=False)
    use_last_price = raw("boolean", "", nullable=False)
    rounding = raw("string", "half_even | half_up.", nullable=False)
    zero_installments = raw("string", "keep | omit.", nullable=False)
    overallocation = raw("string", "reject | allow.", nullable=False)
    standard_price_list = raw("string", "A price-list code; null: none.")
    credit_policy = raw("string", "block | warn | off.", nullable=False)
    overdue_block = raw("boolean", "", nullable=False)
    grace_days = raw("integer", "", nullable=False)
    credit_group_policies = raw("object", "`{group: policy}`.", nullable=False)


class ValuesSchema(Schema):
    values = fields.List(
        fields.String(),
        required=True,
        metadata={
            "description": "The allowed values; an empty list lifts the restriction.",
            "example": ["retail", "wholesale"],
        },
    )


class ClassificationsSchema(Schema):
    """Allowed values per classified field; a field left out is unrestricted."""

    customer_type = strings()
    customer_group = strings()
    segment = strings()
    sub_segment = strings()
    region = strings()
    industry = strings()
    tier = strings()


class NamedValuesSchema(Schema):
    name = text(example="department")
    values = strings()


class CustomFieldSchema(Schema):
    name = text()
    type = text(enum=["text", "number", "integer", "boolean", "date", "choice"])
    required = fields.Boolean()
    choices = strings()


class CustomFieldInputSchema(Schema):
    type = raw("string", "text, number, integer, boolean, date or choice.", example="text")
    required = raw("boolean", "")
    choices = raw("array", "For `choice` fields.", items={"type": "string"})


class PortionSchema(Schema):
    kind = text(enum=["percent", "percent_of_remaining", "fixed", "remainder"])
    value = text(nullable=True, format="decimal")


class DiscountSchema(Schema):
    percent = text(format="decimal")
    days = fields.Integer()


class InstallmentLineSchema(Schema):
    portion = fields.Nested(PortionSchema)
    due = fields.List(
        fields.Dict(keys=fields.String(), values=fields.Raw()),
        metadata={
            "description": 'Due-rule steps, e.g. `{"add_days": 30}`, '
            '`{"end_of_month": true}`, `{"day_of_month": 15}`.'
        },
    )
    discount = fields.Nested(DiscountSchema, allow_none=True)


class PaymentTermsSchema(Schema):
    code = text(example="NET30")
    name = text(example="Net 30 days")
    lines = fields.List(fields.Nested(InstallmentLineSchema))


class PaymentTermsInputSchema(Schema):
    name = raw("string", "", example="Net 30 days")
    lines = raw(
        "array",
        "Installment lines: `{portion: {kind, value}, due: [steps], discount}`.",
        items={"type": "object"},
        example=[
            {"portion": {"kind": "remainder", "value": None}, "due": [{"add_days": 30}], "discount": None}
        ],
    )


class PriceListLineSchema(Schema):
    item_code = text()
    unit_price = decimal()
    min_quantity = decimal(example="0")
    valid_from = day(nullable=True)
    valid_to = day(nullable=True)


class PriceListSchema(Schema):
    code = text(example="STD-MYR")
    name = text()
    currency = text()
    lines = fields.List(fields.Nested(PriceListLineSchema))


class PriceListInputSchema(Schema):
    name = raw("string", "", example="Standard MYR")
    currency = raw("string", "ISO 4217.", example="MYR")
    lines = raw(
        "array",
        "`{item_code, unit_price, min_quantity, valid_from, valid_to}`.",
        items={"type": "object"},
        example=[{"item_code": "WIDGET-10", "unit_price": "12.50"}],
    )


class ConfigurationSchema(Schema):
    """Everything the tenant has configured."""

    tenant = text()
    version = fields.Integer()
    settings = fields.Nested(SettingsSchema)
    entities = fields.List(fields.Nested(LegalEntitySchema))
    classifications = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))
    dimension_types = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))
    custom_fields = fields.List(fields.Nested(CustomFieldSchema))
    payment_terms = fields.List(fields.Nested(PaymentTermsSchema))
    price_lists = fields.List(fields.Nested(PriceListSchema))
    roles = fields.List(fields.Nested(lambda: RoleSchema()))


class RoleSchema(Schema):
    name = text(example="ar_manager")
    permissions = strings()


class ActorSchema(Schema):
    tenant = text()
    user = text()
    roles = strings()
    permissions = strings()


class HealthSchema(Schema):
    status = text(example="ok")


class LaneInputSchema(Schema):
    lane = fields.String(required=True, validate=validate.OneOf(["green", "yellow", "red"]))
    kind = fields.String(
        validate=validate.OneOf(["company", "individual"]),
        metadata={"description": "Only for customers of this kind (e.g. POS walk-ins)."},
    )


class StepsInputSchema(Schema):
    roles = fields.List(fields.String(), required=True, metadata={"example": ["ar_manager", "controller"]})


class PermissionsInputSchema(Schema):
    permissions = fields.List(
        fields.String(), required=True, metadata={"example": ["customer.read", "customer.write"]}
    )
