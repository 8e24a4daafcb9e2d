"""The Chat screen's files (issue 15, TWS Caller §4.3 attachments): attach files to the open
conversation (Alt+H, ``chat.attach``: a file tree where Space marks several files, or names
typed — :mod:`~tws_tui.console.screens.attach_picker`; ``domain.attachments`` refuses a
missing file, a folder, a name with ``..`` and anything over the size limit, in words: of
typed names none is then sent, of marked files the others are staged) and save the
newest file of the conversation (Alt+Z, ``chat.save_file``) under the downloads folder with a
safe name, never over an existing file (``name (1).ext``) — after a restart of a backend that
forgot it (sim), from the local journal, which kept its bytes. A mixin of
:class:`~tws_tui.console.screens.chat.ChatScreen`.

Where the backend's chat has no ``ChatFeature.ATTACHMENTS`` (sip) Alt+H says files cannot
be sent and Alt+Z is not offered; in an SMS conversation Alt+H says an SMS carries text only;
the thread shows a file as its name, a clip and its size.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text

from tws_tui.console.api import ConsoleApi
from tws_tui.core.errors import InvalidValue, NotFound
from tws_tui.core.model import ChatAttachment, ChatFeature, ChatMessage, UserId
from tws_tui.core.protocols import CallControl, Chat, FileSender
from tws_tui.domain.attachments import MAX_MB, check_attachment, free_path, safe_file_name
from tws_tui.domain.sms import is_sms_peer
from tws_tui.domain.text import shown_literally
from tws_tui.platform.i18n import _
from tws_tui.platform.paths import downloads_dir, ensure_dir

if TYPE_CHECKING:
    from tws_tui.console.screens.base import ModeScreen

    class _ChatScreen(ModeScreen):
        """What the mixin uses of ChatScreen."""

        peer: UserId | None

        def _messages(self) -> list[ChatMessage]: ...
        def stage_typed(self, peer: UserId, typed: str) -> None: ...
        def stage_paths(self, peer: UserId, paths: list[Path]) -> None: ...
else:
    _ChatScreen = object

#: The actions of this mixin, by the name ``check_action`` gets.
FILE_ACTIONS = frozenset({"attach", "save_file"})


def file_sender(chat: Chat | None) -> FileSender | None:
    """``chat`` as a file sender when it offers files, else None."""
    if chat is None or ChatFeature.ATTACHMENTS not in chat.features:
        return None
    return chat if isinstance(chat, FileSender) else None


def say_caution(api: ConsoleApi) -> None:
    """The line said once a received file is saved or opened (TWS-4.3.5.1-2)."""
    api.notify(
        _(
            "Careful with received files: a .zip, a protected file or being asked to rename "
            "an extension can hide a danger. In doubt, ask your IT before opening it."
        ),
        severity="warning",
    )


def shown_size(size: int) -> str:
    """``size`` bytes as people read it, in the user's language."""
    if size < 1024:
        return _("{n} B").format(n=size)
    if size < 1024 * 1024:
        return _("{n} KB").format(n=f"{size / 1024:.1f}")
    return _("{n} MB").format(n=f"{size / (1024 * 1024):.1f}")


def attachment_mark(message: ChatMessage) -> Text:
    """`` 📎 12.3 KB`` after a message that carries a file (its text is the file's name); a
    line ``📎 plan.pdf 120.0 KB  #document #PDF`` under it for each of its ``files``."""
    if message.deleted:
        return Text()
    out = Text()
    if message.attachment is not None:
        out.append(f" 📎 {shown_size(message.attachment.size)}", style="bold")
    for file in message.files:
        out.append("\n      📎 ")
        out.append(shown_literally(file.name), style="bold")
        out.append(f" {shown_size(file.size)}")
        if file.tags:
            tags = " ".join(f"#{shown_literally(tag)}" for tag in file.tags)
            out.append(f"  {tags}", style="italic")
    return out


def files_of(message: ChatMessage) -> list[ChatAttachment]:
    """The files ``message`` carries: its single one, or those sent with its text."""
    return [message.attachment, *message.files] if message.attachment else list(message.files)


def _write_new(folder: Path, name: str, data: bytes) -> Path:
    """Write ``data`` to a new file ``name`` (or ``name (n).ext``) in ``folder``."""
    ensure_dir(folder)
    while True:
        path = free_path(folder, name)
        try:
            with path.open("xb") as out:  # never over a file that appeared meanwhile
                out.write(data)
            return path
        except FileExistsError:
            continue


async def save_received(
    tws: ConsoleApi, sender: FileSender, attachment: ChatAttachment
) -> Path | None:
    """A received file written under the downloads folder (a safe name, never over a file);
    its path, or None when it could not be written (said)."""
    try:
        data = await sender.file(attachment.id)
    except NotFound:  # the simulator forgot it at a restart: the journal kept it
        kept = await tws.local_journal.kept_file(attachment.id)
        if kept is None:
            raise
        data = kept
    name = safe_file_name(attachment.name)
    try:
        return await asyncio.to_thread(_write_new, downloads_dir(), name, data)
    except OSError as error:
        tws.notify(
            _("Cannot write {path}: {error}").format(
                path=downloads_dir() / name, error=error.strerror or error
            ),
            severity="error",
            markup=False,
        )
        return None


class ChatFiles(_ChatScreen):
    """Attach a file, save the newest one."""

    def _file_sender(self) -> FileSender | None:
        backend = self.tws.backend
        return file_sender(backend.chat if backend is not None else None)

    def _newest_file(self) -> ChatMessage | None:
        for message in reversed(self._messages()):
            if files_of(message) and not message.deleted:
                return message
        return None

    def files_allowed(self, action: str) -> bool:
        """Alt+H in any conversation (it says so where files cannot go); Alt+Z where there
        is a file to save."""
        if self.peer is None:
            return False
        if action == "attach":
            return True
        return self._file_sender() is not None and self._newest_file() is not None

    def action_attach(self) -> None:
        """Alt+H: files to send in the open conversation, chosen in a tree or typed."""
        from tws_tui.console.screens.attach_picker import AttachChoice, AttachPicker, folder_of

        peer = self.peer
        if peer is not None and is_sms_peer(peer):  # TWS Caller §4.3.5.3: text only there
            self.tws.notify(
                _("A file cannot be sent by SMS: an SMS carries text only."), severity="warning"
            )
            return
        if self._file_sender() is None or peer is None:
            self.tws.notify(_("Files cannot be sent with this connection."), severity="warning")
            return
        note = _(
            "Space marks files, Enter attaches them (at most {most} MB each); or type names"
            ' (several: separated by spaces, "a name with spaces" in quotes). Esc cancels.'
        )
        folder: Path = getattr(self, "_attach_folder", None) or Path.home()
        dialog = AttachPicker(folder if folder.is_dir() else Path.home(), note.format(most=MAX_MB))

        def chosen(answer: AttachChoice | None) -> None:
            if isinstance(answer, str):
                self.stage_typed(peer, answer)  # chat_staging
            elif answer:
                self._attach_folder = folder_of(answer)
                self.stage_paths(peer, self._checked(answer))

        self.tws.push_screen(dialog, chosen)

    def _checked(self, paths: tuple[Path, ...]) -> list[Path]:
        """Those of ``paths`` that may be sent; each refusal said in words, naming its file."""
        kept = []
        for path in paths:
            try:
                kept.append(check_attachment(str(path)))
            except InvalidValue as error:
                if "path" in error.params:  # named as in the tree: a long folder would hide it
                    error.params["path"] = path.name
                self.tws.notify(error.translated(_), severity="warning", markup=False)
        return kept

    def action_save_file(self) -> None:
        """Alt+Z: the newest file of the conversation (every file of its message), saved
        under the downloads folder."""
        message = self._newest_file()
        sender = self._file_sender()
        if sender is None or message is None or not files_of(message):
            self.tws.notify(_("No file to save in this conversation."), severity="warning")
            return
        attachments = files_of(message)

        async def save(backend: CallControl) -> None:
            saved = False
            for attachment in attachments:
                path = await save_received(self.tws, sender, attachment)
                if path is not None:
                    saved = True
                    self.tws.notify(_("File saved: {path}").format(path=path), markup=False)
            if saved:
                say_caution(self.tws)

        self.tws.run_command(save)
