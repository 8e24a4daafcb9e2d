"""What the operator reads: party labels, call states, durations, errors, notification escapes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tws_tui.core.errors import AlreadyTaken, InvalidDestination, NotSupported
from tws_tui.core.model import Call, CallId, ConnectionState, DeviceId, Direction, Party
from tws_tui.domain.format import call_state_word, describe_error, duration, party_label
from tws_tui.domain.notifications import desktop_notification
from tws_tui.platform.i18n import set_language

T0 = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


@pytest.fixture
def english():
    set_language("en")
    yield
    set_language("en")


def make_call(state: ConnectionState, remote_state: ConnectionState | None = None) -> Call:
    return Call(
        CallId("c"),
        DeviceId("d"),
        state,
        Direction.INBOUND,
        Party("1"),
        T0,
        remote_state=remote_state,
    )


def test_party_labels(english) -> None:
    assert party_label(Party("+33123456789", "ACME")) == "ACME (+33123456789)"
    assert party_label(Party("0123456789")) == "Unknown (0123456789)"
    assert party_label(Party(None, "Jean")) == "Jean (Withheld number)"


def test_party_labels_in_french() -> None:
    set_language("fr")
    try:
        assert party_label(Party("0123456789")) == "Inconnu (0123456789)"
        assert "masqué" in party_label(Party(None)).lower()
    finally:
        set_language("en")


@pytest.mark.parametrize(
    ("state", "remote", "word"),
    [
        (ConnectionState.ALERTING, None, "Ringing"),
        (ConnectionState.CONNECTED, ConnectionState.ALERTING, "Ringback"),
        (ConnectionState.CONNECTED, ConnectionState.HOLD, "Held by caller"),
        (ConnectionState.CONNECTED, ConnectionState.CONNECTED, "Talking"),
        (ConnectionState.HOLD, None, "On hold"),
        (ConnectionState.FAIL, None, "Failed"),
    ],
)
def test_call_state_words(english, state, remote, word) -> None:
    assert call_state_word(make_call(state, remote)) == word


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "0:00"), (59.9, "0:59"), (61, "1:01"), (3725, "1:02:05"), (-3, "0:00")],
)
def test_duration(seconds, text) -> None:
    assert duration(seconds) == text


def test_errors_read_as_sentences(english) -> None:
    assert describe_error(AlreadyTaken("")) == "Another operator took this call first"
    assert describe_error(InvalidDestination("12ab")) == "Invalid destination: 12ab"
    assert describe_error(NotSupported("park")).startswith("Not available with this connection")


def test_desktop_notification_sequences() -> None:
    assert desktop_notification("Call", "ACME", {"TERM": "dumb"}) == ""
    vte = desktop_notification("Call", "ACME", {"VTE_VERSION": "7000"})
    assert vte == "\x1b]777;notify;Call;ACME\x1b\\"
    iterm = desktop_notification("Call", "A;B\x07", {"TERM_PROGRAM": "iTerm.app"})
    assert iterm == "\x1b]9;Call: A B\x1b\\"  # separators and controls cannot break out
    tmux = desktop_notification("Call", "A", {"VTE_VERSION": "1", "TMUX": "/tmp/x"})
    assert tmux.startswith("\x1bPtmux;\x1b\x1b]777") and tmux.endswith("\x1b\\")
