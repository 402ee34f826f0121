"""The plugin manager: finds host plugins and delivers events to them (R-15.2, R-15.3)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pluggy

from customer_master import hookspecs
from customer_master.domain.events import Event
from customer_master.errors import FieldError

log = logging.getLogger("customer_master.plugins")

ENTRY_POINT_GROUP = "customer_master"


class Hooks:
    """Host plugins of one façade: asks them questions and delivers committed events."""

    def __init__(self, plugins: Iterable[object] = (), *, load_entry_points: bool = True) -> None:
        self.manager = pluggy.PluginManager(hookspecs.PROJECT)
        self.manager.add_hookspecs(hookspecs)
        if load_entry_points:
            self.manager.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
        for plugin in plugins:
            self.register(plugin)
        # Commit and delivery happen under one lock so events reach hooks in commit order.
        self.delivery_lock = threading.RLock()

    def register(self, plugin: object, name: str | None = None) -> None:
        self.manager.register(plugin, name=name)

    def deliver(self, events: Sequence[tuple[Event, Mapping[str, Any]]]) -> None:
        """Call each event's hook with its arguments; a failing hook is logged, the others
        still run (the change has already committed)."""
        for event, arguments in events:
            caller = getattr(self.manager.hook, event.name)
            for impl in reversed(caller.get_hookimpls()):
                try:
                    impl.function(**_accepted(impl.argnames, {"event": event, **arguments}))
                except Exception:
                    log.exception(
                        "hook %s of plugin %s failed for event %s",
                        event.name,
                        impl.plugin_name,
                        event.id,
                    )

    def transaction_history(self, tenant: str, customer_id: str) -> hookspecs.HistoryAnswer | None:
        answer: hookspecs.HistoryAnswer | None = self.manager.hook.has_transaction_history(
            tenant=tenant, customer_id=customer_id
        )
        return answer

    def extra_errors(self, tenant: str, customer: object, operation: str) -> list[FieldError]:
        results = self.manager.hook.validate_customer(tenant=tenant, customer=customer, operation=operation)
        return [error for result in results if result for error in result]

    def defaults(self, tenant: str, payload: Mapping[str, Any]) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        # pluggy answers last-registered first; updating in that order lets the first registered win.
        for result in self.manager.hook.customer_defaults(tenant=tenant, payload=payload):
            merged.update(result or {})
        return merged


def _accepted(argnames: Sequence[str], arguments: Mapping[str, Any]) -> dict[str, Any]:
    return {name: arguments[name] for name in argnames if name in arguments}
