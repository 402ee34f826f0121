"""API keys: making, checking and revoking them (SPEC R-12). Adapters (HTTP, CLI) turn a
presented secret into an ``Actor`` with ``authenticate``."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from customer_master.actor import Actor
from customer_master.domain.access import DEFAULT_ROLE_PERMISSIONS
from customer_master.domain.apikeys import ApiKey, key_id_of, new_api_key
from customer_master.errors import FieldError, NotFound, ValidationFailed
from customer_master.services.base import ServiceContext


class AccessService:
    """API keys of a tenant."""

    def __init__(self, context: ServiceContext) -> None:
        self._ctx = context

    def create_api_key(
        self, tenant: str, user: str, roles: Iterable[str], *, label: str = ""
    ) -> tuple[str, ApiKey]:
        """A new key acting as ``user`` with ``roles`` in ``tenant``: the secret (show it
        once; it is not stored) and the stored key. An administrative operation: the
        caller (CLI, seeding) decides who may run it."""
        role_list = tuple(sorted(set(roles)))
        errors = [FieldError("tenant", "blank", "is required")] if not tenant.strip() else []
        errors += [FieldError("user", "blank", "is required")] if not user.strip() else []
        unknown = [r for r in role_list if r not in DEFAULT_ROLE_PERMISSIONS]
        if unknown:
            known = ", ".join(DEFAULT_ROLE_PERMISSIONS)
            errors.append(
                FieldError("roles", "unknown_role", f"unknown role(s) {', '.join(unknown)}; known: {known}")
            )
        if errors:
            raise ValidationFailed(errors)
        secret, key = new_api_key(
            key_id=secrets.token_hex(6),
            tenant=tenant.strip(),
            user=user.strip(),
            roles=role_list,
            label=label,
            token=secrets.token_urlsafe(24),
            created_at=self._ctx.clock.now(),
        )
        with self._ctx.storage.unit_of_work() as uow:
            uow.api_keys.add(key)
            uow.commit()
        return secret, key

    def authenticate(self, secret: str) -> Actor | None:
        """The actor a presented secret stands for, or ``None`` if unknown or revoked."""
        key_id = key_id_of(secret.strip())
        if key_id is None:
            return None
        key = self._ctx.storage.lookups.api_key(key_id)  # no unit of work: one a request
        if key is None or not key.matches(secret.strip()):
            return None
        return Actor(key.tenant, key.user, frozenset(key.roles))

    def revoke_api_key(self, tenant: str, key_id: str) -> None:
        with self._ctx.storage.unit_of_work() as uow:
            key = uow.api_keys.get(key_id)
            if key is None or key.tenant != tenant:
                raise NotFound("API key", key_id)
            uow.api_keys.revoke(key_id)
            uow.commit()
