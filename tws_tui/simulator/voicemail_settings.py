"""My voicemail box's settings on the simulated switch (TWS-6.9, Selfcare §6.2), and the rules
every phone system of ours applies to them.

Owns the checks — shared with the reference server, which keeps the same settings in its
SQLite file — and :class:`SwitchVoicemailSettings`, each device's settings in memory:

* a greeting is a WAV file (``wave`` reads it whole: a file that is not one, is cut short, is
  empty, shorter than 2 seconds or longer than 2 minutes, or over 4 MB is refused in a
  sentence); at most five per box, one active (the first one added, then the one chosen);
* the PIN is 4 to 8 digits, 0000 until changed; changing it needs the current one;
* the copy of each message by e-mail: on or off, to one address (checked when on).

Every refusal is an :class:`~tws_tui.core.errors.InvalidValue` (or ``PermissionDenied`` for a
wrong current PIN, ``NotFound`` for a greeting gone) with an English msgid, translated where
shown. Each change is told to the device's listeners.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import itertools
import re
import wave
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from tws_tui.core.errors import N_, InvalidValue, NotFound, PermissionDenied
from tws_tui.core.model import MAX_GREETINGS, DeviceId, VoicemailGreeting, VoicemailSettings

#: A greeting's length, in seconds (TWS-6.8-5: over 2 s to be playable).
SHORTEST_GREETING_S, LONGEST_GREETING_S = 2.0, 120.0
#: A greeting file's size at most (two minutes of 16-bit stereo at 16 kHz fit).
MAX_GREETING_BYTES = 4 * 1024 * 1024
MAX_NAME_CHARS = 40
DEFAULT_PIN = "0000"
_PIN = re.compile(r"[0-9]{4,8}")
_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s.]+(\.[^@\s.]+)+")
MAX_EMAIL_CHARS = 254

Listener = Callable[[VoicemailSettings], None]


def check_greeting(data: bytes) -> float:
    """How long the WAV ``data`` lasts (seconds); ``InvalidValue`` saying why it is refused."""
    if len(data) > MAX_GREETING_BYTES:
        raise InvalidValue(
            N_("This greeting file is too large ({size} KB; at most {most} KB)."),
            size=len(data) // 1024,
            most=MAX_GREETING_BYTES // 1024,
        )
    try:
        with wave.open(io.BytesIO(data), "rb") as wav:
            rate, channels, width = wav.getframerate(), wav.getnchannels(), wav.getsampwidth()
            expected = wav.getnframes()
            frames = wav.readframes(expected)
    except (wave.Error, EOFError):
        raise InvalidValue(N_("This file is not a WAV recording.")) from None
    if width not in (1, 2) or channels not in (1, 2) or rate <= 0:
        raise InvalidValue(N_("This WAV is in a format a greeting cannot use (8 or 16-bit PCM)."))
    if not frames or len(frames) < expected * channels * width:
        raise InvalidValue(N_("This WAV file is cut short: it holds less than it says."))
    seconds = expected / rate
    if seconds < SHORTEST_GREETING_S:
        raise InvalidValue(
            N_("This greeting is too short ({seconds:.1f} s; at least {least:.0f} s)."),
            seconds=seconds,
            least=SHORTEST_GREETING_S,
        )
    if seconds > LONGEST_GREETING_S:
        raise InvalidValue(
            N_("This greeting is too long ({seconds:.0f} s; at most {most:.0f} s)."),
            seconds=seconds,
            most=LONGEST_GREETING_S,
        )
    return round(seconds, 1)


def check_name(name: str) -> str:
    """The greeting's name, trimmed; ``InvalidValue`` when empty or too long."""
    name = " ".join(name.split())
    if not name:
        raise InvalidValue(N_("A greeting needs a name."))
    if len(name) > MAX_NAME_CHARS:
        raise InvalidValue(
            N_("A greeting's name is at most {most} characters."), most=MAX_NAME_CHARS
        )
    return name


def check_new_pin(pin: str) -> str:
    """A new PIN: 4 to 8 digits (0-9 only); ``InvalidValue`` otherwise."""
    if not _PIN.fullmatch(pin):
        raise InvalidValue(N_("The PIN must be 4 to 8 digits (0-9), nothing else."))
    return pin


def check_email(enabled: bool, address: str) -> str:
    """The address the copies go to, trimmed; needed and checked when ``enabled``."""
    address = address.strip()
    if len(address) > MAX_EMAIL_CHARS:
        raise InvalidValue(N_("This e-mail address is too long."))
    if (enabled or address) and not _EMAIL.fullmatch(address):
        raise InvalidValue(
            N_("'{address}' is not an e-mail address (name@example.com)."), address=address
        )
    return address


def hash_pin(pin: str, salt: bytes) -> str:
    """What is kept of a PIN (never the PIN itself): a salted PBKDF2-SHA256, hex."""
    return hashlib.pbkdf2_hmac("sha256", pin.encode(), salt, 100_000).hex()


def pin_matches(pin: str, salt: bytes, kept: str) -> bool:
    return hmac.compare_digest(hash_pin(pin, salt), kept)


def wrong_pin() -> PermissionDenied:
    return PermissionDenied(N_("The current PIN is not right: the PIN was not changed."))


def too_many_greetings() -> InvalidValue:
    return InvalidValue(
        N_("A voicemail box keeps at most {most} greetings: delete one first."),
        most=MAX_GREETINGS,
    )


def greeting_gone(greeting_id: str) -> NotFound:
    return NotFound(N_("This greeting is gone: {greeting_id}"), greeting_id=greeting_id)


@dataclass
class _Box:
    greetings: list[VoicemailGreeting] = field(default_factory=list)
    audio: dict[str, bytes] = field(default_factory=dict)
    pin: str = DEFAULT_PIN
    email_copy: bool = False
    email: str = ""


class SwitchVoicemailSettings:
    """Every phone's voicemail settings on the simulated switch (in memory)."""

    def __init__(self, run: str = "") -> None:
        self._boxes: dict[str, _Box] = {}
        self._listeners: dict[str, list[Listener]] = {}
        self._ids = itertools.count(1)
        self._run = run

    def listen(self, device: DeviceId, listener: Listener) -> Callable[[], None]:
        self._listeners.setdefault(device, []).append(listener)
        return lambda: self._listeners.get(device, []).remove(listener)

    def _box(self, device: DeviceId) -> _Box:
        return self._boxes.setdefault(device, _Box())

    def settings(self, device: DeviceId) -> VoicemailSettings:
        box = self._box(device)
        return VoicemailSettings(
            tuple(box.greetings), box.pin == DEFAULT_PIN, box.email_copy, box.email
        )

    def add_greeting(self, device: DeviceId, name: str, wav: bytes) -> VoicemailGreeting:
        name = check_name(name)
        box = self._box(device)
        if len(box.greetings) >= MAX_GREETINGS:
            raise too_many_greetings()
        seconds = check_greeting(wav)
        greeting = VoicemailGreeting(
            f"gr-{self._run}{next(self._ids)}", name, seconds, active=not box.greetings
        )
        box.greetings.append(greeting)
        box.audio[greeting.id] = wav
        self._tell(device)
        return greeting

    def _index(self, box: _Box, greeting_id: str) -> int:
        for index, greeting in enumerate(box.greetings):
            if greeting.id == greeting_id:
                return index
        raise greeting_gone(greeting_id)

    def activate_greeting(self, device: DeviceId, greeting_id: str) -> None:
        box = self._box(device)
        self._index(box, greeting_id)
        box.greetings = [replace(g, active=g.id == greeting_id) for g in box.greetings]
        self._tell(device)

    def delete_greeting(self, device: DeviceId, greeting_id: str) -> None:
        box = self._box(device)
        gone = box.greetings.pop(self._index(box, greeting_id))
        box.audio.pop(greeting_id, None)
        if gone.active and box.greetings:  # callers hear the first one left
            box.greetings[0] = replace(box.greetings[0], active=True)
        self._tell(device)

    def greeting_audio(self, device: DeviceId, greeting_id: str) -> bytes:
        box = self._box(device)
        self._index(box, greeting_id)
        return box.audio[greeting_id]

    def change_pin(self, device: DeviceId, old: str, new: str) -> None:
        box = self._box(device)
        if not hmac.compare_digest(old.encode(), box.pin.encode()):
            raise wrong_pin()
        box.pin = check_new_pin(new)
        self._tell(device)

    def set_email_copy(self, device: DeviceId, enabled: bool, address: str) -> None:
        box = self._box(device)
        box.email = check_email(enabled, address)
        box.email_copy = enabled
        self._tell(device)

    def _tell(self, device: DeviceId) -> None:
        settings = self.settings(device)
        for listener in list(self._listeners.get(device, ())):
            listener(settings)
