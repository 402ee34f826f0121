"""The few exceptions the core raises; adapters translate them (HTTP problem details, CLI
messages). A business "no" that is a normal outcome (credit blocked) is a decision value,
not an exception; these are for requests that cannot be carried out as asked."""

from __future__ import annotations

from collections.abc import Iterable

from attrs import frozen


@frozen
class FieldError:
    """One problem with one field: ``path`` as ``addresses[2].country``, a stable ``code``
    for programs and a ``message`` for people."""

    path: str
    code: str
    message: str

    def to_data(self) -> dict[str, str]:
        return {"path": self.path, "code": self.code, "message": self.message}


@frozen
class FieldWarning:
    """A non-blocking remark returned with a successful result (SPEC R-3.4)."""

    path: str
    code: str
    message: str
    # The code of the other customer the remark is about (``similar_name``), for a link.
    customer: str | None = None

    def to_data(self) -> dict[str, str]:
        return {"path": self.path, "code": self.code, "message": self.message}


class InvalidValue(ValueError):
    """A value that cannot be normalised (a phone number, a country, a tax id); the
    message says why, and the reader that catches it adds the field and the value."""


class CustomerMasterError(Exception):
    """Base of every error the core raises on purpose."""


class ValidationFailed(CustomerMasterError):
    """The input is invalid; ``errors`` lists every problem at once (SPEC R-3.3)."""

    def __init__(self, errors: Iterable[FieldError]) -> None:
        self.errors: tuple[FieldError, ...] = tuple(errors)
        summary = "; ".join(f"{e.path}: {e.message}" for e in self.errors[:5])
        more = f" (and {len(self.errors) - 5} more)" if len(self.errors) > 5 else ""
        super().__init__(f"{len(self.errors)} validation error(s): {summary}{more}")


class NotFound(CustomerMasterError):
    """No such record in the actor's tenant (other tenants' records are never revealed)."""

    def __init__(self, kind: str, key: str) -> None:
        self.kind = kind
        self.key = key
        super().__init__(f"{kind} {key!r} not found")


class Conflict(CustomerMasterError):
    """The record changed since the caller read it (SPEC R-1.9), or a unique key is taken."""

    def __init__(self, message: str, *, current_version: int | None = None) -> None:
        self.current_version = current_version
        super().__init__(message)


class Forbidden(CustomerMasterError):
    """The actor may not do this (SPEC R-12)."""


class BusinessRuleViolation(CustomerMasterError):
    """A rule refuses the operation (merge refused, hard delete refused); ``code`` is stable."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        super().__init__(message)
