"""Preview, then confirm: an action that cannot be undone (a merge, a hard delete, the
approval that applies one) or that reaches other people (sending a statement) first
answers with what it would do and a confirmation code, and acts only when called again
with the same arguments and that code — the way accounting assistants' connectors ask
before posting.

The code is an HMAC, under a key the server draws at start, of who asks, the tool, its
arguments and the state the preview saw (the customers' versions, the approvals so far).
A code from another preview, another user, or a preview the world has since moved past
does not match, so what is confirmed is exactly what was shown.

>>> confirmations = Confirmations(key=b"k")
>>> code = confirmations.code("acme", "ana", "merge_customers", {"customer": "CUS-1"}, {"c1": 3})
>>> confirmations.matches(code, "acme", "ana", "merge_customers", {"customer": "CUS-1"}, {"c1": 3})
True
>>> confirmations.matches(code, "acme", "ana", "merge_customers", {"customer": "CUS-1"}, {"c1": 4})
False
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from typing import Any

from customer_master.domain.canonical import canonical_json

CONFIRM = "confirm"
CONFIRM_DESCRIPTION = (
    "Leave out at first: the tool then only shows what it would do and gives a confirmation code. "
    "Call again with the same arguments and that code to go ahead."
)


class Confirmations:
    """Confirmation codes for previews; valid while this server runs."""

    def __init__(self, key: bytes | None = None) -> None:
        self._key = key or secrets.token_bytes(32)

    def code(
        self, tenant: str, user: str, tool: str, arguments: Mapping[str, Any], state: Mapping[str, Any]
    ) -> str:
        """The code a preview gives out for exactly this call on exactly this state."""
        asked = {key: value for key, value in arguments.items() if key != CONFIRM}
        message = canonical_json({"who": [tenant, user], "tool": tool, "arguments": asked, "state": state})
        return hmac.new(self._key, message.encode(), hashlib.sha256).hexdigest()[:24]

    def matches(
        self,
        given: str,
        tenant: str,
        user: str,
        tool: str,
        arguments: Mapping[str, Any],
        state: Mapping[str, Any],
    ) -> bool:
        return hmac.compare_digest(given, self.code(tenant, user, tool, arguments, state))
