"""``PrefsStore``: the one owner of every user-changeable setting and of its persistence.

It holds the current :class:`~tws_tui.settings.schema.Settings` (config.toml with prefs.toml
over it, as loaded) and is the only way to change them: :meth:`PrefsStore.change` replaces one
section, keeps the changed keys in prefs.toml through the injected writer (``save_prefs``) and
tells every subscriber which section changed. Nobody keeps a copy of a section: read it here
when you need it (``prefs.ui.theme``, ``prefs.queues.hidden``), so a change is seen at once.

A file that cannot be written does not undo the change (it applies to this run); the
:class:`PrefsChange` the subscribers receive carries the ``OSError`` for the console to show.
Textual-free.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any, Literal

from tws_tui.core.values import value_class
from tws_tui.domain.phone_keys import PhoneKey, keys_of
from tws_tui.settings.schema import (
    AlertSettings,
    AudioSettings,
    CardDavSettings,
    ContactSettings,
    GeneralSettings,
    QueueSettings,
    Settings,
    UiSettings,
)

log = logging.getLogger(__name__)

Section = Literal["general", "ui", "alerts", "queues", "contacts", "audio", "keymap"]
PrefsWriter = Callable[[Mapping[str, Any]], object]


@value_class
class PrefsChange:
    """What a subscriber is told: the sections changed, the changes as saved, and why they
    could not be saved (None when they were, or when there is no file to save to)."""

    sections: frozenset[str]
    changes: Mapping[str, Mapping[str, Any]]
    problem: OSError | None = None


PrefsListener = Callable[[PrefsChange], None]


def _to_toml(value: Any) -> Any:
    """A value as prefs.toml keeps it: lists (TOML has no tuples), phone keys as tables."""
    if isinstance(value, tuple | list):
        return [_to_toml(item) for item in value]
    if isinstance(value, PhoneKey):
        return value.to_toml()
    return value


class PrefsStore:
    """The settings of this run, changed only through :meth:`change`."""

    def __init__(self, settings: Settings | None = None, writer: PrefsWriter | None = None):
        self._settings = settings if settings is not None else Settings()
        self._writer = writer
        self._listeners: list[PrefsListener] = []

    # ---- reading ------------------------------------------------------------------------

    @property
    def settings(self) -> Settings:
        return self._settings

    @property
    def general(self) -> GeneralSettings:
        return self._settings.general

    @property
    def ui(self) -> UiSettings:
        return self._settings.ui

    @property
    def alerts(self) -> AlertSettings:
        return self._settings.alerts

    @property
    def queues(self) -> QueueSettings:
        return self._settings.queues

    @property
    def contacts(self) -> ContactSettings:
        return self._settings.contacts

    @property
    def carddav(self) -> CardDavSettings:
        return self._settings.carddav

    @property
    def audio(self) -> AudioSettings:
        return self._settings.audio

    @property
    def keymap(self) -> Mapping[str, str]:
        return self._settings.keymap

    @property
    def phone_keys(self) -> tuple[PhoneKey, ...]:
        """The keys of the supervision grid (Webpilot §13), the older ``supervised`` included."""
        return keys_of(self._settings.contacts)

    # ---- changing -----------------------------------------------------------------------

    def subscribe(self, listener: PrefsListener) -> Callable[[], None]:
        """Call ``listener`` after every change; returns the function that stops it."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def value(self, section: Section, key: str) -> Any:
        """One setting by its name in the file (``value("ui", "bell")``): what the forms of
        the Preferences screen, keyed by those names, read. An unknown key is a bug here:
        ``AttributeError``."""
        if section == "keymap":
            return self._settings.keymap.get(key)
        return getattr(getattr(self._settings, section), key)

    def change(self, section: Section, **changes: Any) -> PrefsChange:
        """Replace ``section`` with ``changes`` applied, keep them in prefs.toml, tell everyone."""
        if section == "keymap":
            keymap = {**self._settings.keymap, **changes}
            self._settings = replace(self._settings, keymap=keymap)
        else:
            updated = replace(getattr(self._settings, section), **changes)
            self._settings = replace(self._settings, **{section: updated})
        saved: dict[str, Mapping[str, Any]] = {
            section: {key: _to_toml(value) for key, value in changes.items()}
        }
        return self._announce(frozenset({section}), saved)

    def set_phone_keys(self, keys: tuple[PhoneKey, ...]) -> PrefsChange:
        """Keep this key list; the older ``supervised`` list, now part of it, is emptied."""
        return self.change("contacts", keys=tuple(keys), supervised=())

    def remember(self, changes: Mapping[str, Mapping[str, Any]]) -> PrefsChange:
        """Keep ``changes`` in prefs.toml for the next run only (the first-run login choice:
        this run has already connected with it)."""
        return self._announce(frozenset(changes), changes)

    def _announce(
        self, sections: frozenset[str], saved: Mapping[str, Mapping[str, Any]]
    ) -> PrefsChange:
        problem: OSError | None = None
        if self._writer is not None:
            try:
                self._writer(saved)
            except OSError as error:
                log.warning("preferences not saved: %s", error)
                problem = error
        change = PrefsChange(sections, saved, problem)
        for listener in tuple(self._listeners):
            listener(change)
        return change
