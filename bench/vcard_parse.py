#!/usr/bin/env python3
"""``import_vcard`` on 100 000 generated cards as phones and mail programs write them: cards
per second and memory.

The cards come from a seed, in four styles taken from the corpus
(``tests/data/contacts/vcard``): Apple 3.0 (``item1.TEL`` with an ``X-ABLabel``, ``TYPE=`` lists,
a ``pref``, ``N``/``FN``/``ORG``/``ADR``/``NOTE``), Android 2.1 (quoted-printable UTF-8 names
with soft line breaks, bare ``TEL;CELL``), Outlook 2.1 (``TEL;WORK;VOICE``, a ``LABEL`` in
quoted-printable, ``X-MS-…``) and Google 3.0 (several e-mails and numbers, ``CATEGORIES``), with
accents. One in twenty has a line the console cannot use (``TEL:p1234``, ``TEL:sip:…``).
Prints the size of the text, the import time (best of ``--runs``, wall clock and this
process's CPU time: on a machine shared with other work the CPU time is the fair figure),
cards per second, how many
contacts, refusals and notes came back, and the peak memory of one import under
``tracemalloc`` (the text itself excluded: it exists before the import starts).

    python bench/vcard_parse.py [--cards 100000] [--seed 7] [--runs 3] [--json]

Target (issue 22): 100 000 cards in at most 6 s on the project machine.
"""

from __future__ import annotations

import argparse
import binascii
import gc
import json
import random
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tws_tui.contacts.exchange import import_vcard


def _words(text: str, separator: str | None = None) -> list[str]:
    return text.split(separator)


FIRST = _words(
    "Émilie Chloé Léa Zoé Inès Maëlle Anaïs Hélène Céline Agnès Françoise Jérôme Frédéric "
    "Stéphane Sébastien Cédric Benoît Loïc Gaël Noël Raphaël Jean Pierre Paul Michel Julie"
)
LAST = _words(
    "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent "
    "Lefèvre Müller Guérin Bénard Nöel Girard André Mercier Dupont Lambert Bonnet François"
)
COMPANIES = ["ACME SA", "Mairie de Lyon", "Hôpital Nord", "Boulangerie Aubry", "Roux & Fils"]
STREETS_LIST = ["rue de la Paix", "avenue Foch", "boulevard Haussmann", "place Bellecour"]


def _qp(text: str) -> str:
    """``text`` in quoted-printable, cut with soft line breaks as Android does."""
    raw = text.replace("\n", "\r\n").encode("utf-8")  # Outlook's =0D=0A
    encoded = binascii.b2a_qp(raw, istext=False).decode("ascii").replace("=\n", "")
    return "=\r\n".join(encoded[i : i + 60] for i in range(0, len(encoded), 60))


def _number(rng: random.Random) -> str:
    digits = "".join(str(rng.randrange(10)) for _ in range(8))
    return rng.choice(
        (
            f"06 {digits[:2]} {digits[2:4]} {digits[4:6]} {digits[6:]}",
            f"+33 1{digits}",
            f"0{digits}9",
        )
    )


def card(rng: random.Random, index: int) -> str:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    company = rng.choice(COMPANIES)
    mail = f"{first.lower()}.{last.lower()}{index}@example.fr"
    street = f"{rng.randrange(1, 200)} {rng.choice(STREETS_LIST)}"
    odd = ["TEL:p1234p5678", "TEL;VALUE=uri:sip:accueil@pbx.example.fr"][index % 2]
    style = index % 4
    if style == 0:  # Apple 3.0
        lines = [
            "VERSION:3.0",
            "PRODID:-//Apple Inc.//iOS 17.1//EN",
            f"N:{last};{first};;;",
            f"FN:{first} {last}",
            f"ORG:{company};Accueil;",
            f"item1.EMAIL;type=INTERNET;type=pref:{mail}",
            f"TEL;type=CELL;type=VOICE;type=pref:{_number(rng)}",
            f"item2.TEL:{_number(rng)}",
            "item2.X-ABLabel:_$!<AssistantPhone>!$_",
            f"item3.ADR;type=WORK;type=pref:;;{street};Lyon;;69002;France",
            "item3.X-ABADR:fr",
            "NOTE:Rappeler le matin\\nBadge au nom de l'accueil",
        ]
    elif style == 1:  # Android 2.1
        name = f"{last};{first};;;"
        lines = [
            "VERSION:2.1",
            f"N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{_qp(name)}",
            f"FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{_qp(f'{first} {last}')}",
            f"TEL;CELL;PREF:{_number(rng)}",
            f"TEL;HOME:{_number(rng)}",
            f"EMAIL;HOME:{mail}",
        ]
    elif style == 2:  # Outlook 2.1
        lines = [
            "VERSION:2.1",
            f"N;LANGUAGE=fr:{last};{first};;M.;",
            f"FN:M. {first} {last}",
            f"ORG:{company};Direction",
            "TITLE:Responsable",
            f"TEL;WORK;VOICE:{_number(rng)}",
            f"TEL;WORK;FAX:{_number(rng)}",
            f"ADR;WORK;PREF:;;{street};Lyon;;69002;France",
            f"LABEL;WORK;PREF;ENCODING=QUOTED-PRINTABLE:{_qp(street + chr(10) + '69002 Lyon')}",
            f"EMAIL;PREF;INTERNET:{mail}",
            "X-MS-OL-DEFAULT-POSTAL-ADDRESS:2",
            "REV:20240102T030405Z",
        ]
    else:  # Google 3.0
        lines = [
            "VERSION:3.0",
            f"FN:{first} {last}",
            f"N:{last};{first};;;",
            f"EMAIL;TYPE=INTERNET;TYPE=WORK:{mail}",
            f"EMAIL;TYPE=INTERNET;TYPE=HOME:{first.lower()}{index}@gmail.com",
            f"TEL;TYPE=WORK:{_number(rng)}",
            f"TEL;TYPE=CELL:{_number(rng)}",
            f"ORG:{company}",
            "CATEGORIES:myContacts,Clients",
        ]
    if index % 20 == 0:
        lines.append(odd)
    return "BEGIN:VCARD\r\n" + "\r\n".join(lines) + "\r\nEND:VCARD\r\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    text = "".join(card(rng, index) for index in range(args.cards))
    times, cpu_times = [], []
    report = None
    for _ in range(args.runs):
        gc.collect()
        start, cpu = time.perf_counter(), time.process_time()
        report = import_vcard(text)
        times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu)
        del report
    gc.collect()
    tracemalloc.start()
    report = import_vcard(text)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    best = min(times)
    figures = {
        "cards": args.cards,
        "text_mb": round(len(text.encode("utf-8")) / 1e6, 1),
        "best_s": round(best, 2),
        "runs_s": [round(t, 2) for t in times],
        "best_cpu_s": round(min(cpu_times), 2),
        "cards_per_s": round(args.cards / best),
        "contacts": len(report.contacts),
        "refused": len(report.problems),
        "notes": len(report.notes),
        "peak_mb": round(peak / 1e6, 1),
    }
    if args.json:
        print(json.dumps(figures))
    else:
        print(
            f"{figures['cards']} cards ({figures['text_mb']} MB of text): "
            f"{figures['best_s']} s best of {args.runs} {figures['runs_s']} "
            f"({figures['best_cpu_s']} s of CPU), "
            f"{figures['cards_per_s']} cards/s; {figures['contacts']} contacts, "
            f"{figures['refused']} refused, {figures['notes']} notes; "
            f"peak memory {figures['peak_mb']} MB (tracemalloc)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
