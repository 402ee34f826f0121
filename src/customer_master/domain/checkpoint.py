"""Audit checkpoints: an anchor for the head of a tenant's hash chain (SPEC R-11.2).

A hash chain shows any record edited or removed in its middle, but it cannot see its
own tail cut off, nor the whole trail emptied: what is left still chains. A checkpoint
is the tenant's latest sequence number and hash, taken at a moment and kept *outside*
the audited tables (printed, written to a file the operator keeps, and sent as an event
through the outbox to the host's broker). Verifying against it then says whether the
trail still reaches that record, with that hash (decision 0024).

>>> from datetime import datetime, UTC
>>> seen = Checkpoint(tenant="acme", sequence=3, hash="c3", taken_at=datetime(2026, 3, 1, tzinfo=UTC))
>>> Checkpoint.from_data(seen.to_data()) == seen
True
>>> anchored(ChainReport(checked=2), seen, head=ChainHead(2, "c2")).reason
'missing tail: the checkpoint of 2026-03-01T00:00:00+00:00 saw record 3, the trail ends at record 2'
>>> anchored(ChainReport(checked=0), seen, head=None).reason
'empty: the checkpoint of 2026-03-01T00:00:00+00:00 saw 3 records, the trail holds none'
>>> anchored(ChainReport(checked=5), seen, head=ChainHead(5, "c5"), at_sequence="f3").reason
'forged: record 3 is not the record the checkpoint of 2026-03-01T00:00:00+00:00 saw (its hash differs)'
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from attrs import frozen

from customer_master.domain.audit import ChainHead, ChainReport
from customer_master.errors import FieldError, ValidationFailed


@frozen(kw_only=True)
class Checkpoint:
    """A tenant's chain head at ``taken_at``: ``sequence`` 0 and hash ``""`` for a
    trail with no record yet."""

    tenant: str
    sequence: int
    hash: str
    taken_at: datetime

    def to_data(self) -> dict[str, object]:
        return {
            "tenant": self.tenant,
            "sequence": self.sequence,
            "hash": self.hash,
            "taken_at": self.taken_at.isoformat(),
        }

    @classmethod
    def from_data(cls, data: object) -> Checkpoint:
        """A checkpoint read back from its JSON (a file the operator kept); a problem
        is a ``ValidationFailed`` naming the field."""
        if not isinstance(data, Mapping):
            raise ValidationFailed([FieldError("$", "not_an_object", "a checkpoint is a JSON object")])
        tenant, sequence, digest = data.get("tenant"), data.get("sequence"), data.get("hash")
        moment = _instant(data.get("taken_at"))
        errors = []
        if not isinstance(tenant, str) or not tenant:
            errors.append(FieldError("tenant", "required", "names the tenant the checkpoint was taken of"))
        if isinstance(sequence, bool) or not isinstance(sequence, int) or sequence < 0:
            errors.append(FieldError("sequence", "invalid", "must be a whole number of at least 0"))
        if not isinstance(digest, str):
            errors.append(FieldError("hash", "invalid", "must be the head record's hash (text)"))
        if moment is None:
            errors.append(FieldError("taken_at", "invalid", "must be an ISO 8601 instant with its offset"))
        # (the type checks again: mypy narrows on them, they never add a refusal)
        if errors or not (isinstance(tenant, str) and isinstance(sequence, int) and isinstance(digest, str)):
            raise ValidationFailed(errors)
        if moment is None:
            raise ValidationFailed(errors)
        return cls(tenant=tenant, sequence=sequence, hash=digest, taken_at=moment)


def _instant(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def anchored(
    report: ChainReport, checkpoint: Checkpoint, *, head: ChainHead | None, at_sequence: str | None = None
) -> ChainReport:
    """``report`` (the chain walked as it is) judged against ``checkpoint``: the trail
    must still reach the checkpoint's record (``head`` is where it ends now) and that
    record must have the hash the checkpoint saw (``at_sequence``: its hash today, when
    it is still there)."""
    if not report.is_intact or checkpoint.sequence == 0:
        return report
    when = checkpoint.taken_at.isoformat()
    if head is None or report.checked == 0:
        reason = f"empty: the checkpoint of {when} saw {checkpoint.sequence} records, the trail holds none"
        return ChainReport(report.checked, 1, reason)
    if head.sequence < checkpoint.sequence:
        reason = (
            f"missing tail: the checkpoint of {when} saw record {checkpoint.sequence}, "
            f"the trail ends at record {head.sequence}"
        )
        return ChainReport(report.checked, head.sequence + 1, reason)
    if at_sequence != checkpoint.hash:
        reason = (
            f"forged: record {checkpoint.sequence} is not the record the checkpoint of {when} saw "
            "(its hash differs)"
        )
        return ChainReport(report.checked, checkpoint.sequence, reason)
    return report


def emptied(report: ChainReport, customers_exist: bool) -> ChainReport:
    """An intact walk of no record while the tenant has customers is no proof: every
    customer was created by an audited operation, so the trail was emptied or lost."""
    if report.is_intact and report.checked == 0 and customers_exist:
        reason = "empty: the tenant has customers but no audit record — the trail was emptied or lost"
        return ChainReport(0, 1, reason)
    return report


__all__ = ["Checkpoint", "anchored", "emptied"]
