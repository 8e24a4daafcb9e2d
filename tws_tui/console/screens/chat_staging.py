"""The Chat screen's pending message (issue 15, TWS Caller §4.3.5.3, §4.3.5.4): the files
chosen with Alt+H wait above the compose field, a line each (name, size, tags), until Enter
sends the text typed and every staged file as **one** message (the text may be empty).

Alt+H again adds more (``domain.attachment_tags.stage``: at most ``MAX_FILES`` files and
``MAX_TOTAL_MB`` in all, each file within ``attachments``' own limit; a refusal names the
file). Alt+Shift+J (``chat.staged``) opens the staged files
(:class:`~tws_tui.console.screens.modals.staged_files.StagedFilesScreen`): ↑↓ move among them,
the highlighted one is shown (name, size, type, tags, a text file's first lines), T edits its
tags, Delete removes it, O opens it with the desktop's program, C asks, then removes them all.

Each conversation keeps its own pending message while another is open (as a draft would):
going back to it finds its files staged. A backend whose chat sends a text and files as one
message (``ChatFeature.FILE_MESSAGES``: sim) gets them so, with their tags; one that sends a
file per message only (``ChatFeature.ATTACHMENTS`` alone) gets the text, then each file, and
the staging line says the tags are not kept. A mixin of
:class:`~tws_tui.console.screens.chat.ChatScreen`.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Input, Static

from tws_tui.console.screens.chat_files import file_sender
from tws_tui.console.screens.modals.staged_files import StagedFilesScreen, file_line
from tws_tui.core.errors import InvalidValue
from tws_tui.core.model import ChatFeature, OutgoingFile, UserId
from tws_tui.core.protocols import CallControl, FileMessageSender
from tws_tui.domain.attachment_tags import StagedFile, stage, staged_file
from tws_tui.domain.attachments import check_attachments
from tws_tui.platform.i18n import _, language

if TYPE_CHECKING:
    from tws_tui.console.screens.base import ModeScreen

    class _ChatScreen(ModeScreen):
        """What the mixin uses of ChatScreen (and of its ChatCompose mixin)."""

        peer: UserId | None

        def refuse_too_long(self, text: str) -> bool: ...
        def edits_allowed(self, action: str) -> bool: ...
else:
    _ChatScreen = object

#: Staged files drawn above the compose field; the others are counted.
LINES_SHOWN = 3
#: How many bytes of a file are read to tell text from binary.
HEAD_BYTES = 512


def _read_staged(paths: list[Path]) -> list[StagedFile]:
    """Each of ``paths`` as a staged file (its first bytes read for its type)."""
    files = []
    for path in paths:
        with path.open("rb") as source:
            head = source.read(HEAD_BYTES)
        files.append(staged_file(path, head))
    return files


class ChatStaging(_ChatScreen):
    """Files staged per conversation, shown above the compose field, sent with Enter."""

    @property
    def staged(self) -> dict[UserId, list[StagedFile]]:
        """Each conversation's staged files (none: not in the mapping)."""
        found: dict[UserId, list[StagedFile]] | None = getattr(self, "_staged_files", None)
        if found is None:
            found = {}
            self._staged_files = found
        return found

    def staged_here(self) -> list[StagedFile]:
        """The open conversation's staged files."""
        return list(self.staged.get(self.peer, ())) if self.peer is not None else []

    def set_staged(self, peer: UserId, files: list[StagedFile]) -> None:
        """``peer``'s staged files are now ``files`` (shown when it is open)."""
        if files:
            self.staged[peer] = list(files)
        else:
            self.staged.pop(peer, None)
        self.show_staged()

    def show_staged(self) -> None:
        """The open conversation's staged files above the compose field (hidden: none)."""
        strip = self.query_one("#chat-staged", Static)
        files = self.staged_here()
        drawn = (self.peer, tuple(files), language(), self._one_message() is None)
        if drawn == getattr(self, "_staged_drawn", None):
            return  # drawn as it is: no new layout at each refresh
        self._staged_drawn = drawn
        strip.display = bool(files)
        if not files:
            return
        key = self.tws.app_key_display("chat.staged")
        out = Text(
            _("To send with the message ({count}, {key}: see, tags, remove):").format(
                count=len(files), key=key
            ),
            style="dim",
        )
        for file in files[:LINES_SHOWN]:
            out.append("\n")
            out.append_text(file_line(file))
        if len(files) > LINES_SHOWN:
            out.append("\n")
            out.append(_("… and {n} more").format(n=len(files) - LINES_SHOWN), style="dim")
        if self._one_message() is None:
            out.append("\n")
            out.append(
                _("This connection sends each file apart, without its tags."), style="yellow"
            )
        strip.update(out)

    def _one_message(self) -> FileMessageSender | None:
        backend = self.tws.backend
        chat = backend.chat if backend is not None else None
        if chat is None or ChatFeature.FILE_MESSAGES not in chat.features:
            return None
        return chat if isinstance(chat, FileMessageSender) else None

    def stage_typed(self, peer: UserId, typed: str) -> None:
        """The files named in ``typed`` added to ``peer``'s pending message (a refusal said,
        naming the file: then none of them is added)."""
        try:
            paths = check_attachments(typed)
        except InvalidValue as error:
            self.tws.notify(error.translated(_), severity="warning", markup=False)
            return
        self.stage_paths(peer, paths)

    def stage_paths(self, peer: UserId, paths: list[Path]) -> None:
        """``paths`` (checked already) added to ``peer``'s pending message."""

        async def add() -> None:
            try:
                more = await asyncio.to_thread(_read_staged, paths)
                files = stage(self.staged.get(peer, ()), more)
            except OSError as error:
                self.tws.notify(str(error.strerror or error), severity="warning", markup=False)
                return
            except InvalidValue as error:
                self.tws.notify(error.translated(_), severity="warning", markup=False)
                return
            self.set_staged(peer, files)

        self.run_worker(add(), group="chat-staging")

    def action_staged(self) -> None:
        """Alt+Shift+J (``chat.staged``): the staged files, to see, tag or remove."""
        peer = self.peer
        files = self.staged_here()
        if peer is None or not files:
            key = self.tws.app_key_display("chat.attach")
            self.tws.notify(_("No file staged: {key} adds some.").format(key=key))
            return

        def done(kept: list[StagedFile] | None) -> None:
            if kept is not None:
                self.set_staged(peer, kept)

        self.tws.push_screen(StagedFilesScreen(files), done)

    def submit_staged(self, field: Input, text: str) -> bool:
        """Enter with files staged: the text (maybe empty) and every file sent as one
        message; whether it was this (files staged here, no edit or reply going on: a file
        is never added to a message already sent, TWS-4.3.5.2-1 — the edit or reply goes
        first, the files stay staged)."""
        peer = self.peer
        files = self.staged_here()
        if peer is None or not files or self.edits_allowed("cancel_compose"):
            return False
        if self.refuse_too_long(text):
            return True
        typed = text
        text = text if text.strip() else ""

        async def send(backend: CallControl) -> None:
            chat = backend.chat
            sender = file_sender(chat)
            if chat is None or sender is None:
                self.tws.notify(_("Files cannot be sent with this connection."), severity="warning")
                return
            try:
                outgoing = await asyncio.to_thread(_outgoing, files)
            except OSError as error:
                self.tws.notify(str(error.strerror or error), severity="warning", markup=False)
                return
            one = self._one_message()
            if one is not None:
                await one.send_files(peer, text, outgoing)
            else:  # a file a message: the text first, then each file
                if text.strip():
                    await chat.send(peer, text)
                for file in outgoing:
                    await sender.send_file(peer, file.name, file.data)
            if self.staged.get(peer) == files:  # nothing added meanwhile
                self.set_staged(peer, [])
            if field.value == typed:
                field.value = ""

        self.tws.run_command(send)
        return True


def _outgoing(files: list[StagedFile]) -> list[OutgoingFile]:
    """The staged files read, to send."""
    return [OutgoingFile(file.name, file.path.read_bytes(), file.tags) for file in files]
