"""Reading the area layers of a GeoPackage (the CBS wijk- en buurtkaart's format) without GDAL.

A GeoPackage is a SQLite file: `gpkg_contents` lists the feature tables, and each geometry
is a small GeoPackage header followed by standard WKB. Only (Multi)Polygons are needed for
area outlines, so a plain-Python WKB reader is enough; it lives in storage because reading
the file is SQL. The file is opened read-only and streamed, so a national file can be
filtered to one gemeente without loading it whole.
"""

from __future__ import annotations

import sqlite3
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


class GeoPackageError(ValueError):
    """The file is not a usable GeoPackage; the message says why (Dutch)."""


def read_geopackage(path: Path, gemeente: str = "", max_features: int = 20_000
                    ) -> tuple[list[dict[str, Any]], str]:
    """GeoJSON-like features of every feature layer, and the CRS name ("EPSG:28992").

    `gemeente` (a GM code) keeps only features whose code fields belong to that gemeente.
    """
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise GeoPackageError(f"{path.name} kan niet worden geopend als GeoPackage.") from exc
    try:
        layers = _layers(conn, path.name)
        features: list[dict[str, Any]] = []
        crs_names = set()
        for table, column, crs in layers:
            crs_names.add(crs)
            for feature in _features(conn, table, column):
                if gemeente and not _in_gemeente(feature["properties"], gemeente):
                    continue
                features.append(feature)
                if len(features) > max_features:
                    raise GeoPackageError(
                        f"{path.name} bevat meer dan {max_features} gebieden. Kies je eigen "
                        "gemeente met --gemeente (bijvoorbeeld --gemeente GM0505).")
    except sqlite3.DatabaseError as exc:
        raise GeoPackageError(f"{path.name} is geen geldige GeoPackage ({exc}).") from exc
    finally:
        conn.close()
    if len(crs_names) > 1:
        raise GeoPackageError(f"De lagen in {path.name} gebruiken verschillende "
                              f"coördinatenstelsels ({', '.join(sorted(crs_names))}).")
    return features, crs_names.pop() if crs_names else ""


def _layers(conn: sqlite3.Connection, name: str) -> list[tuple[str, str, str]]:
    try:
        rows = conn.execute(
            "SELECT g.table_name, g.column_name, coalesce(s.organization, ''), "
            "coalesce(s.organization_coordsys_id, g.srs_id) FROM gpkg_contents c "
            "JOIN gpkg_geometry_columns g ON g.table_name = c.table_name "
            "LEFT JOIN gpkg_spatial_ref_sys s ON s.srs_id = g.srs_id "
            "WHERE c.data_type = 'features' ORDER BY c.table_name"
        ).fetchall()
    except sqlite3.DatabaseError as exc:
        raise GeoPackageError(f"{name} is geen GeoPackage: de tabellen gpkg_contents en "
                              "gpkg_geometry_columns ontbreken.") from exc
    if not rows:
        raise GeoPackageError(f"{name} bevat geen laag met gebieden.")
    return [(table, column, f"{(org or 'EPSG').upper()}:{code}")
            for table, column, org, code in rows]


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _features(conn: sqlite3.Connection, table: str, column: str) -> Iterator[dict[str, Any]]:
    cursor = conn.execute(f"SELECT * FROM {_quote(table)}")
    names = [d[0] for d in cursor.description]
    for row in cursor:
        props = {k: v for k, v in zip(names, row, strict=True)
                 if k != column and isinstance(v, (str, int, float))}
        blob = row[names.index(column)]
        yield {"type": "Feature", "properties": props,
               "geometry": geometry_from_blob(blob) if isinstance(blob, bytes) else None}


def _in_gemeente(props: dict[str, Any], gemeente: str) -> bool:
    digits = gemeente.upper().removeprefix("GM")
    for key in ("gemeentecode", "wijkcode", "buurtcode", "statcode", "code"):
        code = str(props.get(key) or "").upper()
        if code:
            return code[2:6] == digits
    return False


def geometry_from_blob(blob: bytes) -> dict[str, Any] | None:
    """A GeoJSON (Multi)Polygon from a GeoPackage geometry blob; None for other or broken ones."""
    if len(blob) < 8 or blob[:2] != b"GP":
        return None
    flags = blob[3]
    envelope = _ENVELOPE_BYTES.get((flags >> 1) & 0b111)
    if envelope is None or flags & 0b10000:  # unknown envelope, or an empty geometry
        return None
    try:
        geometry, _end = _wkb(blob, 8 + envelope)
    except (struct.error, ValueError, IndexError):
        return None
    return geometry


def _wkb(data: bytes, offset: int) -> tuple[dict[str, Any] | None, int]:
    order = "<" if data[offset] == 1 else ">"
    (kind,) = struct.unpack_from(order + "I", data, offset + 1)
    offset += 5
    has_z = bool(kind & 0x80000000) or (kind % 10000) // 1000 in (1, 3)
    has_m = bool(kind & 0x40000000) or (kind % 10000) // 1000 in (2, 3)
    base = (kind & 0x0FFFFFFF) % 1000
    dims = 2 + has_z + has_m
    if base == 3:
        rings, offset = _polygon(data, offset, order, dims)
        return {"type": "Polygon", "coordinates": rings}, offset
    if base == 6:
        (count,) = struct.unpack_from(order + "I", data, offset)
        offset += 4
        polygons = []
        for _ in range(count):
            part, offset = _wkb(data, offset)
            if part is None or part["type"] != "Polygon":
                return None, offset
            polygons.append(part["coordinates"])
        return {"type": "MultiPolygon", "coordinates": polygons}, offset
    return None, offset


def _polygon(data: bytes, offset: int, order: str, dims: int
             ) -> tuple[list[list[list[float]]], int]:
    (ring_count,) = struct.unpack_from(order + "I", data, offset)
    offset += 4
    rings = []
    for _ in range(ring_count):
        (points,) = struct.unpack_from(order + "I", data, offset)
        offset += 4
        if offset + points * dims * 8 > len(data):
            raise ValueError("ring runs past the end of the geometry")
        values = struct.unpack_from(order + "d" * (points * dims), data, offset)
        offset += points * dims * 8
        rings.append([[values[i], values[i + 1]] for i in range(0, len(values), dims)])
    return rings, offset
