"""The customer repository on SQL: one row per customer plus its rows in the key tables.

The row carries the whole customer as a JSON document (``document``), so every read is
one row per customer; the key tables hold what a customer is searched or kept unique by
(tax ids, external references, tags, entities, overrides, name words and pairs), each
keyed for its search (docs/decisions/0011, 0039).

Writes are explicit and batched per table (``executemany``). ``update`` is a
compare-and-set on the version — ``UPDATE … WHERE tenant = … AND id = … AND version =
:expected`` — and only a row count of one lets it go on to change the key rows, by their
keys: those the customer no longer holds go, new ones come (R-1.9). Every statement
names the tenant (R-12.1).
"""

from __future__ import annotations

import builtins
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from operator import itemgetter
from typing import Any

from attrs import evolve
from sqlalchemy import (
    BindParameter,
    CompoundSelect,
    Integer,
    Select,
    String,
    Table,
    and_,
    bindparam,
    delete,
    false,
    func,
    insert,
    literal,
    or_,
    select,
    union,
    union_all,
    update,
)
from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError

from customer_master.domain.customer import Customer
from customer_master.domain.search import (
    SIMILAR_CANDIDATES,
    CustomerQuery,
    Page,
    fold,
    is_fuzzy,
)
from customer_master.errors import Conflict
from customer_master.ports import CustomerKey
from customer_master_sql import mapping
from customer_master_sql.driver import insert_rows, integrity_error
from customer_master_sql.fuzzy import fuzzy_page
from customer_master_sql.listing import page_of, page_rows
from customer_master_sql.tables import customers, external_refs, name_words, overrides, tax_ids
from customer_master_sql.types import prefix_range
from customer_master_sql.work import Work

_CHUNK = 500


def _prepared() -> dict[str, Any]:
    """The hot reads, built once with bound parameters (``:tenant``, ``:key``, ``:values``)."""
    c = customers.c
    tenant, key = bindparam("tenant", type_=String()), bindparam("key", type_=String())
    t, r = tax_ids.c, external_refs.c
    values = bindparam("values", type_=String(), expanding=True)
    active = (c.tenant == tenant) & (c.status == "active")
    return {
        "word_starts": _word_starts_statement(tenant),
        "start_counts": _start_counts_statement(tenant),
        # holders_of_keys: (key value, customer id) by kind of key, as the single look-ups.
        "holders_code": select(c.code, c.id).where(c.tenant == tenant, c.code.in_(values)),
        # No ORDER BY: ordering by code would lead planners to walk every active
        # customer in code order instead of looking the values up (callers sort).
        "holders_email": select(c.email_lower, c.id).where(active, c.email_lower.in_(values)),
        "holders_tax_id": select(t.number, t.customer_id)
        .join_from(tax_ids, customers, (c.tenant == t.tenant) & (c.id == t.customer_id))
        .where(t.tenant == tenant, active, t.number.in_(values)),
        "holders_external_ref": select(r.ref, r.customer_id).where(
            r.tenant == tenant, r.system == bindparam("system", type_=String()), r.ref.in_(values)
        ),
        "by_id": select(c.document).where(c.tenant == tenant, c.id == key),
        "by_code": select(c.document).where(c.tenant == tenant, c.code == key),
    }


def _start_counts_statement(tenant: BindParameter[str]) -> CompoundSelect[int, int]:
    """Per slot ``i`` (``:low<i>``, ``:high<i>``): ``(i, n)``, ``n`` the name words in
    ``[low, high)``, counted up to ``SIMILAR_CANDIDATES + 1`` from the words index."""
    w = name_words.c
    parts = []
    for slot in range(_STARTS_AT_ONCE):
        held = (
            select(w.customer_id)
            .where(w.tenant == tenant, w.word >= bindparam(f"low{slot}", type_=String()))
            .where(w.word < bindparam(f"high{slot}", type_=String()))
            .limit(SIMILAR_CANDIDATES + 1)
            .subquery(f"n{slot}")
        )
        parts.append(select(literal(slot, Integer()).label("slot"), func.count()).select_from(held))
    return union_all(*parts)


def _word_starts_statement(tenant: BindParameter[str]) -> CompoundSelect[int, str, str]:
    """Per slot ``i`` (``:low<i>``, ``:high<i>``): ``(i, code, name)`` of at most
    ``SIMILAR_CANDIDATES`` active customers with a name word in ``[low, high)``."""
    c, w = customers.c, name_words.c
    parts = []
    for slot in range(_STARTS_AT_ONCE):
        holders = (
            select(c.code, c.name)
            .join_from(name_words, customers, (c.tenant == w.tenant) & (c.id == w.customer_id))
            .where(w.tenant == tenant, w.word >= bindparam(f"low{slot}", type_=String()))
            .where(w.word < bindparam(f"high{slot}", type_=String()), c.status == "active")
            .distinct()
            .limit(SIMILAR_CANDIDATES)
            .subquery(f"s{slot}")
        )
        parts.append(select(literal(slot, Integer()).label("slot"), holders.c.code, holders.c.name))
    return union_all(*parts)


# Word starts looked up by one statement (similar_name_candidates_for).
_STARTS_AT_ONCE = 20
PREPARED = _prepared()


def _update_statements() -> dict[str, Any]:
    """The statements of ``update`` built once with bound parameters: a statement built
    a call costs SQLAlchemy its cache key over every value (about 1 ms a merge)."""
    c = customers.c
    key = (c.tenant == bindparam("k_tenant")) & (c.id == bindparam("k_id"))
    return {
        "before": select(c.document, c.version).where(key),
        "update": update(customers).where(key, c.version == bindparam("k_version")),
    }


UPDATES = _update_statements()
_UPDATE_BY_COLUMNS: dict[tuple[str, ...], Any] = {}
_DELETE_KEYS: dict[str, Any] = {}


def _update_of(columns: tuple[str, ...]) -> Any:
    """The UPDATE setting ``columns`` from parameters ``:v_<column>`` (built once)."""
    statement = _UPDATE_BY_COLUMNS.get(columns)
    if statement is None:
        statement = UPDATES["update"].values({name: bindparam(f"v_{name}") for name in columns})
        _UPDATE_BY_COLUMNS[columns] = statement
    return statement


def _delete_by_key(table: Any) -> Any:
    """A DELETE of one key row of ``table`` by its primary key (``:k_<column>``), built once."""
    statement = _DELETE_KEYS.get(table.name)
    if statement is None:
        keys = [column.name for column in table.primary_key.columns]
        statement = delete(table).where(and_(*(table.c[name] == bindparam(f"k_{name}") for name in keys)))
        _DELETE_KEYS[table.name] = statement
    return statement


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
            for table, rows in mapping.key_rows(customer).items():
                self._conn.execute(insert(table), rows)
        except IntegrityError as clash:
            raise Conflict(
                f"customer {customer.code} clashes with a stored key: {_first_line(clash)}"
            ) from None

    def update(self, customer: Customer, *, expected_version: int) -> Customer:
        tenant = customer.tenant
        self._work.writing(tenant)
        key = {"k_tenant": tenant, "k_id": customer.id}
        before = self._conn.execute(UPDATES["before"], key).first()
        if before is None:
            raise Conflict(f"customer {customer.id} no longer exists")
        stored = evolve(customer, version=expected_version + 1)
        row = mapping.customer_row(stored)
        changes = {name: value for name, value in row.items() if name not in ("tenant", "id")}
        given = {f"v_{name}": value for name, value in changes.items()}
        written = self._conn.execute(
            _update_of(tuple(changes)), {**given, **key, "k_version": expected_version}
        )
        if written.rowcount != 1:
            raise Conflict(
                f"customer {customer.code} was changed by someone else (version {before.version}, "
                f"you had {expected_version}); reload and try again",
                current_version=before.version,
            )
        try:
            self._replace_keys(mapping.customer_from_document(before.document), stored)
        except IntegrityError as clash:
            raise Conflict(
                f"customer {customer.code} clashes with a stored key: {_first_line(clash)}"
            ) from None
        return stored

    def remove(self, tenant: str, customer_id: str) -> None:
        self._work.writing(tenant)
        c = customers.c
        key = (c.tenant == tenant) & (c.id == customer_id)
        document = self._conn.execute(select(c.document).where(key)).scalar()
        if document is None:
            return
        self._replace_keys(mapping.customer_from_document(document), None)
        self._conn.execute(delete(customers).where(key))

    def _replace_keys(self, before: Customer, after: Customer | None) -> None:
        """Remove the key rows ``before`` held that ``after`` does not, by their keys, and
        add those it holds newly."""
        old = mapping.key_rows(before)
        new = mapping.key_rows(after) if after is not None else {}
        for table, _ in mapping.KEYED:
            held = [row for row in old.get(table, ()) if row not in new.get(table, ())]
            added = [row for row in new.get(table, ()) if row not in old.get(table, ())]
            if held:
                keys = [column.name for column in table.primary_key.columns]
                self._conn.execute(
                    _delete_by_key(table), [{f"k_{name}": row[name] for name in keys} for row in held]
                )
            if added:
                self._conn.execute(insert(table), added)

    # -- bulk methods for imports (ports.BulkCustomers) --------------------------------

    def add_many(self, new: Sequence[Customer]) -> None:
        """``add`` for many customers: one ``executemany`` per table, each table's rows in
        its key's order (neighbours in the index are written together). A code or key
        already taken fails the whole call with ``Conflict`` (the unique keys say so)."""
        for tenant in dict.fromkeys(customer.tenant for customer in new):
            self._work.writing(tenant)
        tables: dict[Table, builtins.list[dict[str, Any]]] = {customers: []}
        for customer in new:
            tables[customers].append(mapping.customer_row(customer))
            for table, rows in mapping.key_rows(customer).items():
                tables.setdefault(table, []).extend(rows)
        try:
            for table, rows in tables.items():
                if table is not customers:
                    keys = [column.name for column in table.primary_key.columns]
                    rows.sort(key=itemgetter(*keys))
                insert_rows(self._conn, table, rows)  # on the driver (docs/decisions/0015)
        except integrity_error(self._conn) as clash:
            raise Conflict(
                f"a customer of the batch clashes with a stored key: {_first_line(clash)}"
            ) from None
        self._work.storage.growth.added(self._conn, len(new))

    def holders_of_keys(
        self, tenant: str, keys: Collection[CustomerKey]
    ) -> dict[CustomerKey, builtins.list[str]]:
        """Holders of each key, as the one-key look-ups find them: a few statements per
        batch (one per kind of key and 500 keys; external references per system)."""
        self._work.writing(tenant)  # uniqueness look-ups, as find_by_tax_id
        wanted: dict[str, builtins.list[str]] = defaultdict(list)
        for kind, value in keys:
            wanted[kind].append(value)
        found: dict[CustomerKey, builtins.list[str]] = {}
        # "system:ref": every split at a colon, so a colon inside either part is found too.
        refs: dict[str, set[str]] = defaultdict(set)
        for value in wanted.get("external_ref", ()):
            for at in (index for index, ch in enumerate(value) if ch == ":"):
                refs[value[:at]].add(value[at + 1 :])
        asked: builtins.list[tuple[str, dict[str, str], Collection[str]]] = [
            (kind, {}, wanted.get(kind, ())) for kind in ("code", "email", "tax_id")
        ]
        asked += [("external_ref", {"system": system}, held) for system, held in sorted(refs.items())]
        for kind, more, given in asked:
            values = sorted(set(given))
            for start in range(0, len(values), _CHUNK):
                parameters = {"tenant": tenant, "values": values[start : start + _CHUNK], **more}
                for value, customer_id in self._conn.execute(PREPARED[f"holders_{kind}"], parameters):
                    key = (kind, f"{more['system']}:{value}" if more else value)
                    holders = found.setdefault(key, [])
                    if customer_id not in holders:
                        holders.append(customer_id)
        return found

    def look_alike_counts(self, tenant: str, starts: Collection[str]) -> dict[str, int]:
        """How many hold a name word with each start, up to one more than
        ``SIMILAR_CANDIDATES``: from the words index alone (no customer row is read),
        ``_STARTS_AT_ONCE`` starts a statement."""
        return {
            start: count for start, count in self._by_start(tenant, sorted(starts), "start_counts") if count
        }

    def look_alike_holders(
        self, tenant: str, starts: Collection[str]
    ) -> dict[str, builtins.list[tuple[str, str]]]:
        """Active customers ``(code, name)`` with a name word beginning with each start, at
        most ``SIMILAR_CANDIDATES`` a start: ``_STARTS_AT_ONCE`` starts a statement."""
        found: dict[str, builtins.list[tuple[str, str]]] = {start: [] for start in starts}
        for start, code, name in self._by_start(tenant, sorted(starts), "word_starts"):
            found[start].append((code, name))
        return found

    def _by_start(self, tenant: str, starts: Sequence[str], statement: str) -> Iterator[tuple[Any, ...]]:
        """The rows of a per-start statement (``:low<i>``, ``:high<i>`` a slot) for
        ``starts``, each with its start in place of its slot."""
        for first in range(0, len(starts), _STARTS_AT_ONCE):
            chunk = starts[first : first + _STARTS_AT_ONCE]
            parameters: dict[str, Any] = {"tenant": tenant}
            for slot in range(_STARTS_AT_ONCE):
                # Unused slots get an empty range; the statement stays the same (cached).
                low, high = prefix_range(chunk[slot]) if slot < len(chunk) else ("", "")
                parameters[f"low{slot}"] = low
                # The highest code point stands in for "no upper end".
                parameters[f"high{slot}"] = high if high is not None else chr(0x10FFFF) * 101
            for slot, *values in self._conn.execute(PREPARED[statement], parameters):
                if slot < len(chunk):
                    yield (chunk[slot], *values)

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
        return _by_code(
            self._many(select(c.document).where(c.tenant == tenant, c.status == "active", c.id.in_(holders)))
        )

    def find_by_external_ref(self, tenant: str, system: str, ref: str) -> Customer | None:
        self._work.writing(tenant)
        r = external_refs.c
        holder = select(r.customer_id).where(r.tenant == tenant, r.system == system, r.ref == ref)
        c = customers.c
        return self._one(select(c.document).where(c.tenant == tenant, c.id.in_(holder)))

    def find_by_email(self, tenant: str, email: str) -> Sequence[Customer]:
        c = customers.c
        active = (c.tenant == tenant) & (c.status == "active")
        return _by_code(self._many(select(c.document).where(active, c.email_lower == email.lower())))

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
        if is_fuzzy(query):
            return fuzzy_page(self._conn, tenant, query)
        rows = page_rows(self._conn, tenant, query)
        shown = rows[: max(query.limit, 0)]
        return page_of(self._load(shown), shown, more=len(rows) > len(shown), sort=query.sort)

    def count_using(
        self, tenant: str, *, payment_terms: str | None = None, price_list: str | None = None
    ) -> int:
        c, o = customers.c, overrides.c
        users = []
        for name, code in (("payment_terms", payment_terms), ("price_list", price_list)):
            if code is not None:
                users.append(select(c.id.label("customer_id")).where(c.tenant == tenant, c[name] == code))
                users.append(select(o.customer_id).where(o.tenant == tenant, o[name] == code))
        if not users:
            return 0
        count = select(func.count()).select_from(union(*users).subquery())
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
        """Customers for rows holding their ``document`` (one row each: consistent
        whatever commits meanwhile)."""
        return [mapping.customer_from_document(row.document) for row in rows]


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


def _by_code(found: builtins.list[Customer]) -> builtins.list[Customer]:
    """Customers in code order, sorted here: an ORDER BY code leads planners to walk
    every active customer in code order instead of looking the few holders up."""
    return sorted(found, key=lambda customer: customer.code)


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0]
