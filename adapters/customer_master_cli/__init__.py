"""The customer-master command line (click + rich): serve, migrate, apikey, seed-demo,
audit verify, config, approvals, customer, import/export, mcp and the rules as commands
(credit-check, schedule, price).

It needs the ``cli`` extra; without it the ``customer-master`` command says so in one
line instead of failing on a missing module.
"""

from __future__ import annotations

import sys
from typing import Any

from customer_master.extras import MissingExtra, require


def main() -> None:
    """The console script ``customer-master``."""
    try:
        require("cli", "click", "rich", needed_by="the customer-master command")
    except MissingExtra as missing:
        sys.stderr.write(f"Error: {missing}\n")
        raise SystemExit(1) from None
    from customer_master_cli.commands import main as run

    run()


def __getattr__(name: str) -> Any:
    """``cli`` (the click group) is imported on first use, so a missing extra is one line."""
    if name == "cli":
        require("cli", "click", "rich", needed_by="the customer-master command")
        from customer_master_cli.commands import cli

        return cli
    raise AttributeError(f"module 'customer_master_cli' has no attribute {name!r}")


__all__ = ["cli", "main"]
