"""The wheel as hosts install it (issue 18, DESIGN.md "Installing"): built from this
tree, installed with its dependencies from the package index into fresh virtual
environments — once without extras, where the README's memory quick start runs and every
adapter names the extra it lacks in one line; once with ``[all]``, where the
``customer-master`` command runs. pip's cache keeps the downloads cheap; the dependency
lists themselves are what is proven, so nothing is installed with ``--no-deps``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PIP = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]


def _run(
    *command: str | Path, cwd: Path | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(c) for c in command], capture_output=True, text=True, timeout=900, cwd=cwd, check=check
    )


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    _run(*PIP, "wheel", "--no-deps", "--wheel-dir", out, ROOT)
    (built,) = out.glob("customer_master-*.whl")
    return built


def _venv(path: Path, requirement: str) -> Path:
    """A fresh venv holding ``requirement`` and its dependencies (this pip installs into it)."""
    _run(sys.executable, "-m", "venv", "--without-pip", path)
    python = path / "bin" / "python"
    _run(*PIP, "--python", python, "install", requirement)
    return python


@pytest.fixture(scope="module")
def core(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _venv(tmp_path_factory.mktemp("core") / "venv", str(wheel))


def test_the_core_install_runs_the_readme_quick_start(core: Path, tmp_path: Path) -> None:
    installed = _run(core, "-m", "pip", "--version", check=False)
    assert installed.returncode != 0  # no pip either: only the wheel and its dependencies
    done = _run(core, ROOT / "tests" / "readme_quickstart.py", ROOT / "README.md", cwd=tmp_path)
    assert done.stdout.strip() == "README quick start: ok"
    for module in ("sqlalchemy", "flask", "click", "openpyxl", "mcp", "marshmallow"):
        probe = _run(core, "-c", f"import importlib.util as u; print(u.find_spec({module!r}) is None)")
        assert probe.stdout.strip() == "True", f"{module} was installed without its extra"


@pytest.mark.parametrize(
    ("code", "extra"),
    [
        ("import customer_master_sql", "sql"),
        ("import customer_master_http", "http"),
        ("import customer_master_mcp", "mcp"),
        ("import customer_master_statements", "statements"),
        ("from customer_master import CustomerMaster; CustomerMaster.from_url('sqlite:///x.db')", "sql"),
        ("from customer_master_cli import cli", "cli"),
        ("import customer_master_broker", "broker"),
    ],
)
def test_an_adapter_without_its_extra_names_it_in_one_line(
    core: Path, tmp_path: Path, code: str, extra: str
) -> None:
    failed = _run(core, "-c", code, cwd=tmp_path, check=False)
    assert failed.returncode == 1
    last = failed.stderr.strip().splitlines()[-1]
    assert last.startswith("customer_master.extras.MissingExtra: ")
    assert last.endswith(f"pip install 'customer-master[{extra}]'")


def test_the_command_without_the_cli_extra_says_which_extra(core: Path) -> None:
    failed = _run(core.parent / "customer-master", "--help", check=False)
    assert failed.returncode == 1
    assert failed.stderr.strip().splitlines() == [
        "Error: the customer-master command needs the 'cli' extra (click is not installed): "
        "pip install 'customer-master[cli]'"
    ]


def test_the_full_install_runs_the_command(core: Path, wheel: Path, tmp_path: Path) -> None:
    # Last in the module: ``[all]`` goes on top of the core venv (its core dependencies are
    # there already), which halves the test's time; pip still resolves the whole list.
    _run(*PIP, "--python", core, "install", f"customer-master[all] @ {wheel.as_uri()}")
    python = core
    helped = _run(python.parent / "customer-master", "--help", cwd=tmp_path)
    for command in ("config", "approvals", "customer", "mcp", "import", "serve"):
        assert f"  {command} " in helped.stdout
    served = _run(python, "-c", "import customer_master_mcp, customer_master_http, customer_master_sql")
    assert served.returncode == 0
