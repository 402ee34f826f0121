"""Steps for features/clean_rows.feature: countries as people write them, phone numbers
in national formats, files in any encoding, a preset keeping its CRM's other columns,
and the similar-name warning naming one customer (issue 14; R-9.1, R-9.2, R-1.3,
R-1.7, R-3.4)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from attrs import define
from pytest_bdd import given, parsers, scenarios, then, when
from vocabulary import Story

from customer_master.domain.customer import Customer
from customer_master.domain.import_report import ImportResult
from customer_master.domain.importing import PRESETS, ImportOptions
from customer_master.domain.search import CustomerQuery
from customer_master_files import UnreadableFile, read_csv

pytestmark = pytest.mark.usefixtures("story")

scenarios("clean_rows.feature")


@define
class Run:
    """What the scenario imported."""

    result: ImportResult | None = None
    refusal: str = ""


@pytest.fixture
def run() -> Run:
    return Run()


def _import(story: Story, run: Run, rows: Any, options: ImportOptions | None = None) -> None:
    run.result = story.cm.imports.run(story.actor, rows, options or ImportOptions())


def _result(run: Run) -> ImportResult:
    assert run.result is not None, "nothing was imported"
    return run.result


def _only_customer(story: Story) -> Customer:
    (customer,) = story.cm.customers.search(story.actor, CustomerQuery(status="any")).items
    return customer


def _named(story: Story, name: str) -> Customer:
    found = [
        c for c in story.cm.customers.search(story.actor, CustomerQuery(status="any")).items if c.name == name
    ]
    assert found, f"no customer {name!r}"
    return found[0]


def _row(country: str, **cells: str) -> dict[str, str]:
    return {
        "name": "Acme",
        "kind": "company",
        "legal_entity": "MY01",
        "address_line1": "1 Main Street",
        "address_city": "Capital",
        "address_country": country,
        **cells,
    }


# ---------------------------------------------------------------------------
# Given
# ---------------------------------------------------------------------------


@given("companies in this tenant need no e-mail address")
def no_email_needed(story: Story) -> None:
    story.cm.configuration.update_settings(story.actor, {"company_requires_email": False})


@given(parsers.parse('the tenant has a whole-number custom field "{name}"'))
def integer_field(story: Story, name: str) -> None:
    story.cm.configuration.set_custom_field(story.actor, {"name": name, "type": "integer"})


@given(parsers.parse('the tenant has a dimension "{name}" with values "{first}" and "{second}"'))
def dimension(story: Story, name: str, first: str, second: str) -> None:
    story.cm.configuration.set_dimension_type(story.actor, name, [first, second])


@given(parsers.parse('customers "{first}", "{second}" and "{third}" were imported'))
def customers_imported(story: Story, run: Run, first: str, second: str, third: str) -> None:
    _import(story, run, [_row("MY", name=name) for name in (first, second, third)])
    assert _result(run).counts["created"] == 3


# ---------------------------------------------------------------------------
# When
# ---------------------------------------------------------------------------


@when(parsers.parse('a customer file is imported with the country written "{written}"'))
def country_written(story: Story, run: Run, written: str) -> None:
    _import(story, run, [_row(written)])


@when(parsers.parse('a customer in "{country}" is imported with the phone number "{written}"'))
def phone_written(story: Story, run: Run, country: str, written: str) -> None:
    _import(story, run, [_row(country, phone=written)])


@when(parsers.parse('a customer "{name}" is imported'))
def customer_imported(story: Story, run: Run, name: str) -> None:
    _import(story, run, [_row("MY", name=name)])


@when(
    parsers.parse(
        "a file of {count:d} German customers saved as UTF-16 without a byte order mark is imported"
    )
)
def utf16_file(story: Story, run: Run, count: int) -> None:
    lines = ["name;kind;legal_entity;address_line1;address_city;address_country"]
    lines += [
        f"Müller & Söhne {n} GmbH;company;MY01;Hohe Straße {n};Köln;Deutschland" for n in range(1, count + 1)
    ]
    data = "\r\n".join(lines).encode("utf-16-le")
    _import(story, run, read_csv(io.BytesIO(data)))


@when("a file with a few Greek letters in the old Windows-1253 encoding is imported")
def undecidable_file(story: Story, run: Run) -> None:
    lines = ["name;kind;legal_entity;address_line1;address_city;address_country"]
    lines += [f"Firma {n};company;MY01;Street {n};Berlin;DE" for n in range(30)]
    lines.append("Αθήνα Εμπορική;company;MY01;Ερμού 1;Αθήνα;GR")
    data = "\r\n".join(lines).encode("cp1253")
    try:
        _import(story, run, read_csv(io.BytesIO(data)))
    except UnreadableFile as refused:
        run.refusal = str(refused)


@when(parsers.parse("this Salesforce accounts export is imported for {entity}:"))
def salesforce_export(story: Story, run: Run, entity: str, datatable: list[list[str]]) -> None:
    header, *rows = datatable
    mapping = PRESETS["salesforce"].with_defaults({"legal_entity": entity})
    _import(story, run, [dict(zip(header, r, strict=True)) for r in rows], ImportOptions(mapping=mapping))


# ---------------------------------------------------------------------------
# Then
# ---------------------------------------------------------------------------


@then(parsers.parse('the customer\'s address is in "{code}"'))
def address_in(story: Story, run: Run, code: str) -> None:
    assert _result(run).counts["created"] == 1, _result(run).to_csv()
    assert [a.country for a in _only_customer(story).addresses] == [code]


@then(parsers.parse('the customer\'s phone number is stored as "{stored}"'))
def phone_stored(story: Story, run: Run, stored: str) -> None:
    assert _result(run).counts["created"] == 1, _result(run).to_csv()
    assert _only_customer(story).phone == stored


@then("importing the exported customer list again changes nothing")
def round_trip(story: Story) -> None:
    before = _only_customer(story)
    rows = list(story.cm.exports.export(story.actor).rows)
    again = story.cm.imports.run(story.actor, rows, ImportOptions(on_duplicate="update"))
    assert again.counts == {"created": 0, "updated": 0, "skipped": 1, "failed": 0}, again.to_csv()
    assert _only_customer(story).version == before.version


@then(parsers.parse('row {number:d} fails on column "{column}" with "{message}"'))
def row_fails(run: Run, number: int, column: str, message: str) -> None:
    outcome = next(o for o in _result(run).outcomes if o.row == number)
    assert outcome.outcome == "failed"
    assert any(p.column == column and message in p.message for p in outcome.problems), outcome


COUNTS = (
    "the import reports {created:d} created, {updated:d} updated, {skipped:d} skipped and {failed:d} failed"
)


@then(parsers.parse(COUNTS))
def counts(run: Run, created: int, updated: int, skipped: int, failed: int) -> None:
    expected = {"created": created, "updated": updated, "skipped": skipped, "failed": failed}
    assert _result(run).counts == expected, _result(run).to_csv()


@then(parsers.parse('customer "{name}" is in "{city}"'))
def customer_in(story: Story, name: str, city: str) -> None:
    assert [a.city for a in _named(story, name).addresses] == [city]


@then(parsers.parse('the file is refused once with "{message}"'))
def refused_once(run: Run, message: str) -> None:
    assert run.result is None, "no row was imported"
    assert message in run.refusal


@then("the refusal names encodings to try and how to give one")
def refusal_names(run: Run) -> None:
    could = run.refusal.split("it could be ")[1].split(";")[0].split(", ")
    assert len(could) > 1, run.refusal
    assert "--encoding" in run.refusal


@then(
    parsers.parse(
        'customer "{name}" has {value:d} in custom field "{field}" and "{source}" as its {dimension}'
    )
)
def kept_fields(story: Story, name: str, value: int, field: str, source: str, dimension: str) -> None:
    customer = _named(story, name)
    assert customer.metadata[field] == value
    assert [(d.type, d.value) for d in customer.dimensions] == [(dimension, source)]


@then(parsers.parse('customer "{name}" is a "{kind}" customer'))
def customer_type(story: Story, name: str, kind: str) -> None:
    assert _named(story, name).customer_type == kind


@then(parsers.parse('the report lists the ignored columns "{columns}" once, before the rows'))
def ignored_once(run: Run, columns: str) -> None:
    wanted = [c.strip() for c in columns.split(",")]
    assert list(_result(run).ignored_columns) == wanted
    lines = list(csv.DictReader(io.StringIO(_result(run).to_csv())))
    ignored = [line["column"] for line in lines if line["code"] == "ignored_column"]
    assert ignored == wanted
    assert [line["code"] for line in lines[: len(wanted)]] == ["ignored_column"] * len(wanted)


@then(parsers.parse('row {number:d} warns that "{name}" is much like customer "{code}"'))
def warns_like(run: Run, number: int, name: str, code: str) -> None:
    outcome = next(o for o in _result(run).outcomes if o.row == number)
    (similar,) = [w.message for w in outcome.warnings if w.code == "similar_name"]
    assert f"'{name}' is much like existing customer {code} " in similar
