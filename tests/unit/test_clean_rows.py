"""Rows a person would call clean get in, and those that do not say why (issue 14):
every error message names the value it refuses (masked where R-12.2 asks), a mapping
may say what written values mean, and the similar-name warning names the same customer
whatever order the candidates come in."""

from __future__ import annotations

import random

import pytest

from customer_master import Actor, CustomerMaster, ValidationFailed
from customer_master.domain.importing import ImportOptions, mapping_from
from customer_master.domain.search import CustomerQuery
from customer_master.domain.warnings import most_similar_name

BASE = {"kind": "company", "legal_entity": "MY01", "email": "ap@acme.example"}


@pytest.mark.parametrize(
    ("column", "value", "shown"),
    [
        ("email", "ap-at-acme", "'ap-at-acme'"),
        ("billing_email", "billing@", "'billing@'"),
        ("phone", "12", "'12'"),
        ("website", "ftp://acme.example", "'ftp://acme.example'"),
        ("currency", "RINGGIT", "'RINGGIT'"),
        ("currency", "ZZZ", "'ZZZ'"),
        ("customer_type", "wholesaler", "'wholesaler'"),
        ("address_country", "Narnia", "'Narnia'"),
        ("address_country", "Kongo", "'Kongo'"),
        ("contact_phone", "+49 1", "'+49 1'"),
        ("contact_email", "siti@", "'siti@'"),
        ("tax_id_number", "NL0000", "'NL0000'"),
        ("address_is_primary", "perhaps", "'perhaps'"),  # not a column: ignored
        ("contact_is_primary", "perhaps", "'perhaps'"),
        ("metadata", "{not json", "'{not json'"),
        ("name", "x" * 300, "'" + "x" * 60 + "…'"),
        ("email", "a\nb@example.com", "'a\\nb@example.com'"),
    ],
)
def test_every_refused_cell_is_named_in_its_message(
    tenant: CustomerMaster, admin: Actor, column: str, value: str, shown: str
) -> None:
    cells = {
        **BASE,
        "name": "Acme",
        "address_line1": "1 Jalan Ampang",
        "address_city": "Kuala Lumpur",
        "address_country": "MY",
        "contact_name": "Siti",
        "tax_id_scheme": "eu.vat",
        "tax_id_number": "NL004495445B01",
        column: value,
    }
    result = tenant.imports.run(admin, [cells], ImportOptions(validate_only=True))
    if column == "address_is_primary":
        assert result.counts["failed"] == 0
        assert "address_is_primary" in result.ignored_columns
        return
    (outcome,) = result.outcomes
    assert outcome.outcome == "failed"
    messages = [p.message for p in outcome.problems if p.column == column]
    assert messages, outcome
    assert all(shown in message for message in messages), messages


def test_bank_numbers_and_credit_figures_are_masked_in_messages(tenant: CustomerMaster, admin: Actor) -> None:
    with pytest.raises(ValidationFailed) as refused:
        tenant.customers.create(
            admin,
            {
                **BASE,
                "name": "Acme",
                "credit_limit": "-25000",
                "bank_accounts": [{"iban": "GB82 WEST 1234 5698 7654 33", "account_number": "1" * 80}],
            },
        )
    messages = {e.path: e.message for e in refused.value.errors}
    assert messages["credit_limit"] == "'••••' must be at least 0"
    assert messages["bank_accounts[0].iban"].startswith("'••••4 33' is not a valid IBAN")
    assert messages["bank_accounts[0].account_number"].startswith("'••••1111' must be at most")
    assert "25000" not in str(refused.value)
    assert "5698" not in str(refused.value)


def test_a_mapping_says_what_written_values_mean(tenant: CustomerMaster, admin: Actor) -> None:
    mapping = mapping_from({"values": {"address_country": {"Blighty": "GB", "Malaya": "MY"}}})
    address = {"address_line1": "1 High St", "address_city": "London"}
    rows = [
        {**BASE, **address, "name": "Acme", "address_country": "blighty"},
        {**BASE, **address, "name": "Beta", "email": "b@beta.example", "address_country": "MY"}
        | {"address2_line1": "2 Jln", "address2_city": "Klang", "address2_country": "MALAYA"},
    ]
    result = tenant.imports.run(admin, rows, ImportOptions(mapping=mapping))
    assert result.counts["created"] == 2, result.to_csv()
    countries = sorted(
        a.country
        for c in tenant.customers.search(admin, CustomerQuery(status="any")).items
        for a in c.addresses
    )
    assert countries == ["GB", "MY", "MY"]


def test_a_mapping_with_values_for_something_that_is_not_a_column_is_refused() -> None:
    with pytest.raises(ValueError, match="values of adress_country"):
        mapping_from({"values": {"adress_country": {"Blighty": "GB"}}})


def test_the_similar_name_warning_names_the_same_customer_whatever_the_order() -> None:
    names = ["Acme Trading", "ACME TRADING", "acme trading.", "Acme  Trading", "Acme Tradings", "Zeta"] * 3
    candidates = [(f"CUS-{n:04d}", name) for n, name in enumerate(names, start=1)]
    rng = random.Random(14)
    named = set()
    for _ in range(50):
        rng.shuffle(candidates)
        named.add(most_similar_name("Acme Trading", list(candidates), 90))
    assert named == {("CUS-0001", "Acme Trading", 100.0)}
