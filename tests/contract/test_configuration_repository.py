"""Tenant configuration is one versioned value per tenant on every storage (R-1.5, R-6,
R-7.1)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from attrs import evolve

from customer_master.domain.approvals import ApprovalPolicy, LaneRule
from customer_master.domain.config import CustomField, LegalEntity, TenantConfiguration, TenantSettings
from customer_master.domain.credit import CreditSettings
from customer_master.domain.pricing import PriceList, PriceListLine
from customer_master.domain.terms import terms_from_dict
from customer_master.errors import Conflict
from customer_master.ports import Storage

NET30 = terms_from_dict(
    {
        "code": "NET30",
        "name": "Net 30",
        "lines": [{"portion": {"kind": "remainder", "value": None}, "due": [{"add_days": 30}]}],
    }
)


def full_configuration(tenant: str = "acme") -> TenantConfiguration:
    """A configuration with every part set away from its default."""
    settings = TenantSettings(
        auto_generate_code=False, code_prefix="C", code_width=6, enforce_unique_tax_id=False,
        company_requires_email=False, mandatory_fields=frozenset({"phone", "industry"}),
        large_credit_limit=Decimal("250000.50"), similar_name_threshold=85.5, exemption_warning_days=14,
        time_zone="Asia/Kuala_Lumpur",
        credit=CreditSettings(policy="warn", overdue_block=False, grace_days=5,
                              group_policies={"key": "off"}),
        merge_policy="forbid_if_both_have_history", use_last_price=True, rounding="half_up",
        zero_installments="omit", overallocation="allow", standard_price_list="STD",
        credit_check_documents=frozenset({"invoice"}), count_open_orders_at_invoice=True,
        approvals=ApprovalPolicy(rules=(LaneRule(operation="create", lane="green", kind="individual"),)),
    )  # fmt: skip
    standard = PriceList(
        code="STD",
        name="Standard",
        currency="USD",
        lines=[
            PriceListLine(item_code="BOLT", unit_price=Decimal("1.00")),
            PriceListLine(item_code="BOLT", unit_price=Decimal("0.90"), min_quantity=Decimal("100")),
            PriceListLine(
                item_code="NUT",
                unit_price=Decimal("0.055"),
                min_quantity=Decimal("0.5"),
                valid_from=date(2026, 1, 1),
                valid_to=date(2026, 6, 30),
            ),
        ],
    )
    return TenantConfiguration(
        tenant=tenant,
        version=7,
        settings=settings,
        entities=(
            LegalEntity(code="MY01", name="Acme Malaysia", currency="MYR"),
            LegalEntity(code="SG01", name="SG"),
        ),
        classifications={"customer_group": ("key", "retail"), "region": ("apac",)},
        dimension_types={"department": ("SALES", "OPS")},
        custom_fields=(
            CustomField(name="account_manager", type="text", required=True),
            CustomField(name="size", type="choice", choices=("S", "M", "L")),
        ),
        payment_terms={"NET30": NET30},
        price_lists={"STD": standard, "EMPTY": PriceList(code="EMPTY", name="Nothing yet", currency="MYR")},
        role_permissions={"clerk": frozenset({"customer.read"})},
    )


def saved(storage: Storage, config: TenantConfiguration, expected_version: int) -> None:
    with storage.unit_of_work() as uow:
        uow.configuration.save(config, expected_version=expected_version)
        uow.commit()


def read(storage: Storage, tenant: str = "acme") -> TenantConfiguration:
    with storage.unit_of_work() as uow:
        return uow.configuration.get(tenant)


def test_a_tenant_never_configured_has_an_empty_configuration_at_version_0(storage: Storage) -> None:
    assert read(storage) == TenantConfiguration(tenant="acme")


def test_every_part_of_the_configuration_comes_back(storage: Storage) -> None:
    config = full_configuration()
    saved(storage, config, expected_version=0)

    assert read(storage) == config


def test_saving_over_another_version_is_a_conflict_and_changes_nothing(storage: Storage) -> None:
    config = full_configuration()
    saved(storage, config, expected_version=0)

    with storage.unit_of_work() as uow, pytest.raises(Conflict) as conflict:
        uow.configuration.save(config.changed(entities=()), expected_version=6)

    assert conflict.value.current_version == 7
    assert read(storage) == config


def test_price_lists_change_one_at_a_time(storage: Storage) -> None:
    config = full_configuration()
    saved(storage, config, expected_version=0)
    standard = config.price_lists["STD"]
    cheaper = evolve(
        standard, lines=(*standard.lines[:1], evolve(standard.lines[1], unit_price=Decimal("0.85")))
    )
    export = PriceList(
        code="EXPORT",
        name="Export",
        currency="EUR",
        lines=[PriceListLine(item_code="A", unit_price=Decimal(2))],
    )
    changed = config.changed(price_lists={"EXPORT": export, "STD": cheaper})

    saved(storage, changed, expected_version=7)

    assert read(storage) == changed
    assert list(read(storage).price_lists) == ["EXPORT", "STD"]


def test_a_saved_configuration_is_seen_in_the_same_unit_of_work_and_not_before_commit(
    storage: Storage,
) -> None:
    config = full_configuration()
    with storage.unit_of_work() as uow:
        uow.configuration.save(config, expected_version=0)
        assert uow.configuration.get("acme") == config

    assert read(storage).version == 0


def test_a_change_made_through_another_storage_is_seen(open_shared: Callable[[], Storage]) -> None:
    first, second = open_shared(), open_shared()
    config = full_configuration()
    saved(first, config, expected_version=0)
    assert read(second) == config  # and now cached there

    changed = config.changed(entities=(LegalEntity(code="US01", name="Acme Inc"),))
    saved(first, changed, expected_version=config.version)

    assert read(second) == changed


def test_each_tenant_has_its_own_configuration(storage: Storage) -> None:
    saved(storage, full_configuration("acme"), expected_version=0)
    other = TenantConfiguration(tenant="globex", version=1, entities=(LegalEntity(code="X", name="X"),))
    saved(storage, other, expected_version=0)

    assert read(storage, "globex") == other
    assert read(storage, "acme") == full_configuration("acme")
