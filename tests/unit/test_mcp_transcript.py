"""docs/mcp.md shows the real output of examples/mcp_transcript.py, the issue's
conversation run through the SDK's client: if the tools or the page change, they change
together."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_the_mcp_page_shows_the_scripts_real_transcript(capsys: pytest.CaptureFixture[str]) -> None:
    runpy.run_path(str(ROOT / "examples" / "mcp_transcript.py"), run_name="__main__")
    printed = capsys.readouterr().out.rstrip()
    assert "ERROR: the submitter may not approve" in printed
    assert "Merged CUS-0002 into CUS-0001" in printed
    page = (ROOT / "docs" / "mcp.md").read_text(encoding="utf-8")
    shown = re.search(r"## A conversation.*?```text\n(.*?)\n```", page, flags=re.S)
    assert shown is not None
    assert shown.group(1) == printed
