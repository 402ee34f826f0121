"""Fast paths that must give exactly what the slower, obvious code gives:

- ``to_data`` is ``attrs.asdict(value, value_serializer=...)`` (audit images, events,
  change requests are built from it, so the audit chain depends on every byte);
- the similar-name warning scores candidates as ``token_sort_ratio`` does (R-3.4);
- an e-mail address of the common shape is normalised as email-validator does (R-1.3).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import attrs
import pytest
from email_validator import EmailNotValidError, validate_email
from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz import fuzz, process, utils

from customer_master.domain.audit import AuditRecord, seal
from customer_master.domain.customer import (
    Address,
    Contact,
    CreditHold,
    Customer,
    Dimension,
    EntityOverride,
    ExternalRef,
    TaxId,
)
from customer_master.domain.identifiers import InvalidValue, _plain_email, normalise_email
from customer_master.domain.serialize import _plain, to_data
from customer_master.domain.warnings import most_similar_name

texts = st.text(max_size=8)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | texts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=8,
)
AT = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


@st.composite
def customers(draw: st.DrawFn) -> Customer:
    hold = draw(st.none() | st.just(CreditHold(reason="late", by="ana", at=AT)))
    return Customer(
        id="c1", tenant="t", code="CUS-0001", name=draw(texts), kind="company", legal_entity="MY01",
        email=draw(st.none() | texts), credit_limit=draw(st.none() | st.decimals(allow_nan=False)),
        tags=tuple(draw(st.lists(texts, max_size=3))),
        enabled_entities=frozenset(draw(st.lists(st.sampled_from(["SG01", "US01", "MY01"])))),
        tax_ids=tuple(
            TaxId(id=f"t{i}", scheme="my.brn", number=n)
            for i, n in enumerate(draw(st.lists(texts, max_size=2)))
        ),
        addresses=(
            Address(id="a1", purposes=("billing", "shipping"), line1="1 Jalan", city="KL", country="MY"),
        ),
        contacts=(Contact(id="p1", name=draw(texts), email="p@x.example"),),
        external_refs=(ExternalRef(system="crm", ref=draw(texts)),),
        dimensions=(Dimension(type="department", value="SALES"),),
        overrides=(EntityOverride(entity="SG01", credit_limit=Decimal("10.50"), credit_hold=hold),),
        metadata=draw(st.dictionaries(texts, json_values, max_size=3)),
        created_at=AT, updated_at=AT,
    )  # fmt: skip


@given(customers())
def test_to_data_gives_exactly_what_attrs_asdict_gives(customer: Customer) -> None:
    expected = attrs.asdict(customer, value_serializer=_plain)

    assert to_data(customer) == expected
    assert repr(to_data(customer)) == repr(expected)  # same types and order, not only equal


def test_to_data_of_an_audit_record_keeps_nested_mappings_and_dates() -> None:
    record = AuditRecord(
        id="a1", tenant="t", operation="create", customer_ids=("c1",), actor="ana", occurred_at=AT,
        changes={"email": {"before": None, "after": "x@y.example"}, "since": date(2026, 1, 1)},
        approvals=({"by": "bo", "at": AT.isoformat()},),
    )  # fmt: skip
    sealed = seal(record, previous=None, salt=lambda: "s")

    assert repr(to_data(sealed)) == repr(attrs.asdict(sealed, value_serializer=_plain))


def _token_sort_best(name: str, pairs: list[tuple[str, str]], threshold: float) -> Any:
    """The best ``token_sort_ratio`` at or above ``threshold``, the lowest code of equals."""
    found = process.extract(
        name, [o for _, o in pairs], scorer=fuzz.token_sort_ratio, processor=utils.default_process,
        score_cutoff=threshold, limit=None,
    )  # fmt: skip
    if not found:
        return None
    other, score, index = min(found, key=lambda hit: (-hit[1], pairs[hit[2]][0]))
    return pairs[index][0], other, score


names = st.text(alphabet="abcAB .,-'&éß12", max_size=14)


@given(names, st.lists(names, max_size=12), st.sampled_from([0.0, 50.0, 90.0]))
def test_the_similar_name_score_is_the_token_sort_ratio(
    name: str, others: list[str], threshold: float
) -> None:
    pairs = [(f"CUS-{i}", other) for i, other in enumerate(others)]

    assert most_similar_name(name, pairs, threshold) == _token_sort_best(name, pairs, threshold)


def _library_email(value: str) -> str | None:
    try:
        return str(validate_email(value.strip(), check_deliverability=False).normalized)
    except EmailNotValidError:
        return None


emails = st.from_regex(r"\A[ A-Za-z0-9._+\-'@]{0,12}@[A-Za-z0-9.\-_]{0,20}\Z") | st.text(
    alphabet="aA1.-_+@ \u212a", max_size=16
)


@given(emails | st.sampled_from(["a@b.test", "a@x.localhost", "a@xn--abc.com", "a@ab--c.com", "a..b@x.com"]))
def test_an_address_of_the_common_shape_is_normalised_as_email_validator_does(value: str) -> None:
    plain = _plain_email(value.strip())

    if plain is not None:
        assert plain == _library_email(value)
    if _library_email(value) is None:
        with pytest.raises(InvalidValue):
            normalise_email(value)
    else:
        assert normalise_email(value) == _library_email(value)
