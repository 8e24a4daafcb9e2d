"""Import and export of contacts: one door to the CSV and vCard formats.

* :mod:`.import_report` — ``ImportReport`` (what an import found) and reading the file;
* :mod:`.csv_files` — CSV (``import_csv``, ``export_csv``, ``CSV_COLUMNS``);
* :mod:`.vcard_files` — vCard (``import_vcard`` reads 2.1, 3.0, 4.0; ``export_vcard`` writes
  3.0 or 4.0), over :mod:`.vcard_fields` (what a line means) and :mod:`.vcard_text` (the
  text format).

Callers import from here; each format's rules are told in its own module.
"""

from __future__ import annotations

from tws_tui.contacts.csv_files import CSV_COLUMNS, export_csv, import_csv
from tws_tui.contacts.import_report import ImportReport
from tws_tui.contacts.vcard_files import export_vcard, import_vcard

__all__ = [
    "CSV_COLUMNS",
    "ImportReport",
    "export_csv",
    "export_vcard",
    "import_csv",
    "import_vcard",
]
