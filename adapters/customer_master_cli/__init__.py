"""The customer-master command line (click + rich): serve, migrate, apikey, seed-demo,
audit verify, and the rules as commands (credit-check, schedule, price)."""

from customer_master_cli.commands import cli, main

__all__ = ["cli", "main"]
