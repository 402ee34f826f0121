"""Bulk import, the pure part (SPEC R-9.1 to R-9.4): which column of a file is which
field, the row's cells in the row format of ``columns.py``, and the keys that tell
whether a row is a customer already known.

A file's headers are matched to the row format by a **column mapping** (``mapping.py``):
the format's own names (``name``, ``address_city``…), a **preset** for a CRM export
(Salesforce accounts, HubSpot companies, ``presets.py``) or a mapping the user gives. A
preset maps the CRM's record id to an external reference, so importing the same export
again finds every customer it created (R-9.3).

A row is a duplicate when one of its **match keys** is held by a stored customer or by an
earlier row of the same file. The keys are tried in this order: the customer's own code
(a row of an export names it), an external reference, a compacted tax id, the e-mail
ignoring case (R-9.3).

>>> plan = PRESETS["salesforce"].plan(["Id", "Name", "BillingStreet", "BillingCountry", "OwnerId"])
>>> cells = plan.cells({"Id": "0015g00000XyZ", "Name": "Acme", "BillingStreet": "1 Main St\\nSuite 5",
...                     "BillingCountry": "Malaysia", "OwnerId": "005"})
>>> cells["external_ref_salesforce"], cells["address_line2"], cells["address_country"], cells["kind"]
('0015g00000XyZ', 'Suite 5', 'Malaysia', 'company')
>>> [(k.kind, k.value) for k in match_keys(cells)]
[('external_ref', 'salesforce:0015g00000XyZ')]
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Mapping
from typing import Any, Literal

from attrs import field, frozen

from customer_master.domain.columns import REF_PREFIX, split_group_column
from customer_master.domain.identifiers import InvalidValue, normalise_tax_id
from customer_master.domain.mapping import (
    FORMULA_STARTS,
    ColumnMapping,
    HeaderPlan,
    header_key,
    neutralised,
    unneutralised,
)
from customer_master.domain.presets import PRESETS, mapping_from
from customer_master.errors import FieldError

__all__ = [
    "FORMULA_STARTS",
    "MAX_BATCH",
    "ON_DUPLICATE",
    "PRESETS",
    "ColumnMapping",
    "HeaderPlan",
    "ImportOptions",
    "MatchKey",
    "SeenKeys",
    "SourceRow",
    "header_key",
    "mapping_from",
    "match_keys",
    "neutralised",
    "unneutralised",
]

OnDuplicate = Literal["skip", "update", "error"]
ON_DUPLICATE: tuple[OnDuplicate, ...] = ("skip", "update", "error")
MAX_BATCH = 1000


class SourceRow(dict[str, str]):
    """A row as a reader hands it over: text cells by header, the row's number in the
    file (the header is row 1, as a spreadsheet counts), and any problem the reader met
    (a row longer than the header, bytes that are not text); such a row fails."""

    def __init__(self, cells: Mapping[str, str], number: int, problems: Iterable[str] = ()) -> None:
        super().__init__(cells)
        self.number = number
        self.problems = tuple(problems)


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
            "mapping": self.mapping.to_data(),
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> ImportOptions:
        mapping = data.get("mapping", {})
        return cls(
            on_duplicate=data.get("on_duplicate", "skip"),
            batch_size=int(data.get("batch_size", 100)),
            stop_on_error=bool(data.get("stop_on_error", False)),
            mapping=ColumnMapping.from_data(mapping),
        )
