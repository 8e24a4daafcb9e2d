"""The Audio page (TWS-6.7), opened from Preferences; Escape goes back.

For the softphone (``sip``, whose audio runs on this machine): the headset/loudspeaker, the
microphone and the ringer, each chosen among the devices PortAudio lists
(``platform/audio_devices.py``) or the system's default; a device set before and not listed now
is kept and marked. With no device listed at all (no ``sounddevice``, no PortAudio, a server
without a sound card) the page says so and keeps what is set. The ring, speaker and microphone
volumes (0 to 100 %, Enter saves) are checked with the ``[audio]`` rules — a wrong value is
refused in a sentence, the previous one kept — and handed to the backend at once
(``volumes.py``). On ``sim`` and ``cti`` the desk phone rings and carries the voice:
the page says so (the settings stay, for a softphone run).
"""

from __future__ import annotations

import logging
from dataclasses import fields
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Label, Select, Static

from tws_tui.console.bindings import bindings_for
from tws_tui.console.screens.audio.volumes import apply_volumes
from tws_tui.console.screens.base import ModeScreen
from tws_tui.core.options import check
from tws_tui.core.protocols import AudioVolumes
from tws_tui.core.topics import Topics
from tws_tui.platform.audio_devices import AudioDevice, list_devices
from tws_tui.platform.i18n import N_, _
from tws_tui.settings.schema import AudioSettings

log = logging.getLogger(__name__)

#: (setting, label, the devices that fit: input or output).
DEVICES = (
    ("output_device", N_("Headset / loudspeaker"), "output"),
    ("input_device", N_("Microphone"), "input"),
    ("ring_device", N_("Ringer"), "output"),
)
VOLUMES = (
    ("ring_volume", N_("Ring volume (%)")),
    ("speaker_volume", N_("Speaker volume (%)")),
    ("microphone_volume", N_("Microphone volume (%)")),
)


def volume_problem(text: str) -> tuple[int | None, str]:
    """(the volume, "") or (None, what is wrong), by the ``[audio]`` rule."""
    rule = next(f for f in fields(AudioSettings) if f.name == "ring_volume").metadata["rule"]
    value, fault = check(rule, text.strip(), from_text=True)
    if fault is not None:
        return None, _("{text!r} is not a volume: a whole number from 0 to 100.").format(text=text)
    return int(value), ""


class AudioScreen(ModeScreen):
    MODE = "audio"
    PARENT_MODE = "prefs"
    TITLE_MSGID = N_("Audio")
    TOPICS: ClassVar[Topics] = frozenset()
    BINDINGS: ClassVar = bindings_for("audio")
    DEFAULT_CSS = """
    AudioScreen #audio-scroll { height: 1fr; }
    AudioScreen .audio-row { height: 1; margin-top: 1; }
    AudioScreen .audio-row Label { width: 28; }
    AudioScreen .audio-row Select { width: 50; }
    AudioScreen .audio-row Input { width: 8; }
    AudioScreen .audio-note { height: auto; padding: 0 1; }
    """

    def compose_body(self) -> ComposeResult:
        self._devices, why_none = list_devices()
        if why_none:
            log.info("no sound device listed: %s", why_none)
        audio = self.tws.prefs.audio
        with VerticalScroll(id="audio-scroll", can_focus=False):
            yield Static(id="audio-where", classes="audio-note")
            yield Static(id="audio-devices-note", classes="audio-note", markup=False)
            for key, _label, kind in DEVICES:
                with Horizontal(classes="audio-row"):
                    yield Label(id=f"label-{key}")
                    yield Select(
                        self._device_options(key, kind),
                        value=getattr(audio, key),
                        allow_blank=False,
                        id=f"audio-{key}",
                        classes="audio-device",
                        compact=True,
                    )
            for key, _label in VOLUMES:
                with Horizontal(classes="audio-row"):
                    yield Label(id=f"label-{key}")
                    yield Input(
                        str(getattr(audio, key)), id=f"audio-{key}", classes="volume", compact=True
                    )

    def _fits(self, device: AudioDevice, kind: str) -> bool:
        return device.inputs > 0 if kind == "input" else device.outputs > 0

    def _device_options(self, key: str, kind: str) -> list[tuple[str, str]]:
        """The system's default, the devices that fit, and the one set when not listed."""
        options = [(_("System default"), "")]
        options += [(d.name, d.name) for d in self._devices if self._fits(d, kind)]
        current = getattr(self.tws.prefs.audio, key)
        if current and current not in (value for _shown, value in options):
            options.append((_("{name} (not found now)").format(name=current), current))
        return options

    def refresh_from_state(self, topics: Topics) -> None:
        where = self.query_one("#audio-where", Static)
        if isinstance(self.tws.backend, AudioVolumes):
            where.update(_("The softphone's sound: what you hear and say goes through here."))
        else:
            where.update(
                _(
                    "With this phone system your desk phone rings and carries your voice: these"
                    " settings are for the softphone (sip) only."
                )
            )
        note = self.query_one("#audio-devices-note", Static)
        if self._devices:
            note.update(_("{count} sound devices found.").format(count=len(self._devices)))
        else:
            note.update(
                _(
                    "No sound device is listed on this machine (sounddevice and PortAudio find"
                    " none): the devices set are kept as they are."
                )
            )
        for key, label, _kind in DEVICES:
            self.query_one(f"#label-{key}", Label).update(_(label))
        for key, label in VOLUMES:
            self.query_one(f"#label-{key}", Label).update(_(label))
        with self.prevent(Select.Changed):
            for key, _label, kind in DEVICES:
                select: Select[str] = self.query_one(f"#audio-{key}", Select)
                select.set_options(self._device_options(key, kind))
                select.value = getattr(self.tws.prefs.audio, key)

    def action_close(self) -> None:
        self.dismiss()

    @on(Select.Changed, ".audio-device")
    def _device(self, event: Select.Changed) -> None:
        key = (event.select.id or "").removeprefix("audio-")
        if getattr(self.tws.prefs.audio, key) != event.value:
            self.tws.prefs.change("audio", **{key: str(event.value)})

    @on(Input.Submitted, ".volume")
    def _volume(self, event: Input.Submitted) -> None:
        key = (event.input.id or "").removeprefix("audio-")
        value, problem = volume_problem(event.value)
        if value is None:
            self.tws.notify(problem, severity="warning", markup=False)
            event.input.value = str(getattr(self.tws.prefs.audio, key))
            return
        self.tws.prefs.change("audio", **{key: value})
        event.input.value = str(value)
        applied = apply_volumes(self.tws)
        softphone = applied or key == "ring_volume"
        self.tws.notify(_("Saved.") if softphone else _("Saved (softphone only)."))
