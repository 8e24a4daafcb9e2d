"""Importing and exporting local contacts from the console: the file dialog and the report.

* :class:`FileDialog` asks for a file name (``~`` allowed); for an import it also asks which
  directory the contacts go to (private by default, TWS-2.1.2). The format follows the
  extension: ``.vcf``/``.vcard`` is vCard, anything else CSV (the columns of
  :data:`tws_tui.contacts.exchange.CSV_COLUMNS`).
* The import itself (preview, column mapping, confirm, undo) is
  :mod:`tws_tui.console.screens.contacts.import_flow`; :class:`ReportScreen` shows the problems
  of a file that gives nothing to import.
* :func:`export_text` is the text of the contacts given in the file's format (written by
  :func:`~tws_tui.console.screens.modals.save_text.save_text`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static, Switch

from tws_tui.contacts.rules import PRIVATE, PUBLIC
from tws_tui.core.model import Contact
from tws_tui.platform.i18n import _

VCARD_SUFFIXES = (".vcf", ".vcard")


def is_vcard(path: Path) -> bool:
    return path.suffix.casefold() in VCARD_SUFFIXES


class FileDialog(ModalScreen[tuple[Path, str] | None]):
    """A file name, and for an import the directory to fill; dismisses with both."""

    BINDINGS: ClassVar = [Binding("escape", "dismiss(None)", show=False)]

    def __init__(
        self, title: str, *, importing: bool, suggestion: str = "", note: str | None = None
    ) -> None:
        """``note`` replaces the line under the field (what the file's format will be)."""
        super().__init__()
        self.title_text = title
        self.importing = importing
        self.suggestion = suggestion
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box form-box"):
            yield Static(self.title_text, classes="modal-title", markup=False)
            yield Static(id="file-error", classes="form-error", markup=False)
            yield Horizontal(
                Label(_("File"), classes="form-label"),
                Input(self.suggestion, id="file-name", compact=True, select_on_focus=False),
                classes="form-row",
            )
            if self.importing:
                yield Horizontal(
                    Label(_("Public"), classes="form-label"),
                    Switch(False, id="file-public"),
                    Static(_("off: into your private contacts"), classes="form-hint"),
                    classes="form-row switch-row",
                )
            yield Static(
                self.note or _("A .vcf file is vCard, any other CSV. Enter goes on, Esc cancels."),
                classes="modal-note",
            )

    def on_mount(self) -> None:
        self.query_one("#file-name", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = self.query_one("#file-name", Input).value.strip()
        error = self.query_one("#file-error", Static)
        if not text:
            error.update(_("Type the name of a file."))
            return
        path = Path(text).expanduser()
        if self.importing and not path.is_file():
            error.update(_("There is no file {path}.").format(path=path))
            return
        if not self.importing and path.is_dir():
            error.update(_("{path} is a folder: add a file name.").format(path=path))
            return
        public = self.importing and self.query_one("#file-public", Switch).value
        self.dismiss((path, PUBLIC if public else PRIVATE))


def export_text(contacts: Sequence[Contact], path: Path) -> str:
    """The text of ``contacts`` in ``path``'s format (vCard or CSV by its extension)."""
    from tws_tui.contacts.exchange import export_csv, export_vcard

    return export_vcard(contacts) if is_vcard(path) else export_csv(contacts)


class ReportScreen(ModalScreen[None]):
    """Lines of text to read (an import's report); Esc or Enter closes."""

    BINDINGS: ClassVar = [Binding("escape,enter", "dismiss(None)", show=False)]

    def __init__(self, title: str, lines: Sequence[str]) -> None:
        super().__init__()
        self.title_text = title
        self.text = "\n".join(lines)

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="modal-box report-box"):
            yield Static(self.title_text, classes="modal-title", markup=False)
            yield Static(self.text, id="report-text", markup=False)
            yield Static(_("Esc or Enter closes."), classes="modal-note")
