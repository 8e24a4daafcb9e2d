"""My ME log's sources (issue 15, TWS-4.1.1), for ``modals/me_log.py``: the entries of
:mod:`tws_tui.domain.me_log` read from each place — the missed calls of the local journal
(the phone system's history is merged into it at each connection; not yet seen in History:
unread), the voice messages in my box (the backend's voicemail where it lists them; new:
unread), the messages written to me among the newest the console keeps (chat and slips; among
the newest of their conversation's unread count: unread), the help requests and broadcasts
(``domain.assist.log_events``, as the log showed them before).
"""

from __future__ import annotations

from tws_tui.console.api import ConsoleApi
from tws_tui.console.screens.chat_sms import sms_label
from tws_tui.console.screens.contact_log_sources import _when
from tws_tui.core.errors import CallControlError
from tws_tui.core.model import Capability, Outcome, UserId
from tws_tui.domain.assist import log_events
from tws_tui.domain.me_log import MeEntry, MeKind
from tws_tui.domain.sms import is_sms_peer
from tws_tui.journal.listing import ID, NAME, NUMBER, OUTCOME, SEEN, START
from tws_tui.platform.i18n import _

#: How many calls of the journal, newest first, are looked through for missed ones.
CALLS_READ = 500


def _name(api: ConsoleApi, user: UserId) -> str:
    """A colleague's name, a group's, an SMS number; else the id as it came."""
    if is_sms_peer(user):
        return sms_label(user)
    group = api.state.chat_groups.get(user)
    if group is not None:
        return group.name
    for device in api.state.devices.values():
        if user in (device.user_id, device.extension):
            return device.name
    return str(user)


async def missed_calls(api: ConsoleApi) -> list[MeEntry]:
    lines = await api.local_journal.lines(CALLS_READ) or []
    return [
        MeEntry(
            MeKind.MISSED_CALL,
            str(line[ID]),
            _when(line[START]),
            who=str(line[NAME] or line[NUMBER] or _("Unknown number")),
            unread=not line[SEEN],
        )
        for line in lines
        if line[OUTCOME] == Outcome.MISSED.value
    ]


async def voice_messages(api: ConsoleApi) -> list[MeEntry]:
    backend = api.backend
    voicemail = backend.voicemail if backend is not None else None
    if voicemail is None or not api.can(Capability.VOICEMAIL):
        return []
    try:
        messages = await voicemail.messages()
    except CallControlError:
        return []  # the box unreachable now: the log shows the rest
    return [
        MeEntry(
            MeKind.VOICEMAIL,
            m.id,
            m.at,
            who=m.caller.name or m.caller.number or _("Unknown number"),
            unread=m.new,
        )
        for m in messages
    ]


def messages_to_me(api: ConsoleApi) -> list[MeEntry]:
    state = api.state
    me = state.me.user_id if state.me is not None else None
    received = [m for m in state.chat if m.sender != me and not m.deleted and m.notice is None]
    left = dict(state.chat_unread)  # the newest ``n`` of a conversation are unread
    entries: list[MeEntry] = []
    seen: set[str] = set()
    for m in reversed(received):  # newest first; a message kept twice (changed) listed once
        if m.id in seen:
            continue
        seen.add(m.id)
        unread = left.get(m.peer, 0) > 0
        if unread:
            left[m.peer] -= 1
        kind = MeKind.SLIP if m.slip is not None else MeKind.MESSAGE
        entries.append(
            MeEntry(kind, m.id, m.at, _name(api, m.sender), m.text, unread, peer=str(m.peer))
        )
    return entries


def help_and_broadcasts(api: ConsoleApi) -> list[MeEntry]:
    state = api.state
    me = str(state.me.user_id) if state.me is not None else ""
    entries = []
    for n, (at, line) in enumerate(
        log_events(state.assists.values(), state.broadcasts.values(), me)
    ):
        kind = MeKind.HELP if line.startswith("‼") else MeKind.BROADCAST
        entries.append(MeEntry(kind, f"{kind}:{n}", at, text=line[2:]))
    return entries


async def my_entries(api: ConsoleApi) -> list[MeEntry]:
    """Every entry of my log, in no order (``domain.me_log.merged`` orders them)."""
    found = await missed_calls(api)
    found += await voice_messages(api)
    found += messages_to_me(api)
    found += help_and_broadcasts(api)
    return found
