"""``ModeScreen``: the chrome every mode shares — status bar, ringing banner, call strip,
title, footer.

A mode screen implements ``compose_body`` and ``refresh_from_state(topics)``; the base
subscribes it to the app's state signal and re-renders titles when the language changes. A
character typed outside a field goes to the dial bar (type-to-dial); a screen with a search
of its own takes the letters first (``letter_outside_a_field``, ``type_into``).
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from tws_tui.console.api import ConsoleApi, console_api
from tws_tui.console.textual_private import RepaintOnceBelow, binds_key
from tws_tui.console.widgets.assist_banner import AssistBanner
from tws_tui.console.widgets.call_strip import CallStrip
from tws_tui.console.widgets.dial_bar import DialBar
from tws_tui.console.widgets.footer import KeyBar
from tws_tui.console.widgets.lazy_field import FIELD_MAX_CHARS
from tws_tui.console.widgets.queue_strip import QueueStrip
from tws_tui.console.widgets.ringing_banner import RingingBanner
from tws_tui.console.widgets.status_bar import StatusBar
from tws_tui.core.topics import ALL_TOPICS, Topic, Topics
from tws_tui.domain.format import cut
from tws_tui.domain.keymap import ACTIONS
from tws_tui.platform.i18n import _


def type_into(field: Input, event: events.Key) -> None:
    """The character of key ``event`` typed at ``field``'s cursor, the focus given to it; the
    key goes no further."""
    field.focus()
    field.insert_text_at_cursor(event.character or "")
    event.stop()


def show_text(widget: Static, text: str | Text, *, layout: bool = True) -> None:
    """``widget.update(text)`` only when the text changes: an update lays out the screen
    again, which a board receiving a hundred events a second cannot afford each time, and
    sends the widget to the terminal again. ``layout=False`` skips the layout for a widget
    whose size the stylesheet fixes. A ``Text`` is the same when its words and styles are."""
    if widget.content != text:
        widget.update(text, layout=layout)


def form_row(label: str, field: Widget, *, row_id: str | None = None) -> Horizontal:
    """One row of a modal form: its label (``form-label``), then the field."""
    return Horizontal(Label(label, classes="form-label"), field, classes="form-row", id=row_id)


#: In a title too wide for the terminal, the other modes' names keep this many cells.
TITLE_SHORT_NAME = 5
#: Below this many rows a screen is "short" (class ``-short``): 80×24 is, 120×40 is not.
SHORT_ROWS = 32


class ModeScreen(RepaintOnceBelow[None]):
    """One mode of the console. A change below a pop-up reaches the terminal once, as that
    change alone (:class:`~tws_tui.console.textual_private.RepaintOnceBelow`)."""

    MODE: ClassVar[str] = ""
    TITLE_MSGID: ClassVar[str] = ""
    #: For a screen opened from a mode (the contact manager from Contacts): that mode, shown
    #: as the current one in the title, followed by this screen's title.
    PARENT_MODE: ClassVar[str] = ""
    TOPICS: ClassVar[Topics] = ALL_TOPICS
    #: The one-line call strip under the banner; the Calls screen shows the detail instead.
    CALL_STRIP: ClassVar[bool] = True
    dial: DialBar  # the dial bar (a DialContext once composed)

    @property
    def tws(self) -> ConsoleApi:
        return console_api(self)

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status-bar")
        yield RingingBanner(id="ringing-banner")
        yield AssistBanner(id="assist-banner")  # help requests (TWS-4.4)
        if self.CALL_STRIP:
            yield CallStrip(id="call-strip")
        if self.tws.prefs.queues.pinned:  # else mounted when a queue is first pinned
            yield QueueStrip(id="queue-strip")
        yield Static(id="mode-title", classes="mode-title")
        self.dial = DialBar()
        yield self.dial
        with Vertical(id="body"):
            yield from self.compose_body()
        yield KeyBar()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.tws.state_signal.subscribe(self, self._on_state)
        self.tws.language_signal.subscribe(self, self._on_language)
        self._render_title()
        self.refresh_from_state(ALL_TOPICS)

    def on_key(self, event: events.Key) -> None:
        """Type-to-dial: a character typed outside a field, that no key binding wants, starts
        the dial bar (digits dial, letters search)."""
        if self.typed_outside_a_field(event):
            type_into(self.dial.input, event)

    def typed_outside_a_field(self, event: events.Key) -> str:
        """The character ``event`` types while no field has the focus and no key binding of
        the screen or of the focused widget wants it ("" otherwise): what type-to-dial, and a
        screen's type-to-search (:meth:`letter_outside_a_field`), take."""
        if not event.is_printable or event.character is None or isinstance(self.focused, Input):
            return ""
        return "" if self.key_is_bound(event.key) else event.character

    def letter_outside_a_field(self, event: events.Key) -> bool:
        """Whether ``event`` types, outside a field, a character that does not dial (not a
        digit, ``+``, ``*`` or ``#``): one a screen's own search takes from the dial bar."""
        typed = self.typed_outside_a_field(event)
        return bool(typed) and not typed.isdigit() and typed not in "+*#"

    def on_paste(self, event: events.Paste) -> None:
        """A number pasted outside a field (terminal paste, TWS-3.2.2/3.2.3) fills the dial bar,
        one line of it, ready for F3."""
        if isinstance(self.focused, Input):
            return
        text = " ".join(event.text.split())[:FIELD_MAX_CHARS]
        if not text:
            return
        field = self.dial.input
        field.focus()
        field.value = text
        field.cursor_position = len(text)
        event.stop()

    def key_is_bound(self, key: str) -> bool:
        """Whether the screen or the focused widget has a binding for ``key`` (digits on the
        supervised tiles, letters on the Queues screen): then typing does not dial."""
        focused = self.focused
        return binds_key(self, key) or (focused is not None and binds_key(focused, key))

    def on_resize(self, event: events.Resize) -> None:
        """A short terminal (under :data:`SHORT_ROWS` rows, 80×24) gets the class ``-short``:
        the stylesheet tightens section spacing there so lists keep their rows. (Textual
        calls this and a subclass's own ``on_resize`` alike.)"""
        self.set_class(event.size.height < SHORT_ROWS, "-short")
        self._render_title()

    def on_screen_resume(self) -> None:
        self.refresh_from_state(ALL_TOPICS)

    def _ensure_queue_strip(self) -> None:
        if self.tws.prefs.queues.pinned and not self.query(QueueStrip):
            self.mount(QueueStrip(id="queue-strip"), before="#mode-title")

    def _on_state(self, topics: Topics) -> None:
        if Topic.QUEUES in topics:
            self._ensure_queue_strip()
        if Topic.CHAT in topics:
            self._render_title()  # the unread count on the Chat mode
        if self.is_current and topics & self.TOPICS:
            self.refresh_from_state(topics)

    def _on_language(self, _code: str) -> None:
        self._render_title()
        self.refresh_from_state(ALL_TOPICS)
        for widget in self.query("StatusBar, RingingBanner, KeyBar, DialBar"):
            widget.refresh()

    def _render_title(self) -> None:
        """Every mode with its key; the current one in reverse video (not colour alone).

        When every mode key shares a modifier (Alt+1…Alt+6 by default) it is written once,
        so the six modes fit in 80 columns; when they still do not (French, unread messages
        on Chat), the other modes' names are cut to a few letters ("Hist…"), the current one
        and the counts kept whole.
        """
        strip = self._title_strip(short=False)
        if strip.cell_len > self.size.width > 0:
            strip = self._title_strip(short=True)
        self.query_one("#mode-title", Static).update(strip)

    def _title_strip(self, *, short: bool) -> Text:
        modes = [spec for spec in ACTIONS if spec.id.startswith("nav.")]
        keys = [self.tws.app_key_display(spec.id) for spec in modes]
        prefix = keys[0].rpartition("+")[0] + "+" if "+" in keys[0] else ""
        if prefix and all(k.startswith(prefix) for k in keys):
            keys = [k.removeprefix(prefix) for k in keys]
        strip = Text(prefix, style="dim", no_wrap=True, overflow="ellipsis")
        for spec, key in zip(modes, keys, strict=True):
            current = spec.id == f"nav.{self.PARENT_MODE or self.MODE}"
            name = _(spec.description)
            if short and not current:
                name = cut(name, TITLE_SHORT_NAME)
            label = f" {key} {name}"
            unread = sum(self.tws.state.chat_unread.values()) if spec.id == "nav.chat" else 0
            slips = sum(self.tws.state.slips_unread.values()) if unread else 0
            if slips:  # of the unread messages, the messages taken for me
                label += f" ({unread}, ☎{slips})"
            elif unread:
                label += f" ({unread})"
            strip.append(label, style="bold reverse" if current else "dim")
        if self.PARENT_MODE:
            strip.append(f" › {_(self.TITLE_MSGID)}", style="bold")
        return strip

    def refresh_from_state(self, topics: Topics) -> None:
        """Re-render what depends on ``topics``."""
