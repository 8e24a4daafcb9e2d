"""The one door to pyVoIP 1.6.8: import order, version pin, and its debug output to logging.

Every module of this package imports pyVoIP's names from here, never from ``pyVoIP``
directly, because importing pyVoIP is fragile (study defect #12):

* ``import pyVoIP.SIP`` (or ``from pyVoIP import SIP``) as the first pyVoIP import is a
  circular-import error: ``SIP`` imports ``pyVoIP.VoIP.status``, whose package imports
  ``VoIP.VoIP``, which needs ``SIP.SIPMessage`` before it exists. Importing ``pyVoIP.VoIP``
  first lets the cycle resolve. (Before this module, ``ua._phrase`` imported ``pyVoIP.SIP``
  first, failed, and fell back to the phrase "Unknown" on the first response it built.)
* ``pyVoIP.debug`` ``print()``s to stdout when it is given a second argument, even with
  ``DEBUG`` off, which would corrupt the terminal. ``SIP``, ``RTP`` and ``VoIP`` each bound
  their own ``debug = pyVoIP.debug`` at import time, so all four names are re-pointed to a
  function that logs to ``logging`` (logger ``pyVoIP``, level DEBUG).
* ``RTP`` imports ``audioop``, deprecated in Python 3.11/3.12 (``audioop-lts`` on 3.13+).

The layer above subclasses pyVoIP internals (``SIPMessage.parse_header``/``parse_body`` dict
shapes, ``RTPMessage.parse``), so the version is checked: anything but 1.6.8 is refused at
import with a message saying so, rather than parsing SIP subtly wrong.
"""

from __future__ import annotations

import logging
import warnings

from tws_tui.platform.extras import install_hint
from tws_tui.platform.i18n import _

PINNED = "1.6.8"

try:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # audioop, imported by pyVoIP.RTP
        import pyVoIP
        import pyVoIP.VoIP  # first: it resolves pyVoIP's SIP <-> VoIP import cycle (defect #12)
        from pyVoIP import RTP, SIP
        from pyVoIP.VoIP import VoIP as _voip_module
except ModuleNotFoundError as missing:  # pragma: no cover - the "sip" extra installs them
    raise ImportError(
        _(
            "the sip backend needs pyVoIP=={version} ({missing}), and audioop-lts on Python"
            " 3.13 or later; {hint}"
        ).format(version=PINNED, missing=missing, hint=install_hint("sip"))
    ) from missing

if pyVoIP.__version__ != PINNED:  # pragma: no cover - the extra pins it exactly
    raise ImportError(
        f"the sip backend needs pyVoIP=={PINNED} exactly (found {pyVoIP.__version__}): "
        "its dialog layer patches pyVoIP internals"
    )

_log = logging.getLogger("pyVoIP")


def _debug(message: object, error: object = None) -> None:
    """pyVoIP's ``debug(s, e=None)``, to logging instead of stdout."""
    if _log.isEnabledFor(logging.DEBUG):
        _log.debug("%s", error if error is not None else message)


pyVoIP.DEBUG = False
for _module in (pyVoIP, SIP, RTP, _voip_module):
    _module.debug = _debug  # type: ignore[attr-defined]

SIPMessage = SIP.SIPMessage
SIPMessageType = SIP.SIPMessageType
SIPParseError = SIP.SIPParseError
SIPStatus = SIP.SIPStatus
RTPMessage = RTP.RTPMessage
RTPParseError = RTP.RTPParseError
RTPProtocol = RTP.RTPProtocol
PayloadType = RTP.PayloadType
TransmitType = RTP.TransmitType

#: Every status code pyVoIP's SIPStatus knows.
KNOWN_STATUS = frozenset(int(status) for status in SIPStatus)


def status_of(code: int) -> SIP.SIPStatus:
    """pyVoIP's ``SIPStatus`` for ``code``; an unknown code counts as its class's x00
    (RFC 3261 §8.1.3.2), where pyVoIP raised ``ValueError`` and dropped the response."""
    return SIPStatus(code if code in KNOWN_STATUS else code // 100 * 100)


def phrase(code: int) -> str:
    """The reason phrase for a status code we send (pyVoIP's table)."""
    return status_of(code).phrase if 100 <= code <= 699 else "Unknown"


__all__ = [
    "KNOWN_STATUS",
    "PINNED",
    "PayloadType",
    "RTPMessage",
    "RTPParseError",
    "RTPProtocol",
    "SIPMessage",
    "SIPMessageType",
    "SIPParseError",
    "SIPStatus",
    "TransmitType",
    "phrase",
    "status_of",
]
