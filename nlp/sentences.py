"""Sentence splitting for Dutch news articles and social posts, with character spans.

Why not a generic splitter: Dutch news is full of abbreviations that end in a full stop
("o.a.", "bijv.", "dhr.", "ca.", "nr."), initials in names ("J. de Vries"), decimal numbers
("1,5 miljoen", "3.500 woningen"), quotes that close after the full stop, and URLs; social
posts end sentences with "!!", emoji or just a line break. A wrong split halves a sentence and
its sentiment, so the rules here are explicit and tested (tests/nlp/test_sentences.py).

The rules, in order:

1. A line break ends a sentence; list bullets ("- ", "• ", "* ", "1. ") at the start of a
   line are not part of the sentence.
2. Inside a line, a sentence ends after ".", "!", "?" or "…" (and runs of them), plus any
   closing quotes/brackets and emoji that follow, when whitespace follows and then a plausible
   sentence start: an upper-case letter, a digit, an opening quote or bracket, "@", "#" or
   an emoji. After "!" and "?" a lower-case start also counts (posts often skip capitals).
3. A full stop does not end a sentence after a known abbreviation, after a single capital
   (an initial), or when it is an ellipsis followed by a lower-case word.
4. Emoji followed by whitespace and a capital end a sentence even without punctuation.

Caps (scraped text is untrusted): at most `MAX_SENTENCES` sentences per text, and a sentence
longer than `MAX_SENTENCE_CHARS` is cut into pieces at whitespace, each piece its own
sentence with its own span — explicit, so nothing is silently dropped from a sentence. Text
after the last allowed sentence is not scored; `split_sentences` logs when that happens.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from typing import NamedTuple

from core.records import Document

logger = logging.getLogger(__name__)

MAX_SENTENCES = 200
"""Most sentences kept per text; long documents are scored on their first 200 sentences."""

MAX_SENTENCE_CHARS = 600
"""Longest sentence in characters; longer runs (lists without punctuation) are cut up."""

_ABBREVIATION_TEXT = """\
    o.a a.s aanv afb afd alg ang art bijv bv blz bijz ca cf chr co dhr dr drs ds e.a e.d
    e.v enz etc evt excl fa fig fr geb gem gest i.c i.e i.o i.p.v i.s.m i.v.m incl ing ir
    jl jr mevr mgr mln mld mr mw n.a.v nl nr nrs o.b.v o.l.v o.m ong p.p pag plv
    prof resp sr st t.a.v t.b.v t.g.v t.o.v tel vgl viz vlg vs z.g z.s.m zgn zog w.o
    m.b.t m.i.v m.n d.w.z d.m.v d.d i.p b.v.b a.u.b m.a.w v.a
"""
ABBREVIATIONS = frozenset(_ABBREVIATION_TEXT.split())
"""Lower-cased, without the final full stop. "t/m" and "v/d" carry no full stop at all.
Words that are also ordinary words or names ("zo", "Max", "Jan") are deliberately absent."""

MONTHS = frozenset(
    ("jan", "feb", "mrt", "apr", "jun", "jul", "aug", "sep", "sept", "okt", "nov", "dec")
)
"""Month abbreviations count only after a day number ("12 jan. 2024"), not as a name."""

_BULLET = re.compile(r"^\s*(?:[-–—•*·▪►]|\d{1,3}[.)])\s+")
_CLOSERS = "\"'”’»)]}›"
_OPENERS = "\"'“‘„«([{‹"
_TERMINALS = ".!?…"


class SentenceSpan(NamedTuple):
    """A sentence and where it sits in the text it came from: `text[start:end]`."""

    text: str
    start: int
    end: int


def split_sentences(
    text: str,
    max_sentences: int = MAX_SENTENCES,
    max_chars: int = MAX_SENTENCE_CHARS,
) -> list[SentenceSpan]:
    """Split Dutch text into sentences with character spans into `text`.

    >>> [s.text for s in split_sentences("Dhr. J. de Vries o.a. sprak. Het was 3.5 uur!")]
    ['Dhr. J. de Vries o.a. sprak.', 'Het was 3.5 uur!']
    """
    spans: list[SentenceSpan] = []
    for line_start, line_end in _lines(text):
        for start, end in _split_line(text, line_start, line_end):
            for piece in _cap_length(text, start, end, max_chars):
                if not _has_content(piece.text):
                    continue  # a stray "-" or "..." line says nothing to score
                spans.append(piece)
                if len(spans) >= max_sentences:
                    if _has_more(text, piece.end):
                        logger.info(
                            "Text has more than %s sentences; the rest (from character %s) "
                            "is not scored",
                            max_sentences,
                            piece.end,
                        )
                    return spans
    return spans


def _has_content(text: str) -> bool:
    """Letters, digits or emoji: something a model can read sentiment from."""
    return any(c.isalnum() or _is_emoji(c) for c in text)


def _has_more(text: str, position: int) -> bool:
    return bool(text[position:].strip())


def _lines(text: str) -> list[tuple[int, int]]:
    """Line spans without surrounding whitespace or bullet markers; empty lines dropped."""
    out = []
    position = 0
    for raw in text.splitlines(keepends=True):
        line_start = position
        position += len(raw)
        content = raw.rstrip("\r\n")
        bullet = _BULLET.match(content)
        offset = bullet.end() if bullet else len(content) - len(content.lstrip())
        start = line_start + offset
        end = line_start + len(content.rstrip())
        if end > start:
            out.append((start, end))
    return out


def _split_line(text: str, start: int, end: int) -> list[tuple[int, int]]:
    pieces = []
    sentence_start = start
    i = start
    while i < end:
        char = text[i]
        if char in _TERMINALS or _is_emoji(char):
            boundary = _boundary_after(text, i, end, sentence_start)
            if boundary is not None:
                cut, next_start = boundary
                pieces.append((sentence_start, cut))
                sentence_start = next_start
                i = next_start
                continue
        i += 1
    if sentence_start < end:
        pieces.append((sentence_start, end))
    return pieces


def _boundary_after(text: str, i: int, end: int, sentence_start: int) -> tuple[int, int] | None:
    """If a sentence ends at the terminal/emoji at `i`, (end of sentence, next start)."""
    j = i
    while j < end and text[j] in _TERMINALS:
        j += 1
    punct = text[i:j]
    # Closing quotes/brackets and trailing emoji belong to the sentence they close.
    while j < end and (text[j] in _CLOSERS or _is_emoji(text[j]) or _is_joiner(text[j])):
        j += 1
    if j < end and not text[j].isspace():
        return None
    # Emoji after a space still close the sentence they react to: "Feest! 🎉 Morgen weer."
    k = j
    while k < end and text[k].isspace():
        k += 1
    if punct and k < end and _is_emoji(text[k]):
        m = k
        while m < end and (_is_emoji(text[m]) or _is_joiner(text[m])):
            m += 1
        if m == end or text[m].isspace():
            j = m
    cut = j
    while j < end and text[j].isspace():
        j += 1
    if j >= end:
        return None
    nxt = text[j]
    if not punct:
        # An emoji alone ends a sentence only before a clear new start.
        return (cut, j) if nxt.isupper() else None
    if punct in (".", "…", "...") or set(punct) <= {".", "…"}:
        if not _starts_sentence(nxt, lenient=False):
            return None
        if punct == "." and _ends_with_abbreviation(text, sentence_start, i):
            return None
    elif not _starts_sentence(nxt, lenient=True):
        return None
    return cut, j


def _starts_sentence(char: str, lenient: bool) -> bool:
    if char.isupper() or char.isdigit() or char in _OPENERS or char in "@#" or _is_emoji(char):
        return True
    return lenient and char.isalpha()


def _ends_with_abbreviation(text: str, sentence_start: int, dot: int) -> bool:
    """Whether the word before the full stop at `dot` is an abbreviation or an initial."""
    k = dot
    while k > sentence_start and not text[k - 1].isspace() and text[k - 1] not in _OPENERS:
        k -= 1
    word = text[k:dot]
    if not word:
        return False
    if len(word) == 1 and word.isalpha() and word.isupper():
        return True  # an initial: "J. de Vries"
    lowered = word.lower()
    if lowered in ABBREVIATIONS:
        return True
    if lowered in MONTHS:
        before = text[sentence_start:k].split()
        return bool(before) and before[-1].isdigit()
    # Dotted abbreviations not in the list, like "a.s." or "z.o.z.": single letters and dots.
    return bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]", lowered))


def _is_emoji(char: str) -> bool:
    code = ord(char)
    if 0x1F000 <= code <= 0x1FAFF or 0x2600 <= code <= 0x27BF:
        return True
    return unicodedata.category(char) == "So" and code > 0x2000


def _is_joiner(char: str) -> bool:
    """Zero-width joiner, variation selectors and skin tones that glue emoji together."""
    code = ord(char)
    return code in (0x200D, 0xFE0F, 0xFE0E) or 0x1F3FB <= code <= 0x1F3FF


def _cap_length(text: str, start: int, end: int, max_chars: int) -> list[SentenceSpan]:
    """Cut an over-long sentence into pieces of at most `max_chars`, at whitespace."""
    pieces = []
    while end - start > max_chars:
        cut = text.rfind(" ", start + 1, start + max_chars + 1)
        if cut <= start:
            cut = start + max_chars
        pieces.append(SentenceSpan(text[start:cut], start, cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        pieces.append(SentenceSpan(text[start:end], start, end))
    return pieces


def has_own_title(document: Document) -> bool:
    """True when the title says something the text does not start with.

    Why: a social post has no headline of its own; its title is the first line of the text,
    cut at a word boundary with "…" (`crawlers.spiders.social.post_title`). Scoring it as
    a sentence would show one sentence twice with two labels and weigh it double in the
    document score. A news headline that the text merely repeats is skipped the same way.
    """
    title = " ".join(document.title.split())
    if not title or document.kind == "social":
        return False
    text_start = " ".join(document.text[: len(document.title) + 20].split())
    return not text_start.startswith(title.removesuffix("…").removesuffix("...").rstrip())
