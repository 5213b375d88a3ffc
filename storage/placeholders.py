"""SQLite placeholders (`?`, `:name`) to psycopg's (`%s`, `%(name)s`), aware of quotes and comments.

Our storage SQL is written once with SQLite's `?` marks. psycopg wants `%s`, and it scans the
WHOLE query text for `%` (string literals and comments included), so every literal `%` (as in
`LIKE 'error%'`) must become `%%`. A `?` or `:name` inside a string literal, a quoted
identifier or a comment is text, not a parameter, and stays as it is. PostgreSQL's `::` cast
is never taken for a named parameter.
"""

from __future__ import annotations

from functools import lru_cache

_IDENT_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


@lru_cache(maxsize=4096)
def to_psycopg(sql: str, named: bool = False) -> str:
    """Translate `sql` for psycopg: `?` → `%s` (or `:name` → `%(name)s` when `named`), `%` → `%%`.

    Cached: the same few hundred query texts are translated over and over.

    >>> to_psycopg("SELECT * FROM t WHERE a = ? AND b LIKE 'x?%' -- why?")
    "SELECT * FROM t WHERE a = %s AND b LIKE 'x?%%' -- why?"
    >>> to_psycopg("SELECT :a, x::text", named=True)
    'SELECT %(a)s, x::text'
    """
    out: list[str] = []
    i, n = 0, len(sql)
    while i < n:
        ch = sql[i]
        if ch in "'\"":
            end = _closing_quote(sql, i)
            out.append(sql[i:end].replace("%", "%%"))
            i = end
        elif ch == "-" and sql.startswith("--", i):
            end = sql.find("\n", i)
            end = n if end < 0 else end
            out.append(sql[i:end].replace("%", "%%"))
            i = end
        elif ch == "/" and sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            end = n if end < 0 else end + 2
            out.append(sql[i:end].replace("%", "%%"))
            i = end
        elif ch == "$" and (tag_end := _dollar_tag_end(sql, i)) > 0:
            tag = sql[i:tag_end]
            close = sql.find(tag, tag_end)
            end = n if close < 0 else close + len(tag)
            out.append(sql[i:end].replace("%", "%%"))
            i = end
        elif ch == "%":
            out.append("%%")
            i += 1
        elif ch == "?" and not named:
            out.append("%s")
            i += 1
        elif ch == ":" and named and _starts_name(sql, i):
            j = i + 1
            while j < n and sql[j] in _IDENT_CHARS:
                j += 1
            out.append(f"%({sql[i + 1 : j]})s")
            i = j
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _closing_quote(sql: str, start: int) -> int:
    """Index just after the quote that closes the literal opened at `start` ('' escapes)."""
    quote = sql[start]
    i = start + 1
    while True:
        i = sql.find(quote, i)
        if i < 0:
            return len(sql)
        if i + 1 < len(sql) and sql[i + 1] == quote:
            i += 2
            continue
        return i + 1


def _dollar_tag_end(sql: str, start: int) -> int:
    """For `$tag$` or `$$` at `start`, the index after it; 0 when this `$` opens no quote."""
    if start > 0 and sql[start - 1] in _IDENT_CHARS:
        return 0
    j = start + 1
    while j < len(sql) and sql[j] in _IDENT_CHARS and not sql[j].isdigit():
        j += 1
    return j + 1 if j < len(sql) and sql[j] == "$" else 0


def _starts_name(sql: str, i: int) -> bool:
    """A `:` at `i` begins a named parameter (not a `::` cast, not a time like `10:30`)."""
    before = sql[i - 1] if i > 0 else " "
    after = sql[i + 1] if i + 1 < len(sql) else " "
    return (before != ":" and before not in _IDENT_CHARS and after != ":"
            and (after.isalpha() or after == "_"))
