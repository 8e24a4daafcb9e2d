"""The Chat screen's "open the file" (issue 15): Ctrl+O (``chat.open_file``) saves the file of the
selected message (its first, for a message of several) — else the conversation's newest — under
the downloads folder as Alt+Z does (a safe name, never over an existing file) and hands it to
the desktop's program for its type (``platform.file_opener``: ``xdg-open``). Where nothing opens
it (no desktop, over SSH, no program for the type) the console says where it was saved. A file
whose name looks like a program (``domain.file_risk``: ``.exe``, ``.sh``, ``.bat``, ``.js``…) is
saved and opened only after the operator says yes. Each file saved or opened brings a line of
caution (TWS-4.3.5.1-2: a .zip, a protected file, a renamed extension). A mixin of
:class:`~tws_tui.console.screens.chat.ChatScreen`.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from tws_tui.console.screens.chat_files import files_of, save_received, say_caution
from tws_tui.console.screens.modals.confirm import ConfirmScreen
from tws_tui.core.model import ChatAttachment, ChatMessage, UserId
from tws_tui.core.protocols import CallControl, FileSender
from tws_tui.domain.attachments import safe_file_name
from tws_tui.domain.file_risk import looks_executable
from tws_tui.platform.file_opener import open_file
from tws_tui.platform.i18n import _

if TYPE_CHECKING:
    from tws_tui.console.screens.base import ModeScreen

    class _ChatScreen(ModeScreen):
        """What the mixin uses of ChatScreen (and of its ChatFiles, ChatSelect mixins)."""

        peer: UserId | None

        def _file_sender(self) -> FileSender | None: ...
        def _newest_file(self) -> ChatMessage | None: ...
        def selected_message(self) -> ChatMessage | None: ...
else:
    _ChatScreen = object


class ChatOpenFile(_ChatScreen):
    """Ctrl+O: a received file saved, then opened."""

    def _file_to_open(self) -> ChatMessage | None:
        selected = self.selected_message()
        if selected is not None and files_of(selected) and not selected.deleted:
            return selected
        return self._newest_file()

    def action_open_file(self) -> None:
        """Ctrl+O (``chat.open_file``): the selected (or newest) file saved and opened."""
        message = self._file_to_open()
        sender = self._file_sender()
        if sender is None or message is None or not files_of(message):
            self.tws.notify(_("No file to open in this conversation."), severity="warning")
            return
        attachment = files_of(message)[0]  # a message of several files: its first
        name = attachment.name
        if not looks_executable(name):
            self._save_and_open(sender, attachment)
            return
        question = _(
            "“{name}” looks like a program: opening it may run it on this computer. "
            "Save and open it anyway?"
        ).format(name=safe_file_name(name))

        def answered(yes: bool | None) -> None:
            if yes:
                self._save_and_open(sender, attachment)

        self.app.push_screen(ConfirmScreen(question), answered)

    def _save_and_open(self, sender: FileSender, attachment: ChatAttachment) -> None:
        async def save_and_open(backend: CallControl) -> None:
            path = await save_received(self.tws, sender, attachment)
            if path is None:
                return
            say_caution(self.tws)
            if await asyncio.to_thread(open_file, path):
                self.tws.notify(_("File opened: {path}").format(path=path), markup=False)
                return
            self.tws.notify(
                _("File saved: {path} (no program here to open it).").format(path=path),
                markup=False,
            )

        self.tws.run_command(save_and_open)
