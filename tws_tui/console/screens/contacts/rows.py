"""How the Contacts screen draws a colleague or a contact: its table row, its entry in a
home-screen list (classic or reduced, TWS-6.6-6) and the lines of its card (TWS-6.6-2).

* a **row** has five cells: name, extension or number, department (or company), line state
  and presence — each state as a symbol and a word;
* a home-screen list drawn **classic** gives each contact two lines: initials and name with the
  other cells, then the company (or department) under the name; **reduced** gives one dense
  line: the presence symbol and the name, the line state and the presence, no number;
* the **card** lists the numbers with their labels, company, department, e-mail, the other
  details, the directory, then for a colleague the line, presence and whether they are
  supervised (beside the list, or unfolded under the row).

Busy colleagues are drawn in red and ringing ones in orange (:func:`tone`, Webpilot §5), or in
the colours chosen in Preferences (TWS-6.3-2/-3, ``widgets/supervision_colours.py``), the
words saying it too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from tws_tui.console.widgets.supervision_colours import line_tone
from tws_tui.contacts.rules import DETAIL_KINDS, directory_name, shown_details
from tws_tui.core.model import Contact, DeviceId, MonitoredDevice, PresenceState
from tws_tui.domain.custom_presence import presence_text
from tws_tui.domain.format import LINE_SYMBOL, LINE_WORD, PRESENCE_SYMBOL
from tws_tui.domain.text import name_key
from tws_tui.platform.i18n import _, labelled

if TYPE_CHECKING:
    from tws_tui.settings.schema import ContactSettings

Row = tuple[str, str, str, str, str]
CARD_INDENT = "   │ "  # an inline card's lines, under the name


def device_row(device: MonitoredDevice) -> Row:
    presence = presence_text(device.presence, device.presence_label) if device.presence else ""
    if device.dnd:
        presence = "⊘ " + _("Do not disturb")
    elif device.forward_unconditional:
        presence += "  → " + device.forward_unconditional
    return (
        device.name,
        device.extension or "",
        device.department or "",
        f"{LINE_SYMBOL[device.line_state]} {_(LINE_WORD[device.line_state])}",
        presence,
    )


def contact_row(contact: Contact) -> Row:
    """A contact without a line to watch: name, first number, department or company."""
    number = contact.numbers[0][1] if contact.numbers else ""
    return (contact.name, number, contact.department or contact.company or "", "", "")


def initials(name: str) -> str:
    """The badge of a classic entry: the first letters of the first and last words."""
    words = [word for word in name.replace("-", " ").split() if word[:1].isalnum()]
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


def classic_lines(contact: Contact, device: MonitoredDevice | None) -> tuple[Row, tuple[str]]:
    """TWS-6.6-6 classic: the row, initials before the name, and the line under it."""
    row = device_row(device) if device is not None else contact_row(contact)
    badge = f"[{initials(contact.name)}] "
    second = contact.company or contact.department or (device.department if device else None)
    third = "" if row[2] == second else row[2]  # not twice on the same entry
    first: Row = (badge + row[0], row[1], third, row[3], row[4])
    return first, (" " * len(badge) + (second or "—"),)


def reduced_row(contact: Contact, device: MonitoredDevice | None) -> Row:
    """TWS-6.6-6 reduced: the presence symbol and the name; the line and presence words."""
    if device is None:
        return (f"  {contact.name}", "", "", "", "")
    row = device_row(device)
    symbol = PRESENCE_SYMBOL[device.presence] if device.presence else " "
    return (f"{symbol} {contact.name}", "", "", row[3], row[4])


def card_lines(
    contact: Contact | None, device: MonitoredDevice | None, supervised: bool
) -> list[str]:
    """The business card of a contact and/or colleague (TWS-2.2: the contact's details)."""
    lines: list[str] = []
    if contact is not None:
        lines.append(contact.name)
        lines += [labelled(label, number) if label else number for label, number in contact.numbers]
        company = contact.company if contact.company != contact.name else None  # a company's card
        lines += [x for x in (company, contact.department, contact.email) if x]
        lines += [
            labelled(_(DETAIL_KINDS.get(kind, kind)), value.replace(chr(10), ", "))
            for kind, value in shown_details(contact)
        ]
        lines.append(_("Directory: {name}").format(name=directory_name(contact.source)))
    elif device is not None:
        lines.append(device.name)
        if device.extension:
            lines.append(_("Extension: {number}").format(number=device.extension))
        if device.department:
            lines.append(device.department)
    if device is not None:
        row = device_row(device)
        lines.append(row[3])
        if row[4]:
            lines.append(row[4])
        if device.presence_note:
            lines.append(device.presence_note)
        if supervised:
            lines.append(_("Supervised (Ctrl+B removes)"))
        else:
            lines.append(_("Ctrl+B: supervise this colleague"))
    return lines


def sorted_for_home(
    contacts: Sequence[Contact],
    sort: str,
    devices: Mapping[DeviceId, MonitoredDevice],
    by: str = "first",
) -> list[Contact]:
    """A home-screen list's contacts in its order (TWS-2.4.2-6): by name either way, or the
    available colleagues first (or last), then by name."""

    def available(contact: Contact) -> bool:
        device = devices.get(contact.device_id) if contact.device_id else None
        return device is not None and device.presence is PresenceState.AVAILABLE

    by_name = sorted(contacts, key=lambda c: name_key(c.name, by), reverse=sort == "name_desc")
    if sort == "available_first":
        return sorted(by_name, key=lambda c: not available(c))
    if sort == "available_last":
        return sorted(by_name, key=available)
    return by_name


def tone(key: str, device: MonitoredDevice, settings: ContactSettings) -> dict[str, str]:
    """Busy in red, ringing in orange (Webpilot §5: busy shown in red *and* in words), or in
    the supervision colours of ``settings`` (TWS-6.3-2/-3)."""
    found = line_tone(device.line_state, settings.ringing_colour, settings.talking_colour)
    return {key: found} if found else {}
