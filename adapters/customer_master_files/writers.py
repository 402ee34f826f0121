"""Writing customer files: an export (or any rows) streamed to CSV or XLSX.

Every cell that a spreadsheet would take for a formula (``=``, ``+``, ``-``, ``@``, tab,
carriage return at its start) is written with a leading apostrophe, so opening an
exported file never runs ``=cmd|' /C calc'!A0``; an import reads such a cell back as it
was (``customer_master.domain.importing.unneutralised``), so the round trip is exact.

>>> import io
>>> out = io.BytesIO()
>>> write_csv(out, ["name", "phone"], [{"name": "=HYPERLINK(1)", "phone": "+60123456789"}])
1
>>> out.getvalue().decode("utf-8-sig").splitlines()
['name,phone', "'=HYPERLINK(1),'+60123456789"]
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from customer_master.domain.importing import neutralised
from customer_master.extras import require

Target = str | os.PathLike[str] | IO[bytes]

# Characters XML 1.0 cannot hold (an XLSX is XML): control characters but tab and newlines.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def write_csv(
    target: Target,
    columns: Sequence[str],
    rows: Iterable[Mapping[str, str]],
    *,
    delimiter: str = ",",
    encoding: str = "utf-8-sig",
) -> int:
    """Write ``rows`` under a ``columns`` header; returns how many rows were written.
    UTF-8 with a byte order mark by default, which spreadsheet programs need to read
    UTF-8."""
    with _opened(target) as stream:
        text = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")
        try:
            writer = csv.writer(text, delimiter=delimiter)
            writer.writerow(columns)
            count = 0
            for row in rows:
                writer.writerow([neutralised(row.get(c, "")).replace("\x00", "") for c in columns])
                count += 1
            text.flush()
        finally:
            text.detach()
    return count


def write_xlsx(
    target: Target, columns: Sequence[str], rows: Iterable[Mapping[str, str]], *, sheet: str = "Customers"
) -> int:
    """Write ``rows`` to a one-sheet workbook, streamed (openpyxl's write-only mode),
    every cell as text; returns how many rows were written."""
    require("files", "openpyxl", needed_by="XLSX files")
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet)
    worksheet.append(list(columns))
    count = 0
    for row in rows:
        worksheet.append([_NOT_XML.sub("", neutralised(row.get(c, ""))) for c in columns])
        count += 1
    with _opened(target) as stream:
        workbook.save(stream)
    return count


def write_file(
    path: str | os.PathLike[str], columns: Sequence[str], rows: Iterable[Mapping[str, str]]
) -> int:
    """Write an ``.xlsx`` workbook or a CSV file (any other name)."""
    if Path(path).suffix.lower() == ".xlsx":
        return write_xlsx(path, columns, rows)
    return write_csv(path, columns, rows)


@contextmanager
def _opened(target: Target) -> Iterator[IO[bytes]]:
    if isinstance(target, (str, os.PathLike)):
        with open(target, "wb") as stream:
            yield stream
    else:
        yield target
