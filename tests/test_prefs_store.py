"""The prefs store: one owner of the settings — a change replaces its section, is kept in
prefs.toml as TOML values, is announced to subscribers, and a file that cannot be written is
reported, not raised."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tws_tui.domain.phone_keys import PhoneKey
from tws_tui.settings.prefs import PrefsChange, PrefsStore
from tws_tui.settings.schema import ContactSettings, QueueSettings, Settings


def test_a_change_replaces_the_section_saves_toml_values_and_tells_subscribers() -> None:
    saved: list[Mapping[str, Any]] = []
    heard: list[PrefsChange] = []
    store = PrefsStore(Settings(queues=QueueSettings(hidden=("a",))), saved.append)
    store.subscribe(heard.append)
    change = store.change("queues", hidden=("a", "b"), pinned=("b",))
    assert store.queues.hidden == ("a", "b") and store.queues.pinned == ("b",)
    assert store.settings.queues is store.queues  # no copy kept anywhere else
    assert saved == [{"queues": {"hidden": ["a", "b"], "pinned": ["b"]}}]
    assert heard == [change] and change.sections == {"queues"} and change.problem is None


def test_phone_keys_are_saved_as_tables_and_empty_the_older_supervised_list() -> None:
    saved: list[Mapping[str, Any]] = []
    store = PrefsStore(Settings(contacts=ContactSettings(supervised=("dev-1",))), saved.append)
    assert [key.target for key in store.phone_keys] == ["dev-1"]
    taxi = PhoneKey("shortcut", "0123456789", "Taxi")
    store.set_phone_keys((taxi,))
    assert store.phone_keys == (taxi,) and store.contacts.supervised == ()
    assert saved == [{"contacts": {"keys": [taxi.to_toml()], "supervised": []}}]


def test_an_unwritable_file_is_reported_and_the_change_still_applies() -> None:
    def refuse(_changes: Mapping[str, Any]) -> None:
        raise PermissionError("read-only home")

    heard: list[PrefsChange] = []
    store = PrefsStore(Settings(), refuse)
    unsubscribe = store.subscribe(heard.append)
    change = store.change("ui", theme="nord")
    assert store.ui.theme == "nord"
    assert isinstance(change.problem, PermissionError) and heard == [change]
    unsubscribe()
    unsubscribe()  # twice is harmless
    store.change("ui", theme="gruvbox")
    assert heard == [change]  # no longer told


def test_remember_saves_for_the_next_run_without_changing_this_one() -> None:
    saved: list[Mapping[str, Any]] = []
    store = PrefsStore(Settings(), saved.append)
    store.remember({"backend": {"name": "cti"}, "general": {"auto_connect": True}})
    assert saved == [{"backend": {"name": "cti"}, "general": {"auto_connect": True}}]
    assert store.settings.backend.name == "sim" and store.general.auto_connect is False


def test_a_setting_is_read_by_its_name_in_the_file() -> None:
    """The Preferences forms are keyed by the file's names: the store answers them, and a
    change is seen at once."""
    store = PrefsStore(Settings())
    assert store.value("ui", "bell") is True
    store.change("ui", bell=False)
    assert store.value("ui", "bell") is False
    assert store.value("general", "confirm_quit") == store.general.confirm_quit
    assert store.value("keymap", "call.answer") is None
    store.change("keymap", **{"call.answer": "f12"})
    assert store.value("keymap", "call.answer") == "f12"
