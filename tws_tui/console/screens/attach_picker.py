"""The attach dialog of the Chat screen (Alt+H, TWS Caller §4.3.5.2-2, §4.3.5.3-1): a file tree
and a path field.

:class:`AttachPicker` shows the folder last used (else the home folder) as a tree without its
hidden files: arrows move, Enter on a folder opens it, Space (``attach_picker.mark``) marks or
unmarks a file (``✓`` before its name, the count under the tree), Enter on a file or the
Attach button (``attach_picker.confirm``) confirms the marked files — or, none marked, the
names typed in the field as before (several, ``"in quotes"`` with spaces), else the file under
the cursor —, Backspace (``attach_picker.up``) shows the parent folder, Esc
(``attach_picker.cancel``) cancels. It dismisses with the marked files (a tuple of paths) or the
typed text; the Chat screen checks and stages them (``chat_files``, ``chat_staging``).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DirectoryTree, Input, Label, Static
from textual.widgets.directory_tree import DirEntry
from textual.widgets.tree import TreeNode

from tws_tui.console.bindings import bindings_for
from tws_tui.platform.i18n import _, ngettext

#: What the picker gives back: the marked files, or the text typed in the field.
AttachChoice = tuple[Path, ...] | str
#: The sign before a marked file (a character: readable without colours).
MARK = "✓ "


class MarkingTree(DirectoryTree):
    """A directory tree without hidden files whose Space marks files (folders still open)."""

    #: Space on the tree is the dialog's ``attach_picker.mark`` (in F1 and the palette), not
    #: the tree's own folder toggle: a file is marked, a folder opened or closed (action_mark).
    BINDINGS: ClassVar = [Binding("space", "screen.mark", show=False)]

    def __init__(self, path: Path, marked: list[Path]) -> None:
        super().__init__(path, id="attach-tree")
        self.marked = marked

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [path for path in paths if not path.name.startswith(".")]

    def render_label(self, node: TreeNode[DirEntry], base_style: Style, style: Style) -> Text:
        label = super().render_label(node, base_style, style)
        if node.data is not None and node.data.path in self.marked:
            return Text.assemble((MARK, "bold"), label)
        return label

    def cursor_file(self) -> Path | None:
        """The file under the cursor (None on a folder)."""
        node = self.cursor_node
        if node is None or node.data is None or node.allow_expand:
            return None
        return node.data.path


class AttachPicker(ModalScreen[AttachChoice | None]):
    """Files to attach chosen in a tree (Space marks) or typed; dismisses with them."""

    DEFAULT_CSS = """
    AttachPicker #attach-box { width: 90; max-width: 100%; height: 30; max-height: 100%; }
    AttachPicker #attach-tree { height: 1fr; min-height: 3; }
    AttachPicker #attach-count { height: 1; }
    AttachPicker #attach-buttons { height: auto; align-horizontal: right; }
    """
    BINDINGS: ClassVar = bindings_for("attach_picker")
    MODE = "attach_picker"

    def __init__(self, folder: Path, note: str) -> None:
        super().__init__()
        self.folder = folder
        self.note = note
        self.marked: list[Path] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="attach-box", classes="modal-box"):
            yield Static(_("Attach files"), classes="modal-title", markup=False)
            yield Static(id="file-error", classes="form-error", markup=False)
            yield MarkingTree(self.folder, self.marked)
            yield Static(id="attach-count", markup=False)
            yield Horizontal(
                Label(_("File"), classes="form-label"),
                Input(id="file-name", compact=True, select_on_focus=False),
                classes="form-row",
            )
            yield Static(self.note, classes="modal-note", markup=False)
            with Horizontal(id="attach-buttons"):
                yield Button(_("Attach"), id="attach-ok", compact=True, variant="primary")

    def on_mount(self) -> None:
        self._count()
        self.query_one(MarkingTree).focus()

    @property
    def file_tree(self) -> MarkingTree:
        return self.query_one(MarkingTree)

    def _count(self) -> None:
        count = len(self.marked)
        text = (
            ngettext("{count} file marked", "{count} files marked", count).format(count=count)
            if count
            else _("No file marked: Space marks the file under the cursor.")
        )
        self.query_one("#attach-count", Static).update(text)

    def action_mark(self) -> None:
        """Space (``attach_picker.mark``): the file under the cursor marked or unmarked; a folder
        opened or closed."""
        tree = self.file_tree
        path = tree.cursor_file()
        if path is None:  # a folder: opened or closed, as the tree's own Space does
            node = tree.cursor_node
            if node is not None and node.allow_expand:
                node.toggle()
            return
        if path in self.marked:
            self.marked.remove(path)
        else:
            self.marked.append(path)
        if tree.cursor_node is not None:
            tree.cursor_node.refresh()
        self.query_one("#file-error", Static).update("")
        self._count()

    def action_up(self) -> None:
        """Backspace (``attach_picker.up``): the tree shows the parent folder."""
        tree = self.file_tree
        tree.path = Path(tree.path).parent

    def action_cancel(self) -> None:
        """Esc (``attach_picker.cancel``): nothing attached."""
        self.dismiss(None)

    def action_confirm(self) -> None:
        """Enter or the button (``attach_picker.confirm``): the marked files, else the typed
        names, else the file under the cursor."""
        if self.marked:
            self.dismiss(tuple(self.marked))
            return
        typed = self.query_one("#file-name", Input).value.strip()
        if typed:
            self.dismiss(typed)
            return
        under = self.file_tree.cursor_file()
        if under is not None:
            self.dismiss((under,))
            return
        self.query_one("#file-error", Static).update(
            _("Mark files with Space or type the name of a file.")
        )

    def on_directory_tree_file_selected(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        self.action_confirm()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_confirm()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_confirm()


def folder_of(choice: AttachChoice) -> Path | None:
    """The folder to start in next time: that of the first file chosen in the tree."""
    if isinstance(choice, tuple) and choice:
        return choice[0].parent
    return None
