#!/usr/bin/env python3
"""``SearchIndex`` on 100 000 French-looking contacts: build time, search time, memory.

Generates the contacts from a seed (names with accents, companies, departments, one to three
numbers in national, international or extension form, e-mail addresses), builds the index, then
"types" names, companies and numbers letter by letter, one ``search(limit=50)`` per keystroke,
as search-as-you-type does. Prints:

* build time (median of ``--builds`` builds, without tracing): searchable by name, and the
  time ``prepare()`` then takes to build the number and e-mail columns and the "contains"
  table (which a first search needing them would otherwise build; ``Directories`` calls it in
  its worker thread);
* p50 / p95 / max search time per keystroke, for words and for numbers;
* the peak memory of one build under ``tracemalloc`` (the contacts themselves excluded: they
  exist before the build starts).

    python bench/search_index.py [--contacts 100000] [--seed 7] [--typed 40] [--builds 3]
                                 [--json]

Target (contacts issue): build well under 1 s, p95 ≤ 2 ms for 1–6 letter prefixes.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tws_tui.contacts.search import SearchIndex
from tws_tui.core.model import Contact
from tws_tui.domain.text import fold


def _split(text: str) -> list[str]:
    return text.split()


def _split_bars(text: str) -> list[str]:
    return text.split("|")


FIRST = _split(
    "Émilie Chloé Léa Zoé Inès Maëlle Anaïs Hélène Céline Agnès Françoise Géraldine Jérôme "
    "Frédéric Stéphane Sébastien Cédric Jérémy Benoît Loïc Gaël Noël Raphaël Mickaël Théo "
    "Jean Pierre Paul Jacques Michel Philippe Alain Bernard Christophe Nicolas Julien Thomas "
    "Antoine Camille Manon Sarah Laura Julie Marie Anne Sophie Nathalie Isabelle Sylvie "
    "Catherine Christine Valérie Sandrine Véronique Aurélie Mathilde Margaux Lucie Clément "
    "Louis Hugo Arthur Lucas Gabriel Léo Adam Nathan Enzo Mathis Maxime Quentin Romain "
    "Guillaume Olivier Xavier Yves Régis Elodie Laure Amélie Bérénice Honoré Joël Aimé"
)
LAST = _split(
    "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent "
    "Lefèvre Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André Lefebvre "
    "Mercier Dupont Lambert Bonnet François Martinez Legrand Garnier Faure Rousseau Blanc "
    "Guérin Muller Henry Roussel Nicolas Perrin Morin Mathieu Clément Gauthier Dumont Lopez "
    "Fontaine Chevalier Robin Masson Sanchez Gérard Nguyen Boyer Denis Lemaire Duval Joly "
    "Gautier Roger Roche Roy Noël Meyer Lucas Meunier Jean Pérez Marchand Dufour Blanchard "
    "Marie Barbier Brun Dumas Brunet Schmitt Leroux Colin Fernandez Pierre Renard Arnaud "
    "Rolland Caron Aubert Giraud Leclerc Vidal Bourgeois Renaud Lemoine Picard Gaillard "
    "Philippe Leclercq Lacroix Fabre Dupuis Olivier Rodriguez Da-Silva Hubert Louis Charles "
    "Guillot Rivière Le-Gall Guillaume Adam Rey Moulin Gonzalez Berger Lecomte Ménard Fleury "
    "Deschamps Carpentier Julien Benoît Paris Maillard Marchal Aubry Vasseur Le-Roux Renault "
    "Jacquet Collet Prévost Poirier Charpentier Royer Huet Baron Dupuy Pons Paul Laine Carré "
    "Bréhier Bieth Morian Paugam Sarter Œuvrard Lœillet Hervé Cœur Thiébaut"
)
COMPANIES = _split_bars(
    "Société Générale|Crédit Agricole|BNP Paribas|Orange|Bouygues Télécom|"
    "Électricité de France|Air Liquide|Saint-Gobain|Thalès|Dassault Systèmes|Publicis|Hermès|"
    "L'Oréal|Danone|Carrefour|Auchan|Décathlon|Michelin|Renault|Peugeot|Vinci|Eiffage|Veolia|"
    "Suez|Sodexo|Accor|Capgemini|Atos|Sopra Steria|Ubisoft|La Poste|SNCF|RATP|"
    "Mairie de Strasbourg|Clinique des Vosges|Cabinet Lefèvre & Associés|Boulangerie Dupont|"
    "Garage Müller|Pharmacie du Marché|Hôtel de la Gare|Soucht|BDFG|SLMA|Sypferre|Mandar"
)
DEPARTMENTS = _split_bars(
    "Comptabilité|Direction|Ressources humaines|Informatique|Accueil|Ventes|Achats|Juridique|"
    "Logistique|Marketing|Support|Qualité|Recherche et développement|Standard|Facturation"
)


def generate(count: int, seed: int) -> list[Contact]:
    rng = random.Random(seed)
    contacts: list[Contact] = []
    for index in range(count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        if rng.random() < 0.1:  # a compound first name
            first = f"{first}-{rng.choice(FIRST)}"
        name = f"{first} {last}"
        numbers: list[tuple[str, str]] = []
        for label in rng.sample(("Bureau", "Mobile", "Domicile", "Poste"), rng.randint(1, 3)):
            if label == "Poste":
                numbers.append((label, str(rng.randint(200, 4999))))
                continue
            lead = rng.choice("67") if label == "Mobile" else rng.choice("12345")
            digits = [rng.randint(0, 99) for _ in range(4)]
            if rng.random() < 0.3:
                numbers.append((label, f"+33 {lead} " + " ".join(f"{d:02d}" for d in digits)))
            else:
                numbers.append((label, f"0{lead} " + " ".join(f"{d:02d}" for d in digits)))
        company = rng.choice(COMPANIES) if rng.random() < 0.8 else None
        department = rng.choice(DEPARTMENTS) if company and rng.random() < 0.6 else None
        email = None
        if rng.random() < 0.7:
            email = f"{fold(first)}.{fold(last)}@example.fr".replace(" ", "")
        contacts.append(
            Contact(
                id=str(index),
                source=rng.choice(("private", "public", "company")),
                name=name,
                numbers=tuple(numbers),
                company=company,
                department=department,
                email=email,
            )
        )
    return contacts


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def typed_prefixes(words: list[str], longest: int = 8) -> list[str]:
    """Every prefix of each word, as typed one letter at a time."""
    return [word[:length] for word in words for length in range(1, min(len(word), longest) + 1)]


def time_searches(index: SearchIndex, terms: list[str]) -> list[float]:
    times: list[float] = []
    for term in terms:
        start = time.perf_counter()
        index.search(term, limit=50)
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--typed", type=int, default=40, help="names typed letter by letter")
    parser.add_argument("--builds", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    contacts = generate(args.contacts, args.seed)
    builds: list[float] = []
    prepares: list[float] = []
    index = None
    for _ in range(args.builds):
        index = None
        gc.collect()
        start = time.perf_counter()
        index = SearchIndex(contacts)
        builds.append(time.perf_counter() - start)
        start = time.perf_counter()
        index.prepare()
        prepares.append(time.perf_counter() - start)
    assert index is not None

    rng = random.Random(args.seed + 1)
    picked = rng.sample(contacts, args.typed)
    word_terms = typed_prefixes(
        [rng.choice(c.name.split()) for c in picked]
        + [c.company.split()[0] for c in picked[: args.typed // 4] if c.company]
        + ["olivier", "lefevre", "hélène", "œuvrard", "ier", "zz", "qx"]
    )
    number_terms = [
        number[:length]
        for c in picked[: args.typed // 2]
        for number in [c.numbers[0][1]]
        for length in range(2, len(number) + 1)
    ]
    time_searches(index, word_terms[:50])  # warm up
    word_times = time_searches(index, word_terms)
    short_times = time_searches(index, [t for t in word_terms if len(t) <= 6])
    number_times = time_searches(index, number_terms)

    del index
    gc.collect()
    tracemalloc.start()
    traced = SearchIndex(contacts)
    traced.prepare()
    _current, peak = tracemalloc.get_traced_memory()
    retained = _current
    tracemalloc.stop()
    del traced

    figures = {
        "contacts": args.contacts,
        "build_s_median": statistics.median(builds),
        "build_s_all": builds,
        "prepare_s_median": statistics.median(prepares),
        "words_searches": len(word_times),
        "words_ms_p50": statistics.median(word_times),
        "words_ms_p95": percentile(word_times, 0.95),
        "words_ms_max": max(word_times),
        "prefix_1_6_ms_p95": percentile(short_times, 0.95),
        "numbers_searches": len(number_times),
        "numbers_ms_p50": statistics.median(number_times),
        "numbers_ms_p95": percentile(number_times, 0.95),
        "numbers_ms_max": max(number_times),
        "memory_peak_mib": peak / 2**20,
        "memory_retained_mib": retained / 2**20,
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    print(f"contacts            {args.contacts}")
    build_ms = figures["build_s_median"] * 1000
    prepare_ms = figures["prepare_s_median"] * 1000
    print(f"build               {build_ms:.0f} ms (median of {args.builds}): names searchable")
    print(f'prepare             {prepare_ms:.0f} ms more: numbers, e-mail, "contains"')
    print(
        f"search words        p50 {figures['words_ms_p50']:.3f} ms, "
        f"p95 {figures['words_ms_p95']:.3f} ms, max {figures['words_ms_max']:.3f} ms "
        f"({len(word_times)} keystrokes; 1–6 letters p95 {figures['prefix_1_6_ms_p95']:.3f} ms)"
    )
    print(
        f"search numbers      p50 {figures['numbers_ms_p50']:.3f} ms, "
        f"p95 {figures['numbers_ms_p95']:.3f} ms, max {figures['numbers_ms_max']:.3f} ms "
        f"({len(number_times)} keystrokes)"
    )
    print(
        f"memory (tracemalloc) peak {figures['memory_peak_mib']:.1f} MiB, "
        f"retained {figures['memory_retained_mib']:.1f} MiB"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
