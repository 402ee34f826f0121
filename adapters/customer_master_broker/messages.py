"""What a relayed event looks like on the wire (R-15.4): one JSON body for every broker,
and the routing key or subject a consumer binds to.

The body carries the event (id, name, tenant, time, correlation id) and ``payload``: the
data the event's hook receives, e.g. ``{"customer": {...}}`` for ``customer_created``.

>>> from datetime import UTC, datetime
>>> event = Event(id="01J", name="customer_created", tenant="acme",
...               occurred_at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
...               payload={"customer": {"code": "CUS-0001"}})
>>> body(event)
b'{"id":"01J","name":"customer_created","tenant":"acme","occurred_at":"2026-03-02T09:30:00+00:00","correlation_id":null,"payload":{"customer":{"code":"CUS-0001"}}}'
>>> routing_key(event), subject(event)
('acme.customer_created', 'customer_master.acme.customer_created')
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import orjson

from customer_master.domain.events import Event

SUBJECT_PREFIX = "customer_master"

# A tenant is one word of a routing key or subject: the separators and wildcards of
# AMQP topics and NATS subjects become "_" (the body keeps the tenant as it is).
_NOT_IN_A_WORD = re.compile(r"[.*#>\s]")


class BrokerUnavailable(Exception):
    """A broker could not be reached, refused the credentials, or did not confirm."""


def body(event: Event) -> bytes:
    """The message body: the event and its hook's data, as JSON."""
    return orjson.dumps(
        {
            "id": event.id,
            "name": event.name,
            "tenant": event.tenant,
            "occurred_at": event.occurred_at.isoformat(),
            "correlation_id": event.correlation_id,
            "payload": event.payload,
        },
        default=_plain,
    )


def word(tenant: str) -> str:
    """The tenant as one word of a routing key or subject."""
    return _NOT_IN_A_WORD.sub("_", tenant) or "_"


def routing_key(event: Event) -> str:
    """AMQP routing key ``<tenant>.<event name>``."""
    return f"{word(event.tenant)}.{event.name}"


def subject(event: Event, prefix: str = SUBJECT_PREFIX) -> str:
    """NATS subject ``customer_master.<tenant>.<event name>``."""
    return f"{prefix}.{word(event.tenant)}.{event.name}"


def masked(url: str) -> str:
    """The URL with its password hidden, for logs and errors.

    >>> masked("amqp://guest:guest@127.0.0.1:5672/")
    'amqp://guest:***@127.0.0.1:5672/'
    """
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return urlunsplit(parts._replace(netloc=f"{parts.username}:***@{host}{port}"))


def _plain(value: Any) -> Any:
    # Payloads are plain data already; a Decimal or date from a host's event stays exact.
    return str(value)
