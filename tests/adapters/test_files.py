"""The CSV and XLSX readers and writers (SPEC R-9.1, R-9.6): any delimiter and encoding,
hostile input becomes row problems and never a crash, formulas are neutralised on export
and read back as written, and the ``import``/``export`` commands."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from customer_master import Actor, CustomerMaster
from customer_master.domain.approvals import OPERATIONS
from customer_master.domain.importing import ImportOptions, SourceRow, unneutralised
from customer_master_files import UnreadableFile, read_csv, read_xlsx, write_csv, write_xlsx
from customer_master_files.cli import commands

ADMIN = Actor("acme", "ana", {"admin"})


def green(cm: CustomerMaster) -> CustomerMaster:
    cm.configuration.add_legal_entity(ADMIN, {"code": "MY01", "name": "Acme Malaysia"})
    for operation in OPERATIONS:
        cm.configuration.set_approval_lane(ADMIN, operation, "green")
    return cm


# ---------------------------------------------------------------------------
# Encodings and delimiters
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("name,city\nSociété Générale,Paris\n".encode(), "Société Générale"),
        ("\ufeffname;city\nSociété Générale;Paris\n".encode(), "Société Générale"),
        ("name\tcity\nSociété Générale\tParis\n".encode("utf-16"), "Société Générale"),
        ("name|city\nSociété Générale|Paris\n".encode("cp1252"), "Société Générale"),
        (b'name;city\n"Kedai; Ali";Klang\n', "Kedai; Ali"),
    ],
    ids=["utf8-comma", "bom-semicolon", "utf16-tab", "cp1252-pipe", "quoted-delimiter"],
)
def test_encodings_and_delimiters_are_detected(data: bytes, expected: str) -> None:
    rows = list(read_csv(io.BytesIO(data)))
    assert [r["name"] for r in rows] == [expected]
    assert rows[0].number == 2
    assert rows[0].problems == ()


def test_a_given_encoding_and_delimiter_win(tmp_path: Path) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes("name:city\n日本商事:東京\n".encode("shift_jis"))
    assert list(read_csv(path, delimiter=":", encoding="shift_jis")) == [{"name": "日本商事", "city": "東京"}]


def test_bytes_that_are_not_text_fail_only_their_row() -> None:
    """The start of the file is UTF-8, so it is read as UTF-8; a later row that is not
    fails alone."""
    data = b"name,city\n" + "Société,Paris\n".encode() * 6000 + b"Bad \xff\xfe name,Lyon\nAlso good,Nice\n"
    rows = list(read_csv(io.BytesIO(data)))
    assert [(r.number, bool(r.problems)) for r in rows[-2:]] == [(6002, True), (6003, False)]
    assert "not utf-8 text" in rows[-2].problems[0]
    assert rows[-2]["name"] == "Bad \ufffd\ufffd name"
    assert not any(r.problems for r in rows[:-2])


def test_a_row_longer_than_the_header_fails_and_a_shorter_one_is_padded() -> None:
    rows = list(read_csv(io.BytesIO(b"name,city\nA,Paris,extra\nB\nC,Nice,,\n")))
    assert [(r["name"], r["city"], bool(r.problems)) for r in rows] == [
        ("A", "Paris", True),
        ("B", "", False),
        ("C", "Nice", False),
    ]


def test_a_huge_cell_fails_its_row_and_the_file_goes_on() -> None:
    data = b'name,notes\nA,"' + b"x" * 300_000 + b'"\nB,short\n'
    rows = list(read_csv(io.BytesIO(data)))
    assert [r.problems != () for r in rows] == [True, False]
    assert rows[-1]["name"] == "B"


def test_blank_and_repeated_headers_keep_their_columns() -> None:
    rows = list(read_csv(io.BytesIO(b"name,,name\nA,x,B\n")))
    assert rows == [{"name": "A", "(column 2)": "x", "name (2)": "B"}]


# ---------------------------------------------------------------------------
# Hostile input never crashes (properties)
# ---------------------------------------------------------------------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_any_bytes_give_rows_or_one_file_error_never_a_crash(data: bytes) -> None:
    problem = ""
    try:
        rows = list(read_csv(io.BytesIO(data)))
    except UnreadableFile as unsure:  # an encoding that cannot be told: said once, for the file
        rows, problem = [], str(unsure)
    assert not problem or "--encoding" in problem
    for row in rows:
        assert isinstance(row, SourceRow)
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in row.items())
        assert not any("\x00" in v or "\udc80" <= min(v, default="a") <= "\udcff" for v in row.values())


_CELL = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_CELL, min_size=2, max_size=2), min_size=1, max_size=8))
def test_what_is_written_reads_back_as_it_was(cells: list[list[str]]) -> None:
    """Formulas, quotes, delimiters and line breaks included: write → read is exact."""
    rows = [{"name": a, "notes": b} for a, b in cells]
    out = io.BytesIO()
    write_csv(out, ["name", "notes"], rows)
    out.seek(0)
    read = list(read_csv(out, delimiter=","))
    expected = [r for r in rows if any(v.strip() for v in r.values())]
    assert [{k: unneutralised(v) for k, v in r.items()} for r in read] == expected


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.fixed_dictionaries(
            {"name": _CELL, "email": _CELL, "kind": st.sampled_from(["company", "individual", "=1+1", ""])}
        ),
        max_size=6,
    )
)
def test_any_text_rows_give_outcomes_never_a_crash(rows: list[dict[str, str]]) -> None:
    cm = green(CustomerMaster.from_url("memory://", load_entry_points=False))
    cells = [{**r, "legal_entity": "MY01", "tags": r["name"]} for r in rows]
    result = cm.imports.run(ADMIN, cells, ImportOptions(validate_only=True))
    assert result.rows == len(rows)


# ---------------------------------------------------------------------------
# Formulas on export
# ---------------------------------------------------------------------------


def test_formulas_are_neutralised_in_csv_and_xlsx_and_read_back_as_written(tmp_path: Path) -> None:
    rows = [{"name": "=cmd|' /C calc'!A0", "phone": "+60123456789", "notes": "@SUM(1)"}]
    columns = ["name", "phone", "notes"]
    write_csv(tmp_path / "out.csv", columns, rows)
    text = (tmp_path / "out.csv").read_text(encoding="utf-8-sig")
    assert "'=cmd" in text
    assert "'+60123456789" in text
    write_xlsx(tmp_path / "out.xlsx", columns, rows)
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "out.xlsx").active
    assert sheet is not None
    assert [c.data_type for c in sheet[2]] == ["s", "s", "s"]  # text, never a formula
    for read in (read_csv(tmp_path / "out.csv"), read_xlsx(tmp_path / "out.xlsx")):
        assert [{k: unneutralised(v) for k, v in r.items()} for r in read] == rows


@pytest.mark.parametrize("engine", ["openpyxl", "calamine"])
def test_a_formula_in_an_uploaded_workbook_is_read_as_its_value_not_its_text(
    tmp_path: Path, engine: str
) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["name", "notes"])
    sheet.append(["Acme", '=HYPERLINK("http://evil.example","x")'])
    sheet.append([None, None])
    sheet.append(["Beta", 42.0])
    workbook.save(tmp_path / "in.xlsx")
    rows = list(read_xlsx(tmp_path / "in.xlsx", engine=engine))
    assert [(r.number, r["name"], r["notes"]) for r in rows] == [(2, "Acme", ""), (4, "Beta", "42")]


@pytest.mark.parametrize("engine", ["openpyxl", "calamine"])
def test_a_file_that_is_not_a_workbook_is_unreadable(tmp_path: Path, engine: str) -> None:
    (tmp_path / "fake.xlsx").write_bytes(b"not a zip at all")
    with pytest.raises(UnreadableFile):
        list(read_xlsx(tmp_path / "fake.xlsx", engine=engine))
    with zipfile.ZipFile(tmp_path / "empty.xlsx", "w") as archive:
        archive.writestr("hello.txt", "nothing here")
    with pytest.raises(UnreadableFile):
        list(read_xlsx(tmp_path / "empty.xlsx", engine=engine))


def test_calamine_and_openpyxl_read_a_workbook_alike(tmp_path: Path) -> None:
    """Small workbooks are read with calamine, large ones streamed with openpyxl: the
    same rows, numbers, dates, flags and row numbers either way."""
    from datetime import date, datetime

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append([])
    sheet.append([None, "name", "phone", "since", "active", "limit"])
    sheet.append([None, "Acme", 60123456789, date(2024, 3, 1), True, 1250.5])
    sheet.append([None, None, None, None, None, None])
    sheet.append([None, "Beta ß", "+49 (0) 8155 9811", datetime(2024, 3, 1, 9, 30), False, 7])
    workbook.save(tmp_path / "in.xlsx")
    read = {
        engine: list(read_xlsx(tmp_path / "in.xlsx", engine=engine)) for engine in ("openpyxl", "calamine")
    }
    assert [(r.number, dict(r)) for r in read["calamine"]] == [(r.number, dict(r)) for r in read["openpyxl"]]
    assert [r.number for r in read["calamine"]] == [3, 5]
    assert read["calamine"][0]["phone"] == "60123456789"
    assert list(read_xlsx(tmp_path / "in.xlsx")) == read["calamine"]  # small: calamine


# ---------------------------------------------------------------------------
# The commands
# ---------------------------------------------------------------------------


@pytest.fixture
def database(tmp_path: Path) -> str:
    from customer_master_sql import migrate

    url = f"sqlite:///{tmp_path / 'cm.db'}"
    migrate(url)
    cm = CustomerMaster.from_url(url, load_entry_points=False)
    green(cm)
    cm.close()
    return url


def test_import_then_export_from_the_command_line(database: str, tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text(
        "name;kind;legal_entity;email\nAcme;company;MY01;ap@acme.example\nBroken;company;MY01;nope\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    report = tmp_path / "report.csv"
    args = ["--url", database, "import", str(source), "--tenant", "acme", "--report", str(report)]
    done = runner.invoke(commands, args)
    assert done.exit_code == 3, done.output  # one row failed
    assert "created" in done.output
    assert "not a valid e-mail" in done.output
    assert report.read_text(encoding="utf-8").splitlines()[1:] == [
        "2,created,CUS-0001,,,",
        "3,failed,,email,invalid,'nope' is not a valid e-mail address: An email address must have an @-sign.",
    ]
    exported = runner.invoke(
        commands, ["--url", database, "export", str(tmp_path / "out.xlsx"), "--tenant", "acme"]
    )
    assert exported.exit_code == 0, exported.output
    assert [r["email"] for r in read_xlsx(tmp_path / "out.xlsx")] == ["ap@acme.example"]


def test_a_command_error_is_one_line_not_a_traceback(database: str, tmp_path: Path) -> None:
    (tmp_path / "bad.xlsx").write_bytes(b"garbage")
    done = CliRunner().invoke(
        commands, ["--url", database, "import", str(tmp_path / "bad.xlsx"), "--tenant", "acme"]
    )
    assert done.exit_code == 1
    assert "not a readable XLSX workbook" in done.output
    assert "Traceback" not in done.output
