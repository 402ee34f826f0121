"""``customer-master relay`` and ``relay status`` (R-15.4): what waits, per tenant; bad
broker URLs are one line naming the value. The relay itself runs against the real
brokers in test_broker_relay.py."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from customer_master.domain.events import Event
from customer_master_cli import cli
from customer_master_sql import migrate, open_storage


@pytest.fixture
def url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'customer-master.db'}"
    migrate(url)
    return url


def run(url: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--url", url, *args])


def one_line_error(result: Result) -> str:
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert "Traceback" not in result.output
    return lines[0]


def test_status_counts_what_waits_per_tenant_and_the_oldest(url: str) -> None:
    now = datetime.now(UTC)
    storage = open_storage(url)
    with storage.unit_of_work() as uow:
        for number, (tenant, minutes) in enumerate([("acme", 10), ("acme", 2), ("globex", 1)]):
            uow.outbox.add(
                Event(id=f"e{number}", name="customer_created", tenant=tenant,
                      occurred_at=now - timedelta(minutes=minutes), payload={})
            )  # fmt: skip
        uow.commit()
    with storage.unit_of_work() as uow:
        uow.outbox.mark_relayed(["e2"])
        uow.commit()
    storage.close()

    result = run(url, "relay", "status", "--json")

    assert result.exit_code == 0, result.output
    status = json.loads(result.output)
    assert status["pending"] == 2
    [acme] = status["tenants"]
    assert (acme["tenant"], acme["pending"]) == ("acme", 2)
    assert 600 <= acme["oldest_age_seconds"] < 660
    table = run(url, "relay", "status")
    assert "acme" in table.output
    assert "2 events waiting." in table.output


def test_status_says_when_nothing_waits(url: str) -> None:
    result = run(url, "relay", "status")
    assert result.exit_code == 0
    assert "Nothing waiting" in result.output


def test_a_relay_needs_a_broker(url: str) -> None:
    assert "--to: give at least one broker URL" in one_line_error(run(url, "relay"))


def test_an_unknown_broker_url_is_named(url: str) -> None:
    line = one_line_error(run(url, "relay", "--to", "http://127.0.0.1:5672/"))
    assert "'http://127.0.0.1:5672/' is not a broker URL" in line
