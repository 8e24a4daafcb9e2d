"""``HelpScreen`` (F1): every key of the console with what it does and its action's stable id,
grouped by where it works, the current screen's keys first, and a filter.

Generated from :mod:`tws_tui.domain.keys_help` (the keymap table after the user's keymap), so
it never drifts from the real bindings. Layout for 80 columns: the key, what it does (wrapped
when long) and the id each in a column, the ids always visible; one heading per group. Keys:
↑/↓, Page up/down, Home/End move through the rows (the list scrolls to the last); a letter
typed goes to the filter, which keeps the rows whose key, description or id has every word
typed; ↓ or Enter goes back to the list; Esc or F1 closes. Alt+L while it is open: all of it
in the new language.
"""

from __future__ import annotations

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tws_tui.console.api import console_api
from tws_tui.domain.keymap import ACTIONS
from tws_tui.domain.keys_help import HelpGroup, HelpRow, filter_groups, help_groups
from tws_tui.domain.me_log import badged, unread_at_a_glance
from tws_tui.platform.i18n import _

ID_WIDTH = max(len(spec.id) for spec in ACTIONS)
KEY_WIDTH = 11  # "Ctrl+↓, ]", "F10, Alt+A", "Entrée, E": longer ones wrap


def closing_note() -> str:
    """The words under the last group."""
    return _(
        "Every action is also in the command palette (Ctrl+P). Keys are changed in the [keymap]"
        " section of config.toml, by id."
    )


def _grid() -> Table:
    """The three columns of a row (and of the header above the rows)."""
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(width=KEY_WIDTH)
    grid.add_column(ratio=1)
    grid.add_column(width=ID_WIDTH, no_wrap=True)
    return grid


def row_prompt(row: HelpRow) -> RenderableType:
    grid = _grid()
    grid.add_row(Text(row.keys, style="bold"), Text(row.description), Text(row.action_id))
    return grid


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen #help-box {
        width: 100;
        max-width: 100%;
        height: 90%;
        border: thick $primary;
        background: $surface;
        padding: 0 1;
    }
    HelpScreen #help-filter {
        margin-bottom: 1;
    }
    HelpScreen #help-header {
        text-style: bold;
        background: $panel;
        padding-right: 2;  /* the list's scrollbar, always there */
    }
    HelpScreen #help-keys {
        height: 1fr;
        max-height: 100%;
        scrollbar-gutter: stable;
    }
    HelpScreen #help-keys > .option-list--option-disabled {
        color: $text-accent;
        text-style: bold;
    }
    """
    BINDINGS = [Binding("escape,f1", "dismiss", show=False)]

    def __init__(self, screen: str = "") -> None:
        """``screen``: the keymap scope of the screen under the help (its keys come first)."""
        super().__init__()
        self.screen_scope = screen
        self.groups: list[HelpGroup] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):  # not a .modal-box: 80 columns wide at 80 columns
            yield Input(
                id="help-filter",
                compact=True,
                select_on_focus=False,  # the letter that brought the focus stays
            )
            yield Static(id="help-header")
            yield OptionList(id="help-keys", compact=True)

    def on_mount(self) -> None:
        console_api(self).language_signal.subscribe(self, self._words)
        self._words()
        self.query_one(OptionList).focus()

    def _words(self, _language: str = "") -> None:
        """Every word in the current language (at the start, and again after Alt+L)."""
        box = self.query_one("#help-box", Vertical)
        box.border_title = _("Keys")
        box.border_subtitle = _("Esc closes")
        field = self.query_one("#help-filter", Input)
        field.placeholder = _("Filter: type a key, an action or an id")
        header = _grid()
        header.add_row(_("Key"), _("Action"), _("Id"))
        self.query_one("#help-header", Static).update(header)
        api = console_api(self)
        state = api.state
        unread = unread_at_a_glance(
            state.missed_calls, state.voicemail_new, sum(state.chat_unread.values())
        )  # the ME log's badge (TWP-4.1.1-1)
        self.groups = badged(help_groups(api.keymap_keys, self.screen_scope), "assist.log", unread)
        self._show(filter_groups(self.groups, field.value))

    def _show(self, groups: list[HelpGroup]) -> None:
        options: list[Option] = []
        for group in groups:
            options.append(Option(Text(group.title), disabled=True))
            options += [Option(row_prompt(row), id=row.action_id) for row in group.rows]
            if group.note:
                options.append(Option(Text(group.note, style="italic"), disabled=True))
        if not options:
            options.append(Option(Text(_("No key matches.")), disabled=True))
        options.append(Option(Text(closing_note(), style="italic"), disabled=True))
        listed = self.query_one(OptionList)
        listed.set_options(options)
        listed.action_first()
        listed.scroll_home(animate=False)

    @on(Input.Changed, "#help-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._show(filter_groups(self.groups, event.value))

    @on(Input.Submitted, "#help-filter")
    def _back_to_the_list(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionHighlighted)
    def _edges_in_view(self, event: OptionList.OptionHighlighted) -> None:
        """The first row reached (Home, ↑ to the top): its group's heading shows too; the last
        (End, ↓ to the bottom): the notes under it too."""
        listed, index = event.option_list, event.option_index
        if all(option.disabled for option in listed.options[:index]):
            listed.scroll_home(animate=False)
        elif all(option.disabled for option in listed.options[index + 1 :]):
            listed.scroll_end(animate=False)

    def on_key(self, event: events.Key) -> None:
        """A letter typed on the list goes to the filter; ↓ in the filter goes to the list."""
        field = self.query_one("#help-filter", Input)
        if field.has_focus:
            if event.key == "down":
                self.query_one(OptionList).focus()
                event.stop()
            return
        if event.is_printable and event.character is not None and event.character != " ":
            field.focus()
            field.insert_text_at_cursor(event.character)
            event.stop()
            event.prevent_default()
