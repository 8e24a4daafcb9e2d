"""Public contact lists between users (TWS-2.4.5-1, 2.4.6-1), from the console's side.

On the REAL reference server (uvicorn on loopback): Alice's console publishes her public list
by itself; Bob's contact manager shows it under "Public lists of other users", ``+`` adds it to
his lists (read only, its contacts shown), ``d`` takes it out again; when Alice makes her list
private again it is withdrawn. Each console has its own local contacts file (its data
directory), as on two desks.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from cti_fixtures import ServerThread, cti_console, cti_server, make_backend
from helpers import until

from tws_tui.console.screens.contacts.manager import ContactManagerScreen
from tws_tui.console.widgets.row_list import RowList
from tws_tui.contacts.sharing import ListSharing
from tws_tui.contacts.store import ContactStore, Subscription
from tws_tui.core.model import Contact

__all__ = ["cti_server"]

SIZE = (120, 36)
SUPPLIER = Contact("", "private", "Garage Moreau", (("Atelier", "01 46 46 46 46"),))


def published(server: ServerThread, username: str) -> list[Any]:
    """The public lists as ``username`` sees them, asked straight from the server."""

    async def ask() -> list[Any]:
        backend = make_backend(server.url, username=username)
        await backend.connect()
        try:
            assert backend.shared_lists is not None
            return await backend.shared_lists.lists()
        finally:
            await backend.close()

    return asyncio.run(ask())


async def test_a_public_list_is_published_added_by_a_colleague_and_withdrawn(
    cti_server: ServerThread, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = cti_server
    # Alice's desk: a public list holding a public contact and one of her private contacts,
    # which other users must not see (TWS-2.4.3-1).
    monkeypatch.setenv("TWS_TUI_DATA_DIR", str(tmp_path / "alice"))
    alice_store = ContactStore()
    garage = alice_store.add(replace(SUPPLIER, source="public"))
    doctor = alice_store.add(Contact("", "private", "Docteur Privé", (("Cabinet", "0611"),)))
    suppliers = alice_store.create_list("Fournisseurs", public=True)
    alice_store.add_to_list(suppliers.id, garage.source, garage.id)
    alice_store.add_to_list(suppliers.id, doctor.source, doctor.id)
    alice = cti_console(server)
    async with alice.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: alice.state.me is not None, "alice connected")
        seen = await asyncio.to_thread(published, server, "bob")
        for _ in range(100):
            if seen:
                break
            await pilot.pause(0.05)
            seen = await asyncio.to_thread(published, server, "bob")
        [shared] = seen
        assert (shared.name, shared.owner, shared.mine) == ("Fournisseurs", "alice", False)
        assert [c.name for c in shared.contacts] == ["Garage Moreau"]

    # Bob's desk: his own contacts file; the manager offers Alice's list.
    monkeypatch.setenv("TWS_TUI_DATA_DIR", str(tmp_path / "bob"))
    bob = cti_console(server, "bob")
    async with bob.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: bob.state.me is not None, "bob connected")
        await pilot.press("ctrl+o")
        await until(pilot, lambda: isinstance(bob.screen, ContactManagerScreen), "manager")
        manager = bob.screen
        sources = manager.query_one("#manager-sources", RowList)
        offered = f"shared:{shared.id}"
        await until(pilot, lambda: offered in sources.row_keys(), "alice's list offered")
        assert sources.row(offered) == ("  ≡ Fournisseurs — alice", "1")
        sources.focus()
        assert sources.select_key(offered)
        await pilot.pause()
        contacts = manager.query_one("#manager-contacts", RowList)
        assert [contacts.row(k)[0] for k in contacts.row_keys()] == ["Garage Moreau"]
        count = str(manager.query_one("#manager-count").content)
        assert count == "1 contact — Fournisseurs, list of alice: read only."
        await pilot.press("r")  # someone else's list: only its owner changes it
        await pilot.press("plus")
        await until(pilot, lambda: f"sub:{shared.id}" in sources.row_keys(), "added to mine")
        bob_store = bob.directories().store
        assert bob_store.subscriptions() == [Subscription(shared.id, "Fournisseurs", "alice")]
        assert offered not in sources.row_keys()  # offered once: it is mine now
        messages = [str(n.message) for n in bob._notifications]
        assert "Only its owner changes this list; copy its contacts to one of yours." in messages
        assert sources.selected_key == f"sub:{shared.id}"
        await pilot.press("d")  # out of my lists, no question asked
        await until(pilot, lambda: not bob_store.subscriptions(), "taken out")
        assert offered in sources.row_keys()
        await pilot.press("escape")

    # Alice makes it private again: withdrawn for everyone.
    monkeypatch.setenv("TWS_TUI_DATA_DIR", str(tmp_path / "alice"))
    alice_store.edit_list(suppliers.id, name="Fournisseurs", public=False, supervised=False)
    alice = cti_console(server)
    async with alice.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: alice.state.me is not None, "alice connected")
        for _ in range(100):
            if not await asyncio.to_thread(published, server, "bob"):
                break
            await pilot.pause(0.05)
        assert await asyncio.to_thread(published, server, "bob") == []


async def test_sharing_sends_only_what_changed() -> None:
    """ListSharing asks once what is mine, then publishes a list only when it changed, and
    never sends the owner's private contacts."""
    from tws_tui.contacts.store import ContactList
    from tws_tui.core.model import SharedList

    calls: list[tuple[str, ...]] = []

    class Recorder:  # records the requests; the real server is tested above
        async def lists(self) -> list[SharedList]:
            calls.append(("lists",))
            return [SharedList("me/9", "Old", "me", (), mine=True)]

        async def publish(self, list_id: str, name: str, contacts: list[Contact]) -> SharedList:
            calls.append(("publish", list_id, name, *(c.name for c in contacts)))
            return SharedList(f"me/{list_id}", name, "me", tuple(contacts), mine=True)

        async def withdraw(self, list_id: str) -> None:
            calls.append(("withdraw", list_id))

    sharing, recorder = ListSharing(), Recorder()
    vip = ContactList("1", "VIP", public=True)
    public = replace(SUPPLIER, id="4", source="public", name="Garage public")
    both = (SUPPLIER, public)  # SUPPLIER is private: kept on this desk, never sent
    assert await sharing.sync(recorder, [(vip, both)]) == 2
    assert calls == [("lists",), ("withdraw", "9"), ("publish", "1", "VIP", "Garage public")]
    assert await sharing.sync(recorder, [(vip, both)]) == 0  # nothing changed
    assert await sharing.sync(recorder, [(vip, (public,))]) == 0  # what is sent is the same
    renamed = ContactList("1", "VIP clients", public=True)
    assert await sharing.sync(recorder, [(renamed, both)]) == 1
    assert await sharing.sync(recorder, []) == 1
    assert calls[-2:] == [("publish", "1", "VIP clients", "Garage public"), ("withdraw", "1")]
