"""The files staged for a chat message, and a staged file's tags (issue 15, TWS Caller
§4.3.5.3-2 view / tags / remove, §4.3.5.4-2 the tag editor).

* ``StagedFilesScreen``: the pending message's files; ↑↓ move, the highlighted one is shown
  below (name, size, type, tags; a text file's first lines, read literally), T
  (``chat_staged.tags``) edits its tags, Delete (``chat_staged.remove``) removes it, O
  (``chat_staged.open``) opens it with the desktop's program (``platform.file_opener``), C
  (``chat_staged.clear``) asks, then removes them all, Esc (``chat_staged.close``) closes.
  Dismisses with the files kept (their tags as edited).
* ``TagEditorScreen``: a file's tags; Delete (``chat_tags.remove``) removes the highlighted
  one, N (``chat_tags.new``) goes to the "New tag…" field, which adds one with Enter
  (``domain.attachment_tags.check_tag``; a refusal is said under the field, what was typed
  stays), Esc (``chat_tags.close``) closes with the tags.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tws_tui.console.bindings import bindings_for
from tws_tui.console.screens.chat_files import shown_size
from tws_tui.console.screens.modals.confirm import ConfirmScreen
from tws_tui.core.errors import InvalidValue
from tws_tui.domain.attachment_tags import StagedFile, check_tag
from tws_tui.domain.text import shown_literally
from tws_tui.platform.file_opener import open_file
from tws_tui.platform.i18n import _, labelled

#: The first lines of a text file shown, and the most bytes read for them.
PREVIEW_LINES = 4
PREVIEW_BYTES = 2048


def _preview(file: StagedFile) -> str:
    """A text file's first lines (empty for any other or one that cannot be read)."""
    if not file.content_type.startswith("text/"):
        return ""
    try:
        with file.path.open("rb") as source:
            head = source.read(PREVIEW_BYTES)
    except OSError:
        return ""
    lines = head.decode("utf-8", errors="replace").splitlines()[:PREVIEW_LINES]
    return "\n".join(shown_literally(line) for line in lines)


def file_line(file: StagedFile) -> Text:
    """``📎 plan.pdf 120.0 KB  #document #PDF``: a staged file's line."""
    line = Text("📎 ")
    line.append(shown_literally(file.name), style="bold")
    line.append(f" {shown_size(file.size)}")
    if file.tags:
        line.append("  " + " ".join(f"#{tag}" for tag in file.tags), style="italic")
    return line


class StagedFilesScreen(ModalScreen[list[StagedFile] | None]):
    DEFAULT_CSS = """
    StagedFilesScreen #staged-box { width: 76; max-width: 100%; height: auto; max-height: 100%; }
    StagedFilesScreen #staged-list { height: auto; max-height: 8; }
    StagedFilesScreen #staged-detail { height: auto; max-height: 9; margin-top: 1; }
    """
    BINDINGS: ClassVar = bindings_for("chat_staged")

    def __init__(self, files: list[StagedFile]) -> None:
        super().__init__()
        self.files = list(files)

    def compose(self) -> ComposeResult:
        with Vertical(id="staged-box", classes="modal-box"):
            yield Static(_("Files to send"), classes="modal-title", markup=False)
            yield OptionList(id="staged-list", compact=True)
            yield Static(id="staged-detail", markup=False)
            yield Static(
                _("T: tags, Del: remove, O: open, C: remove all, Esc: close."),
                classes="modal-note",
                markup=False,
            )

    def on_mount(self) -> None:
        self._show(0)
        self.query_one("#staged-list", OptionList).focus()

    def _show(self, highlighted: int) -> None:
        listed = self.query_one("#staged-list", OptionList)
        listed.clear_options()
        listed.add_options(Option(file_line(file)) for file in self.files)
        if self.files:
            listed.highlighted = min(highlighted, len(self.files) - 1)
        self._detail()

    def _current(self) -> StagedFile | None:
        index = self.query_one("#staged-list", OptionList).highlighted
        return self.files[index] if index is not None and index < len(self.files) else None

    def on_option_list_option_highlighted(self, _event: OptionList.OptionHighlighted) -> None:
        self._detail()

    def _detail(self) -> None:
        file = self._current()
        detail = self.query_one("#staged-detail", Static)
        if file is None:
            detail.update(_("No file staged."))
            return
        tags = " ".join(f"#{tag}" for tag in file.tags) or "—"
        out = Text(
            "\n".join(
                (
                    labelled(_("Name"), shown_literally(file.name)),
                    labelled(_("Size"), shown_size(file.size)),
                    labelled(_("Type"), file.content_type),
                    labelled(_("Tags"), tags),
                )
            )
        )
        preview = _preview(file)
        if preview:
            out.append("\n" + preview, style="dim")
        detail.update(out)

    def action_tags(self) -> None:
        """T (``chat_staged.tags``): the highlighted file's tags edited."""
        file = self._current()
        if file is None:
            return
        index = self.files.index(file)

        def done(tags: tuple[str, ...] | None) -> None:
            if tags is not None:
                self.files[index] = replace(file, tags=tags)
                self._show(index)

        self.app.push_screen(TagEditorScreen(file), done)

    def action_remove(self) -> None:
        """Delete (``chat_staged.remove``): the highlighted file out of the message."""
        file = self._current()
        if file is None:
            return
        index = self.files.index(file)
        del self.files[index]
        self._show(index)

    async def action_open(self) -> None:
        """O (``chat_staged.open``): the highlighted file opened by the desktop's program."""
        file = self._current()
        if file is None:
            return
        if not await asyncio.to_thread(open_file, file.path):
            self.notify(_("No program here opens {name}.").format(name=file.name), markup=False)

    def action_clear(self) -> None:
        """C (``chat_staged.clear``): every file out of the message, once confirmed."""
        if not self.files:
            return
        question = _("Remove the {count} files staged for this message?").format(
            count=len(self.files)
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.dismiss([])

        self.app.push_screen(ConfirmScreen(question), answered)

    def action_close(self) -> None:
        """Esc (``chat_staged.close``): back to the message, with the files kept."""
        self.dismiss(self.files)


class TagEditorScreen(ModalScreen[tuple[str, ...] | None]):
    DEFAULT_CSS = """
    TagEditorScreen #tags-box { width: 56; max-width: 100%; height: auto; }
    TagEditorScreen #tags-list { height: auto; max-height: 8; }
    TagEditorScreen #tags-new { margin-top: 1; background: $boost; }
    TagEditorScreen #tags-problem { color: $error; height: auto; }
    """
    BINDINGS: ClassVar = bindings_for("chat_tags")

    def __init__(self, file: StagedFile) -> None:
        super().__init__()
        self.file = file
        self.tags = list(file.tags)

    def compose(self) -> ComposeResult:
        title = _("Tags of {name}").format(name=shown_literally(self.file.name))
        with Vertical(id="tags-box", classes="modal-box"):
            yield Static(title, classes="modal-title", markup=False)
            yield OptionList(id="tags-list", compact=True)
            yield Input(id="tags-new", placeholder=_("New tag…"), compact=True, max_length=200)
            yield Static(id="tags-problem", markup=False)
            yield Static(
                _("Del: remove the tag, N: new tag (Enter adds it), Esc: close."),
                classes="modal-note",
                markup=False,
            )

    def on_mount(self) -> None:
        self._show(0)
        self.query_one("#tags-list" if self.tags else "#tags-new").focus()

    def _show(self, highlighted: int) -> None:
        listed = self.query_one("#tags-list", OptionList)
        listed.clear_options()
        listed.add_options(Option(Text(f"#{tag}")) for tag in self.tags)
        if self.tags:
            listed.highlighted = min(highlighted, len(self.tags) - 1)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        problem = self.query_one("#tags-problem", Static)
        try:
            tag = check_tag(event.value, self.tags)
        except InvalidValue as error:
            problem.update(error.translated(_))
            return
        problem.update("")
        self.tags.append(tag)
        event.input.value = ""
        self._show(len(self.tags) - 1)

    def action_remove(self) -> None:
        """Delete (``chat_tags.remove``): the highlighted tag removed."""
        listed = self.query_one("#tags-list", OptionList)
        index = listed.highlighted
        if index is None or index >= len(self.tags):
            return
        del self.tags[index]
        self._show(index)

    def action_new(self) -> None:
        """N (``chat_tags.new``): to the "New tag…" field."""
        self.query_one("#tags-new", Input).focus()

    def action_close(self) -> None:
        """Esc (``chat_tags.close``): the tags as they are now."""
        self.dismiss(tuple(self.tags))
