"""Other users' public lists in the contact manager (TWS-2.4.5-1, 2.4.6-1).

A mixin of :class:`~tws_tui.console.screens.contacts.manager.ContactManagerScreen`. When the phone
system keeps public lists (the backend's ``shared_lists``), the manager asks for them in the
background when it opens and shows, in its left pane:

* under my lists, the public lists of others I added (``⇄ name — owner``, source key
  ``sub:<id>``): ``d`` takes one out of my lists (it stays public for everyone else);
* then "Public lists of other users" with those not added yet (``shared:<id>``): ``+`` adds
  the one selected to my lists.

Their contacts show on the right like any list's, read only: only the owner changes a list.
My own public lists are published by the app (:mod:`tws_tui.contacts.sharing`), not shown
twice here. A list added earlier that its owner withdrew says so; a phone system that does not
answer leaves the added lists with the name and owner they had, and says why.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from textual import work
from textual.widget import Widget

from tws_tui.console.screens.contacts.store_work import STORE_ERRORS
from tws_tui.console.widgets.row_list import RowList
from tws_tui.core.errors import CallControlError
from tws_tui.core.model import Contact, SharedList
from tws_tui.domain.format import cut, describe_error
from tws_tui.platform.i18n import _

if TYPE_CHECKING:
    from textual.screen import Screen

    from tws_tui.console.api import ConsoleApi
    from tws_tui.contacts.store import ContactStore, Subscription

    _Pane = Screen[None]  # a mixin of the manager: checked as the screen it is part of
else:
    _Pane = object

SUBSCRIBED = "sub:"  # an added public list of another user: "sub:<shared id>"
SHARED = "shared:"  # one not added yet: "shared:<shared id>"; "shared:" alone: the heading
_Widget = TypeVar("_Widget", bound=Widget)
NAME_WIDTH = 27  # the manager's left pane is 34 columns: the counts stay in sight

T = TypeVar("T")


class SharedListsPane(_Pane):
    """The manager's part for other users' public lists (see the module docstring)."""

    tws: ConsoleApi
    _shared: dict[str, SharedList] | None = None  # None: not offered, or not answered yet
    _shared_problem: str = ""

    if TYPE_CHECKING:  # provided by the manager (and its Screen)

        def _store(self) -> ContactStore | None: ...
        def reload(self, selected: Contact | None = None) -> None: ...
        @property
        def selected_source(self) -> str: ...
        def _write(
            self,
            work: Callable[[], T],
            done: Callable[[T], object],
            failed: Callable[[Exception], object] | None = None,
        ) -> None: ...

    # ---- reading ------------------------------------------------------------------------------

    @work(exclusive=True, group="shared-lists", exit_on_error=False)
    async def fetch_shared_lists(self) -> None:
        """Ask the phone system for every public list, then redraw."""
        backend = self.tws.backend
        shared_lists = backend.shared_lists if backend is not None else None
        if shared_lists is None:
            return
        try:
            found = await shared_lists.lists()
        except CallControlError as error:
            self._shared_problem = _("Public lists of other users unavailable: {error}").format(
                error=describe_error(error)
            )
        else:
            self._shared = {shared.id: shared for shared in found if not shared.mine}
            self._shared_problem = ""
        self.reload()

    def _subscriptions(self) -> list[Subscription]:
        store = self._store()
        if store is None:
            return []
        try:
            return store.subscriptions()
        except STORE_ERRORS:
            return []

    def shared_rows(self) -> dict[str, tuple[str, str]]:
        """The left pane's rows for added lists, then for those I could add."""
        rows: dict[str, tuple[str, str]] = {}
        added = self._subscriptions()
        for subscription in added:
            shared = self._shared.get(subscription.shared_id) if self._shared else None
            if self._shared is not None and shared is None:
                count = _("withdrawn")
            else:
                count = str(len(shared.contacts)) if shared is not None else "…"
            name = shared.name if shared is not None else subscription.name
            owner = shared.owner if shared is not None else subscription.owner
            rows[SUBSCRIBED + subscription.shared_id] = (
                cut(f"⇄ {name} — {owner}", NAME_WIDTH),
                count,
            )
        if self._shared is None:
            return rows
        held = {subscription.shared_id for subscription in added}
        others = [shared for shared in self._shared.values() if shared.id not in held]
        if not others:
            return rows
        rows[SHARED] = (_("Others' public lists (+)"), str(len(others)))
        for shared in others:
            name = cut(f"  ≡ {shared.name} — {shared.owner}", NAME_WIDTH)
            rows[SHARED + shared.id] = (name, str(len(shared.contacts)))
        return rows

    def shared_contacts(self, source: str) -> list[Contact] | None:
        """The contacts of an added or addable public list (None: not such a source)."""
        for prefix in (SUBSCRIBED, SHARED):
            if source.startswith(prefix):
                shared = (self._shared or {}).get(source.removeprefix(prefix))
                return list(shared.contacts) if shared is not None else []
        return None

    def shared_note(self, source: str) -> str:
        """Why an added or addable list shows no contacts, else ""."""
        if not source.startswith((SUBSCRIBED, SHARED)):
            return ""
        if self._shared_problem:
            return self._shared_problem
        withdrawn = self._shared is not None and source.removeprefix(SUBSCRIBED) not in self._shared
        if source.startswith(SUBSCRIBED) and withdrawn:
            return _("Its owner withdrew this list: d takes it out of yours.")
        shared = (self._shared or {}).get(source.removeprefix(SUBSCRIBED).removeprefix(SHARED))
        if shared is None:
            return _("Read only: only its owner changes this list.")
        return _("{name}, list of {owner}: read only.").format(name=shared.name, owner=shared.owner)

    # ---- keys ---------------------------------------------------------------------------------

    def action_add_shared_list(self) -> None:
        """+: the public list of another user selected, added to my lists (TWS-2.4.5-1)."""
        source = self.selected_source
        shared = (self._shared or {}).get(source.removeprefix(SHARED))
        store = self._store()
        if not source.startswith(SHARED) or shared is None or store is None:
            self.tws.notify(
                _("Select a public list of another user first (under my lists)."),
                severity="warning",
            )
            return

        def added(_subscription: Subscription) -> None:
            self.reload()
            self.query_one("#manager-sources", RowList).select_key(SUBSCRIBED + shared.id)
            self.tws.notify(
                _("{name} ({owner}) added to your lists.").format(
                    name=shared.name, owner=shared.owner
                )
            )

        self._write(lambda: store.subscribe(shared.id, shared.name, shared.owner), added)

    def remove_added_list(self, source: str) -> bool:
        """d on an added public list: out of my lists, no question asked (it can be added
        again); whether ``source`` was one (TWS-2.4.6-1)."""
        store = self._store()
        if not source.startswith(SUBSCRIBED) or store is None:
            return False
        shared_id = source.removeprefix(SUBSCRIBED)

        def removed(_none: None) -> None:
            self.reload()
            self.tws.notify(_("The list is out of yours; it stays public for the others."))

        self._write(lambda: store.unsubscribe(shared_id), removed)
        return True

    def refuse_on_shared(self) -> bool:
        """Whether the selection is someone else's list (said so): only its owner changes it."""
        if self.selected_source.startswith((SUBSCRIBED, SHARED)):
            self.tws.notify(
                _("Only its owner changes this list; copy its contacts to one of yours."),
                severity="warning",
            )
            return True
        return False
