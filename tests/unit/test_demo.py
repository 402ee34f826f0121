"""``make demo`` keeps working: the walk-through runs and tells its story."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo.py"


def test_the_demo_walks_through_refusal_warning_update_and_effective_views(
    capsys: pytest.CaptureFixture[str],
) -> None:
    runpy.run_path(str(DEMO), run_name="__main__")
    out = capsys.readouterr().out
    assert "CUS-0001  Acme Trading Sdn Bhd" in out
    assert "addresses[0].country   invalid" in out
    assert "bank_accounts[0].iban  invalid" in out
    assert "is much like existing customer CUS-0001" in out
    assert "Shah Alam DC: Shah Alam, MY - default for shipping" in out
    assert "SG01: may be used" in out
    assert "US01: NOT enabled" in out
    assert "credit limit   20000.00     (override)" in out
