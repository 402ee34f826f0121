"""The customer as one spreadsheet row (SPEC R-9.1, R-9.6): the columns an export writes
and an import reads, so that export → edit → import changes exactly what was edited.

Master fields are columns of the same name. Lists (tags, purposes, roles, entities) are
written ``a; b``. Repeated records are column groups numbered from the second on:
``address_city``, ``address2_city``…, ``contact_email``, ``contact2_email``…,
``tax_id_scheme``/``tax_id_number``, ``tax_id2_…``. External references are
``external_ref_<system>`` (``external_ref_salesforce``), dimensions ``dimension_<type>``,
and custom metadata one ``metadata`` column holding a JSON object, or one tenant custom
field a column: ``custom_<field>`` (what an import reads; the reader gives the cell its
field's type, R-1.3).

>>> from customer_master.domain.customer import Address, Customer
>>> c = Customer(id="c1", tenant="t", code="CUS-0001", name="Kedai Ali", kind="individual",
...              legal_entity="MY01", tags=("pos", "walk-in"),
...              addresses=(Address(id="a1", purposes=("billing",), line1="1 Jalan Ampang",
...                                 city="Kuala Lumpur", country="MY"),))
>>> cells = cells_of(c, layout_of([c]))
>>> cells["tags"], cells["address_line1"], cells["address_country"]
('pos; walk-in', '1 Jalan Ampang', 'MY')
>>> payload, _, problems = new_payload(cells)
>>> payload["tags"], payload["addresses"][0]["city"], problems
(['pos', 'walk-in'], 'Kuala Lumpur', [])
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from attrs import define, field, frozen

from customer_master.domain.customer import CLASSIFIED_FIELDS, Customer
from customer_master.domain.reading import shown
from customer_master.domain.records import ADDRESS_FIELDS
from customer_master.errors import FieldError

# Master fields, one column each, in the order an export writes them.
MASTER_COLUMNS = (
    "code",
    "name",
    "kind",
    "legal_entity",
    "alternate_name",
    "legal_name",
    "email",
    "billing_email",
    "phone",
    "website",
    "customer_type",
    *CLASSIFIED_FIELDS,
    "tags",
    "currency",
    "payment_terms",
    "credit_limit",
    "price_list",
    "tax_code",
    "revenue_account",
    "receivable_account",
    "salesperson",
    "prospect_ref",
    "notes",
    "enabled_entities",
)
LIST_COLUMNS = frozenset({"tags", "enabled_entities"})
METADATA = "metadata"
REF_PREFIX = "external_ref_"
DIMENSION_PREFIX = "dimension_"
CUSTOM_PREFIX = "custom_"

# Repeated records: collection → (column base, its fields in export order).
GROUPS: Mapping[str, tuple[str, tuple[str, ...]]] = {
    "tax_ids": ("tax_id", ("scheme", "number", "is_primary")),
    "addresses": ("address", tuple(f for f in ADDRESS_FIELDS if f != "id")),
    "contacts": ("contact", ("name", "roles", "email", "phone", "is_primary")),
}
GROUP_LISTS = frozenset({"purposes", "default_for", "roles"})
GROUP_FLAGS = frozenset({"is_primary"})
_GROUP_BY_BASE = {base: collection for collection, (base, _) in GROUPS.items()}
_GROUP_COLUMN = re.compile(r"^(tax_id|address|contact)([2-9]|[1-9][0-9])?_([a-z0-9_]+)$")
# The purposes an address group gets when its purposes cell is blank: the first address
# bills, the second ships, further ones are sites (and each is the default for them).
_DEFAULT_PURPOSES = ("billing", "shipping")

_TRUE = frozenset({"yes", "y", "true", "1", "x"})
_FALSE = frozenset({"no", "n", "false", "0", ""})


def group_prefix(collection: str, number: int) -> str:
    """``group_prefix("addresses", 2) == "address2_"`` (the first group has no number)."""
    base = GROUPS[collection][0]
    return f"{base}_" if number == 1 else f"{base}{number}_"


@lru_cache(maxsize=4096)
def split_group_column(column: str) -> tuple[str, int, str] | None:
    """``("addresses", 2, "city")`` for ``address2_city``; ``None`` for other columns
    (kept: an import asks it of every cell of every row, and a file has few columns)."""
    found = _GROUP_COLUMN.match(column)
    if found is None:
        return None
    collection = _GROUP_BY_BASE[found.group(1)]
    name = found.group(3)
    if name not in GROUPS[collection][1]:
        return None
    return collection, int(found.group(2) or 1), name


def is_column(column: str) -> bool:
    """Is ``column`` part of the row format?"""
    return (
        column in MASTER_COLUMNS
        or column == METADATA
        or (column.startswith(REF_PREFIX) and len(column) > len(REF_PREFIX))
        or (column.startswith(DIMENSION_PREFIX) and len(column) > len(DIMENSION_PREFIX))
        or (column.startswith(CUSTOM_PREFIX) and len(column) > len(CUSTOM_PREFIX))
        or split_group_column(column) is not None
    )


# ---------------------------------------------------------------------------
# Export: customer → cells
# ---------------------------------------------------------------------------


@define
class Layout:
    """The columns of an export: as many groups as the widest customer needs, every
    reference system and dimension type in use, less the columns the reader may not see
    (a masked column is left out, so re-importing the file cannot blank it)."""

    groups: dict[str, int] = field(factory=lambda: dict.fromkeys(GROUPS, 0))
    systems: dict[str, None] = field(factory=dict)
    dimension_types: dict[str, None] = field(factory=dict)
    hidden: set[str] = field(factory=set)

    def widen(self, customer: Customer) -> None:
        """Make room for ``customer``'s records."""
        for collection in GROUPS:
            self.groups[collection] = max(self.groups[collection], len(getattr(customer, collection)))
        self.systems.update(dict.fromkeys(r.system for r in customer.external_refs))
        self.dimension_types.update(dict.fromkeys(d.type for d in customer.dimensions))
        self.hidden.update(name for name in customer.masked if name in MASTER_COLUMNS)

    def columns(self) -> tuple[str, ...]:
        master = [c for c in MASTER_COLUMNS if c not in self.hidden]
        refs = [REF_PREFIX + s for s in sorted(self.systems)]
        dimensions = [DIMENSION_PREFIX + d for d in sorted(self.dimension_types)]
        grouped = [
            group_prefix(collection, number) + name
            for collection, (_, names) in GROUPS.items()
            for number in range(1, self.groups[collection] + 1)
            for name in names
        ]
        return (*master, *refs, *dimensions, METADATA, *grouped)


def layout_of(customers: Iterable[Customer]) -> Layout:
    """The layout that fits every customer of ``customers``."""
    layout = Layout()
    for customer in customers:
        layout.widen(customer)
    return layout


def cells_of(customer: Customer, layout: Layout) -> dict[str, str]:
    """The customer as text cells for ``layout.columns()`` (blank for nothing)."""
    cells = {name: _cell(getattr(customer, name)) for name in MASTER_COLUMNS if name not in layout.hidden}
    refs = {r.system: r.ref for r in customer.external_refs}
    cells.update({REF_PREFIX + s: refs.get(s, "") for s in layout.systems})
    dimensions = {d.type: d.value for d in customer.dimensions}
    cells.update({DIMENSION_PREFIX + t: dimensions.get(t, "") for t in layout.dimension_types})
    cells[METADATA] = json.dumps(dict(customer.metadata), sort_keys=True) if customer.metadata else ""
    for collection, (_, names) in GROUPS.items():
        records = getattr(customer, collection)
        for number in range(1, layout.groups[collection] + 1):
            record = records[number - 1] if number <= len(records) else None
            prefix = group_prefix(collection, number)
            for name in names:
                cells[prefix + name] = "" if record is None else _cell(getattr(record, name))
    return cells


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (tuple, frozenset, list)):
        return "; ".join(sorted(value) if isinstance(value, frozenset) else value)
    return str(value)


# ---------------------------------------------------------------------------
# Import: cells → payload
# ---------------------------------------------------------------------------

# Where each payload item came from: collection → the column (or column prefix) of each
# item, in payload order, so a problem at ``addresses[1].city`` names ``address2_city``.
Sources = dict[str, list[str]]


@frozen
class _Groups:
    """The group cells of one row: collection → group number → field → text."""

    cells: Mapping[str, Mapping[int, Mapping[str, str]]]

    @classmethod
    def of(cls, cells: Mapping[str, str]) -> _Groups:
        found: dict[str, dict[int, dict[str, str]]] = {c: {} for c in GROUPS}
        for column, text in cells.items():
            parts = split_group_column(column)
            if parts is not None:
                collection, number, name = parts
                found[collection].setdefault(number, {})[name] = text
        return cls(found)


def new_payload(cells: Mapping[str, str]) -> tuple[dict[str, Any], Sources, list[FieldError]]:
    """A create payload from a row's cells (blank cells are left out), where each item
    came from, and the problems of cells that cannot be read at all (bad JSON, a flag
    that is neither yes nor no)."""
    problems: list[FieldError] = []
    payload: dict[str, Any] = {}
    for name in MASTER_COLUMNS:
        text = cells.get(name, "")
        if text:
            payload[name] = _split(text) if name in LIST_COLUMNS else text
    sources: Sources = {}
    refs = _prefixed(cells, REF_PREFIX)
    if refs:
        payload["external_refs"] = [{"system": s, "ref": r} for s, r in refs.items()]
        sources["external_refs"] = [REF_PREFIX + s for s in refs]
    dimensions = _prefixed(cells, DIMENSION_PREFIX)
    if dimensions:
        payload["dimensions"] = [{"type": t, "value": v} for t, v in dimensions.items()]
        sources["dimensions"] = [DIMENSION_PREFIX + t for t in dimensions]
    metadata = _metadata(cells.get(METADATA, ""), problems) | _prefixed(cells, CUSTOM_PREFIX)
    if metadata:
        payload["metadata"] = metadata
    groups = _Groups.of(cells)
    for collection in GROUPS:
        items, numbers = [], []
        for number, record_cells in sorted(groups.cells[collection].items()):
            if any(record_cells.values()):
                items.append(_record(collection, number, record_cells, problems, adding=True))
                numbers.append(number)
        if items:
            payload[collection] = items
            sources[collection] = [group_prefix(collection, n) for n in numbers]
    return payload, sources, problems


def changes_for(
    customer: Customer, cells: Mapping[str, str]
) -> tuple[dict[str, Any], Sources, list[FieldError]]:
    """The partial update that makes ``customer`` what the row says (R-9.6).

    Only columns present in the row count. A blank cell clears its field; a blank group
    removes the customer's record at that position; a filled group changes the record at
    its position, or adds one."""
    problems: list[FieldError] = []
    changes: dict[str, Any] = {}
    for name in MASTER_COLUMNS:
        if name in cells and name not in ("code", "enabled_entities"):
            text = cells[name]
            changes[name] = (_split(text) if name in LIST_COLUMNS else text) if text else None
    if "enabled_entities" in cells and set(_split(cells["enabled_entities"])) != customer.enabled_entities:
        message = "is changed by enabling or disabling the customer for an entity, not by an import"
        problems.append(FieldError("enabled_entities", "read_only", message))
    sources: Sources = {}
    ref_columns = {c[len(REF_PREFIX) :]: t for c, t in cells.items() if c.startswith(REF_PREFIX)}
    if ref_columns:
        refs = {r.system: r.ref for r in customer.external_refs}
        refs.update({s.lower(): t for s, t in ref_columns.items()})
        kept = {s: r for s, r in refs.items() if r}
        changes["external_refs"] = [{"system": s, "ref": r} for s, r in kept.items()]
        sources["external_refs"] = [REF_PREFIX + s for s in kept]
    dimension_columns = {
        c[len(DIMENSION_PREFIX) :]: t for c, t in cells.items() if c.startswith(DIMENSION_PREFIX)
    }
    if dimension_columns:
        values = {d.type: d.value for d in customer.dimensions} | dimension_columns
        kept = {t: v for t, v in values.items() if v}
        changes["dimensions"] = [{"type": t, "value": v} for t, v in kept.items()]
        sources["dimensions"] = [DIMENSION_PREFIX + t for t in kept]
    custom = {c[len(CUSTOM_PREFIX) :]: t for c, t in cells.items() if c.startswith(CUSTOM_PREFIX)}
    if METADATA in cells or custom:
        metadata = _metadata(cells[METADATA], problems) if METADATA in cells else dict(customer.metadata)
        for name, text in custom.items():  # a blank custom cell clears its field
            if text:
                metadata[name] = text
            else:
                metadata.pop(name, None)
        changes["metadata"] = metadata
    groups = _Groups.of(cells)
    for collection in GROUPS:
        actions, prefixes = _group_actions(customer, collection, groups.cells[collection], problems)
        if actions:
            changes[collection] = actions
            sources[collection] = prefixes
    return changes, sources, problems


def _group_actions(
    customer: Customer,
    collection: str,
    groups: Mapping[int, Mapping[str, str]],
    problems: list[FieldError],
) -> tuple[list[dict[str, Any]], list[str]]:
    existing = getattr(customer, collection)
    actions: list[dict[str, Any]] = []
    prefixes: list[str] = []
    for number, record_cells in sorted(groups.items()):
        current = existing[number - 1] if number <= len(existing) else None
        if not any(record_cells.values()):
            if current is not None:
                actions.append({"action": "delete", "id": current.id})
                prefixes.append(group_prefix(collection, number))
            continue
        if current is None:
            record = _record(collection, number, record_cells, problems, adding=True)
            actions.append({"action": "add", **record})
        else:
            record = _record(collection, number, record_cells, problems, adding=False)
            actions.append({"action": "update", "id": current.id, **record})
        prefixes.append(group_prefix(collection, number))
    return actions, prefixes


def _record(
    collection: str, number: int, cells: Mapping[str, str], problems: list[FieldError], *, adding: bool
) -> dict[str, Any]:
    """One related record from its group's cells; when adding, blank cells are left out
    and an address without purposes gets the group's usual ones."""
    prefix = group_prefix(collection, number)
    record: dict[str, Any] = {}
    for name, text in cells.items():
        if name in GROUP_FLAGS:
            record[name] = _flag(text, prefix + name, problems)
        elif name in GROUP_LISTS:
            record[name] = _split(text)
        else:
            record[name] = text or None
    if adding:
        record = {k: v for k, v in record.items() if v not in (None, [])}
        if collection == "addresses" and not record.get("purposes"):
            purposes = [_DEFAULT_PURPOSES[number - 1]] if number <= len(_DEFAULT_PURPOSES) else ["site"]
            record["purposes"] = purposes
            record.setdefault("default_for", purposes)
    return record


def _prefixed(cells: Mapping[str, str], prefix: str) -> dict[str, str]:
    return {c[len(prefix) :]: t for c, t in cells.items() if c.startswith(prefix) and t}


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def _flag(text: str, column: str, problems: list[FieldError]) -> bool:
    word = text.strip().lower()
    if word in _TRUE:
        return True
    if word not in _FALSE:
        problems.append(FieldError(column, "not_a_boolean", f"{shown(text)} must be yes or no"))
    return False


def _metadata(text: str, problems: list[FieldError]) -> dict[str, Any]:
    if not text.strip():
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if not isinstance(value, dict):
        problems.append(
            FieldError(
                METADATA, "not_an_object", f'{shown(text)} must be a JSON object, e.g. {{"size": "large"}}'
            )
        )
        return {}
    return value


def column_of(path: str, sources: Sources) -> str:
    """The column a payload problem at ``path`` belongs to: ``addresses[1].city`` with
    the second item from group 2 is ``address2_city``; a problem with a whole
    collection names its first group's key column."""
    head, _, rest = path.partition(".")
    found = re.match(r"^([a-z_]+)(?:\[(\d+)\])?$", head)
    if found is None:
        return ""
    name, index = found.group(1), found.group(2)
    if name == METADATA:
        return METADATA
    if index is None:
        if name in GROUPS:
            return group_prefix(name, 1) + _COLLECTION_KEY[name]
        return name
    items = sources.get(name, [])
    source = items[int(index)] if int(index) < len(items) else ""
    if name not in GROUPS:
        return source or name
    field_name = rest.split(".")[0].split("[")[0]
    return (source or group_prefix(name, 1)) + (field_name or _COLLECTION_KEY[name])


_COLLECTION_KEY = {"addresses": "default_for", "contacts": "is_primary", "tax_ids": "number"}
