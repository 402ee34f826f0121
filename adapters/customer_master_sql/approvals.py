"""Change requests and API keys on SQL (R-10.2, R-12).

A change request is kept whole as a JSON document beside the columns it is looked up
by (state, submission time, the customers it names); ``save`` is a compare-and-set on
the number of decisions, so two approvers deciding the same step cannot both win.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from sqlalchemy import insert, select, update

from customer_master.domain.apikeys import ApiKey
from customer_master.domain.approvals import ChangeRequest
from customer_master.errors import Conflict
from customer_master_sql import mapping
from customer_master_sql.tables import api_keys, change_request_customers, change_requests
from customer_master_sql.work import Work


def _columns(request: ChangeRequest) -> dict[str, object]:
    return {
        "state": request.state,
        "submitted_at": request.submitted_at,
        "decisions": len(request.approvals),
        "document": mapping.document_of(request),
    }


class SqlChangeRequests:
    """``ChangeRequestRepository``."""

    def __init__(self, work: Work) -> None:
        self._work = work
        self._conn = work.connection

    def add(self, request: ChangeRequest) -> None:
        self._work.writing(request.tenant)
        self._conn.execute(insert(change_requests), [{"tenant": request.tenant, "id": request.id,
                                                      **_columns(request)}])  # fmt: skip
        named = [
            {"tenant": request.tenant, "customer_id": customer_id, "request_id": request.id}
            for customer_id in dict.fromkeys(request.customer_ids)
        ]
        if named:
            self._conn.execute(insert(change_request_customers), named)

    def get(self, tenant: str, request_id: str) -> ChangeRequest | None:
        r = change_requests.c
        document = self._conn.execute(
            select(r.document).where(r.tenant == tenant, r.id == request_id)
        ).scalar()
        return None if document is None else mapping.from_document(ChangeRequest, document)

    def save(self, request: ChangeRequest, *, expected_approvals: int) -> None:
        self._work.writing(request.tenant)
        r = change_requests.c
        still = (
            (r.tenant == request.tenant)
            & (r.id == request.id)
            & (r.decisions == expected_approvals)
            & (r.state == "pending")
        )
        if self._conn.execute(update(change_requests).where(still).values(_columns(request))).rowcount != 1:
            raise Conflict(f"change request {request.id} was decided meanwhile; reload it")

    def list(
        self, tenant: str, *, state: str | None = None, customer_id: str | None = None
    ) -> Sequence[ChangeRequest]:
        r, n = change_requests.c, change_request_customers.c
        statement = select(r.document).where(r.tenant == tenant)
        if state is not None:
            statement = statement.where(r.state == state)
        if customer_id is not None:
            naming = select(n.request_id).where(n.tenant == tenant, n.customer_id == customer_id)
            statement = statement.where(r.id.in_(naming))
        # Newest first; requests submitted at the same instant in the order they came.
        statement = statement.order_by(r.submitted_at.desc(), r.row_id)
        return [mapping.from_document(ChangeRequest, doc) for doc in self._conn.execute(statement).scalars()]


class KeyCache:
    """Keys found by id, kept per storage for ``seconds`` (authentication reads a key on
    every request). A revocation through the same storage takes effect at once; one made
    through another process (another storage object) within ``seconds``. Keys not found
    are not kept, and the cache is emptied when it holds ``size`` keys."""

    def __init__(self, seconds: float = 5.0, size: int = 10_000) -> None:
        self.seconds = seconds
        self.size = size
        self._keys: dict[str, tuple[float, ApiKey]] = {}

    def get(self, key_id: str) -> ApiKey | None:
        found = self._keys.get(key_id)
        if found is None or found[0] < time.monotonic():
            return None
        return found[1]

    def keep(self, key: ApiKey) -> None:
        if self.seconds > 0:
            if len(self._keys) >= self.size:
                self._keys.clear()
            self._keys[key.id] = (time.monotonic() + self.seconds, key)

    def forget(self, key_id: str) -> None:
        self._keys.pop(key_id, None)


class SqlApiKeys:
    """``ApiKeyRepository``: digests only; look-ups by id cached briefly (``KeyCache``)."""

    def __init__(self, work: Work) -> None:
        self._work = work
        self._conn = work.connection
        self._cache: KeyCache = work.storage.api_key_cache

    def add(self, key: ApiKey) -> None:
        self._work.writing(key.tenant)
        self._cache.forget(key.id)
        self._conn.execute(insert(api_keys), [mapping.api_key_row(key)])

    def get(self, key_id: str) -> ApiKey | None:
        if not self._work.in_write and not self._work.locked:
            cached = self._cache.get(key_id)
            if cached is not None:
                return cached
        row = self._conn.execute(select(api_keys).where(api_keys.c.id == key_id)).first()
        if row is None:
            return None
        key = mapping.api_key_from(row._mapping)
        if not self._work.in_write and not self._work.locked:
            self._cache.keep(key)  # only what is committed: read outside a write
        return key

    def revoke(self, key_id: str) -> None:
        self._work.writing(None)
        self._conn.execute(update(api_keys).where(api_keys.c.id == key_id).values(revoked=True))
        self._cache.forget(key_id)
        self._work.forget_keys.add(key_id)

    def for_tenant(self, tenant: str) -> Sequence[ApiKey]:
        k = api_keys.c
        statement = select(api_keys).where(k.tenant == tenant).order_by(k.id)
        return [mapping.api_key_from(row._mapping) for row in self._conn.execute(statement)]
