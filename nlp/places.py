"""Place mentions: gemeenten, wijken and buurten named in a document, with coordinates.

The gazetteer (`nlp/data/gazetteer.csv`, built by scripts/build_gazetteer.py from CBS area
names — source CBS, CC BY 4.0) holds every gemeente of the Netherlands and the wijken and
buurten of the Drechtsteden, one row per alias.

Matching rules (why: a false place on the map is worse than a missing one):

1. Whole words only: an alias must not be preceded or followed by a letter or digit
   ("Staart" does not match in "Staartjes").
2. Case: the alias must appear with its capitals ("Dordrecht", not "dordrecht"); accents are
   ignored ("Sudwest Fryslan" matches "Súdwest Fryslân"). A place name in lower case is
   almost always the ordinary word ("het centrum", "de dijk").
3. Ambiguous aliases (flag in the gazetteer: common words such as "Centrum", "Noord",
   "Park", "Dorp"; names used in several gemeenten; names of four letters or fewer; gemeenten
   that are ordinary words such as "Best" or "Goes"):
   - a wijk or buurt counts only when its gemeente is in context: the gemeente itself, or
     another unambiguous wijk/buurt of it, is mentioned in the document ("Centrum" next to
     "Dordrecht" or "Dubbeldam"); when several candidate areas fit, the mention is skipped;
   - an ambiguous gemeente counts only right after "gemeente", "in", "uit", "te", "naar"
     or "bij" ("in Best", "de gemeente Goes"), and only if exactly one gemeente has that name.
4. Longer aliases win over shorter ones that overlap them ("Bergen op Zoom" over "Bergen").
"""

from __future__ import annotations

import csv
import functools
import logging
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from core.records import MAX_TEXT_CHARS
from storage.scores import PlaceMention

logger = logging.getLogger(__name__)

GAZETTEER_PATH = Path(__file__).resolve().parent / "data" / "gazetteer.csv"

_CONTEXT_WORDS = re.compile(r"(?:gemeente|in|uit|te|naar|bij)\s+$", re.IGNORECASE)


@dataclass(frozen=True)
class Place:
    """One alias of an area in the gazetteer."""

    alias: str
    cbs_code: str
    level: str
    name: str
    gemeente_code: str
    lat: float | None
    lon: float | None
    ambiguous: bool


class Gazetteer:
    """Finds place mentions in text; build once (the regex is large) and reuse."""

    def __init__(self, places: Iterable[Place]) -> None:
        self.by_alias: dict[str, list[Place]] = defaultdict(list)
        for place in places:
            self.by_alias[_fold_accents(place.alias)].append(place)
        aliases = sorted(self.by_alias, key=len, reverse=True)
        body = "|".join(re.escape(alias) for alias in aliases)
        self.pattern = re.compile(rf"(?<![\w-])(?:{body})(?![\w-])") if aliases else None

    def find(self, text: str) -> list[PlaceMention]:
        """Place mentions in `text`, one per area with its mention count, most mentioned first.

        >>> gaz = load_gazetteer()
        >>> [p.name for p in gaz.find("Nieuwe brug tussen Dordrecht en Zwijndrecht.")]
        ['Dordrecht', 'Zwijndrecht']
        """
        if self.pattern is None or not text:
            return []
        folded = _fold_accents(text[:MAX_TEXT_CHARS])
        raw_hits = [(m.start(), m.group()) for m in self.pattern.finditer(folded)]
        clear: Counter[str] = Counter()
        places_by_code: dict[str, Place] = {}
        pending: list[tuple[int, list[Place]]] = []
        for start, alias in raw_hits:
            candidates = self.by_alias[alias]
            if len(candidates) == 1 and not candidates[0].ambiguous:
                clear[candidates[0].cbs_code] += 1
                places_by_code[candidates[0].cbs_code] = candidates[0]
            else:
                pending.append((start, candidates))
        mentioned_gemeenten = {
            places_by_code[code].gemeente_code for code in clear
        }
        for start, candidates in pending:
            place = self._resolve(folded, start, candidates, mentioned_gemeenten)
            if place is None:
                continue
            clear[place.cbs_code] += 1
            places_by_code[place.cbs_code] = place
        mentions = [
            PlaceMention(
                cbs_code=code,
                name=places_by_code[code].name,
                level=places_by_code[code].level,
                lat=places_by_code[code].lat,
                lon=places_by_code[code].lon,
                mentions=count,
            )
            for code, count in clear.items()
        ]
        return sorted(mentions, key=lambda p: (-p.mentions, p.name))

    @staticmethod
    def _resolve(
        text: str, start: int, candidates: list[Place], mentioned_gemeenten: set[str]
    ) -> Place | None:
        gemeenten = [p for p in candidates if p.level == "gemeente"]
        if gemeenten:
            if len(gemeenten) == 1 and _CONTEXT_WORDS.search(text[max(0, start - 12) : start]):
                return gemeenten[0]
            return None
        in_context = [p for p in candidates if p.gemeente_code in mentioned_gemeenten]
        if len(in_context) == 1:
            return in_context[0]
        return None


def _fold_accents(text: str) -> str:
    """Drop accents but keep case and length-per-character where possible."""
    if text.isascii():
        return text
    return "".join(
        c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
    )


def read_gazetteer(path: Path) -> list[Place]:
    """Rows of a gazetteer CSV (lines starting with # are the credit header)."""
    with path.open(encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        places = []
        for row in csv.DictReader(lines):
            places.append(
                Place(
                    alias=row["alias"],
                    cbs_code=row["cbs_code"],
                    level=row["level"],
                    name=row["name"],
                    gemeente_code=row["gemeente_code"],
                    lat=float(row["lat"]) if row["lat"] else None,
                    lon=float(row["lon"]) if row["lon"] else None,
                    ambiguous=row["ambiguous"] == "1",
                )
            )
    return places


@functools.cache
def load_gazetteer(path: Path = GAZETTEER_PATH) -> Gazetteer:
    """The shipped gazetteer (cached per process)."""
    places = read_gazetteer(path)
    logger.info("Loaded gazetteer %s with %s aliases", path, len(places))
    return Gazetteer(places)
