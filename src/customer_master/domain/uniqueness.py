"""Keys that must be unique in a tenant besides the code: an active customer's compacted
tax id (when ``enforce_unique_tax_id`` is on, R-1.5) and each external reference
``(system, id)`` (R-1.3). The service looks up who else holds each key; this module
decides.

>>> from customer_master.domain.customer import Customer, TaxId
>>> new = Customer(id="c2", tenant="t", code="CUS-0002", name="B", kind="company", legal_entity="E",
...                tax_ids=(TaxId(id="x", scheme="us.ein", number="041234567"),))
>>> old = Customer(id="c1", tenant="t", code="CUS-0001", name="A", kind="company", legal_entity="E")
>>> [e.message for e in uniqueness_errors(new, tax_id_holders={"041234567": [old]}, ref_holders={})]
['tax id 041234567 already belongs to active customer CUS-0001']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from customer_master.domain.customer import Customer, ExternalRef
from customer_master.errors import FieldError


def uniqueness_errors(
    customer: Customer,
    *,
    tax_id_holders: Mapping[str, Sequence[Customer]],
    ref_holders: Mapping[ExternalRef, Customer | None],
    enforce_unique_tax_id: bool = True,
) -> list[FieldError]:
    """Errors for keys of ``customer`` already held by another customer."""
    errors: list[FieldError] = []
    if enforce_unique_tax_id and customer.is_active:
        for index, tax_id in enumerate(customer.tax_ids):
            others = [c for c in tax_id_holders.get(tax_id.number, ()) if c.id != customer.id]
            if others:
                message = f"tax id {tax_id.number} already belongs to active customer {others[0].code}"
                errors.append(FieldError(f"tax_ids[{index}].number", "taken", message))
    for index, ref in enumerate(customer.external_refs):
        holder = ref_holders.get(ref)
        if holder is not None and holder.id != customer.id:
            message = f"{ref.system} reference {ref.ref} already belongs to customer {holder.code}"
            errors.append(FieldError(f"external_refs[{index}]", "taken", message))
    return errors
