"""Fixtures of the browser tests: one served, seeded demo store and one Chromium per
test session (each xdist worker; the tests run in the ``browser`` group), a fresh
browser context (cookies) per test."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from admin_browser import Served, browser_missing, launch, serve

from customer_master import CustomerMaster


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    reason = browser_missing()
    if reason:
        pytest.skip(reason)
    from customer_master_cli.demo import seed_demo_tenant
    from customer_master_sql import migrate

    database: Path = tmp_path_factory.mktemp("admin") / "admin.db"
    url = f"sqlite:///{database}"
    migrate(url)
    cm = CustomerMaster.from_url(url, load_entry_points=False)
    summary = seed_demo_tenant(cm, tenant="demo", customers=40, seed=7)
    keys = {key["user"]: key["secret"] for key in summary["keys"]}
    yield from serve(cm, keys)
    cm.close()


@pytest.fixture(scope="session")
def browser(served: Served) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 720}, accept_downloads=True)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()
