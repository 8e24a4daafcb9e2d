"""Do not disturb in one key (Selfcare §4.5-2, Webpilot §9-7): the words said when it is
switched on or off, and where the calls go meanwhile. Textual-free.

While DND is on a call follows, as the phone systems do (the simulated switch, the CTI
server's, the softphone's 302): the *Always* forward first, then the DND forward (Selfcare
§4.5), then the busy one; with none of them the caller is refused (486 Busy Here on ``sip``)."""

from __future__ import annotations

from collections.abc import Mapping

from tws_tui.core.model import Forward, ForwardKind
from tws_tui.domain.forwarding import destination_word
from tws_tui.platform.i18n import _

#: The forwards a call meets while I am in DND, the first one on wins.
DND_ORDER = (ForwardKind.UNCONDITIONAL, ForwardKind.DND, ForwardKind.BUSY)


def dnd_destination(forwards: Mapping[ForwardKind, Forward]) -> str | None:
    """Where a call goes while I am in DND, None when it is refused."""
    for kind in DND_ORDER:
        forward = forwards.get(kind)
        if forward is not None and forward.enabled and forward.destination:
            return forward.destination
    return None


def dnd_notice(on: bool, forwards: Mapping[ForwardKind, Forward], voicemail: str) -> str:
    """What the DND key says once the phone system has it: on (and where calls go) or off."""
    if not on:
        return _("Do not disturb off: your phone rings again.")
    destination = dnd_destination(forwards)
    if destination is None:
        return _("Do not disturb on: callers are told you do not take calls.")
    return _("Do not disturb on: calls go to {where}.").format(
        where=destination_word(destination, voicemail)
    )
