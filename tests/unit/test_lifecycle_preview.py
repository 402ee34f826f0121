"""Previews of the operations that cannot be undone (merge, hard delete): what they would
store and the lane they would take, refused as the operation would be, and nothing is
stored (the preview-then-confirm of the conversational channel, R-16.4)."""

from __future__ import annotations

from typing import Any

import pytest

from customer_master import Actor, BusinessRuleViolation, CustomerMaster, Forbidden


def _customer(cm: CustomerMaster, actor: Actor, name: str, **fields: Any) -> str:
    payload = {
        "name": name,
        "kind": "company",
        "email": "ap@globe.example",
        "legal_entity": "US01",
        "currency": "USD",
        **fields,
    }
    return cm.customers.create(actor, payload).applied.id


def test_a_merge_preview_shows_the_result_and_stores_nothing(tenant: CustomerMaster, admin: Actor) -> None:
    source = _customer(tenant, admin, "Globe Trading", tags=["east"])
    target = _customer(tenant, admin, "Globe Trading Inc", tags=["west"])
    trail_before = len(tenant.audit.trail(admin))

    preview = tenant.lifecycle.preview_merge(admin, source, target)

    merged_source, merged_target = preview.after
    assert merged_source is not None
    assert merged_target is not None
    assert (merged_source.status, merged_source.merged_into) == ("inactive", target)
    assert set(merged_target.tags) == {"east", "west"}
    assert (preview.lane, preview.steps) == ("green", ())
    assert tenant.customers.get(admin, source).status == "active"
    assert len(tenant.audit.trail(admin)) == trail_before


def test_a_preview_names_the_lane_and_the_approvers(tenant: CustomerMaster, admin: Actor) -> None:
    customer = _customer(tenant, admin, "Globe Trading")
    tenant.configuration.set_approval_lane(admin, "hard_delete", "red")
    preview = tenant.lifecycle.preview_hard_delete(admin, customer)
    assert preview.after == (None,)
    assert (preview.lane, preview.steps) == ("red", ("ar_manager", "controller", "cfo"))
    assert tenant.customers.get(admin, customer).id == customer


def test_a_preview_is_refused_as_the_operation_would_be(tenant: CustomerMaster, admin: Actor) -> None:
    customer = _customer(tenant, admin, "Globe Trading")
    with pytest.raises(BusinessRuleViolation, match="itself"):
        tenant.lifecycle.preview_merge(admin, customer, customer)
    with pytest.raises(Forbidden):
        tenant.lifecycle.preview_hard_delete(Actor(admin.tenant, "vic", {"viewer"}), customer)
