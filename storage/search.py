"""Full-text search over documents on both engines: one public function, `text_search`.

What an adviser types is parsed once (words are ANDed; "quoted phrases"; OR, AND, NOT;
`word*` is a prefix) and then rendered for the engine, in one named place each:

- SQLite: an FTS5 MATCH on `documents_fts` (`fts5_query`), ranked by bm25 with the title
  weighted double.
- PostgreSQL: a tsquery against `documents_search.tsv`, built from the `dutch`
  configuration with unaccent (`newsroom_dutch`, migration 0001 in storage.migrations_pg),
  so "fietspaden" finds "fietspad" and "cafe" finds "café"; phrases use phraseto_tsquery
  (`<->`), prefixes `:*`; ranked by ts_rank_cd with title (A) above text (B).

Anything that would be query syntax is passed as a parameter or quoted, so a search box
never raises a syntax error. A query with no usable word matches nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from storage import dialect
from storage.nul import strip_nul

_TOKEN = re.compile(r'"[^"]+"|\S+')
_OPERATORS = {"OR", "AND", "NOT"}


@dataclass(frozen=True)
class _Term:
    text: str
    phrase: bool
    prefix: bool


def text_search(db: Any, user_text: str, *, ranked: bool = False) -> tuple[str, list[Any]]:
    """A subquery over the documents matching `user_text`, and its parameters.

    It selects `num` (the documents' integer key), and with `ranked` also `relevance`
    (higher is better). Use it as `d.num IN (SELECT num FROM (<sql>) m)` to filter, or join
    it on `m.num = d.num` and `ORDER BY m.relevance DESC` to rank.
    """
    tokens = _parse(user_text)
    if dialect.is_postgres(db):
        return _postgres_search(tokens, ranked)
    match = fts5_query(user_text)
    if ranked:
        return ("SELECT rowid AS num, -bm25(documents_fts, 2.0, 1.0) AS relevance "
                "FROM documents_fts WHERE documents_fts MATCH ?", [match])
    return "SELECT rowid AS num FROM documents_fts WHERE documents_fts MATCH ?", [match]


def fts5_query(user_text: str) -> str:
    """SQLite: what an adviser typed as a safe FTS5 query (used by `text_search`).

    >>> fts5_query('stadskantoor OR "nieuwe brug" parkeer*')
    '"stadskantoor" OR "nieuwe brug" "parkeer"*'
    """
    parts: list[str] = []
    for token in _parse(user_text):
        if isinstance(token, str):
            parts.append(token)
        else:
            parts.append(f'"{token.text}"' + ("*" if token.prefix else ""))
    return " ".join(parts) or '""'


def _postgres_search(tokens: list[_Term | str], ranked: bool) -> tuple[str, list[Any]]:
    """PostgreSQL: the tsquery for the parsed tokens, ranked by ts_rank_cd when asked."""
    query, params = _tsquery(tokens)
    columns = "s.num, ts_rank_cd(s.tsv, q.query) AS relevance" if ranked else "s.num"
    return (f"SELECT {columns} FROM documents_search s, (SELECT {query} AS query) q "
            "WHERE s.tsv @@ q.query", params)


def _tsquery(tokens: list[_Term | str]) -> tuple[str, list[Any]]:
    """FTS5's precedence (NOT, then AND, then OR) as tsquery operators `!!`, `&&`, `||`."""
    groups: list[list[str]] = [[]]
    params: list[Any] = []
    negate = False
    for token in tokens:
        if token == "OR":
            groups.append([])
        elif token == "NOT":
            negate = True
        elif isinstance(token, _Term):
            sql, args = _term_query(token)
            groups[-1].append(f"!!{sql}" if negate else sql)
            params.extend(args)
            negate = False
    rendered = [" && ".join(group) for group in groups if group]
    if not rendered:
        return "CAST('' AS tsquery)", []
    return "(" + ") || (".join(rendered) + ")", params


def _term_query(term: _Term) -> tuple[str, list[Any]]:
    if term.phrase:
        return "phraseto_tsquery('newsroom_dutch', ?)", [term.text]
    if term.prefix:
        # The typed start as is ('simple') or stemmed ('dutch'): "fietspade*" must still
        # find "fietspaden", whose stored lexeme is the stem "fietspad".
        lexeme = "'" + term.text.replace("\\", "\\\\").replace("'", "''") + "':*"
        return ("(to_tsquery('simple', unaccent(?)) || to_tsquery('newsroom_dutch', ?))",
                [lexeme, lexeme])
    return "plainto_tsquery('newsroom_dutch', ?)", [term.text]


def _parse(user_text: str) -> list[_Term | str]:
    """Terms and operators; operators only between terms (never first, last or doubled).
    A NUL in what was typed is dropped: FTS5 reads it as the end of a quoted term."""
    parts: list[_Term | str] = []
    for token in _TOKEN.findall(strip_nul(user_text)):
        if token in _OPERATORS:
            if parts and parts[-1] not in _OPERATORS:
                parts.append(token)
            continue
        prefix = token.endswith("*") and len(token) > 1
        word = token.rstrip("*").strip('"').replace('"', "")
        if not word:
            continue
        parts.append(_Term(word, phrase=token.startswith('"'), prefix=prefix))
    while parts and parts[-1] in _OPERATORS:
        parts.pop()
    return parts
