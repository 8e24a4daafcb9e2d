"""Backend and simulator errors speak the UI's language: English msgids, translated at display.

The simulator and the SIP backend raise errors whose ``str()`` is English; ``describe_error``
shows them in the language of the UI (French when it is French, English with no French word
when it is English). The CTI client rebuilds a server's error from the problem document's
``msgid`` and ``params``, so it translates the same way.
"""

from __future__ import annotations

import asyncio
import errno
import re
import socket
import ssl
from collections.abc import Awaitable, Callable

import httpx
import pytest
from cti_fixtures import make_backend
from helpers import build_console

from tws_tui.backends.cti.failures import connection_failure, link_reason
from tws_tui.backends.sim import SimBackend
from tws_tui.backends.sip import SipBackend
from tws_tui.console.widgets.status_bar import StatusBar
from tws_tui.core.errors import BackendUnavailable, CallControlError, NotFound, NotSupported
from tws_tui.core.events import LinkEvent, LinkStatus
from tws_tui.core.model import CallId, Capability, LotId
from tws_tui.domain.format import describe_error, error_text, failure_reason
from tws_tui.platform.i18n import _, language, set_language
from tws_tui.wire.problems import error_from_problem, problem

#: Words and marks that only a French sentence has here.
FRENCH = re.compile(r"[éèêàçù«»]|\b(le|la|les|du|des|est|appel|inconnu|téléphone|poste)\b", re.I)
SIP_OPTIONS = {"server": "127.0.0.1", "username": "1001", "password": "pw"}


async def _raised(action: Callable[[], Awaitable[object]]) -> CallControlError:
    with pytest.raises(CallControlError) as caught:
        await action()
    return caught.value


async def _sim_unknown_call() -> CallControlError:
    backend = SimBackend({"traffic": False})
    return await _raised(lambda: backend.hold(CallId("c-missing")))


async def _sim_without_hold() -> CallControlError:
    others = [c for c in Capability if c is not Capability.HOLD]
    backend = SimBackend({"traffic": False, "capabilities": others})
    return await _raised(lambda: backend.hold(CallId("c-1")))


async def _sip_bad_digits() -> CallControlError:
    return await _raised(lambda: SipBackend(SIP_OPTIONS).send_dtmf(CallId("c-1"), "12x"))


async def _sip_park() -> CallControlError:
    return await _raised(lambda: SipBackend(SIP_OPTIONS).park(CallId("c-1"), LotId("l-1")))


CASES = [
    (
        _sim_unknown_call,
        "Not found: the call may have ended: Unknown or ended call: c-missing",
        "Introuvable : l'appel est peut-être terminé : Appel inconnu ou terminé : c-missing",
    ),
    (
        _sim_without_hold,
        "Not available with this connection: This phone system does not offer call hold",
        "Indisponible avec cette connexion : Le système téléphonique n’offre pas"
        " la mise en attente",
    ),
    (
        _sip_bad_digits,
        "Invalid destination: Invalid DTMF digits: '12x' (0-9, *, #, A-D)",
        "Destination invalide : Touches DTMF invalides : '12x' (0-9, *, #, A-D)",
    ),
    (
        _sip_park,
        "Not available with this connection: This phone system does not offer parking calls",
        "Indisponible avec cette connexion : Le système téléphonique n’offre pas"
        " le parcage des appels",
    ),
]


@pytest.mark.parametrize(("raise_it", "english", "french"), CASES)
async def test_an_error_shows_in_the_language_of_the_ui(
    raise_it: Callable[[], Awaitable[CallControlError]], english: str, french: str
) -> None:
    error = await raise_it()
    set_language("en")
    shown = describe_error(error)
    assert shown == english
    assert FRENCH.search(shown) is None, shown
    set_language("fr")
    assert describe_error(error) == french
    assert english.endswith(": " + str(error))  # the error itself stays English (logs)


def test_a_problem_document_carries_the_msgid_and_the_client_translates_it() -> None:
    error = NotFound("Unknown or ended call: {call_id}", call_id="c-9")
    document = problem(error)
    assert document["detail"] == "Unknown or ended call: c-9"
    assert document["msgid"] == "Unknown or ended call: {call_id}"
    assert document["params"] == {"call_id": "c-9"}
    again = error_from_problem(404, document)
    assert isinstance(again, NotFound) and str(again) == "Unknown or ended call: c-9"
    set_language("fr")
    assert again.translated(_) == "Appel inconnu ou terminé : c-9"


def test_a_problem_document_without_msgid_keeps_its_detail() -> None:
    again = error_from_problem(501, {"code": "not_supported", "detail": "No such thing"})
    assert isinstance(again, NotSupported) and str(again) == "No such thing"
    assert again.msgid == "No such thing"


#: A backend refusing its options, as the sign-in screen and the link status show it.
REFUSED_OPTIONS = [
    (
        "sip",
        {"server": "pbx example", "username": "201"},
        "sip backend: option 'server' must be a host name or IP address, such as"
        " \"pbx.example.com\" (the SIP server (registrar/proxy)), got 'pbx example'",
        "connecteur sip : l’option « server » doit être un nom d'hôte ou une adresse IP",
    ),
    (
        "sip",
        {**SIP_OPTIONS, "register_expires": 0},
        "sip backend: option 'register_expires' must be an integer from 1 to 86400"
        " (the registration lifetime in seconds), got 0",
        "connecteur sip : l’option « register_expires » doit être un nombre entier de 1 à 86400"
        " (la durée d’un enregistrement, en secondes), reçu 0",
    ),
    (
        "cti",
        {"url": "ftp://cti", "username": "alice", "password": "pw"},
        "cti backend: option 'url' must be an address starting with http:// or https://",
        "connecteur cti : l’option « url » doit être une adresse commençant par http://",
    ),
    (
        "nowhere",
        {},
        "Unknown backend 'nowhere'; available backends:",
        "Connecteur inconnu « nowhere » ; connecteurs disponibles :",
    ),
]


@pytest.mark.parametrize(("name", "options", "english", "french"), REFUSED_OPTIONS)
def test_refused_backend_options_speak_the_ui_language(
    name: str, options: dict[str, object], english: str, french: str
) -> None:
    from tws_tui import backends
    from tws_tui.domain.format import error_text

    with pytest.raises(backends.BackendConfigError) as caught:
        backends.load(name, options)
    before = language()
    try:
        set_language("en")
        shown = error_text(caught.value)
        assert shown.startswith(english), shown
        assert not FRENCH.search(shown), shown
        set_language("fr")
        shown = error_text(caught.value)
        assert shown.startswith(french), shown
        assert "must be" not in shown and "backend" not in shown, shown
    finally:
        set_language(before)


# --- a connection that fails: the system's kind of failure, in words ----------------------


def _wrapped(cause: BaseException, message: str = "All connection attempts failed") -> Exception:
    """An httpx error over the system's, as httpx raises them (httpcore in between)."""
    inner = OSError(message)
    inner.__cause__ = cause
    outer = httpx.ConnectError(message)
    outer.__cause__ = inner
    return outer


@pytest.mark.parametrize(
    ("cause", "english", "french"),
    [
        (
            ConnectionRefusedError(111, "Connect call failed"),
            "connection refused",
            "connexion refusée",
        ),
        (
            socket.gaierror(-2, "Name or service not known"),
            "unknown server name",
            "nom de serveur inconnu",
        ),
        (
            ssl.SSLCertVerificationError("certificate verify failed"),
            "the server's certificate is not trusted",
            "le certificat du serveur n’est pas reconnu",
        ),
        (
            OSError(errno.ENETUNREACH, "Network is unreachable"),
            "network unreachable",
            "réseau inaccessible",
        ),
        (ConnectionResetError(104, "reset"), "the connection was cut", "la connexion a été coupée"),
    ],
)
def test_a_network_failure_is_named_by_its_kind(
    cause: BaseException, english: str, french: str
) -> None:
    error = _wrapped(cause)
    assert connection_failure(error) == english
    assert error_text(cause) == english  # the console's own (an OSError reaching the pump)
    set_language("fr")
    assert _(link_reason(error)) == french
    assert error_text(cause) == french


def test_httpx_own_kinds_and_the_rest() -> None:
    assert connection_failure(httpx.ConnectTimeout("timed out")) == "no answer in time"
    assert connection_failure(httpx.UnsupportedProtocol("ftp://")) == "not an http(s) address"
    assert connection_failure(httpx.ConnectError("odd")) == "the connection failed"
    assert failure_reason(ValueError("odd")) is None
    assert error_text(ValueError("odd")) == "odd"


async def test_an_unreachable_cti_server_is_said_in_the_users_words() -> None:
    """Sign-in to a port nobody listens on: httpx says "All connection attempts failed"; the
    operator reads "connection refused", in their language."""
    backend = make_backend("http://127.0.0.1:9")  # the discard port: nothing listens
    with pytest.raises(BackendUnavailable) as caught:
        await asyncio.wait_for(backend.connect(), 10)
    await backend.close()
    error = caught.value
    assert error_text(error) == "Cannot reach the CTI server http://127.0.0.1:9: connection refused"
    set_language("fr")
    assert error_text(error) == (
        "Impossible de joindre le serveur CTI http://127.0.0.1:9 : connexion refusée"
    )
    assert "attempts" not in error_text(error)


async def test_the_status_bar_says_why_the_link_is_down_in_the_users_language() -> None:
    set_language("fr")
    console = build_console()
    async with console.app.run_test(size=(120, 30)) as pilot:
        for _round in range(3):
            await pilot.pause()
        reason = link_reason(_wrapped(ConnectionRefusedError(111, "refused")))
        event = LinkEvent(at=console.clock.now(), status=LinkStatus.RECONNECTING, detail=reason)
        console.app.topics_changed(console.app.state.apply(event))
        await pilot.pause()
        shown = console.app.screen.query_one(StatusBar).render().plain
        assert "(connexion refusée)" in shown
        assert "refused" not in shown
