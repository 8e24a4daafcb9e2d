"""Backend and simulator errors speak the UI's language: English msgids, translated at display.

The simulator and the SIP backend raise errors whose ``str()`` is English; ``describe_error``
shows them in the language of the UI (French when it is French, English with no French word
when it is English). The CTI client rebuilds a server's error from the problem document's
``msgid`` and ``params``, so it translates the same way.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

import pytest

from tws_tui.backends.sim import SimBackend
from tws_tui.backends.sip import SipBackend
from tws_tui.core.errors import CallControlError, NotFound, NotSupported
from tws_tui.core.model import CallId, Capability, LotId
from tws_tui.domain.format import describe_error
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
