"""Roles and permissions (SPEC R-12): what a role lets a user do. A tenant may map its
own roles; these defaults serve until it does.

>>> may(frozenset({"ar_manager"}), "credit_override"), may(frozenset({"viewer"}), "customer.write")
(True, False)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

PERMISSIONS = (
    "customer.read",
    "customer.write",
    "customer.delete",
    "customer.merge",
    "credit.hold",
    "credit_override",
    "configuration.write",
    "view_sensitive",
    "audit.read",
)

DEFAULT_ROLE_PERMISSIONS: Mapping[str, frozenset[str]] = {
    "admin": frozenset(PERMISSIONS),
    "sales_admin": frozenset({"customer.read", "customer.write"}),
    "ar_manager": frozenset(
        {"customer.read", "customer.write", "credit.hold", "credit_override", "view_sensitive"}
    ),
    "controller": frozenset(
        {
            "customer.read",
            "customer.write",
            "customer.merge",
            "credit.hold",
            "credit_override",
            "view_sensitive",
            "audit.read",
        }
    ),
    "cfo": frozenset(
        {
            "customer.read",
            "customer.delete",
            "customer.merge",
            "credit_override",
            "view_sensitive",
            "audit.read",
        }
    ),
    "viewer": frozenset({"customer.read"}),
    "auditor": frozenset({"customer.read", "audit.read", "view_sensitive"}),
}


def permissions_of(
    roles: Iterable[str], role_map: Mapping[str, frozenset[str]] = DEFAULT_ROLE_PERMISSIONS
) -> frozenset[str]:
    """Every permission the roles grant."""
    granted: set[str] = set()
    for role in roles:
        granted |= role_map.get(role, frozenset())
    return frozenset(granted)


def may(roles: Iterable[str], permission: str) -> bool:
    """Do ``roles`` grant ``permission``?"""
    return permission in permissions_of(roles)
