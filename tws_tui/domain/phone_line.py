"""A profile's phone line (issue 17, TWS-6.10.1-4, the OneNumber option): the softphone (the
console's ``sip`` backend: the call's audio runs here) or the desk phone (``cti``: the phone
system's server drives the phone on the desk). Only offered when ``[profiles] one_number`` is
on and both backends are set up.

Activating a profile whose line is not the backend in use switches the console's backend (the
same path as Tools' *reconnect now*, with the other backend's settings). It is refused in words
while a call is up: closing a backend in the middle of a call would cut it or leave it without
keys here. A profile without a line ("") keeps whichever line is in use.

Textual-free and I/O-free.
"""

from __future__ import annotations

from collections.abc import Mapping

from tws_tui.platform.i18n import N_, _

SOFTPHONE = "softphone"
DESK_PHONE = "desk"
#: The line a profile may choose → the backend that carries it.
LINE_BACKEND: Mapping[str, str] = {SOFTPHONE: "sip", DESK_PHONE: "cti"}
LINE_WORD: Mapping[str, str] = {
    "": N_("unchanged"),
    SOFTPHONE: N_("softphone"),
    DESK_PHONE: N_("desk phone"),
}


def check_line(value: str) -> str:
    """A profiles document's ``line``: "", ``softphone`` or ``desk`` (``ValueError`` else)."""
    if value not in LINE_WORD:
        raise ValueError(
            _("{value!r} is no phone line (the file says 'softphone' or 'desk').").format(
                value=value
            )
        )
    return value


def backend_for(line: str, in_use: str) -> str | None:
    """The backend to switch to for a profile's ``line``; None when ``in_use`` carries it
    already or the profile keeps the line in use."""
    wanted = LINE_BACKEND.get(line)
    return wanted if wanted is not None and wanted != in_use else None


def switch_refused(profile: str, line: str) -> str:
    """Why a profile on another line is not activated during a call."""
    return _(
        "{name} uses the {line}: a call is up, so the line is not switched now. Activate "
        "{name} again once the call has ended."
    ).format(name=profile, line=_(LINE_WORD[line]))


def switched(line: str) -> str:
    """The notice of a line switch."""
    return _("Phone line: the {line} now (connecting…).").format(line=_(LINE_WORD[line]))
