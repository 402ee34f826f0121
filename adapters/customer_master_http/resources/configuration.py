"""Tenant configuration: legal entities, settings, classification lists, dimension
types, custom fields, payment terms, price lists, and the roles API keys may carry
(SPEC R-1.5, R-1.6, R-2.1, R-6, R-7, R-12)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from flask.views import MethodView

from customer_master.domain.serialize import Data, to_data
from customer_master.domain.terms import terms_to_dict
from customer_master.errors import FieldError, NotFound, ValidationFailed
from customer_master_http.auth import current_actor, customer_master, requires
from customer_master_http.render import configuration_data, settings_data
from customer_master_http.resources.base import Blueprint
from customer_master_http.schemas.configuration import (
    ApprovalPolicySchema,
    ClassificationsSchema,
    ConfigurationSchema,
    CustomFieldInputSchema,
    CustomFieldSchema,
    LaneInputSchema,
    LegalEntityInputSchema,
    LegalEntitySchema,
    NamedValuesSchema,
    PaymentTermsInputSchema,
    PaymentTermsSchema,
    PermissionsInputSchema,
    PriceListInputSchema,
    PriceListSchema,
    RoleSchema,
    SettingsChangesSchema,
    SettingsSchema,
    StepsInputSchema,
    ValuesSchema,
)
from customer_master_http.schemas.rules import InstallmentSchema, TermsScheduleQuerySchema

blp = Blueprint(
    "configuration",
    __name__,
    url_prefix="/configuration",
    description="The tenant's configuration (SPEC R-1.5, R-1.6, R-2.1, R-6, R-7, R-12).",
)

# The core checks configuration.write on every change; reads are checked here.
READ = "customer.read"


def _config() -> Data:
    return configuration_data(customer_master().configuration.get(current_actor()))


@blp.route("")
class Configuration(MethodView):
    @requires(READ)
    @blp.response(200, ConfigurationSchema)
    def get(self) -> Data:
        """Everything the tenant has configured"""
        return _config()


@blp.route("/legal-entities")
class LegalEntities(MethodView):
    @requires(READ)
    @blp.response(200, LegalEntitySchema(many=True))
    def get(self) -> list[Data]:
        """The tenant's legal entities"""
        entities: list[Data] = _config()["entities"]
        return entities


@blp.route("/legal-entities/<code>")
class LegalEntity(MethodView):
    @requires(None)
    @blp.arguments(LegalEntityInputSchema)
    @blp.response(200, LegalEntitySchema)
    def put(self, body: dict[str, Any], code: str) -> Data:
        """Add or rename a legal entity (R-2.1)"""
        config = customer_master().configuration.add_legal_entity(current_actor(), {**body, "code": code})
        entity = config.entity(code)
        return to_data(entity) if entity else {"code": code}


@blp.route("/settings")
class Settings(MethodView):
    @requires(READ)
    @blp.response(200, SettingsSchema)
    def get(self) -> Data:
        """The tenant's settings (R-1.5)"""
        settings: Data = _config()["settings"]
        return settings

    @requires(None)
    @blp.arguments(SettingsChangesSchema, example={"credit_policy": "warn", "grace_days": 5})
    @blp.response(200, SettingsSchema)
    def patch(self, changes: dict[str, Any]) -> Data:
        """Change some settings

        The others keep their values. Credit settings are flat here: `credit_policy`,
        `overdue_block`, `grace_days`, `credit_group_policies`. A body naming no setting
        is refused (422).
        """
        if not changes:
            raise ValidationFailed([FieldError("$", "required", "give at least one setting to change")])
        config = customer_master().configuration.update_settings(current_actor(), changes)
        settings: Data = settings_data(config)
        return settings


@blp.route("/classifications")
class Classifications(MethodView):
    @requires(READ)
    @blp.response(200, ClassificationsSchema)
    def get(self) -> Data:
        """The allowed values of each classified field (R-1.6)

        A field left out is unrestricted.
        """
        classifications: Data = _config()["classifications"]
        return classifications


@blp.route("/classifications/<field>")
class Classification(MethodView):
    @requires(None)
    @blp.arguments(ValuesSchema, as_kwargs=True)
    @blp.response(200, ClassificationsSchema)
    def put(self, field: str, values: list[str]) -> Data:
        """Set the allowed values of a classified field

        One of customer_group, segment, sub_segment, region, industry, tier,
        customer_type. An empty list lifts the restriction.
        """
        config = customer_master().configuration.set_classification(current_actor(), field, values)
        classifications: Data = configuration_data(config)["classifications"]
        return classifications


@blp.route("/dimension-types")
class DimensionTypes(MethodView):
    @requires(READ)
    @blp.response(200, NamedValuesSchema(many=True))
    def get(self) -> list[Data]:
        """The tenant's dimension types and their value codes"""
        return _named(_config()["dimension_types"])


@blp.route("/dimension-types/<name>")
class DimensionType(MethodView):
    @requires(None)
    @blp.arguments(ValuesSchema, as_kwargs=True)
    @blp.response(200, NamedValuesSchema)
    def put(self, name: str, values: list[str]) -> Data:
        """Define a dimension type and its value codes

        e.g. `department` with `SALES-EU`, `SALES-APAC`.
        """
        config = customer_master().configuration.set_dimension_type(current_actor(), name, values)
        stored = config.dimension_types.get(name.strip(), ())
        return {"name": name.strip(), "values": list(stored)}


@blp.route("/custom-fields")
class CustomFields(MethodView):
    @requires(READ)
    @blp.response(200, CustomFieldSchema(many=True))
    def get(self) -> list[Data]:
        """The tenant's custom fields (kept in customers' `metadata`)"""
        fields: list[Data] = _config()["custom_fields"]
        return fields


@blp.route("/custom-fields/<name>")
class CustomField(MethodView):
    @requires(None)
    @blp.arguments(
        CustomFieldInputSchema, example={"type": "choice", "choices": ["A", "B"], "required": False}
    )
    @blp.response(200, CustomFieldSchema)
    def put(self, body: dict[str, Any], name: str) -> Data:
        """Define a custom field

        Typed (text, number, integer, boolean, date, choice); customers' metadata values
        for it are validated.
        """
        config = customer_master().configuration.set_custom_field(current_actor(), {**body, "name": name})
        field = config.custom_field(name.strip())
        return to_data(field) if field else {"name": name}


@blp.route("/payment-terms")
class PaymentTermsList(MethodView):
    @requires(READ)
    @blp.response(200, PaymentTermsSchema(many=True))
    def get(self) -> list[Data]:
        """The tenant's payment terms (R-6.1)"""
        terms: list[Data] = _config()["payment_terms"]
        return terms


@blp.route("/payment-terms/<code>")
class PaymentTerms(MethodView):
    @requires(READ)
    @blp.response(200, PaymentTermsSchema)
    def get(self, code: str) -> Data:
        """One set of payment terms"""
        terms = customer_master().configuration.get(current_actor()).payment_terms.get(code)
        if terms is None:
            raise NotFound("payment terms", code)
        return terms_to_dict(terms)

    @requires(None)
    @blp.arguments(PaymentTermsInputSchema)
    @blp.response(200, PaymentTermsSchema)
    def put(self, body: dict[str, Any], code: str) -> Data:
        """Add or replace payment terms

        One or more installment lines, each a portion (`percent`, `percent_of_remaining`,
        `fixed`, `remainder`), a due rule of steps and an optional early-payment discount;
        the lines must cover the whole amount (R-6.1).
        """
        terms = customer_master().configuration.save_payment_terms(current_actor(), {**body, "code": code})
        return terms_to_dict(terms)

    @requires(None)
    @blp.response(204)
    def delete(self, code: str) -> tuple[str, int]:
        """Delete payment terms

        Refused while any customer (or entity override) uses them.
        """
        customer_master().configuration.delete_payment_terms(current_actor(), code)
        return "", 204


@blp.route("/payment-terms/<code>/schedule")
class TermsSchedule(MethodView):
    @requires(READ)
    @blp.arguments(TermsScheduleQuerySchema, location="query", as_kwargs=True)
    @blp.response(200, InstallmentSchema(many=True))
    def get(self, code: str, invoice_date: date, amount: Decimal, currency: str) -> list[Data]:
        """The schedule of an invoice under these terms

        Amounts rounded to the currency's minor unit; the lines sum exactly to the total;
        a negative amount (credit note) gives the mirrored schedule (R-6.2).
        """
        installments = customer_master().terms.schedule(
            current_actor(), code, invoice_date=invoice_date, amount=amount, currency=currency
        )
        return [to_data(i) for i in installments]


@blp.route("/price-lists")
class PriceLists(MethodView):
    @requires(READ)
    @blp.response(200, PriceListSchema(many=True))
    def get(self) -> list[Data]:
        """The tenant's price lists (R-7.1)"""
        lists: list[Data] = _config()["price_lists"]
        return lists


@blp.route("/price-lists/<code>")
class PriceList(MethodView):
    @requires(READ)
    @blp.response(200, PriceListSchema)
    def get(self, code: str) -> Data:
        """One price list"""
        price_list = customer_master().configuration.get(current_actor()).price_lists.get(code)
        if price_list is None:
            raise NotFound("price list", code)
        return to_data(price_list)

    @requires(None)
    @blp.arguments(PriceListInputSchema)
    @blp.response(200, PriceListSchema)
    def put(self, body: dict[str, Any], code: str) -> Data:
        """Add or replace a price list

        Lines: item code, unit price, minimum quantity, validity (R-7.1).
        """
        price_list = customer_master().configuration.save_price_list(current_actor(), {**body, "code": code})
        return to_data(price_list)

    @requires(None)
    @blp.response(204)
    def delete(self, code: str) -> tuple[str, int]:
        """Delete a price list

        Refused while it is the standard list or any customer's.
        """
        customer_master().configuration.delete_price_list(current_actor(), code)
        return "", 204


@blp.route("/roles")
class Roles(MethodView):
    @requires(READ)
    @blp.response(200, RoleSchema(many=True))
    def get(self) -> list[Data]:
        """The roles an API key may carry, with the permissions each grants here (R-12.2)"""
        roles: list[Data] = _config()["roles"]
        return roles


@blp.route("/roles/<role>")
class Role(MethodView):
    @requires(None)
    @blp.arguments(PermissionsInputSchema, as_kwargs=True)
    @blp.response(200, RoleSchema)
    def put(self, role: str, permissions: list[str]) -> Data:
        """Give a role of this tenant exactly these permissions

        Roles not set here keep the defaults. Permissions: customer.read,
        customer.write, customer.delete, customer.merge, credit.hold, credit_override,
        configuration.write, view_sensitive, audit.read.
        """
        config = customer_master().configuration.set_role_permissions(current_actor(), role, permissions)
        return {"name": role.strip(), "permissions": sorted(config.permissions_of(frozenset({role.strip()})))}


@blp.route("/approval-lanes/<operation>")
class ApprovalLane(MethodView):
    @requires(None)
    @blp.arguments(LaneInputSchema, as_kwargs=True, example={"lane": "green", "kind": "individual"})
    @blp.response(200, ApprovalPolicySchema)
    def put(self, operation: str, lane: str, kind: str | None = None) -> Data:
        """Route an operation to a lane

        Operations: create, update, deactivate, reactivate, merge, import, hard_delete,
        credit_hold, erase. `green` applies at once, `yellow` needs two approvals, `red` three
        (R-10.1); hard_delete and erase cannot be undone and stay red. With `kind`, only for
        customers of that kind (POS walk-ins: green).
        """
        config = customer_master().configuration.set_approval_lane(
            current_actor(), operation, lane, kind=kind
        )
        approvals: Data = settings_data(config)["approvals"]
        return approvals


@blp.route("/approval-steps/<lane>")
class ApprovalSteps(MethodView):
    @requires(None)
    @blp.arguments(StepsInputSchema, as_kwargs=True)
    @blp.response(200, ApprovalPolicySchema)
    def put(self, lane: str, roles: list[str]) -> Data:
        """Set the roles that approve a lane's steps, in order

        For `yellow` or `red`; defaults: ar_manager, controller (, cfo).
        """
        config = customer_master().configuration.set_approval_steps(current_actor(), lane, roles)
        approvals: Data = settings_data(config)["approvals"]
        return approvals


def _named(mapping: dict[str, list[str]]) -> list[Data]:
    return [{"name": name, "values": values} for name, values in mapping.items()]
