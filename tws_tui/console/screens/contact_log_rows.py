"""How a contact's event log's entries read (issue 15, TWP-4.1.2), in its window
(``contact_log.py``) and in a 1:1 conversation's thread filtered by type (TWS-4.3.8,
``chat_filters.py``): one entry's lines — its time, then a call's side and length and its
comments, a voice message's length, a message with who wrote it, a note "only me" — in words
(it reads without colour), text shown literally; and a timeline's day separators.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text

from tws_tui.console.screens.chat_rows import LINE_INDENT, SELECTED_MARK, day_separator
from tws_tui.domain.contact_log import CallSide, DaySeparator, EntryKind, Line, LogEntry
from tws_tui.domain.format import clock_time, duration
from tws_tui.domain.text import shown_literally
from tws_tui.platform.i18n import N_, _, labelled

#: A call entry's words, by side.
CALL_WORDS = {
    CallSide.RECEIVED: N_("Call received"),
    CallSide.PLACED: N_("Call placed"),
    CallSide.MISSED: N_("Missed call"),
}


def entry_text(entry: LogEntry, name: str, *, clock_24h: bool) -> Text:
    """``entry`` of the log with ``name``: its time, then what it is, its lines indented."""
    when = clock_time(entry.at, clock_24h=clock_24h)
    if entry.kind is EntryKind.CALL and entry.side is not None:
        words = _(CALL_WORDS[entry.side])
        if entry.duration_s:
            words += f", {duration(entry.duration_s)}"
        lines = [words]
        lines += [labelled(_("Call comment"), shown_literally(c)) for c in entry.text.splitlines()]
    elif entry.kind is EntryKind.VOICEMAIL:
        lines = [_("Voice message left, {length}").format(length=duration(entry.duration_s))]
    elif entry.kind is EntryKind.NOTE:
        lines = [labelled(_("Note, only me"), shown_literally(entry.text))]
    elif entry.kind is EntryKind.SMS:
        who = _("SMS from me") if entry.mine else _("SMS from {name}").format(name=name)
        text = ("\n" + LINE_INDENT).join(shown_literally(t) for t in entry.text.split("\n"))
        lines = [labelled(who, text)]
    else:
        who = _("Me") if entry.mine else name
        text = ("\n" + LINE_INDENT).join(shown_literally(t) for t in entry.text.split("\n"))
        lines = [labelled(who, text)]
    return Text(f"{when}  " + ("\n" + LINE_INDENT + " ").join(lines))


def separator_text(line: DaySeparator, today: date) -> Text:
    return day_separator(line.day, today)


def timeline_text(
    lines: list[Line], name: str, today: date, *, clock_24h: bool, selected: str | None = None
) -> tuple[Text, int | None]:
    """A whole timeline as one text: its day separators and entries, a line each; the
    message whose id is ``selected`` marked ``»`` and drawn in reverse (it reads without
    colour). Also where that message starts in the text (None: not in it)."""
    out = Text()
    start: int | None = None
    for line in lines:
        if out:
            out.append("\n")
        if isinstance(line, LogEntry):
            text = entry_text(line, name, clock_24h=clock_24h)
            if selected is not None and line.kind is EntryKind.MESSAGE and line.key == selected:
                start = len(out)
                text = Text(SELECTED_MARK, style="bold") + text
                text.stylize("reverse")
            out.append_text(text)
        else:
            out.append_text(separator_text(line, today))
    return out, start
