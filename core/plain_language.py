"""Checks for what users read: one form of address ("je") and the B1 word list.

The word list itself lives in docs/woordenlijst.md, written for the people who write texts;
this module reads its table, so the list and the checks can never disagree. Used by the
tests that render pages, the weekly digest, alert mails and CLI messages.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

WORD_LIST = Path(__file__).resolve().parent.parent / "docs" / "woordenlijst.md"
FORMAL_OR_MIXED = re.compile(r"\b(u|uw|uzelf|jouw)\b", re.IGNORECASE)
"""We say "je": "u"/"uw" is the formal form, "jouw" mixed with "je" reads as two voices."""
_TAG = re.compile(r"<[^>]+>")
_ROW = re.compile(r"^\|\s*([^|]+?)\s*\|\s*([^|]+?)\s*\|")
_ALLOWED_BECAUSE_EXPLAINED = "(zonder uitleg)"


@dataclass(frozen=True)
class Finding:
    """A word in a user text that the rules do not allow, with what to write instead."""

    word: str
    instead: str
    context: str


def banned_terms(path: Path = WORD_LIST) -> dict[str, str]:
    """The word list's table: term not to use -> the B1 word to use.

    Rows whose term is only banned without explanation (the word is explained in the list)
    are left out: those words may be used.
    """
    terms: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _ROW.match(line)
        if not match or set(match.group(1)) <= set("- ") or match.group(1) == "niet gebruiken":
            continue
        if _ALLOWED_BECAUSE_EXPLAINED in match.group(1):
            continue
        terms[match.group(1).lower()] = match.group(2)
    return terms


def visible_text(markup: str) -> str:
    """The words a reader sees in an HTML fragment (tags dropped, entities decoded)."""
    return html.unescape(_TAG.sub(" ", markup))


def _around(text: str, start: int, end: int) -> str:
    return " ".join(text[max(start - 40, 0):end + 40].split())


def check(text: str, terms: dict[str, str] | None = None) -> list[Finding]:
    """Every formal or mixed form of address and every banned term in `text`.

    >>> [f.word for f in check("Voor uw watches")]
    ['uw', 'watches']
    """
    findings = [Finding(m.group(0), "je", _around(text, m.start(), m.end()))
                for m in FORMAL_OR_MIXED.finditer(text)]
    for term, instead in (banned_terms() if terms is None else terms).items():
        pattern = re.compile(rf"\b{re.escape(term)}\b", re.IGNORECASE)
        findings += [Finding(m.group(0), instead, _around(text, m.start(), m.end()))
                     for m in pattern.finditer(text)]
    return findings
