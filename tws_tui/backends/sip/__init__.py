"""The ``sip`` backend package: this terminal is a SIP softphone (pyVoIP 1.6.8 + our layer).

Imported only when the ``sip`` backend is chosen (never at console start-up). Modules, each
owning one thing: :mod:`.message` (wire format), :mod:`.digest` (auth), :mod:`.sdp`,
:mod:`.transactions` (UDP timers), :mod:`.ua` (registration, dialogs, calls, MESSAGE),
:mod:`.codec` / :mod:`.jitter` / :mod:`.media` (RTP and the 20 ms clock), :mod:`.audio`
(``AudioBackend``: null, WAV, sound device), :mod:`.options` (config checks) and
:mod:`.backend` (``SipBackend``, the ``CallControl`` the app uses).
"""

from tws_tui.backends.sip.backend import SIP_CAPABILITIES, SipBackend

__all__ = ["SIP_CAPABILITIES", "SipBackend"]
