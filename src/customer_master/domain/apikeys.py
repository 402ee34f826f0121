"""API keys: how programs outside Python act as a user of a tenant (SPEC R-12). A key is
shown once when made; only its SHA-256 digest is stored.

>>> secret, key = new_api_key(key_id="k1", tenant="acme", user="ana", roles=("admin",),
...                           label="demo", token="cm_k1_s3cret", created_at=None)
>>> key.digest == digest_of(secret), key.matches(secret), key.matches("cm_k1_other")
(True, True, False)
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

from attrs import field, frozen


def digest_of(secret: str) -> str:
    """The stored form of a key: hex SHA-256 of the whole token."""
    return hashlib.sha256(secret.encode()).hexdigest()


def _roles(value: object) -> tuple[str, ...]:
    if isinstance(value, (list, tuple, set, frozenset)):
        return tuple(sorted(str(v) for v in value))
    raise TypeError("roles must be a collection of strings")


@frozen(kw_only=True)
class ApiKey:
    """A stored API key: who it acts as, never the secret itself."""

    id: str
    tenant: str
    user: str
    roles: tuple[str, ...] = field(converter=_roles)
    digest: str
    label: str = ""
    created_at: datetime | None = None
    revoked: bool = False

    def matches(self, secret: str) -> bool:
        return not self.revoked and hmac.compare_digest(self.digest, digest_of(secret))


def new_api_key(
    *,
    key_id: str,
    tenant: str,
    user: str,
    roles: tuple[str, ...],
    label: str,
    token: str,
    created_at: datetime | None,
) -> tuple[str, ApiKey]:
    """The secret to show once, and the key to store. ``token`` is random text made by
    the caller (``secrets.token_urlsafe``); the secret is ``cm_<id>_<token>`` so the key
    can be found by id without storing the secret."""
    secret = token if token.startswith("cm_") else f"cm_{key_id}_{token}"
    key = ApiKey(
        id=key_id,
        tenant=tenant,
        user=user,
        roles=roles,
        digest=digest_of(secret),
        label=label,
        created_at=created_at,
    )
    return secret, key


def key_id_of(secret: str) -> str | None:
    """The key id inside a secret ``cm_<id>_<token>``, or ``None`` if malformed."""
    parts = secret.split("_", 2)
    return parts[1] if len(parts) == 3 and parts[0] == "cm" and parts[1] else None
