"""The business card in tabs (TWS-2.5.2-2): numbers to call, e-mails to write to, identity and
directories, a colleague's availability with how long it has lasted, and list membership."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from helpers import build_console, idle_colleagues, open_business_card, store_done

from tws_tui.console.screens.contacts.business_card import BusinessCardScreen
from tws_tui.console.widgets.row_list import RowList
from tws_tui.core.model import Contact, DeviceId, LineState, MonitoredDevice, PresenceState
from tws_tui.domain.presence_since import PresenceSince

SIZE = (110, 36)
SOPHIE = Contact(
    "",
    "private",
    "Sophie Marchand",
    (("Office", "01 45 45 45 45"), ("Mobile", "06 12 34 56 78")),
    company="Marchand SA",
    email="sophie@marchand.example",
    details=(("email", "s.marchand@perso.example"), ("job_title", "Buyer")),
)


async def settle(pilot: Any, rounds: int = 5) -> None:
    """Pause ``rounds`` times, the contact store's work (a thread) done first."""
    await store_done(pilot)
    for _ in range(rounds):
        await pilot.pause()


async def open_card(console: Any, pilot: Any, row_key: str) -> BusinessCardScreen:
    card = await open_business_card(console, pilot, row_key)
    await store_done(pilot)  # its other directories are looked up in the store's thread
    assert isinstance(card, BusinessCardScreen)
    return card


async def search_for(console: Any, pilot: Any, text: str) -> None:
    await pilot.press(*text)
    for _ in range(100):
        await pilot.pause(0.02)
        if console.app.screen._results:
            break
    searching = [w for w in console.app.workers if w.group == "contact-search"]
    if searching:  # an empty list would wait for every worker (the event pump)
        await console.app.workers.wait_for_complete(searching)
    await settle(pilot)


def test_presence_since_is_exact_only_for_a_change_seen() -> None:
    now = [datetime(2026, 12, 4, 9, 0, tzinfo=UTC)]
    since = PresenceSince(lambda: now[0])
    device = MonitoredDevice(
        DeviceId("d1"), "Ana", "201", LineState.IDLE, presence=PresenceState.AVAILABLE
    )
    since.devices_changed({device.device_id: device})
    first = since.since(device.device_id)
    assert first is not None and first.at == now[0] and not first.exact
    now[0] += timedelta(minutes=5)
    since.devices_changed({device.device_id: device})  # same presence: the start stays
    assert since.since(device.device_id) == first
    busy = MonitoredDevice(
        DeviceId("d1"), "Ana", "201", LineState.TALKING, presence=PresenceState.BUSY
    )
    since.devices_changed({busy.device_id: busy})
    changed = since.since(device.device_id)
    assert changed is not None and changed.exact and changed.at == now[0]
    since.devices_changed({})
    assert since.since(device.device_id) is None


async def test_a_contact_card_calls_a_number_writes_and_ticks_lists(monkeypatch: Any) -> None:
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", opened.append)
    monkeypatch.delenv("SSH_CONNECTION", raising=False)
    monkeypatch.delenv("SSH_TTY", raising=False)
    console = build_console()
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        store = console.app.directories().store
        sophie = store.add(SOPHIE)
        team = store.create_list("Suppliers")
        await search_for(console, pilot, "marchand")
        card = await open_card(console, pilot, f"private:{sophie.id}")
        tabs = [pane.id for pane in card.query("TabPane")]
        assert tabs == ["tab-numbers", "tab-emails", "tab-identity", "tab-lists"]  # no line
        numbers = card.query_one("#card-numbers", RowList)
        assert [numbers.row(k) for k in numbers.row_keys()] == [
            ("Office", "01 45 45 45 45"),
            ("Mobile", "06 12 34 56 78"),
        ]
        await pilot.press("right")  # E-mails
        await settle(pilot)
        emails = card.query_one("#card-emails", RowList)
        assert emails.row_keys() == ["sophie@marchand.example", "s.marchand@perso.example"]
        await pilot.press("down", "enter")
        for _ in range(50):
            if opened:
                break
            await pilot.pause(0.02)
        assert opened == ["mailto:s.marchand@perso.example"]
        assert console.app.clipboard == "mailto:s.marchand@perso.example"
        await pilot.press("right")  # Identity
        await settle(pilot)
        identity = str(card.query_one("#card-identity").content)
        assert "Job title: Buyer" in identity and "Private contacts" in identity
        await pilot.press("right", "space")  # Lists: tick Suppliers
        await settle(pilot)
        assert ("private", sophie.id) in store.get_list(team.id).entries
        assert card.query_one("#card-lists", RowList).row(team.id) == ("[x] Suppliers",)
        await pilot.press("space")  # and untick it
        await settle(pilot)
        assert ("private", sophie.id) not in store.get_list(team.id).entries
        await pilot.press("left", "left", "left")  # back to Numbers, wrapping round
        await settle(pilot)
        assert card._tab() == "numbers"
        await pilot.press("down", "enter")  # call the mobile number
        await settle(pilot)
        assert not isinstance(console.app.screen, BusinessCardScreen)
        [call] = console.app.state.calls.values()
        assert call.remote.number.replace(" ", "").endswith("612345678")


async def test_a_colleague_card_shows_availability_and_how_long_it_has_lasted() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        colleague = idle_colleagues(console)[0]
        store = console.app.directories().store
        store.add(Contact("", "private", "Guillaume (home)", (("", colleague.extension),)))
        card = await open_card(console, pilot, f"dev:{colleague.device_id}")
        identity = str(card.query_one("#card-identity").content)
        assert f"extension {colleague.extension}" in identity
        assert "Private contacts (as “Guillaume (home)”)" in identity
        availability = str(card.query_one("#card-availability").content)
        assert "Presence: ● Available" in availability and "Phone: ○ Free" in availability
        assert "since at least 09:00 (0:00)" in availability
        console.clock.advance(12 * 60)
        console.backend.switch.set_presence(colleague.device_id, PresenceState.BUSY, "Meeting")
        await settle(pilot)
        console.clock.advance(3 * 60)
        card._show_availability()
        availability = str(card.query_one("#card-availability").content)
        assert "Presence: ◉ Busy" in availability and "Meeting" in availability
        assert "In this state since 09:12 (3:00)" in availability
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(console.app.screen, BusinessCardScreen)


async def test_c_in_the_contact_manager_opens_the_card_and_a_tick_shows_in_the_manager() -> None:
    from tws_tui.console.screens.contacts.manager import ContactManagerScreen

    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        store = console.app.directories().store
        sophie = store.add(SOPHIE)
        vip = store.create_list("VIP")
        await pilot.press("ctrl+o")
        await settle(pilot)
        manager = console.app.screen
        assert isinstance(manager, ContactManagerScreen)
        manager.query_one("#manager-contacts", RowList).focus()
        await pilot.press("c")
        await settle(pilot)
        card = console.app.screen
        assert isinstance(card, BusinessCardScreen) and card.contact.id == sophie.id
        await pilot.press("]", "]", "]", "enter", "escape")  # Lists: tick VIP, close
        await settle(pilot)
        assert console.app.screen is manager
        assert manager.query_one("#manager-sources", RowList).row(f"list:{vip.id}") == (
            "≡ VIP",
            "1",
        )
