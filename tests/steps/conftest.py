"""The shared vocabulary of the features in ``features/``: steps a finance user reads.

The words and the ``Story`` of a scenario live in ``vocabulary.py``; this module holds
the Given/When/Then steps more than one feature uses, and the ``story`` fixture.
"""

from __future__ import annotations

import re
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd import given, parsers, then, when

sys.path.insert(0, str(Path(__file__).parent))

from vocabulary import (
    AMOUNT_FIELDS,
    RECORDS,
    SINGULAR,
    Story,
    field_name,
    slug,
    split_names,
    stored_state,
    table_records,
    value_of,
)

from customer_master import Actor, Conflict, CustomerMaster
from customer_master.domain.search import CustomerQuery
from customer_master.domain.serialize import to_data

# ---------------------------------------------------------------------------
# Feature tags name SPEC rules (@ ); they become markers, so register them.
# ---------------------------------------------------------------------------


def pytest_configure(config: pytest.Config) -> None:
    """Register every tag used in ``features/*.feature`` as a marker (``--strict-markers``)."""
    base = Path(str(config.rootpath)) / str(config.getini("bdd_features_base_dir") or "features")
    tags: set[str] = set()
    for feature in base.glob("**/*.feature"):
        tags.update(re.findall(r"(?<!\S)@([^\s@]+)", feature.read_text(encoding="utf-8")))
    for tag in sorted(tags):
        config.addinivalue_line("markers", f"{tag}: scenarios tagged @{tag} in features/")


@pytest.fixture
def story(cm: CustomerMaster, admin: Actor) -> Story:
    return Story(cm, admin)


# ---------------------------------------------------------------------------
# Given: the tenant's configuration
# ---------------------------------------------------------------------------


@given(parsers.parse("a tenant with legal entities {codes}"))
def tenant_with_entities(tenant: CustomerMaster, admin: Actor, codes: str) -> None:
    entities = {e.code for e in tenant.configuration.get(admin).entities}
    assert set(split_names(codes)) <= entities


@given("the tenant does not generate customer codes")
def manual_codes(story: Story) -> None:
    story.cm.configuration.update_settings(story.actor, {"auto_generate_code": False})


@given(parsers.parse('the tenant numbers customers with prefix "{prefix}" and width {width:d}'))
def code_format(story: Story, prefix: str, width: int) -> None:
    story.cm.configuration.update_settings(story.actor, {"code_prefix": prefix, "code_width": width})


@given("companies do not need an e-mail address in this tenant")
def companies_without_email(story: Story) -> None:
    story.cm.configuration.update_settings(story.actor, {"company_requires_email": False})


@given(parsers.parse('the tenant makes "{words}" mandatory'))
def mandatory_field(story: Story, words: str) -> None:
    story.cm.configuration.update_settings(story.actor, {"mandatory_fields": [field_name(words)]})


@given("unique tax ids are not enforced in this tenant")
def tax_ids_not_unique(story: Story) -> None:
    story.cm.configuration.update_settings(story.actor, {"enforce_unique_tax_id": False})


@given(parsers.parse("the tenant warns about credit limits above {amount}"))
def large_credit_limit(story: Story, amount: str) -> None:
    story.cm.configuration.update_settings(story.actor, {"large_credit_limit": amount.replace(",", "")})


@given(parsers.parse("the tenant has payment terms {codes}"))
def payment_terms(story: Story, codes: str) -> None:
    for code in split_names(codes):
        days = int(re.sub(r"\D", "", code) or 0)
        story.cm.configuration.save_payment_terms(story.actor, {
            "code": code, "name": f"Net {days}",
            "lines": [{"portion": {"kind": "remainder", "value": None}, "due": [{"add_days": days}],
                       "discount": None}],
        })  # fmt: skip


@given(parsers.parse('the tenant has price list "{code}" in {currency}'))
def price_list(story: Story, code: str, currency: str) -> None:
    story.cm.configuration.save_price_list(story.actor, {"code": code, "name": code, "currency": currency})


@given(parsers.parse('the tenant\'s {words} list is "{values}"'))
def classification_list(story: Story, words: str, values: str) -> None:
    story.cm.configuration.set_classification(story.actor, field_name(words), values.split(", "))


@given(parsers.parse('the tenant has dimension "{kind}" with values "{values}"'))
def dimension_type(story: Story, kind: str, values: str) -> None:
    story.cm.configuration.set_dimension_type(story.actor, kind, values.split(", "))


@given(parsers.parse('the tenant has a custom field "{name}" of type "{kind}"'))
def custom_field(story: Story, name: str, kind: str) -> None:
    choice = re.fullmatch(r"choice \((.+)\)", kind)
    definition: dict[str, Any] = {"name": name, "type": "choice" if choice else kind}
    if choice:
        definition["choices"] = choice.group(1).split(", ")
    story.cm.configuration.set_custom_field(story.actor, definition)


# ---------------------------------------------------------------------------
# Given: a new customer described piece by piece, then saved
# ---------------------------------------------------------------------------


@given(parsers.parse('a new company customer "{name}" of {entity} with e-mail "{email}"'))
def new_company(story: Story, name: str, entity: str, email: str) -> None:
    story.draft = {"name": name, "kind": "company", "legal_entity": entity, "email": email}


@given(parsers.parse('a new company customer "{name}" of {entity} without an e-mail address'))
def new_company_without_email(story: Story, name: str, entity: str) -> None:
    story.draft = {"name": name, "kind": "company", "legal_entity": entity}


@given(parsers.parse('a new walk-in customer "{name}" of {entity}'))
def new_walk_in(story: Story, name: str, entity: str) -> None:
    story.draft = {"name": name, "kind": "individual", "legal_entity": entity}


@given(
    parsers.re(
        r'a new customer with name "(?P<name>[^"]*)", kind "(?P<kind>[^"]*)"'
        r' and legal entity "(?P<entity>[^"]*)"'
    )
)
def new_customer(story: Story, name: str, kind: str, entity: str) -> None:
    story.draft = {"name": name, "kind": kind, "legal_entity": entity}


def _draft(story: Story) -> dict[str, Any]:
    assert story.draft is not None, "describe a new customer first"
    return story.draft


@given(parsers.parse('its {words} is "{value}"'))
def draft_field(story: Story, words: str, value: str) -> None:
    key = field_name(words)
    _draft(story)[key] = value_of(key, value)


@given(parsers.re(r'it has (?P<primary>primary )?tax id "(?P<scheme>[^"]+)" "(?P<number>[^"]*)"$'))
def draft_tax_id(story: Story, primary: str | None, scheme: str, number: str) -> None:
    entry = {"scheme": scheme, "number": number, "is_primary": primary is not None}
    _draft(story).setdefault("tax_ids", []).append(entry)


@given(parsers.parse('it came from "{system}" record "{ref}"'))
def draft_external_ref(story: Story, system: str, ref: str) -> None:
    _draft(story).setdefault("external_refs", []).append({"system": system, "ref": ref})


@given(parsers.parse('it has dimension "{kind}" "{value}"'))
def draft_dimension(story: Story, kind: str, value: str) -> None:
    _draft(story).setdefault("dimensions", []).append({"type": kind, "value": value})


@given(parsers.parse('its custom field "{name}" is {value}'))
def draft_custom_value(story: Story, name: str, value: str) -> None:
    """``42`` is a whole number, ``yes``/``no`` true or false, anything else text
    (written without quotes)."""
    typed: Any = value
    if re.fullmatch(r"-?\d+", value):
        typed = int(value)
    elif value in ("yes", "no"):
        typed = value == "yes"
    _draft(story).setdefault("metadata", {})[name] = typed


@given(parsers.parse("it has these {kind}:"))
def draft_records(story: Story, kind: str, datatable: list[list[str]]) -> None:
    _draft(story)[RECORDS[kind][0]] = table_records(kind, datatable)


@given(parsers.parse("it is enabled for {entities}"))
def draft_enabled(story: Story, entities: str) -> None:
    _draft(story)["enabled_entities"] = split_names(entities)


@given("the customer was saved")
def draft_was_saved(story: Story) -> None:
    story.save_draft()
    story.succeeded()


@when("the customer is saved")
def draft_is_saved(story: Story) -> None:
    story.save_draft()


# ---------------------------------------------------------------------------
# Given/When: customers in one line
# ---------------------------------------------------------------------------


def _walk_in(story: Story, name: str, entity: str, code: str | None = None) -> None:
    story.draft = {"name": name, "kind": "individual", "legal_entity": entity}
    if code is not None:
        story.draft["code"] = code
    story.save_draft()


@given(parsers.parse('walk-in customer "{name}" was created for {entity}'))
def walk_in_was_created(story: Story, name: str, entity: str) -> None:
    _walk_in(story, name, entity)
    story.succeeded()


@when(parsers.parse('walk-in customer "{name}" is created for {entity}'))
def walk_in_is_created(story: Story, name: str, entity: str) -> None:
    _walk_in(story, name, entity)


@when(parsers.parse('walk-in customer "{name}" is saved for {entity} with code "{code}"'))
def walk_in_with_code(story: Story, name: str, entity: str, code: str) -> None:
    _walk_in(story, name, entity, code)


@given(parsers.parse('company customer "{name}" exists'))
def company_exists(story: Story, name: str) -> None:
    company_exists_with(story, name, "MY01", [])


@given(parsers.parse('company customer "{name}" of {entity} exists with:'))
def company_exists_with(story: Story, name: str, entity: str, datatable: list[list[str]]) -> None:
    story.draft = {
        "name": name,
        "kind": "company",
        "legal_entity": entity,
        "email": f"ar@{slug(name)}.example",
    }
    for words, value in datatable:
        key = field_name(words)
        story.draft[key] = value_of(key, value)
    story.save_draft()
    story.succeeded()


@given(parsers.parse('a company customer "{name}" without an e-mail address was refused'))
def company_was_refused(story: Story, name: str) -> None:
    story.draft = {"name": name, "kind": "company", "legal_entity": "MY01"}
    story.save_draft()
    assert ("email", "required") in [(path, code) for path, code, _ in story.validation_errors()]


# ---------------------------------------------------------------------------
# When: changes to existing customers
# ---------------------------------------------------------------------------


def _changes(datatable: list[list[str]]) -> dict[str, Any]:
    return {field_name(words): value_of(field_name(words), value) for words, value in datatable}


@given(parsers.parse('"{name}" was updated with:'))
def was_updated(story: Story, name: str, datatable: list[list[str]]) -> None:
    story.update(name, _changes(datatable))
    story.succeeded()


@when(parsers.parse('"{name}" is updated with:'))
def is_updated(story: Story, name: str, datatable: list[list[str]]) -> None:
    story.update(name, _changes(datatable))


@when(parsers.parse('"{name}" is updated from version {version:d} with:'))
def is_updated_from_version(story: Story, name: str, version: int, datatable: list[list[str]]) -> None:
    story.update(name, _changes(datatable), version)


def _record_actions(story: Story, name: str, kind: str, datatable: list[list[str]]) -> dict[str, Any]:
    """Actions on related records; a record is named by its key column (an address by
    label, a contact by name, an override by entity). A name that matches no record
    becomes an id no record has."""
    plural = SINGULAR[kind]
    key, _, name_column = RECORDS[plural]
    existing = getattr(story.customer(name), key)
    actions = []
    for record in table_records(plural, datatable):
        if record.get("action") in ("update", "delete") and plural != "overrides":
            named = record.pop(name_column) if record["action"] == "delete" else record[name_column]
            match = next((r.id for r in existing if getattr(r, name_column) == named), None)
            record["id"] = match or f"unknown-{slug(str(named))}"
        actions.append(record)
    return {key: actions}


@given(parsers.parse('"{name}" got these {kind} changes:'))
def got_record_changes(story: Story, name: str, kind: str, datatable: list[list[str]]) -> None:
    story.update(name, _record_actions(story, name, kind, datatable))
    story.succeeded()


@when(parsers.parse('"{name}" gets these {kind} changes:'))
def gets_record_changes(story: Story, name: str, kind: str, datatable: list[list[str]]) -> None:
    story.update(name, _record_actions(story, name, kind, datatable))


@given(parsers.parse('a change to "{name}" with:'))
def pending_change(story: Story, name: str, datatable: list[list[str]]) -> None:
    story.pending = (name, _changes(datatable))


@given(parsers.parse("the change also has these {kind} changes:"))
def pending_record_changes(story: Story, kind: str, datatable: list[list[str]]) -> None:
    assert story.pending is not None, "describe the change first"
    name, changes = story.pending
    story.pending = (name, {**changes, **_record_actions(story, name, kind, datatable)})


@when("the change is submitted")
def change_submitted(story: Story) -> None:
    assert story.pending is not None, "describe the change first"
    name, changes = story.pending
    story.pending = None
    story.update(name, changes)


def _status_change(story: Story, name: str, action: str, version: int | None = None) -> None:
    current = story.customer(name)
    story.subject = name
    change = story.cm.customers.deactivate if action == "deactivated" else story.cm.customers.reactivate
    story.attempt(lambda: change(story.actor, current.id, version=version))


@given(parsers.re(r'"(?P<name>[^"]+)" was (?P<action>deactivated|reactivated)$'))
def was_status_changed(story: Story, name: str, action: str) -> None:
    _status_change(story, name, action)
    story.succeeded()


@when(parsers.re(r'"(?P<name>[^"]+)" is (?P<action>deactivated|reactivated) from version (?P<version>\d+)$'))
def is_status_changed_from_version(story: Story, name: str, action: str, version: str) -> None:
    _status_change(story, name, action, int(version))


@when(parsers.re(r'"(?P<name>[^"]+)" is (?P<action>deactivated|reactivated)$'))
def is_status_changed(story: Story, name: str, action: str) -> None:
    _status_change(story, name, action)


@given(parsers.re(r'"(?P<name>[^"]+)" was (?P<action>enabled|disabled) for (?P<entity>\S+)$'))
def was_enabled(story: Story, name: str, action: str, entity: str) -> None:
    is_enabled(story, name, action, entity)
    story.succeeded()


@when(parsers.re(r'"(?P<name>[^"]+)" is (?P<action>enabled|disabled) for (?P<entity>\S+)$'))
def is_enabled(story: Story, name: str, action: str, entity: str) -> None:
    current = story.customer(name)
    story.subject = name
    change = (
        story.cm.customers.enable_for_entity if action == "enabled" else story.cm.customers.disable_for_entity
    )
    story.attempt(lambda: change(story.actor, current.id, entity))


@when(parsers.parse('the effective view of "{name}" for {entity} is taken'))
def effective_view_taken(story: Story, name: str, entity: str) -> None:
    story.subject = name
    story.view = story.cm.customers.effective_view(story.actor, story.ids[name], entity)


# ---------------------------------------------------------------------------
# Then: outcomes
# ---------------------------------------------------------------------------


@then("the customer is created")
def is_created(story: Story) -> None:
    saved = story.succeeded()
    assert story.cm.customers.get(story.actor, saved.id) == saved
    assert saved.version == 1


@then(parsers.parse('the customer is created with code "{code}"'))
def is_created_with_code(story: Story, code: str) -> None:
    is_created(story)
    assert story.succeeded().code == code


@then(parsers.parse('"{name}" has code "{code}"'))
def has_code(story: Story, name: str, code: str) -> None:
    assert story.customer(name).code == code


@then(parsers.re(r'the (?:customer|change) is rejected with an error at "(?P<path>[^"]+)"'))
def rejected_at(story: Story, path: str) -> None:
    paths = [p for p, _, _ in story.validation_errors()]
    assert path in paths, f"no error at {path}; errors: {story.validation_errors()}"


@then(parsers.re(r'the (?:customer|change) is rejected with an error "(?P<code>[^"]+)" at "(?P<path>[^"]+)"'))
def rejected_with_code_at(story: Story, code: str, path: str) -> None:
    found = [(p, c) for p, c, _ in story.validation_errors()]
    assert (path, code) in found, f"no {code!r} error at {path}; errors: {story.validation_errors()}"


@then(parsers.re(r"the (?:customer|change) is rejected with exactly these errors:"))
def rejected_with_errors(story: Story, datatable: list[list[str]]) -> None:
    """Compares fields and codes exactly; a message cell must be part of the message."""
    header, *rows = datatable
    errors = story.validation_errors()
    assert len(errors) == len(rows), errors
    for row in rows:
        wanted = dict(zip(header, row, strict=True))
        assert any(
            (path, code) == (wanted["field"], wanted["code"]) and wanted.get("message", "") in message
            for path, code, message in errors
        ), f"no error like {wanted}; errors: {errors}"


@then(parsers.parse('the error at "{path}" says "{text}"'))
def error_says(story: Story, path: str, text: str) -> None:
    messages = [m for p, _, m in story.validation_errors() if p == path]
    assert any(text in m for m in messages), f"{path}: {messages}"


@then(parsers.parse('the error at "{path}" names customer "{code}"'))
def error_names_customer(story: Story, path: str, code: str) -> None:
    messages = [m for p, _, m in story.validation_errors() if p == path]
    assert any(re.search(rf"\b{re.escape(code)}\b", m) for m in messages), f"{path}: {messages}"


@then("the change is refused as a conflict")
def refused_as_conflict(story: Story) -> None:
    assert isinstance(story.error, Conflict), f"expected a conflict, got {story.error!r}"


@then(parsers.parse('the outbox holds "{event}" for "{name}"'))
def outbox_holds(story: Story, event: str, name: str) -> None:
    with story.cm.storage.unit_of_work() as uow:
        pending = uow.outbox.pending(limit=100_000)
    about = [e.name for e in pending if e.payload["customer"]["id"] == story.ids[name]]
    assert about == [event]


@then("nothing was stored")
def nothing_stored(story: Story) -> None:
    assert story.before is not None
    assert stored_state(story.cm, story.actor) == story.before


@then(parsers.parse('"{name}" is {status} at version {version:d}'))
def status_and_version(story: Story, name: str, status: str, version: int) -> None:
    customer = story.customer(name)
    assert (customer.status, customer.version) == (status, version)


@then(parsers.parse('its stored {words} is "{value}"'))
def stored_field(story: Story, words: str, value: str) -> None:
    key = field_name(words)
    stored = to_data(story.customer())[key]
    expected = value_of(key, value)
    if key in AMOUNT_FIELDS and stored is not None:
        assert Decimal(stored) == Decimal(expected)
    else:
        assert stored == expected, f"{words}: {stored!r}"


@then(parsers.parse("its stored {kind} are:"))
def stored_records(story: Story, kind: str, datatable: list[list[str]]) -> None:
    key, columns, _ = RECORDS[kind]
    header = datatable[0]
    stored = [to_data(record) for record in getattr(story.customer(), key)]
    got = [[_cell(record.get(columns[c])) for c in header] for record in stored]
    assert got == datatable[1:], got


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(value)
    return "" if value is None else str(value)


@then(parsers.parse("it has {count:d} {kind}"))
def record_count(story: Story, count: int, kind: str) -> None:
    plural = SINGULAR.get(kind, kind)
    assert len(getattr(story.customer(), RECORDS[plural][0])) == count


@then(parsers.parse('its default {purpose} address is "{label}"'))
def default_address(story: Story, purpose: str, label: str) -> None:
    defaults = [a.label for a in story.customer().addresses if purpose in a.default_for and a.entity is None]
    assert defaults == [label]


@then(parsers.parse('its primary contact is "{name}"'))
def primary_contact(story: Story, name: str) -> None:
    contact = story.customer().primary_contact()
    assert contact is not None
    assert contact.name == name


# -- warnings (R-3.4) --------------------------------------------------------------


@then(parsers.parse('the result warns "{code}" at "{path}"'))
def warns(story: Story, code: str, path: str) -> None:
    story.succeeded()
    assert story.outcome is not None
    found = [(w.path, w.code) for w in story.outcome.warnings]
    assert (path, code) in found, found


@then(parsers.parse('the warning at "{path}" says "{text}"'))
def warning_says(story: Story, path: str, text: str) -> None:
    assert story.outcome is not None
    messages = [w.message for w in story.outcome.warnings if w.path == path]
    assert any(text in m for m in messages), messages


@then("the result has no warnings")
def no_warnings(story: Story) -> None:
    story.succeeded()
    assert story.outcome is not None
    assert story.outcome.warnings == ()


# -- lists and reads (R-1.8) --------------------------------------------------------


@then(parsers.parse("the customer list shows {names}"))
def list_shows(story: Story, names: str) -> None:
    shown = [c.name for c in story.cm.customers.search(story.actor).items]
    assert shown == split_names(names)


@then(parsers.parse('the list of inactive customers shows "{name}"'))
def inactive_list_shows(story: Story, name: str) -> None:
    shown = story.cm.customers.search(story.actor, CustomerQuery(status="inactive")).items
    assert [c.name for c in shown] == [name]


@then(parsers.parse('"{name}" can still be read by its id and by code "{code}"'))
def readable(story: Story, name: str, code: str) -> None:
    by_id = story.cm.customers.get(story.actor, story.ids[name])
    by_code = story.cm.customers.lookup(story.actor, code).customer
    assert by_id == by_code
    assert (by_id.name, by_id.code) == (name, code)


@then(parsers.parse('the history of "{name}" reads {operations}'))
def history_reads(story: Story, name: str, operations: str) -> None:
    with story.cm.storage.unit_of_work() as uow:
        records = uow.audit.for_customer(story.actor.tenant, story.ids[name])
    assert [r.operation for r in records] == split_names(operations)


@then(parsers.parse('the last change of "{name}" touched only {fields}'))
def last_change_touched(story: Story, name: str, fields: str) -> None:
    with story.cm.storage.unit_of_work() as uow:
        last = uow.audit.for_customer(story.actor.tenant, story.ids[name])[-1]
    assert sorted(last.changes) == sorted(field_name(f) for f in split_names(fields))
