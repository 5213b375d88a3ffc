"""The map's own geometry: projection, labels that never overlap, base-map tiles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.config import ConfigError, load_config
from dashboard import map_chart
from nlp.geometry import label_point, polygons_of
from nlp.outlines import builtin_outlines


def _wijken():
    return [o for o in builtin_outlines() if o.level == "wijk"]


def test_projection_fits_every_outline_inside_the_chart() -> None:
    wijken = _wijken()
    projection = map_chart.Projection.fit(map_chart.bbox_of(wijken), 760, 560)
    for outline in wijken:
        for polygon in polygons_of(outline.geometry):
            for lon, lat in polygon[0]:
                x, y = projection.pixel(lon, lat)
                assert -0.5 <= x <= 760.5 and -0.5 <= y <= 560.5


def test_labels_do_not_overlap_and_favour_the_most_mentioned() -> None:
    wijken = _wijken()
    projection = map_chart.Projection.fit(map_chart.bbox_of(wijken), 760, 560)
    counts = [{"cbs_code": o.cbs_code, "n": 100 if o.cbs_code == "WK050504" else 50 - i,
               "n_neg": i} for i, o in enumerate(wijken)]
    rows = map_chart.area_rows(wijken, counts)
    points = {o.cbs_code: label_point(polygons_of(o.geometry)) for o in wijken}
    labels = map_chart.place_labels(rows, points, projection, "berichten")
    assert 3 <= len(labels) <= map_chart.MAX_LABELS
    assert labels[0]["cbs_code"] == "WK050504"  # the most mentioned gets its name first
    boxes = []
    for label in labels:
        x, y = projection.pixel(label["lon"], label["lat"])
        half = len(label["gebied"]) * map_chart.LABEL_FONT_PX * 0.3 + 3
        boxes.append((x - half, y - 9, x + half, y + 9))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])
    # Areas without messages get no name and no colour (grey, "geen berichten").
    quiet = map_chart.area_rows(wijken, [])
    assert map_chart.place_labels(quiet, points, projection, "berichten") == []
    assert all(r["aandeel_negatief"] is None and r["aandeel_tekst"] == "geen berichten"
               for r in quiet)
    assert rows[0]["aandeel_tekst"] == "0%" and rows[1]["aandeel_tekst"] == "2%"


def test_base_map_tiles_only_when_configured(tmp_path: Path) -> None:
    wijken = _wijken()
    box = map_chart.bbox_of(wijken)
    projection = map_chart.Projection.fit(box, 760, 560)
    tiles = map_chart.tiles(projection, box, "https://tiles.example/{z}/{x}/{y}.png")
    assert 1 <= len(tiles) <= 40
    zoom = {t["url"].split("/")[3] for t in tiles}
    assert zoom == {"12"} or zoom == {"11"} or zoom == {"13"}
    rows = map_chart.area_rows(wijken, [])
    with_tiles = map_chart.choropleth(rows, [], [], "berichten", projection, tiles).to_dict()
    without = map_chart.choropleth(rows, [], [], "berichten", projection, []).to_dict()
    assert with_tiles["layer"][0]["mark"]["type"] == "image"
    assert "tiles.example" not in json.dumps(without)


@pytest.mark.parametrize("url", ["http://tiles.example/{z}/{x}/{y}.png",
                                 "https://tiles.example/tile.png"])
def test_base_map_url_is_checked(tmp_path: Path, url: str) -> None:
    config = tmp_path / "newsroom.toml"
    config.write_text(f'[dashboard]\nbase_map_url = "{url}"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="base_map_url"):
        load_config(config)


def test_base_map_url_default_is_off(tmp_path: Path) -> None:
    config = tmp_path / "newsroom.toml"
    config.write_text("[dashboard]\n", encoding="utf-8")
    assert load_config(config).dashboard.base_map_url == ""
