"""Reading customer files row by row: CSV in any delimiter and encoding, and XLSX.

Each reader is a generator of ``SourceRow`` — the cells of one row by header, its row
number as a spreadsheet counts (the header is row 1) and any problem met reading it — so
a file of a million rows is never held in memory. A row that cannot be read well (bytes
that are not text in the file's encoding, more cells than the header, a cell larger
than ``csv.field_size_limit()``) comes with a problem and fails on import; it never
stops the file.

>>> import io
>>> rows = list(read_csv(io.BytesIO("\\ufeffname;email\\nKedai Ali;ali@example.com\\n".encode())))
>>> rows[0], rows[0].number
({'name': 'Kedai Ali', 'email': 'ali@example.com'}, 2)
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, Any

from customer_master.domain.importing import SourceRow
from customer_master.extras import require
from customer_master_files.encodings import UnknownEncoding, detect_encoding

Source = str | os.PathLike[str] | IO[bytes]

# How much of a file its encoding is told from, and how many lines its delimiter.
SAMPLE = 64 * 1024
DELIMITER_LINES = 5
DELIMITERS = ",;\t|"


class UnreadableFile(ValueError):
    """The file as a whole cannot be read (not a spreadsheet, an unknown encoding)."""


# ---------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------


def read_csv(
    source: Source, delimiter: str | None = None, encoding: str | None = None
) -> Iterator[SourceRow]:
    """The rows of a CSV file (path or binary stream). The encoding is told from the
    start of the file (``encodings.py``: a byte order mark, UTF-16/32 without one,
    UTF-8, else a legacy encoding charset-normalizer names; a file whose encoding cannot
    be told is refused once, naming the ones to try); the delimiter (``,`` ``;`` tab
    ``|``) from its first lines. Either can be given instead."""
    with _opened(source) as stream:
        head = _peek(stream)
        try:
            encoding = encoding or detect_encoding(head)
            codecs.lookup(encoding)
        except UnknownEncoding as unsure:
            raise UnreadableFile(str(unsure)) from None
        except LookupError:
            raise UnreadableFile(f"unknown encoding {encoding!r}") from None
        text = io.TextIOWrapper(stream, encoding=encoding, errors="surrogateescape", newline="")
        try:
            if delimiter is None:
                delimiter = detect_delimiter(_opening_lines(head, encoding))
            yield from _csv_rows(csv.reader(text, delimiter=delimiter), encoding)
        except UnicodeDecodeError:  # a wide encoding's last character cut in half
            raise UnreadableFile(
                f"the file ends inside a character as {encoding} reads it: is it cut off? "
                "If it is in another encoding, name it (command line: --encoding; HTTP: the encoding field)"
            ) from None
        finally:
            text.detach()


def _opening_lines(head: bytes, encoding: str) -> str:
    """The first ``DELIMITER_LINES`` lines of the file, decoded (all a delimiter needs)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    lines = decoder.decode(head[: 16 * 1024]).lstrip("\ufeff").splitlines(keepends=True)
    return "".join(lines[:DELIMITER_LINES])


def detect_delimiter(sample: str) -> str:
    """The delimiter of a CSV file starting with ``sample``: the one the sniffer finds, as
    long as the header line uses it; else the one the header line uses most; else ``,``.

    >>> detect_delimiter("name;email\\nA;a@example.com\\n"), detect_delimiter("name\\nA\\n")
    (';', ',')
    """
    header = sample.splitlines()[0] if sample else ""
    counts = {d: header.count(d) for d in DELIMITERS}
    try:
        sniffed: str | None = (
            csv.Sniffer().sniff(sample[: sample.rfind("\n") + 1] or sample, DELIMITERS).delimiter
        )
    except csv.Error:
        sniffed = None
    if sniffed is not None and counts.get(sniffed, 0) > 0:
        return sniffed
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def _csv_rows(records: Any, encoding: str) -> Iterator[SourceRow]:
    header: list[str] | None = None
    number = 0
    while True:
        number += 1
        try:
            record = next(records)
        except StopIteration:
            return
        except csv.Error as problem:
            if header is not None:
                yield SourceRow(dict.fromkeys(header, ""), number, [f"the row cannot be read: {problem}"])
            continue
        if header is None:
            header = headers_of(record)
            continue
        if not any(cell.strip() for cell in record):
            continue
        yield _row(header, record, number, encoding)


def headers_of(cells: Sequence[str]) -> list[str]:
    """Header names, trimmed; a blank header is named by its position and a repeated
    one gets its count, so every column keeps its cells (and unknown ones are reported)."""
    names: list[str] = []
    for index, cell in enumerate(cells, start=1):
        name = _clean(cell).strip().lstrip("\ufeff").strip() or f"(column {index})"
        base, count = name, 1
        while name in names:
            count += 1
            name = f"{base} ({count})"
        names.append(name)
    return names


def _row(header: Sequence[str], cells: Sequence[str], number: int, encoding: str) -> SourceRow:
    problems: list[str] = []
    extra = [cell for cell in cells[len(header) :] if cell.strip()]
    if extra:
        problems.append(
            f"the row has {len(cells)} cells but the header has {len(header)}: a delimiter inside an "
            "unquoted cell shifts the columns"
        )
    values = {}
    for name, cell in zip(header, cells, strict=False):
        clean = _clean(cell)
        if clean != cell:
            problems.append(f"column {name} holds bytes that are not {encoding} text")
        values[name] = clean
    for name in header[len(cells) :]:
        values[name] = ""
    return SourceRow(values, number, problems)


def _clean(cell: str) -> str:
    """The cell without undecodable bytes (surrogate escapes) and NUL characters."""
    if cell.isascii() and "\x00" not in cell:
        return cell
    return "".join("\ufffd" if "\udc80" <= ch <= "\udcff" else ch for ch in cell if ch != "\x00")


# ---------------------------------------------------------------------------
# XLSX
# ---------------------------------------------------------------------------


# python-calamine (Rust) reads a workbook several times faster than openpyxl, but holds
# the whole sheet in memory; openpyxl's read-only mode streams it. Workbooks up to this
# size are read with calamine, larger ones streamed, so no file is held whole
# (bench/bench_files.py prints both readers' speed and memory).
CALAMINE_MAX_BYTES = 2 * 1024 * 1024


def read_xlsx(source: Source, sheet: str | None = None, *, engine: str | None = None) -> Iterator[SourceRow]:
    """The rows of an XLSX workbook's first (or named) sheet. Formulas give their last
    computed value, never their text. ``engine`` (``calamine`` or ``openpyxl``) is chosen
    by the file's size unless given."""
    with _opened(source) as stream:
        if engine is None:
            engine = "calamine" if _size(stream) <= CALAMINE_MAX_BYTES else "openpyxl"
        if engine == "calamine":
            yield from _calamine_rows(stream, sheet)
        else:
            yield from _openpyxl_rows(stream, sheet)


def _openpyxl_rows(stream: IO[bytes], sheet: str | None) -> Iterator[SourceRow]:
    require("files", "openpyxl", needed_by="XLSX files")
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception as problem:  # openpyxl raises many kinds for a bad file
        raise UnreadableFile(f"not a readable XLSX workbook: {problem}") from None
    try:
        _check_sheet(sheet, workbook.sheetnames)
        worksheet = workbook[sheet] if sheet is not None else workbook.worksheets[0]
        yield from _sheet_rows(worksheet.iter_rows(values_only=True))
    finally:
        workbook.close()


def _calamine_rows(stream: IO[bytes], sheet: str | None) -> Iterator[SourceRow]:
    require("files", "python_calamine", needed_by="XLSX files")
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(stream)
        _check_sheet(sheet, workbook.sheet_names)
        worksheet = workbook.get_sheet_by_name(sheet or workbook.sheet_names[0])
    except UnreadableFile:
        raise
    except Exception as problem:  # calamine raises its own kinds for a bad file
        raise UnreadableFile(f"not a readable XLSX workbook: {problem}") from None
    # calamine's rows start at row 1 but at the first filled column: the columns before
    # it are put back, so that headers and row numbers are those openpyxl reads.
    padding = [""] * (worksheet.start[1] if worksheet.start else 0)
    try:
        yield from _sheet_rows(padding + row for row in worksheet.iter_rows())
    finally:
        workbook.close()


def _check_sheet(sheet: str | None, names: Sequence[str]) -> None:
    if sheet is not None and sheet not in names:
        raise UnreadableFile(f"no sheet {sheet!r} (sheets: {', '.join(names)})")


def _size(stream: IO[bytes]) -> int:
    """How many bytes are left in the stream (as many as it takes, if it cannot seek)."""
    if not stream.seekable():
        return CALAMINE_MAX_BYTES + 1
    start = stream.tell()
    end = stream.seek(0, io.SEEK_END)
    stream.seek(start)
    return end - start


def _sheet_rows(records: Iterator[Sequence[Any]], first: int = 1) -> Iterator[SourceRow]:
    header: list[str] | None = None
    number = first - 1
    while True:
        number += 1
        try:
            record = next(records)
        except StopIteration:
            return
        except Exception as problem:  # a damaged sheet: report where, then stop
            yield SourceRow(
                dict.fromkeys(header or [], ""), number, [f"the rest of the sheet cannot be read: {problem}"]
            )
            return
        cells = [cell_text(value) for value in record]
        if header is None:
            if any(cells):
                header = headers_of(cells)
            continue
        if not any(cell.strip() for cell in cells):
            continue
        yield _row(header, cells, number, "xlsx")


def cell_text(value: object) -> str:
    """A spreadsheet value as the text an import reads.

    >>> cell_text(60123456789.0), cell_text(0.5), cell_text(datetime(2026, 3, 1)), cell_text(True)
    ('60123456789', '0.5', '2026-03-01', 'yes')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value)


# ---------------------------------------------------------------------------
# Any file
# ---------------------------------------------------------------------------


def read_file(
    path: str | os.PathLike[str],
    *,
    delimiter: str | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
) -> Iterator[SourceRow]:
    """The rows of a ``.xlsx``/``.xlsm`` workbook or of a CSV file (any other name)."""
    if Path(path).suffix.lower() in (".xlsx", ".xlsm"):
        return read_xlsx(path, sheet=sheet)
    return read_csv(path, delimiter=delimiter, encoding=encoding)


def file_checksum(source: Source) -> str:
    """The SHA-256 of a file's bytes (hex), read in chunks: what an import submitted for
    approval carries, so reviewers know which file they approve."""
    digest = hashlib.sha256()
    with _opened(source) as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@contextmanager
def _opened(source: Source) -> Iterator[IO[bytes]]:
    """A binary stream for a path (opened and closed here) or the stream given."""
    if isinstance(source, (str, os.PathLike)):
        try:
            stream = open(source, "rb")  # noqa: SIM115 - closed below
        except OSError as problem:
            raise UnreadableFile(str(problem)) from None
        with stream:
            yield stream
    else:
        yield source


def _peek(stream: IO[bytes]) -> bytes:
    """The first bytes of the stream, left unread."""
    if stream.seekable():
        start = stream.tell()
        head = stream.read(SAMPLE)
        stream.seek(start)
        return head
    peek = getattr(stream, "peek", None)
    if peek is not None:
        return bytes(peek(SAMPLE))[:SAMPLE]
    raise UnreadableFile("the stream can neither seek nor peek; pass a file or a buffered stream")
