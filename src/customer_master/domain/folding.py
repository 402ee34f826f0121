"""Rows of one file that are one customer (SPEC R-9.5, R-9.6).

Two rows of a file are the same customer when they share a match key (``importing.
match_keys``: code, external reference, tax id, e-mail), directly or through other rows:
row 2 and row 9 share an e-mail, row 9 and row 30 a reference — rows 2, 9 and 30 are one
customer. An import that updates duplicates folds such rows, in file order, into one
change of that customer, so importing the same file again finds nothing to change.

A file may have a million rows: keys are kept as the hashes ``SeenKeys`` keeps, and only
rows that share a key enter the grouping.

>>> from customer_master.domain.importing import MatchKey
>>> groups = FileGroups()
>>> email, ref = MatchKey("email", "ap@acme.example", "email"), MatchKey("external_ref", "crm:1", "")
>>> groups.add(2, [email]); groups.add(5, [MatchKey("email", "x@y.example", "email")])
>>> groups.add(9, [email, ref]); groups.add(30, [ref])
>>> groups.span(2), groups.span(9), groups.span(30), groups.span(5)
((2, 30), (2, 30), (2, 30), None)
"""

from __future__ import annotations

from collections.abc import Iterable

from customer_master.domain.importing import MatchKey, SeenKeys


class FileGroups:
    """The rows of a file grouped by the customer they are (module docstring)."""

    def __init__(self) -> None:
        self._first = SeenKeys()
        self._parent: dict[int, int] = {}  # only rows that share a key
        self._last: dict[int, int] = {}  # a group's first row → its last row

    def add(self, row: int, keys: Iterable[MatchKey]) -> None:
        """Row ``row`` (rows come in file order) holds ``keys``."""
        held = list(keys)
        earlier = {found[1] for key in held if (found := self._first.first_row([key])) is not None}
        self._first.add(held, row=row)
        self._first.commit()
        for other in earlier:
            self._join(other, row)

    def span(self, row: int) -> tuple[int, int] | None:
        """The first and last row of the group ``row`` is in; ``None`` when no other row
        of the file is the same customer."""
        if row not in self._parent:
            return None
        first = self._root(row)
        return first, self._last[first]

    def _join(self, earlier: int, row: int) -> None:
        for member in (earlier, row):
            if member not in self._parent:
                self._parent[member] = member
                self._last[member] = member
        first, second = sorted((self._root(earlier), self._root(row)))
        if first != second:
            self._parent[second] = first
            self._last[first] = max(self._last[first], self._last.pop(second))

    def _root(self, row: int) -> int:
        while self._parent[row] != row:
            self._parent[row] = self._parent[self._parent[row]]
            row = self._parent[row]
        return row
