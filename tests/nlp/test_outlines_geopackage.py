"""GeoPackage import (the CBS wijk- en buurtkaart's format), on real .gpkg files made here."""

from __future__ import annotations

import sqlite3
import struct
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsroom.cli.main import cli
from nlp import outlines as outlines_module
from nlp.outlines import OutlineError, read_outline_file
from storage.db import open_db
from storage.geopackage import geometry_from_blob
from storage.outlines import list_outlines

RD_SQUARE = [(105000.0, 425000.0), (105400.0, 425000.0), (105400.0, 425400.0),
             (105000.0, 425400.0), (105000.0, 425000.0)]


def wkb_polygon(ring: list[tuple[float, float]], z: bool = False, big: bool = False) -> bytes:
    order = ">" if big else "<"
    kind = 1003 if z else 3
    body = struct.pack(order + "III", kind, 1, len(ring))
    for x, y in ring:
        body += struct.pack(order + ("ddd" if z else "dd"), x, y, *([0.0] if z else []))
    return (b"\x00" if big else b"\x01") + body


def gp_blob(wkb: bytes, srs: int = 28992, envelope: bool = True) -> bytes:
    flags = 0b00000011 if envelope else 0b00000001  # little-endian header, envelope [x, y]
    header = b"GP" + bytes([0, flags]) + struct.pack("<i", srs)
    return header + (struct.pack("<4d", 0, 0, 0, 0) if envelope else b"") + wkb


def make_geopackage(path: Path, layers: dict[str, list[tuple[dict, bytes | None]]],
                    srs: int = 28992) -> Path:
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path)
    conn.executescript(
        "CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT, srs_id INTEGER PRIMARY KEY, "
        "organization TEXT, organization_coordsys_id INTEGER, definition TEXT, "
        "description TEXT);"
        "CREATE TABLE gpkg_contents (table_name TEXT PRIMARY KEY, data_type TEXT, "
        "identifier TEXT);"
        "CREATE TABLE gpkg_geometry_columns (table_name TEXT, column_name TEXT, "
        "geometry_type_name TEXT, srs_id INTEGER, z INTEGER, m INTEGER);")
    conn.execute("INSERT INTO gpkg_spatial_ref_sys VALUES ('crs', ?, 'EPSG', ?, '', '')",
                 [srs, srs])
    for table, rows in layers.items():
        columns = list(rows[0][0])
        conn.execute(f"CREATE TABLE {table} (fid INTEGER PRIMARY KEY, geom BLOB, "
                     + ", ".join(f"{c} TEXT" for c in columns) + ")")
        conn.execute("INSERT INTO gpkg_contents VALUES (?, 'features', ?)", [table, table])
        conn.execute("INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', 'MULTIPOLYGON', ?, "
                     "0, 0)", [table, srs])
        for props, blob in rows:
            marks = ", ".join("?" for _ in columns)
            conn.execute(f"INSERT INTO {table} (geom, {', '.join(columns)}) VALUES (?, {marks})",
                         [blob, *props.values()])
    conn.commit()
    conn.close()
    return path


def cbs_file(tmp_path: Path) -> Path:
    square = gp_blob(wkb_polygon(RD_SQUARE))
    moved = gp_blob(wkb_polygon([(x + 2000, y) for x, y in RD_SQUARE], z=True, big=True))
    return make_geopackage(tmp_path / "wijkenbuurten.gpkg", {
        "wijken": [({"wijkcode": "WK050501", "wijknaam": "Binnenstad",
                     "gemeentecode": "GM0505"}, square),
                   ({"wijkcode": "WK064201", "wijknaam": "Centrum",
                     "gemeentecode": "GM0642"}, moved)],
        "buurten": [({"buurtcode": "BU05050101", "buurtnaam": "Stadshaven",
                      "wijkcode": "WK050501", "gemeentecode": "GM0505"}, moved),
                    ({"buurtcode": "BU05050102", "buurtnaam": "Kapot",
                      "wijkcode": "WK050501", "gemeentecode": "GM0505"}, b"GP\x00"),
                    ({"buurtcode": "BU05050103", "buurtnaam": "Leeg",
                      "wijkcode": "WK050501", "gemeentecode": "GM0505"}, None)],
    })


def test_cbs_geopackage_in_rd_is_read_and_converted(tmp_path: Path) -> None:
    result = read_outline_file(cbs_file(tmp_path))
    assert result.crs == "rd"
    by_code = {o.cbs_code: o for o in result.outlines}
    assert set(by_code) == {"WK050501", "WK064201", "BU05050101"}
    assert by_code["BU05050101"].level == "buurt" and by_code["BU05050101"].name == "Stadshaven"
    lon, lat = by_code["WK050501"].geometry["coordinates"][0][0]
    assert 4.6 < lon < 4.7 and 51.8 < lat < 51.83  # Dordrecht, in WGS84
    assert any("BU05050102" in line and "geen vlak" in line for line in result.skipped)
    assert any("BU05050103" in line for line in result.skipped)


def test_gemeente_filter_keeps_one_gemeente(tmp_path: Path) -> None:
    result = read_outline_file(cbs_file(tmp_path), "gm0505")
    assert {o.cbs_code for o in result.outlines} == {"WK050501", "BU05050101"}
    with pytest.raises(OutlineError, match="geen gebieden van gemeente GM0590"):
        read_outline_file(cbs_file(tmp_path), "GM0590")
    with pytest.raises(OutlineError, match="geen gemeentecode"):
        read_outline_file(cbs_file(tmp_path), "Dordrecht")


def test_too_many_areas_advise_the_gemeente_filter(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(outlines_module, "MAX_FEATURES", 4)  # the file has 5, GM0505 4
    with pytest.raises(OutlineError, match="--gemeente"):
        read_outline_file(cbs_file(tmp_path))
    assert len(read_outline_file(cbs_file(tmp_path), "GM0505").outlines) == 2


def test_sqlite_file_that_is_no_geopackage(tmp_path: Path) -> None:
    path = tmp_path / "gewoon.gpkg"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(OutlineError, match="geen GeoPackage"):
        read_outline_file(path)
    empty = make_geopackage(tmp_path / "leeg.gpkg", {})
    with pytest.raises(OutlineError, match="geen laag met gebieden"):
        read_outline_file(empty)


def test_other_crs_is_refused(tmp_path: Path) -> None:
    path = make_geopackage(tmp_path / "mercator.gpkg", {"wijken": [
        ({"wijkcode": "WK050501", "wijknaam": "B"}, gp_blob(wkb_polygon(RD_SQUARE), 3857))]},
        srs=3857)
    with pytest.raises(OutlineError, match="EPSG:3857"):
        read_outline_file(path)


def test_blob_reader_handles_envelopes_multipolygons_and_garbage() -> None:
    ring = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 0.0)]
    polygon = wkb_polygon(ring)
    multi = b"\x01" + struct.pack("<II", 6, 2) + polygon + wkb_polygon(ring, z=True)
    geometry = geometry_from_blob(gp_blob(multi, envelope=False))
    assert geometry == {"type": "MultiPolygon",
                        "coordinates": [[[list(p) for p in ring]]] * 2}
    point = b"\x01" + struct.pack("<Idd", 1, 4.6, 51.8)
    assert geometry_from_blob(gp_blob(point)) is None
    assert geometry_from_blob(gp_blob(polygon)[:30]) is None  # cut off
    assert geometry_from_blob(b"XX" + polygon) is None


def test_cli_imports_a_geopackage_for_one_gemeente(tmp_path: Path) -> None:
    db_path = tmp_path / "newsroom.db"
    config = tmp_path / "newsroom.toml"
    config.write_text(f'[storage]\npath = "{db_path}"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["--config", str(config), "places", "import",
                                      str(cbs_file(tmp_path)), "--gemeente", "GM0505"])
    assert result.exit_code == 0, result.output
    assert "2 gebieden geladen uit wijkenbuurten.gpkg (RD New" in result.output
    assert {o.cbs_code for o in list_outlines(open_db(db_path))} == {"WK050501", "BU05050101"}
