"""The customer repository behaves the same on every storage (R-1, R-1.9, R-4.2, R-16.1)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from attrs import evolve
from contract_values import AT, add_committed, full_customer, plain_customer

from customer_master.domain.customer import Address, ExternalRef, TaxId
from customer_master.domain.serialize import to_data
from customer_master.errors import Conflict
from customer_master.ports import Storage


def test_a_customer_with_every_field_comes_back_exactly(storage: Storage) -> None:
    customer = full_customer()
    add_committed(storage, customer)

    with storage.unit_of_work() as uow:
        by_id = uow.customers.get("acme", "c1")
        by_code = uow.customers.get_by_code("acme", "CUS-0001")

    assert by_id == customer
    assert by_code == customer
    # Exactly: decimals keep their digits ("50000.00", "1E+1"), instants their
    # microseconds, records and tags their order.
    assert to_data(by_id) == to_data(customer)


def test_an_absent_customer_is_none(storage: Storage) -> None:
    with storage.unit_of_work() as uow:
        assert uow.customers.get("acme", "nobody") is None
        assert uow.customers.get_by_code("acme", "CUS-9999") is None


def test_a_second_customer_with_a_taken_code_is_refused(storage: Storage) -> None:
    add_committed(storage, plain_customer(1))

    with storage.unit_of_work() as uow, pytest.raises(Conflict):
        uow.customers.add(plain_customer(2, code="CUS-0001"))


def test_an_instant_in_another_zone_comes_back_as_the_same_instant(storage: Storage) -> None:
    kuala_lumpur = timezone(timedelta(hours=8))
    created = datetime(2026, 3, 2, 17, 30, 15, 250, tzinfo=kuala_lumpur)
    add_committed(storage, plain_customer(1, created_at=created))

    with storage.unit_of_work() as uow:
        stored = uow.customers.get("acme", "c1")

    assert stored is not None
    assert stored.created_at == created
    assert stored.created_at.utcoffset() is not None


def test_update_stores_the_next_version_and_replaces_the_related_records(storage: Storage) -> None:
    customer = full_customer()
    add_committed(storage, customer)
    changed = evolve(
        customer,
        name="Societe Generale Asia",
        addresses=(evolve(customer.addresses[1], city="Klang"),),
        tax_ids=(),
        tags=("new", "vip"),
        contacts=tuple(reversed(customer.contacts)),
        enabled_entities=frozenset({"US01"}),
        credit_hold=None,
    )

    with storage.unit_of_work() as uow:
        stored = uow.customers.update(changed, expected_version=customer.version)
        uow.commit()
    with storage.unit_of_work() as uow:
        reread = uow.customers.get("acme", "c1")

    assert stored == evolve(changed, version=customer.version + 1)
    assert reread == stored


def test_an_update_from_a_stale_version_is_a_conflict_and_changes_nothing(storage: Storage) -> None:
    customer = plain_customer(1, version=4)
    add_committed(storage, customer)

    with storage.unit_of_work() as uow:
        with pytest.raises(Conflict) as conflict:
            uow.customers.update(evolve(customer, name="Lost update", tags=("x",)), expected_version=3)
        uow.commit()
    with storage.unit_of_work() as uow:
        assert uow.customers.get("acme", "c1") == customer

    assert conflict.value.current_version == 4


def test_updating_a_removed_customer_is_a_conflict(storage: Storage) -> None:
    customer = plain_customer(1)
    add_committed(storage, customer)
    with storage.unit_of_work() as uow:
        uow.customers.remove("acme", "c1")
        uow.commit()

    with storage.unit_of_work() as uow, pytest.raises(Conflict):
        uow.customers.update(customer, expected_version=1)


def test_remove_deletes_the_customer_and_its_related_records(storage: Storage) -> None:
    add_committed(storage, full_customer())

    with storage.unit_of_work() as uow:
        uow.customers.remove("acme", "c1")
        uow.commit()
    with storage.unit_of_work() as uow:
        assert uow.customers.get("acme", "c1") is None
        assert uow.customers.get_by_code("acme", "CUS-0001") is None
        assert uow.customers.find_by_tax_id("acme", "FR40303265045") == []
        assert uow.customers.find_by_external_ref("acme", "salesforce", "0015g00000XyZ") is None
    # Its code, ids and keys are free again.
    add_committed(storage, full_customer())


def test_find_by_tax_id_finds_active_holders_of_any_scheme(storage: Storage) -> None:
    vat = TaxId(id="t", scheme="eu.vat", number="NL004495445B01")
    same_number = TaxId(id="t", scheme="nl.btw", number="NL004495445B01")
    add_committed(
        storage,
        plain_customer(1, tax_ids=(vat,)),
        plain_customer(2, tax_ids=(same_number,)),
        plain_customer(3, tax_ids=(vat,), status="inactive"),
        plain_customer(4),
    )

    with storage.unit_of_work() as uow:
        found = uow.customers.find_by_tax_id("acme", "NL004495445B01")

    assert sorted(c.code for c in found) == ["CUS-0001", "CUS-0002"]


def test_find_by_external_ref_finds_the_holder_active_or_not(storage: Storage) -> None:
    ref = ExternalRef("salesforce", "001A")
    add_committed(storage, plain_customer(1, external_refs=(ref,), status="inactive"), plain_customer(2))

    with storage.unit_of_work() as uow:
        holder = uow.customers.find_by_external_ref("acme", "salesforce", "001A")
        other_system = uow.customers.find_by_external_ref("acme", "hubspot", "001A")

    assert holder is not None
    assert holder.code == "CUS-0001"
    assert other_system is None


def test_find_by_email_ignores_case_and_inactive_customers(storage: Storage) -> None:
    add_committed(
        storage,
        plain_customer(1, email="Ap@Example.com"),
        plain_customer(2, email="ap@example.com", status="inactive"),
        plain_customer(3, email="other@example.com"),
    )

    with storage.unit_of_work() as uow:
        found = uow.customers.find_by_email("acme", "AP@EXAMPLE.COM")

    assert [c.code for c in found] == ["CUS-0001"]


def test_similar_name_candidates_include_look_alikes_of_active_customers(storage: Storage) -> None:
    add_committed(
        storage,
        plain_customer(1, name="ACME Trading Sdn Bhd"),
        plain_customer(2, name="Acme Trading Sdn. Bhd.", status="inactive"),
        plain_customer(3, name="Kedai Runcit Ali"),
        plain_customer(4, name="Microsoft Malaysia"),
    )

    with storage.unit_of_work() as uow:
        candidates = set(uow.customers.similar_name_candidates("acme", "Acme Trading Sdn. Bhd."))
        typo = set(uow.customers.similar_name_candidates("acme", "Microsft Malaysia"))

    assert ("CUS-0001", "ACME Trading Sdn Bhd") in candidates
    assert all(code != "CUS-0002" for code, _ in candidates)
    assert ("CUS-0004", "Microsoft Malaysia") in typo


def test_count_using_counts_customers_referring_in_master_or_override(storage: Storage) -> None:
    customer = full_customer()  # NET30 / STD in the master, NET60 / SG in an override
    add_committed(
        storage,
        customer,
        plain_customer(2, payment_terms="NET30"),
        plain_customer(3, price_list="SG"),
        plain_customer(4),
    )

    with storage.unit_of_work() as uow:
        counts = {
            "NET30": uow.customers.count_using("acme", payment_terms="NET30"),
            "NET60": uow.customers.count_using("acme", payment_terms="NET60"),
            "STD": uow.customers.count_using("acme", price_list="STD"),
            "SG": uow.customers.count_using("acme", price_list="SG"),
            "EOM": uow.customers.count_using("acme", payment_terms="EOM"),
            "either": uow.customers.count_using("acme", payment_terms="NET60", price_list="SG"),
        }

    assert counts == {"NET30": 2, "NET60": 1, "STD": 1, "SG": 2, "EOM": 0, "either": 2}


def test_a_unit_of_work_sees_its_own_writes_and_leaves_nothing_without_commit(storage: Storage) -> None:
    with storage.unit_of_work() as uow:
        uow.customers.add(plain_customer(1))
        assert uow.customers.get("acme", "c1") is not None
        assert uow.customers.get_by_code("acme", "CUS-0001") is not None

    with storage.unit_of_work() as uow:
        assert uow.customers.get("acme", "c1") is None


def test_rollback_discards_and_the_unit_of_work_goes_on(storage: Storage) -> None:
    with storage.unit_of_work() as uow:
        uow.customers.add(plain_customer(1))
        uow.rollback()
        assert uow.customers.get("acme", "c1") is None
        uow.customers.add(plain_customer(2))
        uow.commit()
        uow.customers.add(plain_customer(3))

    with storage.unit_of_work() as uow:
        assert [uow.customers.get("acme", f"c{n}") is not None for n in (1, 2, 3)] == [False, True, False]


def test_an_exception_in_the_unit_of_work_leaves_nothing(storage: Storage) -> None:
    def create_then_fail() -> None:
        with storage.unit_of_work() as uow:
            uow.customers.add(plain_customer(1))
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        create_then_fail()

    with storage.unit_of_work() as uow:
        assert uow.customers.get("acme", "c1") is None


def test_an_address_for_an_entity_and_many_records_keep_their_order(storage: Storage) -> None:
    addresses = tuple(
        Address(id=f"a{n}", purposes=("site",), line1=f"{n} Jalan", city="KL", country="MY", entity="MY01")
        for n in (5, 3, 9, 1, 7)
    )
    add_committed(storage, plain_customer(1, addresses=addresses, created_at=AT, updated_at=AT))

    with storage.unit_of_work() as uow:
        stored = uow.customers.get("acme", "c1")

    assert stored is not None
    assert [a.id for a in stored.addresses] == ["a5", "a3", "a9", "a1", "a7"]
    assert stored.updated_at == datetime(2026, 3, 2, 9, 30, 15, 123456, tzinfo=UTC)
