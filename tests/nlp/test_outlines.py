"""Area outlines from GeoJSON: RD New conversion, simplification, and every bad input."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newsroom.cli.main import cli
from nlp import outlines as outlines_module
from nlp.geometry import label_point, polygons_of, rd_to_wgs84, simplify_ring
from nlp.outlines import OutlineError, builtin_outlines, read_outline_file
from storage.db import Database, open_db
from storage.outlines import StoredOutline, list_outlines, outline_sources, save_outlines

# A square of about 400 x 400 m around Dordrecht's Grote Kerk, in RD New and in WGS84.
RD_SQUARE = [[105000, 425000], [105400, 425000], [105400, 425400], [105000, 425400],
             [105000, 425000]]
LONLAT_SQUARE = [[4.66, 51.81], [4.67, 51.81], [4.67, 51.82], [4.66, 51.82], [4.66, 51.81]]


def feature(code: Any = "WK050501", ring: list | None = None, geometry_type: str = "Polygon",
            **props: Any) -> dict:
    coords: Any = [ring or LONLAT_SQUARE]
    if geometry_type == "Point":
        coords = [4.66, 51.81]
    return {"type": "Feature", "properties": {"wijkcode": code, "wijknaam": "Binnenstad", **props},
            "geometry": {"type": geometry_type, "coordinates": coords}}


def write(tmp_path: Path, document: Any, name: str = "gebieden.geojson") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def collection(*features: object, crs: str | None = None) -> dict:
    doc: dict = {"type": "FeatureCollection", "features": list(features)}
    if crs:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    return doc


def test_rd_new_conversion_matches_reference_points() -> None:
    lon, lat = rd_to_wgs84(155000, 463000)  # Amersfoort, the origin of RD
    assert (round(lat, 6), round(lon, 6)) == (52.155174, 5.387206)
    lon, lat = rd_to_wgs84(120700.723, 487525.501)  # Westertoren, Amsterdam
    assert abs(lat - 52.37453253) < 2e-5 and abs(lon - 4.88352559) < 2e-5


def test_rd_file_with_crs_is_converted_to_wgs84(tmp_path: Path) -> None:
    path = write(tmp_path, collection(feature(ring=RD_SQUARE), crs="urn:ogc:def:crs:EPSG::28992"))
    result = read_outline_file(path)
    assert result.crs == "rd" and not result.skipped
    [outline] = result.outlines
    assert (outline.cbs_code, outline.level, outline.name) == ("WK050501", "wijk", "Binnenstad")
    lon, lat = label_point(polygons_of(outline.geometry))
    assert 4.66 < lon < 4.68 and 51.81 < lat < 51.82  # Dordrecht
    ring = outline.geometry["coordinates"][0]
    assert ring[0] == ring[-1] and len(ring) == 5


def test_rd_coordinates_without_crs_are_recognised(tmp_path: Path) -> None:
    result = read_outline_file(write(tmp_path, collection(feature(ring=RD_SQUARE))))
    assert result.crs == "rd"
    assert 51.8 < result.outlines[0].geometry["coordinates"][0][0][1] < 51.83


def test_wgs84_multipolygon_and_levels(tmp_path: Path) -> None:
    multi = {"type": "Feature", "properties": {"statcode": "BU05050101", "statnaam": "Centrum"},
             "geometry": {"type": "MultiPolygon", "coordinates": [[LONLAT_SQUARE],
                          [[[p[0] + 0.02, p[1]] for p in LONLAT_SQUARE]]]}}
    wijk = {"type": "Feature",
            "properties": {"statcode": "WK050501", "statnaam": "Wijk 01 Binnenstad"},
            "geometry": {"type": "Polygon", "coordinates": [LONLAT_SQUARE]}}
    gemeente = {"type": "Feature", "properties": {"gemeentecode": "gm0505",
                                                  "gemeentenaam": "Dordrecht"},
                "geometry": {"type": "Polygon", "coordinates": [LONLAT_SQUARE]}}
    result = read_outline_file(write(tmp_path, collection(multi, wijk, gemeente,
                                                          crs="EPSG:4326")))
    assert [(o.cbs_code, o.level, o.name, o.geometry["type"]) for o in result.outlines] == [
        ("BU05050101", "buurt", "Centrum", "MultiPolygon"),
        ("WK050501", "wijk", "Binnenstad", "Polygon"),
        ("GM0505", "gemeente", "Dordrecht", "Polygon")]


def test_simplification_drops_points_on_a_straight_edge() -> None:
    edge = [(4.66 + i * 0.0001, 51.81) for i in range(100)]
    ring = [*edge, (4.67, 51.82), (4.66, 51.82), (4.66, 51.81)]
    simple = simplify_ring(ring, 0.00005)
    assert len(simple) < 10 and simple[0] == simple[-1]
    assert (4.66 + 99 * 0.0001, 51.81) in simple  # the corner stays


@pytest.mark.parametrize("name, content, message", [
    ("leeg.geojson", b"", "is leeg"),
    ("kapot.geojson", b'{"type": "FeatureCollection", "features": [', "geen geldige JSON"),
    ("latin.geojson", "{\"naam\": \"Dordrecht caf\u00e9\"}".encode("latin-1"), "geen UTF-8"),
    ("lijst.geojson", b"[1, 2, 3]", "geen GeoJSON-FeatureCollection"),
    ("geen.geojson", b'{"type": "FeatureCollection", "features": []}', "bevat geen gebieden"),
    ("buurten.gpkg", b"SQLite format 3\x00" + b"\x00" * 100, "geen (geldige )?GeoPackage"),
])
def test_bad_files_are_refused_in_dutch(tmp_path: Path, name: str, content: bytes,
                                        message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(OutlineError, match=message):
        read_outline_file(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(OutlineError, match="bestaat niet"):
        read_outline_file(tmp_path / "nergens.geojson")


def test_size_caps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, collection(feature(), feature("WK050502")))
    monkeypatch.setattr(outlines_module, "MAX_FILE_BYTES", 100)
    with pytest.raises(OutlineError, match="te groot"):
        read_outline_file(path)
    monkeypatch.setattr(outlines_module, "MAX_FILE_BYTES", 10_000_000)
    monkeypatch.setattr(outlines_module, "MAX_FEATURES", 1)
    with pytest.raises(OutlineError, match="hoogstens 1"):
        read_outline_file(path)
    monkeypatch.setattr(outlines_module, "MAX_FEATURES", 100)
    monkeypatch.setattr(outlines_module, "MAX_POINTS", 5)
    with pytest.raises(OutlineError, match="te veel punten"):
        read_outline_file(path)


def test_unknown_crs_and_places_outside_the_netherlands(tmp_path: Path) -> None:
    with pytest.raises(OutlineError, match="EPSG:3857.*RD New"):
        read_outline_file(write(tmp_path, collection(feature(), crs="EPSG:3857")))
    paris = [[2.35, 48.85], [2.36, 48.85], [2.36, 48.86], [2.35, 48.85]]
    with pytest.raises(OutlineError, match="niet in Nederland"):
        read_outline_file(write(tmp_path, collection(feature(ring=paris))))


def test_bad_features_are_skipped_with_reasons(tmp_path: Path) -> None:
    nan_ring = [[4.66, 51.81], [math.nan, 51.81], [4.67, 51.82], [4.66, 51.81]]
    doc = collection(
        feature(),
        feature(None),
        feature("Wijk 3"),
        feature("WK050503", geometry_type="Point"),
        feature("WK050504", ring=LONLAT_SQUARE[:3]),
        feature("WK050505", ring=nan_ring),
        feature("WK050506", ring=[["a", "b"], [4.67, 51.81], [4.67, 51.82], [4.66, 51.81]]),
        feature("WK050501"),
        feature("WK050507", ring=[[4.66, 51.81], [4.66, 51.81], [4.66, 51.81], [4.66, 51.81]]),
        {"type": "Feature", "properties": "geen", "geometry": None},
        "geen feature",
    )
    doc["features"][1]["properties"] = {"naam": "zonder code"}
    result = read_outline_file(write(tmp_path, doc, "deels.geojson"))
    assert [o.cbs_code for o in result.outlines] == ["WK050501"]
    reasons = "\n".join(result.skipped)
    for expected in ("gebied 2: geen CBS-code", "gebied 3: 'WIJK 3' is geen CBS-code",
                     "gebied 4: WK050503 heeft geen vlak maar geometrie 'Point'",
                     "gebied 5: WK050504 heeft een rand met minder dan 4 punten",
                     "gebied 6: WK050505 heeft een punt dat geen getal is",
                     "gebied 7: WK050506 heeft een punt dat geen getal is",
                     "gebied 8: code WK050501 staat er twee keer in",
                     "gebied 9: WK050507 heeft een rand zonder oppervlak",
                     "gebied 10: de eigenschappen", "gebied 11: geen GeoJSON-Feature"):
        assert expected in reasons, reasons
    with pytest.raises(OutlineError, match="geen bruikbaar gebied.*geen CBS-code"):
        read_outline_file(write(tmp_path, collection(feature(None)), "niets.geojson"))


def test_shipped_outlines_cover_the_demo_area() -> None:
    shipped = builtin_outlines()
    codes = {o.cbs_code for o in shipped}
    assert {"GM0505", "GM0642", "GM0590", "GM0610", "GM0482", "GM0531", "GM0523"} <= codes
    assert sum(1 for c in codes if c.startswith("WK0505")) >= 10
    assert sum(1 for c in codes if c.startswith("BU0505")) >= 50
    document = json.loads(outlines_module.BUILTIN_PATH.read_text(encoding="utf-8"))
    assert "CBS" in document["attribution"]
    assert "ties/cbs_gebiedsindelingen_topojson@" in document["source"]
    assert outlines_module.BUILTIN_PATH.stat().st_size < 400_000


def test_storage_replaces_by_code(any_db: Database) -> None:
    """On SQLite and on PostgreSQL: replace by code, or only add new codes (`replace=False`)."""
    db = any_db
    square = {"type": "Polygon", "coordinates": [LONLAT_SQUARE]}
    save_outlines(db, [StoredOutline("WK050501", "wijk", "Oud", square),
                       StoredOutline("BU05050101", "buurt", "B", square)], "a.geojson")
    save_outlines(db, [StoredOutline("WK050501", "wijk", "Nieuw", square)], "b.geojson")
    assert [(o.cbs_code, o.name) for o in list_outlines(db, ("wijk",))] == [("WK050501", "Nieuw")]
    assert list_outlines(db, ("wijk", "buurt"))[0].geometry == square
    assert save_outlines(db, [StoredOutline("WK050501", "wijk", "Niet", square),
                              StoredOutline("WK050502", "wijk", "Erbij", square)],
                         "c.geojson", replace=False) == 1
    assert [o.name for o in list_outlines(db, ("wijk",))] == ["Nieuw", "Erbij"]
    assert sorted(outline_sources(db)) == [("a.geojson", 1), ("b.geojson", 1), ("c.geojson", 1)]
    assert list_outlines(db, ()) == []


def test_cli_import_and_its_errors(tmp_path: Path) -> None:
    db_path = tmp_path / "newsroom.db"
    config = tmp_path / "newsroom.toml"
    config.write_text(f'[storage]\npath = "{db_path}"\n', encoding="utf-8")
    runner = CliRunner()
    good = write(tmp_path, collection(feature(ring=RD_SQUARE), feature(None)), "eigen.geojson")
    result = runner.invoke(cli, ["--config", str(config), "places", "import", str(good)])
    assert result.exit_code == 0, result.output
    assert "1 gebieden geladen uit eigen.geojson (RD New (omgerekend naar WGS84))" in result.output
    assert "Overgeslagen: gebied 2: geen CBS-code" in result.output
    assert [o.name for o in list_outlines(open_db(db_path))] == ["Binnenstad"]
    bad = tmp_path / "kapot.geojson"
    bad.write_text("{", encoding="utf-8")
    result = runner.invoke(cli, ["--config", str(config), "places", "import", str(bad)])
    assert result.exit_code == 1 and "geen geldige JSON" in result.output
    result = runner.invoke(cli, ["--config", str(config), "places", "import"])
    assert result.exit_code == 2 and "Geef een bestand of --builtin" in result.output
    result = runner.invoke(cli, ["--config", str(config), "places", "import", "--builtin"])
    assert result.exit_code == 0 and "302 gebieden geladen" in result.output
    assert "1 gebieden had je al zelf geladen" in result.output
    listed = runner.invoke(cli, ["--config", str(config), "places", "list"])
    assert "eigen.geojson" in listed.output and "meegeleverd" in listed.output
