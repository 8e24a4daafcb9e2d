"""``DeskServer``: the console's end of ``tws-tui dial``, ``events`` and ``status``.

It listens on this user's desk socket (:mod:`tws_tui.desk.endpoint`: 0600 in a 0700
directory, peer credentials checked) while the console runs, and answers the requests of
:mod:`tws_tui.desk.protocol`:

* ``dial`` goes through the call controller's own F3 path (:meth:`CallController.place_call`):
  the same command runner, the same errors shown on screen; the reply says ``dialling`` with
  the call, or why not (not signed in, refused by the phone system, no answer in time);
* ``status`` reads the console's state (link, me, my calls, my colleagues);
* ``events`` subscribes the connection to what the event pump applies (:meth:`observe`), in the
  envelope of the CTI event stream. Each subscriber has a bounded queue: a client that does not
  read fills it, gets a last ``overflow`` line if its socket takes it, and is dropped; the
  console never waits for it nor keeps its events.

A bad request (not JSON, too long, unknown verb, a number that is not one) gets one refusal
line and the connection is closed; nothing of it reaches the console's state. Another console
of the user already listening is said once in a notice; this console then runs without it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from tws_tui.console.api import ConsoleApi
from tws_tui.console.controllers.call_actions import CallController
from tws_tui.core.errors import CallControlError
from tws_tui.core.events import Event
from tws_tui.core.model import Call
from tws_tui.desk import endpoint
from tws_tui.desk.protocol import (
    MAX_LINE_BYTES,
    DeskError,
    ErrorCode,
    Request,
    Verb,
    encode_line,
    ok,
    parse_request,
    refusal,
    streamed,
    verb_of,
)
from tws_tui.domain.format import describe_error
from tws_tui.platform.i18n import _

log = logging.getLogger(__name__)

#: Events kept for one ``events`` client that does not read; then it is dropped.
SUBSCRIBER_QUEUE = 1024
#: How long a dial waits for the phone system (the command runner gives up at 10 s).
DIAL_WAIT_S = 12.0
#: How long a connection may take to send its request line.
REQUEST_WAIT_S = 10.0
#: How long a dropped or refused client is given to take its last line.
LAST_LINE_S = 5.0


class _Subscriber:
    def __init__(self) -> None:
        self.queue: asyncio.Queue[bytes] = asyncio.Queue(SUBSCRIBER_QUEUE)
        self.overflowed = asyncio.Event()


class DeskServer:
    """The desk socket of the running console."""

    def __init__(self, api: ConsoleApi, calls: CallController) -> None:
        self.api = api
        self.calls = calls
        self._listener: endpoint.Listener | None = None
        self._subscribers: set[_Subscriber] = set()
        self._closed = False  # the console is quitting: a listen that ends now is undone

    # ---- life ---------------------------------------------------------------------------

    def start(self) -> None:
        """Listen, in the background (a console in a test or headless too)."""
        self.api.run_background(self._listen, group="desk")

    async def _listen(self) -> None:
        try:
            self._listener = await endpoint.listen(self._connection, limit=MAX_LINE_BYTES)
        except endpoint.DeskUnavailable as error:
            log.warning("desk socket: %s", error)
            self.api.notify(str(error), severity="warning", markup=False)
        except OSError as error:
            log.warning("desk socket: %s", error)
            self.api.notify(
                _("tws-tui dial is off: {reason}.").format(reason=error.strerror or error),
                severity="warning",
                markup=False,
            )
        else:
            if self._closed:
                self.close()
                return
            log.info("desk socket listening at %s", self._listener.path)

    @property
    def listening(self) -> bool:
        return self._listener is not None

    @property
    def streams(self) -> int:
        """How many ``events`` clients are subscribed."""
        return len(self._subscribers)

    @property
    def backlog(self) -> int:
        """The most events waiting for one ``events`` client (at most ``SUBSCRIBER_QUEUE``)."""
        return max((s.queue.qsize() for s in self._subscribers), default=0)

    def close(self) -> None:
        """Stop listening, remove the socket, end the event streams."""
        self._closed = True
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        for subscriber in self._subscribers:
            subscriber.overflowed.set()
        self._subscribers.clear()

    # ---- events -------------------------------------------------------------------------

    def observe(self, event: Event) -> None:
        """An event the pump applied: to every ``events`` client (bounded, never waiting)."""
        if not self._subscribers:
            return
        from tws_tui.wire.codec import encode_event, event_type

        try:
            kind = event_type(event)
        except TypeError:  # not on the CTI stream either (link, snapshot)
            return
        if not streamed(kind):
            return
        line = encode_line(encode_event(event, event.seq))
        for subscriber in list(self._subscribers):
            try:
                subscriber.queue.put_nowait(line)
            except asyncio.QueueFull:
                log.warning("desk: an events client does not read; dropped")
                self._subscribers.discard(subscriber)
                subscriber.overflowed.set()

    # ---- one connection -----------------------------------------------------------------

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await self._serve(reader, writer)
        except (ConnectionError, OSError) as error:
            log.info("desk client gone: %s", error)
        except Exception:
            log.exception("desk request failed")
        finally:
            writer.close()
            try:
                await asyncio.wait_for(writer.wait_closed(), LAST_LINE_S)
            except (TimeoutError, OSError):
                writer.transport.abort()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        sock = writer.get_extra_info("socket")
        if sock is None or not endpoint.peer_allowed(sock):
            message = _("Refused: this console belongs to another user.")
            await self._last(writer, refusal(None, ErrorCode.NOT_ALLOWED, message))
            # Its request read before closing: a socket closed with unread input is reset, and
            # the client would lose the refusal (ECONNRESET instead of the reply, seen in CI).
            with contextlib.suppress(TimeoutError, OSError, ValueError):
                await asyncio.wait_for(reader.read(MAX_LINE_BYTES), LAST_LINE_S)
            return
        try:
            line = await asyncio.wait_for(reader.readuntil(b"\n"), REQUEST_WAIT_S)
        except TimeoutError:
            message = _("No request within {seconds} s.").format(seconds=f"{REQUEST_WAIT_S:g}")
            await self._last(writer, refusal(None, ErrorCode.TIMEOUT, message))
            return
        except asyncio.LimitOverrunError:
            message = _("The request is longer than {limit} bytes.").format(limit=MAX_LINE_BYTES)
            await self._last(writer, refusal(None, ErrorCode.TOO_LONG, message))
            return
        except asyncio.IncompleteReadError as partial:
            if not partial.partial.strip():
                return  # connected and closed: a probe of listen()
            line = partial.partial
        try:
            request = parse_request(line)
        except DeskError as error:
            await self._last(writer, refusal(verb_of(line), error.code, error.message))
            return
        if request.verb is Verb.DIAL:
            await self._last(writer, await self.dial(request))
        elif request.verb is Verb.STATUS:
            await self._last(writer, self.status())
        else:
            await self._stream(reader, writer)

    async def _last(self, writer: asyncio.StreamWriter, reply: dict[str, Any]) -> None:
        """Write a reply and let the client have it (not waiting on one that never reads)."""
        writer.write(encode_line(reply))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(writer.drain(), LAST_LINE_S)

    # ---- the verbs ----------------------------------------------------------------------

    async def dial(self, request: Request) -> dict[str, Any]:
        """Dial as F3 does; the reply says what happened."""
        number = request.number
        if self.api.backend is None or self.api.state.me is None:
            return refusal(
                Verb.DIAL, ErrorCode.NOT_CONNECTED, _("Not connected to a phone system.")
            )
        placed: asyncio.Future[Call] = asyncio.get_running_loop().create_future()
        self.api.notify(_("Dialling {number} (asked by tws-tui dial).").format(number=number))
        self.calls.place_call(number, placed)
        done, _pending = await asyncio.wait({placed}, timeout=DIAL_WAIT_S)
        if not done or placed.cancelled():
            message = _("The phone system did not answer in time")
            return refusal(Verb.DIAL, ErrorCode.TIMEOUT, message)
        error = placed.exception()
        if isinstance(error, CallControlError):
            return refusal(Verb.DIAL, ErrorCode.REFUSED, describe_error(error))
        if error is not None:
            return refusal(Verb.DIAL, ErrorCode.REFUSED, str(error))
        call = placed.result()
        return ok(
            Verb.DIAL,
            result="dialling",
            number=number,
            call_id=call.call_id,
            state=call.state.value,
        )

    def status(self) -> dict[str, Any]:
        """The console's link, me, my calls and my colleagues, as the CTI protocol writes them."""
        from tws_tui.wire.codec import encode

        state = self.api.state
        me = state.me
        return ok(
            Verb.STATUS,
            link=state.link.value,
            presence=me.presence.value if me is not None else None,
            me=encode(me) if me is not None else None,
            calls=[encode(call) for call in state.calls.values()],
            devices=[encode(device) for device in state.devices.values()],
        )

    async def _stream(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        subscriber = _Subscriber()
        self._subscribers.add(subscriber)
        try:
            writer.write(encode_line(ok(Verb.EVENTS)))
            # What the client sends now is read and dropped; its end of writing (a shell's
            # `nc -U` after the request) is not the end of its reading: a client gone is seen
            # when a write to it fails (ConnectionError, handled by the caller).
            ignored = asyncio.ensure_future(_until_eof(reader))
            dropped = asyncio.ensure_future(subscriber.overflowed.wait())
            try:
                while True:
                    line = asyncio.ensure_future(subscriber.queue.get())
                    await asyncio.wait({line, dropped}, return_when="FIRST_COMPLETED")
                    if not line.done():
                        line.cancel()
                        break
                    writer.write(line.result())
                    drained = asyncio.ensure_future(writer.drain())
                    await asyncio.wait({drained, dropped}, return_when="FIRST_COMPLETED")
                    if not drained.done():
                        drained.cancel()
                        break
                    drained.result()  # ConnectionError: the client is gone
            finally:
                ignored.cancel()
                dropped.cancel()
            if subscriber.overflowed.is_set() and self._listener is not None:
                message = _("Dropped: the events were not read fast enough.")
                await self._last(writer, refusal(Verb.EVENTS, ErrorCode.OVERFLOW, message))
        finally:
            self._subscribers.discard(subscriber)


async def _until_eof(reader: asyncio.StreamReader) -> None:
    """Return when the client closes its end; what it sends meanwhile is read and dropped."""
    while await reader.read(4096):
        pass
