"""``PublicContacts``: the public contacts left on this machine when the phone system keeps the
public directory (``Capability.SHARED_CONTACTS``, the CTI server).

They were made while the public directory was a local file (the simulator, or a version of
the console before): no other user sees them. Once connected, the first time in a run that
such contacts exist, the console asks once: ``Y`` publishes them (each added to the server's
public directory, then removed here: nothing is lost, and a refusal stops there with the rest
kept here), ``N`` keeps them on this machine (said, with how to publish one later: the
public/private key ``P`` of the contact manager publishes a local public contact). The
question comes again at the next start while some are left.
"""

from __future__ import annotations

import logging

from tws_tui.console.api import ConsoleApi
from tws_tui.core.topics import Topic
from tws_tui.platform.i18n import _, ngettext

log = logging.getLogger(__name__)


class PublicContacts:
    def __init__(self, api: ConsoleApi) -> None:
        self.api = api
        self.asked = False  # once a run

    def connected(self) -> None:
        backend = self.api.backend
        if self.asked or backend is None or backend.shared_contacts is None:
            return
        self.api.run_background(self._offer, group="public-contacts")

    async def _offer(self) -> None:
        from tws_tui.console.screens.contacts.store_work import STORE_ERRORS, in_store_thread
        from tws_tui.console.screens.modals.confirm import ConfirmScreen

        directories = self.api.directories()
        public = directories.public_directory() if directories is not None else None
        if public is None or not public.on_server or self.asked:
            return
        try:
            local = await in_store_thread(public.local_public)
        except STORE_ERRORS as error:
            log.warning("local public contacts not read: %s", error)
            return
        if not local:
            return
        self.asked = True
        question = ngettext(
            "{count} public contact is on this machine only: other users do not see it."
            " Publish it in the phone system's public directory? Y publishes it, N keeps it"
            " here.",
            "{count} public contacts are on this machine only: other users do not see them."
            " Publish them in the phone system's public directory? Y publishes them, N keeps"
            " them here.",
            len(local),
        ).format(count=len(local))

        def answered(yes: bool | None) -> None:
            if yes:
                self.api.run_background(publish, group="public-contacts")
            else:
                self.api.notify(
                    _(
                        "Your public contacts stay on this machine. To publish one later:"
                        " the contact manager (Ctrl+O), the contact, then P."
                    ),
                    markup=False,
                )

        async def publish() -> None:
            try:
                done, stopped = await in_store_thread(public.publish_local)
            except STORE_ERRORS as error:
                done, stopped = 0, str(error)
            published = ngettext(
                "{count} contact published: every user sees it.",
                "{count} contacts published: every user sees them.",
                done,
            ).format(count=done)
            if stopped is None:
                self.api.notify(published, markup=False)
            else:
                self.api.notify(
                    _("{published} The others stay on this machine: {why}").format(
                        published=published, why=stopped
                    ),
                    severity="warning",
                    markup=False,
                )
            self.api.topics_changed({Topic.DIRECTORY})

        self.api.push_screen(ConfirmScreen(question), answered)
