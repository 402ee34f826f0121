"""Statements of account as XLSX with openpyxl (R-13.3): one sheet, the letterhead and
the customer on top, the documents as a table with real numbers (formatted with the
currency's decimals, so a spreadsheet can add them up), then the aging summary. Masked
figures (R-12.2) are left as the text ``•••``."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from customer_master.domain.aging import BUCKET_TITLES, BUCKETS
from customer_master.domain.money import minor_unit
from customer_master.domain.statements import KIND_WORDS, Statement
from customer_master_statements.pdf import COLUMNS, MASK

HEADER_FILL = PatternFill("solid", fgColor="E8ECF2")


class XlsxStatements:
    """The ``StatementRenderer`` port for XLSX."""

    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    extension = "xlsx"

    def render(self, statement: Statement) -> bytes:
        s = statement
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "Statement"
        number_format = "#,##0" + ("." + "0" * minor_unit(s.currency) if minor_unit(s.currency) else "")
        bold = Font(bold=True)

        def money(value: Decimal | None) -> Decimal | str | None:
            if value is None:
                return MASK if s.masked else None
            return value

        sheet.append([s.entity.name])
        sheet["A1"].font = Font(bold=True, size=14)
        for letterhead_line in s.entity.letterhead:
            sheet.append([letterhead_line])
        sheet.append([])
        sheet.append(["Statement of account", s.id])
        sheet.append(["Customer", f"{s.customer.code} {s.customer.name}"])
        for address_line in s.customer.address:
            sheet.append(["", address_line])
        sheet.append(["Period", s.start, s.end])
        sheet.append(["Issued", s.issued_on])
        sheet.append(["Currency", s.currency])
        sheet.append([])
        header_row = sheet.max_row + 1
        sheet.append(list(COLUMNS))
        sheet.append([None, "Opening balance", None, None, None, None, money(s.opening)])
        for line in s.lines:
            sheet.append(
                [
                    line.on,
                    KIND_WORDS[line.kind],
                    line.number if line.reference is None else f"of {line.reference}",
                    line.due_date,
                    money(line.debit) if line.debit is not None or s.masked else None,
                    money(line.credit) if line.credit is not None or s.masked else None,
                    money(line.balance),
                ]
            )
        sheet.append([None, "Closing balance", None, None, None, None, money(s.closing)])
        closing_row = sheet.max_row
        for cell in sheet[header_row]:
            cell.font, cell.fill = bold, HEADER_FILL
        for cell in sheet[closing_row]:
            cell.font = bold
        for row in sheet.iter_rows(min_row=header_row + 1, max_row=closing_row):
            for cell in row[:4:3]:
                cell.number_format = "yyyy-mm-dd"
            for cell in row[4:7]:
                cell.number_format = number_format
                cell.alignment = Alignment(horizontal="right")
        sheet.append([])
        sheet.append(["Aging at the end of the period"])
        sheet.cell(sheet.max_row, 1).font = bold
        sheet.append([BUCKET_TITLES[b] for b in BUCKETS] + ["Total"])
        for cell in sheet[sheet.max_row]:
            cell.font, cell.fill = bold, HEADER_FILL
        aging = s.aging
        sheet.append(
            [getattr(aging, b) for b in BUCKETS] + [aging.total]
            if aging is not None
            else [MASK] * (len(BUCKETS) + 1)
        )
        for cell in sheet[sheet.max_row]:
            cell.number_format = number_format
        for index, width in enumerate((14, 16, 18, 14, 15, 15, 15), start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = sheet.cell(header_row + 1, 1)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
