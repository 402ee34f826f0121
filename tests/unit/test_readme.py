"""The README's Python examples run as written and give the results their comments show."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from readme_quickstart import check, run_readme

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_examples_run_and_say_what_they_show() -> None:
    check(run_readme(README))
