"""The map migrations (issue 14: 0075-0079), listed in storage.migrations.MIGRATIONS.

Kept apart so that the migration list itself stays short enough to read at once.
"""

from __future__ import annotations

PLACES_MIGRATIONS: list[tuple[str, str]] = [
    (
        "0075_places_outlines",
        # Area outlines for the map: CBS boundaries (the shipped demo-area ones are read from
        # nlp/data when none are stored) imported by `newsroom places import`; GeoJSON
        # geometry in WGS84, one row per CBS code, with the file it came from.
        "CREATE TABLE place_outlines (\n"
        "    cbs_code TEXT PRIMARY KEY,\n"
        "    level TEXT NOT NULL,\n"
        "    name TEXT NOT NULL,\n"
        "    geometry TEXT NOT NULL,\n"
        "    source TEXT NOT NULL,\n"
        "    imported TEXT NOT NULL\n"
        ");",
    ),
]
