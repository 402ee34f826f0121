"""Deleting for good: a hard delete removes a customer and all its related records, and
is allowed only when no host module holds documents for it (SPEC R-4.2). A customer with
transaction history can never be hard-deleted; deactivate it instead (R-4.3). The audit
trail keeps the deletion record.

>>> hard_delete_refusal(history_module="sales", history_count=3)
'customer has transaction history in module sales (3 document(s)); deactivate it instead'
>>> hard_delete_refusal(history_module=None) is None
True
"""

from __future__ import annotations


def hard_delete_refusal(*, history_module: str | None, history_count: int = 0) -> str | None:
    """Why the hard delete is refused, or ``None`` when it may go ahead."""
    if history_module is None:
        return None
    documents = f" ({history_count} document(s))" if history_count else ""
    return f"customer has transaction history in module {history_module}{documents}; deactivate it instead"
