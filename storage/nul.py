"""NUL characters ("\\x00") in free text: removed at the write boundary, on both engines.

PostgreSQL's TEXT cannot hold a NUL (psycopg refuses the parameter), SQLite stores it. Text
we did not write ourselves (scraped pages and feeds, error messages of servers and
libraries, what users type in the dashboard, the API or the CLI) may carry one, and a NUL
carries no meaning in any of it. So every storage function that writes such text passes it
through `strip_nul` / `strip_nul_all` first: the same text is stored on both engines and
nothing else is lost. Where a user types a name that identifies something (a user name), a
refusal is more honest than a silent change: `has_nul` lets the caller refuse it.

`storage.pg` applies `strip_nul_all` to every statement's parameters as a last net, so a
NUL in a read parameter (a search term, a login name) is no driver error on PostgreSQL.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any, TypeVar

NUL = "\x00"
T = TypeVar("T")


def strip_nul(value: T) -> T:
    """`value` without NUL characters when it is text; anything else unchanged.

    >>> strip_nul("a\\x00b"), strip_nul(None), strip_nul(3)
    ('ab', None, 3)
    """
    if isinstance(value, str) and NUL in value:
        return value.replace(NUL, "")  # type: ignore[return-value]
    return value


def strip_nul_all(values: Iterable[Any]) -> list[Any]:
    """A statement's parameters with `strip_nul` applied to each (bytes stay as they are)."""
    return [strip_nul(value) for value in values]


def strip_nul_fields(record: T, *names: str) -> T:
    """A copy of a dataclass record with `strip_nul` applied to the named text fields (the
    record itself is left alone; an unchanged record is returned as it is)."""
    changes = {name: strip_nul(getattr(record, name)) for name in names}
    if all(changes[name] is getattr(record, name) for name in names):
        return record
    return dataclasses.replace(record, **changes)  # type: ignore[type-var]


def has_nul(value: str | None) -> bool:
    """True when `value` holds a NUL character (for inputs refused rather than cleaned)."""
    return value is not None and NUL in value
