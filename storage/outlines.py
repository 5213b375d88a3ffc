"""Area outlines (CBS gemeente, wijk and buurt boundaries) for the dashboard's map.

One row per CBS code with its GeoJSON geometry in WGS84 (lon/lat). The map draws what is
stored here; an import replaces the outlines of the codes it brings and keeps the others,
so a municipality can load its own, newer buurten over the shipped ones.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from core.records import utcnow
from core.timeutil import to_iso
from storage.db import Database, transaction
from storage.nul import strip_nul_all


@dataclass(frozen=True)
class StoredOutline:
    """One area's outline: CBS code (GM/WK/BU…), level, name and a (Multi)Polygon."""

    cbs_code: str
    level: str
    name: str
    geometry: dict[str, Any]


def save_outlines(db: Database, outlines: Iterable[StoredOutline],
                  source: str, replace: bool = True) -> int:
    """Insert or replace outlines by CBS code in one transaction; returns how many were saved.

    `replace=False` adds only codes not stored yet (the shipped outlines never overwrite a
    municipality's own file).
    """
    now = to_iso(utcnow())
    count = 0
    with transaction(db):
        for outline in outlines:
            if not replace and db.execute("SELECT 1 FROM place_outlines WHERE cbs_code = ?",
                                          [outline.cbs_code]).fetchone():
                continue
            db.execute(
                "INSERT INTO place_outlines (cbs_code, level, name, geometry, source, imported) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(cbs_code) DO UPDATE SET "
                "level = excluded.level, name = excluded.name, geometry = excluded.geometry, "
                "source = excluded.source, imported = excluded.imported",
                strip_nul_all([outline.cbs_code, outline.level, outline.name,
                               json.dumps(outline.geometry, separators=(",", ":")), source,
                               now]),
            )
            count += 1
    return count


def list_outlines(db: Database,
                  levels: Sequence[str] = ("gemeente", "wijk", "buurt")) -> list[StoredOutline]:
    """The stored outlines of the given levels, by CBS code."""
    if not levels:
        return []
    marks = ", ".join("?" for _ in levels)
    rows = db.execute(
        f"SELECT cbs_code, level, name, geometry FROM place_outlines WHERE level IN ({marks}) "
        "ORDER BY cbs_code",
        list(levels),
    ).fetchall()
    return [StoredOutline(code, level, name, json.loads(geometry))
            for code, level, name, geometry in rows]


def outline_sources(db: Database) -> list[tuple[str, int]]:
    """(source, number of outlines) per import source, for the map's credit line."""
    return [(source, n) for source, n in db.execute(
        "SELECT source, count(*) FROM place_outlines GROUP BY source ORDER BY count(*) DESC"
    ).fetchall()]
