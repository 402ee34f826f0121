"""Column presets for CRM exports (SPEC R-9.1, R-9.3), and the mappings users give.

A preset maps a CRM's columns to the row format: the record id to an external reference
(so importing the same export again finds every customer it created), name, phone,
website, industry, description and addresses to the customer's own fields. The CRM's
other standard columns are **kept** where the tenant has a place for them: each has a
name (``annual_revenue``, ``number_of_employees``, ``owner_id``…), and goes to the
tenant's custom field or dimension type called ``<crm>_<name>`` (``salesforce_owner_id``)
or else ``<name>`` (``annual_revenue``). The same holds for any other column of the
file, named by its header in snake case (``My_Field__c`` → ``my_field_c``). A column
that finds no place is listed once in the import's result as ignored.

``Type`` fills the customer type when its value is one (``Wholesale``), its other values
(``Customer - Direct``) are kept as ``type``. ``AccountNumber`` is kept, not made an
external reference: Salesforce does not keep it unique, and as a match key (R-9.3) two
accounts sharing one would be taken for one customer.

>>> plan = PRESETS["salesforce"].plan(["Id", "Name", "BillingCountry", "Type", "AnnualRevenue"])
>>> cells = plan.cells({"Id": "001A", "Name": "Acme", "BillingCountry": "UK", "Type": "wholesale",
...                     "AnnualRevenue": "5000000"})
>>> cells["external_ref_salesforce"], cells["address_country"], cells["customer_type"]
('001A', 'UK', 'wholesale')
>>> plan.ignored  # this tenant has no field to keep them (Type's customer types are read)
('Type', 'AnnualRevenue')
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from customer_master.domain.columns import REF_PREFIX, is_column
from customer_master.domain.mapping import ColumnMapping, is_target


def _salesforce_address(prefix: str, words: str) -> dict[str, str]:
    """Salesforce's ``BillingStreet``… / ``ShippingStreet``… columns for one group."""
    return {
        f"{words}Street": f"{prefix}street",
        f"{words}City": f"{prefix}city",
        f"{words}State": f"{prefix}state",
        f"{words} State/Province": f"{prefix}state",
        f"{words}PostalCode": f"{prefix}postal_code",
        f"{words} Zip/Postal Code": f"{prefix}postal_code",
        f"{words}Country": f"{prefix}country",
        f"{words}CountryCode": f"{prefix}country",
    }


# Salesforce Account columns kept in the tenant's fields, by API name (Data Loader) and
# by report label where the label's words differ.
_SALESFORCE_KEPT = {
    "AccountNumber": "account_number",
    "AnnualRevenue": "annual_revenue",
    "NumberOfEmployees": "number_of_employees",
    "Employees": "number_of_employees",
    "Ownership": "ownership",
    "TickerSymbol": "ticker_symbol",
    "Rating": "rating",
    "Account Rating": "rating",
    "Site": "site",
    "Account Site": "site",
    "AccountSource": "account_source",
    "Sic": "sic",
    "SIC Code": "sic",
    "SicDesc": "sic_desc",
    "SIC Description": "sic_desc",
    "Fax": "fax",
    "Account Fax": "fax",
    "ParentId": "parent_id",
    "Parent Account ID": "parent_id",
    "OwnerId": "owner_id",
    "Account Owner": "owner",
    "CreatedDate": "created_date",
    "CreatedById": "created_by_id",
    "LastModifiedDate": "last_modified_date",
    "LastModifiedById": "last_modified_by_id",
    "LastActivityDate": "last_activity_date",
    "Last Activity": "last_activity_date",
    "Jigsaw": "jigsaw",
    "Data.com Key": "jigsaw",
    "JigsawCompanyId": "jigsaw_company_id",
    "DunsNumber": "duns_number",
    "D-U-N-S Number": "duns_number",
    "NaicsCode": "naics_code",
    "NaicsDesc": "naics_desc",
    "YearStarted": "year_started",
    "Tradestyle": "tradestyle",
    "Type": "type",
    "Account Type": "type",
}

# HubSpot company properties kept in the tenant's fields, by the export's labels.
_HUBSPOT_KEPT = {
    "Company owner": "company_owner",
    "Lifecycle Stage": "lifecycle_stage",
    "Lead Status": "lead_status",
    "Number of Employees": "number_of_employees",
    "Annual Revenue": "annual_revenue",
    "Type": "type",
    "Time Zone": "time_zone",
    "LinkedIn Company Page": "linkedin_company_page",
    "LinkedIn Bio": "linkedin_bio",
    "Facebook Company Page": "facebook_company_page",
    "Twitter Handle": "twitter_handle",
    "Create Date": "create_date",
    "Last Activity Date": "last_activity_date",
    "Last Modified Date": "last_modified_date",
    "Year Founded": "year_founded",
    "Parent Company": "parent_company",
    "Total Revenue": "total_revenue",
    "Is Public": "is_public",
}

PRESETS: Mapping[str, ColumnMapping] = {
    # Salesforce accounts, by API name (Data Loader) or by label (report export).
    "salesforce": ColumnMapping(
        name="salesforce",
        columns={
            "Id": REF_PREFIX + "salesforce",
            "Account ID": REF_PREFIX + "salesforce",
            "Name": "name",
            "Account Name": "name",
            "Phone": "phone",
            "Account Phone": "phone",
            "Website": "website",
            "Industry": "industry",
            "Description": "notes",
            "Account Description": "notes",
            "CurrencyIsoCode": "currency",
            "Account Currency": "currency",
            **_salesforce_address("address_", "Billing"),
            **_salesforce_address("address2_", "Shipping"),
        },
        defaults={"kind": "company"},
        only_mapped=True,
        kept=_SALESFORCE_KEPT,
        choices={"Type": "customer_type", "Account Type": "customer_type"},
    ),
    # HubSpot companies, as the CRM's export writes them.
    "hubspot": ColumnMapping(
        name="hubspot",
        columns={
            "Record ID": REF_PREFIX + "hubspot",
            "Company name": "name",
            "Name": "name",
            "Phone Number": "phone",
            "Website URL": "website",
            "Company Domain Name": "website",
            "Industry": "industry",
            "Description": "notes",
            "Street Address": "address_line1",
            "Street Address 2": "address_line2",
            "City": "address_city",
            "State/Region": "address_state",
            "Postal Code": "address_postal_code",
            "Country/Region": "address_country",
        },
        defaults={"kind": "company"},
        only_mapped=True,
        kept=_HUBSPOT_KEPT,
        choices={"Type": "customer_type"},
    ),
}


def mapping_from(data: Mapping[str, Any], base: ColumnMapping | None = None) -> ColumnMapping:
    """A user's mapping: ``{"columns": {header: column}, "defaults": {column: value},
    "values": {column: {written: meant}}}`` or just ``{header: column}``;
    ``"preset": "salesforce"`` starts from a preset. Raises ``ValueError`` naming every
    target that is not a column and every value map that is not one."""
    shaped = {"defaults", "preset", "values", "columns"}
    columns = data.get("columns", data if not shaped & set(data) else {})
    defaults = data.get("defaults", {})
    values = data.get("values", {})
    if not all(isinstance(part, Mapping) for part in (columns, defaults, values)):
        raise ValueError(
            'a mapping is {"columns": {header: column}, "defaults": {column: value}, '
            '"values": {column: {written: meant}}}'
        )
    preset_name = data.get("preset")
    if preset_name is not None:
        if preset_name not in PRESETS:
            raise ValueError(f"no preset {preset_name!r} (known: {', '.join(sorted(PRESETS))})")
        base = PRESETS[str(preset_name)]
    wrong = [f"{h} → {c}" for h, c in columns.items() if c and not is_target(str(c))]
    wrong += [f"default {c}" for c in defaults if not is_column(str(c))]
    wrong += [
        f"values of {c}" for c, v in values.items() if not is_column(str(c)) or not isinstance(v, Mapping)
    ]
    if wrong:
        raise ValueError(f"not columns of a customer row: {', '.join(wrong)}")
    start = base or ColumnMapping()
    merged_values = {c: dict(v) for c, v in start.values.items()}
    for column, meanings in values.items():
        merged_values.setdefault(str(column), {}).update({str(w): str(m) for w, m in meanings.items()})
    return ColumnMapping(
        name="custom" if base is None else f"{start.name}+custom",
        columns={**start.columns, **{str(h): str(c) for h, c in columns.items() if c}},
        defaults={**start.defaults, **{str(c): str(v) for c, v in defaults.items()}},
        only_mapped=start.only_mapped,
        values=merged_values,
        kept=start.kept,
        choices=start.choices,
    )
