"""The desk socket against a running console on the simulator: ``tws-tui dial`` places a call
as F3 does, ``tws-tui events`` prints the console's events as JSON lines, ``tws-tui status``
its calls and presence; bad numbers, malformed, oversized and unknown requests are refused
with the console unaffected; a client that never reads is dropped; no console, a stale
socket and a second console are said in words; the socket is the user's only (0600 in a 0700
directory, and another uid refused by its peer credentials even when the permissions are
loosened). The commands run as real processes (``python -m tws_tui``)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

import pytest
from helpers import ACME, ROOT, build_console, idle_colleagues, run_cli, settle, until

from tws_tui.console.controllers import desk as desk_controller
from tws_tui.core.events import CallEvent, CallEventKind
from tws_tui.core.model import ConnectionState, PresenceState
from tws_tui.desk import client, endpoint
from tws_tui.desk.protocol import MAX_LINE_BYTES

SIZE = (100, 30)
ENGLISH = {"LANGUAGE": "en"}
OUTSIDE = "+33140000000"


async def listening(console: Any, pilot: Any) -> Path:
    """Wait for the console's socket; its path."""
    await settle(pilot)
    await until(pilot, lambda: console.app.desk.listening, "the desk socket listening")
    return endpoint.socket_path()


def raw_exchange(path: Path, data: bytes, *, shut: bool = True) -> list[dict[str, Any]]:
    """Send ``data`` on a plain socket, read every reply line until the console closes."""
    with socket.socket(socket.AF_UNIX) as sock:
        sock.settimeout(10)
        with endpoint.short_address(path) as address:
            sock.connect(address)
        sock.sendall(data)
        if shut:
            sock.shutdown(socket.SHUT_WR)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    return [json.loads(line) for line in received.splitlines()]


async def test_dial_places_a_call_as_f3_does() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await listening(console, pilot)
        done = await asyncio.to_thread(run_cli, "dial", "tel:+33-1-40-00-00-00", env=ENGLISH)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == f"Dialling {OUTSIDE}."
        await settle(pilot)
        placed = [c for c in console.app.state.calls.values() if c.remote.number == OUTSIDE]
        assert len(placed) == 1 and placed[0].state is ConnectionState.CONNECTED
        notices = [n.message for n in console.app._notifications]
        assert f"Dialling {OUTSIDE} (asked by tws-tui dial)." in notices

        # With a call already on the line, the switch decides as for F3; a colleague's number.
        reply = await asyncio.to_thread(client.ask, {"verb": "dial", "number": "sip:201@pbx"})
        assert reply["ok"] and reply["result"] == "dialling" and reply["number"] == "201"
        await settle(pilot)
        assert console.app.state.calls[reply["call_id"]].remote.number == "201"


async def test_dial_refuses_what_is_not_a_number() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        path = await listening(console, pilot)
        done = await asyncio.to_thread(run_cli, "dial", "01 23 ab", env=ENGLISH)
        assert done.returncode == 2
        assert "'01 23 ab' is not a phone number: it contains letters." in done.stderr
        assert "Traceback" not in done.stderr
        # Straight to the console (a script skipping the command's own check).
        for number, words in (
            ("alice", "'alice' is not a phone number."),
            ("mailto:x@y", "'mailto' links cannot be dialled"),
            ("9" * 300, "300 characters (at most 256)"),
        ):
            request = json.dumps({"verb": "dial", "number": number}).encode() + b"\n"
            (reply,) = await asyncio.to_thread(raw_exchange, path, request)
            assert reply["ok"] is False and reply["error"] == "invalid_number"
            assert words in reply["message"]
        await settle(pilot)
        assert console.app.state.calls == {}


async def test_dial_refused_by_the_phone_system_says_why() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await listening(console, pilot)
        console.backend.switch.endpoint("100").registered = False
        done = await asyncio.to_thread(run_cli, "dial", "201", env=ENGLISH)
        assert done.returncode == 1
        assert "Extension 100 is not registered" in done.stderr
        notices = " ".join(n.message for n in console.app._notifications)
        assert "Extension 100 is not registered" in notices  # on screen too, as for F3


async def test_dial_before_sign_in_is_refused() -> None:
    console = build_console(setup=True)  # the sign-in screen: not connected yet
    async with console.app.run_test(size=SIZE) as pilot:
        await listening(console, pilot)
        done = await asyncio.to_thread(run_cli, "dial", "201", env=ENGLISH)
        assert done.returncode == 1
        assert done.stderr.strip() == "tws-tui: Not connected to a phone system."
        status = await asyncio.to_thread(client.ask, {"verb": "status"})
        assert status["me"] is None and status["presence"] is None and status["calls"] == []


def test_no_console_running_is_said(isolated_dirs: Path) -> None:
    done = run_cli("dial", "201", env=ENGLISH)
    assert done.returncode == 3
    assert done.stderr.strip() == "tws-tui: no tws-tui console is running for this user"
    # A socket file left by a console that was killed: nobody listens, same answer.
    path = endpoint.socket_path()
    endpoint.private_dir(path.parent)
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(str(path))
    stale.close()
    for command in (("status",), ("events", "--json")):
        done = run_cli(*command, env=ENGLISH)
        assert done.returncode == 3, done
        assert "no tws-tui console is running for this user" in done.stderr


async def test_a_stale_socket_is_taken_over_and_removed_at_exit() -> None:
    path = endpoint.socket_path()
    endpoint.private_dir(path.parent)
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(str(path))
    stale.close()
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await listening(console, pilot)
        reply = await asyncio.to_thread(client.ask, {"verb": "status"})
        assert reply["ok"] and reply["link"] == "online"
    assert not path.exists()


async def test_a_second_console_says_one_is_running() -> None:
    async def nothing(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.close()

    first = await endpoint.listen(nothing)  # the first console's socket
    try:
        console = build_console()
        async with console.app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(pilot)
            await until(pilot, lambda: console.app._notifications, "a notice")
            notices = [n.message for n in console.app._notifications]
            assert "Another tws-tui console of yours answers tws-tui dial; this one does not." in (
                notices
            )
            assert not console.app.desk.listening
        assert endpoint.socket_path().exists()  # the first one's, left alone
    finally:
        first.close()
    assert not endpoint.socket_path().exists()


class LineReader:
    """A ``tws-tui events`` process whose lines are collected by a thread."""

    def __init__(self, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tws_tui", "events", *args],
            cwd=ROOT,
            env={**os.environ, **ENGLISH, "PYTHONDONTWRITEBYTECODE": "1"},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: list[str] = []
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def stop(self) -> tuple[int, str]:
        self.process.send_signal(signal.SIGINT)
        code = self.process.wait(10)
        self.thread.join(5)
        assert self.process.stderr is not None
        return code, self.process.stderr.read()


async def test_events_are_json_lines_with_the_documented_fields() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await listening(console, pilot)
        as_json, as_text = LineReader("--json"), LineReader()
        try:
            await until(pilot, lambda: console.app.desk.streams == 2, "two subscribers", 15)
            console.ring(ACME)
            await settle(pilot)
            await pilot.press("enter")  # answer
            await settle(pilot)
            await pilot.press("f8")  # hang up
            # A colleague's presence changes.
            colleague = idle_colleagues(console)[0]
            console.backend.switch.set_presence(colleague.extension, PresenceState.BUSY)
            # A caller waits in the reception queue; the colleague writes to me.
            console.backend.switch.inject_incoming_call("3900", ACME)
            me = console.app.state.me
            assert me is not None and colleague.user_id is not None
            console.backend.switch_chat.send(colleague.user_id, me.user_id, "Tu es là ?")

            def streamed() -> set[str]:
                kinds = set()
                for line in as_json.lines:
                    event = json.loads(line)
                    if event["type"] != "queue.updated" or event["data"]["queue"]["waiting"]:
                        kinds.add(event["type"])
                return kinds

            await until(
                pilot,
                lambda: {"device.updated", "queue.updated", "chat.message"} <= streamed(),
                "the presence, the caller waiting and the chat streamed",
                10,
            )
            await until(pilot, lambda: any("ACME" in x for x in as_text.lines), "text lines")
        finally:
            code, errors = as_json.stop()
            text_code, _errors = as_text.stop()
        assert code == 130 and text_code == 130, errors
        events = [json.loads(line) for line in as_json.lines]
        assert all(set(e) == {"id", "type", "time", "data"} for e in events)
        assert all(e["time"].endswith("Z") for e in events)
        calls = [e for e in events if e["type"].startswith("call.")]
        assert {"call.delivered", "call.established", "call.connection_cleared"} <= {
            e["type"] for e in calls
        }
        delivered = next(e for e in calls if e["type"] == "call.delivered")
        assert delivered["data"]["call"]["remote"] == {
            "number": ACME.number,
            "name": ACME.name,
            "device_id": None,
            "user_id": None,
        }
        assert delivered["data"]["call"]["state"] == "alerting"
        assert delivered["data"]["call"]["direction"] == "inbound"
        established = next(e for e in calls if e["type"] == "call.established")
        assert established["data"]["call"]["state"] == "connected"
        seen = next(e for e in events if e["type"] == "device.updated")
        assert seen["data"]["device"]["extension"] == colleague.extension
        assert seen["data"]["device"]["presence"] == "busy"
        queues = [e["data"]["queue"] for e in events if e["type"] == "queue.updated"]
        assert any(
            q["number"] == "3900" and [w["caller"]["number"] for w in q["waiting"]] == [ACME.number]
            for q in queues
        ), queues
        chat = next(e for e in events if e["type"] == "chat.message")["data"]["message"]
        assert chat["text"] == "Tu es là ?" and chat["sender"] == colleague.user_id
        text = "\n".join(as_text.lines)
        assert "call.delivered  ACME Industries (+33123456789) — Ringing" in text
        assert "call.established  ACME Industries (+33123456789) — Talking" in text


async def test_a_stream_outlives_the_end_of_the_request_and_its_reader() -> None:
    """A shell client (``nc -U``) ends its writing after the request and still reads the
    events; a client that goes away is forgotten at the next event."""
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        path = await listening(console, pilot)
        half = socket.socket(socket.AF_UNIX)
        gone = socket.socket(socket.AF_UNIX)
        for sock in (half, gone):
            with endpoint.short_address(path) as address:
                sock.connect(address)
            sock.sendall(b'{"verb": "events"}\n')
        half.shutdown(socket.SHUT_WR)
        await until(pilot, lambda: console.app.desk.streams == 2, "two subscribers")
        gone.close()
        console.ring(ACME)
        await until(pilot, lambda: console.app.desk.streams == 1, "the closed one forgotten")
        half.settimeout(10)
        received = b""
        while b"call.delivered" not in received:
            received += await asyncio.to_thread(half.recv, 65536)
        half.close()
        first = json.loads(received.splitlines()[0])
        assert first == {"ok": True, "verb": "events", "version": 1}


async def test_status_prints_calls_and_presence() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await listening(console, pilot)
        console.ring(ACME)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        done = await asyncio.to_thread(run_cli, "status", "--json", env=ENGLISH)
        assert done.returncode == 0, done.stderr
        status = json.loads(done.stdout)
        assert status["ok"] is True and status["verb"] == "status" and status["version"] == 1
        assert status["link"] == "online" and status["presence"] == "available"
        assert status["me"]["extension"] == "100" and status["me"]["presence"] == "available"
        (call,) = status["calls"]
        assert call["remote"]["name"] == ACME.name and call["state"] == "connected"
        assert {"device_id", "name", "extension", "line_state", "presence"} <= set(
            status["devices"][0]
        )
        done = await asyncio.to_thread(run_cli, "status", env=ENGLISH)
        assert done.returncode == 0, done.stderr
        lines = done.stdout.splitlines()
        assert lines[:2] == ["Link: Online", "Presence: Available"]
        assert lines[2].endswith("Talking  ACME Industries (+33123456789)")
        french = await asyncio.to_thread(run_cli, "--lang", "fr", "status", env=ENGLISH)
        assert french.stdout.splitlines()[:2] == ["Liaison : En ligne", "Présence : Disponible"]


async def test_bad_requests_are_refused_and_the_console_goes_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(desk_controller, "REQUEST_WAIT_S", 0.3)
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        path = await listening(console, pilot)
        cases = [
            (b"not json\n", "malformed", None),
            (b"[1, 2]\n", "malformed", None),
            (b'{"number": "201"}\n', "malformed", None),
            (b'{"verb": "dial", "number": 201}\n', "malformed", "dial"),
            (b'{"verb": "reboot"}\n', "unknown_verb", None),
            (b"\xff\xfe\n", "malformed", None),
        ]
        for data, code, verb in cases:
            (reply,) = await asyncio.to_thread(raw_exchange, path, data)
            assert reply["ok"] is False and reply["error"] == code, (data, reply)
            assert reply["verb"] == verb and reply["message"]
        # An oversized line (no newline within the limit): refused, the connection closed.
        huge = b'{"verb": "dial", "number": "' + b"1" * (MAX_LINE_BYTES + 10) + b'"}\n'
        (reply,) = await asyncio.to_thread(raw_exchange, path, huge)
        assert reply["error"] == "too_long"
        assert reply["message"] == f"The request is longer than {MAX_LINE_BYTES} bytes."
        # A client that connects and says nothing, closing: no reply, nothing broken.
        assert await asyncio.to_thread(raw_exchange, path, b"") == []
        # One that stays connected and says nothing: refused after the wait, not kept.
        (reply,) = await asyncio.to_thread(raw_exchange, path, b'{"verb"', shut=False)
        assert reply["error"] == "timeout" and reply["message"] == "No request within 0.3 s."
        reply = await asyncio.to_thread(client.ask, {"verb": "status"})
        assert reply["ok"] and reply["calls"] == []
        assert console.app.state.calls == {}
        assert console.app.is_running


def read_all(sock: socket.socket) -> bytes:
    received = b""
    with sock:
        while chunk := sock.recv(65536):
            received += chunk
    return received


async def test_a_client_that_never_reads_is_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    """One client reads the stream, another never does: the second is dropped once its queue
    (32 here) and its socket's buffers are full; the first gets every event."""
    monkeypatch.setattr(desk_controller, "SUBSCRIBER_QUEUE", 32)
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        path = await listening(console, pilot)
        console.ring(ACME)
        await settle(pilot)
        call = next(iter(console.app.state.calls.values()))
        event = CallEvent(at=console.clock.now(), kind=CallEventKind.INFORMATION, call=call)
        desk = console.app.desk
        read: list[dict[str, Any]] = []

        def reader() -> None:
            read.extend(client.stream({"verb": "events"}))

        threading.Thread(target=reader, daemon=True).start()
        await until(pilot, lambda: desk.streams == 1, "the reader subscribed")
        sleeper = socket.socket(socket.AF_UNIX)
        with endpoint.short_address(path) as address:
            sleeper.connect(address)
        sleeper.sendall(b'{"verb": "events"}\n')
        await until(pilot, lambda: desk.streams == 2, "the sleeper subscribed")
        sent = peak = 0
        while desk.streams == 2 and sent < 20000:
            desk.observe(event)  # as the pump does, for each event it applies
            sent += 1
            peak = max(peak, desk.backlog)
            assert desk.backlog <= 32  # bounded
            if sent % 4 == 0:
                await asyncio.sleep(0.001)  # the readers' turn
        assert desk.streams == 1, "the sleeper was never dropped"
        assert peak == 32  # dropped when its queue was full, not before
        assert sent < 20000
        # The sleeper reads now: what was sent before the drop, the reason, then the end.
        sleeper.settimeout(10)
        late = asyncio.ensure_future(asyncio.to_thread(read_all, sleeper))
        await until(pilot, lambda: len(read) == sent + 1, "every event read by the reader")
        lines = [json.loads(line) for line in (await late).splitlines()]
        assert lines[0]["ok"] is True and lines[0]["verb"] == "events"
        assert lines[-1]["error"] == "overflow"
        assert lines[-1]["message"] == "Dropped: the events were not read fast enough."
        assert 1 < len(lines) - 2 < sent  # the rest was never kept for it
        reply = await asyncio.to_thread(client.ask, {"verb": "status"})
        assert reply["ok"] and len(reply["calls"]) == 1


def _as_nobody(path: Path) -> dict[str, Any]:
    """Connect to ``path`` from a forked child running as ``nobody``; what it got."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: plain system calls only, then _exit
        outcome: dict[str, Any]
        try:
            os.close(reader)
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            with socket.socket(socket.AF_UNIX) as sock:
                sock.settimeout(5)
                sock.connect(str(path))
                with contextlib.suppress(BrokenPipeError):  # refused before it is read
                    sock.sendall(b'{"verb": "status"}\n')
                data = b""
                while chunk := sock.recv(65536):
                    data += chunk
            outcome = {"reply": data.decode()}
        except OSError as error:
            outcome = {"errno": error.errno}
        os.write(writer, json.dumps(outcome).encode())
        os._exit(0)
    os.close(writer)
    with os.fdopen(reader, "rb") as pipe:
        answer = pipe.read()
    os.waitpid(pid, 0)
    return dict(json.loads(answer))


@pytest.mark.skipif(os.getuid() != 0, reason="switching to another uid needs root")
async def test_only_the_user_reaches_the_socket(monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    # A state directory other users could walk through (the tests' own is closed to them).
    state = Path(tempfile.mkdtemp(prefix="desk-", dir="/tmp"))
    state.chmod(0o711)
    monkeypatch.setenv("TWS_TUI_STATE_DIR", str(state))
    console = build_console()
    try:
        async with console.app.run_test(size=SIZE) as pilot:
            path = await listening(console, pilot)
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
            assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
            assert path.parent.stat().st_uid == os.getuid()
            got = await asyncio.to_thread(_as_nobody, path)
            assert got == {"errno": errno.EACCES}  # the permissions stop another user
            # Loosened by hand: the peer credentials still refuse another user.
            path.parent.chmod(0o711)
            path.chmod(0o666)
            got = await asyncio.to_thread(_as_nobody, path)
            assert "reply" in got, got
            (reply,) = [json.loads(line) for line in got["reply"].splitlines()]
            assert reply["ok"] is False and reply["error"] == "not_allowed"
            assert reply["message"] == "Refused: this console belongs to another user."
            assert (await asyncio.to_thread(client.ask, {"verb": "status"}))["ok"]
    finally:
        for leftover in sorted(state.rglob("*"), reverse=True):
            leftover.rmdir() if leftover.is_dir() else leftover.unlink()
        state.rmdir()
