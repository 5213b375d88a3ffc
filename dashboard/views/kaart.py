"""Kaart: wijken and buurten coloured by how often they are mentioned or how negative.

A click on an area opens Berichten filtered to that area (query parameter `gebied`).
"""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import streamlit as st

from dashboard import auth, data, map_chart, map_data, ui

auth.page_guard()
path = data.db_path()
end_day = data.last_day(path)
settings = data.config().dashboard

st.title("Kaart")
start, end, _granularity = ui.period_picker("kaart", 90, end_day)
level_names = {"wijk": "Wijken", "buurt": "Buurten", "gemeente": "Gemeenten"}
left, right = st.columns(2)
level = left.radio("Gebieden", list(level_names), format_func=level_names.__getitem__,
                   horizontal=True, key="kaart_level")
measure = right.radio("Kleur", list(map_chart.MEASURES),
                      format_func=map_chart.MEASURES.__getitem__, horizontal=True,
                      key="kaart_measure")

outlines = map_data.outlines(path, (level,))
counts = data.place_counts(path, start, end, (level,))
if not outlines:
    ui.no_data("Er zijn nog geen grenzen van wijken of buurten geladen. Laad ze met "
               "'newsroom places import BESTAND'.")
else:
    rows = map_chart.area_rows(outlines, counts)
    box = map_chart.bbox_of(outlines)
    projection = map_chart.Projection.fit(box, 760, 560)
    context = ([] if level == "gemeente" else
               [{"type": "Feature", "geometry": o.geometry, "properties": {}}
                for o in map_data.outlines(path, ("gemeente",))])
    labels = map_chart.place_labels(rows, map_data.label_points(path, (level,)), projection,
                                    measure)
    tile_rows = (map_chart.tiles(projection, box, settings.base_map_url)
                 if settings.base_map_url else [])
    st.caption("Klik op een gebied om de berichten erover te zien. Grijs: geen berichten in "
               "deze periode." + ("" if level == "gemeente" else " Dikke lijnen: gemeentegrenzen."))
    event = st.altair_chart(
        map_chart.choropleth(rows, context, labels, measure, projection, tile_rows),
        on_select="rerun", selection_mode="gebied", key="kaart_map", width="content",
        alt=f"Kaart van de {level_names[level].lower()}, gekleurd naar "
            f"{map_chart.MEASURES[measure].lower()}",
    )
    chosen = (event.selection.get("gebied") or [{}])[0] if event else {}
    mentioned = {r["cbs_code"]: r["gebied"] for r in rows if r["berichten"]}
    # The same link without a mouse: pick an area from a list (keyboard, screen reader).
    picked = st.selectbox("Of kies een gebied", list(mentioned), index=None,
                          format_func=mentioned.__getitem__, key="kaart_gebied",
                          placeholder="Gebied met berichten")
    code = chosen.get("cbs_code") or picked
    if code in {o.cbs_code for o in outlines}:
        # Forget the choice, or coming back to the Kaart would open Berichten again at once.
        for key in ("kaart_map", "kaart_gebied"):
            st.session_state.pop(key, None)
        st.switch_page("views/berichten.py", query_params={
            "gebied": code, "van": start.isoformat(),
            "tot": (end - timedelta(days=1)).isoformat()})
    credit = map_data.credit(path)
    if tile_rows:
        credit += f" Achtergrondkaart: {settings.base_map_attribution}."
    st.caption(credit)

frame = pd.DataFrame(counts)
if frame.empty:
    ui.no_data("Geen berichten over deze gebieden in deze periode.")
else:
    table = frame[["name", "cbs_code", "n", "n_neg", "n_pos", "share_neg"]]
    table.columns = ["gebied", "CBS-code", "berichten", "negatief", "positief",
                     "aandeel negatief"]
    ui.table_view(table, "kaart", "kaart_table")
