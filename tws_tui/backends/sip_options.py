"""The options of the ``sip`` backend, declared once (``[backend.sip]`` in a settings file).

Read by the settings layer to check ``[backend.sip]`` and by :mod:`tws_tui.backends.sip.
options` to parse them, so the two cannot disagree. Imports nothing heavy (no pyVoIP): the
settings layer reads it without importing the softphone. Texts with a shape (a host name, a
user name's characters, an address, a port range) carry a pattern; what a rule cannot say (an
IPv4 address's numbers, a port range's bounds, codec names) is checked by
:mod:`tws_tui.backends.sip.options` when the backend starts. Programmatic options
(``password``, ``audio``, ``sip_t1``, ``register``) are not declared here.

``transport``: pyVoIP 1.6.8 and the dialog layer built on it speak SIP over UDP only
(``research/pyvoip-study.md``: "Transports: UDP only"; defect #12, no TCP/TLS), so ``tcp``
and ``tls`` are refused here, with the reason, rather than accepted and refused at start-up.
"""

from __future__ import annotations

from tws_tui.core.options import Kind, Option, Rule
from tws_tui.platform.i18n import N_

#: Why ``transport`` accepts ``udp`` only (an English msgid, translated when shown).
UDP_ONLY = N_("the SIP softphone speaks SIP over UDP only; tcp and tls are not supported")
#: The shapes of texts (English msgids, translated when shown).
HOST = N_('a host name or IP address, such as "pbx.example.com"')
USER = N_("a SIP user name, without spaces, '@' or ':'")
IPV4 = N_('an IPv4 address, such as "192.0.2.10"')
PORT_RANGE = N_('a port range, such as "30000-30100"')
NO_DOUBLE_QUOTE = N_("text without double quotes")
FEATURE_CODE = N_('digits, * and #, such as "*8"')
_USER_CHARS = r"[A-Za-z0-9\-_.!~*'()&=+$,;?/%#]*"
#: What refusing a ringing call answers: 486 Busy Here or 603 Decline.
REJECT_CODES = (486, 603)

OPTIONS: tuple[Option, ...] = (
    Option(
        "server",
        "",
        Rule(Kind.TEXT, pattern=r"\s*(?!sips?:)[^\s/@;<>]*\s*", what=HOST),
        N_("the SIP server (registrar/proxy)"),
    ),
    Option("port", 5060, Rule(Kind.INT, low=1, high=65535), N_("the SIP server's port")),
    Option(
        "username",
        "",
        Rule(Kind.TEXT, pattern=_USER_CHARS, what=USER),
        N_("the SIP user name (the extension)"),
    ),
    Option(
        "display_name",
        "",
        Rule(Kind.TEXT, pattern='[^"]*', what=NO_DOUBLE_QUOTE),
        N_("the name shown to the people called"),
    ),
    Option(
        "transport",
        "udp",
        Rule(Kind.TEXT, choices=("udp",), why=UDP_ONLY),
        N_("the SIP transport"),
    ),
    Option(
        "auth_user",
        "",
        Rule(Kind.TEXT, pattern=_USER_CHARS, what=USER),
        N_("the authentication user; '' is username"),
    ),
    Option(
        "local_ip",
        "",
        Rule(Kind.TEXT, pattern=r"([0-9]{1,3}\.){3}[0-9]{1,3}|", what=IPV4),
        N_("this softphone's address; '' finds it"),
    ),
    Option(
        "local_port", 0, Rule(Kind.INT, low=0, high=65535), N_("the local SIP port; 0 is any port")
    ),
    Option(
        "rtp_ports",
        "",
        Rule(Kind.TEXT, pattern=r" *[0-9]+ *- *[0-9]+ *|", what=PORT_RANGE),
        N_("the RTP ports; '' is any"),
    ),
    Option("codecs", "PCMU,PCMA", Rule(Kind.WORDS), N_("the codecs offered, PCMU and/or PCMA")),
    Option(
        "audio_device", "", Rule(Kind.TEXT), N_("'', 'auto', 'default', a device or 'wav:FILE'")
    ),
    Option(
        "register_expires",
        600,
        Rule(Kind.INT, low=1, high=86400),
        N_("the registration lifetime in seconds"),
    ),
    Option(
        "keepalive",
        8,
        Rule(Kind.INT, low=0, high=3600),
        N_("seconds between checks that the server still reaches this phone; 0 never"),
    ),
    Option(
        "reject_code",
        486,
        Rule(Kind.INT, choices=REJECT_CODES),
        N_("what refusing a ringing call answers: 486 busy or 603 decline"),
    ),
    Option("recordings_dir", "", Rule(Kind.TEXT), N_("the folder of call recordings")),
    Option(
        "blf",
        "",
        Rule(Kind.WORDS),
        N_("colleagues' extensions whose line is shown (BLF), e.g. '201,202'"),
    ),
    Option(
        "pickup_code",
        "",
        Rule(Kind.TEXT, pattern=r" *[0-9*#]{0,8} *", what=FEATURE_CODE),
        N_("the phone system's directed pickup code, e.g. '*8'; '' is none"),
    ),
    Option(
        "presence",
        False,
        Rule(Kind.BOOL),
        N_("watch the blf colleagues' presence and publish mine (PIDF)"),
    ),
    Option(
        "mwi",
        "",
        Rule(Kind.TEXT, pattern=_USER_CHARS, what=USER),
        N_("the mailbox to SUBSCRIBE to for message waiting (RFC 3842); '' is none"),
    ),
    Option(
        "trusted_hosts",
        "",
        Rule(Kind.WORDS),
        N_("who else may call this phone directly; '' is the server only, '*' anyone"),
    ),
)
