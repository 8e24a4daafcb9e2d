"""Out-of-screen alerts for a ringing call: the desktop-notification escape sequences.

Terminals that support them show OSC 9 (iTerm2, WezTerm, Windows Terminal, kitty) or
OSC 777 (rxvt-unicode, foot, VTE-based terminals) as a desktop notification; others ignore
them. Inside tmux the sequence must be wrapped in a DCS passthrough. Textual-free.
"""

from __future__ import annotations

from collections.abc import Mapping

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
