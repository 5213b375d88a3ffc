"""Reading area outlines from GeoJSON or GeoPackage: the shipped CBS outlines and a municipality's.

`newsroom places import FILE` and the map use this. A file from outside is untrusted: it is
checked for size, shape, CRS and CBS codes, and every problem is told in Dutch with what to
do. Features that are wrong on their own are skipped and listed; a file with no usable area
fails. RD New (EPSG:28992) coordinates are converted to WGS84; outlines are simplified to
about 5 m so the map stays light.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nlp.geometry import (
    NL_LONLAT_BOUNDS,
    RD_BOUNDS,
    Ring,
    geometry_of,
    rd_to_wgs84,
    round_ring,
    simplify_ring,
    within,
)
from storage.geopackage import GeoPackageError, read_geopackage
from storage.outlines import StoredOutline

BUILTIN_PATH = Path(__file__).resolve().parent / "data" / "outlines_drechtsteden.geojson"
BUILTIN_SOURCE = "CBS wijk- en buurtkaart 2014 (meegeleverd)"

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_GEOPACKAGE_BYTES = 2 * 1024 * 1024 * 1024  # read row by row, filtered to one gemeente
MAX_FEATURES = 20_000
MAX_POINTS = 3_000_000
SIMPLIFY_DEGREES = 0.00005  # about 5 m (3.5 m east-west at 52° N)

_LEVELS = {"GM": "gemeente", "WK": "wijk", "BU": "buurt"}
_CODE = re.compile(r"^(GM\d{4}|WK\d{6}|BU\d{8})$")
# Property names of CBS files, most specific first (a buurt also carries its wijk's code).
_CODE_KEYS = (("statcode", "statnaam"), ("buurtcode", "buurtnaam"), ("wijkcode", "wijknaam"),
              ("gemeentecode", "gemeentenaam"), ("code", "naam"), ("code", "name"))
# CBS names wijken "Wijk 01 Binnenstad"; the gazetteer and the dashboard say "Binnenstad".
_WIJK_PREFIX = re.compile(r"^Wijk \d+\s+(?=\S)")
_WGS84_NAMES = ("epsg:4326", "crs84", "epsg::4326")
_RD_NAMES = ("epsg:28992", "epsg::28992")


class OutlineError(ValueError):
    """The file cannot be used; the message says why and what to do (Dutch)."""


@dataclass
class OutlineImport:
    """What a file gave: the outlines, the CRS it was in, and the features skipped (why)."""

    outlines: list[StoredOutline]
    crs: str
    skipped: list[str] = field(default_factory=list)


def read_outline_file(path: Path, gemeente: str = "") -> OutlineImport:
    """Read and check a GeoJSON or GeoPackage file of CBS areas (Dutch OutlineError if not).

    `gemeente` (GM code) keeps only that gemeente's areas: a national file is then fine.
    """
    if gemeente and not re.fullmatch(r"GM\d{4}", gemeente.upper()):
        raise OutlineError(f"'{gemeente[:20]}' is geen gemeentecode; gebruik bijvoorbeeld GM0505.")
    if not path.is_file():
        raise OutlineError(f"Het bestand {path} bestaat niet. Controleer de naam en de map.")
    size = path.stat().st_size
    if size == 0:
        raise OutlineError(f"Het bestand {path.name} is leeg.")
    with path.open("rb") as handle:
        head = handle.read(16)
    if head.startswith(b"SQLite format 3"):
        return _read_geopackage(path, size, gemeente.upper())
    if size > MAX_FILE_BYTES:
        raise OutlineError(
            f"Het bestand {path.name} is te groot ({size // 1_000_000} MB, hoogstens "
            f"{MAX_FILE_BYTES // 1_000_000} MB). Neem alleen de wijken en buurten van je eigen "
            "gemeente op, bijvoorbeeld met een filter op gemeentecode in QGIS.")
    try:
        document = json.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise OutlineError(f"{path.name} is geen UTF-8-tekst; een GeoJSON-bestand moet dat "
                           "wel zijn.") from exc
    except json.JSONDecodeError as exc:
        raise OutlineError(f"{path.name} is geen geldige JSON (regel {exc.lineno}, kolom "
                           f"{exc.colno}). Is het wel een GeoJSON-bestand?") from exc
    result = outlines_from_geojson(document, path.name)
    if gemeente:
        digits = gemeente.upper()[2:]
        result.outlines = [o for o in result.outlines if o.cbs_code[2:6] == digits]
        if not result.outlines:
            raise OutlineError(f"{path.name} bevat geen gebieden van gemeente {gemeente.upper()}.")
    return result


def _read_geopackage(path: Path, size: int, gemeente: str) -> OutlineImport:
    """A GeoPackage's feature layers (all of them: gemeenten, wijken, buurten), checked."""
    if size > MAX_GEOPACKAGE_BYTES:
        raise OutlineError(f"Het bestand {path.name} is te groot ({size // 1_000_000} MB, "
                           f"hoogstens {MAX_GEOPACKAGE_BYTES // 1_000_000} MB).")
    try:
        features, crs = read_geopackage(path, gemeente, MAX_FEATURES)
    except GeoPackageError as exc:
        raise OutlineError(str(exc)) from exc
    if not features:
        where = f" van gemeente {gemeente}" if gemeente else ""
        raise OutlineError(f"{path.name} bevat geen gebieden{where}.")
    document = {"type": "FeatureCollection", "features": features,
                "crs": {"type": "name", "properties": {"name": crs}}}
    return outlines_from_geojson(document, path.name)


def outlines_from_geojson(document: Any, name: str = "het bestand") -> OutlineImport:
    """Check a parsed GeoJSON document and turn its areas into outlines (WGS84)."""
    if not isinstance(document, dict) or document.get("type") not in ("FeatureCollection",
                                                                      "Feature"):
        raise OutlineError(f"{name} is geen GeoJSON-FeatureCollection met gebieden.")
    features = document.get("features") if document["type"] == "FeatureCollection" \
        else [document]
    if not isinstance(features, list) or not features:
        raise OutlineError(f"{name} bevat geen gebieden (de lijst 'features' is leeg).")
    if len(features) > MAX_FEATURES:
        raise OutlineError(f"{name} bevat {len(features)} gebieden; hoogstens {MAX_FEATURES}. "
                           "Neem alleen je eigen gemeente op.")
    crs = _declared_crs(document, name)
    if sum(_count_points(f) for f in features) > MAX_POINTS:
        raise OutlineError(f"{name} heeft te veel punten (meer dan {MAX_POINTS:,}). "
                           "Vereenvoudig de grenzen eerst (in QGIS: Vereenvoudigen).")
    if crs == "onbekend":
        crs = _guess_crs(features, name)
    result = OutlineImport([], crs)
    seen: set[str] = set()
    for number, feature in enumerate(features, start=1):
        try:
            outline = _outline(feature, crs)
        except OutlineError as exc:
            result.skipped.append(f"gebied {number}: {exc}")
            continue
        if outline.cbs_code in seen:
            result.skipped.append(f"gebied {number}: code {outline.cbs_code} staat er twee keer "
                                  "in; de eerste telt.")
            continue
        seen.add(outline.cbs_code)
        result.outlines.append(outline)
    if not result.outlines:
        reasons = "; ".join(result.skipped[:3])
        raise OutlineError(f"{name} bevat geen bruikbaar gebied. {reasons}")
    return result


def builtin_outlines() -> list[StoredOutline]:
    """The shipped outlines of the demo area (Dordrecht and the Drechtsteden, CBS 2014)."""
    return read_outline_file(BUILTIN_PATH).outlines


def _declared_crs(document: dict, name: str) -> str:
    """'wgs84', 'rd' or 'onbekend' (no crs member) from the GeoJSON 'crs' member."""
    crs = document.get("crs")
    if crs is None:
        return "onbekend"
    crs_name = str((crs.get("properties") or {}).get("name", "")) if isinstance(crs, dict) else ""
    lowered = crs_name.lower()
    if any(lowered.endswith(n) or n in lowered for n in _RD_NAMES):
        return "rd"
    if any(lowered.endswith(n) or n in lowered for n in _WGS84_NAMES):
        return "wgs84"
    raise OutlineError(
        f"{name} gebruikt het coördinatenstelsel '{crs_name[:80]}'. Dat kan de monitor niet "
        "omrekenen. Sla het bestand op in RD New (EPSG:28992) of WGS84 (EPSG:4326).")


def _guess_crs(features: list, name: str) -> str:
    """Without a crs member: RD New when the first point looks like RD metres, else WGS84."""
    for feature in features:
        point = _first_point(feature)
        if point is None:
            continue
        if within(point, RD_BOUNDS):
            return "rd"
        if within(point, NL_LONLAT_BOUNDS):
            return "wgs84"
        raise OutlineError(
            f"De coördinaten in {name} liggen niet in Nederland (eerste punt {point[0]:.4g}, "
            f"{point[1]:.4g}). Gebruik RD New (EPSG:28992) of WGS84 (EPSG:4326).")
    raise OutlineError(f"{name} bevat geen gebied met coördinaten.")


def _first_point(feature: Any) -> tuple[float, float] | None:
    try:
        coords = feature["geometry"]["coordinates"]
        while isinstance(coords[0], list):
            coords = coords[0]
        return float(coords[0]), float(coords[1])
    except (KeyError, IndexError, TypeError, ValueError):
        return None


def _count_points(feature: Any) -> int:
    try:
        coords = feature["geometry"]["coordinates"]
    except (KeyError, TypeError):
        return 0
    return len(json.dumps(coords)) // 8  # cheap upper bound: a point takes over 8 characters


def _outline(feature: Any, crs: str) -> StoredOutline:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise OutlineError("geen GeoJSON-Feature")
    props = feature.get("properties") or {}
    if not isinstance(props, dict):
        raise OutlineError("de eigenschappen ('properties') ontbreken")
    code, area_name = _code_and_name(props)
    geometry = feature.get("geometry")
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        kind = geometry.get("type") if isinstance(geometry, dict) else "geen"
        raise OutlineError(f"{code} heeft geen vlak maar geometrie '{kind}'")
    polygons = geometry.get("coordinates")
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    if not isinstance(polygons, list) or not polygons:
        raise OutlineError(f"{code} heeft geen coördinaten")
    converted = [[_ring(ring, crs, code) for ring in polygon] for polygon in polygons
                 if isinstance(polygon, list) and polygon]
    if not converted:
        raise OutlineError(f"{code} heeft geen coördinaten")
    return StoredOutline(code, _LEVELS[code[:2]], area_name, geometry_of(converted))


def _code_and_name(props: dict) -> tuple[str, str]:
    for code_key, name_key in _CODE_KEYS:
        code = str(props.get(code_key) or "").strip().upper()
        if code:
            if not _CODE.match(code):
                raise OutlineError(f"'{code[:20]}' is geen CBS-code (zoals GM0505, WK050501 "
                                   "of BU05050101)")
            area_name = _WIJK_PREFIX.sub("", str(props.get(name_key) or "").strip())[:120]
            return code, area_name or code
    raise OutlineError("geen CBS-code gevonden (verwacht een eigenschap zoals buurtcode, "
                       "wijkcode, gemeentecode of statcode)")


def _ring(ring: Any, crs: str, code: str) -> Ring:
    if not isinstance(ring, list) or len(ring) < 4:
        raise OutlineError(f"{code} heeft een rand met minder dan 4 punten")
    points: Ring = []
    for point in ring:
        try:
            x, y = float(point[0]), float(point[1])
        except (TypeError, ValueError, IndexError) as exc:
            raise OutlineError(f"{code} heeft een punt dat geen getal is") from exc
        if not (math.isfinite(x) and math.isfinite(y)):
            raise OutlineError(f"{code} heeft een punt dat geen getal is")
        lonlat = rd_to_wgs84(x, y) if crs == "rd" else (x, y)
        if not within(lonlat, NL_LONLAT_BOUNDS):
            raise OutlineError(f"{code} ligt buiten Nederland")
        points.append(lonlat)
    simple = round_ring(simplify_ring(points, SIMPLIFY_DEGREES))
    if len(simple) < 4:
        raise OutlineError(f"{code} heeft een rand zonder oppervlak")
    return simple
