"""Build nlp/data/gazetteer.csv from the CBS area names in ../shared/data/places.

Source: CBS/PDOK area boundaries (gemeenten 2015, wijken and buurten 2014), CBS open data
under CC BY 4.0 — credit "CBS". The gazetteer keeps all gemeenten of the Netherlands and the
wijken and buurten of the Drechtsteden (Dordrecht and its neighbours), with label points.

Each output row is one *alias* (the form we look for in text) of one area:

- "Wijk 10 Dubbeldam" → "Dubbeldam"; "Iroko en omgeving" → "Iroko";
  "Voltastraat en omgeving - De Put" → "Voltastraat", "De Put";
  "Crabbehof/Zuidhoven" → "Crabbehof", "Zuidhoven"; "Bergen (NH.)" → "Bergen";
  "'s-Gravenhage" also as "Den Haag", "'s-Hertogenbosch" also as "Den Bosch".
- `ambiguous` is 1 when the alias on its own says too little (see nlp/places.py for how it is
  then matched): a generic or common word ("Centrum", "Noord", "Park", "Dorp"), a name used
  by more than one area, a name of four letters or fewer, or a gemeente name that is also an
  ordinary Dutch word ("Best", "Goes", "Putten").
- Purely generic names ("Wijk 00", "Verspreide bebouwing", "Landelijk gebied ...") are left out.

Run: python scripts/build_gazetteer.py [--places DIR] [--out nlp/data/gazetteer.csv]
"""

from __future__ import annotations

import argparse
import csv
import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PLACES = ROOT.parent / "shared" / "data" / "places"
DEFAULT_OUT = ROOT / "nlp" / "data" / "gazetteer.csv"

HEADER = (
    "# Gazetteer of Dutch gemeenten and the wijken/buurten of the Drechtsteden.\n"
    "# Derived from CBS/PDOK area boundaries (gemeenten 2015, wijken/buurten 2014).\n"
    "# Source: CBS (Centraal Bureau voor de Statistiek), open data, CC BY 4.0. Credit: CBS.\n"
    "# Built by scripts/build_gazetteer.py; do not edit by hand.\n"
)

COLUMNS = ("alias", "cbs_code", "level", "name", "gemeente_code", "lat", "lon", "ambiguous")

DROP = re.compile(
    r"^(?:Wijk \d+|Verspreide bebouwing.*|Landelijk gebied.*|Bebouwde kom.*|"
    r"(?:Het )?Buitengebied|Drinkwaterbedrijf|Spaarbekken|Begraafplaats.*|"
    r"Voormalig .*|Locatie .*|.* locatie|Bedrijventerrein|Industriegebied)$",
    re.IGNORECASE,
)
"""Names that describe a kind of area rather than name one."""

COMMON_WORDS = {
    "centrum", "noord", "oost", "zuid", "west", "midden", "park", "dorp", "dijk", "sportpark",
    "binnenstad", "noordpark", "molendijk", "lijnbaan", "brugweg", "stationsweg", "waterland",
    "nieuwland", "middenveer", "kraaihoek", "bleijenhoek", "vogelbuurt", "bloemenbuurt",
    "schildersbuurt", "staatsliedenbuurt", "rivierenbuurt", "kerkbuurt", "polderbuurt",
    "schrijversbuurt", "oranjebuurt", "florabuurt", "dichtersbuurt", "planetenbuurt",
    "prinsessenbuurt", "zeeheldenbuurt", "componistenbuurt", "pilotenbuurt", "europesebuurt",
    "groene long", "de as", "de hoven", "de werven", "de weren", "de peulen", "de grienden",
    "middenpolder", "westpolder", "oostpolder", "zuidpolder", "bovenpolder", "molenvliet",
    "kalkhaven", "driehoek", "dijkzone",
    # gemeenten that are also ordinary words or first names
    "best", "goes", "putten", "beek", "stein", "epe", "ede", "laren", "grave", "buren", "lisse",
    "bergen", "leek", "haren", "deurne", "urk", "oss", "ommen", "borne", "asten", "nuth",
    "vaals", "sluis", "veere", "tiel", "soest", "doesburg", "rozendaal", "venray",
}

EXTRA_ALIASES = {"GM0518": ["Den Haag"], "GM0796": ["Den Bosch"]}


def fix_mojibake(name: str) -> str:
    """Some CBS names were decoded with the wrong code page ("S£dwest Fryslƒn")."""
    if any(ch in name for ch in "£ƒ"):
        try:
            return name.encode("cp1252").decode("cp850")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return name
    return name


def aliases_for(level: str, name: str) -> list[str]:
    """The forms under which an area is mentioned in text."""
    name = fix_mojibake(name).strip()
    name = re.sub(r"^Wijk \d+\s*", "", name) if level == "wijk" else name
    name = re.sub(r"\s*\((?:NH|L)\.\)$", "", name)
    parts = re.split(r"\s+-\s+|/", name)
    out = []
    for part in parts:
        part = re.sub(r"\s+en [Oo]mgeving$", "", part.strip())
        if "(" in part or not part or DROP.match(part) or not re.search(r"[A-Za-z]{3}", part):
            continue
        out.append(part[0].upper() + part[1:])
    return out


def gemeente_code_of(level: str, code: str) -> str:
    if level == "gemeente":
        return code
    digits = code[2:6]
    return f"GM{digits}"


def read_rows(path: Path, levels: set[str]) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["level"] in levels]


def build(places_dir: Path) -> list[dict[str, str]]:
    national = read_rows(places_dir / "nl_gemeenten2015_wijken2014_buurten2014.csv", {"gemeente"})
    local = read_rows(places_dir / "drechtsteden_wijken_buurten.csv", {"wijk", "buurt"})
    entries: list[dict[str, str]] = []
    for row in [*national, *local]:
        level, code = row["level"], row["cbs_code"]
        names = aliases_for(level, row["name"]) + EXTRA_ALIASES.get(code, [])
        display = fix_mojibake(row["name"]).strip()
        if level == "wijk":
            display = re.sub(r"^Wijk \d+\s*", "", display) or display
        for alias in dict.fromkeys(names):
            entries.append(
                {
                    "alias": alias,
                    "cbs_code": code,
                    "level": level,
                    "name": display,
                    "gemeente_code": gemeente_code_of(level, code),
                    "lat": row["label_lat"],
                    "lon": row["label_lon"],
                }
            )
    gemeente_names = {e["alias"].lower() for e in entries if e["level"] == "gemeente"}
    # Within one gemeente a name used by a wijk and one of its buurten means the buurt
    # (the more precise area); across gemeenten the name is ambiguous.
    precision = {"buurt": 0, "wijk": 1, "gemeente": 2}
    best: dict[tuple[str, str], dict[str, str]] = {}
    for entry in entries:
        if entry["level"] != "gemeente" and entry["alias"].lower() in gemeente_names:
            continue  # "Papendrecht" the wijk vs the gemeente: the gemeente wins
        key = (entry["alias"].lower(), entry["gemeente_code"])
        if key not in best or precision[entry["level"]] < precision[best[key]["level"]]:
            best[key] = entry
    uses = Counter(alias for alias, _ in best)
    kept = []
    for entry in best.values():
        alias = entry["alias"].lower()
        ambiguous = alias in COMMON_WORDS or uses[alias] > 1 or len(alias) <= 4
        entry["ambiguous"] = "1" if ambiguous else "0"
        kept.append(entry)
    kept.sort(key=lambda e: (e["level"] != "gemeente", e["cbs_code"], e["alias"]))
    return kept


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--places", type=Path, default=DEFAULT_PLACES, help="folder with CBS CSVs")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="gazetteer CSV to write")
    args = parser.parse_args()
    rows = build(args.places)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8", newline="") as handle:
        handle.write(HEADER)
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"Wrote {len(rows)} aliases to {args.out}")


if __name__ == "__main__":
    main()
