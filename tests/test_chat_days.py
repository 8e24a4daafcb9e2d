"""The chat's words for days (a thread's separators, the list's "when") in English and
French, a message's length refused in words, and Ctrl+N's search order (issue 15)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from tws_tui.core.model import DeviceId, LineState, MonitoredDevice, UserId
from tws_tui.domain.chat_compose import MESSAGE_MAX_CHARS, conversations_matching, message_problem
from tws_tui.domain.chat_days import day_label, short_when
from tws_tui.platform.i18n import set_language

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def test_day_separators_and_short_when_in_english_and_french() -> None:
    days = [TODAY, date(2026, 11, 22), date(2026, 11, 16), date(2025, 12, 31)]
    assert [day_label(d, TODAY) for d in days] == [
        "Today",
        "Yesterday",
        "Mon 16 Nov",
        "Wed 31 Dec 2025",
    ]
    moments = [datetime(d.year, d.month, d.day, 9, 5, tzinfo=UTC) for d in days]
    assert [short_when(m, NOW) for m in moments] == ["09:05", "Yesterday", "16 Nov", "Dec 2025"]
    set_language("fr")
    assert [day_label(d, TODAY) for d in days] == [
        "Aujourd’hui",
        "Hier",
        "lun. 16 nov.",
        "mer. 31 déc. 2025",
    ]
    assert [short_when(m, NOW) for m in moments] == ["09:05", "Hier", "16 nov.", "déc. 2025"]


def test_a_message_over_the_limit_is_refused_with_the_limit_and_its_length() -> None:
    assert message_problem("x" * MESSAGE_MAX_CHARS) is None
    assert message_problem("x" * 10_000) == (
        f"A message has at most {MESSAGE_MAX_CHARS} characters (10000 typed)."
    )


def colleague(n: int, name: str, department: str) -> MonitoredDevice:
    return MonitoredDevice(
        device_id=DeviceId(f"d{n}"),
        name=name,
        extension=str(200 + n),
        line_state=LineState.IDLE,
        user_id=UserId(f"u{n}"),
        department=department,
    )


def test_a_new_conversation_matches_names_before_departments() -> None:
    devices = [
        colleague(1, "Zoé Martin", "Accueil"),
        colleague(2, "Accursio Bianchi", "Ventes"),
        colleague(3, "Me Myself", "Accueil"),
    ]
    groups = {UserId("grp-accueil"): "Accueil", UserId("grp-direction"): "Direction"}
    found = conversations_matching(devices, groups, "acc", me="u3")
    assert found == [
        (UserId("u2"), "Accursio Bianchi"),
        (UserId("grp-accueil"), "# Accueil"),
        (UserId("u1"), "Zoé Martin"),
    ]
    assert conversations_matching(devices, groups, "  ") == []
    assert conversations_matching(devices, groups, "dir") == [
        (UserId("grp-direction"), "# Direction")
    ]
