"""A sound refused (``sound_library.BadSound``) in the current language: shared by the Sound
library page and its recorder."""

from __future__ import annotations

from tws_tui.platform.i18n import _
from tws_tui.platform.sound_library import BadSound


def bad_sound_text(error: BadSound) -> str:
    return _(error.msgid).format(name=error.name, why=_(error.why) if error.why else "")
