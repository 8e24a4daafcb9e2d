"""My voicemail's settings on the server (TWS-6.9, Selfcare §6.2): ``/v1/me/voicemail/…``.

Owns the endpoints of the greetings (up to five, one active: uploaded as a WAV, base64 in JSON,
checked whole by :func:`tws_tui.simulator.voicemail_settings.check_greeting` — not a WAV, cut
short, too short, too long or too large is a 400 that says so; served back as ``audio/wav``),
the PIN (4 to 8 digits, the current one required; kept salted and hashed, never in clear; 0000
until changed) and the copy of each message by e-mail. Everything is kept per user in the
server's SQLite store (migration 7), so it survives a restart; each change is sent to every
console of the user as a ``voicemail_settings.updated`` event.
"""

from __future__ import annotations

import base64
import binascii
import secrets

from tws_tui.core.events import VoicemailSettingsEvent
from tws_tui.core.model import MAX_GREETINGS, VoicemailGreeting, VoicemailSettings
from tws_tui.server.http import Ctx, Operation
from tws_tui.simulator.voicemail_settings import (
    DEFAULT_PIN,
    MAX_GREETING_BYTES,
    check_email,
    check_greeting,
    check_name,
    check_new_pin,
    greeting_gone,
    hash_pin,
    pin_matches,
    too_many_greetings,
    wrong_pin,
)
from tws_tui.wire import bodies, routes
from tws_tui.wire.codec import WireError

PREFIX = "gr-"


def _settings_row(ctx: Ctx) -> tuple[str, str, bool, bool, str]:
    """The user's row, made with the default PIN on first use."""
    store, username = ctx.state.store, ctx.me.username
    row = store.voicemail_settings(username)
    if row is None:
        salt = secrets.token_hex(16)
        store.save_pin(username, salt, hash_pin(DEFAULT_PIN, bytes.fromhex(salt)), True)
        row = store.voicemail_settings(username)
        assert row is not None
    return row


def _current(ctx: Ctx) -> VoicemailSettings:
    _salt, _hash, pin_default, email_copy, email = _settings_row(ctx)
    greetings = tuple(
        VoicemailGreeting(f"{PREFIX}{seq}", name, seconds, active)
        for seq, name, seconds, active in ctx.state.store.greetings(ctx.me.username)
    )
    return VoicemailSettings(greetings, pin_default, email_copy, email)


def _changed(ctx: Ctx) -> None:
    settings = _current(ctx)
    now = ctx.state.pbx.clock.now()
    ctx.state.hub.publish(ctx.me.username, VoicemailSettingsEvent(at=now, settings=settings))


def _seq(greeting_id: str) -> int:
    digits = greeting_id.removeprefix(PREFIX)
    if not greeting_id.startswith(PREFIX) or not digits.isascii() or not digits.isdigit():
        raise greeting_gone(greeting_id)
    return int(digits)


async def voicemail_settings(ctx: Ctx) -> VoicemailSettings:
    return _current(ctx)


async def add_greeting(ctx: Ctx) -> VoicemailGreeting:
    body: bodies.GreetingBody = ctx.body
    name = check_name(body.name)
    try:
        audio = base64.b64decode(body.audio, validate=True)
    except (binascii.Error, ValueError):
        raise WireError("/audio", "not base64") from None
    if len(ctx.state.store.greetings(ctx.me.username)) >= MAX_GREETINGS:
        raise too_many_greetings()
    seconds = check_greeting(audio)
    seq = ctx.state.store.add_greeting(ctx.me.username, name, seconds, audio)
    _changed(ctx)
    found = [g for g in _current(ctx).greetings if g.id == f"{PREFIX}{seq}"]
    return found[0]


async def activate_greeting(ctx: Ctx) -> None:
    greeting_id = ctx.params["greeting_id"]
    if not ctx.state.store.activate_greeting(ctx.me.username, _seq(greeting_id)):
        raise greeting_gone(greeting_id)
    _changed(ctx)


async def delete_greeting(ctx: Ctx) -> None:
    greeting_id = ctx.params["greeting_id"]
    if not ctx.state.store.delete_greeting(ctx.me.username, _seq(greeting_id)):
        raise greeting_gone(greeting_id)
    _changed(ctx)


async def greeting_audio(ctx: Ctx) -> bytes:
    greeting_id = ctx.params["greeting_id"]
    audio = ctx.state.store.greeting_audio(ctx.me.username, _seq(greeting_id))
    if audio is None:
        raise greeting_gone(greeting_id)
    return audio


async def change_pin(ctx: Ctx) -> None:
    body: bodies.PinBody = ctx.body
    salt, hashed, _default, _copy, _email = _settings_row(ctx)
    if not pin_matches(body.old, bytes.fromhex(salt), hashed):
        raise wrong_pin()
    new = check_new_pin(body.new)
    fresh = secrets.token_hex(16)
    ctx.state.store.save_pin(
        ctx.me.username, fresh, hash_pin(new, bytes.fromhex(fresh)), new == DEFAULT_PIN
    )
    _changed(ctx)


async def set_email_copy(ctx: Ctx) -> None:
    body: bodies.EmailCopyBody = ctx.body
    address = check_email(body.enabled, body.address)
    _settings_row(ctx)
    ctx.state.store.save_email_copy(ctx.me.username, body.enabled, address)
    _changed(ctx)


TAG = "Voicemail settings"
#: A greeting's JSON body: the WAV's largest size, base64 (4/3), and room for the name.
GREETING_BODY_LIMIT = MAX_GREETING_BYTES * 4 // 3 + 4096
OPERATIONS: tuple[Operation, ...] = (
    Operation(routes.VOICEMAIL_SETTINGS, voicemail_settings,
              "My voicemail's greetings, whether the PIN is still 0000, the e-mail copy", TAG,
              response=VoicemailSettings),
    Operation(routes.ADD_GREETING, add_greeting,
              "Add a greeting: a WAV (base64), 2 s to 2 min, at most 5 (the first is active)",
              TAG, response=VoicemailGreeting, status=201, command=True,
              body_limit=GREETING_BODY_LIMIT),
    Operation(routes.ACTIVATE_GREETING, activate_greeting,
              "Callers now hear this greeting", TAG, command=True),
    Operation(routes.DELETE_GREETING, delete_greeting,
              "Delete a greeting (the oldest left becomes active)", TAG, command=True),
    Operation(routes.GREETING_AUDIO, greeting_audio, "A greeting's recording (WAV)", TAG,
              response=bytes, media_type="audio/wav"),
    Operation(routes.VOICEMAIL_PIN, change_pin,
              "Change my voicemail PIN (4 to 8 digits; the current one required)", TAG,
              command=True),
    Operation(routes.VOICEMAIL_EMAIL, set_email_copy,
              "Each message copied by e-mail (on/off) to an address", TAG, command=True),
)  # fmt: skip
