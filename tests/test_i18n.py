"""Translations: every string has French, the committed .mo is the .po, switching works.

When ``test_every_source_string_has_a_french_translation`` fails, run
``.venv/bin/python tools/update_catalogs.py``, translate what it lists in
``tws_tui/locale/fr/LC_MESSAGES/tws_tui.po``, and run it again.
"""

from __future__ import annotations

import gettext
import importlib.util
import io
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from tws_tui.platform import i18n
from tws_tui.platform.i18n import N_, _, detect_language, language, ngettext, set_language

ROOT = Path(__file__).resolve().parents[1]
FIX = "run tools/update_catalogs.py and translate what it lists"


def _load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "update_catalogs", ROOT / "tools" / "update_catalogs.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("update_catalogs", module)
    spec.loader.exec_module(module)
    return module


tool = _load_tool()


@pytest.fixture(autouse=True)
def english_after() -> Iterator[None]:
    set_language("en")
    yield
    set_language("en")


@pytest.fixture(scope="module")
def french_po() -> Catalog:
    with tool.po_path("fr").open("rb") as handle:
        catalog: Catalog = read_po(handle, locale="fr", domain=tool.DOMAIN)
    return catalog


@pytest.fixture(scope="module")
def template() -> Catalog:
    catalog: Catalog = tool.extract()
    return catalog


def _strings(value: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


# --- the catalogs --------------------------------------------------------------------------


def test_extraction_finds_the_strings_of_every_layer(template: Catalog) -> None:
    """The extractor sees _(), N_() and ngettext(); if it saw nothing, every check would pass."""
    ids = {message.id if isinstance(message.id, str) else message.id[0] for message in template}
    assert "No problems found." in ids  # _() in cli.py
    assert "using the default settings" in ids  # N_() in settings/problems.py
    assert any(not isinstance(message.id, str) for message in template if message.id)  # plural


def test_every_source_string_has_a_french_translation(
    template: Catalog, french_po: Catalog
) -> None:
    problems = []
    for message in template:
        if not message.id:
            continue
        translated = french_po.get(message.id, context=message.context)
        if translated is None:
            problems.append(f"not in fr .po: {message.id!r}")
        elif not tool.is_translated(translated):
            state = "fuzzy" if translated.fuzzy else "empty"
            problems.append(f"{state} in fr .po: {message.id!r}")
    assert not problems, f"{FIX}:\n" + "\n".join(problems)


def test_translations_keep_the_placeholders(french_po: Catalog) -> None:
    """A lost or misspelt {field} (or argparse's %(field)s) would raise in front of the user."""
    field = re.compile(r"\{[^{}]*\}|%\(\w+\)[a-z]|%[a-z]")
    wrong = []
    for message in french_po:
        if not message.id or not tool.is_translated(message):
            continue
        expected = sorted(set(field.findall(_strings(message.id)[-1])))
        for text in _strings(message.string):
            if sorted(set(field.findall(text))) != expected:
                wrong.append(f"{message.id!r} -> {text!r}")
    assert not wrong, "\n".join(wrong)


#: A placeholder, or a quoted character (``';'``): neither is punctuation of the sentence.
NOT_PUNCTUATION = re.compile(r"\{[^{}]*\}|%\(\w+\)[a-z]|%[a-z]|'.'")
#: ``:`` ``;`` ``?`` ``!`` ending a word of a sentence (followed by a space, a closing mark or
#: the end; never inside ``https://``, ``08:30``, ``END:VCARD``), with the character before.
PUNCTUATION = re.compile(r"(.)([:;?!])(?=\s|$|[»)\"'])")


def test_french_puts_a_space_before_two_part_punctuation(french_po: Catalog) -> None:
    """French typography, one rule for the whole catalog: a plain space before : ; ? !
    ("Poste : 267"). The catalog uses plain spaces (no non-breaking ones), so a mix of
    "Poste: 267" and "Poste : 374" or of plain and non-breaking spaces fails here."""
    wrong = []
    for message in french_po:
        if not message.id or not tool.is_translated(message):
            continue
        for text in _strings(message.string):
            for found in PUNCTUATION.finditer(NOT_PUNCTUATION.sub("x", text)):
                if found.group(1) != " ":
                    wrong.append(f"{found.group(0)!r} in {text!r}")
    assert not wrong, "\n".join(wrong)


def test_the_rule_sees_a_missing_or_non_breaking_space() -> None:
    def before(text: str) -> list[str]:
        return [m.group(1) for m in PUNCTUATION.finditer(NOT_PUNCTUATION.sub("x", text))]

    assert before("Poste: 267") == ["e"]
    assert before("Poste\u00a0: 267 ; fini\u202f!") == ["\u00a0", " ", "\u202f"]
    assert before("Poste : 267 ; à 08:30 sur https://x ou 'wav:FICHIER' ou ';' {user!r} ?") == [
        " ",
        " ",
        " ",
    ]


def test_label_and_value_follow_the_language() -> None:
    """A "label: value" built in code (a contact's number, a file's place) is French too."""
    assert i18n.labelled("Poste", "267") == "Poste: 267"
    set_language("fr")
    assert i18n.labelled("Poste", "267") == "Poste : 267"


def test_committed_mo_is_the_compiled_po() -> None:
    source = tool.po_path("fr").read_bytes()
    compiled = tool.mo_bytes(read_po(io.BytesIO(source), locale="fr", domain=tool.DOMAIN))
    fresh = gettext.GNUTranslations(io.BytesIO(compiled))
    with tool.mo_path("fr").open("rb") as handle:
        committed = gettext.GNUTranslations(handle)
    assert committed._catalog == fresh._catalog, f".mo is stale: {FIX}"  # type: ignore[attr-defined]


# --- switching at run time -----------------------------------------------------------------


def test_french_then_english() -> None:
    assert _("No problems found.") == "No problems found."
    set_language("fr")
    assert language() == "fr"
    assert _("No problems found.") == "Aucun problème trouvé."
    assert _(N_("using the default settings")) == "réglages par défaut utilisés"
    set_language("en")
    assert _("No problems found.") == "No problems found."


def test_french_plural_forms() -> None:
    set_language("fr")
    assert ngettext("{n} missed call", "{n} missed calls", 0).format(n=0) == "0 appel manqué"
    assert ngettext("{n} missed call", "{n} missed calls", 1).format(n=1) == "1 appel manqué"
    assert ngettext("{n} missed call", "{n} missed calls", 2).format(n=2) == "2 appels manqués"
    set_language("en")
    assert ngettext("{n} missed call", "{n} missed calls", 0).format(n=0) == "0 missed calls"


def test_unknown_string_falls_back_to_english() -> None:
    set_language("fr")
    assert _("A string nobody translated") == "A string nobody translated"


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown language"):
        set_language("de")
    assert language() == "en"


def test_listeners_hear_each_switch() -> None:
    heard: list[str] = []
    unsubscribe = i18n.on_language_change(heard.append)
    set_language("fr")
    set_language("en")
    unsubscribe()
    set_language("fr")
    assert heard == ["fr", "en"]


# --- choosing the language -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("configured", "environ", "expected"),
    [
        ("en", {"LANG": "fr_FR.UTF-8"}, "en"),  # the config wins
        ("fr", {"LANGUAGE": "en"}, "fr"),
        ("", {"LANG": "en_GB.UTF-8"}, "en"),  # "" follows the environment
        (None, {"LANG": "en_GB.UTF-8"}, "en"),
        ("de", {"LANG": "en_US.UTF-8"}, "en"),  # a language we lack is ignored
        (None, {"LANGUAGE": "en", "LC_ALL": "fr_FR.UTF-8"}, "en"),  # LANGUAGE first
        (None, {"LC_ALL": "en_US.UTF-8", "LC_MESSAGES": "fr_FR", "LANG": "fr_FR"}, "en"),
        (None, {"LC_MESSAGES": "en_US", "LANG": "fr_FR.UTF-8"}, "en"),
        (None, {"LANGUAGE": "de:en:fr"}, "en"),  # first language we have in the list
        (None, {"LANGUAGE": "de", "LANG": "en_US.UTF-8"}, "en"),
        (None, {"LC_ALL": "C", "LANG": "en_US.UTF-8"}, "en"),  # C is skipped
        (None, {"LANG": "fr_CA.UTF-8@euro"}, "fr"),
        (None, {"LANG": "C.UTF-8"}, "fr"),  # nothing usable: French (TWS-1.1-5)
        (None, {}, "fr"),
    ],
)
def test_detect_language(configured: str | None, environ: dict[str, str], expected: str) -> None:
    assert detect_language(configured, environ) == expected


def test_detect_language_reads_the_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert detect_language(None) == "en"
