"""What the help (F1) lists: every action of the keymap table, grouped by where its key works,
each key in the words of the keyboard, and the filter that narrows them.

Built from :data:`tws_tui.domain.keymap.ACTIONS` and the keys after the user's keymap, so it
never drifts from the real bindings. One group per place: the call keys (they work on every
screen), the other keys of every screen, then each screen's or dialog's own keys; the group of
the screen the user is on comes first. Within a group a key appears once (the keymap refuses
two actions of one scope on one key), so Enter is listed once per place, saying what it does
there. Everything is in the current language, filtering included.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence

from tws_tui.core.values import value_class
from tws_tui.domain.keymap import ACTIONS, ActionSpec
from tws_tui.domain.text import fold
from tws_tui.platform.i18n import N_, _

CALLS, GENERAL = "calls", "app"
#: Each group's heading, in the order groups come (after the current screen's).
GROUP_TITLES: Mapping[str, str] = {
    CALLS: N_("Calls — on every screen"),
    GENERAL: N_("Everywhere"),
    "contacts": N_("Contacts screen"),
    "manager": N_("Contact manager"),
    "contact_form": N_("Contact form"),
    "card": N_("Business card"),
    "queues": N_("Queues screen"),
    "queue_rules": N_("Queue forwarding rules"),
    "key_config": N_("Key configuration"),
    "key_form": N_("Editing a key"),
    "history": N_("History screen"),
    "history_detail": N_("A call of the history"),
    "statistics": N_("Statistics"),
    "voicemail": N_("Voicemail screen"),
    "voicemail_phone": N_("Voicemail by phone"),
    "voicemail_settings": N_("Voicemail settings"),
    "chat": N_("Chat screen"),
    "chat_names": N_("Finding a conversation"),
    "chat_thread": N_("Chat: a message selected"),
    "chat_staged": N_("Chat: the files staged"),
    "chat_tags": N_("Chat: a staged file's tags"),
    "attach_picker": N_("Chat: choosing files to attach"),
    "contact_log": N_("A contact's event log"),
    "tools": N_("Tools"),
    "setup": N_("Sign-in screen"),
    "about": N_("About"),
    "presence_picker": N_("My presence (the picker)"),
    "dependencies": N_("Dependencies"),
    "audio": N_("Audio"),
    "sounds": N_("Sound library"),
    "profiles": N_("Profiles"),
}
#: What a group's keys do not say by themselves, under its rows.
GROUP_NOTES: Mapping[str, str] = {
    CALLS: N_(
        "On the Calls screen, ↑ and ↓ choose the call the keys act on, and 0-9 * # send tones"
        " on it."
    ),
    GENERAL: N_(
        "A number or a name typed outside a field starts the dial field; on Contacts, letters"
        " search the directories."
    ),
}
#: The screen (its keymap scope, ``KeyScope.MODE``) whose keys are a group of another name.
SCREEN_GROUP = {"call": CALLS}
#: Keys of every screen that act on calls: the Calls group.
CALL_ACTIONS = ("call.", "dial.", "queues.take_oldest")

#: Key names a keyboard prints (translated), the others by their symbol or in capitals.
KEY_WORDS: Mapping[str, str] = {
    "enter": N_("Enter"),
    "escape": N_("Esc"),
    "space": N_("Space"),
    "delete": N_("Del"),
    "insert": N_("Ins"),
    "tab": N_("Tab"),
    "shift": N_("Shift"),
    "ctrl": N_("Ctrl"),
    "alt": N_("Alt"),
}
KEY_SYMBOLS = {
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
    "home": "⇱",
    "end": "⇲",
    "pageup": "⇞",
    "pagedown": "⇟",
    "backspace": "⌫",
    "slash": "/",
    "backslash": "\\",
    "at": "@",
    "minus": "-",
    "plus": "+",
    "underscore": "_",
}


def key_label(key: str) -> str:
    """One key as the keyboard shows it, in the current language: ``ctrl+up`` → "Ctrl+↑",
    ``shift+f8`` → "Maj+F8" in French, ``left_square_bracket`` → "[", ``enter`` → "Entrée"."""
    *modifiers, base = key.split("+")
    words = [_(KEY_WORDS[m]) if m in KEY_WORDS else m.capitalize() for m in modifiers]
    if base in KEY_WORDS:
        shown = _(KEY_WORDS[base])
    elif base in KEY_SYMBOLS:
        shown = KEY_SYMBOLS[base]
    elif len(base) == 1:
        shown = base.upper() if modifiers else base
    elif base[:1] == "f" and base[1:].isdigit():
        shown = base.upper()
    else:
        try:
            shown = unicodedata.lookup(base.replace("_", " "))
        except KeyError:
            shown = base
    return "+".join([*words, shown])


def keys_label(keys: str) -> str:
    """Comma-separated keys (as in the keymap) as the keyboard shows them: "F2, /"."""
    return ", ".join(key_label(key) for key in keys.split(",") if key)


@value_class
class HelpRow:
    """One action: its keys in words, what it does, its id (for the [keymap] section)."""

    keys: str
    description: str
    action_id: str
    key_names: str  # the keys as the keymap writes them (found by the filter too)


@value_class
class HelpGroup:
    """The actions of one place, under its heading; ``note`` says what the rows cannot."""

    group: str
    title: str
    rows: tuple[HelpRow, ...]
    note: str = ""


def group_of(spec: ActionSpec) -> str:
    """Where an action's key works: its screen's scope, the calls, or everywhere."""
    if spec.scope != "app":
        return spec.scope
    return CALLS if spec.id.startswith(CALL_ACTIONS) else GENERAL


def help_groups(keys: Mapping[str, str], screen: str = "") -> list[HelpGroup]:
    """Every action in its group, in the current language; the group of ``screen`` (the
    keymap scope of the screen the user is on) first. ``keys`` maps an action id to its
    keys after the user's keymap."""
    rows: dict[str, list[HelpRow]] = {group: [] for group in GROUP_TITLES}
    for spec in ACTIONS:
        shown = keys.get(spec.id, spec.keys)
        row = HelpRow(keys_label(shown), _(spec.description), spec.id, shown)
        rows.setdefault(group_of(spec), []).append(row)
    first = SCREEN_GROUP.get(screen, screen)
    order = sorted(rows, key=lambda group: group != first)  # stable: the rest as listed
    return [
        HelpGroup(
            group,
            _(GROUP_TITLES.get(group, group)),
            tuple(rows[group]),
            _(GROUP_NOTES[group]) if group in GROUP_NOTES else "",
        )
        for group in order
        if rows[group]
    ]


def matches(row: HelpRow, words: Sequence[str]) -> bool:
    """Whether every word (folded) is in the row's keys, description or id."""
    text = fold(" ".join((row.keys, row.key_names, row.description, row.action_id)))
    return all(word in text for word in words)


def filter_groups(groups: Sequence[HelpGroup], query: str) -> list[HelpGroup]:
    """The groups with only the rows that match every word of ``query`` (case and accents
    ignored), groups left empty dropped; notes kept only when nothing is filtered."""
    words = fold(query).split()
    if not words:
        return list(groups)
    kept = [
        HelpGroup(group.group, group.title, tuple(r for r in group.rows if matches(r, words)))
        for group in groups
    ]
    return [group for group in kept if group.rows]
