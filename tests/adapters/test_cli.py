"""The command line (SPEC R-16.3): migrate, API keys, the demo tenant, audit verify and
the rules as commands; errors are one line and a non-zero exit code."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from customer_master import CustomerMaster
from customer_master_cli import cli


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A migrated SQLite file with a small demo tenant, seeded once for the module."""
    url = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'demo.db'}"
    runner = CliRunner()
    assert runner.invoke(cli, ["--url", url, "migrate"]).exit_code == 0
    seeded = runner.invoke(cli, ["--url", url, "seed-demo", "--customers", "25"])
    assert seeded.exit_code == 0, seeded.output
    return {"url": url, "output": seeded.output}


def run(url: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--url", url, *args])


def assert_one_line_error(result: Result, *words: str) -> None:
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error: ")
    assert "Traceback" not in result.output
    for word in words:
        assert word in lines[0]


def test_migrate_creates_and_then_keeps_the_schema(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    first = run(url, "migrate")
    assert first.exit_code == 0
    assert "schema revision" in first.output
    assert run(url, "migrate").output == first.output
    assert "no schema" in run("memory://", "migrate").output


def test_an_unmigrated_database_is_a_one_line_error(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    assert_one_line_error(
        run(url, "apikey", "create", "--tenant", "t", "--user", "u", "--role", "admin"), "migrate"
    )


def test_url_comes_from_the_environment(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'env.db'}"
    result = CliRunner().invoke(cli, ["migrate"], env={"CUSTOMER_MASTER_URL": url})
    assert result.exit_code == 0
    assert str(tmp_path) in result.output


def test_apikey_create_prints_the_key_once_and_it_works(demo: dict[str, Any]) -> None:
    result = CliRunner().invoke(
        cli,
        ["--url", demo["url"], "apikey", "create", "--tenant", "demo", "--user", "eve", "--role", "viewer"],
    )
    assert result.exit_code == 0
    secret = result.stdout.strip()
    assert secret.startswith("cm_")
    assert "eve" in result.stderr
    cm = CustomerMaster.from_url(demo["url"])
    try:
        actor = cm.access.authenticate(secret)
    finally:
        cm.close()
    assert actor is not None
    assert (actor.tenant, actor.user, actor.roles) == ("demo", "eve", frozenset({"viewer"}))


def test_apikey_with_an_unknown_role_is_refused(demo: dict[str, Any]) -> None:
    result = run(demo["url"], "apikey", "create", "--tenant", "demo", "--user", "eve", "--role", "wizard")
    assert_one_line_error(result, "roles", "wizard")


def test_seed_demo_reports_what_it_made_and_prints_keys(demo: dict[str, Any]) -> None:
    output = demo["output"]
    assert "customers: 27" in output
    assert "change requests pending" in output
    assert output.count("cm_") == 6  # ana, carlos, sam, dana, mei, vic
    again = run(demo["url"], "seed-demo", "--customers", "10")
    assert_one_line_error(again, "already has data")


def test_audit_verify(demo: dict[str, Any]) -> None:
    result = run(demo["url"], "audit", "verify", "--tenant", "demo")
    assert result.exit_code == 0
    assert "intact" in result.output


def test_credit_check_as_table_and_json(demo: dict[str, Any]) -> None:
    table = run(
        demo["url"], "credit-check", "--tenant", "demo", "CUS-0001", "--entity", "MY01", "--amount", "100"
    )
    assert table.exit_code == 0, table.output
    assert "CUS-0001" in table.output
    assert "Exposure" in table.output
    as_json = run(
        demo["url"],
        "credit-check",
        "--tenant",
        "demo",
        "cus-0001",
        "--entity",
        "MY01",
        "--amount",
        "100",
        "--json",
    )
    decision = json.loads(as_json.output)
    assert decision["outcome"] in ("approved", "warning", "blocked")
    assert_one_line_error(
        run(demo["url"], "credit-check", "--tenant", "demo", "CUS-9999", "--entity", "MY01", "--amount", "1"),
        "not found",
    )
    assert_one_line_error(
        run(
            demo["url"],
            "credit-check",
            "--tenant",
            "demo",
            "CUS-0001",
            "--entity",
            "MY01",
            "--amount",
            "lots",
        ),
        "--amount",
    )


def test_schedule_by_terms_and_by_customer(demo: dict[str, Any]) -> None:
    by_terms = run(
        demo["url"],
        "schedule",
        "--tenant",
        "demo",
        "--terms",
        "3X30",
        "--date",
        "2026-01-31",
        "--amount",
        "100",
        "--currency",
        "USD",
        "--json",
    )
    assert by_terms.exit_code == 0, by_terms.output
    assert [i["amount"] for i in json.loads(by_terms.output)["installments"]] == ["33.33", "33.33", "33.34"]
    by_customer = run(
        demo["url"],
        "schedule",
        "--tenant",
        "demo",
        "--customer",
        "CUS-0002",
        "--entity",
        "MY01",
        "--date",
        "2026-01-31",
        "--amount",
        "1200",
    )
    assert by_customer.exit_code == 0, by_customer.output
    assert "Payment schedule" in by_customer.output
    assert_one_line_error(
        run(demo["url"], "schedule", "--tenant", "demo", "--date", "2026-01-31", "--amount", "1"), "--terms"
    )


def test_price(demo: dict[str, Any]) -> None:
    result = run(
        demo["url"],
        "price",
        "--tenant",
        "demo",
        "CUS-0001",
        "--entity",
        "MY01",
        "--item",
        "BOLT-M8",
        "--quantity",
        "150",
        "--json",
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["unit_price"] is not None
    table = run(demo["url"], "price", "--tenant", "demo", "CUS-0001", "--entity", "MY01", "--item", "NOTHING")
    assert "no price" in table.output


def test_serve_runs_gunicorn_with_workers_and_bind(
    demo: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[Any, ...]] = []
    monkeypatch.setattr("customer_master_cli.serve.run_gunicorn", lambda *a, **k: calls.append((a, k)))
    monkeypatch.setattr("customer_master_cli.serve.run_dev", lambda *a, **k: calls.append(("dev", a)))
    result = run(demo["url"], "serve", "--bind", "127.0.0.1:8765", "--workers", "3")
    assert result.exit_code == 0, result.output
    assert calls == [((demo["url"], "127.0.0.1:8765"), {"workers": 3, "threads": 1, "access_log": True})]
    assert run(demo["url"], "serve", "--dev", "--bind", "127.0.0.1:8765").exit_code == 0
    assert calls[-1] == ("dev", (demo["url"], "127.0.0.1", 8765))
    assert_one_line_error(run(demo["url"], "serve", "--bind", "nowhere"), "host:port")


def test_import_and_export_are_attached(demo: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "customers.csv"
    exported = run(demo["url"], "export", str(out), "--tenant", "demo")
    assert exported.exit_code == 0, exported.output
    assert len(out.read_text(encoding="utf-8-sig").splitlines()) > 20
    dry_run = run(demo["url"], "import", str(out), "--tenant", "demo", "--validate-only")
    assert dry_run.exit_code == 0, dry_run.output


def test_export_can_search_names_allowing_for_typing_errors(demo: dict[str, Any], tmp_path: Path) -> None:
    everyone = tmp_path / "everyone.csv"
    assert run(demo["url"], "export", str(everyone), "--tenant", "demo").exit_code == 0
    rows = list(csv.DictReader(everyone.read_text(encoding="utf-8-sig").splitlines()))
    name = next(r["name"] for r in rows if len(r["name"].split()[0]) >= 6 and r["name"].split()[0].isalpha())
    word = name.split()[0]
    typed = word[:2] + word[3] + word[2] + word[4:]  # two letters swapped
    out = tmp_path / "found.csv"
    for match, found in (("prefix", False), ("fuzzy", True)):
        result = run(
            demo["url"], "export", str(out), "--tenant", "demo", "--name", typed, "--name-match", match
        )
        assert result.exit_code == 0, result.output
        names = [r["name"] for r in csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines())]
        assert (name in names) is found, (typed, names)
    refused = run(
        demo["url"], "export", str(out), "--tenant", "demo", "--name", typed, "--name-match", "loose"
    )
    assert refused.exit_code == 2
    assert "--name-match" in refused.output
