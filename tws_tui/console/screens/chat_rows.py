"""How the Chat screen draws a conversation's row and a message's lines (issue 15, TWS §4.1.2,
§4.3.3): a row of the conversation list is two lines — the name and the unread count, then
for a colleague their presence as a symbol and a word (it reads without colour), the last
message's time and its start, cut to fit; a message of several lines shows them
one under the other; a thread says the day ("Today", "Yesterday", "Mon 30 Nov") where it
changes. Every text from a message is shown literally (``domain.text.shown_literally``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime

from rich.console import Group
from rich.style import Style
from rich.table import Table
from rich.text import Text

from tws_tui.console.screens.chat_group_keys import notice_line
from tws_tui.core.model import ChatMessage, MonitoredDevice, UserId
from tws_tui.domain.chat_days import day_label, short_when
from tws_tui.domain.custom_presence import presence_text
from tws_tui.domain.slips import slip_lines
from tws_tui.domain.text import shown_literally, url_spans
from tws_tui.platform.i18n import _, labelled

#: How far the second and later lines of a message are indented (under its time).
LINE_INDENT = " " * 6

#: What stands before the selected message (the reverse video is not all of the mark).
SELECTED_MARK = "» "


def message_text(text: str) -> Text:
    """A message's text, literally, its lines one under the other (indented); the links in
    it underlined and, where the terminal knows OSC 8, clickable (TWS-4.3.3-5)."""
    lines = text.split("\n")
    out = Text(("\n" + LINE_INDENT).join(shown_literally(line) for line in lines))
    for start, end, url in url_spans(out.plain):
        out.stylize(Style(underline=True, link=url), start, end)
    return out


def day_separator(day: date, today: date) -> Text:
    """The line a thread shows before the first message of a day."""
    return Text(f"── {day_label(day, today)} ──", style="dim")


def last_message_text(message: ChatMessage, who: Callable[[UserId], str], me: UserId | None) -> str:
    """A message on one line, as the conversation list shows the last one (literal)."""
    if message.deleted:
        return _("(message deleted)")
    if message.notice is not None:
        return notice_line(message.notice, who, me)
    mine = me is not None and message.sender == me
    if message.slip is not None:
        for_name = who(message.peer) if mine else None
        return shown_literally(slip_lines(message.slip, message.text, for_name=for_name)[0])
    text = shown_literally(message.text)
    if message.attachment is not None:
        text = f"📎 {text}"
    elif message.files:  # a text with files: the text, else the first file's name
        text = f"📎 {text or shown_literally(message.files[0].name)}"
    if mine:
        return labelled(_("Me"), text)
    return text


def peer_presence(peer: UserId, devices: Iterable[MonitoredDevice]) -> str:
    """A colleague's presence as a symbol and a word ("● Available"), "" when unknown."""
    for device in devices:
        if peer in (device.user_id, device.extension):
            if device.presence is None:
                return ""
            return presence_text(device.presence, device.presence_label)
    return ""


class PeerRow:
    """A conversation's row: drawn as its two lines, read (``str``) as its first words — the
    name and unread count."""

    def __init__(self, lines: Group, name: str) -> None:
        self.lines = lines
        self.name = name

    def __rich__(self) -> Group:
        return self.lines

    def __str__(self) -> str:
        return self.name


def peer_row(
    name: str,
    unread: int,
    presence: str,
    last: tuple[datetime, str] | None,
    now: datetime,
    *,
    clock_24h: bool,
) -> tuple[PeerRow, str]:
    """A conversation's two lines in the list, each cut to the list's width: the name (cut
    first) and the unread count (kept whole), then the colleague's presence, the last
    message's time and its start; and the same as plain text (to compare rows)."""
    first = Text(name, no_wrap=True, overflow="ellipsis")
    count = Text(f" ({unread})" if unread else "", style="bold")
    top = Table.grid(expand=True)
    top.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    top.add_column(no_wrap=True)
    top.add_row(first, count)
    second = Text("  ", no_wrap=True, overflow="ellipsis")
    if presence:
        second.append(presence)
        second.append("  ")
    if last is None:
        second.append(_("No message yet."), style="dim italic")
    else:
        at, text = last
        second.append(short_when(at, now, clock_24h=clock_24h), style="dim")
        second.append(f" {text}", style="dim")
    below = Table.grid(expand=True)  # as the line above: cut, never spread to the width
    below.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    below.add_row(second)
    row = PeerRow(Group(top, below), first.plain + count.plain)
    return row, f"{row}\n{second.plain}"
