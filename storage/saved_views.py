"""Saved views: a named filter set of one dashboard page, shared by a link (?view=<id>).

Why role checks here and not only in the page: a view belongs to the user who saved it;
only they (or an adviser, who looks after what the team shares, as with watches and rules)
may delete it, whichever screen asks. A view holds filter values only, never documents, so
opening someone else's view never widens what the reader may see: the page applies the
reader's own scope to it.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.records import utcnow
from core.timeutil import from_iso, to_iso
from storage.db import Database, transaction
from storage.nul import strip_nul

ROLES = ("adviser", "project_lead", "management")
MANAGER_ROLES = ("adviser",)
"""Roles that may delete a colleague's view (besides its owner)."""
MAX_NAME_CHARS = 80
MAX_FILTER_CHARS = 20_000
MAX_VIEWS_PER_USER = 100
VIEW_ID_CHARS = 12


class ViewError(ValueError):
    """A view change that is not allowed or not valid; the message says why (Dutch)."""


@dataclass(frozen=True)
class SavedView:
    id: str
    owner: str
    page: str
    name: str
    filters: dict[str, Any]
    created: datetime


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise ViewError("Alleen ingelogde gebruikers met een rol kunnen weergaven bewaren.")


def save_view(db: Database, owner: str, role: str, page: str, name: str,
              filters: dict[str, Any]) -> SavedView:
    """Store a new view for `owner` and return it (with its random id for the link)."""
    _check_role(role)
    name = " ".join(strip_nul(name).split())
    if not name:
        raise ViewError("Geef de weergave een naam.")
    if len(name) > MAX_NAME_CHARS:
        raise ViewError(f"Een naam heeft hoogstens {MAX_NAME_CHARS} tekens.")
    encoded = json.dumps(filters, ensure_ascii=False, sort_keys=True)
    if len(encoded) > MAX_FILTER_CHARS:
        raise ViewError("Deze filters zijn te groot om te bewaren.")
    view = SavedView(secrets.token_urlsafe(9)[:VIEW_ID_CHARS], owner, page, name, filters,
                     utcnow())
    with transaction(db) as conn:
        count = conn.execute("SELECT count(*) FROM saved_views WHERE owner = ?",
                             [owner]).fetchone()[0]
        if count >= MAX_VIEWS_PER_USER:
            raise ViewError(f"Je hebt al {MAX_VIEWS_PER_USER} weergaven; verwijder er eerst een.")
        conn.execute(
            "INSERT INTO saved_views (id, owner, page, name, filters_json, created) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [view.id, owner, page, name, encoded, to_iso(view.created)],
        )
    return view


def _view(row: tuple) -> SavedView:  # type: ignore[type-arg]
    filters = json.loads(row[4])
    return SavedView(id=str(row[0]), owner=str(row[1]), page=str(row[2]), name=str(row[3]),
                     filters=filters if isinstance(filters, dict) else {},
                     created=from_iso(row[5]) or utcnow())


_COLUMNS = "id, owner, page, name, filters_json, created"


def list_views(db: Database, owner: str, page: str) -> list[SavedView]:
    """One user's views of one page, by name."""
    rows = db.execute(f"SELECT {_COLUMNS} FROM saved_views WHERE owner = ? AND page = ? "
                      "ORDER BY lower(name), id", [owner, page]).fetchall()
    return [_view(row) for row in rows]


def get_view(db: Database, view_id: str) -> SavedView | None:
    """The view a link points at, or None (unknown, deleted or a malformed id)."""
    if not view_id or len(view_id) > VIEW_ID_CHARS * 2:
        return None
    row = db.execute(f"SELECT {_COLUMNS} FROM saved_views WHERE id = ?", [view_id]).fetchone()
    return _view(row) if row is not None else None


def can_delete(view: SavedView, username: str, role: str) -> bool:
    return view.owner == username or role in MANAGER_ROLES


def delete_view(db: Database, view_id: str, username: str, role: str) -> SavedView:
    """Delete a view as `username`: its owner, or an adviser. Returns what was deleted."""
    _check_role(role)
    with transaction(db) as conn:
        row = conn.execute(f"SELECT {_COLUMNS} FROM saved_views WHERE id = ?",
                           [view_id]).fetchone()
        if row is None:
            raise ViewError("Deze weergave bestaat niet (meer).")
        view = _view(row)
        if not can_delete(view, username, role):
            raise ViewError("Alleen wie de weergave bewaarde (of een adviseur) kan die "
                            "verwijderen.")
        conn.execute("DELETE FROM saved_views WHERE id = ?", [view_id])
    return view
