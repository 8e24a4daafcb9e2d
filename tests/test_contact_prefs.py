"""TWS §6.6 contact preferences, each chosen in Preferences and applied: Away after idle
minutes (and back at the next key), names sorted by last name, the corner of the notices, where
the card opens, what Enter on a contact does, how the home-screen lists are drawn, and which
presence states let notices through (incoming calls always ring)."""

from __future__ import annotations

from typing import Any

from helpers import ACME, DUPONT, add_colleague_to_list, build_console, idle_colleagues
from textual.widgets import Select, Switch

from tws_tui.console.widgets.row_list import RowList
from tws_tui.core.model import Contact, PresenceState
from tws_tui.domain.notifications import notices_allowed
from tws_tui.domain.text import name_key
from tws_tui.settings.schema import ContactSettings, UiSettings

SIZE = (110, 30)


async def settle(pilot: Any, rounds: int = 5) -> None:
    for _ in range(rounds):
        await pilot.pause()


def presence(console: Any) -> PresenceState:
    return console.app.state.me.presence


def notes(console: Any) -> list[Any]:
    return list(console.app._notifications)


async def test_away_after_idle_minutes_and_back_at_the_next_key() -> None:
    """TWS-6.6-7: no key for the delay → Away (with a notice); a key → Available again; a
    presence chosen meanwhile is left alone; never when the setting is 0."""
    console = build_console(contacts=ContactSettings(away_after_min=5))
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        console.clock.advance(4 * 60)
        await settle(pilot)
        assert presence(console) is PresenceState.AVAILABLE
        await pilot.press("down")  # activity: the 5 minutes start again
        console.clock.advance(4 * 60)
        await settle(pilot)
        assert presence(console) is PresenceState.AVAILABLE
        console.clock.advance(61)
        await settle(pilot)
        assert presence(console) is PresenceState.AWAY
        assert any("idle minutes" in str(n.message) for n in console.app._notifications)
        await pilot.press("down")
        await settle(pilot)
        assert presence(console) is PresenceState.AVAILABLE
        console.app.prefs.change("contacts", away_after_min=0)
        console.clock.advance(3600)
        await settle(pilot)
        assert presence(console) is PresenceState.AVAILABLE


async def test_busy_is_not_turned_into_away() -> None:
    console = build_console(contacts=ContactSettings(away_after_min=5))
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        console.app.run_command(lambda backend: backend.set_presence(PresenceState.BUSY))
        await settle(pilot)
        console.clock.advance(600)
        await settle(pilot)
        assert presence(console) is PresenceState.BUSY


def test_name_key_sorts_by_first_or_last_name_accents_ignored() -> None:
    names = ["Élodie Garcia", "Anne Martin", "Céline Blanc", "Jean-Pierre Dupont"]
    assert sorted(names, key=name_key) == [
        "Anne Martin",
        "Céline Blanc",
        "Élodie Garcia",
        "Jean-Pierre Dupont",
    ]
    assert sorted(names, key=lambda n: name_key(n, "last")) == [
        "Céline Blanc",
        "Jean-Pierre Dupont",
        "Élodie Garcia",
        "Anne Martin",
    ]


async def test_preferences_choose_last_name_sort_and_the_notice_corner() -> None:
    """TWS-6.6-3 and -5, chosen in Preferences: the colleagues are listed by last name, the
    notices move to the top left; both kept in prefs."""
    console = build_console(ui=UiSettings(animations=False, desktop_notifications=False))
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("alt+6")
        await settle(pilot)
        prefs = console.app.screen
        prefs.query_one("#pref-name_sort", Select).value = "last"
        prefs.query_one("#pref-toast_position", Select).value = "top-left"
        await settle(pilot)
        assert console.app.prefs.contacts.name_sort == "last"
        assert console.app.prefs.ui.toast_position == "top-left"
        assert console.app.has_class("-toasts-top-left")
        await pilot.press("alt+1")
        await settle(pilot)
        listed = console.app.screen.query_one("#contact-list", RowList)
        names = [listed.row(key)[0] for key in listed.row_keys()]
        assert names == sorted(names, key=lambda n: name_key(n, "last"))
        assert names != sorted(names, key=name_key)


# --- TWS-6.6-2: where the card opens --------------------------------------------------------


def card_of(console: Any) -> str:
    return str(console.app.screen.query_one("#contact-card").render())


async def open_colleague(console: Any, pilot: Any, index: int = 3) -> Any:
    """Put the cursor on the ``index``-th colleague of the home list; returns the colleague."""
    listed = console.app.screen.query_one("#contact-list", RowList)
    listed.focus()
    await pilot.press("home", *["down"] * index)
    await settle(pilot)
    key = listed.selected_key
    assert key is not None and key.startswith("dev:")
    return console.app.state.devices[key.removeprefix("dev:")]


async def test_external_card_follows_the_cursor_beside_the_list() -> None:
    """TWS-6.6-2 "external" (the default): the card pane beside the list shows the contact
    under the cursor, and follows it; nothing opens under the rows."""
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first = await open_colleague(console, pilot, 1)
        card = console.app.screen.query_one("#contact-card")
        assert card.display and first.name in card_of(console)
        second = await open_colleague(console, pilot, 2)
        assert second.name in card_of(console) and first.name not in card_of(console)
        await pilot.press("space")
        await settle(pilot)
        listed = console.app.screen.query_one("#contact-list", RowList)
        assert not any("\n" in key for key in listed.row_keys())


async def test_internal_card_opens_under_the_row_with_space_and_closes_again() -> None:
    """TWS-6.6-2 "internal": no card pane; Space unfolds the card under the row (extension,
    line, presence), the cursor skips its lines, Space closes it."""
    console = build_console(contacts=ContactSettings(infocard="internal"))
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not console.app.screen.query_one("#contact-card").display
        colleague = await open_colleague(console, pilot)
        listed = console.app.screen.query_one("#contact-list", RowList)
        row = listed.selected_key
        await pilot.press("space")
        await settle(pilot)
        keys = listed.row_keys()
        at = keys.index(row)
        card = [listed.row(key)[0] for key in keys[at + 1 :] if key.startswith(row + "\n")]
        assert f"│ Extension: {colleague.extension}" in " ".join(card)
        assert any("Ctrl+B: supervise" in line for line in card)
        assert listed.selected_key == row
        await pilot.press("down")  # past the card's lines, onto the next colleague
        assert listed.selected_key == keys[at + 1 + len(card)]
        await pilot.press("up", "space")
        await settle(pilot)
        assert not any("\n" in key for key in listed.row_keys())


async def test_preferences_switch_the_card_to_internal_and_back() -> None:
    saved: list[dict[str, Any]] = []
    console = build_console(save_prefs=saved.append)
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("alt+6")
        await settle(pilot)
        console.app.screen.query_one("#pref-infocard", Select).value = "internal"
        await settle(pilot)
        assert {"contacts": {"infocard": "internal"}} in saved
        await pilot.press("alt+1")
        await settle(pilot)
        assert not console.app.screen.query_one("#contact-card").display


# --- TWS-6.6-4: what Enter on a contact does --------------------------------------------------


async def test_double_gesture_opens_at_the_first_enter_and_calls_at_the_second() -> None:
    """TWS-6.6-4 "double" (the default): the first Enter only opens the contact, with a
    notice saying what the next does; moving elsewhere forgets it; the second Enter on the
    same contact calls its extension."""
    console = build_console(contacts=ContactSettings(infocard="internal"))
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        first = await open_colleague(console, pilot, 1)
        await pilot.press("enter")
        await settle(pilot)
        assert console.app.state.calls == {}
        assert any(f"Enter again calls {first.name}" in str(n.message) for n in notes(console))
        listed = console.app.screen.query_one("#contact-list", RowList)
        assert any(key.startswith(f"dev:{first.device_id}\n") for key in listed.row_keys())
        second = await open_colleague(console, pilot, 2)
        await pilot.press("enter")  # another contact: opened, not called
        await settle(pilot)
        assert console.app.state.calls == {}
        await pilot.press("enter")
        await settle(pilot)
        [call] = console.app.state.calls.values()
        assert call.remote.number == second.extension


async def test_single_gesture_calls_at_once_but_a_ringing_call_is_answered_first() -> None:
    """TWS-6.6-4 "single": Enter on a contact calls it; while a call rings, Enter still
    answers it (the call keys come first) and dials nobody."""
    console = build_console(contacts=ContactSettings(call_gesture="single"))
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        colleague = await open_colleague(console, pilot)
        console.ring(ACME)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        [answered] = console.app.state.calls.values()
        assert answered.remote.number == ACME.number
        await pilot.press("f8")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        [call] = console.app.state.calls.values()
        assert call.remote.number == colleague.extension


async def test_a_double_click_calls_a_contact_a_click_only_selects() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        listed = console.app.screen.query_one("#contact-list", RowList)
        await pilot.click("#contact-list", offset=(2, 3))
        await settle(pilot)
        assert console.app.state.calls == {}
        key = listed.selected_key
        assert key is not None
        colleague = console.app.state.devices[key.removeprefix("dev:")]
        await pilot.click("#contact-list", offset=(2, 3), times=2)
        await settle(pilot)
        [call] = console.app.state.calls.values()
        assert call.remote.number == colleague.extension


# --- TWS-6.6-6: how the home-screen lists are drawn -------------------------------------------


async def home_list(console: Any, pilot: Any, display: str = "classic") -> Any:
    """A list on the home screen holding a local contact with a company and a colleague."""
    store = console.app.directories().store
    local = store.add(Contact("", "public", "Bernard Martineau", (("", "0145454545"),), "ACME"))
    colleague = min(console.app.state.devices.values(), key=lambda d: d.name)
    vip = store.create_list("VIP", visible=True, display=display)
    store.add_to_list(vip.id, local.source, local.id)
    add_colleague_to_list(store, vip.id, colleague)
    console.app.lists.refresh()
    for _ in range(100):
        await pilot.pause(0.02)
        if console.app.lists.home_lists:
            break
    await settle(pilot)
    return vip


def vip_lines(console: Any, vip: Any) -> list[str]:
    listed = console.app.screen.query_one("#contact-list", RowList)
    return [
        listed.row(key)[0]
        for key in listed.row_keys()
        if key.startswith(f"home:{vip.id}:") or key.startswith(f"home:{vip.id}\n")
    ]


async def test_classic_lists_take_two_lines_reduced_one_and_ctrl_d_switches_a_list() -> None:
    """TWS-6.6-6: classic — initials and name, then the company under it; reduced — the
    presence and the name on one line. "free": each list as it says, Ctrl+D switching the
    list under the cursor (kept with the list); "reduced" for all overrides the lists."""
    console = build_console()
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        vip = await home_list(console, pilot)
        lines = vip_lines(console, vip)
        assert "[BM] Bernard Martineau" in lines and "     ACME" in lines
        assert len(lines) == 4  # two contacts, two lines each
        listed = console.app.screen.query_one("#contact-list", RowList)
        listed.focus()
        listed.select_key(f"home:{vip.id}")
        await pilot.press("down", "down")  # the cursor skips the second lines
        keys = [k for k in listed.row_keys() if k.startswith(f"home:{vip.id}:")]
        assert listed.selected_key == keys[2] and "\n" in keys[1]
        await pilot.press("up")
        assert listed.selected_key == keys[0]
        await pilot.press("ctrl+d")
        for _ in range(100):
            await pilot.pause(0.02)
            if console.app.lists.home_lists[0][0].display == "reduced":
                break
        await settle(pilot)
        assert console.app.directories().store.get_list(vip.id).display == "reduced"
        lines = vip_lines(console, vip)
        assert len(lines) == 2 and "  Bernard Martineau" in lines
        console.app.prefs.change(
            "contacts", list_display="classic"
        )  # all classic, whatever the list
        await settle(pilot)
        assert len(vip_lines(console, vip)) == 4
        await pilot.press("ctrl+d")  # not "free": Ctrl+D says why it does nothing
        await settle(pilot)
        assert any("each list its own" in str(n.message) for n in notes(console))
        assert console.app.directories().store.get_list(vip.id).display == "reduced"


# --- TWS-6.6-8: notices as my presence allows -------------------------------------------------


async def test_notices_follow_my_presence_but_incoming_calls_always_ring() -> None:
    """TWS-6.6-8: with only "available" ticked, a supervised list's colleague ringing gives
    no notice while I am Busy — yet a call for me still rings (banner and Enter) — and gives
    one again once I am Available."""
    console = build_console(contacts=ContactSettings(show_notices_when=("available",)))
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        watched, later = idle_colleagues(console)[:2]
        store = console.app.directories().store
        team = store.create_list("Équipe", supervised=True)
        add_colleague_to_list(store, team.id, watched)
        add_colleague_to_list(store, team.id, later)
        console.app.lists.refresh()
        for _ in range(100):
            await pilot.pause(0.02)
            if console.app.lists.supervised:
                break
        console.app.run_command(lambda backend: backend.set_presence(PresenceState.BUSY))
        await settle(pilot)
        console.ring(ACME, to=watched.extension)
        await settle(pilot)
        assert not [n for n in notes(console) if "Incoming call for" in str(n.message)]
        console.ring(DUPONT)  # for me: it rings whatever the presence
        await settle(pilot)
        assert console.app.state.ringing_calls()
        assert console.app.screen.query_one("#ringing-banner").display
        console.app.run_command(lambda backend: backend.set_presence(PresenceState.AVAILABLE))
        await settle(pilot)
        console.ring(ACME, to=later.extension)
        await settle(pilot)
        announced = [n for n in notes(console) if "Incoming call for" in str(n.message)]
        assert [n.message for n in announced] == [
            f"Incoming call for {later.name} — Alt+I intercepts it."
        ]


async def test_preferences_tick_the_presence_states_for_notices() -> None:
    saved: list[dict[str, Any]] = []
    console = build_console(save_prefs=saved.append)
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("alt+6")
        await settle(pilot)
        screen = console.app.screen
        screen.query_one("#notice-busy", Switch).value = False
        await settle(pilot)
        assert console.app.prefs.contacts.show_notices_when == ("available", "away", "offline")
        assert {"contacts": {"show_notices_when": ["available", "away", "offline"]}} in saved
        note = str(screen.query_one("#collaboration-note").render())
        assert "nothing to configure" in note  # TWS-6.6-9/-10: the phone system's business


def test_notices_allowed_by_presence() -> None:
    assert notices_allowed(PresenceState.BUSY, ("available", "busy"))
    assert not notices_allowed(PresenceState.AWAY, ("available", "busy"))
    assert not notices_allowed(PresenceState.AVAILABLE, ())
