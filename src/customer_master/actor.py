"""Who is asking: every service call names an actor, and every call is scoped to the
actor's tenant (SPEC R-12.1). The actor also says through which door the call came
(``channel``: ``python`` for host code, ``http``, ``cli``, ``mcp``), which the audit
record of a change keeps (R-16.4).

>>> Actor("acme", "ana", {"ar_manager"}).channel
'python'
>>> Actor("acme", "ana", "admin", channel="mcp") == Actor("acme", "ana", "admin")
True
"""

from __future__ import annotations

from attrs import field, frozen


def _roles(value: object) -> frozenset[str]:
    if isinstance(value, str):
        return frozenset({value})
    if isinstance(value, frozenset):
        return value
    if isinstance(value, (set, list, tuple)):
        return frozenset(str(v) for v in value)
    raise TypeError("roles must be a string or a collection of strings")


@frozen
class Actor:
    """A user of one tenant with roles, e.g. ``Actor("acme", "ana", {"ar_manager"})``."""

    tenant: str
    user: str
    roles: frozenset[str] = field(default=frozenset(), converter=_roles)
    # The door, not the person: two actors differing only by channel are the same user.
    channel: str = field(default="python", kw_only=True, eq=False)

    def has_role(self, role: str) -> bool:
        return role in self.roles
