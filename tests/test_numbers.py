"""What the operator types in the dial bar: a number to dial, a name, or a refused mix."""

from __future__ import annotations

import pytest

from tws_tui.numbers import parse_typed_number


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
