"""Statements of account as PDF with reportlab (R-13.3; docs/decisions/0032).

Platypus lays the statement out: the legal entity's letterhead, the customer's address
block, the period and balances, the documents as a real table whose header row repeats
on every page, and the aging summary. Every page is numbered "Page n of N" (a canvas
that counts its pages before it writes them). Text is set in DejaVu Sans, shipped with
this package (``fonts/``, with its licence), so names in Latin, Greek, Cyrillic and most
other alphabetic scripts print as written; DejaVu has no CJK glyphs (docs/receivables.md).
"""

from __future__ import annotations

import io
from decimal import Decimal
from functools import cache
from importlib.resources import files
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from customer_master.domain.aging import BUCKET_TITLES, BUCKETS
from customer_master.domain.money import minor_unit
from customer_master.domain.statements import KIND_WORDS, Statement

FONT, BOLD = "DejaVuSans", "DejaVuSans-Bold"
MASK = "•••"
COLUMNS = ("Date", "Document", "Number", "Due", "Debit", "Credit", "Balance")


@cache
def register_fonts() -> None:
    """Register the shipped DejaVu Sans faces with reportlab (once per process)."""
    folder = files("customer_master_statements") / "fonts"
    for name in (FONT, BOLD):
        with (folder / f"{name}.ttf").open("rb") as font_file:
            pdfmetrics.registerFont(TTFont(name, io.BytesIO(font_file.read())))


def amount_text(amount: Decimal | None, currency: str) -> str:
    """An amount as printed: grouped thousands, the currency's decimals; ``•••`` masked."""
    if amount is None:
        return MASK
    digits = minor_unit(currency)
    return f"{amount:,.{digits}f}"


class _NumberedCanvas(Canvas):
    """A canvas that writes "Page n of N" on every page once it knows N."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont(FONT, 8)
            self.drawRightString(A4[0] - 18 * mm, 10 * mm, f"Page {self._pageNumber} of {total}")
            super().showPage()
        super().save()


class PdfStatements:
    """The ``StatementRenderer`` port for PDF."""

    content_type = "application/pdf"
    extension = "pdf"

    def __init__(self) -> None:
        register_fonts()
        self.normal = ParagraphStyle("normal", fontName=FONT, fontSize=9, leading=11.5)
        self.small = ParagraphStyle("small", parent=self.normal, fontSize=8, leading=10)
        self.title = ParagraphStyle("title", parent=self.normal, fontName=BOLD, fontSize=15, leading=19)
        self.heading = ParagraphStyle("heading", parent=self.normal, fontName=BOLD, fontSize=10.5, leading=14)

    def render(self, statement: Statement) -> bytes:
        """The statement as a PDF document."""
        out = io.BytesIO()
        document = SimpleDocTemplate(
            out,
            pagesize=A4,
            leftMargin=18 * mm,
            rightMargin=18 * mm,
            topMargin=16 * mm,
            bottomMargin=18 * mm,
            title=f"Statement of account {statement.customer.code} {statement.start} – {statement.end}",
            author=statement.entity.name,
        )
        document.build(self._story(statement), canvasmaker=_NumberedCanvas)
        return out.getvalue()

    def _story(self, s: Statement) -> list[Any]:
        text = _escape
        money = s.currency
        story: list[Any] = [Paragraph(text(s.entity.name), self.title)]
        story += [Paragraph(text(line), self.small) for line in s.entity.letterhead]
        story.append(Spacer(1, 6 * mm))
        address = [f"<b>{text(s.customer.name)}</b>", *(text(line) for line in s.customer.address)]
        if s.customer.attention:
            address.append(f"Attn: {text(s.customer.attention)}")
        facts = [
            ["Statement of account", ""],
            ["Customer", s.customer.code],
            ["Period", f"{s.start:%d %b %Y} – {s.end:%d %b %Y}"],
            ["Issued", f"{s.issued_on:%d %b %Y}"],
            ["Currency", money],
            ["Statement", s.id],
        ]
        head = Table(
            [[Paragraph("<br/>".join(address), self.normal), self._facts(facts)]],
            colWidths=[95 * mm, 79 * mm],
        )
        head.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (0, 0), 0)]))
        story += [head, Spacer(1, 5 * mm)]
        story.append(self._documents(s))
        story += [Spacer(1, 5 * mm), Paragraph("Aging at the end of the period", self.heading)]
        story.append(self._aging(s))
        if s.masked:
            story += [Spacer(1, 3 * mm), Paragraph("Amounts are hidden for your role.", self.small)]
        return story

    def _facts(self, rows: list[list[str]]) -> Table:
        table = Table(rows, colWidths=[28 * mm, 51 * mm])
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), FONT, 8.5),
                    ("FONT", (0, 0), (0, 0), BOLD, 11),
                    ("SPAN", (0, 0), (1, 0)),
                    ("TEXTCOLOR", (0, 1), (0, -1), colors.HexColor("#555555")),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                    ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ]
            )
        )
        return table

    def _documents(self, s: Statement) -> Table:
        money = s.currency
        rows: list[list[str]] = [list(COLUMNS)]
        rows.append(["", "Opening balance", "", "", "", "", amount_text(s.opening, money)])
        for line in s.lines:
            reference = f"{line.number}" if line.reference is None else f"of {line.reference}"
            rows.append(
                [
                    f"{line.on:%d %b %Y}",
                    KIND_WORDS[line.kind],
                    reference,
                    f"{line.due_date:%d %b %Y}" if line.due_date else "",
                    "" if line.debit is None and not s.masked else amount_text(line.debit, money),
                    "" if line.credit is None and not s.masked else amount_text(line.credit, money),
                    amount_text(line.balance, money),
                ]
            )
        rows.append(["", "Closing balance", "", "", "", "", amount_text(s.closing, money)])
        widths = [21 * mm, 24 * mm, 33 * mm, 21 * mm, 25 * mm, 25 * mm, 25 * mm]
        table = Table(rows, colWidths=widths, repeatRows=1)
        last = len(rows) - 1
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), FONT, 8),
                    ("FONT", (0, 0), (-1, 0), BOLD, 8),
                    ("FONT", (0, last), (-1, last), BOLD, 8.5),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8ecf2")),
                    ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.HexColor("#44546a")),
                    ("LINEABOVE", (0, last), (-1, last), 0.6, colors.HexColor("#44546a")),
                    ("ALIGN", (4, 0), (-1, -1), "RIGHT"),
                    ("TOPPADDING", (0, 0), (-1, -1), 1.8),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1.8),
                ]
            )
        )
        return table

    def _aging(self, s: Statement) -> Table:
        titles = [BUCKET_TITLES[b] for b in BUCKETS] + ["Total"]
        values = (
            [amount_text(getattr(s.aging, b), s.currency) for b in BUCKETS]
            + [amount_text(s.aging.total, s.currency)]
            if s.aging is not None
            else [MASK] * (len(BUCKETS) + 1)
        )
        table = Table([titles, values], colWidths=[29 * mm] * 6)
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), FONT, 8),
                    ("FONT", (0, 0), (-1, 0), BOLD, 8),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8ecf2")),
                    ("ALIGN", (0, 0), (-1, -1), "RIGHT"),
                    ("BOX", (0, 0), (-1, -1), 0.4, colors.HexColor("#44546a")),
                ]
            )
        )
        return table


def _escape(value: str) -> str:
    """Text safe inside a reportlab Paragraph (its mini-markup)."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
