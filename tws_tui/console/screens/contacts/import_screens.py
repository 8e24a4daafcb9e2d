"""The two steps of an import between the file and the store (issue 22).

* :class:`ColumnMappingScreen` — a CSV file no known export wrote: one line per column (its
  header, a value of the first row, what it will hold, prefilled with a guess); ←/→ change
  what the highlighted column holds, Enter imports with that, Esc cancels.
* :class:`ImportPreviewScreen` — what the import will do (the format recognised, the counts,
  then the new contacts, the merges, those already there, the refused rows and what was left
  out, each scrollable); Enter imports, Esc cancels and nothing is written.

Both are keyboard-first and fit 80×24: long lists scroll (↑/↓, PgUp/PgDn), long texts are cut.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tws_tui.contacts.csv_files import CsvLayout
from tws_tui.contacts.csv_formats import FIELDS
from tws_tui.contacts.import_preview import ImportPreview
from tws_tui.core.model import Contact
from tws_tui.platform.i18n import _, labelled

#: How many entries of one kind the preview lists (the counts say how many there are).
SHOWN = 200
_FIELD_IDS = tuple(FIELDS)
_NAMES = {"name", "given name", "family name", "nickname", "company", "email"}
_REACH = {"email", "numbers"}


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


class ColumnMappingScreen(ModalScreen[tuple[str, ...] | None]):
    """What each column of an unknown CSV holds; dismisses with one field per column."""

    BINDINGS: ClassVar = [
        Binding("escape", "dismiss(None)", show=False),
        Binding("enter", "confirm", show=False, priority=True),
        Binding("right", "change(1)", show=False),
        Binding("left", "change(-1)", show=False),
    ]

    def __init__(self, layout: CsvLayout, file_name: str) -> None:
        super().__init__()
        self.csv = layout
        self.file_name = file_name
        self.fields = list(layout.fields)

    def _prompt(self, index: int) -> str:
        title = self.csv.header[index].strip() or "—"
        sample = next((row[index] for row in self.csv.samples if index < len(row)), "")
        field = _(FIELDS[self.fields[index]])
        return f"{_cut(title, 20):<20} {_cut(sample, 18):<18} → {field}"

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box report-box", id="mapping-box"):
            yield Static(
                _("What does each column of {file} hold?").format(file=self.file_name),
                classes="modal-title",
                markup=False,
            )
            yield Static(
                _(
                    "This file is not an export the console knows. A guess is filled in: "
                    "←/→ change what the highlighted column holds."
                ),
                markup=False,
            )
            yield OptionList(
                *(Option(self._prompt(i), id=str(i)) for i in range(len(self.fields))),
                id="mapping-columns",
            )
            yield Static(id="mapping-error", classes="form-error", markup=False)
            yield Static(_("Enter imports with these columns, Esc cancels."), classes="modal-note")

    def on_mount(self) -> None:
        columns = self.query_one("#mapping-columns", OptionList)
        columns.highlighted = 0
        columns.focus()

    def action_change(self, step: int) -> None:
        columns = self.query_one("#mapping-columns", OptionList)
        index = columns.highlighted
        if index is None:
            return
        position = _FIELD_IDS.index(self.fields[index])
        self.fields[index] = _FIELD_IDS[(position + step) % len(_FIELD_IDS)]
        columns.replace_option_prompt_at_index(index, self._prompt(index))

    def action_confirm(self) -> None:
        chosen = set(self.fields)
        reach = any(field.startswith("phone") for field in chosen) or bool(chosen & _REACH)
        if not chosen & _NAMES or not reach:
            self.query_one("#mapping-error", Static).update(
                _(
                    "Choose at least the column of the name (or company) and one of a "
                    "number or an e-mail."
                )
            )
            return
        self.dismiss(tuple(self.fields))


def _contact_line(contact: Contact) -> str:
    reach = contact.numbers[0][1] if contact.numbers else contact.email or ""
    return f"  {_cut(contact.name, 40)}  {_cut(reach, 30)}"


def _numbered(items: Sequence[tuple[int, str]], where: str) -> list[str]:
    return [
        "  " + (where.format(number=number, problem=text) if number else text)
        for number, text in items[:SHOWN]
    ]


def _more(count: int) -> list[str]:
    return [_("  … and {count} more").format(count=count - SHOWN)] if count > SHOWN else []


def preview_lines(preview: ImportPreview, *, vcard: bool) -> list[str]:
    """The lists of the preview, kind by kind (at most :data:`SHOWN` of each)."""
    where = _("card {number}: {problem}") if vcard else _("line {number}: {problem}")
    lines: list[str] = []
    if preview.new:
        lines.append(labelled(_("New contacts"), str(len(preview.new))))
        lines += [_contact_line(c) for c in preview.new[:SHOWN]] + _more(len(preview.new))
    if preview.merges:
        lines.append(labelled(_("Completed (same number or e-mail)"), str(len(preview.merges))))
        lines += [
            f"  {_cut(m.existing.name, 30)} + {_cut(', '.join(m.added), 40)}"
            for m in preview.merges[:SHOWN]
        ] + _more(len(preview.merges))
    if preview.already_there:
        count = len(preview.already_there)
        lines.append(labelled(_("Already there, nothing new"), str(count)))
        lines += [_contact_line(c) for c in preview.already_there[:SHOWN]] + _more(count)
    if preview.refused:
        lines.append(labelled(_("Refused"), str(len(preview.refused))))
        lines += _numbered(preview.refused, where) + _more(len(preview.refused))
    if preview.notes:
        lines.append(labelled(_("Left out of kept contacts"), str(len(preview.notes))))
        lines += _numbered(preview.notes, where) + _more(len(preview.notes))
    return lines


def _styled(lines: Sequence[str]) -> Text:
    """The preview's lists: each kind's heading in bold, its entries under it."""
    text = Text()
    for line in lines:
        text.append(line + "\n", style="" if line.startswith(" ") else "bold")
    text.rstrip()
    return text


class ImportPreviewScreen(ModalScreen[bool]):
    """What an import will do; dismisses with True (Enter: import) or False (Esc)."""

    BINDINGS: ClassVar = [
        Binding("escape", "dismiss(False)", show=False),
        Binding("enter", "dismiss(True)", show=False, priority=True),
    ]

    def __init__(self, preview: ImportPreview, file_name: str, *, vcard: bool) -> None:
        super().__init__()
        self.preview = preview
        self.file_name = file_name
        self.vcard = vcard

    def compose(self) -> ComposeResult:
        preview = self.preview
        counts = _(
            "new: {new} · completed: {merged} · already there: {already} · refused: {refused}"
            " · left out: {left}"
        ).format(
            new=len(preview.new),
            merged=len(preview.merges),
            already=len(preview.already_there),
            refused=len(preview.refused),
            left=len(preview.notes),
        )
        with Vertical(classes="modal-box report-box", id="preview-box"):
            yield Static(
                _("Import {file}?").format(file=self.file_name), classes="modal-title", markup=False
            )
            if preview.file_format:
                yield Static(labelled(_("Recognised"), _(preview.file_format)), markup=False)
            yield Static(counts, id="preview-counts", markup=False)
            with VerticalScroll(id="preview-lists"):
                yield Static(_styled(preview_lines(preview, vcard=self.vcard)))
            yield Static(
                _("Enter imports, Esc cancels (nothing is written before Enter)."),
                classes="modal-note",
            )

    def on_mount(self) -> None:
        self.query_one("#preview-lists", VerticalScroll).focus()
