"""``CallerFilters``: one side of a profile rule's caller filters in its form — callers
included or callers excluded (issue 17, TWS-6.10.6.1-13/-14) — as typed lines: each line a
kind (Contact, Contact list, Directory, Number or expression), a value typed in a field, and
✕ to remove it; *+ Line* adds one. Under a field, the line says what Enter takes: a contact of
any directory by part of the name (the directories' own search, ``ConsoleApi.directory``), a
contact list by part of its name (the home screen's lists), a directory by part of its name;
a number line says whether it reads numbers or a regular expression. What the lines mean, and
the refusals naming a line, are ``domain/caller_filters.py``'s.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from tws_tui.console.api import console_api
from tws_tui.contacts.rules import (
    DIRECTORY_NAMES,
    KEPT_DIRECTORIES,
    PHONE_SYSTEM_DIRECTORIES,
    directory_name,
)
from tws_tui.domain.caller_filters import (
    CONTACT,
    DIRECTORY,
    KIND_WORD,
    LINE_KINDS,
    LIST,
    NUMBER,
    CallerFilter,
    is_number,
    lines_of,
    read_lines,
)
from tws_tui.domain.text import fold
from tws_tui.platform.i18n import _

#: How many contacts a contact line asks the directories for.
MAX_CONTACTS = 6


def directory_names(kept: Sequence[str] = ()) -> dict[str, str]:
    """Each directory a caller can be found in (ours, the kept ones, the phone system's; not
    its queues) → its name; ``kept``: directories of another backend a rule names, kept."""
    sources = [*DIRECTORY_NAMES, *KEPT_DIRECTORIES, *PHONE_SYSTEM_DIRECTORIES]
    sources += [s for s in kept if s and s not in sources]
    return {s: directory_name(s) for s in sources if s != "queue"}


class FilterLine(Vertical):
    """One line: its kind, its value, ✕; what Enter takes under it."""

    DEFAULT_CSS = """
    FilterLine { height: auto; }
    FilterLine > Horizontal { height: 1; }
    FilterLine Select { width: 24; }
    FilterLine Input { width: 1fr; }
    FilterLine Button { width: 3; min-width: 3; margin-left: 1; }
    FilterLine .f-match { color: $text-muted; height: auto; padding-left: 24; }
    """

    def __init__(self, kind: str, value: str, lists: Sequence[str], names: Mapping[str, str]):
        super().__init__()
        self.kind, self.value, self.lists, self.names = kind, value, lists, names
        self._contacts: tuple[str, list[str]] = ("", [])

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Select(
                [(_(KIND_WORD[k]), k) for k in LINE_KINDS],
                value=self.kind,
                allow_blank=False,
                compact=True,
                classes="f-kind",
            )
            yield Input(self.value, compact=True, classes="f-value")
            yield Button("✕", compact=True, classes="f-remove")
        yield Static("", markup=False, classes="f-match")

    def typed(self) -> tuple[str, str]:
        return str(self.query_one(".f-kind", Select).value), self.query_one(".f-value", Input).value

    def suggestions(self) -> list[str]:
        kind, typed = self.typed()
        term = fold(typed.strip())
        if not term:
            return []
        if kind == LIST:
            return [name for name in self.lists if term in fold(name)]
        if kind == DIRECTORY:
            return [name for name in self.names.values() if term in fold(name)]
        if kind == CONTACT:
            asked, found = self._contacts
            return found if asked == typed.strip() else []
        return []

    def show(self) -> None:
        kind, typed = self.typed()
        hint = self.query_one(".f-match", Static)
        if kind == NUMBER:
            words = (
                ""
                if not typed.strip()
                else _("numbers (* for any digits)")
                if is_number(typed)
                else _("a regular expression the whole number matches")
            )
            hint.update(words)
            return
        found = [name for name in self.suggestions() if fold(name) != fold(typed.strip())]
        if not typed.strip() or not found:
            hint.update("")
            return
        text = _("Enter takes {who}").format(who=found[0])
        if len(found) > 1:
            text += " · " + _("also: {names}").format(names=", ".join(found[1:4]))
        hint.update(text)

    @on(Input.Changed, ".f-value")
    @on(Select.Changed, ".f-kind")
    def _changed(self) -> None:
        self.show()
        kind, typed = self.typed()
        if kind == CONTACT and typed.strip():
            self._search(typed.strip())

    @work(exclusive=True, group="filter-contact", exit_on_error=False)
    async def _search(self, term: str) -> None:
        found = await console_api(self).directory(term, MAX_CONTACTS)
        names = list(dict.fromkeys(contact.name for contact in found))
        self._contacts = (term, names)
        if self.typed()[1].strip() == term:
            self.show()

    @on(Input.Submitted, ".f-value")
    def _take(self, event: Input.Submitted) -> None:
        """Enter on part of a name: the first match is taken (a second Enter saves)."""
        found = [name for name in self.suggestions() if fold(name) != fold(event.value.strip())]
        if found:
            event.input.value = found[0]
            event.input.cursor_position = len(found[0])
            event.prevent_default()
            event.stop()

    @on(Button.Pressed, ".f-remove")
    async def _remove(self) -> None:
        await self.remove()


class CallerFilters(Vertical):
    """Callers included or excluded: a title (a msgid, said in the language of the moment),
    the lines, *+ Line*."""

    DEFAULT_CSS = """
    CallerFilters { height: auto; margin-bottom: 1; }
    CallerFilters > Horizontal { height: 1; }
    CallerFilters .f-title { width: 1fr; }
    CallerFilters .f-lines { height: auto; }
    CallerFilters .f-add { width: auto; min-width: 0; }
    """

    def __init__(
        self,
        title: str,
        kept: CallerFilter,
        lists: Sequence[str],
        names: Mapping[str, str],
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.title, self.lists, self.names = title, lists, names
        self.kept = kept

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label(_(self.title), classes="f-title")
            yield Button(_("+ Line"), compact=True, classes="f-add")
        with Vertical(classes="f-lines"):
            for kind, value in lines_of(self.kept, self.names):
                yield FilterLine(kind, value, self.lists, self.names)

    @on(Button.Pressed, ".f-add")
    async def _add(self) -> None:
        await self.add_line()

    async def add_line(self, kind: str = NUMBER, value: str = "") -> FilterLine:
        line = FilterLine(kind, value, self.lists, self.names)
        await self.query_one(".f-lines", Vertical).mount(line)
        line.query_one(".f-value", Input).focus()
        return line

    def lines(self) -> list[FilterLine]:
        return list(self.query(FilterLine))

    def read(self) -> CallerFilter:
        """The filter as the rule keeps it; ``ValueError`` naming the side and the line."""
        return read_lines([line.typed() for line in self.lines()], self.names, _(self.title))
