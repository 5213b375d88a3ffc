"""What the Kaart page reads: stored outlines (or the shipped ones) and their label points."""

from __future__ import annotations

from dashboard.data import cached, connection
from nlp.geometry import label_point, polygons_of
from nlp.outlines import BUILTIN_SOURCE, builtin_outlines
from storage.outlines import StoredOutline, list_outlines, outline_sources


@cached
def outlines(path: str, levels: tuple[str, ...]) -> list[StoredOutline]:
    """Imported outlines of these levels; the shipped demo-area ones when none are stored.

    Per level, so a municipality that imported only its buurten still sees the shipped wijken.
    """
    found: list[StoredOutline] = []
    for level in levels:
        stored = list_outlines(connection(path), (level,))
        found.extend(stored or [o for o in builtin_outlines() if o.level == level])
    return found


@cached
def label_points(path: str, levels: tuple[str, ...]) -> dict[str, tuple[float, float]]:
    """A label point (lon, lat) per CBS code: the centroid of the area's largest part."""
    return {o.cbs_code: label_point(polygons_of(o.geometry)) for o in outlines(path, levels)}


@cached
def credit(path: str) -> str:
    """Where the outlines come from, for the line under the map."""
    sources = [source for source, _n in outline_sources(connection(path))]
    if BUILTIN_SOURCE not in sources:
        sources.append(BUILTIN_SOURCE)
    return "Grenzen: " + "; ".join(sources) + ". Bron gebiedsindeling: CBS (CC BY 4.0)."
