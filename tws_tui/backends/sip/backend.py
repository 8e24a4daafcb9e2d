"""The ``sip`` backend: ``CallControl`` for a SIP softphone (this terminal is the phone).

Owns the bridge between the async call-control contract and the SIP user agent
(:mod:`.ua`), which runs on its own thread and loop: commands are submitted to that loop and
awaited with ``asyncio.wrap_future`` (the UI loop never blocks); what the user agent reports
is turned into model objects on its thread and handed to the UI loop with
``call_soon_threadsafe``. After ``connect()`` the stream gives a ``SnapshotEvent``, then
``LinkEvent``\\ s as registration goes (CONNECTING → ONLINE, or PBX_DOWN / RECONNECTING /
OFFLINE with the reason and the retry delay), then call, transfer and chat events.

Capabilities are declared honestly: calls, hold, deflect, blind and attended transfer,
alternate, 3-way conference mixed locally, DTMF, mute, recording and 1:1 chat (SIP MESSAGE),
and BLF when ``blf`` names colleagues (:mod:`.subscriptions`: one ``MonitoredDevice`` each,
"unknown" until the PBX says, then ``DeviceEvent``\\ s), with ``presence = true`` their
presence too (PIDF) and ours published (:mod:`.publication`), and directed pickup of a
watched colleague's ringing call by an INVITE with ``Replaces`` (RFC 3891) built from the
dialog the PBX's BLF NOTIFY named, or through the PBX's feature code (``pickup_code``), as
``pickup`` chooses; parking in the PBX's parking spaces (``park_slots``, :mod:`.parking`):
a blind transfer to a free space, taken back by dialling it. Forwarding and DND are done by
the softphone itself (:mod:`.forwarding`, ``Capability.FORWARDING_BY_PHONE``): an incoming
INVITE is answered 302 with the destination or 486, as the operator's forwards say. No
server queues; directory and history are ``None`` so the app uses its local ones. Transfers
and conference state live here.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import re
import ssl
import time
import uuid
import wave
from collections import deque
from collections.abc import AsyncIterator, Callable, Coroutine, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from tws_tui.backends import BackendConfigError
from tws_tui.backends.event_queue import EventQueue
from tws_tui.backends.gating import check, refuse, requires
from tws_tui.backends.sip.addresses import SipParseError, SipUri
from tws_tui.backends.sip.audio import (
    AudioBackend,
    AudioUnavailable,
    NullAudio,
    Volumes,
    open_audio,
)
from tws_tui.backends.sip.call_state import SipCall, SipError
from tws_tui.backends.sip.dialog_info import LineInfo, RingingDialog
from tws_tui.backends.sip.forwarding import DEFAULT_RING_TIME_S, ForwardPlan
from tws_tui.backends.sip.media import MediaEngine
from tws_tui.backends.sip.options import parse_options, voicemail_menu
from tws_tui.backends.sip.parking import LOT, Parking
from tws_tui.backends.sip.pidf import PresenceInfo
from tws_tui.backends.sip.registration import NO_ANSWER
from tws_tui.backends.sip.ua import UserAgent
from tws_tui.core.allowed import default_allowed, restrict
from tws_tui.core.errors import (
    N_,
    BackendTimeout,
    BackendUnavailable,
    CallControlError,
    InvalidDestination,
    InvalidState,
    NotDelivered,
    NotFound,
    NotSupported,
)
from tws_tui.core.events import (
    CallEvent,
    CallEventKind,
    ChatEvent,
    DeviceEvent,
    Event,
    LinkEvent,
    LinkStatus,
    OperatorEvent,
    ParkingEvent,
    SnapshotEvent,
    TransferEvent,
    VoicemailEvent,
)
from tws_tui.core.model import (
    ANSWERING_MACHINE,
    EXTRA_PICKUP_FALLBACK,
    Action,
    Call,
    CallId,
    Capability,
    Cause,
    ChatFeature,
    ChatGroup,
    ChatMessage,
    ConnectionState,
    DeviceId,
    Direction,
    FindMe,
    Forward,
    ForwardKind,
    LineState,
    LotId,
    MessageSlip,
    MonitoredDevice,
    OperatorState,
    ParkedCall,
    Party,
    PresenceState,
    Snapshot,
    Transfer,
    TransferId,
    TransferStatus,
    UserId,
)
from tws_tui.core.protocols import Calls, Features, Switchboard
from tws_tui.domain.slips import slip_plain_text

log = logging.getLogger(__name__)
T = TypeVar("T")

SIP_CAPABILITIES = frozenset(
    {
        Capability.MAKE_CALL,
        Capability.ANSWER,
        Capability.HANGUP,
        Capability.CLEAR_CALL,
        Capability.DROP_PARTICIPANT,
        Capability.HOLD,
        Capability.DEFLECT,
        Capability.BLIND_TRANSFER,
        Capability.ATTENDED_TRANSFER,
        Capability.ALTERNATE,
        Capability.CONFERENCE,
        Capability.DTMF,
        Capability.MUTE,
        Capability.RECORD,
        Capability.CHAT,
        Capability.DND,
        Capability.FORWARDING,
        Capability.FORWARDING_BY_PHONE,
        Capability.FORWARD_DND,
    }
)
_DESTINATION = re.compile(r"^(sips?:)?[A-Za-z0-9+*#._~!%-]+(@[A-Za-z0-9.:\[\]-]+)?$")
#: A MESSAGE answered so did not reach anyone, in the operator's words (the peer's reason
#: phrase is the peer's language, and not shown).
NOT_DELIVERED = {404: N_("no such user"), 480: N_("not available now")}
_HOSTNAME_MISMATCH = 62  # OpenSSL's X509_V_ERR_HOSTNAME_MISMATCH
_DIGITS = re.compile(r"^[0-9*#A-Da-d]+$")
_TRANSFERS = frozenset({Action.BLIND_TRANSFER, Action.ATTENDED_TRANSFER, Action.PARK})
_LINK = {
    "connecting": LinkStatus.CONNECTING,
    "registered": LinkStatus.ONLINE,
    "offline": LinkStatus.OFFLINE,
}


class _Xfer:
    def __init__(self, tid: str, primary: str, consult: str, destination: str) -> None:
        self.tid, self.primary, self.consult, self.destination = tid, primary, consult, destination
        self.status = TransferStatus.DIALING
        self.version = 0


class SipChat:
    """1:1 chat over SIP MESSAGE; the conversation is kept in memory for this session (the
    console keeps it across sessions in its local journal). No groups: SIP MESSAGE goes to
    one peer."""

    kept = False
    features: frozenset[ChatFeature] = frozenset()

    def __init__(self, backend: SipBackend) -> None:
        self._backend = backend
        self._messages: dict[str, deque[ChatMessage]] = {}

    def _keep(self, message: ChatMessage) -> None:
        self._messages.setdefault(message.peer, deque(maxlen=500)).append(message)

    async def send(
        self,
        peer: UserId,
        text: str,
        *,
        slip: MessageSlip | None = None,
        reply_to: ChatMessage | None = None,
    ) -> ChatMessage:
        """A slip goes as its plain text (``domain.slips.slip_plain_text``): a SIP peer reads
        it as any message; the sender's copy keeps the slip."""
        if not text.strip() and slip is None:
            raise InvalidDestination(N_("Empty message"))
        if not _DESTINATION.match(peer):
            raise InvalidDestination(N_("Invalid recipient: {peer!r}"), peer=peer)
        ua = self._backend._need_ua()
        body = text if slip is None else slip_plain_text(slip, text)
        response = await asyncio.wrap_future(
            ua.submit(_awaited(lambda: ua.send_message(peer, body)))
        )
        if response.code in NOT_DELIVERED:  # no one took it: marked failed on the message
            raise NotDelivered(
                N_("{peer} did not receive it: {why} (SIP {status})"),
                peer=peer,
                why=NOT_DELIVERED[response.code],
                status=response.code,
            )
        if not 200 <= response.code < 300:
            raise _error(SipError(response.code, response.reason))
        me = UserId(ua.cfg.user)
        message = ChatMessage(
            id=uuid.uuid4().hex, peer=peer, sender=me, text=text, at=datetime.now(UTC), slip=slip
        )
        self._keep(message)
        self._backend._post(ChatEvent(at=message.at, message=message))
        return message

    async def conversation(self, peer: UserId, *, limit: int = 100) -> list[ChatMessage]:
        return list(self._messages.get(peer, ()))[-limit:]

    async def recent(self, *, limit: int = 100) -> list[ChatMessage]:
        mine = [m for kept in self._messages.values() for m in kept]
        return sorted(mine, key=lambda m: m.at)[-limit:]

    async def groups(self) -> list[ChatGroup]:
        return []

    async def edit(self, peer: UserId, message_id: str, text: str) -> ChatMessage:
        raise NotSupported(N_("A SIP message cannot be changed once sent"))

    async def delete(self, peer: UserId, message_id: str) -> None:
        raise NotSupported(N_("A SIP message cannot be taken back once sent"))

    def received(self, peer: str, text: str) -> None:
        message = ChatMessage(
            id=uuid.uuid4().hex,
            peer=UserId(peer),
            sender=UserId(peer),
            text=text,
            at=datetime.now(UTC),
        )
        self._keep(message)
        self._backend._post(ChatEvent(at=message.at, message=message))


class SipBackend:
    """One operator's softphone on a SIP server (see the module docstring)."""

    directory = None
    shared_lists = None  # a plain SIP registrar keeps no public contact lists
    profiles = None  # nor profiles (the console keeps them)
    shared_contacts = None  # nor a public directory
    history = None

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        options = dict(options or {})
        self.config, self.audio_spec = parse_options(options)
        audio = options.get("audio")
        if audio is not None and not (hasattr(audio, "read") and hasattr(audio, "write")):
            raise CallControlError("sip backend: option 'audio' must be an AudioBackend")
        self._audio: AudioBackend | None = audio
        self.volumes = Volumes()  # Preferences → Audio (set_volumes)
        self.devices = ("", "")  # (microphone, loudspeaker): Preferences → Audio
        if self.audio_spec.lower().startswith("wav:"):
            try:  # a missing or unreadable file is a configuration error, reported now
                self._audio = open_audio(self.audio_spec)
            except (OSError, EOFError, AudioUnavailable, wave.Error) as error:
                raise BackendConfigError(
                    N_(
                        "{backend} backend: option 'audio_device' names a WAV file that cannot"
                        " be used ({error})"
                    ),
                    backend="sip",
                    error=str(error),
                ) from None
        extra = {Capability.BLF} if self.config.blf else set()
        if self.config.presence:
            extra |= {Capability.PRESENCE, Capability.PRESENCE_SET}
        if self.config.park_slots:
            extra.add(Capability.PARK)
        if self.config.pickup_code or (self.config.blf and self.config.pickup != "code"):
            extra.add(Capability.PICKUP)
        self.capabilities = SIP_CAPABILITIES | extra
        self.presence = PresenceState.AVAILABLE
        self.presence_note: str | None = None
        self.dnd = False
        self.forwards: dict[ForwardKind, Forward] = {}
        self.lines: dict[str, MonitoredDevice] = {
            ext: MonitoredDevice(
                device_id=DeviceId(f"sip:{ext}@{self.config.server}"),
                name=ext,
                extension=ext,
                line_state=LineState.UNKNOWN,
            )
            for ext in self.config.blf
        }
        self.parking = Parking(self.config.park_slots, self.config.park_retrieve_code)
        self.ringing: dict[str, RingingDialog] = {}  # the dialog ringing at a colleague (BLF)
        self.chat = SipChat(self)
        self.voicemail = None  # no access to the voicemail box's messages over SIP:
        #: they are listened to by calling the voicemail, its menu driven by these digits.
        self.voicemail_menu = self.config.voicemail_menu or voicemail_menu("")
        #: Greetings, PIN and e-mail copy are set on the PBX (its voicemail menu or portal).
        self.voicemail_prefs = None
        self.call_comments = None  # comments stay in this console's journal (not shared)
        self._voicemail_counts = (0, 0)  # new, old: what the last message summary said
        self.device = DeviceId(f"sip:{self.config.user}@{self.config.server}")
        self.ua: UserAgent | None = None
        self.media: MediaEngine | None = None
        self._queue = EventQueue()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._versions: dict[str, int] = {}
        self._models: dict[str, Call] = {}
        self._transfers: dict[str, _Xfer] = {}
        self._tids = itertools.count(1)
        self.link = LinkStatus.CONNECTING

    # ---- session ------------------------------------------------------------------------

    def _need_ua(self) -> UserAgent:
        if self.ua is None:
            raise BackendUnavailable(N_("The SIP phone is not started"))
        return self.ua

    def about(self) -> dict[str, str]:
        """The About panel's lines (``core.protocols.Describes``): pyVoIP's version, the
        registrar and its software's version (its replies' ``Server`` header, once it has
        answered a REGISTER), and the audio device asked for."""
        from importlib.metadata import version

        config = self.config
        told = {
            "library": f"pyVoIP {version('pyVoIP')}",
            "server": f"sip:{config.user}@{config.server}:{config.port} ({config.transport})",
            "audio": self.audio_spec or "none",
        }
        agent = self.ua.registration.server_agent if self.ua is not None else ""
        if agent:
            told["server_version"] = agent
        return told

    def set_volumes(self, speaker: int, microphone: int) -> None:
        """The operator's volumes in percent (``core.protocols.AudioVolumes``), applied to
        the next 20 ms frame."""
        self.volumes.speaker, self.volumes.microphone = speaker, microphone

    def set_devices(self, microphone: str, loudspeaker: str) -> None:
        """The devices chosen in Preferences → Audio (``core.protocols.AudioDevices``), used
        when ``audio_device`` is ``auto`` or ``default`` and the audio is next opened."""
        self.devices = (microphone, loudspeaker)

    async def connect(self) -> Snapshot:
        """Bind the SIP socket and start registering; the snapshot is queued first."""
        self._loop = asyncio.get_running_loop()
        self._queue.reopen()
        if self.ua is None:
            audio = self._audio
            if audio is None:
                try:
                    audio = await asyncio.to_thread(open_audio, self.audio_spec, self.devices)
                except AudioUnavailable as error:
                    log.warning("audio device unusable (%s): continuing without audio", error)
                    audio = NullAudio()
            self.media = MediaEngine(audio, self.volumes)
            ua = UserAgent(self.config, self.media, self)
            try:
                await asyncio.to_thread(ua.start)
            except ssl.SSLCertVerificationError as error:
                log.warning("SIP over TLS: certificate refused: %s", error.verify_message or error)
                if error.verify_code == _HOSTNAME_MISMATCH:
                    raise BackendUnavailable(
                        N_("SIP over TLS: the server's certificate does not name {server}"),
                        server=self.config.server,
                    ) from None
                raise BackendUnavailable(
                    N_(
                        "SIP over TLS: the server's certificate is not signed by a trusted"
                        " authority; check ca_bundle"
                    )
                ) from None
            except OSError as error:
                raise BackendUnavailable(N_("SIP: {error}"), error=str(error)) from error
            await asyncio.to_thread(self.media.start)
            self.ua = ua
            ua.forwarding = self._plan()
        snapshot = await self.snapshot()
        self._queue.put_nowait(SnapshotEvent(at=_now(), snapshot=snapshot))
        self.ua.begin()
        return snapshot

    async def close(self) -> None:
        """Hang up, unregister, stop the threads; ``events()`` ends."""
        ua, self.ua = self.ua, None
        if ua is not None:
            await asyncio.to_thread(ua.stop)
        if self.media is not None:
            await asyncio.to_thread(self.media.stop)
            self.media = None
        self._queue.end()

    def events(self) -> AsyncIterator[Event]:
        return self._queue.until_end()

    async def snapshot(self) -> Snapshot:
        me = self._me()
        calls: tuple[Call, ...] = ()
        transfers: tuple[Transfer, ...] = ()
        if self.ua is not None:
            ua = self.ua

            async def collect() -> tuple[tuple[Call, ...], tuple[Transfer, ...]]:
                return (
                    tuple(self._model(c) for c in ua.calls.values()),
                    tuple(self._transfer_model(x) for x in self._transfers.values()),
                )

            calls, transfers = await self._run(collect())
        return Snapshot(
            me=me,
            calls=calls,
            transfers=transfers,
            devices=tuple(self.lines.values()),
            voicemail_new=self._voicemail_counts[0],
            parking=(self.parking.lot,) if self.config.park_slots else (),
        )

    def _me(self) -> OperatorState:
        return OperatorState(
            user_id=UserId(self.config.user),
            name=self.config.display_name or self.config.user,
            extension=self.config.user,
            devices=(self.device,),
            presence=self.presence,
            presence_note=self.presence_note,
            dnd=self.dnd,
            forwards=dict(self.forwards),
        )

    def _post(self, event: Event) -> None:
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        loop.call_soon_threadsafe(self._queue.put_nowait, event)

    async def _run(self, coro: Coroutine[Any, Any, T]) -> T:
        ua = self._need_ua()
        try:
            return await asyncio.wrap_future(ua.submit(coro))
        except SipError as error:
            raise _error(error) from None

    async def _sync(self, fn: Callable[[], T]) -> T:
        return await self._run(_returning(fn))

    # ---- listener (called on the SIP thread) ---------------------------------------------

    def link_changed(self, status: str, detail: str, retry_in: float | None) -> None:
        if status == "failing":
            kind = LinkStatus.PBX_DOWN if detail == NO_ANSWER else LinkStatus.RECONNECTING
        else:
            kind = _LINK.get(status, LinkStatus.OFFLINE)
        self.link = kind
        self._post(LinkEvent(at=_now(), status=kind, detail=detail, retry_in_s=retry_in))

    def call_changed(self, call: SipCall, kind: str, cause: str) -> None:
        model = self._model(call)
        event_kind = CallEventKind(kind)
        extra: dict[str, Any] = {}
        if event_kind is CallEventKind.DIVERTED:
            extra["new_destination"] = Party(number=call.destination)
        self._post(CallEvent(at=_now(), kind=event_kind, call=model, cause=_cause(cause), **extra))
        self._track_transfer(call, kind)

    def line_changed(self, extension: str, line: LineInfo | None) -> None:
        """A colleague's line (BLF), from the SIP thread: ``None`` is unknown."""
        old = self.lines.get(extension)
        if old is None:
            return
        state = LineState(line.state) if line is not None else LineState.UNKNOWN
        if line is not None and line.state == "ringing" and line.ringing is not None:
            self.ringing[extension] = line.ringing
        else:
            self.ringing.pop(extension, None)
        peer = None
        if line is not None and line.peer and line.state != "idle":
            peer = Party(number=line.peer, name=line.peer_name or None)
        device = replace(old, line_state=state, peer=peer, version=old.version + 1)
        self.lines[extension] = device
        self._post(DeviceEvent(at=_now(), device=device))

    def presence_changed(self, extension: str, presence: PresenceInfo | None) -> None:
        """A colleague's presence (PIDF), from the SIP thread: ``None`` is unknown."""
        old = self.lines.get(extension)
        if old is None:
            return
        state = PresenceState(presence.state) if presence is not None else None
        note = presence.note or None if presence is not None else None
        device = replace(old, presence=state, presence_note=note, version=old.version + 1)
        self.lines[extension] = device
        self._post(DeviceEvent(at=_now(), device=device))

    def voicemail_changed(self, new: int, old: int) -> None:
        """My mailbox's counts (message-waiting indication, RFC 3842), from the SIP thread."""
        if (new, old) != self._voicemail_counts:
            self._voicemail_counts = (new, old)
            self._post(VoicemailEvent(at=_now(), new=new, total=new + old))

    def message_received(self, peer: str, name: str, text: str) -> None:
        self.chat.received(peer, text)

    def transfer_progress(self, call: SipCall, status: int, reason: str) -> None:
        if status < 200:
            return
        ua = self.ua
        if ua is None:
            return
        xfer = next((x for x in self._transfers.values() if x.primary == call.id), None)
        if 200 <= status < 300:
            ua.loop.create_task(self._transferred(call, xfer))
        else:
            log.warning("transfer of %s failed: %s %s", call.id, status, reason)
            if self.parking.remove(call.id) is not None:  # the space refused it: not parked
                self._post(ParkingEvent(at=_now(), lot=self.parking.lot))
            call.status_text = f"transfer failed: {status} {reason}"
            self.call_changed(call, "information", "unknown")
            if xfer is not None:
                self._set_transfer(xfer, TransferStatus.FAILED)

    async def _transferred(self, call: SipCall, xfer: _Xfer | None) -> None:
        ua = self._need_ua()
        cause = "transfer" if xfer is not None else "singleStepTransfer"
        if call.state != "null":
            ua._end(call, "null", None, cause=cause, kind="transferred")
            await ua._bye(call)
        if xfer is not None:
            self._set_transfer(xfer, TransferStatus.COMPLETED)
            await asyncio.sleep(3.0)  # the target should BYE the consultation leg itself
            consult = ua.calls.get(xfer.consult)
            if consult is not None and consult.state != "null":
                await ua.hangup(consult.id)

    # ---- models -------------------------------------------------------------------------

    def _model(self, c: SipCall) -> Call:
        version = self._versions[c.id] = self._versions.get(c.id, 0) + 1
        state = ConnectionState(c.state)
        extra = {}
        if c.dtmf_sent:
            extra["dtmf"] = c.dtmf_sent
        if c.dtmf_received:
            extra["dtmf_received"] = c.dtmf_received
        if c.status_text:
            extra["sip_status"] = c.status_text
        if c.recording is not None:
            extra["recording_file"] = str(c.recording)
        if c.pickup_fallback:
            extra[EXTRA_PICKUP_FALLBACK] = c.pickup_fallback
        stream = c.stream
        call = Call(
            call_id=CallId(c.id),
            device_id=self.device,
            state=state,
            direction=Direction.INBOUND if c.direction == "inbound" else Direction.OUTBOUND,
            remote=_party(c),
            created_at=datetime.fromtimestamp(c.created_at, UTC),
            remote_state=ConnectionState(c.remote_state) if c.remote_state else None,
            conversation_id=c.call_id,
            called=Party(number=c.destination) if c.destination else None,
            answered_at=datetime.fromtimestamp(c.answered_at, UTC) if c.answered_at else None,
            muted=bool(stream and stream.muted),
            recording=c.recording is not None,
            consult_of=CallId(c.consult_of) if c.consult_of else None,
            conference=tuple(_party(o) for o in c.conference),
            cause=_cause(c.cause),
            allowed=self._allowed(c, state),
            version=version,
            extra=extra,
        )
        if state is ConnectionState.NULL:
            self._models.pop(c.id, None)
        else:
            self._models[c.id] = call
        return call

    def _allowed(self, c: SipCall, state: ConnectionState) -> frozenset[Action]:
        allowed = set(default_allowed(state))
        if c.answered_at is None:  # parking is a transfer: an answered call only
            allowed.discard(Action.PARK)
        in_transfer = any(c.id in (x.primary, x.consult) for x in self._transfers.values())
        if state is ConnectionState.HOLD:
            allowed.add(Action.ATTENDED_TRANSFER)
        if state in (ConnectionState.CONNECTED, ConnectionState.HOLD):
            if c.answered_at is None:
                allowed = {Action.HANGUP, Action.MUTE}  # ringback
            elif in_transfer or c.conference or c.consult_of:
                allowed -= _TRANSFERS
        return restrict(frozenset(allowed), self.capabilities)

    def _transfer_model(self, x: _Xfer) -> Transfer:
        return Transfer(
            transfer_id=TransferId(x.tid),
            mode="attended",
            status=x.status,
            transferred_call_id=CallId(x.primary),
            destination=x.destination,
            consult_call_id=CallId(x.consult),
            version=x.version,
        )

    def _set_transfer(self, x: _Xfer, status: TransferStatus) -> None:
        if x.status == status:
            return
        x.status, x.version = status, x.version + 1
        if status in (TransferStatus.COMPLETED, TransferStatus.CANCELLED, TransferStatus.FAILED):
            self._transfers.pop(x.tid, None)
        self._post(TransferEvent(at=_now(), transfer=self._transfer_model(x)))

    def _track_transfer(self, call: SipCall, kind: str) -> None:
        for x in list(self._transfers.values()):
            if call.id == x.consult:
                if kind == "delivered":
                    self._set_transfer(x, TransferStatus.RINGBACK)
                elif kind == "established":
                    self._set_transfer(x, TransferStatus.ANSWERED)
                elif kind in ("failed", "connection_cleared"):
                    self._set_transfer(x, TransferStatus.FAILED)
            elif call.id == x.primary and kind == "connection_cleared":
                self._set_transfer(x, TransferStatus.FAILED)

    # ---- calls --------------------------------------------------------------------------

    @requires(Capability.PICKUP)
    async def pickup(self, target: DeviceId, *, device_id: DeviceId | None = None) -> Call:
        """Directed pickup of a colleague's ringing call. With ``pickup`` ``replaces`` or
        ``auto``, when the colleague's last BLF NOTIFY named the ringing dialog: an INVITE to
        the caller with ``Replaces`` (RFC 3891, ``early-only``); else (``code``, or ``auto``
        without it) the PBX's pickup code followed by the colleague's extension."""
        if device_id is not None and device_id != self.device:
            raise NotSupported(N_("The SIP phone has one line only"))
        text = str(target).strip()
        extension = text
        if text.lower().startswith(("sip:", "sips:")):
            user, _, _host = text.split(":", 1)[1].partition("@")
            extension = user
        if not extension or not _DIGITS.match(extension):
            raise InvalidDestination(
                N_("Invalid number or SIP address: {destination!r}"), destination=text
            )
        ringing = self.ringing.get(extension) if self.config.pickup != "code" else None
        if ringing is not None:
            return await self._pickup_replacing(ringing, extension)
        if self.config.pickup == "replaces" or not self.config.pickup_code:
            raise InvalidState(
                N_("No call known to ring at {extension}: nothing to pick up"), extension=extension
            )
        return await self.make_call(self.config.pickup_code + extension, device_id=device_id)

    async def _pickup_replacing(self, ringing: RingingDialog, extension: str) -> Call:
        ua = self._need_ua()
        try:
            caller = SipUri.parse(ringing.caller) if ringing.caller else None
            target = SipUri.parse(ringing.caller_target) if ringing.caller_target else caller
        except SipParseError:
            caller = target = None
        if caller is None or target is None:
            raise InvalidState(N_("The phone system did not say who is calling: no pickup"))
        code = self.config.pickup_code
        fallback = code + extension if code else ""  # when the caller's phone refuses Replaces

        async def pick() -> Call:
            return self._model(await ua.pickup(target, caller, ringing.replaces(), fallback))

        return await self._run(pick())

    @requires(Capability.PRESENCE_SET)
    async def set_presence(
        self, state: PresenceState, note: str | None = None, *, label: str | None = None
    ) -> None:
        """PUBLISH our presence (RFC 3903); the console hears it from the OperatorEvent. A
        custom state's label has no place in PIDF's basic status here: refused."""
        if label is not None:
            check(self, Capability.PRESENCE_CUSTOM)
        ua = self._need_ua()
        await self._run(ua.publication.publish(PresenceState(state).value, note or ""))
        self.presence, self.presence_note = PresenceState(state), note or None
        self._queue.put_nowait(OperatorEvent(at=_now(), me=self._me()))

    @requires(Capability.MAKE_CALL)
    async def make_call(
        self,
        destination: str,
        *,
        device_id: DeviceId | None = None,
        presented: str | None = None,
    ) -> Call:
        """Call ``destination``. No presented number: this softphone sends no
        P-Preferred-Identity or From of a company's number (Capability.PRESENTED_NUMBER off)."""
        if presented is not None:
            check(self, Capability.PRESENTED_NUMBER)
        if device_id is not None and device_id != self.device:
            raise NotSupported(N_("The SIP phone has one line only"))
        destination = _check_destination(destination)
        ua = self._need_ua()
        return await self._sync(lambda: self._model(ua.make_call(destination)))

    @requires(Capability.ANSWER)
    async def answer(self, call_id: CallId) -> None:
        await self._run(self._need_ua().answer(call_id))

    @requires(Capability.HANGUP)
    async def hangup(self, call_id: CallId) -> None:
        ua = self._need_ua()
        await self._run(ua.hangup(call_id))

    @requires(Capability.CLEAR_CALL)
    async def clear_call(self, call_id: CallId) -> None:
        ua = self._need_ua()

        async def clear() -> None:
            call = ua._get(call_id)
            for leg in [*call.conference, call]:
                await ua.hangup(leg.id)

        await self._run(clear())

    @requires(Capability.DROP_PARTICIPANT)
    async def drop_participant(self, call_id: CallId, party: Party) -> None:
        ua = self._need_ua()

        async def drop() -> None:
            call = ua._get(call_id)
            for leg in call.conference:
                if _party(leg).number == party.number:
                    await ua.hangup(leg.id)
                    return
            raise SipError(404, "no such participant")

        await self._run(drop())

    @requires(Capability.HOLD)
    async def hold(self, call_id: CallId) -> None:
        await self._run(self._need_ua().set_hold(call_id, True))

    @requires(Capability.HOLD)
    async def retrieve(self, call_id: CallId) -> None:
        await self._run(self._need_ua().set_hold(call_id, False))

    @requires(Capability.DEFLECT)
    async def deflect(self, call_id: CallId, destination: str) -> None:
        destination = _check_destination(destination)
        await self._run(self._need_ua().deflect(call_id, destination))

    @requires(Capability.DTMF)
    async def send_dtmf(self, call_id: CallId, digits: str) -> None:
        if not _DIGITS.match(digits):
            raise InvalidDestination(
                N_("Invalid DTMF digits: {digits!r} (0-9, *, #, A-D)"), digits=digits
            )
        ua = self._need_ua()

        def send() -> None:
            ua.send_dtmf(call_id, digits.upper())
            self.call_changed(ua._get(call_id), "information", "unknown")

        await self._sync(send)

    @requires(Capability.MUTE)
    async def set_mute(self, call_id: CallId, muted: bool) -> None:
        ua = self._need_ua()

        def mute() -> None:
            call = ua._get(call_id)
            if call.stream is None:
                raise SipError(409, "no audio on this call")
            call.stream.muted = muted
            self.call_changed(call, "information", "unknown")

        await self._sync(mute)

    @requires(Capability.RECORD)
    async def set_recording(self, call_id: CallId, on: bool) -> None:
        ua = self._need_ua()
        folder = self.config.recordings_dir or _default_recordings()

        def record() -> None:
            call = ua._get(call_id)
            if call.stream is None or call.answered_at is None:
                raise SipError(409, "the call is not connected")
            if on and call.recording is None:
                stamp = time.strftime("%Y%m%d-%H%M%S")
                who = re.sub(r"[^A-Za-z0-9+_-]", "_", _party(call).number or "inconnu")
                call.recording = folder / f"{stamp}-{who}-{call.id}.wav"
                call.stream.start_recording(call.recording)
            elif not on and call.recording is not None:
                call.stream.stop_recording()
                call.recording = None
            self.call_changed(call, "information", "unknown")

        await self._sync(record)

    # ---- transfers ----------------------------------------------------------------------

    @requires(Capability.BLIND_TRANSFER)
    async def blind_transfer(self, call_id: CallId, destination: str) -> None:
        destination = _check_destination(destination)
        ua = self._need_ua()
        await self._run(ua.refer(call_id, f"<{ua.target_uri(destination)}>"))

    @requires(Capability.ATTENDED_TRANSFER)
    async def start_transfer(self, call_id: CallId, destination: str) -> Transfer:
        destination = _check_destination(destination)
        ua = self._need_ua()

        async def start() -> Transfer:
            primary = ua._get(call_id)
            if any(call_id in (x.primary, x.consult) for x in self._transfers.values()):
                raise SipError(409, "this call is already in a transfer")
            if primary.state == "connected":
                await ua.set_hold(call_id, True)
            elif primary.state != "hold":
                raise SipError(409, "the call is not connected")
            consult = ua.make_call(destination, consult_of=primary.id)
            x = _Xfer(f"xfer-{next(self._tids)}", primary.id, consult.id, destination)
            self._transfers[x.tid] = x
            self._post(TransferEvent(at=_now(), transfer=self._transfer_model(x)))
            self.call_changed(primary, "information", "consultation")
            return self._transfer_model(x)

        return await self._run(start())

    def _xfer(self, transfer_id: TransferId) -> _Xfer:
        x = self._transfers.get(transfer_id)
        if x is None:
            raise SipError(404, "no such transfer")
        return x

    @requires(Capability.ATTENDED_TRANSFER)
    async def complete_transfer(self, transfer_id: TransferId) -> None:
        ua = self._need_ua()

        async def complete() -> None:
            x = self._xfer(transfer_id)
            consult = ua._get(x.consult)
            if consult.answered_at is None:  # transfer while it rings: cancel, then blind
                await ua.hangup(consult.id)
                await ua.refer(x.primary, f"<{ua.target_uri(x.destination)}>")
            else:
                await ua.refer(x.primary, ua.replaces_uri(consult))

        await self._run(complete())

    @requires(Capability.ATTENDED_TRANSFER)
    async def cancel_transfer(self, transfer_id: TransferId) -> None:
        ua = self._need_ua()

        async def cancel() -> None:
            x = self._xfer(transfer_id)
            self._set_transfer(x, TransferStatus.CANCELLED)
            consult = ua.calls.get(x.consult)
            if consult is not None:
                await ua.hangup(consult.id)
            primary = ua.calls.get(x.primary)
            if primary is not None and primary.state == "hold":
                await ua.set_hold(primary.id, False)

        await self._run(cancel())

    @requires(Capability.ALTERNATE)
    async def alternate(self, transfer_id: TransferId) -> None:
        ua = self._need_ua()

        async def swap() -> None:
            x = self._xfer(transfer_id)
            primary, consult = ua._get(x.primary), ua._get(x.consult)
            active, held = (
                (primary, consult) if primary.state == "connected" else (consult, primary)
            )
            if active.state != "connected" or held.state != "hold":
                raise SipError(409, "one call must be held and the other connected")
            await ua.set_hold(active.id, True)
            await ua.set_hold(held.id, False)

        await self._run(swap())

    @requires(Capability.CONFERENCE)
    async def conference(self, transfer_id: TransferId) -> None:
        ua = self._need_ua()

        async def join() -> None:
            x = self._xfer(transfer_id)
            legs = [ua._get(x.primary), ua._get(x.consult)]
            if any(leg.answered_at is None for leg in legs):
                raise SipError(409, "the consultation call is not answered")
            for leg in legs:
                if leg.state == "hold":
                    await ua.set_hold(leg.id, False)
            x.status, x.version = TransferStatus.COMPLETED, x.version + 1
            self._transfers.pop(x.tid, None)
            self._post(TransferEvent(at=_now(), transfer=self._transfer_model(x)))
            for leg in legs:
                leg.consult_of = None
            ua.set_conference(legs)
            for leg in legs:
                self.call_changed(leg, "conferenced", "conference")

        await self._run(join())

    # ---- parking (the PBX's parking spaces) ---------------------------------------------

    @requires(Capability.PARK)
    async def park(self, call_id: CallId, lot_id: LotId | None = None) -> ParkedCall:
        """Park the call in the next parking space this console has not used: a blind
        transfer (REFER) to the space's extension; the lot shows it at once and drops it
        again if the PBX refuses the transfer."""
        if lot_id is not None and lot_id != LOT:
            raise NotFound(N_("Unknown parking lot: {lot_id}"), lot_id=lot_id)
        ua = self._need_ua()

        async def park() -> ParkedCall:
            slot = self.parking.free_slot()
            if slot is None:
                raise SipError(409, "every parking space is taken")
            call = ua._get(call_id)
            if call.state not in ("connected", "hold") or call.answered_at is None:
                raise SipError(409, "the call is not connected")
            parked = self.parking.park(
                CallId(call.id), slot, _party(call), Party(number=self.config.user)
            )
            try:
                await ua.refer(call.id, f"<{ua.target_uri(slot)}>")
            except BaseException:
                self.parking.remove(call.id)
                raise
            self._post(ParkingEvent(at=_now(), lot=self.parking.lot))
            return parked

        return await self._run(park())

    @requires(Capability.PARK)
    async def retrieve_parked(self, lot_id: LotId, call_id: CallId) -> Call:
        """Take a call parked from this console back: dial ``park_retrieve_code`` + its
        space."""
        parked = self.parking.find(call_id) if lot_id == LOT else None
        if parked is None:
            raise NotFound(
                N_("No call {call_id} in the parking lot '{lot}'"),
                call_id=call_id,
                lot=self.parking.lot.name,
            )
        call = await self.make_call(self.parking.retrieve_number(parked))
        self.parking.remove(call_id)
        self._post(ParkingEvent(at=_now(), lot=self.parking.lot))
        return call

    # ---- switchboard: not on a SIP softphone --------------------------------------------

    set_hands_free = refuse(Capability.HANDS_FREE, Calls.set_hands_free)
    set_presented_number = refuse(Capability.PRESENTED_NUMBER, Features.set_presented_number)
    answer_queued = refuse(Capability.QUEUES, Switchboard.answer_queued)
    set_agent_state = refuse(Capability.AGENT, Switchboard.set_agent_state)
    set_call_flow = refuse(Capability.CALL_FLOWS, Switchboard.set_call_flow)
    save_queue_rule = refuse(Capability.QUEUE_RULES, Switchboard.save_queue_rule)
    delete_queue_rule = refuse(Capability.QUEUE_RULES, Switchboard.delete_queue_rule)

    # ---- forwarding and DND, done by the softphone (see .forwarding) --------------------

    @requires(Capability.DND)
    async def set_dnd(self, enabled: bool, *, user_id: UserId | None = None) -> None:
        """Do not disturb: calls get 486 Busy Here (302 to the busy forward when it is on)."""
        self._own(user_id)
        self.dnd = bool(enabled)
        self._forwards_changed()

    @requires(Capability.FORWARDING)
    async def set_forward(
        self, kind: ForwardKind, forward: Forward, *, user_id: UserId | None = None
    ) -> None:
        """Set one forward, carried out here: an enabled one needs a number or SIP address
        other than my own, and a ring time of 1 to 300 s."""
        self._own(user_id)
        kind = ForwardKind(kind)
        if (
            forward.announcement is not None or forward.destination == ANSWERING_MACHINE
        ):  # a 302 plays nothing to the caller
            check(self, Capability.FORWARD_ANNOUNCEMENT)
        if kind is ForwardKind.NOT_REACHABLE:  # the softphone forwards only while it runs
            raise NotSupported(
                N_("A softphone that is not reachable cannot forward: only the PBX can do that")
            )
        if forward.enabled:
            if not forward.destination:
                raise InvalidDestination(N_("A forward that is on needs a destination"))
            destination = _check_destination(forward.destination)
            user = destination.split(":", 1)[-1].partition("@")[0]
            if user == self.config.user:
                raise InvalidDestination(
                    N_("You cannot call your own phone: {number}"), number=destination
                )
            if forward.ring_time_s is not None and not 1 <= forward.ring_time_s <= 300:
                raise InvalidDestination(N_("No-answer delay out of range (1 to 300 s)"))
            forward = Forward(True, destination, forward.ring_time_s)
        self.forwards[kind] = forward
        self._forwards_changed()

    async def set_find_me(self, find_me: FindMe) -> None:
        """Refused: a softphone answers the one INVITE it gets and cannot make other numbers
        ring with it; simultaneous ring is the PBX's (``Capability.FIND_ME`` is off)."""
        raise NotSupported(N_("Simultaneous ring is set on the PBX, not by the softphone"))

    def _own(self, user_id: UserId | None) -> None:
        if user_id is not None and user_id != self.config.user:
            raise NotSupported(N_("The SIP phone sets its own forwarding only"))

    def _plan(self) -> ForwardPlan:
        def on(kind: ForwardKind) -> str:
            forward = self.forwards.get(kind)
            return forward.destination or "" if forward is not None and forward.enabled else ""

        no_answer = self.forwards.get(ForwardKind.NO_ANSWER)
        ring_time = no_answer.ring_time_s if no_answer is not None else None
        return ForwardPlan(
            dnd=self.dnd,
            unconditional=on(ForwardKind.UNCONDITIONAL),
            busy=on(ForwardKind.BUSY),
            dnd_to=on(ForwardKind.DND),
            no_answer=on(ForwardKind.NO_ANSWER),
            ring_time_s=float(ring_time or DEFAULT_RING_TIME_S),
        )

    def _forwards_changed(self) -> None:
        """The user agent takes the new plan (one immutable value); the console hears it."""
        if self.ua is not None:
            self.ua.forwarding = self._plan()
        self._queue.put_nowait(OperatorEvent(at=_now(), me=self._me()))


def _now() -> datetime:
    return datetime.now(UTC)


def _party(c: SipCall) -> Party:
    uri = c.remote.uri
    return Party(number=uri.user or str(uri), name=c.remote.display or None)


def _cause(value: str) -> Cause:
    try:
        return Cause(value)
    except ValueError:
        return Cause.UNKNOWN


def _check_destination(destination: str) -> str:
    text = destination.strip()
    compact = re.sub(r"[\s.()-]", "", text) if "@" not in text and ":" not in text else text
    if not compact or not _DESTINATION.match(compact):
        raise InvalidDestination(
            N_("Invalid number or SIP address: {destination!r}"), destination=destination
        )
    return compact


def _error(error: SipError) -> CallControlError:
    text = f"SIP {error.status} {error.reason}"
    if error.status == 404:
        return NotFound(text)
    if error.status in (409, 481, 491):
        return InvalidState(text)
    if error.status == 408:
        return BackendTimeout(text)
    if error.status in (400, 484, 485, 416, 603):
        return InvalidDestination(text)
    if error.status == 503:
        return BackendUnavailable(text)
    return CallControlError(text)


def _default_recordings() -> Path:
    from tws_tui.platform import paths

    return Path(paths.data_dir()) / "recordings"


async def _returning(fn: Callable[[], T]) -> T:
    return fn()


async def _awaited(fn: Callable[[], Any]) -> Any:
    return await fn()
