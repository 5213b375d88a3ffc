"""Language detection with py3langid, restricted to languages seen in Dutch local media.

Unrestricted language-ID confuses short Dutch texts with Afrikaans, Frisian or
Luxembourgish; restricting the candidate set makes it far more reliable for our sources.
Non-Dutch items are kept and marked (the dashboard can filter them; the Dutch sentiment
model is not meant for them).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

CANDIDATE_LANGUAGES = ("nl", "en", "de", "fr", "es", "it", "pt", "pl", "tr", "ar", "fy")
MIN_LETTERS = 20
"""Below this many letters detection is noise; the declared language (or Dutch) is used."""


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import _load_identifier

    return _load_identifier(norm_probs=True, langs=list(CANDIDATE_LANGUAGES))


def detect_language(text: str, declared: str | None = None) -> str:
    """ISO 639-1 code of `text`; `declared` (e.g. a post's own language tag) breaks ties.

    >>> detect_language("De gemeenteraad stemt vanavond over de nieuwe parkeertarieven.")
    'nl'
    >>> detect_language("The city council votes tonight on the new parking fees.")
    'en'
    """
    hint = _clean_code(declared)
    letters = sum(ch.isalpha() for ch in text)
    if letters < MIN_LETTERS:
        return hint or "nl"
    code, probability = _identifier().classify(text[:5000])
    if hint and probability < 0.9:
        return hint
    return str(code)


def _clean_code(code: str | None) -> str | None:
    if not code:
        return None
    base = code.strip().lower().replace("_", "-").split("-")[0]
    return base if len(base) == 2 and base.isalpha() else None
