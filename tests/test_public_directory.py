"""The public directory is the phone system's with ``cti`` (issue 18), a file here with ``sim``.

On the REAL reference server (uvicorn on loopback), each console with its own local contacts
file (two desks): Alice makes a public contact in her console, Bob's console finds it by search
and by reverse lookup; Alice edits it, Bob sees the change; Bob cannot delete it (403, said in
words) and it stays. The server's rule: an operator changes or deletes only the shared contacts
they added, a supervisor anyone's. Local public contacts found at the first connection with
``cti`` are offered for publishing (Y) or kept here (N), never lost. With ``sim`` the public
directory stays a file on this machine, and the form says so.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
from cti_fixtures import ServerThread, cti_console, cti_server, make_backend
from helpers import build_console, store_done, until

from tws_tui.console.app import TwsApp
from tws_tui.console.screens.contacts.form import ContactForm
from tws_tui.console.screens.modals.confirm import ConfirmScreen
from tws_tui.console.widgets.row_list import RowList
from tws_tui.contacts.store import ContactStore
from tws_tui.core.errors import PermissionDenied
from tws_tui.core.model import Capability, Contact

__all__ = ["cti_server"]

SIZE = (120, 36)
T = TypeVar("T")
GARAGE = Contact("", "public", "Garage Quintal", (("Atelier", "01 46 46 46 46"),))


async def as_user(server: ServerThread, username: str, work: Callable[[Any], Awaitable[T]]) -> T:
    """``work(backend)`` with a backend of ``username``, asked straight from the server."""
    backend = make_backend(server.url, username=username)
    await backend.connect()
    try:
        return await work(backend)
    finally:
        await backend.close()


async def settle(pilot: Any, rounds: int = 4) -> None:
    await store_done(pilot)
    for _ in range(rounds):
        await pilot.pause()


async def fill(pilot: Any, field_id: str, text: str) -> None:
    pilot.app.screen.query_one(f"#{field_id}").value = text
    await pilot.pause()


async def search_row(pilot: Any, term: str, key: str) -> RowList:
    """Type ``term`` in the Contacts screen's search; the row ``key`` found and selected."""
    await pilot.press(*term)
    table = pilot.app.screen.query_one("#contact-list", RowList)
    await until(pilot, lambda: key in table.row_keys(), f"{key} found by {term!r}")
    assert table.select_key(key)
    await pilot.pause()
    return table


def messages(app: TwsApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_the_public_directory_is_the_servers_for_every_user(
    cti_server: ServerThread, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = cti_server
    # Alice's desk: a new contact, made public in the form.
    monkeypatch.setenv("TWS_TUI_DATA_DIR", str(tmp_path / "alice"))
    alice = cti_console(server)
    async with alice.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: alice.state.me is not None, "alice connected")
        await pilot.press("ctrl+n")
        await until(pilot, lambda: isinstance(alice.screen, ContactForm), "the form")
        await fill(pilot, "contact-name", "Garage Quintal")
        await fill(pilot, "number-0", "01 46 46 46 46")
        await pilot.click("#contact-public")
        await pilot.pause()
        hint = str(alice.screen.query_one("#contact-visibility").content)
        assert hint == "public directory, on the phone system: every user sees it"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not isinstance(alice.screen, ContactForm), "saved")
        await settle(pilot)
        directories = alice.directories()
        assert directories is not None and directories.store is not None
        assert directories.store.all() == []  # nothing public left on this machine only
    [(garage_id, author)] = server.call(
        lambda: [
            (row[0], row[1])
            for row in server.state.store._run("SELECT id, created_by FROM contacts")
        ]
    )
    assert author == "alice"

    # Bob's desk: found by search (on the Contacts screen) and by reverse lookup.
    monkeypatch.setenv("TWS_TUI_DATA_DIR", str(tmp_path / "bob"))
    bob = cti_console(server, "bob")
    async with bob.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: bob.state.me is not None, "bob connected")
        await search_row(pilot, "quintal", f"shared:{garage_id}")
        bob_dirs = bob.directories()
        assert bob_dirs is not None
        found = await bob_dirs.reverse("+33 1 46 46 46 46")
        assert found is not None and (found.id, found.name) == (garage_id, "Garage Quintal")

    # Alice edits it in her console: the server's contact changes.
    monkeypatch.setenv("TWS_TUI_DATA_DIR", str(tmp_path / "alice"))
    alice = cti_console(server)
    async with alice.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: alice.state.me is not None, "alice connected")
        await search_row(pilot, "quintal", f"shared:{garage_id}")
        await pilot.press("ctrl+e")
        await until(pilot, lambda: isinstance(alice.screen, ContactForm), "the form")
        assert alice.screen.query_one("#contact-public").value  # public: the switch says so
        await fill(pilot, "contact-company", "Quintal et fils")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not isinstance(alice.screen, ContactForm), "saved")
        await settle(pilot)

    # Bob sees the change; deleting Alice's contact is refused in words, and it stays.
    monkeypatch.setenv("TWS_TUI_DATA_DIR", str(tmp_path / "bob"))
    bob = cti_console(server, "bob")
    async with bob.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: bob.state.me is not None, "bob connected")
        table = await search_row(pilot, "quintal", f"shared:{garage_id}")
        shown = bob.screen.selected_contact()
        assert shown is not None and shown.company == "Quintal et fils"
        table.focus()  # Delete in the search field deletes a letter
        await pilot.press("delete")
        await until(pilot, lambda: isinstance(bob.screen, ConfirmScreen), "the question")
        await pilot.press("y")
        await settle(pilot)
        refusal = "Not allowed for your account: This needs a supervisor account"
        await until(pilot, lambda: refusal in messages(bob), f"the refusal said: {messages(bob)}")

    async def search(backend: Any) -> list[Contact]:
        return list(await backend.directory.search("quintal"))

    [still] = await as_user(server, "sam", search)
    assert (still.id, still.company) == (garage_id, "Quintal et fils")


async def test_only_the_author_or_a_supervisor_changes_a_shared_contact(
    cti_server: ServerThread,
) -> None:
    """The protocol's three writes, and the roles, straight against the server."""
    server = cti_server
    detailed = Contact(
        "", "public", "Cabinet Roux", (("Bureau", "0147474747"),), details=(("note", "RDV"),)
    )

    async def add(backend: Any) -> Contact:
        assert Capability.SHARED_CONTACTS in backend.capabilities
        return await backend.shared_contacts.add(detailed)  # type: ignore[no-any-return]

    added = await as_user(server, "alice", add)
    assert (added.source, added.details) == ("shared", (("note", "RDV"),))

    async def bob_writes(backend: Any) -> list[str]:
        refused = []
        for work in (
            backend.shared_contacts.update(Contact(added.id, "shared", "Pirate", added.numbers)),
            backend.shared_contacts.delete(added.id),
        ):
            try:
                await work
            except PermissionDenied as error:
                refused.append(error.msgid)
        return refused

    assert await as_user(server, "bob", bob_writes) == ["This needs a supervisor account"] * 2

    async def sam_changes(backend: Any) -> Contact:
        return await backend.shared_contacts.update(  # type: ignore[no-any-return]
            Contact(added.id, "shared", "Cabinet Roux-Martin", added.numbers)
        )

    assert (await as_user(server, "sam", sam_changes)).name == "Cabinet Roux-Martin"

    async def bob_finds(backend: Any) -> Contact | None:
        return await backend.directory.reverse("01 47 47 47 47")  # type: ignore[no-any-return]

    found = await as_user(server, "bob", bob_finds)
    assert found is not None and found.name == "Cabinet Roux-Martin"

    async def alice_deletes(backend: Any) -> Contact | None:
        await backend.shared_contacts.delete(added.id)
        return await backend.directory.reverse("01 47 47 47 47")  # type: ignore[no-any-return]

    assert await as_user(server, "alice", alice_deletes) is None


@pytest.mark.parametrize("publish", [True, False])
async def test_local_public_contacts_are_offered_for_publishing_never_lost(
    cti_server: ServerThread, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, publish: bool
) -> None:
    server = cti_server
    monkeypatch.setenv("TWS_TUI_DATA_DIR", str(tmp_path / "alice"))
    store = ContactStore()
    local = store.add(GARAGE)
    alice = cti_console(server)
    async with alice.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: isinstance(alice.screen, ConfirmScreen), "the offer")
        question = str(alice.screen.question)
        assert question.startswith("1 public contact is on this machine only")
        await pilot.press("y" if publish else "n")
        if publish:
            await until(
                pilot,
                lambda: "1 contact published: every user sees it." in messages(alice),
                "published",
            )
        await settle(pilot)

    async def search(backend: Any) -> list[str]:
        return [c.source for c in await backend.directory.search("quintal")]

    on_server = await as_user(server, "bob", search)
    kept = ContactStore().all()
    if publish:
        assert on_server == ["shared"] and kept == []
    else:
        assert on_server == [] and [c.id for c in kept] == [local.id]
        assert "Your public contacts stay on this machine." in messages(alice)[-1]


async def test_with_sim_the_public_directory_stays_on_this_machine() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(console.app.screen, ContactForm)
        await fill(pilot, "contact-name", "Garage Quintal")
        await fill(pilot, "number-0", "01 46 46 46 46")
        await pilot.click("#contact-public")
        await pilot.pause()
        hint = str(console.app.screen.query_one("#contact-visibility").content)
        assert hint.startswith("public directory on this machine only")
        await pilot.press("ctrl+s")
        await settle(pilot)
        directories = console.app.directories()
        assert directories is not None and directories.store is not None
        [saved] = directories.store.all()
        assert (saved.source, saved.name) == ("public", "Garage Quintal")
        assert not isinstance(console.app.screen, ConfirmScreen)  # nothing offered with sim


async def test_the_manager_lists_the_servers_public_directory_with_the_local_ones(
    cti_server: ServerThread, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tws_tui.console.screens.contacts.manager import ContactManagerScreen

    server = cti_server

    async def add(backend: Any) -> Contact:
        found = await backend.shared_contacts.add(GARAGE)
        assert [c.id for c in await backend.shared_contacts.contacts()] == [found.id]
        return found  # type: ignore[no-any-return]

    garage = await as_user(server, "bob", add)
    monkeypatch.setenv("TWS_TUI_DATA_DIR", str(tmp_path / "alice"))
    local = ContactStore().add(Contact("", "public", "Pressing Zola", (("", "0148484848"),)))
    alice = cti_console(server)
    async with alice.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: alice.state.me is not None, "alice connected")
        await until(pilot, lambda: isinstance(alice.screen, ConfirmScreen), "the offer")
        await pilot.press("n")  # Zola stays on this machine
        await pilot.press("ctrl+o")
        await until(pilot, lambda: isinstance(alice.screen, ContactManagerScreen), "manager")
        sources = alice.screen.query_one("#manager-sources", RowList)
        await until(pilot, lambda: sources.row("public")[1] == "2", "both counted")
        assert sources.select_key("public")
        await pilot.pause()
        contacts = alice.screen.query_one("#manager-contacts", RowList)
        assert contacts.row_keys() == [f"shared:{garage.id}", f"public:{local.id}"]


async def test_a_published_contact_stays_in_its_lists(
    cti_server: ServerThread, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tws_tui.contacts.public_directory import PublicDirectory

    monkeypatch.setenv("TWS_TUI_DATA_DIR", str(tmp_path / "alice"))
    store = ContactStore()
    local = store.add(GARAGE)
    suppliers = store.create_list("Fournisseurs")
    store.add_to_list(suppliers.id, local.source, local.id)
    backend = make_backend(cti_server.url, username="alice")
    await backend.connect()
    try:
        public = PublicDirectory(store, backend.shared_contacts, asyncio.get_running_loop())
        done, stopped = await asyncio.to_thread(public.publish_local)
    finally:
        await backend.close()
    assert (done, stopped) == (1, None) and store.all() == []
    [(source, contact_id)] = store.get_list(suppliers.id).entries
    [member] = store.list_contacts(suppliers.id)
    assert source == "shared" and (member.id, member.name) == (contact_id, "Garage Quintal")
