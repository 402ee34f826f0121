"""Reading untrusted input: every problem reported at once with the full path of the
field, money never read from floats, unknown fields reported (SPEC R-3.3)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from customer_master.domain.config import LegalEntity, TenantConfiguration
from customer_master.domain.customer import Address, Contact, Customer
from customer_master.domain.drafting import apply_changes, draft_customer
from customer_master.domain.reading import Reader, join_path, to_decimal
from customer_master.domain.records import (
    ReadContext,
    check_collections,
    read_address,
    read_bank_account,
    read_override,
    read_pricing_tier,
)
from customer_master.errors import FieldError

CONFIG = TenantConfiguration(
    tenant="acme",
    entities=(LegalEntity(code="MY01", name="Acme Malaysia"), LegalEntity(code="SG01", name="Acme SG")),
)


def context() -> ReadContext:
    counter = iter(range(1, 1000))
    return ReadContext(config=CONFIG, errors=[], new_id=lambda: f"id{next(counter)}")


def found(errors: list[FieldError]) -> list[tuple[str, str]]:
    return [(e.path, e.code) for e in errors]


def read(data: object, path: str = "") -> tuple[Reader, list[FieldError]]:
    errors: list[FieldError] = []
    return Reader(data, path, errors), errors


# ---------------------------------------------------------------------------
# Money and numbers
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", [1.5, 0.1, float("nan"), True, [1], {"amount": 1}])
def test_money_is_never_read_from_floats_booleans_or_containers(value: object) -> None:
    r, errors = read({"credit_limit": value})
    assert r.decimal("credit_limit") is None
    assert found(errors) == [("credit_limit", "not_a_decimal")]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1000.10", Decimal("1000.10")),
        (" 7 ", Decimal(7)),
        (42, Decimal(42)),
        (Decimal("0.01"), Decimal("0.01")),
    ],
)
def test_money_is_read_exactly_from_strings_integers_and_decimals(value: object, expected: Decimal) -> None:
    r, errors = read({"credit_limit": value})
    assert r.decimal("credit_limit") == expected
    assert str(r.decimal("credit_limit")) == str(expected)
    assert errors == []


@pytest.mark.parametrize("text", ["NaN", "Infinity", "-Infinity", "1,000", "", "ten"])
def test_text_that_is_not_a_finite_number_is_refused(text: str) -> None:
    assert to_decimal(text) is None


def test_a_minimum_and_a_positive_amount_are_enforced_with_their_own_messages() -> None:
    r, errors = read({"credit_limit": "-0.01", "unit_price": "0"})
    assert r.decimal("credit_limit", minimum=Decimal(0)) is None
    assert r.decimal("unit_price", positive=True) is None
    assert [(e.path, e.code, e.message) for e in errors] == [
        ("credit_limit", "too_small", "'••••' must be at least 0"),  # a credit figure is never shown
        ("unit_price", "too_small", "'0' must be greater than 0"),
    ]


def test_whole_numbers_refuse_booleans_and_floats() -> None:
    r, errors = read({"a": True, "b": 2.0, "c": 3})
    assert (r.integer("a"), r.integer("b"), r.integer("c")) == (None, None, 3)
    assert found(errors) == [("a", "not_an_integer"), ("b", "not_an_integer")]


# ---------------------------------------------------------------------------
# Text, choices, lists, dates
# ---------------------------------------------------------------------------


def test_text_is_trimmed_and_checked_for_type_blankness_and_length() -> None:
    r, errors = read({"name": "  Kedai Ali ", "blank": "   ", "number": 7, "long": "x" * 256})
    assert r.text("name", required=True) == "Kedai Ali"
    assert r.text("blank", required=True) is None
    assert r.text("blank") is None
    assert r.text("number") is None
    assert r.text("long") is None
    assert r.text("absent", required=True) is None
    assert found(errors) == [
        ("blank", "blank"),
        ("number", "not_a_string"),
        ("long", "too_long"),
        ("absent", "required"),
    ]


def test_a_choice_outside_its_options_lists_the_options() -> None:
    r, errors = read({"kind": "partner"})
    assert r.choice("kind", ("company", "individual")) is None
    assert errors[0].message == "'partner' must be one of: company, individual"


def test_string_lists_drop_duplicates_and_report_bad_entries_by_index() -> None:
    r, errors = read({"tags": [" vip ", "vip", "", 3, "export"]})
    assert r.strings("tags") == ("vip", "export")
    assert found(errors) == [("tags[2]", "not_a_string"), ("tags[3]", "not_a_string")]


def test_dates_are_read_from_iso_text_only() -> None:
    r, errors = read({"a": "2026-03-02", "b": "02/03/2026", "c": date(2026, 1, 1)})
    assert (r.date("a"), r.date("b"), r.date("c")) == (date(2026, 3, 2), None, date(2026, 1, 1))
    assert found(errors) == [("b", "not_a_date")]


def test_booleans_must_be_true_or_false() -> None:
    r, errors = read({"is_primary": "yes"})
    assert r.boolean("is_primary") is False
    assert found(errors) == [("is_primary", "not_a_boolean")]


# ---------------------------------------------------------------------------
# Unknown fields and paths
# ---------------------------------------------------------------------------


def test_unknown_fields_are_reported_at_their_nested_path() -> None:
    r, errors = read({"city": "Klang", "colour": "red", "floor": 2}, "addresses[1]")
    r.only(("city",))
    assert found(errors) == [
        ("addresses[1].colour", "unknown_field"),
        ("addresses[1].floor", "unknown_field"),
    ]


@pytest.mark.parametrize(("path", "reported"), [("", "$"), ("contacts[0]", "contacts[0]")])
def test_a_record_that_is_not_an_object_is_reported_at_its_path(path: str, reported: str) -> None:
    _, errors = read(["not", "an", "object"], path)
    assert found(errors) == [(reported, "not_an_object")]


def test_list_items_carry_their_index_in_the_path() -> None:
    r, errors = read({"addresses": [{"a": 1}, {"b": 2}], "contacts": "Ah Kow"}, "")
    assert [path for path, _ in r.items("addresses")] == ["addresses[0]", "addresses[1]"]
    assert r.items("contacts") == []
    assert found(errors) == [("contacts", "not_a_list")]


def test_paths_join_names_and_indexes() -> None:
    assert join_path("", "name") == "name"
    assert join_path("addresses", 2) == "addresses[2]"
    assert join_path("addresses[2]", "country") == "addresses[2].country"


# ---------------------------------------------------------------------------
# Related records: paths of nested problems
# ---------------------------------------------------------------------------


def test_every_problem_of_a_nested_address_is_reported_with_its_full_path() -> None:
    ctx = context()
    address = {"purposes": ["billing", "office"], "line1": "", "city": 5, "country": "Atlantis"}
    assert read_address(address, "addresses[2]", ctx) is None
    assert found(ctx.errors) == [
        ("addresses[2].purposes", "not_allowed"),
        ("addresses[2].line1", "blank"),
        ("addresses[2].city", "not_a_string"),
        ("addresses[2].country", "invalid"),
    ]


def test_a_pricing_tier_with_float_prices_is_refused_field_by_field() -> None:
    ctx = context()
    tier = {"item_code": "BOLT", "unit_price": 0.45, "min_quantity": 10.0, "currency": "MYR"}
    assert read_pricing_tier(tier, "pricing_tiers[0]", ctx) is None
    assert found(ctx.errors) == [
        ("pricing_tiers[0].min_quantity", "not_a_decimal"),
        ("pricing_tiers[0].unit_price", "not_a_decimal"),
    ]


def test_an_override_with_a_float_credit_limit_or_a_credit_hold_is_refused() -> None:
    ctx = context()
    override = {"entity": "SG01", "credit_limit": 20000.0, "credit_hold": {"reason": "x"}}
    assert read_override(override, "overrides[0]", ctx) is None
    assert found(ctx.errors) == [
        ("overrides[0].credit_hold", "unknown_field"),
        ("overrides[0].credit_limit", "not_a_decimal"),
    ]


def test_a_bank_account_needs_an_account_number_or_an_iban() -> None:
    ctx = context()
    assert read_bank_account({"bank_name": "Maybank"}, "bank_accounts[0]", ctx) is None
    assert found(ctx.errors) == [("bank_accounts[0].account_number", "required")]


def test_a_valid_record_gets_a_new_id_unless_it_brings_one() -> None:
    ctx = context()
    data = {"purposes": ["billing"], "line1": "1 Jalan Ampang", "city": "Kuala Lumpur", "country": "my"}
    fresh = read_address(data, "addresses[0]", ctx)
    kept = read_address({**data, "id": "hq"}, "addresses[1]", ctx)
    assert fresh is not None
    assert kept is not None
    assert (fresh.id, kept.id, fresh.country) == ("id1", "hq", "MY")
    assert ctx.errors == []


def test_collection_rules_allow_one_default_per_purpose_and_entity() -> None:
    def address(id: str, entity: str | None) -> Address:
        return Address(id=id, purposes=("billing",), default_for=("billing",), line1="1", city="KL",
                       country="MY", entity=entity)  # fmt: skip

    customer = Customer(
        id="c1", tenant="acme", code="CUS-0001", name="Acme", kind="company", legal_entity="MY01",
        addresses=(address("a", None), address("b", "SG01"), address("c", "SG01")),
        contacts=(Contact(id="k1", name="Siti", is_primary=True),
                  Contact(id="k2", name="Wei", is_primary=True)),
    )  # fmt: skip
    problems = check_collections(customer)
    assert found(problems) == [("addresses", "second_default"), ("contacts", "second_primary")]
    assert "for entity SG01" in problems[0].message


# ---------------------------------------------------------------------------
# Whole payloads: all errors at once
# ---------------------------------------------------------------------------


def payload(**more: Any) -> dict[str, Any]:
    return {
        "name": "Acme Trading",
        "kind": "company",
        "legal_entity": "MY01",
        "email": "ap@acme.example",
        **more,
    }


def test_a_whole_payload_reports_master_and_nested_problems_together() -> None:
    ctx = context()
    bad = payload(
        credit_limit=5000.0,
        website="acme.example",
        addresses=[
            {"purposes": ["billing"], "line1": "1 Jalan", "city": "KL", "country": "MY"},
            "not an address",
            {"purposes": ["shipping"], "line1": "2 Jalan", "city": "KL", "country": "ZZ"},
        ],
        contacts=[{"name": "Siti", "email": "siti-at-acme"}],
    )
    assert draft_customer(bad, ctx, id="c1", tenant="acme", code="CUS-0001") is None
    assert sorted(found(ctx.errors)) == sorted(
        [
            ("credit_limit", "not_a_decimal"),
            ("website", "invalid"),
            ("addresses[1]", "not_an_object"),
            ("addresses[2].country", "invalid"),
            ("contacts[0].email", "invalid"),
        ]
    )


def test_a_record_that_is_not_an_object_is_reported_once() -> None:
    ctx = context()
    bad = payload(addresses=["Head office"], tax_ids=[7], external_refs=["sf:1"], overrides=[None])
    assert draft_customer(bad, ctx, id="c1", tenant="acme", code="CUS-0001") is None
    assert sorted(found(ctx.errors)) == [
        ("addresses[0]", "not_an_object"),
        ("external_refs[0]", "not_an_object"),
        ("overrides[0]", "not_an_object"),
        ("tax_ids[0]", "not_an_object"),
    ]


def test_an_update_action_that_is_not_an_object_is_reported_once() -> None:
    ctx = context()
    current = draft_customer(payload(), ctx, id="c1", tenant="acme", code="CUS-0001")
    assert current is not None
    assert apply_changes(current, {"contacts": ["Wei"], "overrides": [3]}, ctx) is None
    assert found(ctx.errors) == [("contacts[0]", "not_an_object"), ("overrides[0]", "not_an_object")]


def test_a_partial_update_reports_action_problems_by_the_actions_index() -> None:
    ctx = context()
    current = draft_customer(
        payload(contacts=[{"name": "Siti"}]), ctx, id="c1", tenant="acme", code="CUS-0001"
    )
    assert current is not None
    changes = {
        "contacts": [
            {"action": "add", "name": "Wei"},
            {"action": "update", "id": "missing", "name": "Ah Kow"},
            {"action": "update", "id": current.contacts[0].id, "phone": 12345},
        ],
        "credit_limit": 1.5,
    }
    assert apply_changes(current, changes, ctx) is None
    assert sorted(found(ctx.errors)) == sorted(
        [
            ("credit_limit", "not_a_decimal"),
            ("contacts[1].id", "unknown_id"),
            ("contacts[2].phone", "not_a_string"),
        ]
    )


def test_a_partial_update_leaves_the_fields_it_does_not_name() -> None:
    ctx = context()
    current = draft_customer(
        payload(phone="+60 3-2161 0000", salesperson="Aminah"), ctx, id="c1", tenant="acme", code="CUS-0001"
    )
    assert current is not None
    changed = apply_changes(current, {"salesperson": "Badrul"}, ctx)
    assert changed is not None
    assert (changed.salesperson, changed.phone, changed.email) == (
        "Badrul",
        "+60321610000",
        "ap@acme.example",
    )
    assert changed.version == current.version
