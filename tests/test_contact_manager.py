"""Changing contacts from the console: the form, deleting, public/private, lists, the contact
manager, and import/export through it — each checked in the contact store afterwards."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers import (
    add_colleague_to_list,
    build_console,
    idle_colleagues,
    screen_text,
    store_done,
    until,
)

from tws_tui.console.screens.contacts.form import ContactForm
from tws_tui.console.screens.contacts.manager import ContactManagerScreen
from tws_tui.console.widgets.row_list import RowList
from tws_tui.contacts.store import ContactStore
from tws_tui.core.model import Contact, Forward, ForwardKind, PresenceState

SIZE = (110, 36)


async def settle(pilot: Any, rounds: int = 6) -> None:
    """Pause ``rounds`` times, the contact store's work (a thread) done first."""
    await store_done(pilot)
    for _ in range(rounds):
        await pilot.pause()


def store_of(console: Any) -> ContactStore:
    directories = console.app.directories()
    assert directories is not None and directories.store is not None
    return directories.store


async def fill(pilot: Any, field_id: str, text: str) -> None:
    field = pilot.app.screen.query_one(f"#{field_id}")
    field.value = text
    await pilot.pause()


async def open_manager(pilot: Any) -> ContactManagerScreen:
    await pilot.press("ctrl+o")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ContactManagerScreen)
    return screen


def rows(screen: Any, widget_id: str) -> dict[str, tuple[str, ...]]:
    table = screen.query_one(f"#{widget_id}", RowList)
    return {key: table.row(key) for key in table.row_keys()}


async def test_new_contact_from_contacts_is_saved_and_found_by_search() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(console.app.screen, ContactForm)
        await fill(pilot, "contact-name", "Émilie Durand")
        await fill(pilot, "contact-company", "Boulangerie Durand")
        await fill(pilot, "number-0", "01.23.45.67.89")
        await fill(pilot, "number-1", "+33 6 12 34 56 78")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(console.app.screen, ContactForm)
        [saved] = store_of(console).all()
        assert saved.source == "private" and saved.name == "Émilie Durand"
        assert saved.numbers == (("Office", "01.23.45.67.89"), ("Mobile", "+33 6 12 34 56 78"))
        await pilot.press(*"durand")
        for _ in range(100):
            await pilot.pause(0.02)
            if f"private:{saved.id}" in rows(console.app.screen, "contact-list"):
                break
        assert rows(console.app.screen, "contact-list")[f"private:{saved.id}"][0] == (
            "Émilie Durand"
        )


async def test_a_number_with_letters_is_refused_in_the_form_and_nothing_is_lost() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        store = store_of(console)
        kept = store.add(Contact("", "private", "Paul Martin", (("Office", "0145454545"),)))
        await pilot.press("ctrl+n")
        await settle(pilot)
        await fill(pilot, "contact-name", "Jean Faux")
        await fill(pilot, "number-0", "01 23 AB 67 89")
        await pilot.press("ctrl+s")
        await settle(pilot)
        form = console.app.screen
        assert isinstance(form, ContactForm)  # still open, what was typed still there
        error = str(form.query_one("#contact-error").render())
        assert "'01 23 AB 67 89' is not a phone number" in error
        assert form.query_one("#contact-name").value == "Jean Faux"
        assert store.all() == [kept]
        await fill(pilot, "number-0", "01 23 45 67 89")  # corrected: saved
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [c.name for c in store.all()] == ["Paul Martin", "Jean Faux"]


async def test_a_contact_needs_a_number_or_an_email() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        await fill(pilot, "contact-name", "Sans Numéro")
        await pilot.press("ctrl+s")
        await settle(pilot)
        error = str(console.app.screen.query_one("#contact-error").render())
        assert "at least one phone number or an e-mail address" in error
        await fill(pilot, "contact-email", "sans.numero@example.fr")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [c.email for c in store_of(console).all()] == ["sans.numero@example.fr"]


async def test_more_details_are_added_in_the_form_and_kept_when_edited_again() -> None:
    """TWS-2.5.1-6/-7: Ctrl+R adds a detail line (kind, value); an address is typed with
    " / " between its lines; a wrong web address is refused in the form, nothing lost."""
    from textual.widgets import Select

    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        await fill(pilot, "contact-name", "Anaïs Bénard")
        await fill(pilot, "number-0", "07 11 22 33 44")
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert console.app.screen.focused is console.app.screen.query_one("#detail-0")
        await fill(pilot, "detail-0", "accueil@exemple.fr")  # an e-mail line by default
        for index, (kind, value) in enumerate(
            (("address", "43 rue de Dunkerque / Bât. A/3 / 75010 PARIS"), ("url", "exemple")),
            start=1,
        ):
            await pilot.press("ctrl+r")
            await settle(pilot)
            console.app.screen.query_one(f"#detail-kind-{index}", Select).value = kind
            await fill(pilot, f"detail-{index}", value)
        await pilot.press("ctrl+s")
        await settle(pilot)
        form = console.app.screen
        assert isinstance(form, ContactForm)
        assert "'exemple' is not a web address" in str(form.query_one("#contact-error").render())
        await fill(pilot, "detail-2", "https://exemple.fr")
        await pilot.press("ctrl+s")
        await settle(pilot)
        [saved] = store_of(console).all()
        assert saved.details == (
            ("email", "accueil@exemple.fr"),
            ("address", "43 rue de Dunkerque\nBât. A/3\n75010 PARIS"),
            ("url", "https://exemple.fr"),
        )
        edit = ContactForm(saved, store_of(console).update, public_on_server=False)
        await console.app.push_screen(edit)
        await settle(pilot)
        assert edit.query_one("#detail-1").value == "43 rue de Dunkerque / Bât. A/3 / 75010 PARIS"
        assert edit.filled() == saved  # opened and saved unchanged: nothing lost


async def test_manager_edit_visibility_delete_and_list_membership() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        store = store_of(console)
        anne = store.add(Contact("", "private", "Anne Leroy", (("Mobile", "0612121212"),)))
        vip = store.create_list("VIP")
        screen = await open_manager(pilot)
        assert rows(screen, "manager-sources")["private"][1] == "1"
        assert rows(screen, "manager-sources")[f"list:{vip.id}"] == ("≡ VIP", "0")
        screen.query_one("#manager-contacts", RowList).focus()
        await pilot.press("e")  # edit
        await settle(pilot)
        await fill(pilot, "contact-company", "Leroy & Fils")
        await pilot.press("enter")
        await settle(pilot)
        assert store.get(anne.id).company == "Leroy & Fils"

        await pilot.press("p")  # to the public directory
        await settle(pilot)
        assert store.get(anne.id).source == "public"
        screen.query_one("#manager-sources", RowList).select_key("public")
        await settle(pilot)
        assert list(rows(screen, "manager-contacts")) == [f"public:{anne.id}"]

        screen.query_one("#manager-contacts", RowList).focus()
        await pilot.press("a")  # the lists of the contact: tick VIP
        await settle(pilot)
        await pilot.press("space", "enter")
        await settle(pilot)
        assert store.get_list(vip.id).entries == (("public", anne.id),)

        screen.query_one("#manager-sources", RowList).select_key(f"list:{vip.id}")
        await settle(pilot)
        assert list(rows(screen, "manager-contacts")) == [f"public:{anne.id}"]
        screen.query_one("#manager-contacts", RowList).focus()
        await pilot.press("x")  # out of the list, no question asked
        await settle(pilot)
        assert store.get_list(vip.id).entries == ()

        screen.query_one("#manager-sources", RowList).select_key("public")
        await settle(pilot)
        screen.query_one("#manager-contacts", RowList).focus()
        await pilot.press("delete")
        await settle(pilot)
        await pilot.press("n")  # the confirmation: no
        await settle(pilot)
        assert store.get(anne.id) is not None
        await pilot.press("delete")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert store.get(anne.id) is None


async def test_contacts_sharing_an_email_are_told_apart_before_edit_and_delete() -> None:
    """TWS-2.5.3-2 / TWS-2.5.5.2-1: "Name — [Directory]" rows, Enter picks the one meant."""
    from tws_tui.console.screens.modals.choice import ChoiceScreen

    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        store = store_of(console)
        desk = store.add(Contact("", "public", "Accueil ACME", (), email="accueil@acme.fr"))
        paul = store.add(
            Contact(
                "",
                "private",
                "Paul Acme",
                (("Mobile", "0611111111"),),
                details=(("email", "Accueil@ACME.fr"),),
            )
        )
        screen = await open_manager(pilot)
        screen.query_one("#manager-sources", RowList).select_key("public")
        await settle(pilot)
        screen.query_one("#manager-contacts", RowList).focus()
        await pilot.press("e")
        await settle(pilot)
        choice = console.app.screen
        assert isinstance(choice, ChoiceScreen)
        assert dict(choice.options) == {
            desk.id: "Accueil ACME — [Public contacts]",
            paul.id: "Paul Acme — [Private contacts]",
        }
        await pilot.press("down", "enter")  # Paul, not the one selected
        await settle(pilot)
        form = console.app.screen
        assert isinstance(form, ContactForm) and form.contact == paul
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("delete")
        await settle(pilot)
        await pilot.press("enter")  # the one selected: the desk
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert store.get(desk.id) is None and store.get(paul.id) == paul


async def test_lists_are_created_edited_reordered_and_deleted_in_the_manager() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        store = store_of(console)
        screen = await open_manager(pilot)
        for name in ("Direction", "Comptabilité"):
            await pilot.press("l")
            await settle(pilot)
            await fill(pilot, "list-name", name)
            await pilot.press("enter")
            await settle(pilot)
        assert [lst.name for lst in store.lists()] == ["Direction", "Comptabilité"]
        await pilot.press("l")  # a name that is too long is refused in the form
        await settle(pilot)
        await fill(pilot, "list-name", "x" * 41)
        console.app.screen.query_one("#list-name").value = "y" * 41  # past max_length
        await pilot.press("enter")
        await settle(pilot)
        assert "limited to 40 characters" in str(
            console.app.screen.query_one("#list-error").render()
        )
        await pilot.press("escape")
        await settle(pilot)
        compta = store.lists()[1]
        assert screen.query_one("#manager-sources", RowList).selected_key == f"list:{compta.id}"
        screen.query_one("#manager-sources", RowList).focus()
        await pilot.press("ctrl+up")
        await settle(pilot)
        assert [lst.name for lst in store.lists()] == ["Comptabilité", "Direction"]
        await pilot.press("r")  # properties: public, supervised, on the home screen, sorted
        await settle(pilot)
        await pilot.press("tab", "space", "tab", "space", "tab", "space")
        form = console.app.screen
        form.query_one("#list-sort").value = "available_first"
        form.query_one("#list-display").value = "reduced"
        await pilot.press("ctrl+s")
        await settle(pilot)
        changed = store.get_list(compta.id)
        assert changed.public and changed.supervised and changed.visible
        assert (changed.sort, changed.display) == ("available_first", "reduced")
        assert (
            "(public, home screen, supervised)"
            in (rows(screen, "manager-sources")[f"list:{compta.id}"][0])
        )
        await pilot.press("d", "y")
        await settle(pilot)
        assert [lst.name for lst in store.lists()] == ["Direction"]


async def test_a_colleague_added_to_a_supervised_list_gets_a_tile() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        store = store_of(console)
        colleague = idle_colleagues(console)[0]
        team = store.create_list("Équipe", supervised=True)
        contacts = console.app.screen.query_one("#contact-list", RowList)
        contacts.focus()
        assert contacts.select_key(f"dev:{colleague.device_id}")
        await pilot.press("ctrl+l", "space", "enter")  # tick the list
        await settle(pilot)
        [entry] = store.list_contacts(team.id)
        assert entry.name == colleague.name and entry.device_id == colleague.device_id
        for _ in range(50):
            await pilot.pause(0.02)
            if colleague.device_id in console.app.lists.supervised:
                break
        await settle(pilot)
        tiles = console.app.screen.query_one("#blf")
        assert [d.device_id for d in tiles.devices] == [colleague.device_id]
        assert colleague.name in str(tiles.render())


async def test_a_company_contact_cannot_be_deleted_and_editing_makes_a_private_copy() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        colleague = idle_colleagues(console)[0]
        contacts = console.app.screen.query_one("#contact-list", RowList)
        contacts.focus()
        assert contacts.select_key(f"dev:{colleague.device_id}")
        await pilot.press("delete")
        await settle(pilot)
        assert "cannot be deleted here" in " ".join(
            str(n.message) for n in console.app._notifications
        )
        await pilot.press("ctrl+e")
        await settle(pilot)
        form = console.app.screen
        assert isinstance(form, ContactForm)
        assert form.query_one("#contact-name").value == colleague.name
        await fill(pilot, "contact-email", "perso@example.fr")
        await pilot.press("ctrl+s")
        await settle(pilot)
        [copy] = store_of(console).all()
        assert copy.source == "private" and copy.email == "perso@example.fr"
        assert copy.numbers[0][1] == colleague.extension


@pytest.mark.parametrize("suffix", [".csv", ".vcf"])
async def test_import_then_export_round_trip_through_the_manager(
    tmp_path: Path, suffix: str
) -> None:
    source = tmp_path / f"in{suffix}"
    if suffix == ".csv":
        source.write_text(
            "name,company,department,email,numbers\n"
            'Émilie Dûrand,Café Zoé,Accueil,emilie@example.fr,"Bureau:01 23 45 67 89;'
            'Mobile:+33 6 12 34 56 78"\n'
            "Broken,line,with,too,many,fields\n"
            "Paul Martin,,,,0145454545\n",
            encoding="utf-8",
        )
    else:
        source.write_text(
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Émilie Dûrand\r\nN:Dûrand;Émilie;;;\r\n"
            "ORG:Café Zoé\r\nTEL;TYPE=WORK:01 23 45 67 89\r\nTEL;TYPE=CELL:+33 6 12 34 56 78\r\n"
            "EMAIL:emilie@example.fr\r\nEND:VCARD\r\n"
            "BEGIN:VCARD\r\nVERSION:3.0\r\nTEL:0101010101\r\nEND:VCARD\r\n"
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Paul Martin\r\nTEL:0145454545\r\nEND:VCARD\r\n",
            encoding="utf-8",
        )
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        store = store_of(console)
        store.add(Contact("", "private", "Déjà Là", (("Office", "0199999999"),)))
        screen = await open_manager(pilot)
        await pilot.press("i")
        await settle(pilot)
        await fill(pilot, "file-name", str(source))
        await pilot.press("enter")
        await until(pilot, lambda: console.app.screen.query("#preview-counts"), "the preview")
        shown = screen_text(console.app)
        assert "new: 2 · completed: 0 · already there: 0 · refused: 1" in shown
        where = "line 3:" if suffix == ".csv" else "card 2: Card starting on line 10"
        assert where in shown
        recognised = "tws-tui CSV" if suffix == ".csv" else "vCard"
        assert f"Recognised: {recognised}" in shown
        assert len(store.all()) == 1  # nothing written before Enter
        await pilot.press("enter")
        await until(pilot, lambda: len(store.all()) == 3, "the import written")
        await settle(pilot)
        names = sorted(c.name for c in store.all())
        assert names == ["Déjà Là", "Paul Martin", "Émilie Dûrand"]  # nothing lost
        emilie = next(c for c in store.all() if c.name == "Émilie Dûrand")
        assert [n for _, n in emilie.numbers] == ["01 23 45 67 89", "+33 6 12 34 56 78"]

        out = tmp_path / f"out{suffix}"
        screen.query_one("#manager-sources", RowList).select_key("private")
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        await fill(pilot, "file-name", str(out))
        await pilot.press("enter")
        for _ in range(100):
            await pilot.pause(0.02)
            if out.exists():
                break
        again = ContactStore(tmp_path / "again.sqlite3")
        from tws_tui.contacts.exchange import import_csv, import_vcard

        report2 = (import_vcard if suffix == ".vcf" else import_csv)(out)
        assert report2.problems == ()
        again.add_many(report2.contacts)
        assert sorted((c.name, c.numbers, c.company, c.email) for c in again.all()) == sorted(
            (c.name, c.numbers, c.company, c.email) for c in store.all()
        )


async def test_a_big_directory_is_read_in_a_thread_and_filtered(monkeypatch: Any) -> None:
    """Above BIG_DIRECTORY contacts the manager reads and filters off the screen's loop and
    draws rows on demand; the count, the filter and the selection still work."""
    import tws_tui.console.screens.contacts.manager as manager

    monkeypatch.setattr(manager, "BIG_DIRECTORY", 50)
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        store = store_of(console)
        store.add_many(
            Contact("", "private", f"Personne {i:03d}", (("Mobile", f"06{i:08d}"),))
            for i in range(120)
        )
        store.add(Contact("", "private", "Zoé Unique", (("Mobile", "0799999999"),)))
        screen = await open_manager(pilot)
        for _ in range(100):
            await pilot.pause(0.02)
            if screen.query_one("#manager-contacts", RowList).row_count == 121:
                break
        table = screen.query_one("#manager-contacts", RowList)
        assert table.row_count == 121
        assert table.row(table.row_keys()[0])[0] == "Personne 000"
        assert "121 contacts" in str(screen.query_one("#manager-count").render())
        await pilot.press(*"zoé")
        for _ in range(100):
            await pilot.pause(0.02)
            if table.row_count == 1:
                break
        assert [table.row(k)[0] for k in table.row_keys()] == ["Zoé Unique"]
        assert "1 of 121 contacts" in str(screen.query_one("#manager-count").render())
        table.focus()
        await settle(pilot)
        selected = screen.selected_contact()
        assert selected is not None and selected.name == "Zoé Unique"


async def test_a_big_directory_read_before_follows_a_new_name_sort(monkeypatch: Any) -> None:
    """The big directory's cached reading is by one name order: another order reads again."""
    import tws_tui.console.screens.contacts.manager as manager

    monkeypatch.setattr(manager, "BIG_DIRECTORY", 50)
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        store_of(console).add_many(
            Contact("", "private", f"{first} {last}", (("Mobile", f"06{i:08d}"),))
            for i, (first, last) in enumerate(
                (f"Prénom{i:03d}", f"Nom{119 - i:03d}") for i in range(120)
            )
        )
        screen = await open_manager(pilot)
        table = screen.query_one("#manager-contacts", RowList)

        async def first_row() -> str:
            for _ in range(100):
                await pilot.pause(0.02)
                if table.row_count == 120:
                    break
            reading = [w for w in console.app.workers if w.group == "manager-contacts"]
            if reading:  # an empty list would wait for every worker (the event pump)
                await console.app.workers.wait_for_complete(reading)
            return table.row(table.row_keys()[0])[0]

        assert await first_row() == "Prénom000 Nom119"
        console.app.prefs.change("contacts", name_sort="last")
        screen._show_contacts()
        assert await first_row() == "Prénom119 Nom000"


async def test_lists_on_the_home_screen_are_sorted_drawn_and_folded() -> None:
    """TWS-1.5.2-2 / TWS-2.4.2-3/-6/-7: a list shown on the home screen heads the Contacts
    list, sorted as it says (available colleagues first here), reduced rows; Space folds it."""
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        store = store_of(console)
        busy, free = idle_colleagues(console)[:2]
        console.backend.switch.set_presence(busy.device_id, PresenceState.BUSY)
        team = store.create_list("Équipe", visible=True, sort="available_first", display="reduced")
        hidden = store.create_list("Pas ici")
        for person in (busy, free):
            add_colleague_to_list(store, team.id, person)
            add_colleague_to_list(store, hidden.id, person)
        local = store.add(Contact("", "private", "Aline Locale", (("", "0102030405"),)))
        store.add_to_list(team.id, "private", local.id)
        console.app.lists.refresh()
        for _ in range(100):
            await pilot.pause(0.02)
            if console.app.lists.home_lists:
                break
        await settle(pilot)
        listed = console.app.screen.query_one("#contact-list", RowList)
        keys = listed.row_keys()
        header = f"home:{team.id}"
        assert keys[0] == header and listed.row(header)[0] == "▾ Équipe (3)"
        names = [listed.row(k)[0] for k in keys[1:4]]
        # available first, then by name; reduced: the presence symbol and the name, one line
        assert names == [f"● {free.name}", "  Aline Locale", f"◉ {busy.name}"]
        assert listed.row(keys[1])[1:3] == ("", "")  # no number, no department
        assert listed.row(keys[3])[4].endswith("Busy")  # the presence in words too
        assert "home-colleagues" in keys and f"home:{hidden.id}" not in keys
        listed.focus()
        listed.select_key(keys[2])
        await pilot.press("space")
        await settle(pilot)
        keys = listed.row_keys()
        assert keys[0] == header and listed.row(header)[0] == "▸ Équipe (3)"
        assert keys[1] == "home-colleagues" and listed.selected_key == header
        await pilot.press("space")
        await settle(pilot)
        assert len(listed.row_keys()) > len(keys)


async def test_colleagues_are_browsed_by_department_with_their_line_and_forward() -> None:
    """Webpilot §7: the phone system's directory by department (WPL-7-2/-4), each colleague
    with the state of their line and their forwarding (WPL-7-6)."""
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        devices = console.app.state.devices.values()
        department = sorted(d.department for d in devices if d.department)[0]
        members = sorted(
            (d for d in devices if d.department == department), key=lambda d: d.name.casefold()
        )
        console.backend.switch.set_forward(
            members[0].device_id, ForwardKind.UNCONDITIONAL, Forward(True, "0612345678")
        )
        screen = await open_manager(pilot)
        sources = rows(screen, "manager-sources")
        assert sources["dept:"][1] == str(len(console.app.state.devices))
        assert sources[f"dept:{department}"] == (f"  {department}", str(len(members)))
        screen.query_one("#manager-sources", RowList).select_key(f"dept:{department}")
        await settle(pilot)
        shown = rows(screen, "manager-contacts")
        assert [row[0] for row in shown.values()] == [d.name for d in members]
        first = next(iter(shown.values()))
        assert first[4] == "○ Free  → +33612345678"
        await pilot.press(*members[-1].name.split()[0].lower())  # the filter, in the department
        await settle(pilot)
        assert members[-1].name in [row[0] for row in rows(screen, "manager-contacts").values()]
