"""The canonical JSON of the audit chain is exactly the standard encoder's text."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from customer_master.domain.canonical import canonical_json


def standard(value: object) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
plain = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@given(plain)
def test_plain_values_are_written_as_the_standard_encoder_writes_them(value: object) -> None:
    assert canonical_json(value) == standard(value)


def test_the_texts_the_two_encoders_write_differently_are_the_standard_ones() -> None:
    values = [
        {"name": "Café Ünal", "emoji": "😀", "control": "\x00\x1f\x7f\n", "separator": "\u2028"},
        [1e-7, 1e16, 1.5e-300, -0.0, 2**70],
        {1: "a key that is not a string"},
        {"amount": Decimal("10.50"), "at": datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC), "on": date(2026, 1, 2)},
        {"tags": {"only-member"}},
    ]
    for value in values:
        assert canonical_json(value) == standard(value), value
