"""Steps for features/bulk_import_export.feature: importing files with every problem
explained, duplicates, options, re-runs after a failure, export with masking, the round
trip, and approval of an import (SPEC R-9.1 to R-9.6, R-10 for imports, R-12.2)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from attrs import define, field
from pytest_bdd import given, parsers, scenarios, then, when
from vocabulary import Story

from customer_master import Actor, CustomerMaster, hookimpl
from customer_master.domain.audit import BULK
from customer_master.domain.customer import Customer
from customer_master.domain.import_report import ImportResult
from customer_master.domain.importing import PRESETS, ImportOptions
from customer_master.domain.search import CustomerQuery
from customer_master.domain.serialize import to_data
from customer_master.services.exporting import Export

pytestmark = pytest.mark.usefixtures("story")

scenarios("bulk_import_export.feature")


@define
class Bulk:
    """What the scenario imported and exported."""

    rows: list[dict[str, str]] = field(factory=list)
    options: ImportOptions = field(factory=ImportOptions)
    result: ImportResult | None = None
    export: tuple[tuple[str, ...], list[dict[str, str]]] | None = None
    spreadsheet: list[dict[str, str]] = field(factory=list)
    before: dict[str, Any] = field(factory=dict)


@pytest.fixture
def bulk() -> Bulk:
    return Bulk()


def table(datatable: list[list[str]]) -> list[dict[str, str]]:
    header, *rows = datatable
    return [dict(zip(header, row, strict=True)) for row in rows]


def everyone(cm: CustomerMaster, actor: Actor) -> list[Customer]:
    return list(cm.customers.search(actor, CustomerQuery(status="any", limit=1000)).items)


def by_name(story: Story, name: str) -> Customer:
    found = [c for c in everyone(story.cm, story.actor) if c.name == name or c.code == name]
    assert found, f"no customer {name!r}"
    return found[0]


def run(story: Story, bulk: Bulk, rows: list[dict[str, str]], options: ImportOptions | None = None) -> None:
    bulk.rows, bulk.options = rows, options or ImportOptions()
    bulk.result = story.cm.imports.run(story.actor, rows, bulk.options)


def result(bulk: Bulk) -> ImportResult:
    assert bulk.result is not None, "nothing was imported yet"
    return bulk.result


# ---------------------------------------------------------------------------
# Given / When: importing
# ---------------------------------------------------------------------------


@given("this file was imported:")
@when("this file is imported:")
def file_imported(story: Story, bulk: Bulk, datatable: list[list[str]]) -> None:
    run(story, bulk, table(datatable))


@when(parsers.parse('this file is imported with duplicates "{on_duplicate}":'))
def file_imported_with(story: Story, bulk: Bulk, on_duplicate: str, datatable: list[list[str]]) -> None:
    run(story, bulk, table(datatable), ImportOptions(on_duplicate=on_duplicate))  # type: ignore[arg-type]


@when("this file is checked without importing it:")
def file_checked(story: Story, bulk: Bulk, datatable: list[list[str]]) -> None:
    run(story, bulk, table(datatable), ImportOptions(validate_only=True))


@when("this file is imported, stopping at the first error:")
def file_imported_stopping(story: Story, bulk: Bulk, datatable: list[list[str]]) -> None:
    run(story, bulk, table(datatable), ImportOptions(stop_on_error=True))


@when(parsers.parse("this Salesforce accounts export is imported for {entity}:"))
def salesforce_export(story: Story, bulk: Bulk, entity: str, datatable: list[list[str]]) -> None:
    mapping = PRESETS["salesforce"].with_defaults({"legal_entity": entity})
    run(story, bulk, table(datatable), ImportOptions(mapping=mapping))


@when("the same export is imported again")
@when("the same file is imported again")
def same_again(story: Story, bulk: Bulk) -> None:
    bulk.before["trail"] = len(story.cm.audit.trail(story.actor))
    run(story, bulk, bulk.rows, bulk.options)


@when(parsers.parse("the file is imported in batches of {size:d}"))
def imported_in_batches(story: Story, bulk: Bulk, size: int) -> None:
    run(story, bulk, bulk.rows, ImportOptions(batch_size=size))


@then(parsers.parse('customer "{name}" was created by one change of the import'))
def created_once(story: Story, name: str) -> None:
    trail = story.cm.audit.trail(story.actor, by_name(story, name).id)
    assert [record.operation for record in trail] == ["create"]


@then("the import changed nothing in the audit trail")
def trail_unchanged(story: Story, bulk: Bulk) -> None:
    assert len(story.cm.audit.trail(story.actor)) == bulk.before["trail"]


@then(parsers.parse("the audit trail holds one record for each batch, naming {counts}"))
def one_record_a_batch(story: Story, counts: str) -> None:
    expected = [int(n) for n in counts.removesuffix(" customers").replace(" and ", ", ").split(", ")]
    batches = [r for r in story.cm.audit.trail(story.actor) if r.operation == BULK]
    assert [len(r.customer_ids) for r in batches] == expected


@then(parsers.parse('the trail of "{name}" shows its creation by the import'))
def own_part(story: Story, name: str) -> None:
    customer = by_name(story, name)
    (record,) = story.cm.audit.trail(story.actor, customer.id)
    assert (record.operation, record.customer_ids) == ("create", (customer.id,))
    assert record.changes["name"] == {"before": None, "after": name}


@then("the audit trail is intact")
def trail_intact(story: Story) -> None:
    assert story.cm.audit.verify(story.actor).is_intact


# -- a file cut off half-way (R-9.5) ------------------------------------------


class CutOff(Exception):
    """The import process dies."""


class Cutter:
    """A host plugin whose validation hook kills the import at one customer."""

    def __init__(self) -> None:
        self.at: str | None = None

    @hookimpl
    def validate_customer(self, tenant: str, customer: Customer, operation: str) -> None:
        if customer.name == self.at:
            raise CutOff(customer.name)


@given(parsers.parse("a file of {count:d} customers with e-mails and tax ids"))
def file_of(bulk: Bulk, count: int) -> None:
    bulk.rows = [
        {
            "name": f"Customer {n:03d}",
            "kind": "company",
            "legal_entity": "MY01",
            "email": f"c{n}@example.com",
            "tax_id_scheme": "my.brn",
            "tax_id_number": f"2019{n:08d}",
        }
        for n in range(1, count + 1)
    ]


@when(
    parsers.parse("the file is imported in batches of {size:d} and the import is cut off at row {number:d}")
)
def cut_off(story: Story, bulk: Bulk, size: int, number: int) -> None:
    cutter = Cutter()
    story.cm.hooks.register(cutter)
    cutter.at = bulk.rows[number - 2]["name"]
    with pytest.raises(CutOff):
        story.cm.imports.run(story.actor, bulk.rows, ImportOptions(batch_size=size))
    cutter.at = None


@when(parsers.parse("the file is imported again in batches of {size:d}"))
def again_in_batches(story: Story, bulk: Bulk, size: int) -> None:
    run(story, bulk, bulk.rows, ImportOptions(batch_size=size))


@then("the tenant holds the same customers as after importing the file in one go")
def same_as_in_one_go(story: Story, bulk: Bulk, clock: Any) -> None:
    reference = CustomerMaster.from_url("memory://", clock=clock, load_entry_points=False)
    reference.configuration.add_legal_entity(story.actor, {"code": "MY01", "name": "Acme Malaysia"})
    reference.configuration.set_approval_lane(story.actor, "import", "green")
    reference.imports.run(story.actor, bulk.rows)

    def contents(cm: CustomerMaster) -> list[tuple[str, str, str | None, list[str]]]:
        return [(c.code, c.name, c.email, [t.number for t in c.tax_ids]) for c in everyone(cm, story.actor)]

    assert contents(story.cm) == contents(reference)


# -- approval (R-10) ------------------------------------------------------------


@given("imports need approval in this tenant")
def imports_need_approval(story: Story) -> None:
    story.cm.configuration.set_approval_lane(story.actor, "import", "yellow")


@when("this file is submitted for approval:")
def submitted(story: Story, bulk: Bulk, datatable: list[list[str]]) -> None:
    bulk.rows = table(datatable)
    bulk.result = story.cm.imports.submit(story.actor, bulk.rows, None, "0" * 64)


@when("the AR manager and then the controller approve the import")
def approve(story: Story, bulk: Bulk) -> None:
    request = result(bulk).change_request
    assert request is not None
    assert request.operation == "import"
    story.cm.approvals.approve(Actor("acme", "mia", {"ar_manager"}), request.id)
    story.cm.approvals.approve(Actor("acme", "carl", {"controller"}), request.id)


# ---------------------------------------------------------------------------
# When: exporting, and editing the spreadsheet
# ---------------------------------------------------------------------------


def _export(story: Story, bulk: Bulk, actor: Actor) -> None:
    export: Export = story.cm.exports.export(actor)
    bulk.export = (export.columns, list(export.rows))


@when("a viewer exports the customer list")
def viewer_exports(story: Story, bulk: Bulk) -> None:
    _export(story, bulk, Actor("acme", "vic", {"viewer"}))


@when("an AR manager exports the customer list")
def manager_exports(story: Story, bulk: Bulk) -> None:
    _export(story, bulk, Actor("acme", "mia", {"ar_manager"}))


@when("the customer list is exported")
def list_exported(story: Story, bulk: Bulk) -> None:
    _export(story, bulk, story.actor)
    assert bulk.export is not None
    bulk.spreadsheet = [dict(r) for r in bulk.export[1]]
    bulk.before = {c.code: to_data(c) for c in everyone(story.cm, story.actor)}


@when(parsers.parse('in the spreadsheet "{name}" gets tax id "{scheme}" "{number}"'))
def spreadsheet_tax_id(bulk: Bulk, name: str, scheme: str, number: str) -> None:
    for row in bulk.spreadsheet:
        if row["name"] == name:
            row["tax_id_scheme"], row["tax_id_number"] = scheme, number
    for row in bulk.spreadsheet:  # a column added in the sheet is blank in the other rows
        row.setdefault("tax_id_scheme", "")
        row.setdefault("tax_id_number", "")


@when(parsers.parse('the spreadsheet is imported with duplicates "{on_duplicate}"'))
def spreadsheet_imported(story: Story, bulk: Bulk, on_duplicate: str) -> None:
    run(story, bulk, bulk.spreadsheet, ImportOptions(on_duplicate=on_duplicate))  # type: ignore[arg-type]


# ---------------------------------------------------------------------------
# Then
# ---------------------------------------------------------------------------


COUNTS = (
    "the {what} reports {created:d} created, {updated:d} updated, {skipped:d} skipped and {failed:d} failed"
)


@then(parsers.parse(COUNTS))
def counts(bulk: Bulk, what: str, created: int, updated: int, skipped: int, failed: int) -> None:
    expected = {"created": created, "updated": updated, "skipped": skipped, "failed": failed}
    assert result(bulk).counts == expected, result(bulk).to_csv()


@then(parsers.parse('row {number:d} fails on column "{column}" with "{message}"'))
def row_fails(bulk: Bulk, number: int, column: str, message: str) -> None:
    outcome = next(o for o in result(bulk).outcomes if o.row == number)
    assert outcome.outcome == "failed"
    assert any(p.column == column and message in p.message for p in outcome.problems), outcome


@then(parsers.parse('row {number:d} warns on column "{column}" with "{message}"'))
def row_warns(bulk: Bulk, number: int, column: str, message: str) -> None:
    outcome = next(o for o in result(bulk).outcomes if o.row == number)
    assert any(w.column == column and message in w.message for w in outcome.warnings), outcome


@then(parsers.parse('row {number:d} was skipped because "{key}" matches customer "{code}"'))
def row_skipped(bulk: Bulk, number: int, key: str, code: str) -> None:
    outcome = next(o for o in result(bulk).outcomes if o.row == number)
    assert (outcome.outcome, outcome.customer) == ("skipped", code)
    assert f"{key} matches customer {code}" in outcome.message, outcome.message


@then(parsers.parse('customer "{name}" has tax id "{number}"'))
def has_tax_id(story: Story, name: str, number: str) -> None:
    assert [t.number for t in by_name(story, name).tax_ids] == [number]


@then(parsers.parse('customer "{name}" has a billing address in "{country}" and contact "{contact}"'))
def has_address_and_contact(story: Story, name: str, country: str, contact: str) -> None:
    customer = by_name(story, name)
    assert [(a.purposes, a.country) for a in customer.addresses] == [(("billing",), country)]
    assert [c.name for c in customer.contacts] == [contact]


@then(parsers.parse('customer "{name}" came from "{system}" record "{ref}"'))
def came_from(story: Story, name: str, system: str, ref: str) -> None:
    assert [(r.system, r.ref) for r in by_name(story, name).external_refs] == [(system, ref)]


@then(parsers.parse('customer "{code}" is named "{name}"'))
def is_named(story: Story, code: str, name: str) -> None:
    assert by_name(story, code).name == name


@then("the tenant has no customers")
def no_customers(story: Story) -> None:
    assert everyone(story.cm, story.actor) == []


@then(parsers.re(r"the tenant has (?P<count>\d+) customers?$"))
def customer_count(story: Story, count: str) -> None:
    assert len(everyone(story.cm, story.actor)) == int(count)


@then(parsers.parse("the import stopped at row {number:d}"))
def stopped_at(bulk: Bulk, number: int) -> None:
    assert result(bulk).stopped_at == number


@then("the CSV report reads:")
def csv_report(bulk: Bulk, datatable: list[list[str]]) -> None:
    lines = list(csv.reader(io.StringIO(result(bulk).to_csv())))
    assert lines == datatable


@then(parsers.parse("the JSON result counts {created:d} created and {failed:d} failed"))
def json_result(bulk: Bulk, created: int, failed: int) -> None:
    data = json.loads(result(bulk).to_json())
    assert (data["created"], data["failed"]) == (created, failed)
    assert [o["row"] for o in data["outcomes"]] == [2, 3]


@then(parsers.parse('the export has no "{column}" column'))
def export_lacks(bulk: Bulk, column: str) -> None:
    assert bulk.export is not None
    columns, rows = bulk.export
    assert column not in columns
    assert all(column not in r for r in rows)


@then(parsers.parse('the export shows "{value}" in column "{column}" for "{name}"'))
def export_shows(bulk: Bulk, value: str, column: str, name: str) -> None:
    assert bulk.export is not None
    assert [r[column] for r in bulk.export[1] if r["name"] == name] == [value]


@then(parsers.parse('only the tax ids of "{name}" changed'))
def only_tax_ids_changed(story: Story, bulk: Bulk, name: str) -> None:
    for customer in everyone(story.cm, story.actor):
        before, after = bulk.before[customer.code], to_data(customer)
        changed = {k for k in after if after[k] != before[k]} - {"version", "updated_at"}
        assert changed == ({"tax_ids"} if customer.name == name else set()), (customer.name, changed)
