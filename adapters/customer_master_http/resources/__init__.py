"""The API's resources, one Blueprint per capability."""

from customer_master_http.resources import (
    approvals,
    configuration,
    customers,
    documents,
    receivables,
    rules,
    statements,
    system,
    transfers,
)

BLUEPRINTS = (
    customers.blp,
    rules.blp,
    receivables.blp,
    approvals.approvals,
    approvals.audit,
    configuration.blp,
    transfers.blp,
    system.blp,
    documents.blp,
    statements.blp,
)
