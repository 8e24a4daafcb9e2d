"""Contacts screen: search as you type, the business card, supervised tiles and their keys."""

from __future__ import annotations

from typing import Any

from helpers import build_console, idle_colleagues

from tws_tui.console.widgets.blf_grid import BlfGrid, tile_text
from tws_tui.console.widgets.row_list import RowList
from tws_tui.core.model import ConnectionState, LineState
from tws_tui.domain.text import name_key

SIZE = (110, 36)


async def settle(pilot: Any, rounds: int = 5) -> None:
    for _ in range(rounds):
        await pilot.pause()


async def select(console: Any, pilot: Any, key: str) -> None:
    """Move the list's cursor down to the row ``key`` (it must be listed)."""
    rows = console.app.screen.query_one("#contact-list", RowList)
    keys = rows.row_keys()
    assert key in keys, f"{key} not listed"
    rows.focus()
    await pilot.press("home", *["down"] * keys.index(key))
    assert rows.selected_key == key


async def search_done(pilot: Any, console: Any) -> None:
    """Until the full search has answered (the local index is built in a thread; an instant
    answer from it may come first)."""
    for _ in range(100):
        await pilot.pause(0.02)
        if console.app.screen._results is not None:
            searching = [w for w in console.app.workers if w.group == "contact-search"]
            if searching:  # an empty list would wait for every worker (the event pump)
                await console.app.workers.wait_for_complete(searching)
            await pilot.pause()
            return
    raise AssertionError("the search never answered")


def listed(console: Any) -> list[tuple[str, ...]]:
    rows = console.app.screen.query_one("#contact-list", RowList)
    return [rows.row(key) for key in rows.row_keys()]


async def test_letters_typed_search_every_directory_and_the_card_shows_the_entry() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        target = idle_colleagues(console)[0]
        last_name = target.name.split()[-1]
        await pilot.press(*last_name.lower())  # typed on the list: goes to the search
        await search_done(pilot, console)
        assert console.app.screen.query_one("#contact-search").value == last_name.lower()
        names = [row[0] for row in listed(console)]
        assert target.name in names and all(last_name in n for n in names[:1])
        await pilot.press("enter")  # to the results
        await select(console, pilot, f"company:{target.user_id}")
        await settle(pilot)
        card = str(console.app.screen.query_one("#contact-card").render())
        assert target.name in card and f"Poste: {target.extension}" in card
        assert "Directory: Company directory" in card


async def test_f3_calls_the_selected_contact_when_the_dial_bar_is_empty() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first = min(console.app.state.devices.values(), key=lambda d: d.name.casefold())
        await pilot.press("f3")
        await settle(pilot)
        [call] = console.app.state.calls.values()
        assert call.remote.number == first.extension


async def test_supervised_tiles_show_each_line_state_and_keys_act_on_a_tile() -> None:
    """Ctrl+B adds supervision keys; the tiles come by name (WPL-13.1-5), each state in words;
    a tile's digit selects it for Alt+I and F3."""
    console = build_console()
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        a, b, c = idle_colleagues(console)[:3]
        for who in (a, b, c):
            await select(console, pilot, f"dev:{who.device_id}")
            await pilot.press("ctrl+b")
            await settle(pilot)
        assert [key.target for key in console.app.prefs.phone_keys] == [
            a.device_id,
            b.device_id,
            c.device_id,
        ]
        assert all(key.kind == "supervision" for key in console.app.prefs.phone_keys)
        console.backend.switch.make_call(b.extension, c.extension)  # b dials c: c rings
        await settle(pilot)
        grid = console.app.screen.query_one("#blf", BlfGrid)
        names = [d.name for d in grid.devices]
        assert names == sorted(names, key=name_key)
        state = {d.device_id: d.line_state for d in grid.devices}
        assert [state[x.device_id] for x in (a, b, c)] == [
            LineState.IDLE,
            LineState.DIALING,
            LineState.RINGING,
        ]
        digit = {d.device_id: str(i + 1) for i, d in enumerate(grid.devices)}
        assert tile_text(int(digit[c.device_id]) - 1, grid.tiles[int(digit[c.device_id]) - 1])[
            1
        ].startswith("  ☎ Ringing")
        grid.focus()
        await pilot.press(digit[c.device_id], "alt+i")  # c's tile: pick up the call ringing
        await settle(pilot)
        [call] = console.app.state.calls.values()
        assert call.state is ConnectionState.CONNECTED
        await pilot.press("f8")
        await settle(pilot)
        assert console.app.focused is grid, console.app.focused
        await pilot.press(digit[a.device_id], "f3")  # a's tile: call a
        await settle(pilot)
        [call] = console.app.state.calls.values()
        assert call.remote.number == a.extension
        assert grid.selected_device is not None
        assert grid.selected_device.line_state is LineState.RINGING
        await pilot.press("ctrl+b")  # on a's tile: no longer supervised
        await settle(pilot)
        assert a.device_id not in [d.device_id for d in grid.devices]


async def test_a_directory_that_fails_says_so_and_keeps_the_list() -> None:
    console = build_console()

    async def broken(term: str, limit: int) -> list[Any]:
        raise TimeoutError("directory down")

    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        before = listed(console)
        console.app.directory = broken  # type: ignore[method-assign]
        await pilot.press("x")
        await settle(pilot)
        assert any("did not answer" in n.message for n in console.app._notifications)
        assert listed(console) == before


async def test_local_contacts_are_searched_and_name_callers_whatever_the_number_format() -> None:
    from tws_tui.contacts.store import ContactStore
    from tws_tui.core.model import Contact

    ContactStore().add(Contact("", "private", "Émilie Lefèvre", (("Bureau", "+33 1 23 45 67 89"),)))
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        directories = console.app.directories()
        assert directories is not None
        for typed in ("+33 1 23 45 67 89", "0123456789", "01.23.45.67.89"):
            found = await directories.reverse(typed)
            assert found is not None and found.name == "Émilie Lefèvre", typed
        await pilot.press(*"lefe")  # no accent typed
        await search_done(pilot, console)
        assert "Émilie Lefèvre" in [row[0] for row in listed(console)]  # the local one too
        console.backend.switch.inject_incoming_call("100", "+33123456789")  # unnamed caller
        await settle(pilot)
        [call] = console.app.state.calls.values()
        assert call.remote.name == "Émilie Lefèvre"


async def test_ctrl_f_chooses_the_directories_searched_and_the_hint_says_so() -> None:
    """TWS-2.3.1.2-2: the phone system's directory left out, only local contacts answer;
    the words matched are marked in the results (TWS-2.3.1.1-2)."""
    from tws_tui.console.screens.modals.choice import TickScreen
    from tws_tui.core.model import Contact

    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        target = idle_colleagues(console)[0]
        last_name = target.name.split()[-1]
        store = console.app.directories().store
        store.add(Contact("", "private", f"Zoé {last_name}", (("", "0102030405"),)))
        await pilot.press("ctrl+f")
        await settle(pilot)
        picker = console.app.screen
        assert isinstance(picker, TickScreen)
        assert [key for key, _label in picker.options] == ["private", "public", "backend"]
        await pilot.press("end", "space", "enter")  # untick the phone system's directory
        await settle(pilot)
        hint = console.app.screen.query_one("#contact-search-bar").hint()
        assert hint.startswith("Search in Private contacts, Public contacts only")
        await pilot.press(*last_name.lower())
        await search_done(pilot, console)
        assert [row[0] for row in listed(console)] == [f"Zoé {last_name}"]
        await pilot.press("ctrl+f", "end", "space", "enter")  # every directory again
        await settle(pilot)
        await search_done(pilot, console)
        names = [row[0] for row in listed(console)]
        assert target.name in names and f"Zoé {last_name}" in names


async def test_ctrl_e_edits_what_the_search_found_while_the_search_field_has_the_focus() -> None:
    """Type a name, then Ctrl+E: the search field (an Input, where Ctrl+E is "end of line")
    does not swallow it; the first result opens in the form."""
    from tws_tui.console.screens.contacts.form import ContactForm
    from tws_tui.console.widgets.lazy_field import TypingField
    from tws_tui.core.model import Contact

    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        store = console.app.directories().store
        store.add(Contact("", "private", "Zéphyrin Quintal", (("", "0102030405"),)))
        await pilot.press(*"quintal")
        await search_done(pilot, console)
        assert isinstance(console.app.focused, TypingField)
        await pilot.press("ctrl+e")
        await settle(pilot)
        form = console.app.screen
        assert isinstance(form, ContactForm)
        assert form.query_one("#contact-name").value == "Zéphyrin Quintal"


def test_crm_links_fill_the_placeholders_url_encoded() -> None:
    from tws_tui.contacts.crm import crm_link
    from tws_tui.core.model import Contact

    zoe = Contact("7", "private", "Zoé d'Aubigné", (("", "+33 6 12"),), email="z@x.fr")
    template = "https://crm.example/s?tel={number}&n={name}&m={email}&i={id}&x={other}"
    assert crm_link(template, zoe) == (
        "https://crm.example/s?tel=%2B33%206%2012&n=Zo%C3%A9%20d%27Aubign%C3%A9"
        "&m=z%40x.fr&i=7&x={other}"
    )


async def test_ctrl_g_opens_the_selected_colleague_in_the_crm(monkeypatch: Any) -> None:
    """WPL-7-5: the link is copied and shown; on the desktop the browser opens it."""
    from tws_tui.settings.schema import ContactSettings

    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", opened.append)
    monkeypatch.delenv("SSH_CONNECTION", raising=False)
    monkeypatch.delenv("SSH_TTY", raising=False)
    template = "https://crm.example/search?phone={number}"
    console = build_console(contacts=ContactSettings(crm_url=template))
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        colleague = idle_colleagues(console)[0]
        contacts = console.app.screen.query_one("#contact-list", RowList)
        contacts.focus()
        assert contacts.select_key(f"dev:{colleague.device_id}")
        await pilot.press("ctrl+g")
        await settle(pilot)
        for _ in range(50):
            if opened:
                break
            await pilot.pause(0.02)
        url = f"https://crm.example/search?phone={colleague.extension}"
        assert opened == [url] and console.app.clipboard == url
        assert any(url in str(n.message) for n in console.app._notifications)
        monkeypatch.setenv("SSH_CONNECTION", "10.0.0.1 5000 10.0.0.2 22")
        await pilot.press("ctrl+g")  # over SSH: shown and copied, no browser here
        await settle(pilot)
        assert opened == [url]
