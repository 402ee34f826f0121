"""The README's Python examples run as written and give the results their comments show."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_examples_run_and_say_what_they_show() -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.DOTALL)
    assert len(blocks) >= 3
    namespace: dict[str, Any] = {}
    for block in blocks:
        exec(compile(block, str(README), "exec"), namespace)

    assert namespace["created"].value is None
    assert namespace["created"].change_request.state == "pending"
    assert namespace["request"].state == "approved"
    assert [c.code for c in namespace["page"].items] == ["CUS-0001"]
    assert namespace["page"].next_cursor is None
    decision = namespace["decision"]
    assert (decision.outcome, decision.reason_codes, decision.available) == (
        "blocked",
        ("over_limit",),
        Decimal("-5000.00"),
    )
    assert namespace["invoice"].due_date == date(2026, 3, 2)
    price = namespace["price"]
    assert (price.source, price.unit_price) == (None, None)
    assert price.skipped[0].message.startswith("No pricing tier")
