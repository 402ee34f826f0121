"""Serving the API: gunicorn for real use (pre-forked workers, each with its own façade
and connections), Flask's development server with ``--dev``."""

from __future__ import annotations

import os
import secrets
from typing import Any

from customer_master.extras import require

require("http", "gunicorn", needed_by="serving the API")

from gunicorn.app.base import BaseApplication  # noqa: E402

from customer_master_http.limits import GUNICORN_LIMITS  # noqa: E402


class ApiServer(BaseApplication):  # type: ignore[misc]
    """gunicorn running ``create_app(url=...)``; each worker builds its own app, so no
    database connection crosses a fork."""

    def __init__(self, url: str, options: dict[str, Any]) -> None:
        self.url = url
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings and value is not None:
                self.cfg.set(key, value)

    def load(self) -> Any:
        from customer_master_http import create_app

        return create_app(url=self.url)


def run_gunicorn(url: str, bind: str, *, workers: int, threads: int = 1, access_log: bool = True) -> None:
    options = {
        "bind": bind,
        "workers": workers,
        "threads": threads,
        "accesslog": "-" if access_log else None,
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "customer-master",
        **GUNICORN_LIMITS,
    }
    # The admin's session cookies are signed with one key shared by every worker.
    os.environ.setdefault("CUSTOMER_MASTER_SECRET_KEY", secrets.token_hex(32))
    ApiServer(url, options).run()


def run_dev(url: str, host: str, port: int) -> None:
    from customer_master_http import create_app

    create_app(url=url).run(host=host, port=port, debug=False, use_reloader=False)
