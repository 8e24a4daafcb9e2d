"""Refresh the translation catalogs: extract, merge, compile, and say what is left to translate.

One command, from the repository root, after adding or changing user-visible strings::

    .venv/bin/python tools/update_catalogs.py          # write the files, list what is missing
    .venv/bin/python tools/update_catalogs.py --check  # write nothing; exit 1 if out of date

It does what these Babel commands would (Babel is in the ``dev`` extra)::

    pybabel extract -k _ -k N_ -k ngettext:1,2 --no-default-keywords --no-location ... tws_tui
    pybabel update -D tws_tui -d tws_tui/locale -i tws_tui/locale/tws_tui.pot
    pybabel compile -D tws_tui -d tws_tui/locale

1. every ``_("…")``, ``N_("…")`` and ``ngettext("…", "…", n)`` with literal text under
   ``tws_tui/`` goes into the template ``tws_tui/locale/tws_tui.pot``;
2. the template is merged into ``tws_tui/locale/<lang>/LC_MESSAGES/tws_tui.po`` for every
   language but English (the msgids are English): new strings arrive empty, changed ones may be
   pre-filled from a similar string and marked ``#, fuzzy``, vanished ones are dropped;
3. the ``.po`` is compiled to the ``.mo`` beside it (fuzzy entries are left out, so they show
   in English until someone checks them and removes the ``fuzzy`` flag);
4. the untranslated and fuzzy strings are printed with the files they come from: translate
   them in the ``.po`` and run the command again (``tests/test_i18n.py`` fails until then).

Files are rewritten only when something other than the timestamps changed, so running it on an
up-to-date tree leaves ``git status`` clean.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "tws_tui"
LOCALE_DIR = PACKAGE / "locale"
DOMAIN = "tws_tui"
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
LANGUAGES = ("fr",)
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
WIDTH = 100
HEADER_COMMENT = (
    "# Translations of tws-tui (msgids are English).\n"
    "# Maintained with tools/update_catalogs.py; edit the msgstr lines only.\n"
    "# This file is distributed under the same license as the tws-tui project.\n"
    "#"
)
_VOLATILE_HEADERS = ("POT-Creation-Date:", "PO-Revision-Date:")


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(language: str) -> Path:
    return po_path(language).with_suffix(".mo")


def _new_catalog(language: str | None) -> Catalog:
    return Catalog(
        locale=language,
        domain=DOMAIN,
        header_comment=HEADER_COMMENT,
        project="tws-tui",
        copyright_holder="tws-tui developers",
        last_translator="tws-tui developers",
        language_team=f"{language} (tws-tui developers)" if language else None,
        charset="utf-8",
        fuzzy=False,
    )


def extract(package: Path = PACKAGE) -> Catalog:
    """The template: every marked string in the package's Python files."""
    template = _new_catalog(None)
    for filename, lineno, message, comments, context in extract_from_dir(
        package, method_map=[("**.py", "python")], keywords=KEYWORDS, strip_comment_tags=True
    ):
        location = (package.name + "/" + filename.replace("\\", "/"), lineno)
        template.add(message, None, [location], auto_comments=comments, context=context)
    return template


def merge(template: Catalog, language: str) -> Catalog:
    """The ``.po`` of ``language`` brought up to date with ``template`` (in memory)."""
    path = po_path(language)
    if path.exists():
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language, domain=DOMAIN)
    else:
        catalog = _new_catalog(language)
    catalog.update(template, update_creation_date=False)
    catalog.obsolete.clear()
    return catalog


def po_bytes(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=WIDTH, include_lineno=False, sort_by_file=True)
    return buffer.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def is_translated(message: Message) -> bool:
    strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
    return not message.fuzzy and all(strings)


def missing(catalog: Catalog) -> list[Message]:
    """Messages with no translation yet, or a fuzzy one waiting for review."""
    return [message for message in catalog if message.id and not is_translated(message)]


def _stable(data: bytes) -> bytes:
    return b"\n".join(
        line
        for line in data.splitlines()
        if not line.lstrip(b'"').startswith(tuple(h.encode() for h in _VOLATILE_HEADERS))
    )


def _write_if_changed(path: Path, data: bytes, *, check: bool, exact: bool = False) -> bool:
    """Write ``data`` unless only timestamps differ; True if the file was (would be) changed."""
    if path.exists():
        old = path.read_bytes()
        if old == data or (not exact and _stable(old) == _stable(data)):
            return False
    if not check:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return True


def _describe(messages: Iterable[Message]) -> list[str]:
    lines = []
    for message in messages:
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        where = ", ".join(sorted({filename for filename, _line in message.locations}))
        flag = " (fuzzy)" if message.fuzzy else ""
        lines.append(f"  {msgid!r}{flag}  [{where}]")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if anything is out of date"
    )
    args = parser.parse_args(argv)
    template = extract()
    stale = _write_if_changed(TEMPLATE, po_bytes(template), check=args.check)
    status = 0
    for language in LANGUAGES:
        catalog = merge(template, language)
        stale |= _write_if_changed(po_path(language), po_bytes(catalog), check=args.check)
        # Compile the .po as it is on disk (its header included), so the .mo matches it exactly.
        source = po_bytes(catalog) if args.check else po_path(language).read_bytes()
        compiled = read_po(io.BytesIO(source), locale=language, domain=DOMAIN)
        stale |= _write_if_changed(
            mo_path(language), mo_bytes(compiled), check=args.check, exact=True
        )
        todo = missing(catalog)
        total = len([message for message in catalog if message.id])
        where = po_path(language).relative_to(ROOT)
        print(f"{language}: {total - len(todo)}/{total} translated — {where}")
        if todo:
            status = 1
            print(f"{language}: {len(todo)} to translate (fill in msgstr, drop '#, fuzzy'):")
            print("\n".join(_describe(todo)))
    if args.check and stale:
        print("catalogs are out of date: run tools/update_catalogs.py")
        status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
