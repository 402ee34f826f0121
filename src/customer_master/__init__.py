"""customer-master: customer master data and the rules every other ERP module reads.

Start with ``CustomerMaster.from_url("sqlite:///customers.db")`` (or ``memory://``) and an
``Actor``; see the README.
"""

from typing import TYPE_CHECKING, Any

from customer_master.actor import Actor
from customer_master.errors import (
    BusinessRuleViolation,
    Conflict,
    CustomerMasterError,
    FieldError,
    Forbidden,
    NotFound,
    ValidationFailed,
)
from customer_master.hookspecs import HistoryAnswer, hookimpl

if TYPE_CHECKING:
    from customer_master.app import CustomerMaster


def __getattr__(name: str) -> Any:
    """``CustomerMaster`` is imported on first use (PEP 562): a host that only reads the
    rules, the errors or the hook markers does not load the services and their libraries."""
    if name == "CustomerMaster":
        from customer_master.app import CustomerMaster

        return CustomerMaster
    raise AttributeError(f"module 'customer_master' has no attribute {name!r}")


__all__ = [
    "Actor",
    "BusinessRuleViolation",
    "Conflict",
    "CustomerMaster",
    "CustomerMasterError",
    "FieldError",
    "Forbidden",
    "HistoryAnswer",
    "NotFound",
    "ValidationFailed",
    "hookimpl",
]
