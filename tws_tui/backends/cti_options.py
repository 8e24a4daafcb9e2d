"""The options of the ``cti`` backend, declared once (``[backend.cti]`` in a settings file).

Read by the settings layer to check ``[backend.cti]`` and by :class:`~tws_tui.backends.cti.
backend.CtiBackend` to parse its options, so the two cannot disagree. Imports nothing heavy
(no httpx): the settings layer reads it without importing the client. Secrets (``password``,
``refresh_token``) come from the keyring, and ``capabilities`` is for tests: not declared.
"""

from __future__ import annotations

from tws_tui.core.options import Kind, Option, Rule
from tws_tui.platform.i18n import N_

OPTIONS: tuple[Option, ...] = (
    Option("url", "", Rule(Kind.TEXT, url=True), N_("the CTI server's address (https://...)")),
    Option("username", "", Rule(Kind.TEXT), N_("the operator's login on that server")),
    Option("verify_tls", True, Rule(Kind.BOOL), N_("check the server's TLS certificate")),
    Option(
        "allow_http",
        False,
        Rule(Kind.BOOL),
        N_("allow a plain http:// server that is not this machine (tokens in clear)"),
    ),
    Option(
        "ca_bundle",
        "",
        Rule(Kind.TEXT),
        N_("a CA file to check the certificate with; '' the system's"),
    ),
    Option("client_id", "tws-tui", Rule(Kind.TEXT, nonempty=True), N_("the OAuth client id")),
    Option(
        "request_timeout_s",
        5.0,
        Rule(Kind.NUMBER, low=0.01, high=600.0),
        N_("seconds to wait for an answer"),
    ),
    Option(
        "read_timeout_s",
        45.0,
        Rule(Kind.NUMBER, low=0.01, high=3600.0),
        N_("seconds without a byte after which the event stream is dead"),
    ),
    Option("retries", 2, Rule(Kind.INT, low=0, high=10), N_("retries of a failed request")),
    Option(
        "reconnect_min_s",
        0.5,
        Rule(Kind.NUMBER, low=0.01, high=600.0),
        N_("the first wait in seconds before reconnecting"),
    ),
    Option(
        "reconnect_max_s",
        30.0,
        Rule(Kind.NUMBER, low=0.01, high=3600.0),
        N_("the longest wait in seconds between reconnections"),
    ),
)
