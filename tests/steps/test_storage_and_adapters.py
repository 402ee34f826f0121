"""Steps for features/storage_and_adapters.feature: storage chosen by URL, the HTTP API
and the command line, in an administrator's and an integrator's words (SPEC R-16.1 to
R-16.3).

The scenarios that keep customers through the test façade (``cm``) run on memory and on
an SQLite file; they are bound one by one below with the façade in their fixtures. The
command-line scenarios work on SQLite files of their own, as an administrator would: a
file is migrated and seeded once per module, then copied for each scenario.
"""

from __future__ import annotations

import csv
import shutil
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest
from attrs import define, field
from click.testing import CliRunner, Result
from pytest_bdd import given, parsers, scenario, scenarios, then, when
from vocabulary import Story, split_names
from werkzeug.test import TestResponse

from customer_master import Actor, CustomerMaster
from customer_master.domain.customer import Customer
from customer_master.domain.search import CustomerQuery
from customer_master_cli import cli
from customer_master_http import create_app

sys.path.insert(0, str(Path(__file__).parents[1] / "adapters" / "http"))

from http_support import Api, problem_of

FEATURE = "storage_and_adapters.feature"
DEMO = "demo"
ON_EVERY_STORAGE = pytest.mark.usefixtures("cm", "story")


# ---------------------------------------------------------------------------
# The scenarios that run on every storage of the test façade
# ---------------------------------------------------------------------------


@ON_EVERY_STORAGE
@scenario(FEATURE, "A customer is kept, read back and found on every storage")
def test_a_customer_is_kept_read_back_and_found_on_every_storage() -> None:
    """R-16.1 on memory and on an SQLite file."""


@ON_EVERY_STORAGE
@scenario(FEATURE, "A created customer comes back with its version as its ETag")
def test_a_created_customer_comes_back_with_its_version_as_its_etag() -> None:
    """R-16.2."""


@ON_EVERY_STORAGE
@scenario(FEATURE, "A change must name the version it was made from")
def test_a_change_must_name_the_version_it_was_made_from() -> None:
    """R-16.2."""


@ON_EVERY_STORAGE
@scenario(FEATURE, "A refusal is a problem report listing every field in error")
def test_a_refusal_is_a_problem_report_listing_every_field_in_error() -> None:
    """R-16.2."""


@ON_EVERY_STORAGE
@scenario(FEATURE, "The API describes itself for integrators")
def test_the_api_describes_itself_for_integrators() -> None:
    """R-16.2."""


@ON_EVERY_STORAGE
@scenario(FEATURE, "A long list comes in pages that each say where the next one starts")
def test_a_long_list_comes_in_pages_that_each_say_where_the_next_one_starts() -> None:
    """R-16.2."""


scenarios(FEATURE)  # the rest: storage URLs and the command line, on files of their own


@define
class Scene:
    """What the scenario has done: files, API answers, command results."""

    url: str = ""
    opened: CustomerMaster | None = None
    error: Exception | None = None
    api: Api | None = None
    response: TestResponse | None = None
    customer_id: str = ""
    pages: list[TestResponse] = field(factory=list)
    result: Result | None = None
    secret: str = ""
    export: Path | None = None


@pytest.fixture
def scene() -> Scene:
    return Scene()


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite file migrated and seeded with the demo tenant once for the module."""
    path = tmp_path_factory.mktemp("cli-template") / "demo.db"
    for args in (["migrate"], ["seed-demo", "--customers", "10"]):
        result = CliRunner().invoke(cli, ["--url", f"sqlite:///{path}", *args])
        assert result.exit_code == 0, result.output
    return path


def run(url: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--url", url, *args])


def file_path(scene: Scene) -> Path:
    return Path(scene.url.removeprefix("sqlite:///"))


def result(scene: Scene) -> Result:
    assert scene.result is not None, "run a command first"
    return scene.result


def answer(scene: Scene) -> TestResponse:
    assert scene.response is not None, "call the API first"
    return scene.response


def api(scene: Scene) -> Api:
    assert scene.api is not None, "the integrator needs an API key"
    return scene.api


# ---------------------------------------------------------------------------
# Storage
# ---------------------------------------------------------------------------


@when(parsers.parse('company customer "{name}" of {entity} is created with e-mail "{email}"'))
def company_created(story: Story, name: str, entity: str, email: str) -> None:
    story.draft = {"name": name, "kind": "company", "legal_entity": entity, "email": email}
    story.save_draft()
    story.succeeded()


@then(parsers.parse('reading "{name}" back by its id gives the customer as created, at version 1'))
def read_back(story: Story, name: str) -> None:
    created = story.succeeded()
    read = story.cm.customers.get(story.actor, story.ids[name])
    assert read == created
    assert (read.name, read.kind, read.legal_entity, read.email, read.version) == (
        name, "company", "MY01", "ap@kedai-ali.example", 1,
    )  # fmt: skip


@then(parsers.parse('looking up its code "{code}" gives the same customer'))
def looked_up_by_code(story: Story, code: str) -> None:
    assert story.cm.customers.lookup(story.actor, code).customer == story.customer()


@then(parsers.parse('a search by name "{text}" finds only "{name}"'))
def search_finds_only(story: Story, text: str, name: str) -> None:
    found = story.cm.customers.search(story.actor, CustomerQuery(name=text)).items
    assert [c.id for c in found] == [story.ids[name]]


@given("a new SQLite file prepared for the customer master")
@given("a migrated SQLite file")
def migrated_file(scene: Scene, tmp_path: Path) -> None:
    scene.url = f"sqlite:///{tmp_path / 'customer-master.db'}"
    assert run(scene.url, "migrate").exit_code == 0


@given(parsers.parse('walk-in customer "{name}" was kept in the file'))
def kept_in_file(scene: Scene, admin: Actor, name: str) -> None:
    master = CustomerMaster.from_url(scene.url, load_entry_points=False)
    master.configuration.add_legal_entity(admin, {"code": "MY01", "name": "Acme Malaysia", "currency": "MYR"})
    master.configuration.set_approval_lane(admin, "create", "green")
    assert master.customers.create(admin, {"name": name, "kind": "individual", "legal_entity": "MY01"}).value
    scene.opened = master


@when("the file is closed and opened again")
def reopened(scene: Scene) -> None:
    assert scene.opened is not None
    scene.opened.close()
    scene.opened = CustomerMaster.from_url(scene.url, load_entry_points=False)


@then(
    parsers.parse('the file still holds walk-in customer "{name}" with code "{code}" at version {version:d}')
)
def still_holds(scene: Scene, admin: Actor, name: str, code: str, version: int) -> None:
    assert scene.opened is not None
    try:
        customer = scene.opened.customers.lookup(admin, code).customer
    finally:
        scene.opened.close()
    assert (customer.name, customer.kind, customer.version) == (name, "individual", version)


@when(parsers.parse('the customer master is opened on "{url}"'))
def opened_on(scene: Scene, url: str) -> None:
    try:
        CustomerMaster.from_url(url, load_entry_points=False).close()
    except ValueError as error:
        scene.error = error


@then(parsers.parse('it is refused because there is no storage for "{scheme}"'))
def refused_no_storage(scene: Scene, scheme: str) -> None:
    assert isinstance(scene.error, ValueError), "the URL was accepted"
    assert f"no storage adapter for {scheme!r}" in str(scene.error)


@then(parsers.parse("the refusal names the installed storages {names}"))
def names_installed(scene: Scene, names: str) -> None:
    installed = str(scene.error).split("installed: ", 1)[1].rstrip(")").split(", ")
    assert set(split_names(names)) <= set(installed)


# ---------------------------------------------------------------------------
# HTTP
# ---------------------------------------------------------------------------


def customer_body(name: str) -> dict[str, Any]:
    return {"name": name, "kind": "company", "legal_entity": "MY01", "email": "ap@kedai-ali.example"}


@given("an integrator holds an API key of the tenant")
def integrator_key(scene: Scene, cm: CustomerMaster, admin: Actor) -> None:
    secret, _ = cm.access.create_api_key(admin.tenant, "integration", ("admin", "ar_manager"))
    scene.api = Api(create_app(cm).test_client(), secret)


@given(parsers.parse('the integrator created company customer "{name}" over the API'))
@when(parsers.parse('the integrator creates company customer "{name}" over the API'))
def created_over_api(scene: Scene, name: str) -> None:
    scene.response = api(scene).post("/customers", customer_body(name))
    if scene.response.status_code == 201:
        scene.customer_id = scene.response.json["customer"]["id"]


@given(parsers.parse("the integrator created {count:d} customers over the API"))
def created_many(scene: Scene, count: int) -> None:
    for n in range(count):
        response = api(scene).post("/customers", customer_body(f"Kedai Nombor {n + 1}"))
        assert response.status_code == 201, response.json


@then(parsers.re(r'the API answers "(?P<status>\d+) [^"]+"( with ETag "(?P<etag>\d+)")?$'))
def api_answers(scene: Scene, status: str, etag: str | None) -> None:
    response = answer(scene)
    assert response.status_code == int(status), response.get_data(as_text=True)
    if etag is not None:
        assert response.headers["ETag"] == f'"{etag}"'
        body = response.json["customer"]
        assert body["version"] == int(etag)


@then(parsers.parse('reading the customer over the API answers with ETag "{etag}"'))
def read_etag(scene: Scene, etag: str) -> None:
    response = api(scene).get(f"/customers/{scene.customer_id}")
    assert response.status_code == 200
    assert response.headers["ETag"] == f'"{etag}"'


@given(parsers.re(r'the integrator renamed it "(?P<name>[^"]+)" sending its ETag "(?P<etag>\d+)"$'))
@when(
    parsers.re(
        r'the integrator renames it "(?P<name>[^"]+)" '
        r'(?:sending its ETag "(?P<etag>\d+)"|without an ETag)$'
    )
)
def renamed(scene: Scene, name: str, etag: str | None) -> None:
    headers = {} if etag is None else {"If-Match": f'"{etag}"'}
    scene.response = api(scene).patch(f"/customers/{scene.customer_id}", {"name": name}, headers=headers)


@then(parsers.parse('the customer is called "{name}" at version {version:d}'))
def called_at_version(scene: Scene, name: str, version: int) -> None:
    stored = api(scene).get(f"/customers/{scene.customer_id}")
    assert (stored.json["name"], stored.json["version"]) == (name, version)
    response = answer(scene)
    if response.status_code >= 400:
        problem = problem_of(response, response.status_code)
        expected = {428: "precondition-required", 412: "precondition-failed"}[response.status_code]
        assert problem["type"] == f"/problems/{expected}"


@when(
    parsers.parse(
        'the integrator creates a customer with a blank name, kind "{kind}", legal entity "{entity}" '
        'and e-mail "{email}"'
    )
)
def creates_bad_customer(scene: Scene, kind: str, entity: str, email: str) -> None:
    body = {"name": " ", "kind": kind, "legal_entity": entity, "email": email}
    scene.response = api(scene).post("/customers", body)


@then(parsers.parse('the API answers "{status:d} {reason}" with a problem report "{kind}"'))
def problem_report(scene: Scene, status: int, reason: str, kind: str) -> None:
    assert problem_of(answer(scene), status)["type"] == f"/problems/{kind}"


@then("the problem report lists exactly these errors:")
def problem_errors(scene: Scene, datatable: list[list[str]]) -> None:
    errors = answer(scene).json["errors"]
    assert sorted((e["path"], e["code"]) for e in errors) == sorted(tuple(row) for row in datatable[1:])
    assert all(e["message"] for e in errors)


@then("no customer was stored")
def none_stored(scene: Scene) -> None:
    assert api(scene).get("/customers?status=any").json["items"] == []


@when("the integrator reads the API description")
def reads_description(scene: Scene) -> None:
    scene.response = api(scene).as_(None).get("/openapi.json")


@then("it describes listing, creating, reading, changing and deleting customers")
def describes_customers(scene: Scene) -> None:
    paths = answer(scene).json["paths"]
    assert {"get", "post"} <= set(paths["/customers"])
    assert {"get", "patch", "delete"} <= set(paths["/customers/{customer_id}"])


@then("it says a change needs an If-Match header")
def says_if_match(scene: Scene) -> None:
    patch = answer(scene).json["paths"]["/customers/{customer_id}"]["patch"]
    assert any(p["name"] == "If-Match" and p["in"] == "header" and p["required"] for p in patch["parameters"])


@then("it says errors are problem reports")
def says_problem_reports(scene: Scene) -> None:
    default = answer(scene).json["components"]["responses"]["DEFAULT_ERROR"]
    assert "application/problem+json" in default["content"]


@then("the interactive documentation is served from this server")
def docs_served(scene: Scene) -> None:
    page = api(scene).as_(None).get("/docs")
    assert page.status_code == 200
    assert "/openapi.json" in page.get_data(as_text=True)


@when(parsers.parse("the integrator lists customers {size:d} at a time, following each page's next cursor"))
def lists_in_pages(scene: Scene, size: int) -> None:
    scene.pages = [api(scene).get(f"/customers?limit={size}")]
    while (cursor := scene.pages[-1].json["next_cursor"]) is not None:
        assert len(scene.pages) < 10, "the pages never end"
        scene.pages.append(api(scene).get(f"/customers?limit={size}&after={cursor}"))


@then(parsers.parse("it read {pages:d} pages holding all {count:d} customers once each"))
def read_pages(scene: Scene, pages: int, count: int) -> None:
    assert len(scene.pages) == pages
    codes = [c["code"] for page in scene.pages for c in page.json["items"]]
    assert codes == [f"CUS-{n:04d}" for n in range(1, count + 1)]


@then('every page but the last carried a next cursor and a "next" link')
def pages_carry_cursor(scene: Scene) -> None:
    for page in scene.pages[:-1]:
        cursor = page.json["next_cursor"]
        assert cursor
        assert f"after={cursor}" in page.headers["Link"]
        assert 'rel="next"' in page.headers["Link"]


@then("the last page carried neither")
def last_page_plain(scene: Scene) -> None:
    assert scene.pages[-1].json["next_cursor"] is None
    assert "Link" not in scene.pages[-1].headers


# ---------------------------------------------------------------------------
# The command line
# ---------------------------------------------------------------------------


@when("the administrator migrates a new SQLite file")
def migrates_new_file(scene: Scene, tmp_path: Path) -> None:
    scene.url = f"sqlite:///{tmp_path / 'new.db'}"
    scene.result = run(scene.url, "migrate")


@then("the command says the file is at the latest schema revision")
def says_revision(scene: Scene) -> None:
    assert result(scene).exit_code == 0
    assert result(scene).output.startswith(f"{scene.url} is at schema revision ")


@then("migrating it again says the same")
def migrate_again(scene: Scene) -> None:
    again = run(scene.url, "migrate")
    assert (again.exit_code, again.output) == (0, result(scene).output)


@then("the file can keep customers")
def file_keeps_customers(scene: Scene, admin: Actor) -> None:
    kept_in_file(scene, admin, "Tan Ah Kow")
    assert scene.opened is not None
    try:
        found = scene.opened.customers.search(admin, CustomerQuery(name="tan")).items
    finally:
        scene.opened.close()
    assert [c.name for c in found] == ["Tan Ah Kow"]


@given("a migrated SQLite file with the demo tenant")
def demo_file(scene: Scene, demo_template: Path, tmp_path: Path) -> None:
    copy = tmp_path / "demo.db"
    shutil.copyfile(demo_template, copy)
    scene.url = f"sqlite:///{copy}"


@when(parsers.parse("the administrator seeds the demo tenant with {count:d} customers"))
def seeds(scene: Scene, count: int) -> None:
    scene.result = run(scene.url, "seed-demo", "--customers", str(count))


@then(parsers.parse("the command says it made {count:d} customers and pending change requests"))
def seeded_summary(scene: Scene, count: int) -> None:
    assert result(scene).exit_code == 0, result(scene).output
    assert f"customers: {count}\n" in result(scene).output
    assert "change requests pending:" in result(scene).output
    master = CustomerMaster.from_url(scene.url, load_entry_points=False)
    try:
        stored = master.customers.search(
            Actor(DEMO, "check", {"admin"}), CustomerQuery(status="any", limit=500)
        )
    finally:
        master.close()
    assert len(stored.items) == count


@then(parsers.parse("it shows {count:d} API keys"))
def shows_keys(scene: Scene, count: int) -> None:
    keys = [line for line in result(scene).output.splitlines() if " cm_" in line]
    assert len(keys) == count


@then("seeding the demo tenant again is refused in one line because it already has data")
def seeding_again(scene: Scene) -> None:
    scene.result = run(scene.url, "seed-demo", "--customers", "10")
    fails_in_one_line(scene, "already has data")


@when(parsers.parse('the administrator creates an API key for "{user}" in the demo tenant with role {role}'))
def creates_key(scene: Scene, user: str, role: str) -> None:
    scene.result = run(scene.url, "apikey", "create", "--tenant", DEMO, "--user", user, "--role", role)


@then("the key is printed alone on standard output")
def key_printed(scene: Scene) -> None:
    assert result(scene).exit_code == 0, result(scene).output
    lines = result(scene).stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("cm_")
    scene.secret = lines[0]


@then(parsers.parse('the key signs "{user}" in to the demo tenant as a {role}'))
def key_signs_in(scene: Scene, user: str, role: str) -> None:
    master = CustomerMaster.from_url(scene.url, load_entry_points=False)
    try:
        actor = master.access.authenticate(scene.secret)
        assert (
            master.access.authenticate(scene.secret[:-1] + ("A" if scene.secret[-1] != "A" else "B")) is None
        )
    finally:
        master.close()
    assert actor == Actor(DEMO, user, {role})


@then("the key itself is not kept in the file")
def key_not_kept(scene: Scene) -> None:
    secret_part = scene.secret.split("_", 2)[2]  # cm_<key id>_<secret>; the secret may hold "_"
    assert secret_part.encode() not in file_path(scene).read_bytes()


@given("the administrator verifies the demo tenant's audit trail")
@when("the administrator verifies the demo tenant's audit trail")
def verifies_audit(scene: Scene) -> None:
    scene.result = run(scene.url, "audit", "verify", "--tenant", DEMO)


@then("the command says the audit trail is intact")
def audit_intact(scene: Scene) -> None:
    assert result(scene).exit_code == 0, result(scene).output
    assert result(scene).output.startswith(f"audit trail of {DEMO} intact: ")


@when("someone alters a record of the audit trail in the file")
def alters_audit(scene: Scene) -> None:
    tamper = "UPDATE cm_audit_log SET actor = 'mallory' WHERE tenant = ? AND sequence = 3"
    with sqlite3.connect(file_path(scene)) as connection:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            connection.execute(tamper, (DEMO,))  # the database refuses a plain edit
        for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'cm_audit_log'"
        ).fetchall():
            connection.execute(f'DROP TRIGGER "{name}"')  # someone with the file drops the guards
        changed = connection.execute(tamper, (DEMO,)).rowcount
    assert changed == 1


@then("the command fails in one line saying the audit trail is broken")
def audit_broken(scene: Scene) -> None:
    fails_in_one_line(scene, f"audit trail of {DEMO} broken at record")


@given("the demo tenant applies imports at once")
def imports_at_once(scene: Scene) -> None:
    master = CustomerMaster.from_url(scene.url, load_entry_points=False)
    try:
        master.configuration.set_approval_lane(Actor(DEMO, "admin", {"admin"}), "import", "green")
    finally:
        master.close()


@when("the administrator exports the demo tenant's customers to a CSV file")
def exports(scene: Scene, tmp_path: Path) -> None:
    scene.export = tmp_path / "customers.csv"
    scene.result = run(scene.url, "export", str(scene.export), "--tenant", DEMO)
    assert scene.result.exit_code == 0, scene.result.output
    assert scene.result.output == f"12 customers written to {scene.export}\n"


@when(parsers.parse('changes the region of "{code}" to "{region}" in the file'))
def edits_file(scene: Scene, code: str, region: str) -> None:
    assert scene.export is not None
    with scene.export.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    edited = [row for row in rows if row["code"] == code]
    assert len(edited) == 1
    assert edited[0]["region"] != region
    edited[0]["region"] = region
    with scene.export.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@when("imports the file updating customers already there")
def imports(scene: Scene) -> None:
    assert scene.export is not None
    scene.result = run(scene.url, "import", str(scene.export), "--tenant", DEMO, "--on-duplicate", "update")


@then(parsers.parse("the import summary shows {rows:d} rows: {updated:d} updated and {skipped:d} skipped"))
def import_summary(scene: Scene, rows: int, updated: int, skipped: int) -> None:
    assert result(scene).exit_code == 0, result(scene).output
    lines = result(scene).stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if "created" in line and "updated" in line)
    figures = [cell.strip() for cell in lines[header + 2].strip("│ ").split("│")]
    assert figures == [str(rows), "0", str(updated), str(skipped), "0"]


@then(parsers.parse('"{code}" is now in region "{region}"'))
def now_in_region(scene: Scene, code: str, region: str) -> None:
    master = CustomerMaster.from_url(scene.url, load_entry_points=False)
    try:
        customer: Customer = master.customers.lookup(Actor(DEMO, "check", {"admin"}), code).customer
    finally:
        master.close()
    assert customer.region == region


COMMANDS = {
    'credit-check for "CUS-0001" in MY01 for an amount "lots"': (
        "credit-check", "--tenant", DEMO, "CUS-0001", "--entity", "MY01", "--amount", "lots"),
    'credit-check for "CUS-9999" in MY01 for an amount "100"': (
        "credit-check", "--tenant", DEMO, "CUS-9999", "--entity", "MY01", "--amount", "100"),
    'an API key for "eve" with role "wizard"': (
        "apikey", "create", "--tenant", DEMO, "--user", "eve", "--role", "wizard"),
}  # fmt: skip


@when(parsers.parse("the administrator runs {command}"))
def runs(scene: Scene, command: str) -> None:
    if command.startswith("any command on storage "):
        scene.result = run(command.split('"')[1], "audit", "verify", "--tenant", DEMO)
    else:
        scene.result = run(scene.url, *COMMANDS[command])


@then(parsers.parse('the command fails in one line mentioning "{words}"'))
def fails_in_one_line(scene: Scene, words: str) -> None:
    outcome = result(scene)
    assert outcome.exit_code == 1, outcome.output
    lines = [line for line in outcome.output.splitlines() if line.strip()]
    assert len(lines) == 1, outcome.output
    assert lines[0].startswith("Error: ")
    assert words in lines[0]
    assert "Traceback" not in outcome.output
