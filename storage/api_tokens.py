"""API tokens of dashboard users (`newsroom api token create/list/revoke`).

A token is a random secret shown once; only its SHA-256 is stored, so a copy of the database
cannot read the API. A token acts for one user and inherits that user's role and scope; it
ends when it expires, is revoked, or its user no longer exists (checked by the API).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from core.records import utcnow
from core.timeutil import from_iso, to_iso
from storage.db import Database, transaction
from storage.nul import strip_nul

TOKEN_PREFIX = "nrt_"
"""Makes a leaked token recognisable to secret scanners and in logs."""
MAX_TOKEN_CHARS = 200
MAX_NAME_CHARS = 100
USE_WRITE_SECONDS = 60.0
"""last_used is written at most this often per token, so reads do not write on every call."""


class TokenError(ValueError):
    """A token change that cannot be made; the message says why (Dutch)."""


@dataclass(frozen=True)
class ApiToken:
    """A stored token (never its secret)."""

    id: int
    username: str
    name: str
    created: datetime
    expires: datetime | None
    revoked: datetime | None
    last_used: datetime | None

    def state(self, now: datetime) -> str:
        """'actief', 'ingetrokken' or 'verlopen' (the words `token list` shows)."""
        if self.revoked is not None:
            return "ingetrokken"
        if self.expires is not None and self.expires <= now:
            return "verlopen"
        return "actief"


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_token(db: Database, username: str, name: str = "",
                 expires: datetime | None = None) -> tuple[ApiToken, str]:
    """Store a new token for `username`; returns it with its secret (show it once)."""
    name = strip_nul(name).strip()
    if len(name) > MAX_NAME_CHARS:
        raise TokenError(f"Een tokennaam heeft hoogstens {MAX_NAME_CHARS} tekens.")
    now = utcnow()
    if expires is not None and expires <= now:
        raise TokenError("De vervaldatum ligt in het verleden; kies een datum in de toekomst.")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction(db) as conn:
        token_id = int(conn.execute(
            "INSERT INTO api_tokens (token_hash, username, name, created, expires) "
            "VALUES (?, ?, ?, ?, ?) RETURNING id",
            [hash_token(secret), username, name, to_iso(now), to_iso(expires)],
        ).fetchall()[0][0])
    return ApiToken(token_id, username, name, now, expires, None, None), secret


def _token(row: tuple) -> ApiToken:  # type: ignore[type-arg]
    return ApiToken(id=int(row[0]), username=str(row[1]), name=str(row[2]),
                    created=from_iso(row[3]) or utcnow(), expires=from_iso(row[4]),
                    revoked=from_iso(row[5]), last_used=from_iso(row[6]))


_COLUMNS = "id, username, name, created, expires, revoked, last_used"


def list_tokens(db: Database, username: str | None = None) -> list[ApiToken]:
    """Stored tokens (of one user when given), oldest first."""
    if username is None:
        rows = db.execute(f"SELECT {_COLUMNS} FROM api_tokens ORDER BY id").fetchall()
    else:
        rows = db.execute(f"SELECT {_COLUMNS} FROM api_tokens WHERE username = ? ORDER BY id",
                          [username]).fetchall()
    return [_token(row) for row in rows]


def revoke_token(db: Database, token_id: int) -> ApiToken:
    """Revoke a token by id (once); returns it as it was before."""
    with transaction(db) as conn:
        row = conn.execute(f"SELECT {_COLUMNS} FROM api_tokens WHERE id = ?",
                           [token_id]).fetchone()
        if row is None:
            raise TokenError(f"Er is geen token met nummer {token_id}.")
        token = _token(row)
        if token.revoked is not None:
            raise TokenError(f"Token {token_id} is al ingetrokken.")
        conn.execute("UPDATE api_tokens SET revoked = ? WHERE id = ?",
                     [to_iso(utcnow()), token_id])
    return token


def find_token(db: Database, secret: str) -> ApiToken | None:
    """The stored token for a presented secret (any state), or None when unknown."""
    if not secret or len(secret) > MAX_TOKEN_CHARS:
        return None
    row = db.execute(f"SELECT {_COLUMNS} FROM api_tokens WHERE token_hash = ?",
                     [hash_token(secret)]).fetchone()
    return _token(row) if row is not None else None


def mark_used(db: Database, token: ApiToken, now: datetime) -> None:
    """Remember when a token was last used (at most once a minute per token)."""
    if token.last_used is not None and (now - token.last_used).total_seconds() < USE_WRITE_SECONDS:
        return
    with transaction(db) as conn:
        conn.execute("UPDATE api_tokens SET last_used = ? WHERE id = ?",
                     [to_iso(now), token.id])
