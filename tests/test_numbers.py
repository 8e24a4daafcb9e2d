"""What the operator types in the dial bar: a number to dial, a name, or a refused mix; and
the match keys that make two spellings of one number the same (reverse lookup, search)."""

from __future__ import annotations

import random
import subprocess
import sys

import pytest

from tws_tui.domain.numbers import match_key, match_keys, number_query, parse_typed_number


@pytest.mark.parametrize(
    ("typed", "dialled"),
    [
        ("201", "201"),
        ("01 23 45 67 89", "0123456789"),
        ("01.23.45.67.89", "0123456789"),
        ("+33 (0)1 23 45 67 89", "+330123456789"),  # cleaned only; the switch dials it
        ("0033 1 23 45 67 89", "+33123456789"),
        ("*98#", "*98#"),
    ],
)
def test_numbers_are_cleaned_for_dialling(typed: str, dialled: str) -> None:
    assert parse_typed_number(typed) == dialled


@pytest.mark.parametrize("typed", ["", "   ", "dupont", "Jean-Pierre", "mme Roux"])
def test_names_and_blanks_are_not_numbers(typed: str) -> None:
    assert parse_typed_number(typed) is None


@pytest.mark.parametrize("typed", ["01 23 ab", "06x12", "+33 6 1O 20"])
def test_a_number_with_letters_is_refused_with_a_sentence(typed: str) -> None:
    with pytest.raises(ValueError, match="contains letters"):
        parse_typed_number(typed)


# ---- match keys: one key for every spelling of a number ------------------------------------


@pytest.mark.parametrize(
    "spelling",
    [
        "+33 1 23 45 67 89",
        "0123456789",
        "01.23.45.67.89",
        "01-23-45-67-89",
        "0033123456789",
        "0033 1 23 45 67 89",
        "+33 (0)1 23 45 67 89",
        "01\u00a023\u00a045\u00a067\u00a089",  # no-break spaces, as a word processor writes
    ],
)
def test_every_spelling_of_a_french_number_has_the_same_key(spelling: str) -> None:
    assert match_key(spelling) == "+33123456789"


@pytest.mark.parametrize(
    ("number", "key"),
    [
        ("201", "201"),  # an extension keeps its digits
        ("4638", "4638"),
        ("12", "12"),
        ("123456", "123456"),
        ("*98#", "*98#"),  # feature codes too
        ("#31#0612", "#31#0612"),
        ("+44 20 7946 0958", "+442079460958"),  # foreign numbers through phonenumbers
        ("0044 20 7946 0958", "+442079460958"),
        ("+1 650 253 0000", "+16502530000"),
        ("12345678", "12345678"),  # no plan knows it: cleaned, kept
    ],
)
def test_short_numbers_codes_and_foreign_numbers(number: str, key: str) -> None:
    assert match_key(number) == key


@pytest.mark.parametrize("text", ["", "   ", "dupont", "01 23 ab", "+33 6 1O 20", "+"])
def test_what_is_not_a_number_has_no_key(text: str) -> None:
    assert match_key(text) is None


def test_national_numbers_of_another_country() -> None:
    assert match_key("02 212 34 56", "BE") == "+3222123456"
    assert match_key("+33 1 23 45 67 89", "BE") == "+33123456789"


def test_match_keys_gives_what_match_key_gives() -> None:
    rng = random.Random(5)
    numbers = ["0123456789", "+33 6 12 34 56 78", "201", "0012", "+33 (0)1 23", "x", "", "00"]
    numbers += [
        rng.choice(["0", "+33", "00", ""])
        + "".join(rng.choice("0123456789 .-+()*#a") for _ in range(rng.randint(0, 12)))
        for _ in range(3000)
    ]
    assert match_keys(numbers) == [match_key(number) for number in numbers]
    assert match_keys(["0123456789", "02 212 34 56"], "BE") == [
        match_key("0123456789", "BE"),
        "+3222123456",
    ]


@pytest.mark.parametrize(
    ("typed", "query"),
    [
        ("01 23", "+33123"),
        ("0", "+33"),
        ("0033 1", "+331"),
        ("+33 (0)6", "+336"),
        ("20", "20"),
        ("+44", "+44"),
    ],
)
def test_a_partly_typed_number_as_the_start_of_a_key(typed: str, query: str) -> None:
    assert number_query(typed) == query


def test_console_start_up_does_not_import_the_number_and_vcard_libraries() -> None:
    code = (
        "import sys, tws_tui.console.app, tws_tui.contacts.directories, tws_tui.contacts.exchange\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('phonenumbers', 'vobject')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_match_keys_of_no_number_is_empty() -> None:
    from tws_tui.domain.numbers import match_keys

    assert match_keys([]) == []
