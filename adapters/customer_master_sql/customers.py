"""The customer repository on SQL: one row per customer plus its related-record rows.

Writes are explicit and batched per table (``executemany``). ``update`` is a
compare-and-set on the version — ``UPDATE … WHERE tenant = … AND id = … AND version =
:expected`` — and only a row count of one lets it go on to replace the related records
(R-1.9). Every statement names the tenant (R-12.1).
"""

from __future__ import annotations

import builtins
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from attrs import evolve
from sqlalchemy import Select, String, bindparam, delete, exists, false, func, insert, or_, select, update
from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError

from customer_master.domain.customer import Customer
from customer_master.domain.search import CustomerQuery, Page, fold
from customer_master.errors import Conflict
from customer_master_sql import mapping
from customer_master_sql.listing import (
    COMMON_PREFIX,
    list_statement,
    page_of,
    searches_words,
    word_holders,
)
from customer_master_sql.tables import customers, external_refs, name_words, overrides, tax_ids
from customer_master_sql.types import prefix_range
from customer_master_sql.work import Work

_CHUNK = 500


def _prepared() -> dict[str, Any]:
    """The hot reads, built once with bound parameters (``:tenant``, ``:key``, ``:ids``)."""
    c = customers.c
    tenant, key = bindparam("tenant", type_=String()), bindparam("key", type_=String())
    ids = bindparam("ids", type_=String(), expanding=True)
    by_kind = {}
    for kind in mapping.RELATED:
        table = kind.table
        statement = select(table).where(table.c.tenant == tenant, table.c.customer_id.in_(ids))
        by_kind[kind.field] = (
            statement.order_by(table.c.customer_id, table.c.position) if kind.ordered else statement
        )
    return {
        "by_id": select(customers).where(c.tenant == tenant, c.id == key),
        "by_code": select(customers).where(c.tenant == tenant, c.code == key),
        "by_ids": select(customers).where(c.tenant == tenant, c.id.in_(ids)),
        "versions": select(c.id, c.version).where(c.tenant == tenant, c.id.in_(ids)),
        **by_kind,
    }


PREPARED = _prepared()
# How many look-alike names the similar-name check scores at most.
SIMILAR_CANDIDATES = 500


class SqlCustomers:
    """``CustomerRepository`` over the ``cm_customer*`` tables."""

    def __init__(self, work: Work) -> None:
        self._work = work
        self._conn = work.connection

    # -- writes ---------------------------------------------------------------------

    def add(self, customer: Customer) -> None:
        self._work.writing(customer.tenant)
        if self._code_holder(customer.tenant, customer.code) is not None:
            raise Conflict(f"customer code {customer.code} is already taken")
        try:
            self._conn.execute(insert(customers), [mapping.customer_row(customer)])
            self._insert_related(customer, mapping.RELATED)
            self._conn.execute(insert(name_words), mapping.word_rows(customer))
        except IntegrityError as clash:
            raise Conflict(
                f"customer {customer.code} clashes with a stored key: {_first_line(clash)}"
            ) from None

    def update(self, customer: Customer, *, expected_version: int) -> Customer:
        tenant = customer.tenant
        self._work.writing(tenant)
        c = customers.c
        key = (c.tenant == tenant) & (c.id == customer.id)
        before = self._conn.execute(select(c.related, c.name_folded, c.version).where(key)).first()
        if before is None:
            raise Conflict(f"customer {customer.id} no longer exists")
        stored = evolve(customer, version=expected_version + 1)
        row = mapping.customer_row(stored)
        changes = {name: value for name, value in row.items() if name not in ("tenant", "id")}
        written = self._conn.execute(
            update(customers).where(key, c.version == expected_version).values(changes)
        )
        if written.rowcount != 1:
            raise Conflict(
                f"customer {customer.code} was changed by someone else (version {before.version}, "
                f"you had {expected_version}); reload and try again",
                current_version=before.version,
            )
        try:
            stale = [kind for kind in mapping.RELATED if before.related & kind.bit]
            for kind in stale:
                self._conn.execute(delete(kind.table).where(*_owned(kind.table, tenant, customer.id)))
            self._insert_related(stored, mapping.RELATED)
            if before.name_folded != row["name_folded"]:
                self._conn.execute(delete(name_words).where(*_owned(name_words, tenant, customer.id)))
                self._conn.execute(insert(name_words), mapping.word_rows(stored))
        except IntegrityError as clash:
            raise Conflict(
                f"customer {customer.code} clashes with a stored key: {_first_line(clash)}"
            ) from None
        return stored

    def remove(self, tenant: str, customer_id: str) -> None:
        self._work.writing(tenant)
        # Related rows go with it (ON DELETE CASCADE).
        self._conn.execute(
            delete(customers).where(customers.c.tenant == tenant, customers.c.id == customer_id)
        )

    def _insert_related(self, customer: Customer, kinds: Iterable[mapping.Related]) -> None:
        rows = mapping.related_rows(customer)
        for kind in kinds:
            if kind in rows:
                self._conn.execute(insert(kind.table), rows[kind])

    # -- reads ----------------------------------------------------------------------

    def get(self, tenant: str, customer_id: str) -> Customer | None:
        rows = self._conn.execute(PREPARED["by_id"], {"tenant": tenant, "key": customer_id}).all()
        found = self._load(rows)
        return found[0] if found else None

    def get_by_code(self, tenant: str, code: str) -> Customer | None:
        rows = self._conn.execute(PREPARED["by_code"], {"tenant": tenant, "key": code}).all()
        found = self._load(rows)
        return found[0] if found else None

    def find_by_tax_id(self, tenant: str, number: str) -> Sequence[Customer]:
        # A uniqueness look-up: the writer lock makes "check, then write" atomic.
        self._work.writing(tenant)
        holders = select(tax_ids.c.customer_id).where(tax_ids.c.tenant == tenant, tax_ids.c.number == number)
        c = customers.c
        return self._many(
            select(customers)
            .where(c.tenant == tenant, c.status == "active", c.id.in_(holders))
            .order_by(c.code)
        )

    def find_by_external_ref(self, tenant: str, system: str, ref: str) -> Customer | None:
        self._work.writing(tenant)
        r = external_refs.c
        holder = select(r.customer_id).where(r.tenant == tenant, r.system == system, r.ref == ref)
        return self._one(select(customers).where(customers.c.tenant == tenant, customers.c.id.in_(holder)))

    def find_by_email(self, tenant: str, email: str) -> Sequence[Customer]:
        c = customers.c
        return self._many(
            select(customers)
            .where(c.tenant == tenant, c.status == "active", c.email_lower == email.lower())
            .order_by(c.code)
        )

    def similar_name_candidates(self, tenant: str, name: str) -> Iterable[tuple[str, str]]:
        c = customers.c
        folded = fold(name)
        statement = select(c.code, c.name).where(c.tenant == tenant, c.status == "active")
        if self._work.dialect == "postgresql":
            # Trigram similarity over the folded name (GIN index, pg_trgm).
            statement = statement.where(c.name_folded.op("%")(folded)).order_by(
                func.similarity(c.name_folded, folded).desc()
            )
        else:
            statement = statement.where(c.id.in_(_sharing_a_word_start(tenant, folded)))
        return [(row.code, row.name) for row in self._conn.execute(statement.limit(SIMILAR_CANDIDATES))]

    def list(self, tenant: str, query: CustomerQuery) -> Page:
        word = searches_words(query)
        holders = None
        if word is not None:
            found = self._conn.execute(word_holders(tenant, word)).scalars().all()
            holders = builtins.list(dict.fromkeys(found)) if len(found) <= COMMON_PREFIX else None
        rows = self._conn.execute(list_statement(tenant, query, holders=holders)).all()
        shown = rows[: max(query.limit, 0)]
        return page_of(self._load(shown), shown, more=len(rows) > len(shown), sort=query.sort)

    def count_using(
        self, tenant: str, *, payment_terms: str | None = None, price_list: str | None = None
    ) -> int:
        c, o = customers.c, overrides.c
        uses = []
        for name, code in (("payment_terms", payment_terms), ("price_list", price_list)):
            if code is not None:
                in_override = exists().where(o.tenant == tenant, o.customer_id == c.id, o[name] == code)
                uses.append(or_(c[name] == code, in_override))
        if not uses:
            return 0
        count = select(func.count()).select_from(customers).where(c.tenant == tenant, or_(*uses))
        return int(self._conn.execute(count).scalar_one())

    # -- loading --------------------------------------------------------------------

    def _code_holder(self, tenant: str, code: str) -> str | None:
        c = customers.c
        found = self._conn.execute(select(c.id).where(c.tenant == tenant, c.code == code)).scalar()
        return None if found is None else str(found)

    def _one(self, statement: Select[Any]) -> Customer | None:
        found = self._many(statement.limit(1))
        return found[0] if found else None

    def _many(self, statement: Select[Any]) -> builtins.list[Customer]:
        return self._load(self._conn.execute(statement).all())

    def _load(self, rows: Sequence[Row[Any]]) -> builtins.list[Customer]:
        """Customers for their ``cm_customers`` rows: one query per kind of related
        record that any of them holds.

        Outside the writer lock each statement sees the latest commit, so a writer may
        commit between them; reading the versions again afterwards proves the related
        rows belong to the rows read (every change moves the version), else it reads
        again.
        """
        while rows:
            customers_read, queried = self._load_once(rows)
            if not queried or self._work.reads_are_stable(rows[0].tenant) or self._unchanged(rows):
                return customers_read
            again = self._conn.execute(
                PREPARED["by_ids"], {"tenant": rows[0].tenant, "ids": [row.id for row in rows]}
            )
            by_id = {row.id: row for row in again}
            rows = [by_id[row.id] for row in rows if row.id in by_id]
        return []

    def _unchanged(self, rows: Sequence[Row[Any]]) -> bool:
        parameters = {"tenant": rows[0].tenant, "ids": [row.id for row in rows]}
        now: dict[str, int] = dict(self._conn.execute(PREPARED["versions"], parameters).all())
        return all(now.get(row.id) == row.version for row in rows)

    def _load_once(self, rows: Sequence[Row[Any]]) -> tuple[builtins.list[Customer], bool]:
        tenant = rows[0].tenant
        queried = False
        related: dict[str, dict[str, builtins.list[Any]]] = defaultdict(lambda: defaultdict(list))
        plain = [row._asdict() for row in rows]
        for kind in mapping.RELATED:
            holders = [row["id"] for row in plain if row["related"] & kind.bit]
            for start in range(0, len(holders), _CHUNK):
                queried = True
                parameters = {"tenant": tenant, "ids": holders[start : start + _CHUNK]}
                for record in self._conn.execute(PREPARED[kind.field], parameters):
                    related[record.customer_id][kind.field].append(record._asdict())
        return [mapping.customer_from(row, related.get(row["id"], {})) for row in plain], queried


def _owned(table: Any, tenant: str, customer_id: str) -> tuple[Any, Any]:
    return table.c.tenant == tenant, table.c.customer_id == customer_id


def _sharing_a_word_start(tenant: str, folded: str) -> Select[Any]:
    """Customers with a name word that begins like a word of ``folded`` (first three
    letters): the candidates worth scoring for a similar name on SQLite and MariaDB."""
    w = name_words.c
    starts = {word[:3] for word in folded.split()} | {
        stripped[:3] for word in folded.split() if (stripped := "".join(ch for ch in word if ch.isalnum()))
    }
    ranges = []
    for start in sorted(starts):
        low, high = prefix_range(start)
        ranges.append((w.word >= low) & (w.word < high) if high is not None else w.word >= low)
    return select(w.customer_id).where(w.tenant == tenant, or_(*ranges) if ranges else false())


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0]
