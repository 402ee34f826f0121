"""The erasure rules (R-4.4): which values go, in the record and in the audit trail, and
that the chain still verifies while any other edit is caught (R-11.2)."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import count

import attrs
import pytest

from customer_master.domain.audit import BULK, AuditRecord, bulk_changes, seal, verify_chain
from customer_master.domain.erasure import PLACEHOLDER, erased_record, is_erasure_of, scrubbed

AT = datetime(2026, 1, 1, tzinfo=UTC)
_salts = count()


def _sealed(records: list[AuditRecord]) -> list[AuditRecord]:
    chain: list[AuditRecord] = []
    for record in records:
        chain.append(seal(record, previous=chain[-1] if chain else None, salt=lambda: f"s{next(_salts)}"))
    return chain


def _record(operation: str, ids: tuple[str, ...], changes: dict[str, object], n: int) -> AuditRecord:
    return AuditRecord(id=f"a{n}", tenant="t", operation=operation, customer_ids=ids, actor="ana",
                       occurred_at=AT, changes=changes)  # fmt: skip


def test_only_the_customers_side_of_a_merge_and_entry_of_a_batch_is_blanked() -> None:
    merge = _record("merge", ("c1", "c2"), {
        "source": {"email": {"before": "jane@x.example", "after": None}},
        "target": {"email": {"before": "keep@x.example", "after": "keep@x.example"}},
    }, 1)  # fmt: skip
    batch = _record(BULK, ("c1", "c3"), bulk_changes({
        "c1": {"phone": {"before": None, "after": "+60123456789"}},
        "c3": {"phone": {"before": None, "after": "+60199999999"}},
    }), 2)  # fmt: skip
    chain = _sealed([merge, batch])
    erased = [erased_record(r, "c1", "individual") for r in chain]
    assert erased[0] is not None
    assert erased[1] is not None
    assert erased[0].changes["source"]["email"]["before"] == PLACEHOLDER
    assert erased[0].changes["target"]["email"]["before"] == "keep@x.example"
    assert erased[1].changes["c1"]["phone"]["after"] == PLACEHOLDER
    assert erased[1].changes["c3"]["phone"]["after"] == "+60199999999"
    assert verify_chain(erased).is_intact  # type: ignore[arg-type]
    assert all(is_erasure_of(stored, e) for stored, e in zip(chain, erased, strict=True))  # type: ignore[arg-type]


def test_a_companys_name_stays_in_the_trail_and_its_contacts_go() -> None:
    (record,) = _sealed([_record("create", ("c1",), {
        "name": {"before": None, "after": "Tan Trading Sdn Bhd"},
        "contacts": {"before": None, "after": [{"name": "Ahmad", "email": "ahmad@x.example"}]},
    }, 1)])  # fmt: skip
    erased = erased_record(record, "c1", "company")
    assert erased is not None
    assert erased.changes["name"]["after"] == "Tan Trading Sdn Bhd"
    assert erased.changes["contacts"]["after"] == PLACEHOLDER
    assert verify_chain([erased]).is_intact


def test_any_edit_beyond_blanking_is_no_erasure_and_verify_catches_it() -> None:
    (record,) = _sealed([_record("update", ("c1",), {
        "email": {"before": "a@x.example", "after": "b@x.example"},
        "credit_limit": {"before": "100", "after": "200"},
    }, 1)])  # fmt: skip
    erased = erased_record(record, "c1", "individual")
    assert erased is not None
    forged = attrs.evolve(
        erased, changes={**erased.changes, "credit_limit": {"before": "100", "after": "900"}}
    )
    assert not is_erasure_of(record, forged)
    assert verify_chain([forged]).first_broken == 1
    renamed = attrs.evolve(erased, actor="mallory")
    assert not is_erasure_of(record, renamed)


def test_a_record_without_the_customers_personal_values_is_left_alone() -> None:
    (record,) = _sealed([_record("credit_hold", ("c1",), {"credit_hold": {"before": None, "after": "x"}}, 1)])
    assert erased_record(record, "c1", "individual") is None


@pytest.mark.parametrize(
    ("kind", "expected_name"), [("individual", PLACEHOLDER), ("company", "Tan Trading Sdn Bhd")]
)
def test_payloads_are_scrubbed_by_field_name(kind: str, expected_name: str) -> None:
    payload = {
        "request": {
            "payload": {
                "name": "Tan Trading Sdn Bhd",
                "email": "x@y.example",
                "tax_ids": [{"scheme": "eu.vat", "number": "NL004495445B01"}],
                "contacts": [{"name": "Ahmad", "roles": ["procurement"]}],
                "addresses": [{"line1": "12 Jalan Ampang", "city": "Kuala Lumpur"}],
            }
        }
    }
    inner = scrubbed(payload, kind=kind)["request"]["payload"]
    assert inner["name"] == expected_name
    assert inner["email"] == PLACEHOLDER
    assert inner["tax_ids"] == [{"scheme": "eu.vat", "number": "NL004495445B01"}]
    assert inner["contacts"] == [{"name": PLACEHOLDER, "roles": ["procurement"]}]
    assert inner["addresses"] == [{"line1": PLACEHOLDER, "city": "Kuala Lumpur"}]
