"""The voicemail menu of a phone system that is called to hear my messages (``sip``): its
actions in the order the console offers them, each in words, and the digits each sends
(:class:`~tws_tui.core.model.VoicemailMenu`, read from ``[backend.sip] voicemail_keys``).
Used by the Voicemail-by-phone view (its keys) and the Calls screen's keypad line."""

from __future__ import annotations

from tws_tui.core.model import VoicemailMenu
from tws_tui.platform.i18n import N_, _

#: Each action of the menu (the keymap's ``voicemail.menu_<action>``), in words (msgids).
MENU_WORDS: dict[str, str] = {
    "play": N_("play"),
    "pause": N_("pause/resume"),
    "skip": N_("next message"),
    "replay": N_("replay"),
    "delete": N_("delete"),
}


def menu_digits(menu: VoicemailMenu, action: str) -> str:
    """The digits ``action`` (a key of :data:`MENU_WORDS`) sends; KeyError for another."""
    return {
        "play": menu.play,
        "pause": menu.pause,
        "skip": menu.skip,
        "replay": menu.replay,
        "delete": menu.delete,
    }[action]


def menu_line(menu: VoicemailMenu) -> str:
    """``"1 play  0 pause/resume  6 next message  5 replay  7 delete"``, in the language."""
    return "  ".join(
        f"{menu_digits(menu, action)} {_(word)}" for action, word in MENU_WORDS.items()
    )
