"""What an import found, and reading the file it comes from.

Shared by the CSV (:mod:`.csv_files`) and vCard (:mod:`.vcard_files`) importers. Imported
contacts are checked by :func:`tws_tui.contacts.rules.check_contact` (the store's own rules)
and come back in an :class:`ImportReport`: the good ones, and one ``(number, message)`` per bad
one, so a broken line never stops the others. Nothing here writes to the store; the caller
saves ``report.contacts`` (``ContactStore.add_many``).
"""

from __future__ import annotations

from pathlib import Path

from tws_tui.core.model import Contact
from tws_tui.core.values import value_class
from tws_tui.platform.i18n import N_, _

CANNOT_READ = N_("Cannot read {path}: {error}")


@value_class
class ImportReport:
    """What an import found, in file order: the good contacts; ``(line or card number,
    message)`` per refused one (``problems``); and per kept one that lost something on the
    way, what was left out and why (``notes``, same numbering); and which export the file was
    recognised as (``file_format``, an English msgid such as ``"Google Contacts CSV"``,
    translated when shown; ``""`` when not said)."""

    contacts: tuple[Contact, ...] = ()
    problems: tuple[tuple[int, str], ...] = ()
    notes: tuple[tuple[int, str], ...] = ()
    file_format: str = ""


def read_text(source: str | Path) -> str:
    """The text of ``source``: a ``Path`` is read; a ``str`` with a line break is the text
    itself, one without is a file name. Raises ``OSError``."""
    if isinstance(source, str) and ("\n" in source or "\r" in source):
        return source.removeprefix("\ufeff")
    data = Path(source).read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def load_text(source: str | Path) -> tuple[str | None, ImportReport | None]:
    try:
        return read_text(source), None
    except OSError as error:
        reason = error.strerror or str(error)
        return None, ImportReport(problems=((0, _(CANNOT_READ).format(path=source, error=reason)),))
