"""Place mentions: gemeenten, wijken and buurten named in a document, with coordinates.

The gazetteer (`nlp/data/gazetteer.csv`, built by scripts/build_gazetteer.py from CBS area
names — source CBS, CC BY 4.0) holds every gemeente of the Netherlands and the wijken and
buurten of the Drechtsteden, one row per alias.

Matching rules (why: a false place on the map is worse than a missing one):

1. Whole words only: an alias must not be preceded or followed by a letter or digit
   ("Staart" does not match in "Staartjes"); a compass suffix is the same area
   ("Binnenstad-Oost" is the Binnenstad).
2. Case: the alias counts as written in the gazetteer ("Dordrecht"), in capitals (headlines),
   or in another case only with Dutch context (`nlp.place_context`): after "#", a plain
   gemeente name after a preposition ("in dordrecht"), and "de binnenstad". Otherwise a place
   name in lower case is the ordinary word ("de staart van de optocht"). Accents are ignored
   ("Sudwest Fryslan" matches "Súdwest Fryslân").
3. Ambiguous aliases (flag in the gazetteer: common words such as "Centrum", "Noord",
   "Park", "Dorp"; names used in several gemeenten; names of four letters or fewer; gemeenten
   that are ordinary words such as "Best" or "Goes"), and area words found through context:
   - a wijk or buurt belongs to the town the text names for it ("binnenstad van Zutphen",
     "de Dordtse binnenstad"); a named owner that is not its gemeente rules it out;
   - otherwise it counts when its gemeente is in context: the gemeente itself, or another
     unambiguous wijk/buurt of it, is mentioned in the document ("Centrum" next to
     "Dordrecht" or "Dubbeldam"); when several candidate areas fit, the mention is skipped;
   - failing that, the configured municipality (`[model] municipality`) decides: its own
     area wins when the document mentions no other gemeente;
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
from nlp.place_context import COMPASS_SUFFIX, is_exact_case, named_owner, weak_hit_counts
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


class UnknownMunicipalityError(ValueError):
    """`[model] municipality` names no gemeente in the gazetteer; use its name or CBS code."""


class Gazetteer:
    """Finds place mentions in text; build once (the regex is large) and reuse.

    `municipality` (a gemeente name or CBS code, or "") is the gemeente whose own areas win
    ambiguous names when a document names no other gemeente.
    """

    def __init__(self, places: Iterable[Place], municipality: str = "") -> None:
        self.by_alias: dict[str, list[Place]] = defaultdict(list)
        for place in places:
            self.by_alias[_fold_accents(place.alias).casefold()].append(place)
        aliases = sorted(self.by_alias, key=len, reverse=True)
        body = "|".join(re.escape(alias) for alias in aliases)
        self.pattern = (
            re.compile(rf"(?<![\w-])(?P<alias>{body}){COMPASS_SUFFIX}(?![\w-])", re.IGNORECASE)
            if aliases
            else None
        )
        self.municipality = self._gemeente_code(municipality) if municipality else ""

    def _gemeente_code(self, name_or_code: str) -> str:
        wanted = _fold_accents(name_or_code.strip()).casefold()
        for places in self.by_alias.values():
            for place in places:
                if place.level == "gemeente" and wanted in (
                    place.cbs_code.casefold(), _fold_accents(place.name).casefold(),
                    _fold_accents(place.alias).casefold(),
                ):
                    return place.cbs_code
        raise UnknownMunicipalityError(
            f"Municipality {name_or_code!r} is not a gemeente in the gazetteer; set "
            "[model] municipality to its name (\"Dordrecht\") or CBS code (\"GM0505\")."
        )

    def find(self, text: str) -> list[PlaceMention]:
        """Place mentions in `text`, one per area with its mention count, most mentioned first.

        >>> gaz = load_gazetteer()
        >>> [p.name for p in gaz.find("Nieuwe brug tussen Dordrecht en Zwijndrecht.")]
        ['Dordrecht', 'Zwijndrecht']
        """
        if self.pattern is None or not text:
            return []
        folded = _fold_accents(text[:MAX_TEXT_CHARS])
        clear: Counter[str] = Counter()
        places_by_code: dict[str, Place] = {}
        pending: list[tuple[re.Match[str], list[Place]]] = []
        for match in self.pattern.finditer(folded):
            candidates = self._counted_candidates(folded, match)
            if not candidates:
                continue
            spellings = [_fold_accents(p.alias) for p in candidates]
            exact = is_exact_case(match.group("alias"), spellings)
            if exact and len(candidates) == 1 and not candidates[0].ambiguous:
                clear[candidates[0].cbs_code] += 1
                places_by_code[candidates[0].cbs_code] = candidates[0]
            else:
                pending.append((match, candidates))
        mentioned_gemeenten = {places_by_code[code].gemeente_code for code in clear}
        for match, candidates in pending:
            place = self._resolve(folded, match, candidates, mentioned_gemeenten)
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

    def _counted_candidates(self, text: str, match: re.Match[str]) -> list[Place]:
        """The gazetteer entries a hit may be, or [] when its spelling does not count."""
        matched = match.group("alias")
        key = matched.casefold()
        candidates = self.by_alias[key]
        if is_exact_case(matched, [_fold_accents(p.alias) for p in candidates]):
            return candidates
        plain_gemeente = len(candidates) == 1 and candidates[0].level == "gemeente" and (
            not candidates[0].ambiguous
        )
        if weak_hit_counts(text, match.start(), key, plain_gemeente):
            return candidates
        return []

    def _resolve(
        self, text: str, match: re.Match[str], candidates: list[Place],
        mentioned_gemeenten: set[str],
    ) -> Place | None:
        start = match.start()
        gemeenten = [p for p in candidates if p.level == "gemeente"]
        if gemeenten:
            if len(gemeenten) == 1 and not gemeenten[0].ambiguous:
                return gemeenten[0]  # a plain gemeente name in lower case, with context
            if len(gemeenten) == 1 and _CONTEXT_WORDS.search(text[max(0, start - 12) : start]):
                return gemeenten[0]
            return None
        owner = named_owner(text, start, match.end())
        if owner is not None:
            known = {p.gemeente_code for p in candidates}
            code = owner if owner in known else self._owner_code(owner)
            owned = [p for p in candidates if p.gemeente_code == code]
            return owned[0] if len(owned) == 1 else None
        in_context = [p for p in candidates if p.gemeente_code in mentioned_gemeenten]
        if len(in_context) == 1:
            return in_context[0]
        if self.municipality and mentioned_gemeenten <= {self.municipality}:
            own = [p for p in candidates if p.gemeente_code == self.municipality]
            if len(own) == 1:
                return own[0]
        return None

    def _owner_code(self, owner: str) -> str:
        """The gemeente code of a named owner, or "?" when it names no single gemeente
        ("Centrum van Zwijndrecht en Hendrik-Ido-Ambacht" names two)."""
        codes = {self._gemeente_prefix(part) for part in re.split(r"\s+(?:en|of)\s+", owner)}
        codes.discard("")
        return codes.pop() if len(codes) == 1 else "?"

    def _gemeente_prefix(self, phrase: str) -> str:
        """Code of the gemeente whose name starts `phrase` ("Bergen op Zoom"), or ""."""
        words = phrase.split()
        for length in range(len(words), 0, -1):
            name = _fold_accents(" ".join(words[:length])).casefold()
            gemeenten = [p for p in self.by_alias.get(name, []) if p.level == "gemeente"]
            if len(gemeenten) == 1:
                return gemeenten[0].cbs_code
        return ""


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
def load_gazetteer(path: Path = GAZETTEER_PATH, municipality: str = "") -> Gazetteer:
    """The shipped gazetteer for a municipality (cached per process).

    Raises `UnknownMunicipalityError` when `municipality` is not a gemeente in it.
    """
    places = read_gazetteer(path)
    logger.info("Loaded gazetteer %s with %s aliases", path, len(places))
    return Gazetteer(places, municipality)
