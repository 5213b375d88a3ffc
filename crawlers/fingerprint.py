"""Near-duplicate detection for syndication: the same story on several outlets.

Regional outlets run the same agency or press-release copy with small edits: another
headline (often a prefix like "Dordrecht: "), a dropped or added closing sentence, a
credit line. A story is compared by its *lead* (the word 3-shingles of the first ~50 words
of its text) and its headline: two stories are copies when their leads are nearly the same
(whatever the headlines), or when one headline's words contain the other's and the leads
still overlap substantially. Leads alone are not enough: municipal news reuses stock
sentences ("Melden kan via 14 078"), so unrelated stories can share half a short lead.

Lookup: four MinHash values of the shingle set act as index keys (LSH bands of one row):
two leads with Jaccard similarity J share at least one key with probability 1 - (1 - J)^4
(0.94 at J = 0.5), while unrelated leads rarely do. Every candidate is then verified by
the exact Jaccard similarity of the two shingle sets, so a chance key collision never links
unrelated stories.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

LEAD_WORDS = 50
SHINGLE = 3
MIN_WORDS = 12
"""Below this many words a lead says little (short posts); no syndication then."""
SAME_LEAD = 0.9
"""Lead similarity (Jaccard of shingles) from which two stories are copies, any headline."""
SHARED_LEAD = 0.45
"""Lead similarity that suffices when the headlines match (see `TITLE_CONTAINMENT`)."""
TITLE_CONTAINMENT = 0.9
"""Share of the shorter headline's words found in the other: "Dordrecht: X" contains "X"."""
BANDS = 4
_PRIME = (1 << 61) - 1
_COEFFICIENTS = tuple(
    (
        int.from_bytes(hashlib.blake2b(f"a{i}".encode(), digest_size=8).digest()) % _PRIME or 1,
        int.from_bytes(hashlib.blake2b(f"b{i}".encode(), digest_size=8).digest()) % _PRIME,
    )
    for i in range(BANDS)
)
"""Fixed hash functions (a·x + b mod p): stored keys stay comparable across processes."""

_WORD = re.compile(r"\w+", re.UNICODE)


def lead_words(text: str) -> list[str]:
    """Lower-case, accent-free words of the first `LEAD_WORDS` words of a text."""
    folded = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _WORD.findall(plain)[:LEAD_WORDS]


def lead_shingles(text: str) -> frozenset[int] | None:
    """Hashed word 3-shingles of the lead, or None when the lead is too short."""
    words = lead_words(text)
    if len(words) < MIN_WORDS:
        return None
    return frozenset(
        int.from_bytes(
            hashlib.blake2b(" ".join(words[i : i + SHINGLE]).encode(), digest_size=8).digest()
        )
        for i in range(len(words) - SHINGLE + 1)
    )


def band_keys(shingles: frozenset[int]) -> tuple[int, int, int, int]:
    """The four MinHash index keys of a shingle set (each below 2**61, fits SQLite)."""
    keys = tuple(min((a * x + b) % _PRIME for x in shingles) for a, b in _COEFFICIENTS)
    return keys[0], keys[1], keys[2], keys[3]


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    """Exact Jaccard similarity of two shingle sets."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


TITLE_STOPWORDS = frozenset(
    [
        "de", "het", "een", "en", "in", "op", "van", "voor", "met", "over", "aan",
        "bij", "door", "naar", "om", "te", "tot", "uit", "is", "zijn", "wordt", "niet",
        "na", "of", "als", "dan", "dit", "die", "dat", "er", "ook", "nog", "meer",
    ]
)
"""Function words: two headlines sharing only these and a template are not one story."""


def title_containment(title_a: str, title_b: str) -> float:
    """Share of the shorter headline's content words that the other headline also has."""
    a = set(lead_words(title_a)) - TITLE_STOPWORDS
    b = set(lead_words(title_b)) - TITLE_STOPWORDS
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def same_story(title_a: str, lead_a: frozenset[int], title_b: str, lead_b: frozenset[int]
               ) -> bool:
    """True when two stories are copies of each other (see the module docstring).

    >>> text = ("De gemeente en de politie houden een bijeenkomst over het "
    ...         "buurtpreventieteam in Zwijndrecht. Bewoners kunnen er vragen stellen.")
    >>> lead = lead_shingles(text)
    >>> same_story("Politie houdt spreekuur", lead, "Regio: politie houdt spreekuur", lead)
    True
    """
    similarity = jaccard(lead_a, lead_b)
    if similarity >= SAME_LEAD:
        return True
    return similarity >= SHARED_LEAD and title_containment(title_a, title_b) >= TITLE_CONTAINMENT
