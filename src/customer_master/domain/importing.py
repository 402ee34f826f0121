"""Bulk import, the pure part (SPEC R-9.1 to R-9.4): which column of a file is which
field, the row's cells in the row format of ``columns.py``, and the keys that tell
whether a row is a customer already known.

A file's headers are matched to the row format by a **column mapping**: the format's own
names (``name``, ``address_city``…), a **preset** for a CRM export (Salesforce accounts,
HubSpot companies) or a mapping the user gives. A preset maps the CRM's record id to an
external reference, so importing the same export again finds every customer it created
(R-9.3).

A row is a duplicate when one of its **match keys** is held by a stored customer or by an
earlier row of the same file. The keys are tried in this order: the customer's own code
(a row of an export names it), an external reference, a compacted tax id, the e-mail
ignoring case (R-9.3).

>>> plan = PRESETS["salesforce"].plan(["Id", "Name", "BillingStreet", "BillingCountry", "OwnerId"])
>>> cells = plan.cells({"Id": "0015g00000XyZ", "Name": "Acme", "BillingStreet": "1 Main St\\nSuite 5",
...                     "BillingCountry": "Malaysia", "OwnerId": "005"})
>>> cells["external_ref_salesforce"], cells["address_line2"], cells["address_country"], cells["kind"]
('0015g00000XyZ', 'Suite 5', 'MY', 'company')
>>> [(k.kind, k.value) for k in match_keys(cells)]
[('external_ref', 'salesforce:0015g00000XyZ')]
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

from attrs import field, frozen

from customer_master.domain.columns import (
    REF_PREFIX,
    country_code,
    is_column,
    split_group_column,
)
from customer_master.domain.identifiers import InvalidValue, normalise_tax_id
from customer_master.errors import FieldError

OnDuplicate = Literal["skip", "update", "error"]
ON_DUPLICATE: tuple[OnDuplicate, ...] = ("skip", "update", "error")
MAX_BATCH = 1000

# A cell an export neutralised (``'=1+2``) reads back as written (``=1+2``).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What ``neutralised`` prefixes with an apostrophe: formulas, and the apostrophe itself.
_ESCAPED = (*FORMULA_STARTS, "'")


def header_key(header: str) -> str:
    """Headers compare by their letters and digits only: ``"Billing Street"``,
    ``"billing_street"`` and ``"BillingStreet"`` are one header."""
    return re.sub(r"[^0-9a-z]", "", header.lower())


def neutralised(text: str) -> str:
    """``text`` made safe for a spreadsheet: a cell that would start a formula gets a
    leading apostrophe (``=cmd|…`` → ``'=cmd|…``), and so does one that starts with an
    apostrophe itself (``'=…`` → ``''=…``, as a spreadsheet writes it), so that
    ``unneutralised`` gives back exactly ``text``.

    >>> [unneutralised(neutralised(text)) for text in ("=1+2", "'=1+2", "'", "plain")]
    ['=1+2', "'=1+2", "'", 'plain']
    """
    return "'" + text if text.startswith(_ESCAPED) else text


def unneutralised(text: str) -> str:
    """The cell as the customer master wrote it before ``neutralised``."""
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(_ESCAPED):
        return text[1:]
    return text


class SourceRow(dict[str, str]):
    """A row as a reader hands it over: text cells by header, the row's number in the
    file (the header is row 1, as a spreadsheet counts), and any problem the reader met
    (a row longer than the header, bytes that are not text); such a row fails."""

    def __init__(self, cells: Mapping[str, str], number: int, problems: Iterable[str] = ()) -> None:
        super().__init__(cells)
        self.number = number
        self.problems = tuple(problems)


# ---------------------------------------------------------------------------
# Column mappings and presets
# ---------------------------------------------------------------------------

# Special target: a multi-line street cell split into an address group's line1..line3.
_STREET = re.compile(r"^(address[0-9]*_)street$")


def _is_target(column: str) -> bool:
    return is_column(column) or _STREET.match(column) is not None


@frozen
class HeaderPlan:
    """How one file's headers become row-format cells: ``columns`` maps each header
    used to its column; ``ignored`` are headers the mapping does not know."""

    columns: Mapping[str, str]
    defaults: Mapping[str, str]
    ignored: tuple[str, ...]

    def cells(self, source: Mapping[str, str]) -> dict[str, str]:
        """The row's cells by row-format column: trimmed, neutralised formulas undone,
        a street split into lines, countries named in words made codes, defaults where
        a cell is blank. Only columns of the file (and defaults) appear, which is how an
        update tells a blank cell (clear it) from a column the file lacks (keep it)."""
        cells: dict[str, str] = {}
        for header, column in self.columns.items():
            text = unneutralised((source.get(header) or "").strip())
            street = _STREET.match(column)
            if street is not None:
                lines = [line.strip() for line in text.splitlines() if line.strip()]
                for index, name in enumerate(("line1", "line2", "line3")):
                    _put(cells, street.group(1) + name, lines[index] if index < len(lines) else "")
                if len(lines) > 3:
                    cells[street.group(1) + "line3"] = ", ".join(lines[2:])
                continue
            if column == "website" and text and "://" not in text and "." in text and " " not in text:
                text = "https://" + text
            parts = split_group_column(column)
            if parts is not None and parts[2] == "country" and text:
                text = country_code(text)
            _put(cells, column, text)
        for column, value in self.defaults.items():
            if not cells.get(column):
                cells[column] = value
        return cells

    def header_of(self, column: str) -> str:
        """The file's header that feeds a row-format column (what a problem names)."""
        for header, target in self.columns.items():
            street = _STREET.match(target)
            if target == column or (
                street is not None and column in {street.group(1) + n for n in ("line1", "line2", "line3")}
            ):
                return header
        return column


def _put(cells: dict[str, str], column: str, text: str) -> None:
    """Two headers may feed one column (``Id`` and ``Account ID``): the first filled wins."""
    if not cells.get(column):
        cells[column] = text


@frozen
class ColumnMapping:
    """Which header is which column. ``columns`` maps header keys (``header_key``) to
    row-format columns; headers not in it are matched to the row format by name unless
    ``only_mapped`` (a preset reads just the CRM columns it knows). ``defaults`` fill
    blank cells, e.g. ``{"kind": "company", "legal_entity": "MY01"}``."""

    name: str = "customer-master"
    columns: Mapping[str, str] = field(factory=dict)
    defaults: Mapping[str, str] = field(factory=dict)
    only_mapped: bool = False

    def plan(self, headers: Sequence[str]) -> HeaderPlan:
        """The plan for a file with ``headers``."""
        by_key = {header_key(k): v for k, v in self.columns.items()}
        columns: dict[str, str] = {}
        ignored: list[str] = []
        for header in headers:
            target = by_key.get(header_key(header))
            if target is None and not self.only_mapped:
                target = _row_format_name(header)
            if target:
                columns[header] = target
            elif header.strip():
                ignored.append(header)
        return HeaderPlan(columns, dict(self.defaults), tuple(ignored))

    def with_defaults(self, defaults: Mapping[str, str]) -> ColumnMapping:
        return ColumnMapping(self.name, self.columns, {**self.defaults, **defaults}, self.only_mapped)


def _row_format_name(header: str) -> str | None:
    name = re.sub(r"[\s\-]+", "_", header.strip().lower())
    return name if is_column(name) else None


def mapping_from(data: Mapping[str, Any], base: ColumnMapping | None = None) -> ColumnMapping:
    """A user's mapping: ``{"columns": {header: column}, "defaults": {column: value}}``
    or just ``{header: column}``; ``"preset": "salesforce"`` starts from a preset.
    Raises ``ValueError`` naming every target that is not a column."""
    columns = data.get("columns", data if "defaults" not in data and "preset" not in data else {})
    defaults = data.get("defaults", {})
    if not isinstance(columns, Mapping) or not isinstance(defaults, Mapping):
        raise ValueError('a mapping is {"columns": {header: column}, "defaults": {column: value}}')
    preset_name = data.get("preset")
    if preset_name is not None:
        if preset_name not in PRESETS:
            raise ValueError(f"no preset {preset_name!r} (known: {', '.join(sorted(PRESETS))})")
        base = PRESETS[str(preset_name)]
    wrong = [f"{h} → {c}" for h, c in columns.items() if c and not _is_target(str(c))]
    wrong += [f"default {c}" for c in defaults if not is_column(str(c))]
    if wrong:
        raise ValueError(f"not columns of a customer row: {', '.join(wrong)}")
    start = base or ColumnMapping()
    return ColumnMapping(
        name="custom" if base is None else f"{start.name}+custom",
        columns={**start.columns, **{str(h): str(c) for h, c in columns.items() if c}},
        defaults={**start.defaults, **{str(c): str(v) for c, v in defaults.items()}},
        only_mapped=start.only_mapped,
    )


def _crm_address(prefix: str, words: str) -> dict[str, str]:
    """Salesforce's ``BillingStreet``… / ``ShippingStreet``… columns for one group."""
    return {
        f"{words}Street": f"{prefix}street",
        f"{words}City": f"{prefix}city",
        f"{words}State": f"{prefix}state",
        f"{words} State/Province": f"{prefix}state",
        f"{words}PostalCode": f"{prefix}postal_code",
        f"{words} Zip/Postal Code": f"{prefix}postal_code",
        f"{words}Country": f"{prefix}country",
        f"{words}CountryCode": f"{prefix}country",
    }


PRESETS: Mapping[str, ColumnMapping] = {
    # Salesforce accounts, by API name (Data Loader) or by label (report export).
    "salesforce": ColumnMapping(
        name="salesforce",
        columns={
            "Id": REF_PREFIX + "salesforce",
            "Account ID": REF_PREFIX + "salesforce",
            "Name": "name",
            "Account Name": "name",
            "Phone": "phone",
            "Website": "website",
            "Industry": "industry",
            "Description": "notes",
            **_crm_address("address_", "Billing"),
            **_crm_address("address2_", "Shipping"),
        },
        defaults={"kind": "company"},
        only_mapped=True,
    ),
    # HubSpot companies, as the CRM's export writes them.
    "hubspot": ColumnMapping(
        name="hubspot",
        columns={
            "Record ID": REF_PREFIX + "hubspot",
            "Company name": "name",
            "Name": "name",
            "Phone Number": "phone",
            "Website URL": "website",
            "Company Domain Name": "website",
            "Industry": "industry",
            "Description": "notes",
            "Street Address": "address_line1",
            "Street Address 2": "address_line2",
            "City": "address_city",
            "State/Region": "address_state",
            "Postal Code": "address_postal_code",
            "Country/Region": "address_country",
        },
        defaults={"kind": "company"},
        only_mapped=True,
    ),
}


# ---------------------------------------------------------------------------
# Match keys
# ---------------------------------------------------------------------------

KeyKind = Literal["code", "external_ref", "tax_id", "email"]


@frozen
class MatchKey:
    """One key of a row: ``kind``, its normal ``value`` and the column it came from."""

    kind: KeyKind
    value: str
    column: str

    def describe(self) -> str:
        """The key in words: ``e-mail ap@acme.example``."""
        if self.kind == "external_ref":
            system, _, ref = self.value.partition(":")
            return f"{system} reference {ref}"
        return {"code": "code", "tax_id": "tax id", "email": "e-mail"}[self.kind] + f" {self.value}"


def match_keys(cells: Mapping[str, str]) -> tuple[MatchKey, ...]:
    """The row's keys in the order they are tried: code, external references, compacted
    tax ids, e-mail in lower case. A tax id that does not validate gives no key (the
    row fails validation anyway)."""
    keys: list[MatchKey] = []
    if cells.get("code", "").strip():
        keys.append(MatchKey("code", cells["code"].strip().upper(), "code"))
    for column, text in cells.items():
        if column.startswith(REF_PREFIX) and text.strip():
            system = column[len(REF_PREFIX) :].lower()
            keys.append(MatchKey("external_ref", f"{system}:{text.strip()}", column))
    for column, text in cells.items():
        parts = split_group_column(column)
        if parts is None or parts[0] != "tax_ids" or parts[2] != "number" or not text.strip():
            continue
        scheme = cells.get(column[: -len("number")] + "scheme", "").strip().lower()
        if not scheme:
            continue
        try:
            keys.append(MatchKey("tax_id", normalise_tax_id(scheme, text), column))
        except InvalidValue:
            continue
    if cells.get("email", "").strip():
        keys.append(MatchKey("email", cells["email"].strip().lower(), "email"))
    return tuple(keys)


class SeenKeys:
    """The keys of rows already imported from this file, each with the first row that
    had it (within-file duplicates, R-9.3).

    A file may have a million rows, so keys are kept as 64-bit hashes in two flat arrays
    (open addressing, about 20 bytes a key) instead of a dict of strings; two different
    keys sharing a hash is a one-in-10¹² chance for a million rows. Keys of the batch in
    hand wait in ``pending`` until the batch commits (``commit``) or is rolled back
    (``discard``).

    >>> seen = SeenKeys()
    >>> key = MatchKey("email", "ap@acme.example", "email")
    >>> seen.add([key], row=2); seen.first_row([key])
    (MatchKey(kind='email', value='ap@acme.example', column='email'), 2)
    >>> seen.discard(); seen.first_row([key]) is None
    True
    """

    def __init__(self, capacity: int = 1024) -> None:
        self._hashes = array("q", [0]) * capacity
        self._rows = array("i", [0]) * capacity
        self._used = 0
        self.pending: dict[int, int] = {}

    def first_row(self, keys: Iterable[MatchKey]) -> tuple[MatchKey, int] | None:
        """The first of ``keys`` an earlier row had, with that row's number."""
        for key in keys:
            digest = _digest(key)
            row = self.pending.get(digest) or self._find(digest)
            if row:
                return key, row
        return None

    def add(self, keys: Iterable[MatchKey], *, row: int) -> None:
        """Remember ``keys`` as ``row``'s (an earlier row keeps a key it had first)."""
        for key in keys:
            digest = _digest(key)
            if digest not in self.pending and not self._find(digest):
                self.pending[digest] = row

    def commit(self) -> None:
        for digest, row in self.pending.items():
            self._insert(digest, row)
        self.pending.clear()

    def discard(self) -> None:
        self.pending.clear()

    def _slot(self, digest: int) -> int:
        mask = len(self._hashes) - 1
        slot = digest & mask
        while self._hashes[slot] not in (0, digest):
            slot = (slot + 1) & mask
        return slot

    def _find(self, digest: int) -> int:
        return self._rows[self._slot(digest)]

    def _insert(self, digest: int, row: int) -> None:
        if (self._used + 1) * 10 > len(self._hashes) * 6:
            self._grow()
        slot = self._slot(digest)
        if self._hashes[slot] == 0:
            self._used += 1
        self._hashes[slot], self._rows[slot] = digest, row

    def _grow(self) -> None:
        hashes, rows = self._hashes, self._rows
        self._hashes = array("q", [0]) * (len(hashes) * 2)
        self._rows = array("i", [0]) * (len(rows) * 2)
        self._used = 0
        for digest, row in zip(hashes, rows, strict=True):
            if digest:
                self._insert(digest, row)


def _digest(key: MatchKey) -> int:
    return hash((key.kind, key.value)) or 1


# ---------------------------------------------------------------------------
# Options
# ---------------------------------------------------------------------------


@frozen(kw_only=True)
class ImportOptions:
    """``on_duplicate``: what a row matching a known customer does — ``skip`` it, ``update``
    the customer, or fail as an ``error``. ``batch_size``: rows per unit of work (1–1000).
    ``stop_on_error``: the first failed row ends the import (the rows before it stay).
    ``validate_only``: a dry run that reports everything and writes nothing."""

    on_duplicate: OnDuplicate = "skip"
    batch_size: int = 100
    stop_on_error: bool = False
    validate_only: bool = False
    mapping: ColumnMapping = field(factory=ColumnMapping)

    def problems(self) -> list[FieldError]:
        """What is wrong with these options."""
        errors = []
        if self.on_duplicate not in ON_DUPLICATE:
            errors.append(
                FieldError("on_duplicate", "not_allowed", f"must be one of: {', '.join(ON_DUPLICATE)}")
            )
        if isinstance(self.batch_size, bool) or not 1 <= self.batch_size <= MAX_BATCH:
            errors.append(
                FieldError("batch_size", "out_of_range", f"must be a whole number from 1 to {MAX_BATCH}")
            )
        return errors

    def to_data(self) -> dict[str, Any]:
        """Plain data, as a change request stores the options of an import."""
        return {
            "on_duplicate": self.on_duplicate,
            "batch_size": self.batch_size,
            "stop_on_error": self.stop_on_error,
            "mapping": {
                "name": self.mapping.name,
                "columns": dict(self.mapping.columns),
                "defaults": dict(self.mapping.defaults),
                "only_mapped": self.mapping.only_mapped,
            },
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> ImportOptions:
        mapping = data.get("mapping", {})
        return cls(
            on_duplicate=data.get("on_duplicate", "skip"),
            batch_size=int(data.get("batch_size", 100)),
            stop_on_error=bool(data.get("stop_on_error", False)),
            mapping=ColumnMapping(
                name=str(mapping.get("name", "customer-master")),
                columns=dict(mapping.get("columns", {})),
                defaults=dict(mapping.get("defaults", {})),
                only_mapped=bool(mapping.get("only_mapped", False)),
            ),
        )
