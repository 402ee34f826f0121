"""The browser tests' fixtures (``admin_browser``): one served, seeded demo store and one
Chromium per test session (each xdist worker; the tests run in the ``browser`` group),
a fresh browser context per test."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from admin_browser import browser, page, served

__all__ = ["browser", "page", "served"]
