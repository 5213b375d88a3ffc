"""The Kaart page's choropleth: CBS outlines coloured by mentions or negative share.

Why the projection is computed here and not left to Vega's auto-fit: labels must not
overlap (we place them in pixels ourselves) and base-map tiles must line up with the
outlines, both of which need the same, known mercator scale and centre as the chart.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import altair as alt

from storage.outlines import StoredOutline

MEASURES = {"berichten": "Aantal berichten", "aandeel_negatief": "Aandeel negatief"}
# Colour-blind-safe sequential palettes (one hue, light to dark); areas without messages grey.
PALETTES = {"berichten": "blues", "aandeel_negatief": "oranges"}
EMPTY_FILL = "#E6E6E6"
LABEL_FONT_PX = 11
MAX_LABELS = 14


@dataclass(frozen=True)
class Projection:
    """Web-mercator fit of a lon/lat box into width x height pixels (d3's parameters)."""

    scale: float
    center: tuple[float, float]
    width: int
    height: int

    @classmethod
    def fit(cls, bbox: tuple[float, float, float, float], width: int, height: int,
            margin: int = 12) -> Projection:
        west, south, east, north = bbox
        span_x = max(math.radians(east - west), 1e-6)
        span_y = max(_merc_y(north) - _merc_y(south), 1e-6)
        scale = min((width - 2 * margin) / span_x, (height - 2 * margin) / span_y)
        center_lat = math.degrees(math.atan(math.sinh((_merc_y(north) + _merc_y(south)) / 2)))
        return cls(scale, ((west + east) / 2, center_lat), width, height)

    def pixel(self, lon: float, lat: float) -> tuple[float, float]:
        x = self.width / 2 + self.scale * math.radians(lon - self.center[0])
        y = self.height / 2 - self.scale * (_merc_y(lat) - _merc_y(self.center[1]))
        return x, y

    def vega(self) -> dict[str, Any]:
        return {"type": "mercator", "scale": self.scale, "center": list(self.center),
                "translate": [self.width / 2, self.height / 2]}


def _merc_y(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def bbox_of(outlines: Sequence[StoredOutline]) -> tuple[float, float, float, float]:
    xs: list[float] = []
    ys: list[float] = []
    for outline in outlines:
        _collect(outline.geometry["coordinates"], xs, ys)
    return min(xs), min(ys), max(xs), max(ys)


def _collect(coords: Any, xs: list[float], ys: list[float]) -> None:
    if coords and isinstance(coords[0], (int, float)):
        xs.append(coords[0])
        ys.append(coords[1])
        return
    for part in coords:
        _collect(part, xs, ys)


def area_rows(outlines: Sequence[StoredOutline], counts: Sequence[dict]) -> list[dict]:
    """One GeoJSON feature per outline with its figures as top-level fields (for Vega)."""
    by_code = {row["cbs_code"]: row for row in counts}
    rows = []
    for outline in outlines:
        row = by_code.get(outline.cbs_code, {})
        n = int(row.get("n") or 0)
        n_neg = int(row.get("n_neg") or 0)
        rows.append({
            "type": "Feature", "geometry": outline.geometry, "properties": {},
            "cbs_code": outline.cbs_code, "gebied": outline.name,
            "berichten": n, "negatief": n_neg,
            "aandeel_negatief": round(n_neg / n, 4) if n else None,
            # Shown on hover: a share of no messages is "geen berichten", never "null".
            "aandeel_tekst": f"{round(n_neg / n * 100)}%" if n else "geen berichten",
        })
    return rows


def place_labels(rows: Sequence[dict], points: dict[str, tuple[float, float]],
                 projection: Projection, measure: str) -> list[dict]:
    """Names of the areas that matter most, skipping any whose text box would overlap another."""
    ranked = sorted((r for r in rows if r["berichten"] and r["cbs_code"] in points),
                    key=lambda r: (-(r[measure] or 0), -r["berichten"], r["gebied"]))
    boxes: list[tuple[float, float, float, float]] = []
    labels = []
    for row in ranked:
        lon, lat = points[row["cbs_code"]]
        x, y = projection.pixel(lon, lat)
        half_w = len(row["gebied"]) * LABEL_FONT_PX * 0.3 + 3
        box = (x - half_w, y - 9, x + half_w, y + 9)
        inside = box[0] >= 0 and box[2] <= projection.width and box[1] >= 0 \
            and box[3] <= projection.height
        if inside and not any(_overlap(box, other) for other in boxes):
            boxes.append(box)
            labels.append({"lon": lon, "lat": lat, "gebied": row["gebied"],
                           "cbs_code": row["cbs_code"]})
        if len(labels) >= MAX_LABELS:
            break
    return labels


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def tiles(projection: Projection, bbox: tuple[float, float, float, float],
          url: str) -> list[dict]:
    """Web-mercator tiles covering the box, each with its top-left corner and address."""
    zoom = max(0, min(18, round(math.log2(projection.scale * 2 * math.pi / 256))))
    count = 2 ** zoom

    def tile_xy(lon: float, lat: float) -> tuple[int, int]:
        x = int((lon + 180) / 360 * count)
        y = int((1 - _merc_y(lat) / math.pi) / 2 * count)
        return min(max(x, 0), count - 1), min(max(y, 0), count - 1)

    x0, y0 = tile_xy(bbox[0] - 0.05, bbox[3] + 0.03)
    x1, y1 = tile_xy(bbox[2] + 0.05, bbox[1] - 0.03)
    out = []
    for x in range(x0, x1 + 1):
        for y in range(y0, y1 + 1):
            lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / count))))
            out.append({"lon": x / count * 360 - 180, "lat": lat,
                        "url": url.replace("{z}", str(zoom)).replace("{x}", str(x))
                        .replace("{y}", str(y))})
    return out


def choropleth(rows: list[dict], context: list[dict], labels: list[dict], measure: str,
               projection: Projection, tile_rows: list[dict]) -> alt.LayerChart:
    """Areas coloured by the measure (click = select), gemeente borders, labels, tiles."""
    select = alt.selection_point(name="gebied", fields=["cbs_code"], on="click")
    legend = alt.Legend(orient="bottom", direction="horizontal", gradientLength=280,
                        titleLimit=400, labelLimit=200, title=MEASURES[measure],
                        format=".0%" if measure == "aandeel_negatief" else "d")
    fill = alt.condition(f"datum.{measure} === null || datum.berichten === 0",
                         alt.value(EMPTY_FILL),
                         alt.Color(f"{measure}:Q", scale=alt.Scale(scheme=PALETTES[measure],  # type: ignore[arg-type]
                                                                    zero=True),
                                   legend=legend))
    areas = (
        # Each area's own aria-label comes from its tooltip ("Gebied: …; Berichten: …");
        # the decorative layers below (tiles, borders, names) are hidden from screen readers
        # (aria=False), or axe counts them as images without a text.
        alt.Chart(alt.Data(values=rows)).mark_geoshape(stroke="#4D4D4D", strokeWidth=0.6,
                                                       cursor="pointer")
        .encode(
            color=fill,
            fillOpacity=alt.value(0.78 if tile_rows else 1.0),
            tooltip=[alt.Tooltip("gebied:N", title="Gebied"),
                     alt.Tooltip("berichten:Q", title="Berichten"),
                     alt.Tooltip("negatief:Q", title="Negatief"),
                     alt.Tooltip("aandeel_tekst:N", title="Aandeel negatief")],
        )
        .add_params(select)
        .project(**projection.vega())
    )
    layers: list[Any] = []
    if tile_rows:
        size = projection.scale * 2 * math.pi / 2 ** round(
            math.log2(projection.scale * 2 * math.pi / 256))
        layers.append(alt.Chart(alt.Data(values=tile_rows)).mark_image(
            width=size, height=size, align="left", baseline="top", aria=False)
            .encode(longitude="lon:Q", latitude="lat:Q", url="url:N").project(**projection.vega()))
    layers.append(areas)
    if context:
        # fill=None (no paint, not "transparent"): a click inside a gemeente reaches the area
        # under its border line instead of selecting the gemeente.
        layers.append(alt.Chart(alt.Data(values=context)).mark_geoshape(
            filled=False, fill=None, stroke="#1A1A1A", strokeWidth=1.6, aria=False)
            .project(**projection.vega()))
    if labels:
        # A white halo under each name keeps it readable on any fill colour.
        for style in ({"color": "#FFFFFF", "stroke": "#FFFFFF", "strokeWidth": 3},
                      {"color": "#111111"}):
            layers.append(alt.Chart(alt.Data(values=labels)).mark_text(
                fontSize=LABEL_FONT_PX, fontWeight="bold", aria=False, **style)
                .encode(longitude="lon:Q", latitude="lat:Q", text="gebied:N")
                .project(**projection.vega()))
    # autosize "pad": the map keeps its size and the legend is added below it, not squeezed in
    # (which would cut the map and move it away from the projection's pixels).
    return alt.LayerChart(layer=layers).properties(
        width=projection.width, height=projection.height,
        padding={"top": 5, "bottom": 10, "left": 5, "right": 5},
        autosize=alt.AutoSizeParams(type="pad", contains="padding"))
