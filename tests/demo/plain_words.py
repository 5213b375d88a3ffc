"""What a reader must never see: raw codes, topic slugs, source ids, UTC ISO stamps.

`find_leaks(text, extra)` lists every forbidden piece of `text` with the pattern that caught
it. Used by tests/demo/test_plain_words.py on every dashboard page (every role), the digest
and alert mails and the CLI status of a crawled demo store.
"""

from __future__ import annotations

import re

from nlp.topics import load_taxonomy

PATTERNS: dict[str, str] = {
    "code with an underscore (negative_spike, http_404, item_error)":
        r"(?<![\w./:-])[a-z]+(?:_[a-z0-9]+)+(?![\w./-])",
    "scope code (overall: alles, topic: …)": r"\b(?:overall|topic|watch|source)\s*:",
    "None / nan / null shown as a value": r"(?<![\w-])(?:None|nan|NaN|null)(?![\w-])",
    "raw probability (0.8182)": r"(?<![\w.,])[01]\.\d{3,}(?![\w])",
    "percentage over 999 (1000% meer)": r"\d{4,}\s?%",
    "UTC ISO stamp (2026-12-03T10:00)":
        r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2})?(?:\+00:00|Z)?",
    "UTC offset or UTC label": r"\+00:00|\bUTC\b",
    "English status word": r"(?<![\w-])(?:partial|failed|ok|interrupted|running)(?![\w-])",
}


def topic_slugs() -> list[str]:
    """Keys of the built-in taxonomy that are not words on their own ('verkeer-en-parkeren')."""
    return [t.key for t in load_taxonomy() if "-" in t.key]


TIME_PATTERNS = ("UTC ISO stamp (2026-12-03T10:00)", "UTC offset or UTC label")


def find_leaks(text: str, extra: tuple[str, ...] = (),
               only: tuple[str, ...] | None = None) -> list[tuple[str, str]]:
    """(pattern name, the piece found) for every forbidden piece of `text`.

    `extra` are literal strings that must not appear (source ids of the store, say); `only`
    limits the check to these pattern names. URLs are removed first: a link may hold anything.
    """
    text = re.sub(r"https?://\S+", " ", text)
    found = [(name, m.group(0)) for name, pattern in PATTERNS.items()
             if only is None or name in only for m in re.finditer(pattern, text)]
    for slug in (*topic_slugs(), *extra):
        if re.search(rf"(?<![\w-]){re.escape(slug)}(?![\w-])", text):
            found.append(("slug or id", slug))
    return found
