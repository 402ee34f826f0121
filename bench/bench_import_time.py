"""How long ``import customer_master`` takes, and what the first use of each lazily
loaded validator costs (issue 18 item 4: goal ≤ 150 ms for the import).

Each figure is the best of several fresh interpreters (``python -c``), so a warm disk
cache and a quiet moment count, not the noise of a shared machine:

    .venv/bin/python bench/bench_import_time.py [--runs 7]

prints ``import customer_master: N ms`` (wall clock, and the CPU it used: on a shared
machine the wall clock includes waiting for a core), one ``first …: N ms`` line per
validator, and
what a country look-up costs once the index is read (a text seen before, and a new one).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import timeit

_TIMED = """
import time
start, cpu = time.perf_counter(), time.process_time()
{setup}
ready, ready_cpu = time.perf_counter(), time.process_time()
{action}
print((ready - start) * 1000, (time.perf_counter() - ready) * 1000, (ready_cpu - cpu) * 1000)
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


def timed(setup: str, action: str, runs: int) -> tuple[float, float, float]:
    """The best (setup ms, action ms, setup CPU ms) over ``runs`` fresh interpreters."""
    best = (float("inf"), float("inf"), float("inf"))
    for _ in range(runs):
        code = _TIMED.format(setup=setup, action=action)
        out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
        setup_ms, action_ms, setup_cpu = map(float, out.split())
        best = (min(best[0], setup_ms), min(best[1], action_ms), min(best[2], setup_cpu))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    imported, _, cpu = timed("import customer_master", "pass", runs)
    print(f"import customer_master: {imported:.0f} ms")
    # The CPU the import used: what it costs when other processes share the cores.
    print(f"import customer_master (CPU): {cpu:.0f} ms")
    facade, _, facade_cpu = timed("from customer_master import CustomerMaster", "pass", runs)
    print(f"from customer_master import CustomerMaster: {facade:.0f} ms (CPU {facade_cpu:.0f} ms)")
    for name, action in FIRST_USES.items():
        _, first, _ = timed("import customer_master", action, runs)
        print(f"{name}: {first:.0f} ms")
    country_lookups()


def country_lookups() -> None:
    """Microseconds per country look-up: a text the import has read before (the usual
    case: a file repeats its few countries), and a new text (folded and looked up)."""
    from customer_master.domain import countries

    countries.country_code("Deutschland")
    texts = [f"Deutschland{' ' * (n % 7)}" for n in range(1000)]
    number = 200_000
    seen = min(timeit.repeat(lambda: countries.country_code("Deutschland"), number=number, repeat=5))
    fresh = min(timeit.repeat(lambda: [countries._read(t) for t in texts], number=20, repeat=5))
    print(f"country look-up, text seen before: {seen / number * 1e6:.2f} µs")
    print(f"country look-up, new text: {fresh / (20 * len(texts)) * 1e6:.2f} µs")


if __name__ == "__main__":
    main()
