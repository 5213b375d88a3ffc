"""Sentiment toward a watch's subject: the clause that names it, not the whole sentence.

Why: a project lead wants to know how the *project* comes across. A sentence can carry two
judgements ("De achterban van D66 is tevreden, maar dat geldt minder voor die van het CDA";
"Ondanks het vertrek van de drogist uit het station is er goed nieuws voor verhuurder NS"),
and the plain per-sentence score gives both subjects the same label.

How (same model, no extra training):

1. The sentence is cut into clauses at clause boundaries: ";", ":", a dash between spaces, a
   comma, and before the contrast and cause words in `BOUNDARY_WORDS` ("maar", "terwijl",
   "hoewel", "ondanks", …).
2. The target window is the clause (or clauses) holding a mention of the watch's terms; a
   window of fewer than `MIN_WINDOW_WORDS` words takes the next clause along (a bare
   "ondanks het plan" says too little).
3. The model scores the window. Its score counts for the target when the model finds a clear
   judgement in it (a polar class of at least `WINDOW_GATE`); otherwise the window said
   too little on its own ("De gemeente trok de subsidie in") and the sentence's score counts.
   When the window is the whole sentence, no extra model call is made.

Measured on tests/nlp/files/target_pairs.csv (85 target/sentence pairs from real Dutch news,
own labels; see tests/nlp/files/DATASHEET.md) with the shipped model: accuracy 0.62 against
0.58 for the plain sentence score; on the 66 pairs whose window is smaller than the sentence
0.61 against 0.55. Scoring the window without the gate did worse (0.51): a short clause
loses the words that carry the judgement. tests/nlp/test_target_eval.py pins the floor.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from core.records import Sentiment
from nlp.watch_query import WatchQuery


class Model(Protocol):
    def predict(self, texts: Sequence[str]) -> list[Sentiment]: ...

BOUNDARY_WORDS = ("maar", "terwijl", "hoewel", "ondanks", "echter", "doch", "want", "omdat")
MIN_WINDOW_WORDS = 4
WINDOW_GATE = 0.5
"""Least probability of negatief or positief for a window's score to replace the sentence's."""

_BOUNDARY = re.compile(
    r"[;:]\s*|\s[-–—]\s+|,\s+|\s(?=(?:" + "|".join(BOUNDARY_WORDS) + r")\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Clause:
    start: int
    end: int
    text: str


def clauses(sentence: str) -> list[Clause]:
    """The clauses of a sentence, with their character spans.

    >>> [c.text for c in clauses("Het park is mooi, maar de brug is lelijk")]
    ['Het park is mooi', 'maar de brug is lelijk']
    """
    out: list[Clause] = []
    start = 0
    for match in _BOUNDARY.finditer(sentence):
        if match.start() > start:
            out.append(Clause(start, match.start(), sentence[start : match.start()].strip()))
        start = match.end()
    if start < len(sentence):
        out.append(Clause(start, len(sentence), sentence[start:].strip()))
    return [c for c in out if c.text]


def target_window(sentence: str, spans: Sequence[tuple[int, int]]) -> str:
    """The part of `sentence` that speaks about the target at `spans` (character spans of
    its mentions); the whole sentence when the mentions span all clauses or none."""
    parts = clauses(sentence)
    if len(parts) < 2 or not spans:
        return sentence
    chosen = {
        index for index, part in enumerate(parts)
        for start, end in spans if start < part.end and end > part.start
    }
    if not chosen:
        return sentence
    first, last = min(chosen), max(chosen)
    while _words(parts, first, last) < MIN_WINDOW_WORDS and last + 1 < len(parts):
        last += 1
    while _words(parts, first, last) < MIN_WINDOW_WORDS and first > 0:
        first -= 1
    if first == 0 and last == len(parts) - 1:
        return sentence
    return sentence[parts[first].start : parts[last].end].strip()


def _words(parts: Sequence[Clause], first: int, last: int) -> int:
    return sum(len(parts[i].text.split()) for i in range(first, last + 1))


def windows_to_score(query: WatchQuery, sentences: Sequence[str]) -> set[str]:
    """Target windows (smaller than their sentence) of the sentences that match `query`."""
    out = set()
    for sentence in sentences:
        if query.matches(sentence):
            window = target_window(sentence, query.spans(sentence))
            if window != sentence:
                out.add(window)
    return out


def score_windows(model: Model, windows: set[str]) -> dict[str, Sentiment]:
    """One model call for all windows of a batch."""
    ordered = sorted(windows)
    return dict(zip(ordered, model.predict(ordered), strict=True)) if ordered else {}


def toward_target(
    query: WatchQuery, sentence: str, sentence_score: Sentiment,
    window_scores: Mapping[str, Sentiment],
) -> Sentiment:
    """The sentiment of `sentence` toward the watch's subject (see the module docstring)."""
    window = target_window(sentence, query.spans(sentence))
    if window == sentence:
        return sentence_score
    score = window_scores.get(window)
    if score is None or max(score.p_neg, score.p_pos) < WINDOW_GATE:
        return sentence_score
    return score
