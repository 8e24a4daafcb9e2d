"""The headless desk: the numbers a dial request may give (normalised as the dial field does,
or refused in words), the request lines the console accepts or refuses (with which code), and
``tws-tui install-handler`` (the desktop entry written, ``tel:``/``sip:`` registered through the
real ``xdg-mime``, a clear message without it)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import run_cli
from needs import missing

from tws_tui.desk.numbers import dial_number
from tws_tui.desk.protocol import (
    MAX_LINE_BYTES,
    DeskError,
    ErrorCode,
    Request,
    Verb,
    parse_request,
    streamed,
)
from tws_tui.domain.numbers import parse_typed_number


@pytest.mark.parametrize(
    ("given", "number"),
    [
        ("+33 1 23 45 67 89", "+33123456789"),
        ("01.23.45.67.89", "0123456789"),
        ("0033 1 23 45 67 89", "+33123456789"),
        ("tel:+33-1-23-45-67-89", "+33123456789"),
        ("TEL:%2B33123456789;phone-context=example.com", "+33123456789"),
        ("sip:+33123456789@pbx.example.com;user=phone", "+33123456789"),
        ("sips:201@pbx.example.com:5061", "201"),
        ("sip:201", "201"),
        ("  *31#  ", "*31#"),
    ],
)
def test_numbers_are_normalised_as_the_dial_field_does(given: str, number: str) -> None:
    assert dial_number(given) == number
    if ":" not in given:
        assert parse_typed_number(given) == number  # the dial field reads it the same


@pytest.mark.parametrize(
    ("given", "words"),
    [
        ("", "No number to dial."),
        ("tel:", "No number to dial."),
        ("alice", "'alice' is not a phone number."),
        ("01 23 ab", "'01 23 ab' is not a phone number: it contains letters."),
        ("sip:alice@example.com", "'alice' is not a phone number."),
        ("https://example.com/", "'https' links cannot be dialled: use a number, tel: or sip:."),
        ("1" * 40, "That is not a phone number: 40 characters (at most 32)."),
        ("1" * 300, "That is not a phone number: 300 characters (at most 256)."),
    ],
)
def test_what_is_not_a_number_is_refused_in_words(given: str, words: str) -> None:
    with pytest.raises(ValueError) as refused:
        dial_number(given)
    assert str(refused.value) == words


@pytest.mark.parametrize(
    ("line", "read"),
    [
        (b'{"verb": "status"}\n', Request(Verb.STATUS)),
        (b'{"verb": "events", "extra": 1}', Request(Verb.EVENTS)),
        (b'{"verb": "dial", "number": "tel:+33 1 23 45 67 89"}\n', None),
    ],
)
def test_requests_are_read(line: bytes, read: Request | None) -> None:
    expected = read or Request(Verb.DIAL, "+33123456789")
    assert parse_request(line) == expected


@pytest.mark.parametrize(
    ("line", "code"),
    [
        (b"", ErrorCode.MALFORMED),
        (b"{", ErrorCode.MALFORMED),
        (b'"dial"', ErrorCode.MALFORMED),
        (b'{"verb": 3}', ErrorCode.MALFORMED),
        (b'{"verb": "dial"}', ErrorCode.MALFORMED),
        (b'{"verb": "dial", "number": ["1"]}', ErrorCode.MALFORMED),
        (b'{"verb": "dial", "number": "x"}', ErrorCode.INVALID_NUMBER),
        (b'{"verb": "shutdown"}', ErrorCode.UNKNOWN_VERB),
        (b"\xc3\x28", ErrorCode.MALFORMED),
        (b'{"verb": "status", "pad": "' + b"x" * MAX_LINE_BYTES + b'"}', ErrorCode.TOO_LONG),
    ],
)
def test_bad_requests_are_refused_with_their_code(line: bytes, code: ErrorCode) -> None:
    with pytest.raises(DeskError) as refused:
        parse_request(line)
    assert refused.value.code is code and refused.value.message


def test_the_streamed_types_are_the_cti_stream_names() -> None:
    from tws_tui.wire.codec import EVENT_TYPES

    for name in ("call.delivered", "queue.updated", "device.updated", "me.updated"):
        assert streamed(name)
    assert streamed("chat.message") and "chat.message" in EVENT_TYPES
    assert not streamed("snapshot") and not streamed("history.created")


def _handler_env(tmp_path: Path, path: str) -> dict[str, str]:
    return {
        "HOME": str(tmp_path / "home"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "PATH": path,
        "LANGUAGE": "en",
    }


def test_install_handler_registers_tel_and_sip(tmp_path: Path) -> None:
    xdg_mime = shutil.which("xdg-mime")
    if xdg_mime is None:
        missing("xdg-mime (Debian package xdg-utils) is not installed: make test-deps")
    env = _handler_env(tmp_path, os.environ.get("PATH", ""))
    done = run_cli("install-handler", env=env)
    assert done.returncode == 0, done.stderr
    entry = tmp_path / "data" / "applications" / "tws-tui-dial.desktop"
    assert done.stdout.splitlines() == [
        f"Wrote {entry}",
        "tel: and sip: links now open tws-tui dial.",
    ]
    text = entry.read_text()
    assert "MimeType=x-scheme-handler/tel;x-scheme-handler/sip;\n" in text
    exec_line = next(line for line in text.splitlines() if line.startswith("Exec="))
    assert exec_line.endswith(" dial %u")
    for scheme in ("tel", "sip"):
        query = subprocess.run(
            [xdg_mime, "query", "default", f"x-scheme-handler/{scheme}"],
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert query.stdout.strip() == "tws-tui-dial.desktop"


def test_install_handler_without_a_desktop_says_so(tmp_path: Path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    done = run_cli("install-handler", env=_handler_env(tmp_path, str(empty)))
    assert done.returncode == 0
    assert done.stderr.strip() == (
        "tws-tui: xdg-mime is not installed (no desktop here?): tel: and sip: links are not"
        " registered."
    )
    assert (tmp_path / "data" / "applications" / "tws-tui-dial.desktop").is_file()


def test_install_handler_that_cannot_write_fails_in_words(tmp_path: Path) -> None:
    (tmp_path / "data").write_text("a file where the directory should be")
    done = run_cli("install-handler", env=_handler_env(tmp_path, os.environ.get("PATH", "")))
    assert done.returncode == 1
    assert done.stderr.startswith("tws-tui: cannot write ")
    assert "Traceback" not in done.stderr
    assert json.dumps(done.stdout) == '""'


def test_events_in_words_in_either_language() -> None:
    from datetime import UTC, datetime

    from tws_tui.core.events import ChatEvent, DeviceEvent, QueueEvent
    from tws_tui.core.model import (
        ChatMessage,
        DeviceId,
        LineState,
        MonitoredDevice,
        PresenceState,
        Queue,
        QueuedCall,
        QueueId,
        QueueRef,
        UserId,
    )
    from tws_tui.core.model import Party as P
    from tws_tui.desk.commands import event_line
    from tws_tui.platform.i18n import set_language
    from tws_tui.wire.codec import encode_event

    at = datetime(2026, 11, 22, 9, 0, 1, tzinfo=UTC)
    ref = QueueRef(QueueId("q1"), "Accueil")
    waiting = QueuedCall("c9", ref, P("+33612345678"), at)
    queue = QueueEvent(at=at, queue=Queue(QueueId("q1"), "Accueil", waiting=(waiting,)))
    device = DeviceEvent(
        at=at,
        device=MonitoredDevice(
            DeviceId("dev-201"), "Léa Petit", "201", LineState.TALKING, presence=PresenceState.BUSY
        ),
    )
    chat = ChatEvent(at=at, message=ChatMessage("m1", UserId("u2"), UserId("u2"), "Salut", at))
    envelopes = [encode_event(event, None) for event in (queue, device, chat)]
    assert [event_line(e) for e in envelopes] == [
        "09:00:01  queue.updated  Accueil: 1 waiting",
        "09:00:01  device.updated  Léa Petit (201): On a call, Busy",
        "09:00:01  chat.message  u2: Salut",
    ]
    set_language("fr")
    assert event_line(envelopes[0]) == "09:00:01  queue.updated  Accueil : 1 en file"
    assert event_line(envelopes[1]).endswith("Léa Petit (201) : En communication, Occupé")
    assert event_line({"type": "call.unheard_of", "data": {}}) == "call.unheard_of"
    # a state of my own (issue 17): its label, not the base state's word
    desk = DeviceEvent(
        at=at,
        device=MonitoredDevice(
            DeviceId("dev-201"),
            "Léa Petit",
            "201",
            LineState.IDLE,
            presence=PresenceState.BUSY,
            presence_label="À l'accueil",
        ),
    )
    assert event_line(encode_event(desk, None)).endswith("Léa Petit (201) : Libre, À l'accueil")
