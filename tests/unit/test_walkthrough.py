"""docs/approvals-walkthrough.md shows the real output of examples/approvals_walkthrough.py,
step by step: if the code or the page changes, they must change together."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "examples" / "approvals_walkthrough.py"
DOC = ROOT / "docs" / "approvals-walkthrough.md"


def steps_printed(output: str) -> dict[str, str]:
    """``{"1. sam asks …": "its output"}`` from the script's underlined step titles."""
    found = re.findall(r"^(\d+\. [^\n]+)\n-+\n(.*?)(?=\n\n\d+\. |\Z)", output, flags=re.S | re.M)
    return {title: body.rstrip() for title, body in found}


def steps_shown(page: str) -> dict[str, str]:
    """``{"1. sam asks …": "the text block under it"}`` from the page's step headings."""
    found = re.findall(r"^## (\d+\. [^\n]+)\n.*?```text\n(.*?)\n```", page, flags=re.S | re.M)
    return {title: body.rstrip() for title, body in found}


def test_the_walkthrough_page_shows_the_scripts_real_output(capsys: pytest.CaptureFixture[str]) -> None:
    runpy.run_path(str(SCRIPT), run_name="__main__")
    printed = steps_printed(capsys.readouterr().out)
    assert len(printed) == 9
    assert steps_shown(DOC.read_text(encoding="utf-8")) == printed


def test_the_walkthrough_applies_the_change_only_at_the_last_approval(
    capsys: pytest.CaptureFixture[str],
) -> None:
    runpy.run_path(str(SCRIPT), run_name="__main__")
    printed = steps_printed(capsys.readouterr().out)
    waiting = "stored customer: version 1, salesperson Aminah, credit limit 50000.00"
    assert waiting in printed["1. sam (sales admin) asks for the change at 10:00"]
    assert waiting in printed["4. alice (AR manager) approves step 1 at 11:00"]
    applied = printed["5. carl (controller) approves step 2 at 14:30: re-checked and applied at once"]
    assert "stored customer: version 2, salesperson Badrul, credit limit 75000.00" in applied
    assert "intact (first broken: None)" in printed["7. verify walks the tenant's chain"]
