"""Statements of account for people (SPEC R-13.3): PDF (reportlab, with DejaVu Sans
shipped in ``fonts/``) and XLSX (openpyxl) renderers of the ``StatementRenderer`` port,
and the SMTP adapter of the ``Mailer`` port that sends them. ``docs/receivables.md``."""

from customer_master.extras import require

require("statements", "reportlab", "openpyxl", needed_by="statements of account")

from customer_master_statements.pdf import PdfStatements  # noqa: E402
from customer_master_statements.smtp import MailNotConfigured, SmtpMailer  # noqa: E402
from customer_master_statements.xlsx import XlsxStatements  # noqa: E402

__all__ = ["MailNotConfigured", "PdfStatements", "SmtpMailer", "XlsxStatements", "ports_from_env"]


def ports_from_env(environ: dict[str, str] | None = None) -> dict[str, object]:
    """The statement ports for ``CustomerMaster(...)``: the PDF renderer, and the SMTP
    mailer when ``CM_SMTP_HOST`` is set (``MailNotConfigured`` when it is set wrong)."""
    import os

    env = dict(os.environ) if environ is None else environ
    ports: dict[str, object] = {"statement_pdf": PdfStatements()}
    if env.get("CM_SMTP_HOST"):
        ports["mailer"] = SmtpMailer.from_env(env)
    return ports
