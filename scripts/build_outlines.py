"""Build nlp/data/outlines_drechtsteden.geojson: CBS outlines of the demo area.

Source: the public repository ties/cbs_gebiedsindelingen_topojson (TopoJSON of the CBS/PDOK
gebiedsindelingen, already in WGS84), CBS open data under CC BY 4.0 — credit "CBS".
Layers used: Gemeente_2015_layer_labels.json and Wijk_2014_layer_labels.json (quantised to
1e4, about 30 m) and Buurt_2014_layer_q1e3.json (the only buurt layer that repository holds
in full; quantised to 1e3, about 300 m, so buurt edges are coarse). Kept: the areas of the
gemeenten the gazetteer covers (Dordrecht and the Drechtsteden), simplified to about 5 m.

Usage (read straight from a git clone or bare mirror, at a fixed commit):
    python -m scripts.build_outlines /path/to/cbs_gebiedsindelingen_topojson [COMMIT]
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from typing import Any

from nlp.geometry import Ring, geometry_of, round_ring, simplify_ring
from nlp.outlines import BUILTIN_PATH, SIMPLIFY_DEGREES
from nlp.places import GAZETTEER_PATH

REPOSITORY = "ties/cbs_gebiedsindelingen_topojson"
LAYERS = ("Gemeente_2015_layer_labels.json", "Wijk_2014_layer_labels.json",
          "Buurt_2014_layer_q1e3.json")


def demo_gemeenten() -> set[str]:
    """Gemeente codes (digits) whose wijken and buurten the gazetteer holds."""
    with GAZETTEER_PATH.open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return {row["gemeente_code"][2:] for row in rows if row["level"] in ("wijk", "buurt")}


def decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """Absolute lon/lat points of every arc (delta-decoded and de-quantised)."""
    scale = topology.get("transform", {}).get("scale", [1.0, 1.0])
    shift = topology.get("transform", {}).get("translate", [0.0, 0.0])
    quantised = "transform" in topology
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            if quantised:
                x, y = x + dx, y + dy
                points.append((x * scale[0] + shift[0], y * scale[1] + shift[1]))
            else:
                points.append((float(dx), float(dy)))
        arcs.append(points)
    return arcs


def ring_of(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> Ring:
    """Join a ring's arcs; a negative index ~i is arc i reversed; shared ends appear once."""
    ring: Ring = []
    for index in indexes:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(points if not ring else points[1:])
    return ring


def features_of(topology: dict[str, Any], keep: set[str]) -> list[dict[str, Any]]:
    arcs = decode_arcs(topology)
    out = []
    for geometry in topology["objects"]["layer"]["geometries"]:
        props = geometry.get("properties") or {}
        code = str(props.get("statcode", ""))
        if code[2:6] not in keep or geometry["type"] not in ("Polygon", "MultiPolygon"):
            continue
        polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
        rings = [[round_ring(simplify_ring(ring_of(r, arcs), SIMPLIFY_DEGREES)) for r in polygon]
                 for polygon in polygons]
        rings = [[r for r in polygon if len(r) >= 4] for polygon in rings]
        rings = [polygon for polygon in rings if polygon]
        if rings:
            out.append({"type": "Feature",
                        "properties": {"statcode": code, "statnaam": props.get("statnaam", "")},
                        "geometry": geometry_of(rings)})
    return out


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    repo = argv[0]
    commit = argv[1] if len(argv) > 1 else subprocess.run(
        ["git", "-C", repo, "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    keep = demo_gemeenten()
    features: list[dict[str, Any]] = []
    for layer in LAYERS:
        blob = subprocess.run(["git", "-C", repo, "show", f"{commit}:{layer}"],
                              capture_output=True, check=True).stdout
        features.extend(features_of(json.loads(blob), keep))
    document = {
        "type": "FeatureCollection",
        "name": "CBS gebiedsindeling Drechtsteden (gemeenten 2015, wijken en buurten 2014)",
        "attribution": "Bron: CBS (CC BY 4.0)",
        "source": f"github.com/{REPOSITORY}@{commit}: {', '.join(LAYERS)}",
        "features": features,
    }
    BUILTIN_PATH.write_text(json.dumps(document, separators=(",", ":")) + "\n", encoding="utf-8")
    levels = [f["properties"]["statcode"][:2] for f in features]
    print(f"{BUILTIN_PATH.name}: {len(features)} areas ({levels.count('GM')} gemeenten, "
          f"{levels.count('WK')} wijken, {levels.count('BU')} buurten), "
          f"{BUILTIN_PATH.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
