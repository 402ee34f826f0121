"""The outbox relay to message brokers (SPEC R-15.4): RabbitMQ through pika and NATS
JetStream through nats-py, started by ``customer-master relay --to URL``.

It needs the ``broker`` extra (``pip install 'customer-master[broker]'``); docs/relay.md
shows how to run it and what consumers receive.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from customer_master.extras import require

require("broker", "pika", "nats", needed_by="the outbox relay")

from customer_master_broker.amqp import EXCHANGE, AmqpPublisher  # noqa: E402
from customer_master_broker.jetstream import STREAM, JetStreamPublisher  # noqa: E402
from customer_master_broker.messages import BrokerUnavailable, body, routing_key, subject  # noqa: E402
from customer_master_broker.relay import Backoff, Publisher, Relay, backlog, default_name  # noqa: E402

AMQP_SCHEMES = ("amqp", "amqps")
NATS_SCHEMES = ("nats", "tls")


def open_publisher(url: str, *, exchange: str | None = None, stream: str | None = None) -> Publisher:
    """The publisher for a broker URL: ``amqp://user:password@host:5672/vhost`` (RabbitMQ)
    or ``nats://host:4222`` (JetStream). Raises ``ValueError`` naming an unknown scheme."""
    scheme = urlsplit(url).scheme.lower()
    if scheme in AMQP_SCHEMES:
        return AmqpPublisher(url, exchange=exchange or EXCHANGE)
    if scheme in NATS_SCHEMES:
        return JetStreamPublisher(url, stream=stream or STREAM)
    raise ValueError(
        f"--to: {url!r} is not a broker URL; use amqp://user:password@host:5672/ (RabbitMQ) "
        "or nats://host:4222 (NATS JetStream)"
    )


__all__ = [
    "AmqpPublisher",
    "Backoff",
    "BrokerUnavailable",
    "JetStreamPublisher",
    "Publisher",
    "Relay",
    "backlog",
    "body",
    "default_name",
    "open_publisher",
    "routing_key",
    "subject",
]
