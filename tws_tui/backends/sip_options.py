"""The options of the ``sip`` backend, declared once (``[backend.sip]`` in a settings file).

Read by the settings layer to check ``[backend.sip]`` and by :mod:`tws_tui.backends.sip.
options` to parse them, so the two cannot disagree. Imports nothing heavy (no pyVoIP): the
settings layer reads it without importing the softphone. Texts with a shape (a host name, a
user name's characters, an address, a port range) carry a pattern; what a rule cannot say (an
IPv4 address's numbers, a port range's bounds, codec names) is checked by
:mod:`tws_tui.backends.sip.options` when the backend starts. Programmatic options
(``password``, ``audio``, ``sip_t1``, ``register``) are not declared here.

``transport``: ``udp``, ``tcp`` or ``tls`` (RFC 3261 §18: the dialog layer's own endpoint,
not pyVoIP's, which is UDP only); ``ca_bundle`` names the CAs trusted for the TLS server.

``voicemail_keys``: over SIP the phone system lists no voicemail message; they are listened
to by calling the voicemail (``general.voicemail_number``, Alt+V's number) and the Voicemail
view's keys send its menu's digits (RFC 4733). The defaults are Asterisk's ``VoiceMailMain``
(app_voicemail), which FreePBX's voicemail (*97, *98) is: ``1`` in the main menu reads the
messages; while one plays, ``0`` pauses and resumes it (``listen_control_pause_key``, default
``DEFAULT_LISTEN_CONTROL_PAUSE_KEY "0"`` in ``apps/app_voicemail.c`` and
``configs/samples/voicemail.conf.sample``); the message menu's ``5`` repeats the current
message, ``6`` plays the next one and ``7`` deletes it (``vm_instructions_en`` in
``apps/app_voicemail.c``: "vm-repeat", "vm-next", "vm-delete"; the listen stop keys
``13456789`` end the playing and hand the digit to that menu, so they work while it plays).
"""

from __future__ import annotations

from tws_tui.core.options import Kind, Option, Rule
from tws_tui.platform.i18n import N_

#: The SIP transports (RFC 3261 §18).
TRANSPORTS = ("udp", "tcp", "tls")
#: The shapes of texts (English msgids, translated when shown).
HOST = N_('a host name or IP address, such as "pbx.example.com"')
USER = N_("a SIP user name, without spaces, '@' or ':'")
IPV4 = N_('an IPv4 address, such as "192.0.2.10"')
PORT_RANGE = N_('a port range, such as "30000-30100"')
NO_DOUBLE_QUOTE = N_("text without double quotes")
FEATURE_CODE = N_('digits, * and #, such as "*8"')
_USER_CHARS = r"[A-Za-z0-9\-_.!~*'()&=+$,;?/%#]*"
#: How a colleague's ringing call is picked up (see ``pickup`` below).
PICKUP_WAYS = ("auto", "replaces", "code")
#: What the Voicemail view's keys send to the voicemail menu by default: Asterisk's and
#: FreePBX's VoiceMailMain (sources in the module's docstring).
VOICEMAIL_KEYS = "play=1,pause=0,skip=6,replay=5,delete=7"
#: The names of the voicemail menu's actions, in ``voicemail_keys``.
VOICEMAIL_ACTIONS = ("play", "pause", "skip", "replay", "delete")
VOICEMAIL_MAP = N_('a map such as "play=1,pause=0,skip=6,replay=5,delete=7"')
#: What refusing a ringing call answers: 486 Busy Here or 603 Decline.
REJECT_CODES = (486, 603)

OPTIONS: tuple[Option, ...] = (
    Option(
        "server",
        "",
        Rule(Kind.TEXT, pattern=r"\s*(?!sips?:)[^\s/@;<>]*\s*", what=HOST),
        N_("the SIP server (registrar/proxy)"),
    ),
    Option(
        "port",
        0,
        Rule(Kind.INT, low=0, high=65535),
        N_("the SIP server's port; 0 looks it up in DNS (NAPTR, SRV), else 5060 or 5061 for tls"),
    ),
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
        Rule(Kind.TEXT, choices=TRANSPORTS),
        N_("the SIP transport: udp, tcp or tls (the server's certificate checked)"),
    ),
    Option(
        "ca_bundle",
        "",
        Rule(Kind.TEXT),
        N_("a PEM file of the CAs trusted for the SIP server's TLS certificate; '' the system's"),
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
        "pickup",
        "auto",
        Rule(Kind.TEXT, choices=PICKUP_WAYS),
        N_(
            "how a colleague's ringing call is picked up: 'replaces' (INVITE with Replaces,"
            " from the blf colleague's dialog), 'code' (pickup_code), 'auto' (replaces when"
            " the phone system names the ringing call, else the code)"
        ),
    ),
    Option(
        "park_slots",
        "",
        Rule(Kind.WORDS),
        N_(
            "the phone system's parking spaces, e.g. '701-710' (a call is parked by a transfer"
            " to one); '' is no parking"
        ),
    ),
    Option(
        "park_retrieve_code",
        "",
        Rule(Kind.TEXT, pattern=r" *[0-9*#]{0,8} *", what=FEATURE_CODE),
        N_("dialled before a parking space to take its call back; '' dials the space itself"),
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
        "voicemail_keys",
        VOICEMAIL_KEYS,
        Rule(
            Kind.TEXT,
            pattern=r" *((play|pause|skip|replay|delete) *= *[0-9*#]{1,4} *(, *)?)* *",
            what=VOICEMAIL_MAP,
        ),
        N_(
            "the digits the voicemail menu takes: play, pause, skip, replay, delete (Asterisk"
            " and FreePBX by default); an action left out keeps its default"
        ),
    ),
    Option(
        "trusted_hosts",
        "",
        Rule(Kind.WORDS),
        N_("who else may call this phone directly; '' is the server only, '*' anyone"),
    ),
)
