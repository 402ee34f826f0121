"""A real browser on the admin (and ``Browser``, Flask's test client signed in, for the
tests that need no browser): the Flask app served in a thread (werkzeug) over a
SQLite file seeded with the demo tenant, and the machine's Chromium driven by Playwright
(never a downloaded browser). ``check_page`` runs axe-core (vendored in tests/data/axe)
on a page and writes its screenshot to ``build/screenshots/`` (``ADMIN_SCREENSHOTS``
overrides the folder)."""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pytest
from attrs import frozen
from flask.testing import FlaskClient
from werkzeug.serving import BaseWSGIServer, make_server

from customer_master import CustomerMaster
from customer_master_http import create_app

T = TypeVar("T")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[3]
AXE = ROOT / "tests" / "data" / "axe" / "axe.min.js"
SCREENSHOTS = Path(os.environ.get("ADMIN_SCREENSHOTS") or ROOT / "build" / "screenshots")
BLOCKING_IMPACTS = ("serious", "critical")
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or ``None``."""
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        return f"{CHROMIUM} is not installed (apt-get install chromium chromium-driver; .ci/run does)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (the dev extra brings it)"
    return None


@frozen
class Served:
    """The admin served over a seeded store: its base URL, the façade, the demo keys."""

    url: str
    cm: CustomerMaster
    keys: dict[str, str]
    server: BaseWSGIServer

    def at(self, path: str) -> str:
        return f"{self.url}{path}"


def serve(cm: CustomerMaster, keys: dict[str, str]) -> Iterator[Served]:
    app = create_app(cm)
    app.config["ADMIN_INSECURE_COOKIE"] = False
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(f"http://127.0.0.1:{server.server_port}", cm, keys, server)
    finally:
        server.shutdown()
        thread.join(timeout=10)


def launch(playwright: Any) -> Any:
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def check_page(page: Any, name: str) -> list[dict[str, Any]]:
    """Screenshot the page as ``name`` and run axe-core on it: the serious and critical
    violations (the tests assert there are none)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"][:3]],
        }
        for v in result["violations"]
        if v["impact"] in BLOCKING_IMPACTS
    ]


class Browser:
    """A test client that signs in and sends each form with the page's CSRF token."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        self.token = ""

    def get(self, path: str, **kwargs: Any) -> Any:
        response = self.client.get(path, **kwargs)
        found = CSRF.search(response.text) if response.mimetype == "text/html" else None
        if found:
            self.token = found.group(1)
        return response

    def post(self, path: str, data: dict[str, Any], **kwargs: Any) -> Any:
        return self.client.post(path, data={"csrf_token": self.token, **data}, **kwargs)

    def sign_in(self, secret: str) -> Any:
        self.get("/admin/sign-in")
        return self.post("/admin/sign-in", {"api_key": secret})


def signed_in_client(cm: CustomerMaster, user: str, *roles: str, tenant: str = "acme") -> Browser:
    """Flask's test client over ``cm``, signed in with a new key of ``user`` (plain http)."""
    from customer_master_admin.session import configure_session

    secret, _key = cm.access.create_api_key(tenant, user, roles)
    app = create_app(cm)
    app.config["ADMIN_INSECURE_COOKIE"] = True  # the test client speaks plain http://localhost
    configure_session(app)
    client = Browser(app.test_client())
    assert client.sign_in(secret).status_code == 302
    return client


def read_aside(read: Callable[[], T]) -> T:
    """``read()`` run in a thread of its own. The SQL adapter's file-SQLite reader keeps a
    connection per thread in a ``SingletonThreadPool`` of 32, which closes the oldest
    thread's connection once more threads have read — and the threaded test server starts
    a thread per request — so the test thread's own connection may be closed by the time
    a later test reads the served store through it."""
    with ThreadPoolExecutor(max_workers=1) as aside:
        return aside.submit(read).result()


def sign_in(page: Any, served: Served, user: str) -> None:
    page.goto(served.at("/admin/sign-in"))
    page.get_by_label("API key").fill(served.keys[user])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/customers**")


# ---------------------------------------------------------------------------
# Fixtures (imported by the admin tests' conftest and by the web admin feature's steps):
# one served, seeded demo store and one Chromium per test session, a fresh browser
# context (cookies) per test.
# ---------------------------------------------------------------------------


# One store for the whole session, however many modules ask (the admin tests and the web
# admin feature), and one browser a module: Playwright's sync API keeps its event loop
# running in the thread while it is started, so it is stopped at the end of each module
# and the other tests of the same worker (MCP, brokers: asyncio.run) find no loop running.
_SHARED: dict[str, Any] = {}


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    reason = browser_missing()
    if reason and os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true and {reason}", pytrace=False)  # CI runs the browser tests for real
    if reason:
        pytest.skip(reason)
    if "served" in _SHARED:
        yield _SHARED["served"]
        return
    from customer_master_cli.demo import seed_demo_tenant
    from customer_master_sql import migrate

    database = tmp_path_factory.mktemp("admin") / "admin.db"
    url = f"sqlite:///{database}"
    migrate(url)
    cm = CustomerMaster.from_url(url, load_entry_points=False)
    summary = seed_demo_tenant(cm, tenant="demo", customers=40, seed=7)
    keys = {key["user"]: key["secret"] for key in summary["keys"]}
    for running in serve(cm, keys):
        _SHARED["served"] = running
        yield running
        _SHARED.pop("served", None)
    cm.close()


@pytest.fixture(scope="module")
def browser(served: Served) -> Iterator[Any]:
    if "browser" in _SHARED:
        yield _SHARED["browser"]
        return
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    chromium = launch(playwright)
    _SHARED["browser"] = chromium
    yield chromium
    _SHARED.pop("browser", None)
    chromium.close()
    playwright.stop()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 720}, accept_downloads=True)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()
