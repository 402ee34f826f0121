"""Tools on customer records: find, read, the effective view, create, change, deactivate,
reactivate, merge and delete for good (with a preview first), the timeline and notes, and
an import checked without writing (SPEC R-1 to R-4, R-8, R-9, R-11, R-14)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from marshmallow import fields

from customer_master.domain.import_report import ImportResult
from customer_master.domain.importing import PRESETS, ColumnMapping, ImportOptions, mapping_from
from customer_master.domain.search import CustomerQuery
from customer_master.domain.serialize import to_data
from customer_master.services.base import Outcome
from customer_master.services.lifecycle import Preview
from customer_master_files.readers import read_csv, read_file
from customer_master_http.render import change_request_data, warnings_data
from customer_master_http.schemas.approvals import NoteInputSchema
from customer_master_http.schemas.customers import (
    CustomerCreateSchema,
    CustomerQuerySchema,
    CustomerUpdateSchema,
    EntityPathSchema,
)
from customer_master_http.schemas.rules import MergeRequestSchema
from customer_master_http.schemas.transfers import ImportUploadSchema
from customer_master_mcp import words
from customer_master_mcp.calls import Answer, Call, Refused, ToolSpec, changes, read_only
from customer_master_mcp.confirm import CONFIRM, CONFIRM_DESCRIPTION
from customer_master_mcp.schemas import customer_key, with_fields

VERSION = fields.Integer(
    metadata={"description": "The version you read (get_customer); leave out to change it as it is now."}
)


def outcome(call: Call, result: Outcome[Any], what: str) -> Answer:
    """A change applied (the customer and its warnings), or waiting for approval."""
    if result.change_request is not None:
        data = {"change_request": change_request_data(result.change_request)}
        return Answer(
            data | {"warnings": warnings_data(result.warnings)}, words.pending(result.change_request, what)
        )
    customer = result.applied
    data = {"customer": to_data(customer), "warnings": warnings_data(result.warnings)}
    return Answer(data, words.changed(customer, what, result.warnings))


def search(call: Call, args: dict[str, Any]) -> Answer:
    page = call.cm.customers.search(call.actor, CustomerQuery(**args))
    data = {"items": [to_data(c) for c in page.items], "next_cursor": page.next_cursor}
    return Answer(data, words.customers(page.items, page.next_cursor is not None))


def get(call: Call, args: dict[str, Any]) -> Answer:
    found = call.cm.customers.lookup(call.actor, args["customer"])
    source = found.redirected_from
    data = {
        "customer": to_data(found.customer),
        "redirected_from": {"id": source.id, "code": source.code} if source else None,
    }
    note = f" ({source.code} was merged into it)" if source else ""
    return Answer(data, f"{words.customer_line(found.customer)}, version {found.customer.version}{note}.")


def effective_view(call: Call, args: dict[str, Any]) -> Answer:
    view = call.cm.customers.effective_view(call.actor, call.customer_id(args["customer"]), args["entity"])
    data = {
        "entity": view.entity,
        "customer": to_data(view.customer),
        "overridden": list(view.overridden),
        "is_enabled": view.is_enabled,
    }
    overridden = ", ".join(view.overridden) or "nothing"
    enabled = "enabled" if view.is_enabled else "NOT enabled"
    return Answer(
        data, f"{view.customer.code} as {view.entity} sees it ({enabled}); overridden: {overridden}."
    )


def create(call: Call, args: dict[str, Any]) -> Answer:
    return outcome(call, call.cm.customers.create(call.actor, args), "Customer created")


def update(call: Call, args: dict[str, Any]) -> Answer:
    customer_id, version = call.customer_id(args.pop("customer")), args.pop("version", None)
    return outcome(
        call, call.cm.customers.update(call.actor, customer_id, args, version=version), "Customer changed"
    )


def deactivate(call: Call, args: dict[str, Any]) -> Answer:
    customer_id = call.customer_id(args["customer"])
    result = call.cm.customers.deactivate(call.actor, customer_id, version=args.get("version"))
    return outcome(call, result, "Customer deactivated")


def reactivate(call: Call, args: dict[str, Any]) -> Answer:
    customer_id = call.customer_id(args["customer"])
    result = call.cm.customers.reactivate(call.actor, customer_id, version=args.get("version"))
    return outcome(call, result, "Customer reactivated")


def preview_answer(call: Call, preview: Preview, what: str) -> Answer:
    """What an irreversible operation would do, and the code that lets it go ahead."""
    state = {c.id: c.version for c in preview.before}
    code = call.code(state)
    waits = (
        f"it then waits for approval ({preview.lane} lane: {', '.join(preview.steps)})"
        if preview.steps
        else "it applies at once"
    )
    data = {
        "preview": {
            "operation": preview.operation,
            "before": [to_data(c) for c in preview.before],
            "after": [to_data(c) if c is not None else None for c in preview.after],
            "folded": preview.folded,
            "lane": preview.lane,
            "approvers": list(preview.steps),
        },
        "confirmation_required": True,
        CONFIRM: code,
    }
    summary = (
        f"Nothing done yet. {what} cannot be undone; {waits}. To go ahead, call {call.tool} again "
        f'with the same arguments and {CONFIRM}="{code}".'
    )
    return Answer(data, summary)


def _confirmed_or_preview(call: Call, preview: Preview, what: str) -> Answer | None:
    confirmed = call.confirmed({c.id: c.version for c in preview.before})
    if confirmed is None:
        return preview_answer(call, preview, what)
    if not confirmed:
        raise Refused(
            f"the {CONFIRM} code does not match this {call.tool} call, or the customers changed since the "
            f"preview; call {call.tool} without {CONFIRM} to see it again"
        )
    return None


def merge(call: Call, args: dict[str, Any]) -> Answer:
    source, target = call.customer_id(args["customer"]), call.customer_id(args["target_id"])
    preview = call.cm.lifecycle.preview_merge(call.actor, source, target)
    what = f"Merging {preview.before[0].code} into {preview.before[1].code}"
    shown = _confirmed_or_preview(call, preview, what)
    if shown is not None:
        return shown
    result = call.cm.lifecycle.merge(call.actor, source, target)
    if result.change_request is not None:
        return Answer(
            {"change_request": change_request_data(result.change_request)},
            words.pending(result.change_request, what),
        )
    assert result.source is not None, "an applied merge names its source"
    assert result.target is not None, "an applied merge names its target"
    data = {"target": to_data(result.target), "source": to_data(result.source), "folded": result.folded}
    return Answer(data, f"Merged {result.source.code} into {words.customer_line(result.target)}.")


def delete(call: Call, args: dict[str, Any]) -> Answer:
    customer_id = call.customer_id(args["customer"])
    preview = call.cm.lifecycle.preview_hard_delete(call.actor, customer_id)
    what = f"Deleting {preview.before[0].code} for good"
    shown = _confirmed_or_preview(call, preview, what)
    if shown is not None:
        return shown
    result = call.cm.lifecycle.hard_delete(call.actor, customer_id)
    if result.change_request is not None:
        return Answer(
            {"change_request": change_request_data(result.change_request)},
            words.pending(result.change_request, what),
        )
    return Answer(
        {"deleted": result.deleted, "customer_id": customer_id},
        f"{preview.before[0].code} is deleted for good.",
    )


def timeline(call: Call, args: dict[str, Any]) -> Answer:
    entries = call.cm.audit.timeline(call.actor, call.customer_id(args["customer"]))
    lines = [f"- {e.at:%Y-%m-%d %H:%M} {e.actor}: {e.summary}" for e in entries[:15]]
    return Answer(
        {"items": [to_data(e) for e in entries]},
        "\n".join([f"{len(entries)} entries, newest first:", *lines]),
    )


def add_note(call: Call, args: dict[str, Any]) -> Answer:
    note = call.cm.audit.add_note(call.actor, call.customer_id(args["customer"]), args["text"])
    return Answer(to_data(note), f"Note added by {note.author} at {note.at:%Y-%m-%d %H:%M}.")


def validate_import(call: Call, args: dict[str, Any]) -> Answer:
    """A dry run of an import from a file path (stdio only) or CSV text: nothing is written."""
    path, content = args.pop("path", None), args.pop("content", None)
    if (path is None) == (content is None):
        raise Refused("give either path (a CSV or XLSX file) or content (CSV text)")
    if path is not None and call.transport != "stdio":
        raise Refused(
            "path reads a file on the server's machine, which only a local (stdio) server does; send content"
        )
    if path is not None:
        rows = read_file(
            Path(path),
            delimiter=args.get("delimiter"),
            encoding=args.get("encoding"),
            sheet=args.get("sheet"),
        )
    else:
        rows = read_csv(io.BytesIO(str(content).encode("utf-8")), delimiter=args.get("delimiter"))
    result = call.cm.imports.run(call.actor, rows, _options(args))
    return Answer(result.to_data(), _import_words(result))


def _options(args: dict[str, Any]) -> ImportOptions:
    mapping = PRESETS[args["preset"]] if args.get("preset") else ColumnMapping()
    if args.get("mapping") is not None:
        mapping = mapping_from(args["mapping"], base=mapping)
    return ImportOptions(
        on_duplicate=args["on_duplicate"],
        batch_size=args["batch_size"],
        stop_on_error=args["stop_on_error"],
        validate_only=True,
        mapping=mapping,
    )


def _import_words(result: ImportResult) -> str:
    counts = ", ".join(f"{result.counts[n]} {n}" for n in ("created", "updated", "skipped", "failed"))
    lines = [f"Dry run of {result.rows} rows, nothing written: would give {counts}."]
    for row in [o for o in result.outcomes if o.outcome == "failed"][:10]:
        problems = "; ".join(f"{p.column}: {p.message}" for p in row.problems) or row.message
        lines.append(f"- row {row.row}: {problems}")
    return "\n".join(lines)


_CONFIRM_FIELD = fields.String(metadata={"description": CONFIRM_DESCRIPTION})
_NOTE = with_fields(NoteInputSchema, "AddNoteTool", customer=customer_key())

TOOLS = (
    ToolSpec(
        "search_customers",
        "Find customers",
        "Find customers by name (prefix, or name_match=fuzzy to forgive typing errors: best match first), "
        "code, e-mail, tax id and filters (status, kind, group, segment, region, tag, entity, salesperson, "
        "credit hold). Pages of `limit`; pass next_cursor as `after` for the next page.",
        CustomerQuerySchema(),
        read_only("Find customers"),
        search,
    ),
    ToolSpec(
        "get_customer",
        "Read a customer",
        "A customer with all its related records (addresses, contacts, bank accounts, tax ids, pricing "
        "tiers, "
        "tax profiles, entity overrides), by code or id. A merged-away customer leads to the one it was "
        "merged into.",
        with_fields(EntityPathSchema, "GetCustomerTool", exclude=("entity",), customer=customer_key()),
        read_only("Read a customer"),
        get,
    ),
    ToolSpec(
        "effective_view",
        "Customer as one legal entity sees it",
        "The customer with one legal entity's override laid over it field by field (credit limit, terms, "
        "currency, price list…), which fields came from the override, and whether the entity may use it.",
        with_fields(
            EntityPathSchema,
            "EffectiveViewTool",
            customer=customer_key(),
            entity=fields.String(required=True, metadata={"description": "A legal entity code."}),
        ),
        read_only("Effective view"),
        effective_view,
    ),
    ToolSpec(
        "create_customer",
        "Create a customer",
        "Create a customer with its related records in one step. Every problem is reported at once with its "
        "path. In most tenants a new customer waits for approval: the answer then names the change request "
        "and who must approve next.",
        CustomerCreateSchema(),
        changes("Create a customer", destructive=False),
        create,
    ),
    ToolSpec(
        "update_customer",
        "Change a customer",
        "Change only the fields given. Related records change through actions: {action: add, …}, "
        "{action: update, id, …}, {action: delete, id}. May wait for approval (the answer says who "
        "approves).",
        with_fields(CustomerUpdateSchema, "UpdateCustomerTool", customer=customer_key(), version=VERSION),
        changes("Change a customer", destructive=True),
        update,
    ),
    ToolSpec(
        "deactivate_customer",
        "Deactivate a customer",
        "Soft delete: the customer is hidden from new documents, keeps its history and can be reactivated. "
        "May wait for approval.",
        with_fields(
            EntityPathSchema, "DeactivateTool", exclude=("entity",), customer=customer_key(), version=VERSION
        ),
        changes("Deactivate a customer", destructive=True),
        deactivate,
    ),
    ToolSpec(
        "reactivate_customer",
        "Reactivate a customer",
        "Make a deactivated customer active again. May wait for approval.",
        with_fields(
            EntityPathSchema, "ReactivateTool", exclude=("entity",), customer=customer_key(), version=VERSION
        ),
        changes("Reactivate a customer", destructive=True),
        reactivate,
    ),
    ToolSpec(
        "merge_customers",
        "Merge a duplicate into another customer",
        "Move everything of `customer` (addresses, contacts, bank accounts, tiers, tax ids, open items…) to "
        "`target_id` and retire it. Cannot be undone: the first call only shows the result and a "
        "confirmation "
        "code; call again with `confirm` to go ahead. Refused, with the reason, when the merge policy "
        "forbids it.",
        with_fields(
            MergeRequestSchema,
            "MergeTool",
            customer=customer_key("The customer merged away (code or id)."),
            target_id=customer_key("The customer that stays (code or id)."),
            confirm=_CONFIRM_FIELD,
        ),
        changes("Merge customers", destructive=True),
        merge,
    ),
    ToolSpec(
        "delete_customer_permanently",
        "Delete a customer for good",
        "Remove a customer and its related records permanently (the audit trail keeps the deletion). "
        "Refused, "
        "naming the module, when a host reports transaction history: deactivate instead. Cannot be undone: "
        "the "
        "first call only shows what goes and a confirmation code; call again with `confirm`. Needs the red "
        "lane's "
        "approvals.",
        with_fields(
            EntityPathSchema,
            "DeleteTool",
            exclude=("entity",),
            customer=customer_key(),
            confirm=_CONFIRM_FIELD,
        ),
        changes("Delete a customer for good", destructive=True),
        delete,
    ),
    ToolSpec(
        "customer_timeline",
        "A customer's activity",
        "Changes, credit holds, change requests and notes of a customer, newest first.",
        with_fields(EntityPathSchema, "TimelineTool", exclude=("entity",), customer=customer_key()),
        read_only("Customer timeline"),
        timeline,
    ),
    ToolSpec(
        "add_note",
        "Add an internal note",
        "Add an internal note to a customer's timeline (notes are never edited; correct with a new note).",
        _NOTE,
        changes("Add a note", destructive=False),
        add_note,
    ),
    ToolSpec(
        "validate_import",
        "Check an import file without importing",
        "A dry run of a customer import: every row checked (fields, references, duplicates) and reported "
        "with "
        "its row number, column and message; nothing is written. Give CSV text as `content`, or (local "
        "server "
        "only) a CSV or XLSX file `path`; `preset` reads a CRM export's column names.",
        with_fields(
            ImportUploadSchema,
            "ValidateImportTool",
            exclude=("file", "validate_only", "format"),
            path=fields.String(
                metadata={"description": "A CSV or XLSX file on this machine (stdio server only)."}
            ),
            content=fields.String(metadata={"description": "The CSV file's text."}),
        ),
        read_only("Check an import"),
        validate_import,
    ),
)
