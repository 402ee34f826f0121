"""customer-master: customer master data and the rules every other ERP module reads.

Start with ``CustomerMaster.from_url("sqlite:///customers.db")`` (or ``memory://``) and an
``Actor``; see the README.
"""

from customer_master.actor import Actor
from customer_master.app import CustomerMaster
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
