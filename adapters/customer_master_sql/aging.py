"""The aging on SQL (R-13.2): one statement per page of customers, whatever the number of
open items (docs/decisions/0031).

The statement picks the page first — the tenant's customers matching the filters that
hold a document dated on or before the as-of date, in code order after the page key,
``LIMIT`` one more than the page — then sums, per customer, entity and document
currency, each document's balance as of that date into its bucket. The bucket is found
by comparing the date the document is aged from with four dates worked out beforehand
(``AgingBounds``), so no date arithmetic runs in SQL and every dialect reads it alike.
What was applied to a document after the as-of date is added back through one join to
the page's applications of later dates. The customer's currency for the entity comes
from the override row (``cm_customer_overrides.currency``), else the customer row.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Date, and_, case, exists, func, literal, null, or_, select
from sqlalchemy.engine import Connection

from customer_master.domain.aging import BUCKETS, AgingBounds, AgingBuckets, AgingQuery, AgingRow, AgingRows
from customer_master_sql.tables import customers, overrides, receivable_applications, receivable_items
from customer_master_sql.types import Amount


def _zero() -> Any:
    return literal(0, Amount())


def aging_statement(tenant: str, query: AgingQuery) -> Any:
    """The one statement of an aging page: rows ``(id, code, name, entity, currency,
    customer currency, current, 1–30, 31–60, 61–90, over 90)`` in code order."""
    c, i, o, a = customers.c, receivable_items.c, overrides.c, receivable_applications.c
    as_of = query.as_of
    standing = and_(
        i.tenant == tenant,
        i.document_date <= as_of,
        or_(i.reversed_on.is_(None), i.reversed_on > as_of),
    )
    if query.entity is not None:
        standing = and_(standing, i.entity == query.entity)
    conditions = [c.tenant == tenant, exists().where(standing, i.customer_id == c.id)]
    if query.after is not None:
        conditions.append(c.code > query.after)
    for column, wanted in (
        (c.id, query.customer_id),
        (c.customer_group, query.customer_group),
        (c.region, query.region),
        (c.salesperson, query.salesperson),
    ):
        if wanted is not None:
            conditions.append(column == wanted)
    page = (
        select(c.id, c.code, c.name, c.currency)
        .where(*conditions)
        .order_by(c.code)
        .limit(query.limit + 1)
        .cte("page")
    )
    later = (
        select(a.customer_id, a.entity, a.kind, a.number, func.sum(a.amount).label("applied"))
        .join(page, page.c.id == a.customer_id)
        .where(a.tenant == tenant, a.applied_on > as_of)
        .group_by(a.customer_id, a.entity, a.kind, a.number)
        .subquery("later")
    )
    is_invoice = i.kind == "invoice"
    open_then = case(
        (i.reversed_on.is_not(None), i.amount), else_=i.balance + func.coalesce(later.c.applied, _zero())
    )
    signed = case((is_invoice, open_then), else_=-open_then)
    aged_from = case((is_invoice, func.coalesce(i.due_date, i.document_date)), else_=i.document_date)
    bounds = AgingBounds.as_of(as_of)
    limits = [bounds.current, bounds.days_1_30, bounds.days_31_60, bounds.days_61_90]
    sums = []
    for index, name in enumerate(BUCKETS):
        newest = literal(limits[index - 1], Date) if index > 0 else null()
        oldest = literal(limits[index], Date) if index < len(limits) else None
        if oldest is None:
            inside = aged_from < newest
        elif index == 0:
            inside = aged_from >= oldest
        else:
            inside = and_(aged_from >= oldest, aged_from < newest)
        sums.append(func.sum(case((inside, signed), else_=_zero())).label(name))
    home = func.coalesce(o.currency, page.c.currency)
    return (
        select(page.c.id, page.c.code, page.c.name, i.entity, i.currency, home.label("home"), *sums)
        .select_from(page)
        .join(receivable_items, and_(standing, i.customer_id == page.c.id))
        .outerjoin(
            later,
            and_(
                later.c.customer_id == i.customer_id,
                later.c.entity == i.entity,
                later.c.kind == i.kind,
                later.c.number == i.number,
            ),
        )
        .outerjoin(overrides, and_(o.tenant == tenant, o.customer_id == page.c.id, o.entity == i.entity))
        .group_by(page.c.id, page.c.code, page.c.name, i.entity, i.currency, o.currency, page.c.currency)
        .order_by(page.c.code, i.entity, i.currency)
    )


def aging_rows(connection: Connection, tenant: str, query: AgingQuery) -> AgingRows:
    """Run the page's statement and shape its rows; a page's extra customer (``LIMIT``
    one more) only says that another page follows."""
    rows: list[AgingRow] = []
    customers, last, more, page_end = 0, None, False, None
    for row in connection.execute(aging_statement(tenant, query)):
        customer_id, code, name, entity, currency, home, *amounts = row
        if code != last:  # rows come in code order: a new code is the next customer
            customers, last = customers + 1, code
            if customers > query.limit:
                more = True
                break
            page_end = code
        if not any(amounts):
            continue
        current, days_1_30, days_31_60, days_61_90, over_90 = amounts
        buckets = AgingBuckets(
            current=current,
            days_1_30=days_1_30,
            days_31_60=days_31_60,
            days_61_90=days_61_90,
            over_90=over_90,
        )
        rows.append(
            AgingRow(
                customer_id=customer_id,
                code=code,
                name=name,
                entity=entity,
                currency=currency,
                customer_currency=home,
                buckets=buckets,
            )
        )
    return AgingRows(rows=tuple(rows), next_after=page_end if more else None)
