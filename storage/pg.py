"""`PgDatabase`: PostgreSQL behind the small surface our storage code uses on sqlite_utils.

Storage modules call `db.execute`, `db.query`, `db.table_names()` and `db.conn.execute` /
`db.conn.in_transaction` / `db.conn.close()`, with SQLite's `?` placeholders. This class
offers exactly that over one psycopg 3 connection, so every query is written once:

- The connection is in autocommit mode; `BEGIN` / `COMMIT` / `ROLLBACK` are explicit, as on
  our SQLite connections (`isolation_level=None`). `BEGIN IMMEDIATE` (SQLite's "take the
  write lock now") becomes a plain `BEGIN`.
- `?` / `:name` become `%s` / `%(name)s` (storage.placeholders, quote-aware).
- Cursor rows are tuples, as sqlite3's; `query()` yields dicts, as sqlite_utils'.
- A NUL character in a text parameter, which PostgreSQL's TEXT cannot hold, is removed
  (`storage.nul`, a last net: the writers remove it themselves, on both engines).
- `numeric` results (only aggregates produce them: `sum(bigint)`, `avg(...)`) are read as
  int when they have no decimal point and as float otherwise, which is what SQLite returns
  for the same expressions; our schema itself has no numeric columns.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, Protocol

import psycopg
from psycopg.adapt import Loader
from psycopg.rows import dict_row

from storage.nul import strip_nul_all
from storage.placeholders import to_psycopg

logger = logging.getLogger(__name__)

Params = Sequence[Any] | Mapping[str, Any] | None

_BEGIN = re.compile(r"^\s*BEGIN\s+(?:IMMEDIATE|DEFERRED|EXCLUSIVE)(?:\s+TRANSACTION)?\s*;?\s*$",
                    re.IGNORECASE)


_COMMITS = frozenset({"COMMIT", "END", "COMMIT TRANSACTION", "END TRANSACTION"})


class Cursor(Protocol):
    """What callers may use of a statement's cursor, typed as sqlite3's (`fetchone()` is Any):
    psycopg types it `Row | None`, which would make every `fetchone()[0]` that sqlite3
    allows a type error on the `Database` union although both engines behave the same."""

    @property
    def rowcount(self) -> int: ...

    @property
    def description(self) -> Any: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class _NumericAsSqliteLoader(Loader):
    """numeric → int (no decimal point) or float, the types SQLite gives for the same sums."""

    def load(self, data: Any) -> int | float:
        text = bytes(data).decode("ascii")
        if "." in text or "e" in text or "E" in text or text in ("NaN", "Infinity", "-Infinity"):
            return float(text)
        return int(text)


def _translate(sql: str, params: Params) -> tuple[str, Any]:
    if _BEGIN.match(sql):
        return "BEGIN", ()
    if isinstance(params, Mapping):
        return to_psycopg(sql, named=True), dict(zip(params, strip_nul_all(params.values()),
                                                     strict=True))
    return to_psycopg(sql), tuple(strip_nul_all(params or ()))


class PgConnection:
    """What `db.conn` offers on SQLite and our code uses: execute, in_transaction, close."""

    def __init__(self, raw: psycopg.Connection[Any],
                 reconnect: Callable[[], psycopg.Connection[Any]] | None = None) -> None:
        self.raw = raw
        self._reconnect = reconnect
        self._closed_on_purpose = False

    def live(self) -> psycopg.Connection[Any]:
        """The connection, replaced by a new one first if the old one broke.

        A server restart or a dropped network link breaks the connection: the statement
        running then fails (its caller's transaction is lost, as with any crash), and the
        next statement runs on a new connection, so a long-running worker or dashboard heals
        by itself. Never inside a transaction: a broken connection has none left.
        """
        if self.raw.broken and not self._closed_on_purpose and self._reconnect is not None:
            logger.warning("PostgreSQL connection was lost; connecting again")
            self.raw = self._reconnect()
        return self.raw

    def execute(self, sql: str, params: Params = None) -> Cursor:
        """Run one statement; returns the cursor (tuples) like `sqlite3.Connection.execute`."""
        query, args = _translate(sql, params)
        self.live()
        if query.strip().upper().rstrip(";") in _COMMITS and self._failed():
            # PostgreSQL answers COMMIT in a failed transaction with a silent ROLLBACK; our
            # callers expect "committed", so say loudly that nothing was.
            self.raw.execute("ROLLBACK")
            raise psycopg.errors.InFailedSqlTransaction(
                "COMMIT after an error in the same transaction: everything was rolled back")
        return self.raw.execute(query, args)  # type: ignore[arg-type]

    def server_cursor(self, sql: str, params: Params, name: str) -> psycopg.ServerCursor[Any]:
        """A named (server-side) cursor for `sql`: rows come in batches as they are fetched.

        Only valid inside a transaction; `storage.dialect.stream` is the one caller."""
        query, args = _translate(sql, params)
        cursor = self.live().cursor(name=name)
        cursor.execute(query, args)  # type: ignore[arg-type]
        return cursor

    def _failed(self) -> bool:
        return self.raw.info.transaction_status == psycopg.pq.TransactionStatus.INERROR

    def executemany(self, sql: str, seq: Sequence[Params]) -> psycopg.Cursor[Any]:
        cursor = self.live().cursor()
        named = bool(seq) and isinstance(seq[0], Mapping)
        cursor.executemany(to_psycopg(sql, named=named), [
            dict(zip(p, strip_nul_all(p.values()), strict=True)) if isinstance(p, Mapping)
            else tuple(strip_nul_all(p or ())) for p in seq])
        return cursor

    @property
    def in_transaction(self) -> bool:
        """True between BEGIN and COMMIT/ROLLBACK (also in a failed transaction); False on a
        lost connection, whose transaction is gone, so the next `transaction()` begins anew."""
        if self.raw.closed or self.raw.broken:
            return False
        return self.raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE

    def commit(self) -> None:
        if self.in_transaction:
            self.execute("COMMIT")

    def rollback(self) -> None:
        if self.in_transaction:
            self.raw.execute("ROLLBACK")

    def __enter__(self) -> PgConnection:
        """`with conn:` as on sqlite3: it begins nothing; on leaving it commits the open
        transaction, or rolls it back when the block raised."""
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.rollback()

    def close(self) -> None:
        self._closed_on_purpose = True
        self.raw.close()

    @property
    def closed(self) -> bool:
        return bool(self.raw.closed)


class PgDatabase:
    """A PostgreSQL database with the part of `sqlite_utils.Database`'s surface we use."""

    engine = "postgresql"

    def __init__(self, url: str, *, connect_timeout: int = 10) -> None:
        self.url = url
        self._connect_timeout = connect_timeout
        self.conn = PgConnection(self._connect(), reconnect=self._connect)

    def _connect(self) -> psycopg.Connection[Any]:
        raw = psycopg.connect(self.url, autocommit=True, connect_timeout=self._connect_timeout)
        raw.adapters.register_loader("numeric", _NumericAsSqliteLoader)
        return raw

    def execute(self, sql: str, params: Params = None) -> Cursor:
        """Run one statement and return its cursor (rows as tuples)."""
        return self.conn.execute(sql, params)

    def query(self, sql: str, params: Params = None) -> Iterator[dict[str, Any]]:
        """Rows of one statement as dicts (column name → value), like sqlite_utils."""
        query, args = _translate(sql, params)
        cursor = self.conn.live().cursor(row_factory=dict_row)
        cursor.execute(query, args)  # type: ignore[arg-type]
        if cursor.description is None:
            return
        yield from cursor

    def executescript(self, script: str) -> None:
        """Run several statements without parameters (migrations, test set-up)."""
        self.conn.live().execute(script)  # type: ignore[call-overload]

    def table_names(self) -> list[str]:
        """Ordinary tables of the current schema, sorted by name."""
        return [row[0] for row in self.conn.live().execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
            "ORDER BY tablename")]

    def close(self) -> None:
        self.conn.close()

    def __repr__(self) -> str:
        return f"<PgDatabase {redact_url(self.url)}>"


def redact_url(url: str) -> str:
    """The URL without its password, for messages and logs.

    >>> redact_url("postgresql://newsroom:geheim@db.example:5432/newsroom")
    'postgresql://newsroom:***@db.example:5432/newsroom'
    """
    url = re.sub(r"(://[^:/@?#]*):[^@/?#]*@", r"\1:***@", url)
    return re.sub(r"(?i)(password=)[^&\s]*", r"\1***", url)
