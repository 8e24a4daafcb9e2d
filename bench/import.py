#!/usr/bin/env python3
"""An import of 100 000 contacts with its preview, against a store that already holds 10 000.

Generates, from a seed, realistic French-looking contacts (names with accents, one to three
numbers in national or international form, e-mail addresses, a company with its department
(ORG), some postal addresses), stores ``--existing`` of them in a fresh SQLite file, then
imports a file of ``--contacts`` where ``--overlap`` of them are people already stored (same
number in another spelling, or same e-mail in capitals, with a new number: to be merged).
Each phase is timed as the console runs it:

* **parse**: ``import_vcard`` (or ``import_csv``) of the file;
* **preview**: ``preview_import`` against the store (what is new, what is merged);
* **write**: ``apply_preview``, one transaction, remembered for undo;

the CPU seconds of the three together beside the wall-clock total (on a shared machine the
wall clock also counts the time other processes had the cores),
and the peak memory of the whole import (``tracemalloc``, or with ``--no-trace`` the process's
maximum resident size from ``resource.getrusage``, which tracing does not slow down).

    python bench/import.py [--format vcard|csv|both] [--contacts 100000] [--existing 10000]
                           [--overlap 2000] [--seed 7] [--no-trace] [--json]

Target (issue 22): 100 000 vCards imported with the preview in ≤ 10 s on the development
machine, memory reported. The vCard parser is vobject's (imported by ``vcard_files``).
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tws_tui.contacts.csv_files import export_csv, import_csv
from tws_tui.contacts.import_preview import apply_preview, preview_import
from tws_tui.contacts.store import ContactStore
from tws_tui.contacts.vcard_files import export_vcard, import_vcard
from tws_tui.core.model import Contact


def _words(text: str) -> list[str]:
    return text.split()


FIRST = _words(
    "Émilie Chloé Léa Zoé Inès Maëlle Anaïs Hélène Céline Agnès Françoise Géraldine Jérôme "
    "Frédéric Stéphane Sébastien Cédric Jérémy Benoît Loïc Gaël Noël Raphaël Mickaël Théo "
    "Jean Pierre Paul Jacques Michel Philippe Alain Bernard Christophe Nicolas Julien Thomas "
    "Antoine Camille Manon Sarah Laura Julie Marie Anne Sophie Nathalie Isabelle Sylvie"
)
LAST = _words(
    "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent "
    "Lefèvre Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André Lefebvre "
    "Mercier Dupont Lambert Bonnet François Martinez Legrand Garnier Faure Rousseau Blanc "
    "Guérin Muller Henry Roussel Nicolas Perrin Morin Mathieu Clément Gauthier Dumont Lopez"
)
COMPANIES = [
    ("Société Générale", "Comptabilité"),
    ("Café Zoé", "Accueil"),
    ("Boulangerie Léa", "Vente"),
    ("Mairie de Nancy", "État civil"),
    ("Hôtel de la Gare", "Réception"),
    ("Crédit Agricole", "Clientèle"),
    ("Pâtisserie Noël", "Fabrication"),
]
LABELS = ["Bureau", "Mobile", "Domicile", "Fax"]
STREETS = ["rue de la Paix", "avenue Jean Jaurès", "boulevard Haussmann", "place Stanislas"]


def contact(rng: random.Random, index: int) -> Contact:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    numbers = tuple(
        (
            rng.choice(LABELS),
            f"0{rng.randint(1, 7)} {index % 100:02d} {n:02d} "
            f"{rng.randint(10, 99)} {(index // 100) % 100:02d}",
        )
        for n in range(rng.randint(1, 3))
    )
    company, department = rng.choice(COMPANIES) if rng.random() < 0.7 else (None, None)
    details: list[tuple[str, str]] = []
    if rng.random() < 0.3:
        details.append(("email", f"{first}.{index}@perso.example".lower()))
    if rng.random() < 0.2:
        street = f"{rng.randint(1, 120)} {rng.choice(STREETS)}\n{rng.randint(10000, 95999)} Ville"
        details.append(("address", street))
    return Contact(
        id="",
        source="private",
        name=f"{first} {last}",
        numbers=numbers,
        company=company,
        department=department,
        email=f"{first}.{last}.{index}@example.fr".lower() if rng.random() < 0.8 else None,
        details=tuple(details),
    )


def international(number: str) -> str:
    """``01 23 45 67 89`` as ``+33 1 23 45 67 89``: the same number, another spelling."""
    return "+33 " + number[1:]


def make(
    contacts: int, existing: int, overlap: int, seed: int
) -> tuple[list[Contact], list[Contact]]:
    rng = random.Random(seed)
    stored = [contact(rng, index) for index in range(existing)]
    incoming = [contact(rng, existing + index) for index in range(contacts - overlap)]
    for index in range(overlap):  # people already stored: merged, with one new number
        known = stored[index * existing // max(overlap, 1)]
        if index % 2 and known.email:
            match = Contact("", "private", known.name, (), email=known.email.upper())
        else:
            match = Contact(
                "", "private", known.name, (("Mobile", international(known.numbers[0][1])),)
            )
        extra = ("Mobile", f"06 {index % 100:02d} {index // 100 % 100:02d} 99 {seed % 100:02d}")
        incoming.append(
            Contact("", "private", match.name, (*match.numbers, extra), email=match.email)
        )
    rng.shuffle(incoming)
    return stored, incoming


def run(fmt: str, args: argparse.Namespace, folder: Path) -> dict[str, float | int | str]:
    stored, incoming = make(args.contacts, args.existing, args.overlap, args.seed)
    store = ContactStore(folder / f"{fmt}.sqlite3")
    store.add_many(stored)
    file = folder / f"import.{'vcf' if fmt == 'vcard' else 'csv'}"
    text = export_vcard(incoming) if fmt == "vcard" else export_csv(incoming)
    file.write_text(text, encoding="utf-8")
    reader = import_vcard if fmt == "vcard" else import_csv
    del stored, incoming, text
    gc.collect()
    if not args.no_trace:
        tracemalloc.start()
    cpu_started = time.process_time()
    started = time.perf_counter()
    report = reader(file)
    parsed = time.perf_counter()
    preview = preview_import(report, store, "private")
    previewed = time.perf_counter()
    saved, batch = apply_preview(preview, store, file=str(file))
    written = time.perf_counter()
    cpu = time.process_time() - cpu_started
    if args.no_trace:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        memory = "max resident size of the process"
    else:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        memory = "tracemalloc peak of the import"
    store.close()
    return {
        "format": fmt,
        "contacts": args.contacts,
        "existing": args.existing,
        "read": len(report.contacts),
        "refused": len(report.problems),
        "new": len(preview.new),
        "merged": len(preview.merges),
        "already_there": len(preview.already_there),
        "written": len(saved) + batch.merged,
        "parse_s": round(parsed - started, 3),
        "preview_s": round(previewed - parsed, 3),
        "write_s": round(written - previewed, 3),
        "total_s": round(written - started, 3),
        "cpu_s": round(cpu, 3),
        "peak_mb": round(peak / 1e6, 1),
        "memory": memory,
        "traced": not args.no_trace,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--format", choices=("vcard", "csv", "both"), default="both")
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--existing", type=int, default=10_000)
    parser.add_argument("--overlap", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-trace", action="store_true", help="time without tracemalloc")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    formats = ("vcard", "csv") if args.format == "both" else (args.format,)
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for fmt in formats:
            result = run(fmt, args, Path(folder))
            results.append(result)
            if not args.json:
                print(
                    f"{fmt:5}: {result['contacts']} contacts against {result['existing']}: "
                    f"parse {result['parse_s']} s, preview {result['preview_s']} s, "
                    f"write {result['write_s']} s, total {result['total_s']} s "
                    f"({result['cpu_s']} s of CPU); "
                    f"{result['new']} new, {result['merged']} merged, "
                    f"{result['already_there']} already there, {result['refused']} refused; "
                    f"peak {result['peak_mb']} MB ({result['memory']})"
                )
    if args.json:
        print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
