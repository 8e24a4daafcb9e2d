"""What the local journal keeps of a simulator's chat across a restart of the console (issue
15): the simulator forgets everything when it stops, so the journal keeps each message whole —
an SMS's delivery state (✓✓ delivered, ✗ not delivered), a file's name and size, and its bytes
(Alt+Z saves it after the restart, though the new simulator never saw it), a group's notice —
and a message taken back takes its file with it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from helpers import build_console, screen_text, settle

from tws_tui.console.screens.chat import ChatScreen
from tws_tui.core.model import (
    ChatAttachment,
    ChatMessage,
    GroupNotice,
    GroupNoticeKind,
    SmsDelivery,
    UserId,
)
from tws_tui.core.protocols import ChatGroupAdmin
from tws_tui.domain.sms import sms_peer
from tws_tui.journal import CallJournal
from tws_tui.simulator.sms import REPORT_DELAY_S

SIZE = (110, 30)
DELIVERED_TO = "+33612345678"
NEVER_REACHED = "+33612345699"  # ends in FAILING_SUFFIX


def test_the_journal_keeps_a_message_whole(tmp_path: Path) -> None:
    journal = CallJournal(tmp_path / "journal.sqlite3")
    at = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    file = ChatAttachment("f1", "devis.pdf", 8, "application/pdf")
    notice = GroupNotice(GroupNoticeKind.RENAMED, "u1", "Équipe")
    messages = [
        ChatMessage("s1", UserId("sms:+33612345678"), UserId("u1"), "Bonjour", at,
                    delivery=SmsDelivery.SENT),
        ChatMessage("a1", UserId("u2"), UserId("u2"), "devis.pdf", at, attachment=file),
        ChatMessage("n1", UserId("grp-1"), UserId("u1"), "", at, notice=notice),
    ]  # fmt: skip
    journal.record_chats("u1", messages)
    journal.keep_chat_file("u1", "f1", b"%PDF-1.4")
    assert journal.chat_messages("u1", limit=10) == messages
    delivered = ChatMessage(
        "s1", UserId("sms:+33612345678"), UserId("u1"), "Bonjour", at,
        delivery=SmsDelivery.DELIVERED,
    )  # fmt: skip
    journal.record_chat("u1", delivered)  # the report: the same id, its state changed
    assert journal.chat_messages("u1", limit=10)[0].delivery is SmsDelivery.DELIVERED
    assert journal.chat_file("u1", "f1") == b"%PDF-1.4"
    assert journal.chat_file("u2", "f1") is None  # another account's journal
    taken_back = ChatMessage(
        "a1", UserId("u2"), UserId("u2"), "", at, deleted=True, attachment=file
    )
    journal.record_chat("u1", taken_back)
    assert journal.chat_file("u1", "f1") is None


async def test_sms_states_files_and_notices_survive_a_restart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    downloads = tmp_path / "Downloads"
    monkeypatch.setenv("TWS_TUI_DOWNLOADS_DIR", str(downloads))
    first = build_console()
    async with first.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        me = first.app.state.me
        assert me is not None and me.user_id is not None
        chat = first.backend.chat
        assert chat is not None and not chat.kept  # the simulator forgets at its stop
        colleagues = sorted(
            (d for d in first.app.state.devices.values() if d.user_id and d.user_id != me.user_id),
            key=lambda d: d.extension or "",
        )
        peer, other = UserId(colleagues[0].user_id), UserId(colleagues[2].user_id)
        await chat.send_sms(DELIVERED_TO, "Votre colis est arrivé")  # type: ignore[attr-defined]
        await chat.send_sms(NEVER_REACHED, "Rappelez-nous")  # type: ignore[attr-defined]
        first.clock.advance(REPORT_DELAY_S + 0.5)
        first.backend.switch_files.send(peer, me.user_id, "../notes.txt", b"hello\x00world")
        assert isinstance(chat, ChatGroupAdmin)
        group = await chat.create_group("Standard", (other,))
        await chat.rename_group(UserId(group.id), "Standard du matin")
        await settle(pilot, 8)
        states = {m.peer: m.delivery for m in first.app.state.chat if m.delivery}
        assert states == {
            sms_peer(DELIVERED_TO): SmsDelivery.DELIVERED,
            sms_peer(NEVER_REACHED): SmsDelivery.FAILED,
        }

    second = build_console()  # a new simulator: it never saw any of it
    async with second.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        kept = second.app.state.chat
        states = {m.peer: m.delivery for m in kept if m.delivery}
        assert states == {
            sms_peer(DELIVERED_TO): SmsDelivery.DELIVERED,
            sms_peer(NEVER_REACHED): SmsDelivery.FAILED,
        }
        files = [m.attachment for m in kept if m.attachment is not None]
        assert [(f.name, f.size) for f in files] == [("notes.txt", 11)]
        assert [m.notice for m in kept if m.notice is not None] == [
            GroupNotice(GroupNoticeKind.RENAMED, me.user_id, "Standard du matin")
        ]
        await pilot.press("alt+4")
        await settle(pilot)
        screen = second.app.screen
        assert isinstance(screen, ChatScreen)
        screen.open_conversation(sms_peer(DELIVERED_TO))
        await settle(pilot)
        assert "✓✓ delivered" in screen_text(second.app)
        screen.open_conversation(sms_peer(NEVER_REACHED))
        await settle(pilot)
        assert "✗ not delivered" in screen_text(second.app)
        screen.open_conversation(peer)
        await settle(pilot)
        assert "notes.txt 📎 11 B" in screen_text(second.app)
        await pilot.press("alt+z")
        await settle(pilot, 8)
        assert (downloads / "notes.txt").read_bytes() == b"hello\x00world"
