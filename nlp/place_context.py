"""Dutch context around a place name: which spellings count, and whose area it is.

`nlp.places` finds candidate names; this module holds the language rules that decide whether
a hit in another case than the gazetteer's counts, and which gemeente an area word such as
"binnenstad" belongs to. Kept apart so the rules can be read (and tested) on their own.

Why these rules (measured on tests/nlp/files/places_sample.csv, real sentences):

- Lower case is normally the ordinary word ("de staart van de optocht"), so a hit whose case
  differs from the gazetteer counts only
  - after "#" (a hashtag names the place on purpose: "#binnenstad", "#dordrecht");
  - for a gemeente name that is not an ordinary word, after a preposition ("in dordrecht");
  - for the few area words that, lower case after "de", name the town's own district
    (`LOWER_CASE_AREAS`: "in de binnenstad", "de oude binnenstad", "in Dordtse binnenstad").
- An area word belongs to the gemeente its text says: "binnenstad van Zutphen", "de Dordtse
  binnenstad", "Tilburgse binnenstad". When the text names another owner than a candidate's
  gemeente, the hit is not that candidate.
"""

from __future__ import annotations

import re

LOWER_CASE_AREAS = frozenset({"binnenstad"})
"""Area names that, written lower case after "de", still name the district of the town."""

GEMEENTE_ADJECTIVES = {
    "dordtse": "GM0505", "dordts": "GM0505", "zwijndrechtse": "GM0642",
    "papendrechtse": "GM0590", "sliedrechtse": "GM0610", "alblasserdamse": "GM0482",
    "ambachtse": "GM0531", "hardinxveldse": "GM0523",
}
"""Adjectives that name a Drechtsteden gemeente ("de Dordtse binnenstad")."""

COMPASS_SUFFIX = r"(?:-(?:oost|west|noord|zuid|midden|centrum))?"
"""An area name may carry a compass suffix ("Binnenstad-Oost"); the area is the same."""

_HASHTAG = re.compile(r"#$")
_PREPOSITION = re.compile(
    r"(?:^|[^\w])(?:in|uit|naar|bij|te|rond|vanuit|gemeente)\s+$", re.IGNORECASE
)
_ARTICLE = re.compile(r"(?:^|[^\w])(?:de|het)\s+(?:[\w-]+\s+)?$", re.IGNORECASE)
""""de binnenstad", and with one adjective between: "de Dordtse binnenstad"."""
_ADJECTIVE_BEFORE = re.compile(r"(?:^|[^\w-])([A-Z][\w'-]*?(?:se|ts))\s+(?:\w+\s+)?$")
_OWNER_AFTER = re.compile(r"^\s+(?:van|in)\s+((?:[A-Z'][\w'-]*)(?:\s+[a-z]{1,3}\s+[A-Z][\w-]*)?)")

WINDOW = 40
"""Characters of context looked at on either side of a hit."""


def is_exact_case(matched: str, aliases: list[str]) -> bool:
    """True when the text spells the name as the gazetteer does, or capitalised as a name
    ("Nieuw-Krispijn" for the CBS spelling "Nieuw-krispijn"; "DORDRECHT" in a headline)."""
    return matched in aliases or matched[:1].isupper()


def weak_hit_counts(
    text: str, start: int, folded_alias: str, is_plain_gemeente: bool
) -> bool:
    """Whether a hit in another case than the gazetteer's counts (see the module docstring).

    `is_plain_gemeente`: the name is a gemeente that is not flagged as an ordinary word.
    """
    before = text[max(0, start - WINDOW) : start]
    if _HASHTAG.search(before):
        return True
    if is_plain_gemeente and _PREPOSITION.search(before):
        return True
    if folded_alias not in LOWER_CASE_AREAS:
        return False
    return _ARTICLE.search(before) is not None or _ADJECTIVE_BEFORE.search(before) is not None


def named_owner(text: str, start: int, end: int) -> str | None:
    """The name (or adjective) of the town an area word is said to belong to, if any.

    Returns a gemeente code for a known adjective ("Dordtse" → GM0505), the following place
    name as written ("binnenstad van Zutphen" → "Zutphen"), "?" for an unknown adjective
    ("Tilburgse binnenstad"), or None when the text names no owner.
    """
    after = _OWNER_AFTER.match(text[end : end + WINDOW])
    if after:
        return after.group(1)
    adjective = _ADJECTIVE_BEFORE.search(text[max(0, start - WINDOW) : start])
    if adjective:
        word = adjective.group(1).lower()
        return GEMEENTE_ADJECTIVES.get(word, "?")
    return None
