"""The README's Python blocks, run as written, and the results their comments show.

``tests/unit/test_readme.py`` runs them in the development environment; the wheel test
(``tests/install/``) runs this file with the Python of a fresh venv where only the wheel
is installed, without extras: ``python tests/readme_quickstart.py README.md``.
"""

from __future__ import annotations

import re
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any


def run_readme(readme: Path) -> dict[str, Any]:
    """Execute every ```python block of ``readme`` in one namespace."""
    blocks = re.findall(r"```python\n(.*?)```", readme.read_text(encoding="utf-8"), flags=re.DOTALL)
    assert len(blocks) >= 3
    namespace: dict[str, Any] = {}
    for block in blocks:
        exec(compile(block, str(readme), "exec"), namespace)
    return namespace


def check(namespace: dict[str, Any]) -> None:
    """The values the README's comments say the blocks give."""
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


if __name__ == "__main__":
    check(run_readme(Path(sys.argv[1])))
    print("README quick start: ok")
