"""The login cookie: a session token with its expiry, signed with the store's key.

The signature lets the server drop a forged or altered cookie before looking anything up;
whether the session is still live (not logged out, not idle too long) is decided by
`storage.sessions` on every page run and every guarded request.
"""

from __future__ import annotations

import hashlib
import hmac
import time

COOKIE_NAME = "newsroom_session"


def _signature(key: bytes, payload: str) -> str:
    return hmac.new(key, payload.encode("utf-8"), hashlib.sha256).hexdigest()


def sign(key: bytes, token: str, expires: float) -> str:
    """The cookie value for `token`, valid until `expires` (Unix seconds)."""
    payload = f"{token}.{int(expires)}"
    return f"{payload}.{_signature(key, payload)}"


def verify(key: bytes, value: object, now: float | None = None) -> str | None:
    """The token inside a cookie value when its signature holds and it has not expired."""
    if not isinstance(value, str) or not value or len(value) > 300:
        return None
    token, _, rest = value.partition(".")
    expires, _, signature = rest.partition(".")
    if not token or not expires.isdigit() or not signature:
        return None
    if not hmac.compare_digest(signature, _signature(key, f"{token}.{expires}")):
        return None
    if int(expires) <= (time.time() if now is None else now):
        return None
    return token
