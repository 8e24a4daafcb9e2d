"""The CSV exports of other programs: which one a header line is, and what each column holds.

A CSV import first finds its header (:func:`recognise`): the first line that one of
:data:`FORMATS` recognises (LinkedIn writes a few lines of notes before it), else the first
line. Each format is told by the columns it always writes, in this order, so that an Outlook
header in French (``Prénom``, ``Nom`` — the family name —, ``Titre`` — M./Mme first, the job
title second —) is never read as the tws-tui CSV's French aliases (``nom`` = the whole name):

* **Google Contacts CSV**: numbered ``Phone N - Value`` / ``E-mail N - Value`` columns, their
  ``- Type`` (before 2023) or ``- Label`` beside them; one cell may hold several values
  separated by `` ::: ``; ``Name`` or ``Given/Additional/Family Name`` or
  ``First/Middle/Last Name``; ``Organization 1 - Name`` or ``Organization Name``…
* **Outlook CSV (French)**: ``Prénom``, ``Nom``, ``Adresse de messagerie``,
  ``Téléphone (bureau)``, ``Tél. mobile``, ``Société``…
* **Outlook CSV**: ``First Name``, ``Last Name``, ``E-mail Address``, ``Business Phone``,
  ``Mobile Phone``, ``Company``… (LinkedIn wrote this layout until 2018);
* **Thunderbird CSV**: ``Display Name``, ``Primary Email``, ``Work Phone``, ``Mobile Number``…,
  and in French (**Thunderbird CSV (French)**): ``Nom à afficher``, ``Adresse électronique
  principale``, ``Tél. professionnel``, ``Portable``… (``Ville``, ``Code postal`` and
  ``Pays/État`` twice: the home address's, then the work address's);
* **LinkedIn CSV**: ``First Name,Last Name,URL,Email Address,Company,Position,Connected On``;
* **tws-tui CSV**: our own export (:mod:`.csv_files`), ``name`` or ``nom`` and the others.

A column's *field* is one of :data:`FIELDS` (``""``: ignored). A phone column's field is
``phone`` (its label from a type column beside it, or the header itself) or
``phone:<vCard type>``: the label is then the project's word for that type (the
``_TYPE_LABELS`` table of :mod:`.vcard_files`, one table for both formats). Postal address
parts carry the address they belong to after ``@`` (``street@work``). When no format
recognises the header, :func:`guess` proposes a field per column from the names every format
knows and from the values, and the user confirms or changes it (the import screen's column
mapping).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence

from tws_tui.contacts.vcard_files import _TYPE_LABELS as PHONE_TYPE_LABELS
from tws_tui.core.values import value_class
from tws_tui.domain.numbers import is_dialable
from tws_tui.domain.text import fold
from tws_tui.platform.i18n import N_

GOOGLE = N_("Google Contacts CSV")
OUTLOOK_FR = N_("Outlook CSV (French)")
OUTLOOK = N_("Outlook CSV")
THUNDERBIRD = N_("Thunderbird CSV")
THUNDERBIRD_FR = N_("Thunderbird CSV (French)")
LINKEDIN = N_("LinkedIn CSV")
TWS = N_("tws-tui CSV")
#: A file whose columns the user chose (the column mapping).
CHOSEN = N_("CSV with the columns you chose")

#: What a column can hold (the column mapping offers them in this order), with their names.
FIELDS: dict[str, str] = {
    "": N_("(ignore)"),
    "name": N_("Full name"),
    "given name": N_("First name"),
    "middle name": N_("Middle name"),
    "family name": N_("Last name"),
    "nickname": N_("Nickname"),
    "company": N_("Company"),
    "department": N_("Department"),
    "job title": N_("Job title"),
    "email": N_("E-mail"),
    "phone": N_("Phone"),
    "phone:work": N_("Phone (work)"),
    "phone:cell": N_("Phone (mobile)"),
    "phone:home": N_("Phone (home)"),
    "phone:fax": N_("Fax"),
    "phone:pager": N_("Pager"),
    "numbers": N_("Numbers (label:number; …)"),
    "address": N_("Postal address"),
    "web": N_("Web address"),
    "birthday": N_("Birthday"),
    "assistant": N_("Assistant"),
    "customer number": N_("Customer number"),
    "note": N_("Note"),
}
#: Several values in one cell of a Google export.
GOOGLE_SEPARATOR = " ::: "


def phone_label(kind: str) -> str:
    """The label of a ``phone:<type>`` field's numbers (``phone:cell`` → ``Mobile``)."""
    return PHONE_TYPE_LABELS.get(kind.partition(":")[2], "")


def label_of_type(text: str) -> str:
    """A number's label from the type an export wrote beside it (Google's ``* Mobile``,
    ``Work Fax``, ``Main``): the project's label for a known type, else the text itself."""
    folded = fold(text.strip().lstrip("*").strip())
    for word, type_ in (
        ("fax", "fax"),
        ("pager", "pager"),
        ("mobile", "cell"),
        ("cell", "cell"),
        ("work", "work"),
        ("home", "home"),
    ):
        if word in folded:
            return PHONE_TYPE_LABELS[type_]
    if folded in ("", "main", "other", "voice"):
        return ""
    return text.strip().lstrip("*").strip()


@value_class
class Column:
    """What one column holds: its field; for a value whose label is in another column
    (Google's ``Phone 1 - Type``), that column's index; several values split by ``split``."""

    field: str = ""
    label_column: int | None = None
    split: str = ""
    label: str = ""  # a ``phone`` column's label when no column gives it (its header)


#: What a format says of the column at an index of the (folded) header; None: nothing.
Rule = Callable[[int, Sequence[str]], Column | None]


def _table(entries: dict[str, str]) -> dict[str, str]:
    return {fold(title): field for title, field in entries.items()}


_OUTLOOK = _table(
    {
        "first name": "given name",
        "middle name": "middle name",
        "last name": "family name",
        "nickname": "nickname",
        "company": "company",
        "department": "department",
        "job title": "job title",
        "e-mail address": "email",
        "e-mail 2 address": "email",
        "e-mail 3 address": "email",
        "business phone": "phone:work",
        "business phone 2": "phone:work",
        "home phone": "phone:home",
        "home phone 2": "phone:home",
        "mobile phone": "phone:cell",
        "business fax": "phone:fax",
        "home fax": "phone:fax",
        "other fax": "phone:fax",
        "pager": "phone:pager",
        "primary phone": "phone",
        "other phone": "phone",
        "company main phone": "phone",
        "car phone": "phone",
        "callback": "phone",
        "assistant's phone": "phone",
        "isdn": "phone",
        "radio phone": "phone",
        "tty/tdd phone": "phone",
        "notes": "note",
        "birthday": "birthday",
        "web page": "web",
        "personal web page": "web",
        "assistant's name": "assistant",
        **{
            f"{where} {part}": f"{field}@{where}"
            for where in ("business", "home", "other")
            for part, field in (
                ("street", "street"),
                ("street 2", "street"),
                ("street 3", "street"),
                ("city", "city"),
                ("state", "region"),
                ("postal code", "postal code"),
                ("country", "country"),
                ("country/region", "country"),
            )
        },
    }
)
_OUTLOOK_FR = _table(
    {
        "prénom": "given name",
        "deuxième prénom": "middle name",
        "nom": "family name",
        "surnom": "nickname",
        "société": "company",
        "service": "department",
        "adresse de messagerie": "email",
        "adresse de messagerie 2": "email",
        "adresse de messagerie 3": "email",
        "téléphone (bureau)": "phone:work",
        "téléphone 2 (bureau)": "phone:work",
        "téléphone (domicile)": "phone:home",
        "téléphone 2 (domicile)": "phone:home",
        "tél. mobile": "phone:cell",
        "téléphone mobile": "phone:cell",
        "télécopie (bureau)": "phone:fax",
        "télécopie (domicile)": "phone:fax",
        "télécopie (autre)": "phone:fax",
        "récepteur de radiomessagerie": "phone:pager",
        "téléphone (autre)": "phone",
        "téléphone principal": "phone",
        "téléphone société": "phone",
        "téléphone (voiture)": "phone",
        "rappel": "phone",
        "rnis": "phone",
        "radio téléphone": "phone",
        "téléphone tdd/tty": "phone",
        "téléphone de l'assistant(e)": "phone",
        "anniversaire": "birthday",
        "notes": "note",
        "page web": "web",
        "nom de l'assistant(e)": "assistant",
        **{
            title.format(where=where): f"{field}@{group}"
            for where, group in (("bureau", "work"), ("domicile", "home"), ("autre", "other"))
            for title, field in (
                ("rue ({where})", "street"),
                ("rue ({where}) 2", "street"),
                ("rue ({where}) 3", "street"),
                ("ville ({where})", "city"),
                ("dép/région ({where})", "region"),
                ("code postal ({where})", "postal code"),
                ("pays ({where})", "country"),
                ("pays/région ({where})", "country"),
            )
        },
    }
)
_THUNDERBIRD = _table(
    {
        "first name": "given name",
        "last name": "family name",
        "display name": "name",
        "nickname": "nickname",
        "primary email": "email",
        "secondary email": "email",
        "work phone": "phone:work",
        "home phone": "phone:home",
        "fax number": "phone:fax",
        "pager number": "phone:pager",
        "mobile number": "phone:cell",
        "job title": "job title",
        "department": "department",
        "organization": "company",
        "web page 1": "web",
        "web page 2": "web",
        "birth year": "birth year",
        "birth month": "birth month",
        "birth day": "birth day",
        "notes": "note",
        **{
            f"{where} {part}": f"{field}@{where}"
            for where in ("home", "work")
            for part, field in (
                ("address", "street"),
                ("address 2", "street"),
                ("city", "city"),
                ("state", "region"),
                ("zipcode", "postal code"),
                ("country", "country"),
            )
        },
    }
)
_THUNDERBIRD_FR = _table(
    {
        "prénom": "given name",
        "nom de famille": "family name",
        "nom à afficher": "name",
        "surnom": "nickname",
        "adresse électronique principale": "email",
        "adresse électronique secondaire": "email",
        "tél. professionnel": "phone:work",
        "tél. personnel": "phone:home",
        "fax": "phone:fax",
        "pager": "phone:pager",
        "portable": "phone:cell",
        "adresse privée": "street@home",
        "adresse privée 2": "street@home",
        "pays/région (domicile)": "country@home",
        "adresse professionnelle": "street@work",
        "adresse professionnelle 2": "street@work",
        "pays/région (bureau)": "country@work",
        "profession": "job title",
        "service": "department",
        "société": "company",
        "site web 1": "web",
        "site web 2": "web",
        "année de naissance": "birth year",
        "mois": "birth month",
        "jour": "birth day",
        "notes": "note",
    }
)
#: Columns Thunderbird in French names twice: the home address's, then the work address's.
_THUNDERBIRD_FR_TWICE = {"ville": "city", "pays/etat": "region", "code postal": "postal code"}
_LINKEDIN = _table(
    {
        "first name": "given name",
        "last name": "family name",
        "url": "web",
        "email address": "email",
        "company": "company",
        "position": "job title",
    }
)
_GOOGLE = _table(
    {
        "name": "name",
        "given name": "given name",
        "first name": "given name",
        "additional name": "middle name",
        "middle name": "middle name",
        "family name": "family name",
        "last name": "family name",
        "nickname": "nickname",
        "birthday": "birthday",
        "notes": "note",
        "organization 1 - name": "company",
        "organization name": "company",
        "organization 1 - title": "job title",
        "organization title": "job title",
        "organization 1 - department": "department",
        "organization department": "department",
    }
)
#: The tws-tui CSV's columns (:mod:`.csv_files`) and the header names accepted for each.
TWS_ALIASES = {
    "name": ("name", "nom"),
    "company": ("company", "societe", "entreprise"),
    "department": ("department", "service", "departement"),
    "email": ("email", "e-mail", "mail", "courriel"),
    "numbers": ("numbers", "phones", "telephones", "numeros"),
    "emails": ("emails", "e-mails", "other e-mails", "autres e-mails", "autres courriels"),
    "web": ("web", "url", "urls", "site", "site web"),
    "address": ("address", "addresses", "adresse", "adresses"),
    "job title": ("job title", "title", "fonction", "poste", "titre"),
    "assistant": ("assistant", "assistante"),
    "birthday": ("birthday", "anniversaire", "date de naissance"),
    "customer number": ("customer number", "numero client", "n client", "code client"),
    "note": ("note", "notes", "commentaire"),
}
#: How several values of one kind share a cell of the tws-tui CSV: e-mails and web addresses
#: by ``;``, postal addresses (several lines each) by an empty line.
TWS_SEPARATORS = {"emails": ";", "web": ";", "address": "\n\n"}
_TWS = {alias: field for field, aliases in TWS_ALIASES.items() for alias in aliases}
_GOOGLE_NUMBERED = re.compile(r"(e-mail|phone|address|website) (\d+) - (value|formatted)")
_GOOGLE_FIELDS = {"e-mail": "email", "phone": "phone", "address": "address", "website": "web"}


def _from_table(table: dict[str, str]) -> Rule:
    def rule(index: int, header: Sequence[str]) -> Column | None:
        field = table.get(header[index])
        return Column(field) if field is not None else None

    return rule


def _google(index: int, header: Sequence[str]) -> Column | None:
    found = _GOOGLE_NUMBERED.fullmatch(header[index])
    if found is None:
        return _from_table(_GOOGLE)(index, header)
    kind, number, _value = found.groups()
    label_column = None
    for suffix in ("type", "label"):
        name = f"{kind} {number} - {suffix}"
        if name in header:
            label_column = header.index(name)
    return Column(_GOOGLE_FIELDS[kind], label_column, GOOGLE_SEPARATOR)


def _outlook_fr(index: int, header: Sequence[str]) -> Column | None:
    if header[index] == "titre":  # the first is M./Mme (not kept), the second the job title
        return Column("job title" if index != header.index("titre") else "")
    return _from_table(_OUTLOOK_FR)(index, header)


def _thunderbird_fr(index: int, header: Sequence[str]) -> Column | None:
    part = _THUNDERBIRD_FR_TWICE.get(header[index])
    if part is not None:
        group = "home" if index == header.index(header[index]) else "work"
        return Column(f"{part}@{group}")
    return _from_table(_THUNDERBIRD_FR)(index, header)


@value_class
class Format:
    """A known export: its name (a msgid), the columns that tell it (all of them, or for
    Google one of its numbered columns), and what each column holds."""

    name: str
    signature: tuple[str, ...]
    rule: Rule

    def recognises(self, header: Sequence[str]) -> bool:
        if self.name == GOOGLE:
            return any(_GOOGLE_NUMBERED.fullmatch(title) for title in header)
        return all(fold(title) in header for title in self.signature)


FORMATS: tuple[Format, ...] = (
    Format(GOOGLE, (), _google),
    Format(OUTLOOK_FR, ("prénom", "nom", "adresse de messagerie"), _outlook_fr),
    Format(OUTLOOK_FR, ("prénom", "nom", "deuxième prénom"), _outlook_fr),
    Format(OUTLOOK, ("first name", "last name", "e-mail address"), _from_table(_OUTLOOK)),
    Format(OUTLOOK, ("first name", "last name", "business phone"), _from_table(_OUTLOOK)),
    Format(THUNDERBIRD, ("display name", "primary email"), _from_table(_THUNDERBIRD)),
    Format(THUNDERBIRD_FR, ("nom à afficher", "adresse électronique principale"), _thunderbird_fr),
    Format(LINKEDIN, ("first name", "last name", "connected on"), _from_table(_LINKEDIN)),
    Format(TWS, ("name",), _from_table(_TWS)),
    Format(TWS, ("nom",), _from_table(_TWS)),
)


def folded_header(header: Sequence[str]) -> list[str]:
    return [fold(title.strip()) for title in header]


def recognise(header: Sequence[str]) -> tuple[str, tuple[Column, ...]] | None:
    """The format that writes this header and what each of its columns holds, or None."""
    folded = folded_header(header)
    for known in FORMATS:
        if known.recognises(folded):
            columns = []
            for index, title in enumerate(header):
                column = known.rule(index, folded) or Column()
                if column.field == "phone" and column.label_column is None:
                    column = dataclasses.replace(column, label=title.strip())
                if known.name == TWS:
                    column = dataclasses.replace(column, split=TWS_SEPARATORS.get(column.field, ""))
                columns.append(column)
            return known.name, _first_name_column_only(known.name, columns)
    return None


def _first_name_column_only(name: str, columns: list[Column]) -> tuple[Column, ...]:
    """The tws-tui CSV takes the first column of each name (``email`` then ``courriel`` …)."""
    if name != TWS:
        return tuple(columns)
    seen: set[str] = set()
    kept = []
    for column in columns:
        kept.append(column if column.field not in seen else Column())
        seen.add(column.field)
    return tuple(kept)


_EMAIL_LIKE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def guess(header: Sequence[str], samples: Sequence[Sequence[str]]) -> tuple[str, ...]:
    """A field per column of an unknown header: by its name as any known format writes it,
    else by its values (e-mail addresses, phone numbers), and the first other column with
    text as the name when no column is named like one; ``""`` when nothing fits."""
    folded = folded_header(header)
    fields: list[str] = []
    for index in range(len(folded)):
        field = ""
        for known in FORMATS:
            column = known.rule(index, folded)
            if column is not None and column.field in FIELDS:
                field = column.field
                break
        if not field:
            values = [row[index].strip() for row in samples if index < len(row)]
            values = [value for value in values if value]
            if values and all(_EMAIL_LIKE.fullmatch(value) for value in values):
                field = "email"
            elif values and all(is_dialable(value) for value in values):
                field = "phone"
        fields.append(field)
    if not {"name", "given name", "family name"} & set(fields):
        # no column named like a name: the first one holding text that is neither an e-mail
        # address nor a number (exports put the name first)
        for index, field in enumerate(fields):
            values = [row[index].strip() for row in samples if index < len(row)]
            if not field and any(value for value in values):
                fields[index] = "name"
                break
    return tuple(fields)
