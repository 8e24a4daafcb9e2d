"""Webpilot §13, the keys of the console's virtual phone: one ordered list of supervision,
shortcut and queue keys (``[contacts] keys``), checked when read, the older ``supervised``
list kept, edited on the key configuration screen (Alt+K), and drawn as the tiles of the
Contacts screen — queues first, then colleagues by name, then shortcuts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from helpers import ACME, build_console, idle_colleagues
from textual.widgets import Input, Select, Static

from tws_tui.console.screens.keys.key_config import KeyConfigScreen
from tws_tui.console.screens.keys.key_form import KeyForm
from tws_tui.console.widgets.blf_grid import BlfGrid, tile_text
from tws_tui.console.widgets.row_list import RowList
from tws_tui.core.model import LineState, MonitoredDevice, Queue
from tws_tui.domain.phone_keys import PhoneKey, keys_of, tiles
from tws_tui.domain.text import name_key
from tws_tui.platform import paths
from tws_tui.settings.load import load_settings
from tws_tui.settings.prefs_file import save_prefs
from tws_tui.settings.schema import ContactSettings

SIZE = (120, 40)
BACKENDS = ["cti", "sim", "sip"]


async def settle(pilot: Any, rounds: int = 5) -> None:
    for _ in range(rounds):
        await pilot.pause()


def write(path: Path, text: str) -> Path:
    paths.ensure_dir(path.parent)
    path.write_text(text, encoding="utf-8")
    return path


# --- reading and keeping the list --------------------------------------------------------------


def test_keys_are_read_a_bad_one_is_named_and_the_older_supervised_list_still_counts() -> None:
    config = write(
        paths.config_file(),
        """
[contacts]
supervised = ["dev-104", "dev-203"]
keys = [
  { kind = "queue", target = "accueil", label = "not shown" },
  { kind = "supervision", target = "dev-203" },
  { kind = "shortcut", target = "01 23 45 67 89", label = "Taxi" },
  { kind = "speed-dial", target = "12" },
  { kind = "shortcut", target = "taxi" },
]
""",
    )
    settings, problems = load_settings(config, paths.prefs_file(), backend_names=BACKENDS)
    assert [str(p) for p in problems] == [
        "config.toml: contacts.keys[4]: {kind = 'speed-dial', target = '12'} — kind must be"
        " supervision, shortcut or queue; this key is ignored",
        "config.toml: contacts.keys[5]: {kind = 'shortcut', target = 'taxi'} — a shortcut's"
        " target must be a phone number; this key is ignored",
    ]
    assert keys_of(settings.contacts) == (
        PhoneKey("queue", "accueil", "not shown"),
        PhoneKey("supervision", "dev-203"),
        PhoneKey("shortcut", "0123456789", "Taxi"),
        PhoneKey("supervision", "dev-104"),  # from the older list, after the others
    )


def test_a_key_list_that_is_not_a_list_keeps_the_default() -> None:
    config = write(paths.config_file(), '[contacts]\nkeys = "accueil"\n')
    settings, problems = load_settings(config, paths.prefs_file(), backend_names=BACKENDS)
    assert settings.contacts.keys == ()
    assert "expected a list of keys such as" in str(problems[0])


async def test_the_app_keeps_the_keys_in_prefs_and_empties_the_older_list() -> None:
    """Nothing of an older config is lost: its supervised colleagues become keys in
    prefs.toml, and config.toml's ``supervised`` (never rewritten) is overridden by []."""
    config = write(paths.config_file(), '[contacts]\nsupervised = ["dev-104"]\n')
    settings, _problems = load_settings(config, paths.prefs_file(), backend_names=BACKENDS)
    console = build_console(
        contacts=settings.contacts,
        save_prefs=lambda changes: save_prefs(changes, backend_names=BACKENDS),
    )
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        taxi = PhoneKey("shortcut", "0123456789", "Taxi")
        console.app.prefs.set_phone_keys((*console.app.prefs.phone_keys, taxi))
        await settle(pilot)
    again, problems = load_settings(config, paths.prefs_file(), backend_names=BACKENDS)
    assert problems == []
    assert again.contacts.supervised == ()
    assert keys_of(again.contacts) == (PhoneKey("supervision", "dev-104"), taxi)
    assert "keys = [" in paths.prefs_file().read_text(encoding="utf-8")


# --- the tiles ---------------------------------------------------------------------------------


def device(device_id: str, name: str, extension: str) -> MonitoredDevice:
    return MonitoredDevice(device_id, name, extension, LineState.IDLE)  # type: ignore[arg-type]


def test_tiles_come_queues_first_then_colleagues_by_name_then_shortcuts() -> None:
    """WPL-13.1-5 (order), WPL-13.1-4 (the system's names, not the labels): a colleague by
    device id or extension, a queue by id, number or name; unknown targets get no tile."""
    devices = {
        d.device_id: d
        for d in (
            device("dev-1", "Zoé Adam", "201"),
            device("dev-2", "Anne Martin", "202"),
            device("dev-3", "Marc Zola", "203"),
        )
    }
    queues = {
        q.id: q
        for q in (Queue("accueil", "Accueil", "3900"), Queue("support", "Support", "3902"))  # type: ignore[arg-type]
    }
    keys = (
        PhoneKey("supervision", "dev-1", "Zozo"),
        PhoneKey("shortcut", "0123456789", "Taxi"),
        PhoneKey("queue", "3902", "SAV"),
        PhoneKey("supervision", "202"),
        PhoneKey("shortcut", "112"),
        PhoneKey("queue", "accueil"),
        PhoneKey("supervision", "dev-404"),
        PhoneKey("queue", "nowhere"),
    )
    grid = tiles(keys, devices, queues, also_supervised=["dev-3", "dev-1"])
    assert [(t.kind, t.name) for t in grid] == [
        ("queue", "Support"),
        ("queue", "Accueil"),
        ("supervision", "Anne Martin"),
        ("supervision", "Marc Zola"),
        ("supervision", "Zoé Adam"),
        ("shortcut", "Taxi"),
        ("shortcut", "112"),
    ]
    by_last = tiles(keys, devices, queues, also_supervised=["dev-3"], name_sort="last")
    assert [t.name for t in by_last if t.kind == "supervision"] == [
        "Zoé Adam",
        "Anne Martin",
        "Marc Zola",
    ]
    assert tile_text(0, grid[0]) == ("1 ≡ Support (3902)", "  0 waiting · 0/0 busy")
    assert tile_text(5, grid[5]) == ("6 ★ Taxi", "  0123456789")
    assert tile_text(10, grid[6]) == ("  ★ 112", "  shortcut")


# --- the key configuration screen ------------------------------------------------------------


async def open_form(pilot: Any, key: str = "a") -> KeyForm:
    await pilot.press(key)
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, KeyForm)
    return form


async def test_the_key_configuration_screen_adds_edits_moves_and_deletes_keys() -> None:
    saved: list[dict[str, Any]] = []
    console = build_console(save_prefs=saved.append)
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        colleague = idle_colleagues(console)[0]
        await pilot.press("alt+k")
        await settle(pilot)
        assert isinstance(console.app.screen, KeyConfigScreen)

        form = await open_form(pilot)  # a queue
        form.query_one("#key-kind", Select).value = "queue"
        await settle(pilot)
        assert form.query_one("#row-queue").display and not form.query_one("#row-number").display
        form.query_one("#key-queue", Select).value = "accueil"
        await pilot.press("ctrl+s")
        await settle(pilot)

        form = await open_form(pilot)  # a shortcut with letters: refused, the form stays
        form.query_one("#key-kind", Select).value = "shortcut"
        await settle(pilot)
        form.query_one("#key-number", Input).value = "taxi"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert console.app.screen is form
        assert "not a phone number" in str(form.query_one("#key-error", Static).render())
        form.query_one("#key-number", Input).value = "04 78 00 00 01"
        form.query_one("#key-label", Input).value = "Taxi"
        form.query_one("#key-label", Input).focus()
        await pilot.press("enter")  # Enter in a field saves
        await settle(pilot)

        form = await open_form(pilot, "n")  # a colleague (supervision is the first kind)
        form.query_one("#key-colleague", Select).value = colleague.device_id
        await pilot.press("ctrl+s")
        await settle(pilot)

        assert console.app.prefs.phone_keys == (
            PhoneKey("queue", "accueil"),
            PhoneKey("shortcut", "0478000001", "Taxi"),
            PhoneKey("supervision", colleague.device_id),
        )
        table = console.app.screen.query_one("#keys", RowList)
        rows = [table.row(key) for key in table.row_keys()]
        assert [row[1:4] for row in rows] == [
            ("Queue", "Accueil", "3900"),
            ("Shortcut", "Taxi", "0478000001"),
            ("Supervision", colleague.name, colleague.extension),
        ]
        assert [row[5] for row in rows] == ["1", "3", "2"]  # the tile each key gets

        table.select_key("0")
        await pilot.press("right_square_bracket")  # the queue one place down
        await settle(pilot)
        assert [k.kind for k in console.app.prefs.phone_keys] == [
            "shortcut",
            "queue",
            "supervision",
        ]
        assert table.selected_key == "1"

        table.select_key("0")
        form = await open_form(pilot, "enter")  # the shortcut, changed
        assert form.query_one("#key-number", Input).value == "0478000001"
        form.query_one("#key-label", Input).value = "Taxi G7"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert console.app.prefs.phone_keys[0] == PhoneKey("shortcut", "0478000001", "Taxi G7")

        table.select_key("2")
        await pilot.press("delete")
        await settle(pilot)
        assert [k.kind for k in console.app.prefs.phone_keys] == ["shortcut", "queue"]
        assert saved[-1] == {
            "contacts": {
                "keys": [
                    {"kind": "shortcut", "target": "0478000001", "label": "Taxi G7"},
                    {"kind": "queue", "target": "accueil"},
                ],
                "supervised": [],
            }
        }
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(console.app.screen, KeyConfigScreen)

        grid = console.app.screen.query_one("#blf", BlfGrid)
        assert [t.kind for t in grid.tiles] == ["queue", "shortcut"]
        console.ring(ACME, to="3900")  # a caller waits in Accueil
        await settle(pilot)
        assert tile_text(0, grid.tiles[0])[1].startswith("  1 waiting")
        grid.focus()
        await pilot.press("2", "f3")  # the shortcut's digit, then Call
        await settle(pilot)
        [call] = [c for c in console.app.state.calls.values() if c.direction == "outbound"]
        assert call.remote.number.endswith("478000001")


async def test_the_first_ten_tiles_keep_their_digits() -> None:
    """The digits 1…9, 0 select the first ten tiles (in grid order); the eleventh has none."""
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        devices = console.app.state.devices.values()
        colleagues = sorted(devices, key=lambda d: name_key(d.name))[:11]
        console.app.prefs.change(
            "contacts",
            keys=tuple(PhoneKey("supervision", d.device_id) for d in reversed(colleagues)),
        )
        await settle(pilot)
        grid = console.app.screen.query_one("#blf", BlfGrid)
        assert [d.name for d in grid.devices] == [d.name for d in colleagues]
        grid.focus()
        await pilot.press("0")
        assert grid.selected_device == colleagues[9]
        await pilot.press("3")
        assert grid.selected_device == colleagues[2]
        assert tile_text(10, grid.tiles[10])[0].startswith("  ")


async def test_a_key_the_phone_system_does_not_know_says_so(tmp_path: Path) -> None:
    console = build_console(contacts=ContactSettings(keys=(PhoneKey("supervision", "999"),)))
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert console.app.screen.query_one("#blf", BlfGrid).tiles == []
        await pilot.press("alt+k")
        await settle(pilot)
        table = console.app.screen.query_one("#keys", RowList)
        assert table.row("0")[2] == "999 (not on this phone system)"
        assert table.row("0")[5] == ""
