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
UNDETERMINED = "und"
"""ISO 639-2 "undetermined": stored for text in a language outside CANDIDATE_LANGUAGES,
rather than the nearest candidate (a restricted detector calls Korean or Russian Frisian)."""
DUTCH_LOOKALIKES = frozenset({"af", "lb", "li", "da", "no", "nb", "nn", "sv", "wa"})
"""Languages an unrestricted detector confuses with short Dutch: for them the restricted
detector decides."""
OTHER_LANGUAGE_CONFIDENCE = 0.8
MIN_LETTERS = 20
"""Below this many letters detection is noise; the declared language (or Dutch) is used."""


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import _load_identifier

    return _load_identifier(norm_probs=True, langs=list(CANDIDATE_LANGUAGES))


@lru_cache(maxsize=1)
def _unrestricted() -> Any:
    from py3langid.langid import _load_identifier

    return _load_identifier(norm_probs=True)


def detect_language(text: str, declared: str | None = None) -> str:
    """ISO 639-1 code of `text`; `declared` (e.g. a post's own language tag) breaks ties;
    "und" for a language outside the supported list.

    >>> detect_language("De gemeenteraad stemt vanavond over de nieuwe parkeertarieven.")
    'nl'
    >>> detect_language("The city council votes tonight on the new parking fees.")
    'en'
    >>> detect_language("Городской совет сегодня обсудил новые тарифы на парковку.")
    'und'
    """
    hint = _clean_code(declared)
    letters = sum(ch.isalpha() for ch in text)
    if letters < MIN_LETTERS:
        return _supported(hint or "nl")
    sample = text[:5000]
    other, confidence = _unrestricted().classify(sample)
    if other not in CANDIDATE_LANGUAGES and other not in DUTCH_LOOKALIKES \
            and confidence >= OTHER_LANGUAGE_CONFIDENCE:
        return UNDETERMINED
    code, probability = _identifier().classify(sample)
    if hint and probability < 0.9:
        return _supported(hint)
    return str(code)


def _supported(code: str) -> str:
    return code if code in CANDIDATE_LANGUAGES else UNDETERMINED


def _clean_code(code: str | None) -> str | None:
    if not code:
        return None
    base = code.strip().lower().replace("_", "-").split("-")[0]
    return base if len(base) == 2 and base.isalpha() else None
