"""Which column of a file is which field of the row format (SPEC R-9.1): a **column
mapping** matches a file's headers to the row format of ``columns.py`` — by the format's
own names, a CRM **preset** (``presets.py``) or a mapping the user gives — and turns each
row's cells into row-format cells.

A mapping may also say what a written value means (``values``: ``"Blighty"`` in
``address_country`` is ``GB``), and a preset **keeps** the CRM's other standard columns
in the tenant's own fields: a column the preset names ``annual_revenue`` goes to the
tenant's custom field or dimension type ``salesforce_annual_revenue``, else
``annual_revenue``, where the tenant has one (``plan`` with the tenant's configuration);
a column nothing takes is listed once as ignored.

>>> from customer_master.domain.config import CustomField, TenantConfiguration
>>> employees = CustomField(name="employees", type="integer")
>>> tenant = TenantConfiguration(tenant="acme", custom_fields=(employees,))
>>> mapping = ColumnMapping(columns={"Company": "name", "Land": "address_country"},
...                         kept={"Staff": "employees", "Owner": "owner"},
...                         values={"address_country": {"Blighty": "GB"}}, only_mapped=True)
>>> plan = mapping.plan(["Company", "Land", "Staff", "Owner"], tenant)
>>> plan.cells({"Company": "Acme", "Land": "blighty", "Staff": "250", "Owner": "Ana"})
{'name': 'Acme', 'address_country': 'GB', 'custom_employees': '250'}
>>> plan.ignored
('Owner',)
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from attrs import evolve, field, frozen

from customer_master.domain.columns import (
    CUSTOM_PREFIX,
    DIMENSION_PREFIX,
    group_prefix,
    is_column,
    split_group_column,
)
from customer_master.domain.config import TenantConfiguration
from customer_master.domain.countries import fold
from customer_master.domain.customer import CUSTOMER_TYPES

# A cell an export neutralised (``'=1+2``) reads back as written (``=1+2``).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What ``neutralised`` prefixes with an apostrophe: formulas, and the apostrophe itself.
_ESCAPED = (*FORMULA_STARTS, "'")

# Special target: a multi-line street cell split into an address group's line1..line3.
_STREET = re.compile(r"^(address[0-9]*_)street$")
_STREET_LINES = ("line1", "line2", "line3")
# Mappings whose kept columns may be named after the CRM (``salesforce_owner_id``).
_PRESET_NAMES = frozenset({"salesforce", "hubspot"})


def header_key(header: str) -> str:
    """Headers compare by their letters and digits only: ``"Billing Street"``,
    ``"billing_street"`` and ``"BillingStreet"`` are one header."""
    return re.sub(r"[^0-9a-z]", "", header.lower())


def neutralised(text: str) -> str:
    """``text`` made safe for a spreadsheet: a cell that would start a formula gets a
    leading apostrophe (``=cmd|…`` → ``'=cmd|…``), and so does one that starts with an
    apostrophe itself (``'=…`` → ``''=…``, as a spreadsheet writes it), so that
    ``unneutralised`` gives back exactly ``text``.

    >>> [unneutralised(neutralised(text)) for text in ("=1+2", "'=1+2", "'", "plain")]
    ['=1+2', "'=1+2", "'", 'plain']
    """
    return "'" + text if text.startswith(_ESCAPED) else text


def unneutralised(text: str) -> str:
    """The cell as the customer master wrote it before ``neutralised``."""
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(_ESCAPED):
        return text[1:]
    return text


def is_target(column: str) -> bool:
    """Can a mapping send a header to ``column``?"""
    return is_column(column) or _STREET.match(column) is not None


@frozen
class HeaderPlan:
    """How one file's headers become row-format cells: ``columns`` maps each header
    used to its column; ``ignored`` are headers nothing takes. ``choices``: headers
    that fill their column only with one of its allowed values (folded → as allowed),
    else their ``fallbacks`` column, if any. ``values``: what written values mean,
    per header (folded → meant)."""

    columns: Mapping[str, str]
    defaults: Mapping[str, str]
    ignored: tuple[str, ...]
    choices: Mapping[str, Mapping[str, str]] = field(factory=dict)
    fallbacks: Mapping[str, str] = field(factory=dict)
    values: Mapping[str, Mapping[str, str]] = field(factory=dict)

    def cells(self, source: Mapping[str, str]) -> dict[str, str]:
        """The row's cells by row-format column: trimmed, neutralised formulas undone,
        values mapped, a street split into lines, defaults where a cell is blank. Only
        columns of the file (and defaults) appear, which is how an update tells a blank
        cell (clear it) from a column the file lacks (keep it)."""
        cells: dict[str, str] = {}
        for header, column in self.columns.items():
            text = unneutralised((source.get(header) or "").strip())
            if text and header in self.values:
                text = self.values[header].get(fold(text), text)
            street = _STREET.match(column)
            if street is not None:
                _put_street(cells, street.group(1), text)
                continue
            if column == "website" and text and "://" not in text and "." in text and " " not in text:
                text = "https://" + text
            if header in self.choices:
                allowed = self.choices[header].get(fold(text)) if text else ""
                if allowed is None:
                    _put(cells, column, "")
                    column, allowed = self.fallbacks.get(header, ""), text
                text = allowed
                if not column:
                    continue
            _put(cells, column, text)
        for column, value in self.defaults.items():
            if not cells.get(column):
                cells[column] = value
        return cells

    def header_of(self, column: str) -> str:
        """The file's header that feeds a row-format column (what a problem names)."""
        for header, target in self.columns.items():
            street = _STREET.match(target)
            if (
                target == column
                or self.fallbacks.get(header) == column
                or (street is not None and column in {street.group(1) + n for n in _STREET_LINES})
            ):
                return header
        return column


def _put(cells: dict[str, str], column: str, text: str) -> None:
    """Two headers may feed one column (``Id`` and ``Account ID``): the first filled wins."""
    if not cells.get(column):
        cells[column] = text


def _put_street(cells: dict[str, str], prefix: str, text: str) -> None:
    """A multi-line street in an address group's lines; lines past the third join it."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for index, name in enumerate(_STREET_LINES):
        _put(cells, prefix + name, lines[index] if index < len(lines) else "")
    if len(lines) > 3:
        cells[prefix + "line3"] = ", ".join(lines[2:])


@frozen
class ColumnMapping:
    """Which header is which column. ``columns`` maps headers (compared by
    ``header_key``) to row-format columns; headers not in it are matched to the row
    format by name unless ``only_mapped`` (a preset reads just the CRM columns it knows).
    ``defaults`` fill blank cells, e.g. ``{"kind": "company", "legal_entity": "MY01"}``.
    ``values`` say what written values mean, per row-format column (``address_country``
    covers every address group), compared ignoring case, accents and punctuation.
    ``kept`` names the CRM's other columns for the tenant's custom fields and dimension
    types; ``choices`` are headers that fill their column only with an allowed value
    (``Type`` → ``customer_type``), their other values kept like ``kept`` columns."""

    name: str = "customer-master"
    columns: Mapping[str, str] = field(factory=dict)
    defaults: Mapping[str, str] = field(factory=dict)
    only_mapped: bool = False
    values: Mapping[str, Mapping[str, str]] = field(factory=dict)
    kept: Mapping[str, str] = field(factory=dict)
    choices: Mapping[str, str] = field(factory=dict)

    def plan(self, headers: Sequence[str], tenant: TenantConfiguration | None = None) -> HeaderPlan:
        """The plan for a file with ``headers``; without the ``tenant``'s configuration
        no column is kept in a custom field or dimension."""
        by_key = {header_key(k): v for k, v in self.columns.items()}
        kept = {header_key(k): v for k, v in self.kept.items()}
        choice_of = {header_key(k): v for k, v in self.choices.items()}
        columns: dict[str, str] = {}
        choices: dict[str, Mapping[str, str]] = {}
        fallbacks: dict[str, str] = {}
        ignored: list[str] = []
        for header in headers:
            key = header_key(header)
            target = by_key.get(key)
            if target is None and not self.only_mapped:
                target = _row_format_name(header)
            keeper = _keeper(self.name, kept.get(key) or snake_name(header), tenant)
            allowed = _allowed(choice_of[key], tenant) if key in choice_of else None
            if target is None and key in choice_of:
                target = choice_of[key]
            if allowed is not None and target == choice_of[key]:
                choices[header] = allowed
                if keeper:
                    fallbacks[header] = keeper
                else:
                    ignored.append(header)  # its values that are not allowed ones
            target = target or keeper
            if target:
                columns[header] = target
            elif header.strip():
                ignored.append(header)
        values = {h: v for h, c in columns.items() if (v := self._values_for(c))}
        return HeaderPlan(columns, dict(self.defaults), tuple(ignored), choices, fallbacks, values)

    def _values_for(self, column: str) -> dict[str, str]:
        parts = split_group_column(column)
        general = group_prefix(parts[0], 1) + parts[2] if parts else column
        found = {**self.values.get(general, {}), **self.values.get(column, {})}
        return {fold(written): meant for written, meant in found.items()}

    def with_defaults(self, defaults: Mapping[str, str]) -> ColumnMapping:
        return evolve(self, defaults={**self.defaults, **defaults})

    def to_data(self) -> dict[str, Any]:
        """Plain data, as a change request stores the mapping of an import."""
        return {
            "name": self.name,
            "columns": dict(self.columns),
            "defaults": dict(self.defaults),
            "only_mapped": self.only_mapped,
            "values": {column: dict(values) for column, values in self.values.items()},
            "kept": dict(self.kept),
            "choices": dict(self.choices),
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> ColumnMapping:
        return cls(
            name=str(data.get("name", "customer-master")),
            columns=dict(data.get("columns", {})),
            defaults=dict(data.get("defaults", {})),
            only_mapped=bool(data.get("only_mapped", False)),
            values={str(c): dict(v) for c, v in data.get("values", {}).items()},
            kept=dict(data.get("kept", {})),
            choices=dict(data.get("choices", {})),
        )


def _row_format_name(header: str) -> str | None:
    name = re.sub(r"[\s\-]+", "_", header.strip().lower())
    return name if is_column(name) else None


def snake_name(header: str) -> str:
    """A header as a field name: ``"AnnualRevenue"``, ``"Annual Revenue"`` → ``annual_revenue``.

    >>> snake_name("NumberOfEmployees"), snake_name("My_Field__c"), snake_name("D-U-N-S Number")
    ('number_of_employees', 'my_field_c', 'd_u_n_s_number')
    """
    words = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", header.strip())
    return re.sub(r"[^0-9a-z]+", "_", words.lower()).strip("_")


def _keeper(mapping: str, name: str, tenant: TenantConfiguration | None) -> str | None:
    """The row-format column that keeps a column named ``name``: the tenant's custom
    field, else its dimension type, called ``<crm>_<name>`` (a preset's columns) or
    else ``<name>``."""
    if tenant is None or not name:
        return None
    system = mapping.split("+")[0]
    names = (f"{system}_{name}", name) if system in _PRESET_NAMES else (name,)
    for candidate in names:
        if tenant.custom_field(candidate) is not None:
            return CUSTOM_PREFIX + candidate
        if candidate in tenant.dimension_types:
            return DIMENSION_PREFIX + candidate
    return None


def _allowed(column: str, tenant: TenantConfiguration | None) -> dict[str, str] | None:
    """The allowed values of a classified column (folded → as allowed); ``None`` when
    any value is allowed."""
    allowed = tenant.allowed_values(column) if tenant is not None else None
    if allowed is None and column == "customer_type":
        allowed = CUSTOMER_TYPES
    return None if allowed is None else {fold(value): value for value in allowed}
