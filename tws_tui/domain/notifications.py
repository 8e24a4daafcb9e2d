"""Out-of-screen alerts for a ringing call, and which notices my presence lets through.

Terminals that support them show OSC 9 (iTerm2, WezTerm, Windows Terminal, kitty) or
OSC 777 (rxvt-unicode, foot, VTE-based terminals) as a desktop notification; others ignore
them. Inside tmux the sequence must be wrapped in a DCS passthrough.

TWS-6.6-8: the notices the console raises on its own (``TwsApp.notice``: a colleague of a
supervised list ringing, …) show only while my presence is one of the states ticked in
Preferences (``[contacts] show_notices_when``); none ticked, none shown. Incoming calls are not
notices: their banner, pop-up, bell and desktop notification always come (the spec leaves it
open and recommends it, TWS part 2 §8 note 14). The answers to my own keys are not gated
either.

Every notice is short (:func:`notice_text`: at most :data:`NOTICE_MAX_LINES` lines of
:data:`NOTICE_MAX_CHARS` characters in all) and only the :data:`NOTICES_SHOWN` newest stay on
screen, so notices never cover the status bar or the ringing banner, whatever is pasted or
however many arrive at once. Textual-free.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping


def notices_allowed(presence: str, states: Collection[str]) -> bool:
    """Whether a notice may show while my presence is ``presence`` (a PresenceState value)."""
    return str(presence) in states


NOTICE_MAX_CHARS = 120
NOTICE_MAX_LINES = 3
NOTICES_SHOWN = 3


#: When a notice is cut, how many of its last characters are kept (the reason of an error
#: comes last: "Contacts file /a/long/path… unavailable: read only").
NOTICE_TAIL_CHARS = 40


def notice_text(message: str) -> str:
    """``message`` as a notice shows it: its first :data:`NOTICE_MAX_LINES` lines, in at most
    :data:`NOTICE_MAX_CHARS` characters. A longer one keeps its start and its last
    :data:`NOTICE_TAIL_CHARS` characters, joined by "…" (a long path or paste in the middle
    goes, the reason at the end stays)."""
    lines = message.splitlines() or [""]
    text = "\n".join(lines[:NOTICE_MAX_LINES])
    if len(lines) > NOTICE_MAX_LINES and len(text) < NOTICE_MAX_CHARS:
        return text + "…"
    if len(text) <= NOTICE_MAX_CHARS:
        return text
    head = NOTICE_MAX_CHARS - NOTICE_TAIL_CHARS - 1
    return text[:head].rstrip() + "…" + text[-NOTICE_TAIL_CHARS:].lstrip()


_CONTROL = {chr(c) for c in range(32)} | {"\x7f", ";"}


def _clean(text: str) -> str:
    """Drop control characters (and ';', OSC's separator) so the text cannot end the sequence."""
    return "".join(" " if ch in _CONTROL else ch for ch in text).strip()


def desktop_notification(title: str, body: str, environ: Mapping[str, str]) -> str:
    """The escape sequence that raises a desktop notification in this terminal, or ""."""
    term_program = environ.get("TERM_PROGRAM", "")
    term = environ.get("TERM", "")
    title, body = _clean(title), _clean(body)
    if "VTE_VERSION" in environ or term.startswith(("rxvt", "foot")):
        sequence = f"\x1b]777;notify;{title};{body}\x1b\\"
    elif term_program in {"iTerm.app", "WezTerm"} or "WT_SESSION" in environ or "kitty" in term:
        sequence = f"\x1b]9;{title}: {body}\x1b\\"
    else:
        return ""
    if "TMUX" in environ:
        sequence = "\x1bPtmux;" + sequence.replace("\x1b", "\x1b\x1b") + "\x1b\\"
    return sequence
