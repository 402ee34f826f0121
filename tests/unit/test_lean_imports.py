"""The core install stays lean (issue 18): the core and the memory storage import none of
the adapters' dependencies, so ``memory://`` works where only the core is installed."""

from __future__ import annotations

import json
import subprocess
import sys

EXTRAS_MODULES = (
    "sqlalchemy",
    "alembic",
    "flask",
    "marshmallow",
    "apispec",
    "openpyxl",
    "click",
    "rich",
    "yaml",
    "mcp",
    "gunicorn",
    "uvicorn",
    "psycopg",
    "pymysql",
    "filetype",
)

PROBE = f"""
import json, sys
from customer_master import Actor, CustomerMaster
cm = CustomerMaster.from_url("memory://")
ana = Actor("acme", "ana", {{"admin"}})
cm.configuration.add_legal_entity(ana, {{"code": "MY01", "name": "Acme Malaysia"}})
print(json.dumps(sorted(m for m in {EXTRAS_MODULES!r} if m in sys.modules)))
"""


def test_opening_memory_storage_imports_no_adapter_dependency() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, check=True
    )
    assert json.loads(done.stdout) == []
