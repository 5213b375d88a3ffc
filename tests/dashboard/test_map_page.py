"""The Kaart page on the fixture store: outlines drawn as a choropleth, click-through link."""

from __future__ import annotations

import json

from storage.db import open_db
from storage.outlines import StoredOutline, save_outlines

from .app_steps import login, page
from .conftest import Corpus


def _map_spec(at) -> dict:
    charts = at.get("vega_lite_chart")
    assert charts, "the Kaart page draws no chart"
    return json.loads(charts[0].proto.spec)


def _values(spec: dict) -> list[list[dict]]:
    """The inline data of every layer of the chart."""
    return [layer["data"]["values"] for layer in spec["layer"] if "values" in layer.get("data", {})]


def test_map_draws_outlines_coloured_by_mentions(corpus: Corpus) -> None:
    at = page(login("adviseur"), "kaart")
    spec = _map_spec(at)
    areas = next(v for v in _values(spec) if v and "berichten" in v[0] and "geometry" in v[0])
    by_code = {a["cbs_code"]: a for a in areas}
    # The shipped CBS wijken of the Drechtsteden, each a polygon outline.
    assert len(by_code) >= 30 and "WK050506" in by_code
    assert all(a["geometry"]["type"] in ("Polygon", "MultiPolygon") for a in areas)
    db = open_db(corpus.db_path)
    stored = db.execute(
        "SELECT sum(n) FROM daily_place_rollup WHERE cbs_code = 'WK050506' "
        "AND day >= date('now', '-89 days')").fetchone()[0]
    assert by_code["WK050506"]["berichten"] == stored > 0
    layers = spec["layer"]
    assert layers[0]["mark"]["type"] == "geoshape"
    assert any(p.get("name") == "gebied" for p in spec.get("params", []))
    # The palette is a single-hue sequential scheme, not red/green.
    assert "blues" in json.dumps(layers[0]["encoding"]["color"])
    # No tiles: the default config has no base map, so nothing is fetched from outside.
    assert "http" not in json.dumps(_values(spec)).replace("https://dordtcentraal", "")
    assert all(layer["mark"]["type"] != "image" for layer in layers)


def test_map_switches_to_negative_share_and_buurten(corpus: Corpus) -> None:
    at = page(login("adviseur"), "kaart")
    at.radio(key="kaart_measure").set_value("aandeel_negatief").run()
    at.radio(key="kaart_level").set_value("buurt").run()
    assert not at.exception
    spec = _map_spec(at)
    assert "oranges" in json.dumps(spec["layer"][0]["encoding"]["color"])
    areas = next(v for v in _values(spec) if v and "geometry" in v[0] and "berichten" in v[0])
    assert all(a["cbs_code"].startswith("BU") for a in areas)


def test_imported_outlines_replace_the_shipped_ones(corpus: Corpus) -> None:
    db = open_db(corpus.db_path)
    square = {"type": "Polygon", "coordinates": [[[4.67, 51.80], [4.69, 51.80], [4.69, 51.82],
                                                   [4.67, 51.82], [4.67, 51.80]]]}
    save_outlines(db, [StoredOutline("WK050506", "wijk", "Eigen wijk", square)], "eigen.geojson")
    db.conn.close()
    at = page(login("adviseur"), "kaart")
    areas = next(v for v in _values(_map_spec(at)) if v and "geometry" in v[0]
                 and "berichten" in v[0])
    assert [a["gebied"] for a in areas] == ["Eigen wijk"]
    assert any("eigen.geojson" in c.value for c in at.caption)


def test_area_link_presets_berichten_filters(corpus: Corpus) -> None:
    at = login("adviseur")
    at.query_params["gebied"] = "WK050506"
    at.query_params["van"] = "2020-01-01"
    at = page(at, "berichten")
    chosen = at.multiselect(key="berichten_places").value
    assert len(chosen) == 1 and "WK050506" not in chosen[0]
    rows = at.dataframe[0].value
    assert len(rows) > 0


def test_overzicht_shows_the_week_card_with_store_figures(corpus: Corpus) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from storage.week_summary import week_figures

    at = login("adviseur")
    texts = [h.proto.body for h in at.get("html")]
    assert any(s.value == "Deze week in het kort" for s in at.header)
    tz = ZoneInfo("Europe/Amsterdam")
    fig = week_figures(open_db(corpus.db_path), datetime.now(tz).date(), tz)
    assert fig.n_now > 0
    first = next(t for t in texts if "Deze week (maandag" in t)
    assert f": {fig.n_now} berichten." in first
    assert any("van de beoordeelde berichten is negatief" in t for t in texts)
    assert not any("negative_spike" in t or "None" in t for t in texts)


def test_configured_base_map_draws_tiles_under_the_outlines(corpus: Corpus) -> None:
    text = corpus.config_path.read_text(encoding="utf-8").replace(
        "[dashboard]\n", '[dashboard]\nbase_map_url = "https://tiles.example/{z}/{x}/{y}.png"\n')
    corpus.config_path.write_text(text, encoding="utf-8")
    at = page(login("adviseur"), "kaart")
    spec = _map_spec(at)
    assert spec["layer"][0]["mark"]["type"] == "image"
    assert "tiles.example" in json.dumps(spec["layer"][0]["data"])
    assert any("Achtergrondkaart: © OpenStreetMap-bijdragers" in c.value for c in at.caption)


def test_choosing_an_area_from_the_list_opens_berichten(corpus: Corpus) -> None:
    at = page(login("adviseur"), "kaart")
    at.selectbox(key="kaart_gebied").select("WK050506").run()
    assert not at.exception, [e.value for e in at.exception]
    assert [t.value for t in at.title] == ["Berichten"]
    chosen = at.multiselect(key="berichten_places").value
    assert len(chosen) == 1 and chosen[0].endswith("(wijk)")
    assert len(at.dataframe[0].value) > 0
    at = page(at, "kaart")  # coming back shows the map again, no second jump to Berichten
    assert [t.value for t in at.title] == ["Kaart"]
