"""The import's crash-and-rerun and export → edit → import round trip on the server
databases (R-9.5, R-9.6): the same tests as ``tests/unit/test_importing.py`` runs on memory
and SQLite, here on PostgreSQL and MariaDB."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from customer_master import Actor, CustomerMaster
from customer_master.domain.importing import ImportOptions


def _importing_tests() -> ModuleType:
    path = Path(__file__).parents[1] / "unit" / "test_importing.py"
    spec = importlib.util.spec_from_file_location("importing_tests", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


shared = _importing_tests()


@pytest.fixture
def server_url(sql_url: str) -> str:
    if sql_url.startswith("sqlite"):
        pytest.skip("SQLite runs these in tests/unit/test_importing.py")
    return sql_url


def test_a_crash_mid_batch_keeps_earlier_batches_and_a_rerun_ends_the_same(
    server_url: str, clock: Any, admin: Actor
) -> None:
    rows = shared.many_rows(45)
    reference = CustomerMaster.from_url("memory://", clock=clock, load_entry_points=False)
    shared.green_tenant(reference, admin)
    reference.imports.run(admin, rows, ImportOptions(batch_size=10))
    expected = shared.state(reference, admin)

    crash = shared.CrashOnName("Customer 0027")
    cm = CustomerMaster.from_url(server_url, plugins=[crash], clock=clock, load_entry_points=False)
    shared.green_tenant(cm, admin)
    with pytest.raises(shared.Crash):
        cm.imports.run(admin, rows, ImportOptions(batch_size=10))
    assert len(shared.customers(cm, admin)) == 20
    crash.armed = False
    result = cm.imports.run(admin, rows, ImportOptions(batch_size=10))
    assert (result.counts["created"], result.counts["skipped"]) == (25, 20)
    assert shared.state(cm, admin) == expected
    cm.close()


# Row by row on a server a customer costs a few round trips; 300 keep this test to seconds
# while exercising the same export → edit → import path as the 5,000-customer run.
SERVER_ROUND_TRIP = 300


def test_export_edit_import_changes_exactly_the_edited_fields(
    server_url: str, clock: Any, admin: Actor
) -> None:
    cm = CustomerMaster.from_url(server_url, clock=clock, load_entry_points=False)
    shared.green_tenant(cm, admin)
    shared._seed(cm, admin, SERVER_ROUND_TRIP)
    before = shared.state(cm, admin)
    rows, edits = shared._edited(cm.exports.export(admin).rows)

    result = cm.imports.run(admin, rows, ImportOptions(on_duplicate="update", batch_size=100))

    assert result.counts == {
        "created": 0,
        "updated": len(edits),
        "skipped": SERVER_ROUND_TRIP - len(edits),
        "failed": 0,
    }
    after = shared.state(cm, admin)
    assert after.keys() == before.keys()
    renamed = {"tax_id_scheme": "tax_ids", "tax_id_number": "tax_ids", "address_city": "addresses"}
    for code, old in before.items():
        changed = {k for k in old if old[k] != after[code][k]}
        assert changed == {renamed.get(k, k) for k in edits.get(code, {})}, code
    cm.close()
