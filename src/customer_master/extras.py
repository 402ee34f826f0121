"""Which extra an adapter needs: the core installs alone (``pip install customer-master``)
and each adapter's dependencies come with an extra (``customer-master[sql]``). An adapter
imported without its extra stops at once with one line that says what to install, instead
of a ``ModuleNotFoundError`` deep inside a framework.

>>> require("sql", "json", needed_by="the SQL storage")     # everything there: nothing happens
>>> try:
...     require("sql", "json", "no_such_module_here", needed_by="the SQL storage")
... except MissingExtra as missing:
...     print(missing)  # doctest: +NORMALIZE_WHITESPACE
the SQL storage needs the 'sql' extra (no_such_module_here is not installed):
pip install 'customer-master[sql]'
"""

from __future__ import annotations

from importlib.util import find_spec


class MissingExtra(ImportError):
    """An adapter's dependencies are not installed; the message names the extra."""

    def __init__(self, extra: str, missing: str, needed_by: str) -> None:
        self.extra = extra
        super().__init__(
            f"{needed_by} needs the {extra!r} extra ({missing} is not installed): "
            f"pip install 'customer-master[{extra}]'",
            name=missing,
        )


def require(extra: str, *modules: str, needed_by: str) -> None:
    """Raise ``MissingExtra`` naming ``extra`` unless every top-level module is importable."""
    for module in modules:
        if find_spec(module) is None:
            raise MissingExtra(extra, module, needed_by)
