"""Every clean row of a real CRM export gets in (issue 14, R-9.1, R-9.2, R-1.3), on
memory, SQLite and PostgreSQL: a Salesforce Data Loader export and a HubSpot companies
export of 300 companies each (``tests/steps/crm_exports.py``), read as files through the
presets; countries in their own languages and ``UK``, national phones with trunk
prefixes; the CRM's other columns kept in the tenant's custom fields and dimensions; and
export → re-import with ``on_duplicate=update`` changes nothing."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import phonenumbers
import pytest

from customer_master import Actor, CustomerMaster
from customer_master.domain.approvals import OPERATIONS
from customer_master.domain.importing import PRESETS, ImportOptions
from customer_master.domain.search import CustomerQuery
from customer_master_files import read_csv
from customer_master_sql.testing import ScratchDatabases

sys.path.insert(0, str(Path(__file__).parents[1] / "steps"))
import crm_exports

from .conftest import server_url

COMPANIES = 300
ADMIN = Actor("acme", "ana", {"admin"})


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def crm_tenant(
    request: pytest.FixtureRequest, sql_servers: ScratchDatabases, tmp_path: Path, clock: Any
) -> Iterator[CustomerMaster]:
    """A tenant ready for CRM imports: companies need no e-mail, imports apply at once,
    and it has custom fields and a dimension for the CRMs' other columns."""
    if request.param == "memory":
        url = "memory://"
    elif request.param == "sqlite":
        from customer_master_sql import migrate

        url = f"sqlite:///{tmp_path / 'crm.db'}"
        migrate(url)
    else:
        url = server_url(sql_servers, "postgresql")
    cm = CustomerMaster.from_url(url, clock=clock, load_entry_points=False)
    cm.configuration.add_legal_entity(ADMIN, {"code": "EU01", "name": "Acme Europe"})
    for operation in OPERATIONS:
        cm.configuration.set_approval_lane(ADMIN, operation, "green")
    cm.configuration.update_settings(ADMIN, {"company_requires_email": False})
    for field in (
        {"name": "annual_revenue", "type": "number"},
        {"name": "number_of_employees", "type": "integer"},
        {"name": "salesforce_owner_id", "type": "text"},
        {"name": "created_date", "type": "date"},
        {"name": "type", "type": "text"},
        {"name": "lifecycle_stage", "type": "choice", "choices": ["Customer", "Lead", "Opportunity"]},
    ):
        cm.configuration.set_custom_field(ADMIN, field)
    cm.configuration.set_dimension_type(ADMIN, "account_source", list(crm_exports.SOURCES))
    yield cm
    cm.close()


def _everyone(cm: CustomerMaster) -> list[Any]:
    found, query = [], CustomerQuery(status="any", limit=1000)
    while True:
        page = cm.customers.search(ADMIN, query)
        found += page.items
        if page.next_cursor is None:
            return found
        query = CustomerQuery(status="any", limit=1000, after=page.next_cursor)


def _import(cm: CustomerMaster, data: bytes, preset: str, **options: Any) -> Any:
    mapping = PRESETS[preset].with_defaults({"legal_entity": "EU01"})
    return cm.imports.run(ADMIN, read_csv(io.BytesIO(data)), ImportOptions(mapping=mapping, **options))


@pytest.mark.parametrize(
    ("preset", "export"), [("salesforce", "salesforce_export"), ("hubspot", "hubspot_export")]
)
def test_every_clean_row_of_a_crm_export_gets_in_and_a_round_trip_changes_nothing(
    crm_tenant: CustomerMaster, preset: str, export: str
) -> None:
    made = crm_exports.companies(COMPANIES, seed=3, prefix="001" if preset == "salesforce" else "9")
    data = getattr(crm_exports, export)(made)

    result = _import(crm_tenant, data, preset, batch_size=100)

    failures = [(o.row, [(p.column, p.message) for p in o.problems]) for o in result.outcomes if o.problems]
    assert failures == []
    assert result.counts == {"created": COMPANIES, "updated": 0, "skipped": 0, "failed": 0}
    stored = {c.external_refs[0].ref: c for c in _everyone(crm_tenant)}
    for company in made:
        customer = stored[company.ref]
        assert customer.addresses[0].country == company.country.code, company.country_written
        assert customer.phone == company.phone_e164, company.phone_written
        assert phonenumbers.is_valid_number(phonenumbers.parse(customer.phone))

    # The same export again, and the customer list exported and imported back, change nothing.
    again = _import(crm_tenant, data, preset, on_duplicate="update")
    assert (again.counts["updated"], again.counts["failed"]) == (0, 0), again.to_csv()[:2000]
    export_rows = crm_tenant.exports.export(ADMIN).rows
    back = crm_tenant.imports.run(ADMIN, list(export_rows), ImportOptions(on_duplicate="update"))
    assert back.counts == {"created": 0, "updated": 0, "skipped": COMPANIES, "failed": 0}, back.to_csv()[
        :2000
    ]


def test_a_salesforce_exports_other_columns_are_kept_where_the_tenant_has_fields(
    crm_tenant: CustomerMaster,
) -> None:
    made = crm_exports.companies(24, seed=5, prefix="001")
    result = _import(crm_tenant, crm_exports.salesforce_export(made), "salesforce")

    assert result.counts["created"] == 24
    kept = set(crm_exports.SALESFORCE_COLUMNS) - set(result.ignored_columns)
    for column in ("AnnualRevenue", "NumberOfEmployees", "OwnerId", "CreatedDate", "AccountSource", "Type"):
        assert column in kept
    assert "Rating" in result.ignored_columns  # the tenant has no field for it
    assert result.to_csv().splitlines()[1].startswith(",,,")  # listed once, before the rows
    for customer in _everyone(crm_tenant):
        assert isinstance(customer.metadata["number_of_employees"], int)
        assert customer.metadata["created_date"] == "2023-04-05"
        assert customer.metadata["salesforce_owner_id"] == "0055g00000AbCdE"
        assert [d.type for d in customer.dimensions] == ["account_source"]
        # Type fills the customer type when it is one, else the custom field "type".
        assert (customer.customer_type is None) == ("type" in customer.metadata)
