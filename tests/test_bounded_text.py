"""One check for a text that must say something in at most so many characters
(``domain.text.bounded_text``, ``bounded_line`` on one line) behind a help request, a broadcast
and a call's comment: the same refusals as each had, in English and French, wherever a
comment is written (the simulated switch and the CTI server through ``check_comment``, the
local journal, the console before it keeps one)."""

from __future__ import annotations

import pytest
from helpers import build_console, settle

from tws_tui.core.errors import InvalidValue
from tws_tui.domain.assist import (
    ASSIST_TEXT_MAX,
    BROADCAST_TEXT_MAX,
    checked_broadcast_text,
    checked_text,
)
from tws_tui.domain.comments import COMMENT_MAX_CHARS, check_comment
from tws_tui.domain.text import bounded_line, bounded_text
from tws_tui.journal import CallJournal
from tws_tui.platform.i18n import _, set_language

TOO_LONG = "{most} at most, {n} given"


def refusal(check: object, text: str) -> str:
    with pytest.raises(InvalidValue) as caught:
        check(text)  # type: ignore[operator]
    return caught.value.translated(_)


def test_a_text_or_a_line_refused_empty_or_too_long() -> None:
    assert bounded_text(" a\n b ", 6, empty="blank", too_long=TOO_LONG) == " a\n b "
    assert bounded_line(" a\n\t b ", 3, empty="blank", too_long=TOO_LONG) == "a b"
    for text in ("", " \n\t "):
        with pytest.raises(InvalidValue, match="blank"):
            bounded_line(text, 3, empty="blank", too_long=TOO_LONG)
        with pytest.raises(InvalidValue, match="blank"):
            bounded_text(text, 3, empty="blank", too_long=TOO_LONG)
    with pytest.raises(InvalidValue, match=r"^3 at most, 5 given$"):
        bounded_line(" ab  cd ", 3, empty="blank", too_long=TOO_LONG)  # counted on one line
    with pytest.raises(InvalidValue, match=r"^5 at most, 6 given$"):
        bounded_text("ab\ncd ", 5, empty="blank", too_long=TOO_LONG)  # counted as given


@pytest.mark.parametrize("language", ["en", "fr"])
def test_help_requests_broadcasts_and_comments_say_why_as_before(language: str) -> None:
    set_language(language)
    said = [
        refusal(checked_text, " \n "),
        refusal(checked_text, "x" * (ASSIST_TEXT_MAX + 1)),
        refusal(checked_broadcast_text, ""),
        refusal(checked_broadcast_text, "x" * (BROADCAST_TEXT_MAX + 1)),
        refusal(check_comment, "  "),
        refusal(check_comment, "x" * (COMMENT_MAX_CHARS + 1)),
    ]
    assert (
        said
        == {
            "en": [
                "Say in a few words what you need help with.",
                "A help request has at most 200 characters (201 typed).",
                "A broadcast needs a text.",
                "A broadcast has at most 500 characters (501 typed).",
                "A comment cannot be empty.",
                "A comment is limited to 2000 characters (this one has 2001).",
            ],
            "fr": [
                "Dites en quelques mots pour quoi vous avez besoin d'aide.",
                "Une demande d'aide a au plus 200 caractères (201 saisis).",
                "Une diffusion a besoin d'un texte.",
                "Une diffusion a au plus 500 caractères (501 saisis).",
                "Un commentaire ne peut pas être vide.",
                "Un commentaire est limité à 2000 caractères (celui-ci en a 2001).",
            ],
        }[language]
    )


async def test_a_comment_refused_alike_by_the_console_and_the_journal() -> None:
    console = build_console()
    async with console.app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        set_language("fr")
        journal = console.app.local_journal
        assert not await journal.save_comment("c1", None, "x" * (COMMENT_MAX_CHARS + 1))
        assert not await journal.save_comment("c1", None, " \n ")
        await settle(pilot)
        said = [n.message for n in console.app._notifications]
        assert said[-2:] == [
            "Un commentaire est limité à 2000 caractères (celui-ci en a 2001).",
            "Un commentaire ne peut pas être vide.",
        ]
    with pytest.raises(ValueError, match=r"limited to 2000 characters \(this one has 2001\)"):
        CallJournal().add_comment("c1", "x" * 2001, console.clock.now())
