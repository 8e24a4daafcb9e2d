"""The ``tws-tui dial``, ``events``, ``status`` and ``install-handler`` commands.

:func:`add_parsers` adds them to the CLI's sub-commands and :func:`run` runs one; both
Textual-free and quick to import (the wire codec and the words are loaded when used).

* ``dial NUMBER|tel:URI|sip:URI`` — the running console dials it as F3 does; prints
  ``Dialling +33123456789.`` (exit 0), or why not on stderr: the console refused it (exit 1),
  the number is not one (exit 2, checked before anything is sent), no console runs (exit 3).
* ``events [--json]`` — one line per call, presence, queue and chat event until interrupted:
  with ``--json`` the envelope of the CTI stream (:mod:`tws_tui.desk.protocol`), else a
  readable line (time, type, who and what).
* ``status [--json]`` — my presence and my calls (``--json``: the ``status`` reply whole).
* ``install-handler`` — ``tel:`` and ``sip:`` links open ``tws-tui dial`` (:mod:`.handler`).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from tws_tui.desk.endpoint import DeskUnavailable, NoConsole
from tws_tui.platform.i18n import _, labelled, ngettext

COMMANDS = frozenset({"dial", "events", "status", "install-handler"})
EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_USAGE = 2
EXIT_NO_CONSOLE = 3


def add_parsers(commands: Any) -> None:
    """The desk commands, added to the CLI's sub-parsers."""
    dial = commands.add_parser(
        "dial",
        help=_("have the running console dial a number (or a tel: or sip: link)"),
        description=_(
            "Hand a number to the running console of this user, which dials it as F3 does."
        ),
    )
    dial.add_argument(
        "number", metavar=_("NUMBER"), help=_("a phone number, a tel: URI or a sip: URI")
    )
    events = commands.add_parser(
        "events",
        help=_("print the running console's events, one line each, until interrupted"),
        description=_(
            "Print each call, presence, queue and chat event of the running console, one line"
            " each, until interrupted."
        ),
    )
    events.add_argument("--json", action="store_true", help=_("one JSON object per line"))
    status = commands.add_parser(
        "status",
        help=_("print the running console's calls and presence"),
        description=_("Print the calls and the presence of the running console."),
    )
    status.add_argument("--json", action="store_true", help=_("one JSON object"))
    commands.add_parser(
        "install-handler",
        help=_("open tel: and sip: links with tws-tui dial (desktop)"),
        description=_(
            "Write a desktop entry that opens tel: and sip: links with tws-tui dial, and make"
            " it the default handler."
        ),
    )


def run(args: argparse.Namespace) -> int:
    """Run the desk command ``args.command``; returns the exit code."""
    if args.command == "install-handler":
        from tws_tui.desk.handler import install_handler

        return install_handler(print, _error)
    try:
        if args.command == "dial":
            return _dial(args.number)
        if args.command == "status":
            return _status(as_json=args.json)
        return _events(as_json=args.json)
    except NoConsole as error:
        _error(str(error))
        return EXIT_NO_CONSOLE
    except DeskUnavailable as error:
        _error(str(error))
        return EXIT_REFUSED


def _error(message: str) -> None:
    print(labelled("tws-tui", message), file=sys.stderr)


def _refused(reply: dict[str, Any]) -> int:
    _error(str(reply.get("message") or reply.get("error") or _("refused")))
    return EXIT_USAGE if reply.get("error") == "invalid_number" else EXIT_REFUSED


def _dial(text: str) -> int:
    from tws_tui.desk.client import ask
    from tws_tui.desk.numbers import dial_number

    try:
        dial_number(text)
    except ValueError as error:
        _error(str(error))
        return EXIT_USAGE
    reply = ask({"verb": "dial", "number": text})
    if not reply.get("ok"):
        return _refused(reply)
    print(_("Dialling {number}.").format(number=reply.get("number", text)))
    return EXIT_OK


def _status(*, as_json: bool) -> int:
    from tws_tui.desk.client import ask

    reply = ask({"verb": "status"})
    if not reply.get("ok"):
        return _refused(reply)
    if as_json:
        print(json.dumps(reply, ensure_ascii=False))
        return EXIT_OK
    for line in status_lines(reply):
        print(line)
    return EXIT_OK


def status_lines(reply: dict[str, Any]) -> list[str]:
    """A ``status`` reply in words: the link, my presence, then one line per call."""
    from tws_tui.core.events import LinkStatus
    from tws_tui.core.model import Call, OperatorState
    from tws_tui.domain.format import LINK_WORD, PRESENCE_WORD, call_state_word, party_label
    from tws_tui.wire.codec import decode

    link = LinkStatus(reply.get("link", "offline"))
    lines = [labelled(_("Link"), _(LINK_WORD[link]))]
    if reply.get("me") is not None:
        me = decode(OperatorState, reply["me"])
        presence = me.presence_label or _(PRESENCE_WORD[me.presence])  # a state of my own
        if me.presence_note:
            presence += f" — {me.presence_note}"
        lines.append(labelled(_("Presence"), presence))
    calls = [decode(Call, call) for call in reply.get("calls", [])]
    if not calls:
        lines.append(labelled(_("Calls"), _("none")))
    for call in calls:
        lines.append(f"{call.call_id}  {call_state_word(call)}  {party_label(call.remote)}")
    return lines


def _events(*, as_json: bool) -> int:
    from tws_tui.desk.client import stream

    replies = stream({"verb": "events"})
    first = next(replies, None)
    if first is None or not first.get("ok"):
        return _refused(first or {"message": _("The console closed the connection.")})
    for envelope in replies:
        if envelope.get("ok") is False:  # dropped: not read fast enough
            return _refused(envelope)
        if as_json:
            print(json.dumps(envelope, ensure_ascii=False), flush=True)
        else:
            print(event_line(envelope), flush=True)
    _error(_("The console closed the stream."))
    return EXIT_OK


def event_line(envelope: dict[str, Any]) -> str:
    """One event in words: its time, its type, then who and what."""
    from tws_tui.core.events import (
        CallEvent,
        ChatEvent,
        DeviceEvent,
        OperatorEvent,
        QueueEvent,
        TransferEvent,
    )
    from tws_tui.domain.format import (
        LINE_WORD,
        PRESENCE_WORD,
        call_state_word,
        clock_time,
        party_label,
    )
    from tws_tui.wire.codec import WireError, decode_event

    kind = str(envelope.get("type", "?"))
    try:
        event = decode_event(envelope)
    except WireError:
        event = None
    if event is None:
        return kind
    what = ""
    if isinstance(event, CallEvent):
        what = f"{party_label(event.call.remote)} — {call_state_word(event.call)}"
    elif isinstance(event, TransferEvent):
        what = f"{event.transfer.destination} — {event.transfer.status.value}"
    elif isinstance(event, QueueEvent):
        count = len(event.queue.waiting)
        waiting = ngettext("{n} waiting", "{n} waiting", count).format(n=count)
        what = labelled(event.queue.name, waiting)
    elif isinstance(event, DeviceEvent):
        device = event.device
        words = [_(LINE_WORD[device.line_state])]
        if device.presence is not None:
            words.append(device.presence_label or _(PRESENCE_WORD[device.presence]))
        what = labelled(f"{device.name} ({device.extension or '-'})", ", ".join(words))
    elif isinstance(event, OperatorEvent):
        what = labelled(
            event.me.name, event.me.presence_label or _(PRESENCE_WORD[event.me.presence])
        )
    elif isinstance(event, ChatEvent):
        what = labelled(event.message.sender, event.message.text)
    seconds = event.at.astimezone().strftime(":%S")
    return f"{clock_time(event.at)}{seconds}  {kind}  {what}"
