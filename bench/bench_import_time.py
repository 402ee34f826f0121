"""How long ``import customer_master`` takes, and what the first use of each lazily
loaded validator costs (issue 18 item 4: goal ≤ 150 ms for the import).

Each figure is the best of several fresh interpreters (``python -c``), so a warm disk
cache and a quiet moment count, not the noise of a shared machine:

    .venv/bin/python bench/bench_import_time.py [--runs 7]

prints ``import customer_master: N ms`` and one ``first …: N ms`` line per validator.
"""

from __future__ import annotations

import argparse
import subprocess
import sys

_TIMED = """
import time
start = time.perf_counter()
{setup}
ready = time.perf_counter()
{action}
print((ready - start) * 1000, (time.perf_counter() - ready) * 1000)
"""

# What the first use of each lazily loaded library costs, after the package is imported.
_DOMAIN = "from customer_master.domain"
FIRST_USES = {
    "first country look-up": f"{_DOMAIN}.countries import country_code; country_code('Deutschland')",
    "first phone number": f"{_DOMAIN}.identifiers import normalise_phone as n; n('+49 8155 9811')",
    "first e-mail (library)": f"{_DOMAIN}.identifiers import normalise_email as n; n('ä@example.com')",
    "first tax id": f"{_DOMAIN}.identifiers import normalise_tax_id as n; n('eu.vat', 'NL004495445B01')",
    "first currency": f"{_DOMAIN}.money import minor_unit; minor_unit('JPY')",
    "first similar-name score": f"{_DOMAIN}.warnings import most_similar_name as m; m('a', [('C', 'a')], 90)",
}


def timed(setup: str, action: str, runs: int) -> tuple[float, float]:
    """The best (setup ms, action ms) over ``runs`` fresh interpreters."""
    best = (float("inf"), float("inf"))
    for _ in range(runs):
        code = _TIMED.format(setup=setup, action=action)
        out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
        setup_ms, action_ms = map(float, out.split())
        best = (min(best[0], setup_ms), min(best[1], action_ms))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    imported, _ = timed("import customer_master", "pass", runs)
    print(f"import customer_master: {imported:.0f} ms")
    for name, action in FIRST_USES.items():
        _, first = timed("import customer_master", action, runs)
        print(f"{name}: {first:.0f} ms")


if __name__ == "__main__":
    main()
