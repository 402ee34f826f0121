"""Bulk import (SPEC R-9.1 to R-9.5, R-10): rows in, customers created or updated, and a
report of every row.

The story of one import: read the rows as they stream in → cut them into batches → for
each batch open one unit of work, and for each row: find whether a customer already
holds one of its keys (in the store, or an earlier row of the file) → create, update,
skip or fail it, through the customer service's own checks (``check_new`` /
``check_change``) → store the rows that pass → commit the batch. A failed row is
reported with its problems and changes nothing; a failure while storing rolls the whole
batch back. Running the same file again after a failure finds the rows already stored
by their keys, so it ends in the same state (R-9.5).

When the tenant's import lane is not green (R-10.1), ``run`` is only a dry run
(``validate_only``) that a manager reviews; ``submit`` stores a change request holding
the rows and the file's checksum, and the import runs, as one unit of work, when the
request is finally approved.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import islice
from typing import Any

from attrs import define, evolve, field, frozen

from customer_master.actor import Actor
from customer_master.domain.approvals import ChangeRequest
from customer_master.domain.audit import change_set
from customer_master.domain.columns import Sources, changes_for, column_of, new_payload
from customer_master.domain.config import TenantConfiguration
from customer_master.domain.customer import Customer
from customer_master.domain.folding import FileGroups
from customer_master.domain.import_report import ImportResult, Outcome, OutcomeSink, RowOutcome, RowProblem
from customer_master.domain.importing import (
    HeaderPlan,
    ImportOptions,
    MatchKey,
    SeenKeys,
    SourceRow,
    match_keys,
)
from customer_master.domain.serialize import to_data
from customer_master.errors import (
    BusinessRuleViolation,
    CustomerMasterError,
    FieldError,
    FieldWarning,
    ValidationFailed,
)
from customer_master.services.base import BulkAudit, ServiceContext, Transaction
from customer_master.services.batching import BatchUnitOfWork
from customer_master.services.customers import CustomerService

_NO_KEY = (
    "the row has no code, external reference, tax id or e-mail: importing the file again "
    "would create this customer again"
)


@frozen
class _Row:
    """A row on its way in: its number, cells in the row format, reader problems, and
    the file's header plan (to name the file's own columns in problems)."""

    number: int
    cells: Mapping[str, str]
    problems: tuple[str, ...]
    plan: HeaderPlan
    keys: tuple[MatchKey, ...]


class ImportService:
    """Imports customers from rows of text cells (a reader adapter turns CSV or XLSX
    files into such rows, ``customer_master_files``)."""

    def __init__(self, context: ServiceContext, customers: CustomerService) -> None:
        self._ctx = context
        self._customers = customers

    # -- running an import ---------------------------------------------------------

    def run(
        self,
        actor: Actor,
        rows: Iterable[Mapping[str, str]],
        options: ImportOptions | None = None,
        *,
        on_outcome: OutcomeSink | None = None,
        checksum: str | None = None,
    ) -> ImportResult:
        """Import ``rows`` (each a mapping of header → cell text; a reader's
        ``SourceRow`` also brings its row number and problems). Every row's outcome goes
        to ``on_outcome`` when given (the result then keeps only counts and the first
        failures, so a million-row file needs no memory for its report), else into the
        result. ``checksum`` (the file's SHA-256) is carried into the result.

        Rows that can be read twice (a list, a reader of a file) are read twice when
        duplicates update: first for their keys only, so that rows of the file that are
        one customer are folded, in file order, into one change (``_group``); a one-shot
        iterator is imported row by row."""
        options = options or ImportOptions()
        config = self._checked(actor, options)
        if not options.validate_only:
            self._require_green(config)
        result = ImportResult(
            validate_only=options.validate_only, keep_outcomes=on_outcome is None, checksum=checksum
        )
        state = _Progress(groups=_groups(rows, options, config))
        source = _Source(rows, options, config)
        for batch in source.batches(options.batch_size):
            outcomes, stop = self._batch(actor, batch, options, state)
            for outcome in outcomes:
                result.add(outcome)
                if on_outcome is not None:
                    on_outcome(outcome)
            if stop:
                result.stopped_at = outcomes[-1].row if outcomes else None
                break
        result.ignored_columns = source.ignored
        if not options.validate_only:
            with self._ctx.transaction(actor) as tx:
                tx.emit("import_completed", {"summary": result.summary()}, {"summary": result.summary()})
        return result

    def _batch(
        self, actor: Actor, batch: Sequence[_Row], options: ImportOptions, state: _Progress
    ) -> tuple[list[RowOutcome], bool]:
        """One batch in one unit of work; ``True`` when the import must stop here."""
        seen = state.seen
        state.taken = []
        if options.validate_only:
            with self._ctx.storage.unit_of_work() as uow:  # never committed: a dry run
                tx = Transaction(uow=uow, actor=actor, context=self._ctx)
                outcomes, stop = self._rows(tx, batch, options, state)
            seen.commit()
            return outcomes, stop
        done: list[RowOutcome] = []
        try:
            with self._ctx.transaction(actor) as tx:
                outcomes, stop = self._rows(tx, batch, options, state, done=done)
        except CustomerMasterError as failure:
            # Storing failed (a key taken meanwhile, a version conflict): nothing of the
            # batch stays, and every row of it says so.
            seen.discard()
            return _rolled_back(state.taken, done, failure), options.stop_on_error
        seen.commit()
        return outcomes, stop

    def _rows(
        self,
        tx: Transaction,
        batch: Sequence[_Row],
        options: ImportOptions,
        state: _Progress,
        *,
        done: list[RowOutcome] | None = None,
    ) -> tuple[list[RowOutcome], bool]:
        """The batch's rows through one ``BatchUnitOfWork`` over ``tx``'s unit of work:
        its keys and names looked up at once, its writes stored together at the end, and
        one audit record for the batch (R-11.1). A row that is one customer with later
        rows of the file waits for the last of them (``_group``)."""
        config = tx.uow.configuration.get(tx.tenant)
        outcomes = done if done is not None else []
        batch_uow = BatchUnitOfWork(tx.uow, tx.tenant)
        tx.uow = batch_uow
        tx.bulk = BulkAudit()
        try:
            keys = {(k.kind, k.value) for row in batch for k in row.keys}
            names = {n for row in batch if (n := row.cells.get("name", "").strip())}
            batch_uow.batch_customers.prefetch(keys, names)
            stop = False
            for row in batch:
                members = state.members(row)
                if not members:
                    continue  # waits for its group's last row
                state.taken.extend(members)
                found = (
                    [self._row(tx, config, row, options, state.seen)]
                    if len(members) == 1
                    else self._group(tx, config, members, options, state.seen)
                )
                outcomes.extend(found)
                if options.stop_on_error and any(o.outcome == "failed" for o in found):
                    stop = True
                    break
            if not options.validate_only:
                tx.seal_bulk()
            batch_uow.flush()
        finally:
            tx.bulk = None
            tx.uow = batch_uow.inner
        return outcomes, stop

    # -- one row -------------------------------------------------------------------

    def _row(
        self, tx: Transaction, config: TenantConfiguration, row: _Row, options: ImportOptions, seen: SeenKeys
    ) -> RowOutcome:
        if row.problems:
            return _unreadable(row)
        keys = row.keys
        earlier = seen.first_row(keys)
        holders = self._holders(tx, keys)
        if holders is not None and len(holders[1]) > 1:
            key, found = holders
            codes = ", ".join(c.code for c in found)
            message = f"{key.describe()} matches {len(found)} customers ({codes}); the row cannot tell which"
            return _failed(row, [FieldError(key.column, "ambiguous", message)], {})
        if holders is None and earlier is None:
            outcome = self._create(tx, config, row, options, keys)
        else:
            holder = holders[1][0] if holders else None
            key = holders[0] if holders else earlier[0] if earlier else keys[0]
            outcome = self._duplicate(tx, config, row, options, holder, key, earlier)
        if outcome.outcome != "failed":
            seen.add(keys, row=row.number)
        return outcome

    def _create(
        self,
        tx: Transaction,
        config: TenantConfiguration,
        row: _Row,
        options: ImportOptions,
        keys: Sequence[MatchKey],
    ) -> RowOutcome:
        payload, sources, problems = new_payload(row.cells)
        try:
            draft, warnings = self._customers.check_new(tx, config, payload)
        except ValidationFailed as invalid:
            return _failed(row, [*problems, *invalid.errors], sources)
        if problems:
            return _failed(row, problems, sources)
        notes = [
            *_notes(row, warnings, sources),
            *([RowProblem("", "no_match_key", _NO_KEY)] if not keys else []),
        ]
        if options.validate_only:
            return RowOutcome(row=row.number, outcome="created", warnings=tuple(notes))
        stored = self._customers.store_new(tx, config, draft, warnings).applied
        return RowOutcome(row=row.number, outcome="created", customer=stored.code, warnings=tuple(notes))

    def _duplicate(
        self,
        tx: Transaction,
        config: TenantConfiguration,
        row: _Row,
        options: ImportOptions,
        holder: Customer | None,
        key: MatchKey,
        earlier: tuple[MatchKey, int] | None,
    ) -> RowOutcome:
        """A row whose key a stored customer or an earlier row holds (R-9.3, R-9.4)."""
        code = holder.code if holder else None
        whose = f"customer {code}" if code else f"the customer of row {earlier[1] if earlier else '?'}"
        same_row = f" (as row {earlier[1]} of this file)" if earlier and holder else ""
        matched = f"{key.describe()} matches {whose}{same_row}"
        if options.on_duplicate == "skip":
            return RowOutcome(
                row=row.number, outcome="skipped", customer=code, message=f"duplicate: {matched}"
            )
        if options.on_duplicate == "error":
            return _failed(row, [FieldError(key.column, "duplicate", f"duplicate: {matched}")], {})
        if holder is None:  # a dry run: the earlier row's customer exists only on paper
            outcome = self._create(tx, config, row, evolve(options, validate_only=True), (key,))
            if outcome.outcome == "failed":
                return outcome
            return evolve(outcome, outcome="updated", message=f"would update {whose}")
        return self._update(tx, config, row, options, holder)

    def _update(
        self,
        tx: Transaction,
        config: TenantConfiguration,
        row: _Row,
        options: ImportOptions,
        holder: Customer,
    ) -> RowOutcome:
        changes, sources, problems = changes_for(holder, row.cells)
        try:
            changed, warnings = self._customers.check_change(tx, config, holder, changes)
        except ValidationFailed as invalid:
            return _failed(row, [*problems, *invalid.errors], sources, customer=holder.code)
        except BusinessRuleViolation as refused:
            return RowOutcome(row=row.number, outcome="failed", customer=holder.code, message=str(refused))
        if problems:
            return _failed(row, problems, sources, customer=holder.code)
        if changed is None:
            message = f"unchanged: the row says what customer {holder.code} already holds"
            return RowOutcome(row=row.number, outcome="skipped", customer=holder.code, message=message)
        notes = tuple(_notes(row, warnings, sources))
        if not options.validate_only:
            self._customers.store_change(tx, holder, changed, warnings)
        return RowOutcome(row=row.number, outcome="updated", customer=holder.code, warnings=notes)

    def _group(
        self,
        tx: Transaction,
        config: TenantConfiguration,
        members: Sequence[_Row],
        options: ImportOptions,
        seen: SeenKeys,
    ) -> list[RowOutcome]:
        """Rows of the file that are one customer, folded in file order into one change
        (R-9.5): the stored customer they match, or a new one drafted from the first
        row, is changed by each row in turn as that row alone would change it, and the
        result is stored once — not at all when it is what the customer already holds,
        so that importing the same file again writes nothing."""
        outcomes = {m.number: _unreadable(m) for m in members if m.problems}
        readable = [m for m in members if not m.problems]
        keys = tuple(dict.fromkeys(key for m in readable for key in m.keys))
        holders = self._holders(tx, keys)
        if holders is not None and len(holders[1]) > 1:
            ambiguous = self._row(tx, config, readable[0], options, seen)
            return [outcomes.get(m.number) or evolve(ambiguous, row=m.number) for m in members]
        folded = _Fold(holders[1][0] if holders else None)
        for member in readable:
            problem = self._fold(tx, config, folded, member)
            if problem is not None:
                outcomes[member.number] = problem
        seen.add(keys, row=members[0].number)
        outcomes.update(self._store_fold(tx, config, folded, options))
        return [outcomes[m.number] for m in members]

    def _fold(
        self, tx: Transaction, config: TenantConfiguration, folded: _Fold, member: _Row
    ) -> RowOutcome | None:
        """Lay ``member`` over the fold; the row's failure, if it has one."""
        current = folded.current
        if current is None:
            payload, sources, problems = new_payload(member.cells)
            try:
                draft, warnings = self._customers.check_new(tx, config, payload)
            except ValidationFailed as invalid:
                return _failed(member, [*problems, *invalid.errors], sources)
            if problems:
                return _failed(member, problems, sources)
            folded.add(member, draft, _notes(member, warnings, sources), warnings)
            return None
        changes, sources, problems = changes_for(current, member.cells)
        code = folded.holder.code if folded.holder else None
        try:
            changed, warnings = self._customers.check_change(tx, config, current, changes)
        except ValidationFailed as invalid:
            return _failed(member, [*problems, *invalid.errors], sources, customer=code)
        except BusinessRuleViolation as refused:
            return RowOutcome(row=member.number, outcome="failed", customer=code, message=str(refused))
        if problems:
            return _failed(member, problems, sources, customer=code)
        folded.add(member, changed or current, _notes(member, warnings, sources), warnings)
        return None

    def _store_fold(
        self, tx: Transaction, config: TenantConfiguration, folded: _Fold, options: ImportOptions
    ) -> dict[int, RowOutcome]:
        """Store the folded change once; each of its rows' outcome."""
        current, holder = folded.current, folded.holder
        if current is None or not folded.rows:
            return {}
        together = ", ".join(str(m.number) for m in folded.rows)
        verb: Outcome
        if holder is None:
            verb, code = "created", None
            if not options.validate_only:
                code = self._customers.store_new(tx, config, current, folded.warnings).applied.code
        elif not change_set(to_data(holder), to_data(current)):
            verb, code = "skipped", holder.code
        else:
            verb, code = "updated", holder.code
            if not options.validate_only:
                self._customers.store_change(tx, holder, current, folded.warnings)
        if verb == "skipped":
            message = f"unchanged: rows {together} say what customer {code} already holds"
        else:
            message = f"rows {together} of this file are one customer: folded into one change"
        return {
            member.number: RowOutcome(
                row=member.number,
                outcome=verb if index == 0 or verb == "skipped" else "updated",  # the rest fold in
                customer=code,
                message=message,
                warnings=tuple(notes),
            )
            for index, (member, notes) in enumerate(zip(folded.rows, folded.notes, strict=True))
        }

    def _holders(self, tx: Transaction, keys: Sequence[MatchKey]) -> tuple[MatchKey, list[Customer]] | None:
        """The first key some customer holds, with every customer holding it; a
        merged-away holder stands for the customer it was merged into (R-8.1)."""
        repo = tx.uow.customers
        for key in keys:
            found: list[Customer]
            if key.kind == "code":
                found = [c for c in [repo.get_by_code(tx.tenant, key.value)] if c is not None]
            elif key.kind == "external_ref":
                system, _, ref = key.value.partition(":")
                found = [c for c in [repo.find_by_external_ref(tx.tenant, system, ref)] if c is not None]
            elif key.kind == "tax_id":
                found = list(repo.find_by_tax_id(tx.tenant, key.value))
            else:
                found = list(repo.find_by_email(tx.tenant, key.value))
            found = [_survivor(repo.get(tx.tenant, c.merged_into), c) if c.merged_into else c for c in found]
            if found:
                return key, list({c.id: c for c in found}.values())
        return None

    # -- approval (R-10) -----------------------------------------------------------

    def submit(
        self, actor: Actor, rows: Iterable[Mapping[str, str]], options: ImportOptions | None, checksum: str
    ) -> ImportResult:
        """Send an import down the tenant's ``import`` lane. On a green lane it runs at
        once. Otherwise the rows are checked (a dry run, returned for the reviewers) and
        a change request stores them with the file's SHA-256 ``checksum`` and a digest
        of the rows; final approval verifies the digest and imports them."""
        options = options or ImportOptions()
        kept = [_stored_row(row, index) for index, row in enumerate(rows, start=2)]
        config = self._checked(actor, options)
        if config.settings.approvals.lane_for("import") == "green":
            return self.run(
                actor, _source_rows(kept), evolve(options, validate_only=False), checksum=checksum
            )
        review = self.run(actor, _source_rows(kept), evolve(options, validate_only=True), checksum=checksum)
        payload = {
            "checksum": checksum,
            "rows_digest": _rows_digest(kept),
            "options": options.to_data(),
            "summary": review.summary(),
            "rows": kept,
        }
        with self._ctx.transaction(actor) as tx:
            review.change_request = tx.route(config, "import", payload=payload)
        return review

    def apply_request(self, tx: Transaction, request: ChangeRequest) -> ImportResult:
        """Import the rows of an approved request in its unit of work, all or nothing:
        refused if the rows are not the ones submitted (digest), rows that fail are
        reported and left out (R-10.3)."""
        payload = request.payload
        rows = payload["rows"]
        if _rows_digest(rows) != payload["rows_digest"]:
            raise BusinessRuleViolation(
                "checksum_mismatch",
                "the rows of this import are not the ones submitted; nothing was imported",
            )
        options = ImportOptions.from_data(payload["options"])
        result = ImportResult(checksum=payload["checksum"])
        kept = list(_source_rows(rows))
        config = tx.uow.configuration.get(tx.tenant)
        state = _Progress(groups=_groups(kept, options, config))
        for batch in _Source(kept, options, config).batches(options.batch_size):
            state.taken = []
            outcomes, stop = self._rows(tx, batch, options, state)
            state.seen.commit()
            for outcome in outcomes:
                result.add(outcome)
            if stop:
                result.stopped_at = outcomes[-1].row
                break
        tx.emit("import_completed", {"summary": result.summary()}, {"summary": result.summary()})
        return result

    # -- shared ---------------------------------------------------------------------

    def _checked(self, actor: Actor, options: ImportOptions) -> TenantConfiguration:
        problems = options.problems()
        if problems:
            raise ValidationFailed(problems)
        with self._ctx.storage.unit_of_work() as uow:
            config = uow.configuration.get(actor.tenant)
        self._ctx.require(actor, "customer.write", config)
        return config

    def _require_green(self, config: TenantConfiguration) -> None:
        lane = config.settings.approvals.lane_for("import")
        if lane != "green":
            raise BusinessRuleViolation(
                "approval_required",
                f"imports need approval in this tenant ({lane} lane): review a dry run "
                "(validate_only) and submit the file for approval",
            )


@define
class _Progress:
    """Where an import stands across its batches: the keys of the rows imported so far,
    the rows of the file that are one customer (``None`` when not grouped) with those
    waiting for their group's last row, and the rows the current batch took."""

    seen: SeenKeys = field(factory=SeenKeys)
    groups: FileGroups | None = None
    waiting: dict[int, list[_Row]] = field(factory=dict)
    taken: list[_Row] = field(factory=list)

    def members(self, row: _Row) -> list[_Row]:
        """The rows to import now that ``row`` has come: itself, or its whole group when
        it is the group's last row; none while the group waits for more."""
        span = self.groups.span(row.number) if self.groups is not None else None
        if span is None:
            return [row]
        first, last = span
        if row.number != last:
            self.waiting.setdefault(first, []).append(row)
            return []
        return [*self.waiting.pop(first, []), row]


@define
class _Fold:
    """The change a group of rows makes, row by row: the stored customer they match (if
    any), the customer as the rows so far make it, the rows that took part with their
    warnings as row notes, and the warnings of the last change."""

    holder: Customer | None
    current: Customer | None = None
    rows: list[_Row] = field(factory=list)
    notes: list[list[RowProblem]] = field(factory=list)
    warnings: tuple[FieldWarning, ...] = ()

    def __attrs_post_init__(self) -> None:
        self.current = self.holder

    def add(
        self, row: _Row, customer: Customer, notes: list[RowProblem], warnings: tuple[FieldWarning, ...]
    ) -> None:
        self.current = customer
        self.rows.append(row)
        self.notes.append(notes)
        self.warnings = warnings


def _groups(
    rows: Iterable[Mapping[str, str]], options: ImportOptions, config: TenantConfiguration
) -> FileGroups | None:
    """The rows that are one customer, found in a first pass over ``rows`` for their keys
    alone — when duplicates update and the rows can be read again (not a one-shot
    iterator)."""
    if options.on_duplicate != "update" or iter(rows) is rows:
        return None
    groups = FileGroups()
    for row in _Source(rows, options, config).rows():
        groups.add(row.number, row.keys)
    return groups


class _Source:
    """The rows of a file, numbered and read through the column mapping, in batches."""

    def __init__(
        self, rows: Iterable[Mapping[str, str]], options: ImportOptions, config: TenantConfiguration
    ) -> None:
        self._rows = rows
        self._mapping = options.mapping
        self._config = config  # where a preset's other columns are kept
        self._plans: dict[tuple[str, ...], HeaderPlan] = {}
        self.ignored: tuple[str, ...] = ()

    def rows(self) -> Iterator[_Row]:
        for index, source in enumerate(self._rows, start=2):
            headers = tuple(source)
            plan = self._plans.get(headers)
            if plan is None:
                plan = self._plans[headers] = self._mapping.plan(headers, self._config)
                self.ignored = tuple(dict.fromkeys([*self.ignored, *plan.ignored]))
            number = source.number if isinstance(source, SourceRow) else index
            problems = source.problems if isinstance(source, SourceRow) else ()
            cells = plan.cells(source)
            yield _Row(number, cells, problems, plan, match_keys(cells))

    def batches(self, size: int) -> Iterator[list[_Row]]:
        rows = self.rows()
        while batch := list(islice(rows, size)):
            yield batch


def _failed(
    row: _Row, errors: Iterable[FieldError], sources: Sources, *, customer: str | None = None
) -> RowOutcome:
    problems = tuple(RowProblem(_column(row, e.path, sources), e.code, e.message) for e in errors)
    return RowOutcome(row=row.number, outcome="failed", customer=customer, problems=problems)


def _unreadable(row: _Row) -> RowOutcome:
    problems = tuple(RowProblem("", "unreadable", p) for p in row.problems)
    return RowOutcome(row=row.number, outcome="failed", problems=problems)


def _notes(row: _Row, warnings: Iterable[FieldWarning], sources: Sources) -> list[RowProblem]:
    return [RowProblem(_column(row, w.path, sources), w.code, w.message) for w in warnings]


def _column(row: _Row, path: str, sources: Sources) -> str:
    """The file's column for a payload path (a path the format already names is kept)."""
    column = path if path in row.cells else column_of(path, sources)
    return row.plan.header_of(column) if column else ""


def _rolled_back(batch: Sequence[_Row], done: Sequence[RowOutcome], failure: Exception) -> list[RowOutcome]:
    first, last = min(r.number for r in batch), max(r.number for r in batch)
    message = f"not imported: the batch of rows {first}–{last} was rolled back ({failure})"
    by_row = {o.row: o for o in done}
    return [
        by_row[r.number]
        if r.number in by_row and by_row[r.number].outcome in ("failed", "skipped")
        else RowOutcome(row=r.number, outcome="failed", message=message)
        for r in batch
    ]


def _survivor(target: Customer | None, merged: Customer) -> Customer:
    return target if target is not None else merged


def _stored_row(row: Mapping[str, str], index: int) -> dict[str, Any]:
    number = row.number if isinstance(row, SourceRow) else index
    problems = list(row.problems) if isinstance(row, SourceRow) else []
    return {"row": number, "cells": dict(row), "problems": problems}


def _source_rows(kept: Iterable[Mapping[str, Any]]) -> Iterator[SourceRow]:
    for item in kept:
        yield SourceRow(item["cells"], item["row"], item["problems"])


def _rows_digest(kept: Sequence[Mapping[str, Any]]) -> str:
    canonical = json.dumps(list(kept), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()
