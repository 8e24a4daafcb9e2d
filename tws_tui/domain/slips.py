"""Message slips ("take a message"): what a slip may hold, how it reads, who it may be for.

Pure policy, no Textual: :func:`slip_problem` checks what was typed before anything is sent
(lengths, a number with letters) and says what is wrong in words; :func:`slip_lines` is the
slip as text in the current language, the same lines for the thread of the receiving console,
the sender's copy and the plain text a SIP peer gets (:func:`slip_plain_text`), readable
without colour ("URGENT" in words). :func:`colleagues_matching` finds the colleague a slip is
for from part of a name, folded the project's one way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tws_tui.core.model import MessageSlip, MonitoredDevice, UserId
from tws_tui.domain.format import clock_time
from tws_tui.domain.text import fold, words
from tws_tui.platform.i18n import _, labelled

#: Longest text of a slip (what the caller said): a paste over it is refused in words.
SLIP_TEXT_MAX = 1000
#: Longest name or company.
SLIP_NAME_MAX = 100
#: Longest number (the dial bar's own limit).
SLIP_NUMBER_MAX = 32
#: What a number to call back may hold (digits, spaces, separators, a leading +, * and #).
_NUMBER = re.compile(r"^\+?[0-9 ./()*#-]*$")


def slip_problem(slip: MessageSlip, text: str) -> str | None:
    """Why this slip cannot be sent as typed (in the current language), else None."""
    if len(text) > SLIP_TEXT_MAX:
        return _("A message has at most {most} characters ({n} typed).").format(
            most=SLIP_TEXT_MAX, n=len(text)
        )
    for label, value in ((_("Caller"), slip.caller_name), (_("Company"), slip.company)):
        if len(value) > SLIP_NAME_MAX:
            return _("{field} has at most {most} characters ({n} typed).").format(
                field=label, most=SLIP_NAME_MAX, n=len(value)
            )
    number = slip.call_back_on
    if len(number) > SLIP_NUMBER_MAX or not _NUMBER.match(number):
        return _("The number to call back has digits only (at most {most}).").format(
            most=SLIP_NUMBER_MAX
        )
    if not (slip.caller_name or slip.number or number or text.strip()):
        return _("Say who called, a number or a message.")
    return None


def call_back_number(slip: MessageSlip) -> str:
    """Where the receiver calls back: the number given, else the caller's."""
    return slip.call_back_on or slip.number


def slip_lines(
    slip: MessageSlip, text: str, *, for_name: str | None, clock_24h: bool = True
) -> list[str]:
    """The slip as lines: heading (for you / for a colleague, urgent in words), who called and
    when, where to call back, what was said, who took it. ``for_name`` None: for me."""
    if for_name is None:
        heading = _("☎ Message for you")
    else:
        heading = _("☎ Message for {name}").format(name=for_name)
    if slip.urgent:
        heading += " — " + _("URGENT")
    lines = [heading]
    who = slip.caller_name or slip.number or _("Unknown caller")
    details = [part for part in (slip.company, slip.number) if part and part != who]
    if details:
        who = f"{who} ({', '.join(details)})"
    if slip.at is not None:
        lines.append(
            _("{who} called at {time}").format(
                who=who, time=clock_time(slip.at, clock_24h=clock_24h)
            )
        )
    else:
        lines.append(_("{who} called").format(who=who))
    number = call_back_number(slip)
    if number:
        lines.append(labelled(_("Please call back on"), number))
    if text.strip():
        lines.append(text)
    if slip.taken_by:
        lines.append(labelled(_("Taken by"), slip.taken_by))
    return lines


def slip_plain_text(slip: MessageSlip, text: str, *, clock_24h: bool = True) -> str:
    """The slip as one plain text for a receiver that knows no slips (a SIP peer)."""
    return "\n".join(slip_lines(slip, text, for_name=None, clock_24h=clock_24h))


def colleagues_matching(
    devices: Iterable[MonitoredDevice], typed: str, *, me: str | None = None
) -> list[MonitoredDevice]:
    """Colleagues (devices with a user or an extension to write to) whose name, department
    or extension holds every word typed at the start of one of theirs (``"dup"``,
    ``"jean d"``, ``"201"``), by name; not me (``me``: my user id or extension)."""
    wanted = words(fold(typed))
    found = []
    for device in devices:
        if slip_peer(device) is None or (
            me is not None and me in (device.user_id, device.extension)
        ):
            continue
        own = words(fold(" ".join(filter(None, (device.name, device.department)))))
        own += [device.extension or ""]
        if all(any(word.startswith(w) for word in own) for w in wanted):
            found.append(device)
    return sorted(found, key=lambda d: fold(d.name))


def slip_peer(device: MonitoredDevice) -> UserId | None:
    """Whom a slip for ``device``'s colleague is sent to: the user, else the extension (SIP
    knows colleagues by extension only), as Alt+W writes to them."""
    peer = device.user_id or device.extension
    return UserId(peer) if peer else None
