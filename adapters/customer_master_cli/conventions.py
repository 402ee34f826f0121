"""What every command of ``customer-master`` shares, so a new command behaves like the
others (commands of other modules reuse these):

- **Who acts.** ``--api-key`` (env ``CUSTOMER_MASTER_API_KEY``) acts as the key's user
  with the key's roles; otherwise ``--tenant`` (env ``CUSTOMER_MASTER_TENANT``),
  ``--user`` (default: your login) and ``--role`` (repeat; default ``admin``). Whoever
  runs the command can open the database anyway, so the flags are trusted; a key is for
  scripts that should hold only its roles. Every actor carries the channel ``cli``.
- **Output.** A table for people; ``--json`` prints the API's JSON for scripts.
- **Errors.** One line on stderr naming the field and the offending value, never a
  traceback; exit codes as ``EXIT_CODES`` says.
- **Help.** Every command's help ends with an ``Example:`` block.
"""

from __future__ import annotations

import getpass
import json
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal
from typing import Any, NoReturn, TypeVar

import click
from attrs import evolve

from customer_master.actor import Actor
from customer_master.app import CustomerMaster
from customer_master.errors import FieldError, ValidationFailed

DEFAULT_URL = "sqlite:///customer-master.db"
KEY_VARIABLE = "CUSTOMER_MASTER_API_KEY"
CHANNEL = "cli"

OK, ERROR, USAGE, ROWS_FAILED = 0, 1, 2, 3
EXIT_CODES = """\b
Exit codes:
  0  done
  1  error: one line on stderr saying what is wrong, naming the value
  2  usage: an unknown option or command, a missing argument
  3  some rows failed (import): the others went through; see the report"""

F = TypeVar("F", bound=Callable[..., Any])


def fail(message: str) -> NoReturn:
    """Stop the command with one line and exit code 1."""
    raise click.ClickException(message)


_MISSING = object()


@contextmanager
def naming_values(given: Mapping[str, Any]) -> Iterator[None]:
    """Validation errors as one line, each naming the value it found in ``given``."""
    try:
        yield
    except ValidationFailed as error:
        fail("invalid input — " + "; ".join(_named(e, given) for e in error.errors))


def _named(error: FieldError, given: Mapping[str, Any]) -> str:
    value = value_at(given, error.path)
    got = "" if value is _MISSING or value is None else f" (got {value!r})"
    return f"{error.path}: {error.message}{got}"


def value_at(data: Any, path: str) -> Any:
    """The value at ``addresses[0].country`` in ``data``, or a marker when there is none."""
    for part in re.findall(r"[^.\[\]]+", path):
        if isinstance(data, Mapping) and part in data:
            data = data[part]
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        else:
            return _MISSING
    return data


def url_of(ctx: click.Context) -> str:
    """The storage URL of the command (the group's ``--url``)."""
    return str((ctx.find_root().obj or {}).get("url") or DEFAULT_URL)


@contextmanager
def opened(ctx: click.Context) -> Iterator[CustomerMaster]:
    """The façade over the command's storage, closed afterwards."""
    master = CustomerMaster.from_url(url_of(ctx))
    try:
        yield master
    finally:
        master.close()


def actor_options(command: F) -> F:
    """``--api-key``, or ``--tenant``/``--user``/``--role``: who acts (see the module)."""
    options = (
        click.option(
            "--role", "roles", multiple=True, help="A role of the acting user (repeat); default: admin."
        ),
        click.option("--user", help="Who acts (audit); default: your login."),
        click.option(
            "--tenant", envvar="CUSTOMER_MASTER_TENANT", help="The tenant (env: CUSTOMER_MASTER_TENANT)."
        ),
        click.option(
            "--api-key", envvar=KEY_VARIABLE, help=f"Act as this key's user and roles (env: {KEY_VARIABLE})."
        ),
    )
    for option in options:
        command = option(command)
    return command


def acting(master: CustomerMaster, given: dict[str, Any]) -> Actor:
    """The actor the options name (consumes ``api_key``, ``tenant``, ``user``, ``roles``)."""
    key, tenant = given.pop("api_key", None), given.pop("tenant", None)
    user, roles = given.pop("user", None), given.pop("roles", ())
    if key:
        if tenant or user or roles:
            fail("give --api-key or --tenant/--user/--role, not both")
        actor = master.access.authenticate(key)
        if actor is None:
            fail("the API key is unknown or revoked (--api-key / CUSTOMER_MASTER_API_KEY)")
        return evolve(actor, channel=CHANNEL)
    if not tenant:
        fail("say who acts: --tenant (with --user/--role) or --api-key")
    return Actor(tenant, user or getpass.getuser(), set(roles or ("admin",)), channel=CHANNEL)


json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=_plain))


def _plain(value: object) -> str:
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    raise TypeError(f"not JSON-ready: {type(value).__name__}")


def host_and_port(bind: str) -> tuple[str, int]:
    """``host:port`` of a ``--bind`` option."""
    host, _, port = bind.rpartition(":")
    if not port.isdigit():
        fail(f"--bind must be host:port, not {bind!r}")
    return host or "127.0.0.1", int(port)
