"""Who is calling: the token in `Authorization: Bearer …`, its user, role and scope.

The rules are the dashboard's (`dashboard/roles.py`, which this output package may not
import; a test keeps both in step): management and advisers read everything, a project
lead reads only the items of their own projects (watches named for them in the user list,
or watches they own).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from api.errors import ApiError
from core.config import Config
from core.records import Watch
from storage.accounts import list_users
from storage.adviser import list_watches
from storage.api_tokens import ApiToken, find_token
from storage.db import Database

ROLES = ("adviser", "project_lead", "management")


@dataclass(frozen=True)
class ApiUser:
    """The user a token acts for."""

    username: str
    role: str
    watches: tuple[str, ...] = ()

    def owns(self, watch: Watch) -> bool:
        return watch.name in self.watches or (bool(watch.owner) and watch.owner == self.username)

    def can_see_watch(self, watch: Watch) -> bool:
        return self.role != "project_lead" or self.owns(watch)


def find_user(config: Config, db: Database, username: str) -> ApiUser | None:
    """A user from newsroom.toml, else one added with `newsroom users add`; None if gone."""
    for user in config.dashboard.users:
        if user.username == username:
            return ApiUser(user.username, user.role, tuple(user.watches))
    for stored in list_users(db):
        if stored.username == username:
            return ApiUser(stored.username, stored.role, tuple(stored.watches))
    return None


def scope_watch_ids(db: Database, user: ApiUser) -> tuple[int, ...] | None:
    """The watch ids a restricted reader is limited to; None when they may read everything."""
    if user.role != "project_lead":
        return None
    return tuple(w.id for w in list_watches(db) if w.id is not None and user.owns(w))


def bearer_secret(authorization: str | None) -> str:
    """The secret of an `Authorization: Bearer <token>` header, or an ApiError (401)."""
    if not authorization:
        raise unauthorized("token_missing",
                           "Geen token meegestuurd. Stuur de header 'Authorization: Bearer "
                           "<token>'; een token maak je met `newsroom api token create`.")
    scheme, _, secret = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise unauthorized("token_malformed",
                           "De header Authorization moet de vorm 'Bearer <token>' hebben.")
    return secret.strip()


def authenticate(config: Config, db: Database, authorization: str | None,
                 now: datetime) -> tuple[ApiToken, ApiUser]:
    """The live token and its user, or an ApiError 401 saying what is wrong with it."""
    token = find_token(db, bearer_secret(authorization))
    if token is None:
        raise unauthorized("token_invalid", "Dit token is onbekend. Controleer of je het "
                           "helemaal hebt gekopieerd, of maak een nieuw token.")
    if token.revoked is not None:
        raise unauthorized("token_revoked", "Dit token is ingetrokken. Vraag een nieuw token "
                           "aan bij je beheerder.")
    if token.expires is not None and token.expires <= now:
        raise unauthorized("token_expired", "Dit token is verlopen. Maak een nieuw token met "
                           "`newsroom api token create`.")
    user = find_user(config, db, token.username)
    if user is None or user.role not in ROLES:
        raise unauthorized("token_user_unknown", "De gebruiker van dit token bestaat niet "
                           "meer; het token werkt daarom niet.")
    return token, user


def unauthorized(code: str, message: str) -> ApiError:
    return ApiError(401, code, message, {"WWW-Authenticate": 'Bearer realm="newsroom"'})
