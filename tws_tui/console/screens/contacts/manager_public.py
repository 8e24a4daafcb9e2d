"""The public directory in the contact manager when the phone system keeps it (``cti``).

A mixin of :class:`~tws_tui.console.screens.contacts.manager.ContactManagerScreen`. When the
backend keeps the public directory (its ``shared_contacts``,
:mod:`tws_tui.contacts.public_directory`), the manager asks for its contacts in the background
when it opens and after each change, and shows them under "Public contacts" with the public
contacts still kept on this machine (``P`` publishes one of those). A phone system that does not
answer leaves the local ones shown, and the count line says why.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work

from tws_tui.contacts.rules import PUBLIC
from tws_tui.core.errors import CallControlError
from tws_tui.core.model import Contact
from tws_tui.domain.format import describe_error
from tws_tui.platform.i18n import _

if TYPE_CHECKING:
    from textual.screen import Screen

    from tws_tui.console.api import ConsoleApi

    _Pane = Screen[None]  # a mixin of the manager: checked as the screen it is part of
else:
    _Pane = object


class ServerPublicPane(_Pane):
    """The manager's part for the phone system's public directory (see the module docstring)."""

    tws: ConsoleApi
    _server_public: list[Contact] | None = None  # None: not kept there, or not answered yet
    _server_public_problem: str = ""

    if TYPE_CHECKING:  # provided by the manager

        def reload(self, selected: Contact | None = None) -> None: ...

    @work(exclusive=True, group="server-public", exit_on_error=False)
    async def fetch_server_public(self, selected: Contact | None = None) -> None:
        """Ask the phone system for its public directory, then redraw."""
        backend = self.tws.backend
        shared = backend.shared_contacts if backend is not None else None
        if shared is None:
            return
        try:
            found = await shared.contacts()
        except CallControlError as error:
            self._server_public_problem = _(
                "the phone system's public directory is unavailable: {error}"
            ).format(error=describe_error(error))
        else:
            self._server_public = found
            self._server_public_problem = ""
        self.reload(selected)

    def server_public_contacts(self, source: str) -> list[Contact]:
        """The phone system's public contacts shown with the ``source`` directory's."""
        if source != PUBLIC or self._server_public is None:
            return []
        return list(self._server_public)

    def server_public_note(self, source: str) -> str:
        return self._server_public_problem if source == PUBLIC else ""
