"""Customer files for bulk import and export (SPEC R-9): CSV and XLSX readers that
stream rows into ``ImportService.run``, writers that stream an ``Export`` out, and the
``import``/``export`` commands for the command line (``cli.py``).

The core knows rows of text cells only; this adapter is where bytes, encodings,
delimiters and spreadsheets live. Hostile input — bytes that are not text, rows longer
than the header, huge cells, formulas — becomes row problems, never a crash, and cells
that would start a formula are neutralised on export.
"""

from customer_master_files.readers import UnreadableFile, file_checksum, read_csv, read_file, read_xlsx
from customer_master_files.writers import write_csv, write_file, write_xlsx

__all__ = [
    "UnreadableFile",
    "file_checksum",
    "read_csv",
    "read_file",
    "read_xlsx",
    "write_csv",
    "write_file",
    "write_xlsx",
]
