"""Voicemail on the simulated switch: the messages callers leave, and their recordings.

Owns :class:`SwitchVoicemail`, every device's voicemail box on the switch: a call the voicemail
machine answers after it was forwarded or deflected from a phone (no answer, busy, always, the
operator's "to voicemail") leaves a message in that phone's box (the switch's
``voicemail_hooks``); messages are listed newest first, marked heard or new, deleted; each
change is told to the box's listeners. It also owns what a message sounds like: ``recording``
makes a short 8 kHz mono 16-bit WAV (a tone, then silence, each second) with the standard
``wave`` module, the same bytes for the same message id, and ``length_of`` its length in
seconds, also from the id; the reference server uses both for the messages it keeps.
"""

from __future__ import annotations

import array
import io
import itertools
import math
import wave
import zlib
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from tws_tui.core.errors import N_, NotFound
from tws_tui.core.model import DeviceId, Party, VoicemailMessage
from tws_tui.simulator.switch import Switch

#: The recordings' format: what a phone line carries (G.711's rate), 16-bit mono.
RATE = 8000
#: Shortest and longest simulated message, in seconds.
SHORTEST_S, LONGEST_S = 4, 45
#: The tones a message may use (Hz): each a whole number of samples per period at 8 kHz.
TONES = (320, 400, 500, 640)

Listener = Callable[[VoicemailMessage | None], None]


def length_of(message_id: str) -> int:
    """How long the message ``message_id`` is (seconds), the same for the same id."""
    return SHORTEST_S + zlib.crc32(message_id.encode()) % (LONGEST_S - SHORTEST_S + 1)


def recording(message_id: str, duration_s: int) -> bytes:
    """The WAV of a message: each second, a tone for half a second, then silence."""
    tone = TONES[zlib.crc32(message_id.encode()) % len(TONES)]
    half = RATE // 2
    second = array.array(
        "h", (int(6000 * math.sin(2 * math.pi * tone * i / RATE)) for i in range(half))
    )
    second.extend([0] * (RATE - half))
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(second.tobytes() * max(1, duration_s))
    return out.getvalue()


class SwitchVoicemail:
    """Every phone's voicemail box on the switch, fed by its voicemail machine."""

    def __init__(self, switch: Switch) -> None:
        self.switch = switch
        self._boxes: dict[str, list[VoicemailMessage]] = {}
        self._listeners: dict[str, list[Listener]] = {}
        self._ids = itertools.count(1)
        switch.voicemail_hooks.append(self._left)

    def close(self) -> None:
        if self._left in self.switch.voicemail_hooks:
            self.switch.voicemail_hooks.remove(self._left)

    def listen(self, device: DeviceId, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` on each change of ``device``'s box: with the message left, or
        ``None`` after a mark or a deletion."""
        self._listeners.setdefault(device, []).append(listener)
        return lambda: self._listeners.get(device, []).remove(listener)

    def _left(self, device: DeviceId, caller: Party, at: datetime) -> None:
        self.leave(device, caller, at)

    def leave(
        self,
        device: DeviceId,
        caller: Party,
        at: datetime | None = None,
        *,
        duration_s: int | None = None,
    ) -> VoicemailMessage:
        """A message left in ``device``'s box (by the voicemail machine, or a test)."""
        # From the switch's counter: the same seed and steps give the same ids and lengths.
        message_id = f"vm-{self.switch.id_run}{next(self._ids)}"
        message = VoicemailMessage(
            message_id,
            caller,
            at or self.switch.clock.now(),
            length_of(message_id) if duration_s is None else duration_s,
        )
        box = self._boxes.setdefault(device, [])
        box.append(message)
        box.sort(key=lambda m: m.at, reverse=True)
        self._tell(device, message)
        return message

    def leave_demo_messages(self, device: DeviceId) -> None:
        """The demo's box: three messages of the company's callers, earlier today."""
        callers = [c for c in self.switch.company.externals if c.number is not None][:3]
        now = self.switch.clock.now()
        for age_min, person in zip((12, 95, 260), callers, strict=False):
            party = Party(person.number, person.name)
            message = self.leave(device, party, now - timedelta(minutes=age_min))
            if age_min > 200:
                self.mark(device, message.id, heard=True)

    def messages(self, device: DeviceId) -> list[VoicemailMessage]:
        """Newest first."""
        return list(self._boxes.get(device, ()))

    def counts(self, device: DeviceId) -> tuple[int, int]:
        """``(new, total)`` of ``device``'s box."""
        box = self._boxes.get(device, ())
        return sum(1 for m in box if m.new), len(box)

    def _find(self, device: DeviceId, message_id: str) -> int:
        for index, message in enumerate(self._boxes.get(device, ())):
            if message.id == message_id:
                return index
        raise NotFound(N_("This voicemail message is gone: {message_id}"), message_id=message_id)

    def mark(self, device: DeviceId, message_id: str, *, heard: bool) -> None:
        index = self._find(device, message_id)
        box = self._boxes[device]
        if box[index].new == heard:
            box[index] = replace(box[index], new=not heard)
            self._tell(device, None)

    def delete(self, device: DeviceId, message_id: str) -> None:
        index = self._find(device, message_id)
        del self._boxes[device][index]
        self._tell(device, None)

    def audio(self, device: DeviceId, message_id: str) -> bytes:
        message = self._boxes[device][self._find(device, message_id)]
        return recording(message.id, message.duration_s)

    def _tell(self, device: DeviceId, message: VoicemailMessage | None) -> None:
        for listener in list(self._listeners.get(device, ())):
            listener(message)
