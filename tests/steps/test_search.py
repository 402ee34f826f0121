"""Steps for features/search.feature: filters, name search, look-ups, sorting and keyset
pages in a sales administrator's words (SPEC R-14.1).

Customers are named by code in the outcomes ("C-300"), so a list reads in the order the
search gave it. A search step keeps the page it got in ``Found``; the paging steps keep
every page they read.
"""

from __future__ import annotations

from typing import Any

import pytest
from attrs import define, evolve, field
from pytest_bdd import given, parsers, scenarios, then, when
from vocabulary import Story, field_name, split_names, value_of

from customer_master import Actor, CustomerMaster
from customer_master.clock import FixedClock
from customer_master.domain.approvals import OPERATIONS
from customer_master.domain.customer import Customer
from customer_master.domain.search import CustomerQuery, Page

pytestmark = pytest.mark.usefixtures("story")

scenarios("search.feature")

# The words of the filters and sorts, as the query takes them.
FILTERS = {
    "status": "status", "kind": "kind", "customer type": "customer_type",
    "customer group": "customer_group", "segment": "segment", "region": "region", "tag": "tag",
    "legal entity": "entity", "credit hold": "on_credit_hold", "salesperson": "salesperson",
    "e-mail": "email", "tax id": "tax_id",
}  # fmt: skip
SORTS = {"code": "code", "name": "name", "creation date": "created_at"}


@define
class Found:
    """What the scenario's searches gave back."""

    page: Page | None = None
    query: CustomerQuery | None = None
    pages: list[Page] = field(factory=list)
    customer: Customer | None = None
    sort: str = "code"
    size: int = 50


@pytest.fixture
def found() -> Found:
    return Found()


def codes(text: str) -> list[str]:
    """ "C-100, C-200 and C-300" → ["C-100", "C-200", "C-300"]; "nobody" → []."""
    return [] if text == "nobody" else split_names(text)


def criterion(words: str, value: str) -> dict[str, Any]:
    key = FILTERS[words]
    return {key: value == "yes" if key == "on_credit_hold" else value}


def search(story: Story, found: Found, **criteria: Any) -> None:
    found.query = CustomerQuery(**criteria)
    found.page = story.cm.customers.search(story.actor, found.query)


# ---------------------------------------------------------------------------
# Given
# ---------------------------------------------------------------------------


@given(parsers.parse("these customers were created in this order, a minute apart:"))
def customers_created(story: Story, clock: FixedClock, datatable: list[list[str]]) -> None:
    header, *rows = datatable
    for row in rows:
        story.draft = {
            field_name(words): value_of(field_name(words), cell)
            for words, cell in zip(header, row, strict=True)
            if cell.strip()
        }
        story.save_draft()
        story.succeeded()
        clock.advance(minutes=1)


@given(parsers.parse('"{name}" has tax id "{scheme}" "{number}"'))
def has_tax_id(story: Story, name: str, scheme: str, number: str) -> None:
    tax_id = {"action": "add", "scheme": scheme, "number": number, "is_primary": True}
    story.update(name, {"tax_ids": [tax_id]})
    story.succeeded()


@given(parsers.parse('"{name}" is on credit hold'))
def on_credit_hold(story: Story, name: str) -> None:
    story.cm.credit.set_hold(story.actor, story.ids[name], reason="overdue invoices")


@given(parsers.parse("the first page of {size:d} customers sorted by {sort} was read"))
def first_page_read(story: Story, found: Found, size: int, sort: str) -> None:
    found.sort, found.size = sort, size
    found.pages = [story.cm.customers.search(story.actor, CustomerQuery(sort=SORTS[sort], limit=size))]


@given(parsers.parse('customer "{name}" with code "{code}" was created since'))
def created_since(story: Story, name: str, code: str) -> None:
    story.draft = {"name": name, "code": code, "kind": "individual", "legal_entity": "MY01"}
    story.save_draft()
    story.succeeded()


@given(
    parsers.parse(
        'another tenant has customer "{name}" with e-mail "{email}" and tax id "{scheme}" "{number}"'
    )
)
def other_tenants_customer(
    cm: CustomerMaster, outsider: Actor, name: str, email: str, scheme: str, number: str
) -> None:
    cm.configuration.add_legal_entity(
        outsider, {"code": "MY01", "name": "Globex Malaysia", "currency": "MYR"}
    )
    for operation in OPERATIONS:
        cm.configuration.set_approval_lane(outsider, operation, "green")
    tax_id = {"scheme": scheme, "number": number, "is_primary": True}
    payload = {"name": name, "kind": "company", "legal_entity": "MY01", "email": email, "tax_ids": [tax_id]}
    assert cm.customers.create(outsider, payload).value is not None


# ---------------------------------------------------------------------------
# When
# ---------------------------------------------------------------------------


@when("the customer list is read")
def list_read(story: Story, found: Found) -> None:
    search(story, found)


@when(parsers.re(r'the customer list is filtered by (?P<words>[a-z -]+?) "(?P<value>[^"]*)"$'))
def list_filtered(story: Story, found: Found, words: str, value: str) -> None:
    search(story, found, **criterion(words, value))


@when(parsers.re(r"the customer list is filtered by (?P<filters>.+ and .+)$"))
def list_filtered_by_many(story: Story, found: Found, filters: str) -> None:
    """'tag "export" and region "South"': every filter applies at once."""
    criteria: dict[str, Any] = {}
    for part in filters.split('" and '):
        words, _, value = part.partition(' "')
        criteria |= criterion(words.strip(), value.strip('"'))
    search(story, found, **criteria)


@when(
    parsers.re(
        r'(?P<which>inactive )?customers are searched by (?P<words>name|e-mail|tax id) "(?P<value>[^"]*)"$'
    )
)
def searched_by(story: Story, found: Found, which: str | None, words: str, value: str) -> None:
    status = "inactive" if which else "active"
    search(story, found, **{FILTERS.get(words, words): value}, status=status)


@when(parsers.parse('customers are searched by name "{value}", allowing for typing errors'))
def searched_fuzzily(story: Story, found: Found, value: str) -> None:
    search(story, found, name=value, name_match="fuzzy")


@when(parsers.parse("the same search is read {size:d} at a time"))
def same_search_page_by_page(story: Story, found: Found, size: int) -> None:
    assert found.query is not None, "search first"
    found.pages = [story.cm.customers.search(story.actor, evolve(found.query, limit=size))]
    while found.pages[-1].next_cursor is not None:
        assert len(found.pages) < 20, "the pages never end"
        query = evolve(found.query, limit=size, after=found.pages[-1].next_cursor)
        found.pages.append(story.cm.customers.search(story.actor, query))


@when(parsers.parse('customers of any status are searched by name "{value}"'))
def searched_any_status(story: Story, found: Found, value: str) -> None:
    search(story, found, name=value, status="any")


@when(parsers.parse('a customer is looked up by {key} "{value}"'))
def looked_up(story: Story, found: Found, key: str, value: str) -> None:
    if key == "code":
        found.customer = story.cm.customers.lookup(story.actor, value).customer
        return
    search(story, found, **{FILTERS[key]: value})
    assert found.page is not None
    assert len(found.page.items) == 1, [c.name for c in found.page.items]
    found.customer = found.page.items[0]


@when(parsers.parse("the customer list is read sorted by {sort}"))
def list_sorted(story: Story, found: Found, sort: str) -> None:
    search(story, found, sort=SORTS[sort])


@when(parsers.parse("the whole customer list sorted by {sort} is read {size:d} at a time"))
def read_page_by_page(story: Story, found: Found, sort: str, size: int) -> None:
    found.sort, found.size = sort, size
    found.pages = [story.cm.customers.search(story.actor, CustomerQuery(sort=SORTS[sort], limit=size))]
    while found.pages[-1].next_cursor is not None:
        assert len(found.pages) < 20, "the pages never end"
        next_page(story, found)


@when("the next page is read")
def next_page(story: Story, found: Found) -> None:
    cursor = found.pages[-1].next_cursor
    assert cursor is not None, "the last page read says there is no next page"
    query = CustomerQuery(sort=SORTS[found.sort], limit=found.size, after=cursor)
    found.pages.append(story.cm.customers.search(story.actor, query))


# ---------------------------------------------------------------------------
# Then
# ---------------------------------------------------------------------------


def shown(found: Found) -> list[str]:
    assert found.page is not None, "search first"
    return [c.code for c in found.page.items]


@then(parsers.re(r"the list shows exactly (?P<expected>.+?)(?P<ordered> in that order)?$"))
def list_shows_exactly(found: Found, expected: str, ordered: str | None) -> None:
    """In the order the list gave; without "in that order" the steps list codes in the
    default order (by code), so the comparison is the same."""
    assert shown(found) == codes(expected)


@then(parsers.parse('the customer found is "{name}"'))
def customer_found(found: Found, name: str) -> None:
    assert found.customer is not None
    assert found.customer.name == name


@then(parsers.parse("it took {count:d} pages"))
def took_pages(found: Found, count: int) -> None:
    assert len(found.pages) == count, [len(p.items) for p in found.pages]
    assert all(len(p.items) == found.size for p in found.pages[:-1])


@then(parsers.parse("every active customer was shown exactly once, sorted by {sort}"))
def every_customer_once(story: Story, found: Found, sort: str) -> None:
    walked = [c.code for page in found.pages for c in page.items]
    everyone = story.cm.customers.search(story.actor, CustomerQuery(sort=SORTS[sort], limit=1000)).items
    assert walked == [c.code for c in everyone]
    assert len(set(walked)) == len(walked) == 6


@then("the last page says there is no next page")
def no_next_page(found: Found) -> None:
    assert found.pages[-1].next_cursor is None


@then(parsers.parse("the next page shows {expected}"))
def next_page_shows(found: Found, expected: str) -> None:
    assert [c.code for c in found.pages[-1].items] == codes(expected)


@then(parsers.parse("the pages show {expected} and then end"))
def pages_show(found: Found, expected: str) -> None:
    assert [[c.code for c in page.items] for page in found.pages] == [[code] for code in codes(expected)]
    assert found.pages[-1].next_cursor is None


@then("the other tenant's list shows only its own customer")
def other_tenant_list(cm: CustomerMaster, outsider: Actor, story: Story) -> None:
    theirs = cm.customers.search(outsider, CustomerQuery(status="any", name="soc")).items
    assert len(theirs) == 1
    assert theirs[0].id not in story.ids.values()
    assert theirs[0].tenant == outsider.tenant
