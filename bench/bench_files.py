"""Reading an XLSX customer file: openpyxl's read-only mode against python-calamine.

    .venv/bin/python bench/bench_files.py [--rows 20000] [--columns 20]

writes a workbook of ``--rows`` customer rows (openpyxl's write-only mode), then reads
it in a fresh process with each reader, as ``read_xlsx`` hands rows to an import, and
prints for each ``xlsx <reader>: N rows/s, peak M MB`` (peak resident memory of the
reading process, VmHWM) and the ratio ``calamine/openpyxl speed: R``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from customer_master_files.writers import write_xlsx

_READ = """
import sys, time
sys.setrecursionlimit(10000)
from customer_master_files import readers
path, engine = sys.argv[1], sys.argv[2]
start = time.perf_counter()
count = sum(1 for _ in readers.read_xlsx(path, engine=engine))
took = time.perf_counter() - start
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(count, took, peak / 1024)
"""


def workbook(path: Path, rows: int, columns: int) -> None:
    names = ["name", "email", "phone", "address_line1", "address_city", "address_country"]
    names += [f"custom_field_{n}" for n in range(columns - len(names))]
    write_xlsx(
        path,
        names,
        (
            {
                "name": f"Customer {n} Sdn Bhd",
                "email": f"c{n}@example.com",
                "phone": f"+6012{n:07d}",
                "address_line1": f"{n} Jalan Ampang",
                "address_city": "Kuala Lumpur",
                "address_country": "Malaysia",
                **dict.fromkeys(names[6:], f"value {n}"),
            }
            for n in range(rows)
        ),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--columns", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "customers.xlsx"
        workbook(path, args.rows, args.columns)
        speeds = {}
        for engine in ("openpyxl", "calamine"):
            out = subprocess.run(
                [sys.executable, "-c", _READ, str(path), engine], check=True, capture_output=True, text=True
            ).stdout
            count, took, peak = out.split()
            speeds[engine] = int(count) / float(took)
            print(f"xlsx {engine}: {speeds[engine]:,.0f} rows/s, peak {float(peak):.0f} MB ({count} rows)")
        print(f"calamine/openpyxl speed: {speeds['calamine'] / speeds['openpyxl']:.1f}")


if __name__ == "__main__":
    main()
