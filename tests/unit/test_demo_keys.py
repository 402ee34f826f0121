"""The demo's keys can complete every lane with someone other than the submitter at each
step (issue 19, R-10.2): what `make demo` prints under "who does what"."""

from __future__ import annotations

import pytest

from customer_master import CustomerMaster
from customer_master.domain.search import CustomerQuery
from customer_master_cli.demo import DEMO_DUTIES, seed_demo_tenant


@pytest.fixture(scope="module")
def demo() -> tuple[CustomerMaster, dict[str, str]]:
    cm = CustomerMaster.from_url("memory://", load_entry_points=False)
    summary = seed_demo_tenant(cm, tenant="demo", customers=12, seed=3)
    return cm, {key["user"]: key["secret"] for key in summary["keys"]}


def test_every_demo_key_has_its_duty_printed(demo: tuple[CustomerMaster, dict[str, str]]) -> None:
    _cm, keys = demo
    assert set(keys) == set(DEMO_DUTIES)


@pytest.mark.parametrize(
    ("submitter", "approvers"),
    [("ana", ("mei", "carlos")), ("sam", ("ana", "carlos"))],
)
def test_a_yellow_change_is_approved_by_two_other_demo_users(
    demo: tuple[CustomerMaster, dict[str, str]], submitter: str, approvers: tuple[str, str]
) -> None:
    cm, keys = demo
    actor = {user: cm.access.authenticate(secret) for user, secret in keys.items()}
    name = f"Demo Duties {submitter.title()} Sdn Bhd"
    payload = {
        "name": name,
        "kind": "company",
        "legal_entity": "MY01",
        "email": f"{submitter}@duties.example",
    }
    request = cm.customers.create(actor[submitter], payload).change_request
    assert request is not None
    for user in approvers:
        cm.approvals.approve(actor[user], request.id)
    found = cm.customers.search(actor["vic"], CustomerQuery(name=name)).items
    assert [c.name for c in found] == [name]


def test_a_red_request_is_approved_by_three_other_demo_users(
    demo: tuple[CustomerMaster, dict[str, str]],
) -> None:
    cm, keys = demo
    actor = {user: cm.access.authenticate(secret) for user, secret in keys.items()}
    cm.configuration.set_approval_lane(actor["ana"], "deactivate", "red")
    target = cm.customers.search(actor["ana"], CustomerQuery(kind="company", limit=1)).items[0]
    request = cm.customers.deactivate(actor["ana"], target.id).change_request
    assert request is not None
    assert request.steps == ("ar_manager", "controller", "cfo")
    for user in ("mei", "carlos", "dana"):
        cm.approvals.approve(actor[user], request.id)
    assert cm.customers.get(actor["ana"], target.id).status == "inactive"
