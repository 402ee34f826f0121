"""What an import reports (SPEC R-9.2, R-9.5): the outcome of every row — created,
updated, skipped or failed, with each problem's row number, column and message — the
counts, and the same as JSON and as a CSV report.

>>> result = ImportResult()
>>> result.add(RowOutcome(row=2, outcome="created", customer="CUS-0001"))
>>> result.add(RowOutcome(row=3, outcome="failed",
...     problems=(RowProblem("email", "invalid", "is not a valid e-mail address"),)))
>>> result.counts
{'created': 1, 'updated': 0, 'skipped': 0, 'failed': 1}
>>> print(result.to_csv().strip())
row,outcome,customer,column,code,message
2,created,CUS-0001,,,
3,failed,,email,invalid,is not a valid e-mail address
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Literal

from attrs import define, field, frozen

from customer_master.domain.approvals import ChangeRequest
from customer_master.domain.serialize import to_data

Outcome = Literal["created", "updated", "skipped", "failed"]
OUTCOMES: tuple[Outcome, ...] = ("created", "updated", "skipped", "failed")
REPORT_COLUMNS = ("row", "outcome", "customer", "column", "code", "message")


@frozen
class RowProblem:
    """A problem (or warning) of one row: the file's column, a stable code, a message."""

    column: str
    code: str
    message: str


@frozen(kw_only=True)
class RowOutcome:
    """What became of one row. ``customer`` is the code of the customer it created,
    updated or matched; ``message`` says why a row was skipped or failed as a whole."""

    row: int
    outcome: Outcome
    customer: str | None = None
    message: str = ""
    problems: tuple[RowProblem, ...] = ()
    warnings: tuple[RowProblem, ...] = ()

    def report_lines(self) -> Iterator[dict[str, str]]:
        """The row's lines in the CSV report: one per problem and warning, or one."""
        base = {"row": str(self.row), "outcome": self.outcome, "customer": self.customer or ""}
        notes = [*self.problems, *(RowProblem(w.column, w.code, w.message) for w in self.warnings)]
        if self.message:
            yield {**base, "column": "", "code": "", "message": self.message}
        for note in notes:
            yield {**base, "column": note.column, "code": note.code, "message": note.message}
        if not notes and not self.message:
            yield {**base, "column": "", "code": "", "message": ""}


OutcomeSink = Callable[[RowOutcome], None]

IGNORED_MESSAGE = "no field takes this column: its cells were not imported"


def ignored_lines(columns: Iterable[str]) -> Iterator[dict[str, str]]:
    """The CSV report's opening lines: one per column of the file nothing took, without
    a row (it concerns the whole file)."""
    for column in columns:
        yield {"row": "", "outcome": "", "customer": "", "column": column, "code": "ignored_column",
               "message": IGNORED_MESSAGE}  # fmt: skip


@define
class ImportResult:
    """Counts and per-row outcomes of an import. When the caller streams outcomes
    elsewhere (``keep_outcomes=False``, a million-row file), only the counts and the
    first ``kept_failures`` failures are kept here."""

    validate_only: bool = False
    keep_outcomes: bool = True
    kept_failures: int = 100
    counts: dict[str, int] = field(factory=lambda: dict.fromkeys(OUTCOMES, 0))
    outcomes: list[RowOutcome] = field(factory=list)
    ignored_columns: tuple[str, ...] = ()
    stopped_at: int | None = None
    checksum: str | None = None
    change_request: ChangeRequest | None = None

    @property
    def rows(self) -> int:
        return sum(self.counts.values())

    @property
    def has_failures(self) -> bool:
        return self.counts["failed"] > 0

    def add(self, outcome: RowOutcome) -> None:
        self.counts[outcome.outcome] += 1
        failures_kept = outcome.outcome == "failed" and self.counts["failed"] <= self.kept_failures
        if self.keep_outcomes or failures_kept:
            self.outcomes.append(outcome)

    def summary(self) -> dict[str, Any]:
        """The counts and what the import was, without the rows (event payload)."""
        return {
            "rows": self.rows,
            **self.counts,
            "validate_only": self.validate_only,
            "stopped_at": self.stopped_at,
            "checksum": self.checksum,
        }

    def to_data(self) -> dict[str, Any]:
        """The result as plain data: counts, the file's ignored columns (once, before any
        row), then every kept row outcome."""
        return {
            **self.summary(),
            "ignored_columns": list(self.ignored_columns),
            "change_request": to_data(self.change_request) if self.change_request else None,
            "outcomes": [to_data(o) for o in self.outcomes],
        }

    def to_json(self) -> str:
        """The result as JSON: counts, then every kept row outcome with its problems."""
        return json.dumps(self.to_data(), indent=2, ensure_ascii=False)

    def report_lines(self) -> Iterator[dict[str, str]]:
        """The CSV report's lines: the ignored columns first, then every kept row's."""
        yield from ignored_lines(self.ignored_columns)
        for outcome in self.outcomes:
            yield from outcome.report_lines()

    def to_csv(self) -> str:
        """The per-row report as CSV: ``row, outcome, customer, column, code, message``."""
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, REPORT_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(self.report_lines())
        return buffer.getvalue()
