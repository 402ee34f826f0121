"""``customer-master config``: a tenant's configuration from a YAML or JSON file, applied
idempotently (``config apply tenant.yaml``), or one part at a time from flags; ``config
show`` prints it. The file's sections, applied in this order (each optional):

\b
    legal_entities:   [{code, name, currency}]
    classifications:  {customer_group: [values], region: [...], ...}
    dimension_types:  {department: [codes], ...}
    custom_fields:    [{name, type, required, choices}]
    payment_terms:    [{code, name, lines: [...]}]      (docs: R-6.1's neutral form)
    price_lists:      [{code, name, currency, lines: [...]}]
    settings:         {auto_generate_code, credit_policy, standard_price_list, ...}
    approval_lanes:   [{operation, lane, kind}]
    approval_steps:   {yellow: [roles], red: [roles]}
    roles:            {role: [permissions]}

Applying a file twice changes nothing the second time: a part already as the file says is
not stored again (and leaves no audit record).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import click

from customer_master.actor import Actor
from customer_master.app import CustomerMaster
from customer_master.domain.serialize import to_data
from customer_master.domain.terms import terms_to_dict
from customer_master.errors import FieldError, ValidationFailed
from customer_master.extras import require
from customer_master_cli.conventions import (
    EXIT_CODES,
    acting,
    actor_options,
    fail,
    json_option,
    naming_values,
    opened,
    print_json,
)

Part = Callable[[CustomerMaster, Actor, Any], None]


def _each(apply: Callable[[CustomerMaster, Actor, Any], object]) -> Part:
    def part(master: CustomerMaster, actor: Actor, items: Any) -> None:
        for index, item in enumerate(_list(items)):
            with _At(f"[{index}]"):
                apply(master, actor, item)

    return part


def _per_key(apply: Callable[[CustomerMaster, Actor, str, Any], object]) -> Part:
    def part(master: CustomerMaster, actor: Actor, items: Any) -> None:
        for key, value in _mapping(items).items():
            with _At(f".{key}"):
                apply(master, actor, str(key), value)

    return part


SECTIONS: dict[str, Part] = {
    "legal_entities": _each(lambda m, a, item: m.configuration.add_legal_entity(a, _mapping(item))),
    "classifications": _per_key(
        lambda m, a, field, values: m.configuration.set_classification(a, field, _strings(values))
    ),
    "dimension_types": _per_key(
        lambda m, a, name, values: m.configuration.set_dimension_type(a, name, _strings(values))
    ),
    "custom_fields": _each(lambda m, a, item: m.configuration.set_custom_field(a, _mapping(item))),
    "payment_terms": _each(lambda m, a, item: m.configuration.save_payment_terms(a, _mapping(item))),
    "price_lists": _each(lambda m, a, item: m.configuration.save_price_list(a, _mapping(item))),
    "settings": lambda m, a, values: m.configuration.update_settings(a, _mapping(values)) and None,
    "approval_lanes": _each(
        lambda m, a, rule: m.configuration.set_approval_lane(
            a,
            str(_mapping(rule).get("operation")),
            str(_mapping(rule).get("lane")),
            kind=_mapping(rule).get("kind"),
        )
    ),
    "approval_steps": _per_key(
        lambda m, a, lane, roles: m.configuration.set_approval_steps(a, lane, _strings(roles))
    ),
    "roles": _per_key(
        lambda m, a, role, permissions: m.configuration.set_role_permissions(a, role, _strings(permissions))
    ),
}


def apply_document(master: CustomerMaster, actor: Actor, document: Mapping[str, Any]) -> int:
    """Apply every section of ``document`` in order; how many parts changed."""
    unknown = sorted(set(document) - set(SECTIONS))
    if unknown:
        fail(f"unknown section {unknown[0]!r}; the sections are: {', '.join(SECTIONS)}")
    before = master.configuration.get(actor).version
    for name, apply in SECTIONS.items():
        if name in document:
            with _At(name):
                apply(master, actor, document[name])
    return master.configuration.get(actor).version - before


class _At:
    """Prefix the paths of validation errors raised inside with where in the file they are."""

    def __init__(self, where: str) -> None:
        self.where = where

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, error: BaseException | None, traceback: object) -> None:
        if isinstance(error, ValidationFailed):
            join = "" if not error.errors or error.errors[0].path.startswith("[") else "."
            raise ValidationFailed(
                FieldError(
                    f"{self.where}{join if e.path else ''}{e.path}".replace(".[", "["), e.code, e.message
                )
                for e in error.errors
            ) from None


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise ValidationFailed([FieldError("", "not_a_list", f"must be a list, not {value!r}")])
    return value


def _mapping(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValidationFailed([FieldError("", "not_an_object", f"must be a mapping, not {value!r}")])
    return value


def _strings(value: Any) -> list[str]:
    return [str(item) for item in _list(value)]


def read_document(path: Path) -> dict[str, Any]:
    """A configuration file: YAML (``.yaml``/``.yml``) or JSON."""
    is_yaml = path.suffix.lower() in (".yaml", ".yml")
    try:
        document = _yaml(path.read_text(encoding="utf-8")) if is_yaml else json.loads(path.read_text("utf-8"))
    except (ValueError, OSError) as error:
        fail(f"{path} is not valid {'YAML' if is_yaml else 'JSON'}: {error}")
    if not isinstance(document, dict):
        fail(f"{path} must hold a mapping of sections ({', '.join(SECTIONS)}), not {type(document).__name__}")
    return document


def _yaml(text: str) -> Any:
    require("cli", "yaml", needed_by="reading YAML")
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ValueError(str(error).replace("\n", " ")) from None


def configuration_document(master: CustomerMaster, actor: Actor) -> dict[str, Any]:
    """The tenant's configuration in the sections a file has (settings as stored)."""
    config = master.configuration.get(actor)
    policy = config.settings.approvals
    return {
        "tenant": config.tenant,
        "version": config.version,
        "legal_entities": [to_data(e) for e in config.entities],
        "classifications": {k: list(v) for k, v in config.classifications.items()},
        "dimension_types": {k: list(v) for k, v in config.dimension_types.items()},
        "custom_fields": [to_data(f) for f in config.custom_fields],
        "payment_terms": [terms_to_dict(t) for t in config.payment_terms.values()],
        "price_lists": [to_data(p) for p in config.price_lists.values()],
        "settings": {k: v for k, v in to_data(config.settings).items() if k != "approvals"},
        "approval_lanes": [to_data(rule) for rule in policy.rules],
        "approval_steps": {lane: list(roles) for lane, roles in policy.steps},
        "roles": {role: sorted(permissions) for role, permissions in config.role_permissions.items()},
    }


@click.group("config", epilog=EXIT_CODES)
def config() -> None:
    """A tenant's configuration: apply a file, set one part, show it.

    \b
    Example:
      customer-master config apply tenant.yaml --tenant acme
      customer-master config show --tenant acme --json
    """


def _apply_and_report(ctx: click.Context, given: dict[str, Any], document: Mapping[str, Any]) -> None:
    with opened(ctx) as master, naming_values(document):
        actor = acting(master, given)
        changed = apply_document(master, actor, document)
    click.echo(
        f"{actor.tenant}: {changed} change(s) applied" if changed else f"{actor.tenant}: already as given"
    )


@config.command("apply", epilog=EXIT_CODES)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@actor_options
@click.pass_context
def config_apply(ctx: click.Context, file: Path, **given: Any) -> None:
    """Apply a YAML or JSON configuration FILE (idempotent: a second run changes nothing).

    \b
    Example:
      customer-master config apply tenant.yaml --tenant acme
    """
    _apply_and_report(ctx, given, read_document(file))


@config.command("show", epilog=EXIT_CODES)
@actor_options
@json_option
@click.pass_context
def config_show(ctx: click.Context, as_json: bool, **given: Any) -> None:
    """Print the tenant's configuration (YAML; --json for JSON).

    \b
    Example:
      customer-master config show --tenant acme
    """
    with opened(ctx) as master:
        document = configuration_document(master, acting(master, given))
    if as_json:
        print_json(document)
        return
    import yaml

    click.echo(
        yaml.safe_dump(json.loads(json.dumps(document, default=str)), sort_keys=False, allow_unicode=True)
    )


@config.command("entity", epilog=EXIT_CODES)
@click.argument("code")
@click.option("--name", required=True, help="The legal entity's name.")
@click.option("--currency", help="Its home currency (ISO 4217).")
@actor_options
@click.pass_context
def config_entity(ctx: click.Context, code: str, name: str, currency: str | None, **given: Any) -> None:
    """Add or rename the legal entity CODE.

    \b
    Example:
      customer-master config entity MY01 --name "Acme Malaysia" --currency MYR --tenant acme
    """
    entity = {"code": code, "name": name, **({"currency": currency} if currency else {})}
    _apply_and_report(ctx, given, {"legal_entities": [entity]})


@config.command("lane", epilog=EXIT_CODES)
@click.argument("operation")
@click.argument("lane", type=click.Choice(["green", "yellow", "red"]))
@click.option("--kind", type=click.Choice(["company", "individual"]), help="Only for customers of this kind.")
@actor_options
@click.pass_context
def config_lane(ctx: click.Context, operation: str, lane: str, kind: str | None, **given: Any) -> None:
    """Route OPERATION (create, update, import, merge, …) to LANE.

    \b
    Example:
      customer-master config lane create green --kind individual --tenant acme
    """
    _apply_and_report(ctx, given, {"approval_lanes": [{"operation": operation, "lane": lane, "kind": kind}]})


@config.command("steps", epilog=EXIT_CODES)
@click.argument("lane", type=click.Choice(["yellow", "red"]))
@click.argument("approvers", nargs=-1, required=True)
@actor_options
@click.pass_context
def config_steps(ctx: click.Context, lane: str, approvers: tuple[str, ...], **given: Any) -> None:
    """Set the roles (APPROVERS) that approve LANE's steps, in order.

    \b
    Example:
      customer-master config steps yellow ar_manager controller --tenant acme
    """
    _apply_and_report(ctx, given, {"approval_steps": {lane: list(approvers)}})


@config.command("role", epilog=EXIT_CODES)
@click.argument("role")
@click.argument("permissions", nargs=-1, required=True)
@actor_options
@click.pass_context
def config_role(ctx: click.Context, role: str, permissions: tuple[str, ...], **given: Any) -> None:
    """Give ROLE exactly these PERMISSIONS in the tenant.

    \b
    Example:
      customer-master config role collections customer.read credit.hold --tenant acme
    """
    _apply_and_report(ctx, given, {"roles": {role: list(permissions)}})


@config.command("classification", epilog=EXIT_CODES)
@click.argument("field")
@click.argument("values", nargs=-1)
@actor_options
@click.pass_context
def config_classification(ctx: click.Context, field: str, values: tuple[str, ...], **given: Any) -> None:
    """Set the allowed VALUES of FIELD (customer_group, region, …); none lifts the list.

    \b
    Example:
      customer-master config classification region APAC EMEA AMER --tenant acme
    """
    _apply_and_report(ctx, given, {"classifications": {field: list(values)}})


@config.command("set", epilog=EXIT_CODES)
@click.argument("settings", nargs=-1, required=True, metavar="NAME=VALUE...")
@actor_options
@click.pass_context
def config_set(ctx: click.Context, settings: tuple[str, ...], **given: Any) -> None:
    """Change settings; each VALUE is read as YAML (true, 30, [a, b], text).

    \b
    Example:
      customer-master config set credit_policy=warn grace_days=5 --tenant acme
    """
    import yaml

    values: dict[str, Any] = {}
    for item in settings:
        name, sep, text = item.partition("=")
        if not sep or not name.strip():
            fail(f"settings are NAME=VALUE, not {item!r}")
        values[name.strip()] = yaml.safe_load(text) if text.strip() else None
    _apply_and_report(ctx, given, {"settings": values})
