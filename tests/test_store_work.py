"""The contact store's writes (and the business card's number lookup) run in the store's thread,
never on the UI loop; one at a time, in the order asked; a refusal is a notification."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from helpers import build_console, local_store, store_done

from tws_tui.console.screens.contacts.business_card import BusinessCardScreen
from tws_tui.console.screens.contacts.form import ContactForm
from tws_tui.console.screens.contacts.manager import ContactManagerScreen
from tws_tui.console.screens.contacts.store_work import in_store_thread
from tws_tui.console.widgets.row_list import RowList
from tws_tui.contacts.store import ContactStore, ContactStoreError
from tws_tui.core.model import Contact

SIZE = (110, 36)
RECORDED = (
    "add",
    "update",
    "delete",
    "create_list",
    "edit_list",
    "delete_list",
    "add_to_list",
    "remove_from_list",
    "move_list",
    "find_by_number",
)


def record_threads(store: ContactStore) -> dict[str, set[int]]:
    """Wrap ``store``'s writes (and ``find_by_number``): which threads called each."""
    threads: dict[str, set[int]] = {}

    def recording(name: str, method: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            threads.setdefault(name, set()).add(threading.get_ident())
            return method(*args, **kwargs)

        return call

    for name in RECORDED:
        setattr(store, name, recording(name, getattr(store, name)))
    return threads


async def settle(pilot: Any) -> None:
    await store_done(pilot)
    for _ in range(4):
        await pilot.pause()


async def test_writes_and_the_card_lookup_run_off_the_ui_thread() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ui_thread = threading.get_ident()
        store = local_store(console)
        paul = store.add(Contact("", "private", "Paul Martin", (("Office", "0145454545"),)))
        vip = store.create_list("VIP")
        threads = record_threads(store)

        await pilot.press("ctrl+n")  # a new contact, saved from the form
        await settle(pilot)
        assert isinstance(console.app.screen, ContactForm)
        console.app.screen.query_one("#contact-name").value = "Jeanne Martin"
        console.app.screen.query_one("#number-0").value = "0145454545"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(console.app.screen, ContactForm)
        jeanne = next(c for c in store.all() if c.name == "Jeanne Martin")

        await pilot.press("ctrl+o")  # the manager: a list made, the contact ticked in, deleted
        await settle(pilot)
        manager = console.app.screen
        assert isinstance(manager, ContactManagerScreen)
        await pilot.press("l")
        await settle(pilot)
        console.app.screen.query_one("#list-name").value = "Suppliers"
        await pilot.press("enter")
        await settle(pilot)
        manager.query_one("#manager-sources", RowList).select_key("private")
        await settle(pilot)
        contacts = manager.query_one("#manager-contacts", RowList)
        assert contacts.select_key(f"private:{jeanne.id}")
        contacts.focus()
        await pilot.press("c")  # her card: Paul shares her number; tick VIP
        await settle(pilot)
        card = console.app.screen
        assert isinstance(card, BusinessCardScreen)
        assert "Paul Martin" in str(card.query_one("#card-identity").content)
        await pilot.press("]", "]", "]", "enter", "escape")
        await settle(pilot)
        assert ("private", jeanne.id) in store.get_list(vip.id).entries
        contacts.focus()
        await pilot.press("delete", "y")
        await settle(pilot)
        assert store.get(jeanne.id) is None and store.get(paul.id) is not None

        asked = {"add", "create_list", "find_by_number", "add_to_list", "delete"}
        assert asked <= set(threads), f"not called: {asked - set(threads)}"
        on_ui = sorted(name for name, idents in threads.items() if ui_thread in idents)
        assert on_ui == [], f"run on the UI thread: {on_ui}"


async def test_store_work_runs_in_the_order_asked_one_at_a_time() -> None:
    order: list[str] = []
    running = [0]

    def work(name: str, seconds: float) -> Callable[[], str]:
        def run() -> str:
            running[0] += 1
            assert running[0] == 1, "two pieces of store work at once"
            time.sleep(seconds)
            order.append(name)
            running[0] -= 1
            return name

        return run

    import asyncio

    results = await asyncio.gather(
        in_store_thread(work("first", 0.05)),
        in_store_thread(work("second", 0.0)),
        in_store_thread(work("third", 0.01)),
    )
    assert results == order == ["first", "second", "third"]


async def test_a_refused_write_is_a_notification_and_the_screen_stays(monkeypatch: Any) -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        store = local_store(console)
        paul = store.add(Contact("", "private", "Paul Martin", (("Office", "0145454545"),)))

        def read_only(_contact: Contact) -> Contact:
            raise ContactStoreError(store.path, "read only")

        monkeypatch.setattr(store, "update", read_only)
        await pilot.press("ctrl+o")
        await settle(pilot)
        manager = console.app.screen
        assert isinstance(manager, ContactManagerScreen)
        contacts = manager.query_one("#manager-contacts", RowList)
        assert contacts.select_key(f"private:{paul.id}")
        contacts.focus()
        await pilot.press("p")  # to the public directory: refused
        await settle(pilot)
        assert console.app.screen is manager
        assert store.get(paul.id).source == "private"
        messages = [n.message for n in console.app._notifications]
        assert any("read only" in message for message in messages), messages


async def test_esc_while_the_form_saves_waits_for_the_save() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        store = local_store(console)
        release = threading.Event()
        add = store.add

        def slow_add(contact: Contact) -> Contact:
            assert release.wait(5)
            return add(contact)

        store.add = slow_add  # type: ignore[method-assign]
        await pilot.press("ctrl+n")
        await settle(pilot)
        form = console.app.screen
        assert isinstance(form, ContactForm)
        form.query_one("#contact-name").value = "Jeanne Martin"
        form.query_one("#number-0").value = "0145454545"
        await pilot.press("ctrl+s", "escape", "ctrl+s")  # Esc and a second save: no effect
        await pilot.pause()
        assert console.app.screen is form
        release.set()
        await settle(pilot)
        assert console.app.screen is not form
        assert [c.name for c in store.all()] == ["Jeanne Martin"]
        messages = [n.message for n in console.app._notifications]
        assert "Jeanne Martin saved." in messages


async def test_a_move_repeated_before_the_redraw_moves_the_same_contact_again() -> None:
    import asyncio

    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        store = local_store(console)
        team = store.create_list("Team")
        people = [
            store.add(Contact("", "private", name, (("", number),)))
            for name, number in (("Anne", "0101010101"), ("Bea", "0202020202"), ("Cid", "03030303"))
        ]
        for person in people:
            store.add_to_list(team.id, person.source, person.id)
        await pilot.press("ctrl+o")
        await settle(pilot)
        manager = console.app.screen
        assert isinstance(manager, ContactManagerScreen)
        manager.query_one("#manager-sources", RowList).select_key(f"list:{team.id}")
        await settle(pilot)
        contacts = manager.query_one("#manager-contacts", RowList)
        contacts.focus()
        assert contacts.select_key(f"private:{people[0].id}")
        await settle(pilot)
        release = threading.Event()
        held = asyncio.ensure_future(in_store_thread(lambda: release.wait(5)))
        await pilot.press("ctrl+down", "ctrl+down")  # both before either is written
        release.set()
        await held
        await settle(pilot)
        order = [contact_id for _source, contact_id in store.get_list(team.id).entries]
        assert order == [people[1].id, people[2].id, people[0].id]


async def test_public_private_repeated_before_the_redraw_moves_the_contact_back() -> None:
    import asyncio

    console = build_console()
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        store = local_store(console)
        paul = store.add(Contact("", "private", "Paul Martin", (("Office", "0145454545"),)))
        await pilot.press("ctrl+o")
        await settle(pilot)
        manager = console.app.screen
        assert isinstance(manager, ContactManagerScreen)
        contacts = manager.query_one("#manager-contacts", RowList)
        assert contacts.select_key(f"private:{paul.id}")
        contacts.focus()
        release = threading.Event()
        held = asyncio.ensure_future(in_store_thread(lambda: release.wait(5)))
        await pilot.press("p", "p")  # both before either is written
        release.set()
        await held
        await settle(pilot)
        assert store.get(paul.id).source == "private"
        messages = [n.message for n in console.app._notifications]
        assert messages[-2:] == [  # sim: the public directory is this machine's
            "Paul Martin is now public, on this machine only: other users do not see it.",
            "Paul Martin is now private: only you see it.",
        ]
