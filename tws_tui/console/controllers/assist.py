"""``AssistController``: assistance requests (issue 15, TWS-4.4) and broadcasts (TWP-4.1)
from keys anywhere.

Alt+Shift+H (``assist.ask``) asks a colleague, a group or everyone for help
(:class:`~tws_tui.console.screens.modals.assist.AssistAskScreen`: whom by part of a name, and
a short text); Alt+Shift+O (``assist.take``) says "I'm on it" to the oldest request asked of
me still open; Alt+Shift+C (``assist.cancel``) takes my newest open request back. What
happens shows from the ``AssistEvent`` that follow (the banner on every screen,
``widgets/assist_banner.py``), never from a command's return. :func:`load_assists` reads the
requests once connected (the event pump), so a console started again shows those still under
way. Where the backend's chat has no ``ChatFeature.ASSIST`` (sip) each key says so.

Alt+Shift+B (``broadcast.send``) sends one text to several colleagues or groups (comma-separated
in "To"), or everyone, at once (``ChatFeature.BROADCAST``): each receiver gets a notice, the
sender one saying to how many (:class:`AssistNotices`, told each event by the event pump);
nothing is added to the conversations. A help request asked of me gets a notice too, beside
the banner. Alt+Shift+L (``assist.log``) opens my ME log (TWS-4.1.1,
``screens/modals/me_log.py``): them, with the calls I missed and the messages left for me.
"""

from __future__ import annotations

import logging

from tws_tui.console.api import ConsoleApi
from tws_tui.console.screens.modals.assist import BROADCAST, AssistAskScreen
from tws_tui.console.screens.modals.me_log import MeLogScreen
from tws_tui.core.errors import CallControlError
from tws_tui.core.events import AssistEvent, BroadcastEvent, Event
from tws_tui.core.model import AssistState, ChatFeature
from tws_tui.core.protocols import CallControl, ChatAssist, ChatBroadcast
from tws_tui.domain.assist import (
    EVERYONE,
    banner_line,
    broadcast_notice,
    mine_open,
    open_for,
)
from tws_tui.domain.slips import colleagues_matching
from tws_tui.domain.text import fold
from tws_tui.platform.i18n import _

log = logging.getLogger(__name__)


def assist_chat(backend: CallControl | None) -> ChatAssist | None:
    """The backend's chat when it offers assistance requests, else None."""
    chat = backend.chat if backend is not None else None
    if chat is None or ChatFeature.ASSIST not in chat.features or not isinstance(chat, ChatAssist):
        return None
    return chat


def broadcast_chat(backend: CallControl | None) -> ChatBroadcast | None:
    """The backend's chat when it offers broadcasts, else None."""
    chat = backend.chat if backend is not None else None
    if (
        chat is None
        or ChatFeature.BROADCAST not in chat.features
        or not isinstance(chat, ChatBroadcast)
    ):
        return None
    return chat


async def load_assists(api: ConsoleApi, backend: CallControl) -> None:
    """The requests I asked or was asked, and the broadcasts, as the phone system keeps them
    (once connected; no notice for these)."""
    chat, broadcasts = assist_chat(backend), broadcast_chat(backend)
    try:
        if chat is not None:
            api.state.remember_assists(await chat.assist_requests())
        if broadcasts is not None:
            api.state.remember_broadcasts(await broadcasts.broadcasts())
    except CallControlError as error:  # the events to come still show new ones
        log.warning("help requests or broadcasts not read: %s", error)


class AssistNotices:
    """A notice for a broadcast (received, or mine sent) and for a help request asked of me,
    each once; gated like every notice the console raises on its own (``api.notice``)."""

    def __init__(self, api: ConsoleApi) -> None:
        self.api = api

    def observe(self, event: Event) -> None:
        me = self.api.state.me
        if me is None:
            return
        key = self.api.app_key_display
        match event:
            case BroadcastEvent(broadcast=broadcast):
                self.api.notice(broadcast_notice(broadcast, str(me.user_id)), markup=False)
            case AssistEvent(request=request) if (
                request.state is AssistState.OPEN and str(me.user_id) in request.audience
            ):
                line = banner_line(
                    request,
                    str(me.user_id),
                    take_key=key("assist.take"),
                    cancel_key=key("assist.cancel"),
                )
                self.api.notice(line, markup=False, severity="warning")


class AssistController:
    """The keys of help requests and broadcasts, and my log of them."""

    def __init__(self, api: ConsoleApi) -> None:
        self.api = api

    def _chat(self) -> ChatAssist | None:
        chat = assist_chat(self.api.backend)
        if chat is None:
            self.api.notify(
                _("Help requests are not available with this connection."), severity="warning"
            )
        return chat

    def _me(self) -> str:
        me = self.api.state.me
        return str(me.user_id) if me is not None else ""

    def resolve(self, typed: str) -> tuple[str, str] | str:
        """Whom "To" means: (to, label) — everyone when empty, a group of mine whose name
        starts so, else the first colleague matching — or why nobody."""
        wanted = fold(typed.strip())
        if not wanted:
            return EVERYONE, _("everyone")
        for group in self.api.state.chat_groups.values():
            if fold(group.name).startswith(wanted):
                return group.id, _("group {name}").format(name=group.name)
        for device in colleagues_matching(self.api.state.devices.values(), typed, me=self._me()):
            if device.user_id is not None:
                return str(device.user_id), device.name
        return _("nobody matches “{typed}”").format(typed=typed.strip())

    def resolve_many(self, typed: str) -> tuple[str, str] | str:
        """Whom a broadcast's "To" means: each comma-separated part as :meth:`resolve` says,
        joined (ids by commas, labels by ", "), or why one part means nobody."""
        parts = [part for part in typed.split(",") if part.strip()] or [""]
        found = [self.resolve(part) for part in parts]
        for one in found:
            if isinstance(one, str):
                return one
        pairs = [one for one in found if not isinstance(one, str)]
        return ",".join(dict.fromkeys(to for to, _label in pairs)), ", ".join(
            label for _to, label in pairs
        )

    def broadcast(self) -> None:
        chat = broadcast_chat(self.api.backend)
        if chat is None:
            self.api.notify(
                _("Broadcasts are not available with this connection."), severity="warning"
            )
            return

        def written(result: tuple[str, str] | None) -> None:
            if result is None:
                return
            to, text = result

            async def send(_backend: CallControl) -> None:
                await chat.send_broadcast(tuple(to.split(",")), text)

            self.api.run_command(send)

        self.api.push_screen(AssistAskScreen(self.resolve_many, BROADCAST), written)

    def open_log(self) -> None:
        """Alt+Shift+L: my ME log (TWS-4.1.1): missed calls, voice messages, messages to me,
        help requests and broadcasts, oldest first."""
        self.api.push_screen(MeLogScreen())

    def ask(self) -> None:
        chat = self._chat()
        if chat is None:
            return

        def asked(result: tuple[str, str] | None) -> None:
            if result is None:
                return
            to, text = result

            async def send(_backend: CallControl) -> None:
                await chat.ask_assist(to, text)

            self.api.run_command(send)

        self.api.push_screen(AssistAskScreen(self.resolve), asked)

    def take(self) -> None:
        """ "I'm on it": the oldest open request asked of me."""
        chat = self._chat()
        if chat is None:
            return
        waiting = open_for(self.api.state.assists.values(), self._me())
        if not waiting:
            self.api.notify(_("No help request is waiting for you."))
            return
        request_id = waiting[0].id

        async def take(_backend: CallControl) -> None:
            await chat.take_assist(request_id)

        self.api.run_command(take)

    def cancel(self) -> None:
        """My newest request nobody has taken yet, taken back."""
        chat = self._chat()
        if chat is None:
            return
        mine = mine_open(self.api.state.assists.values(), self._me())
        if not mine:
            self.api.notify(_("You have no help request waiting."))
            return
        request_id = mine[-1].id

        async def cancel(_backend: CallControl) -> None:
            await chat.cancel_assist(request_id)

        self.api.run_command(cancel)
