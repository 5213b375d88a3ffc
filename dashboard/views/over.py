"""Over deze monitor: what is collected, from where, how sentiment is scored and how well,
the limits, how long things are kept, and how to ask for erasure — for every role.

Everything that comes from configuration or the store is shown as plain text (st.text,
tables); only the fixed explanations written here use Markdown.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import auth, data, ui

auth.page_guard()
path = data.db_path()
config = data.config()

STORES = {
    "social": "berichten van sociale media", "news": "nieuwsberichten",
    "official": "gemeentelijke berichten", "alerts": "signaleringen met voorbeeldberichten",
    "digests": "weekoverzichten en voorbeelden", "logs": "ophaal- en taaklogboek",
    "backups": "back-ups", "audit": "auditlog",
}

st.title("Over deze monitor")
st.markdown(
    "Deze monitor volgt wat er **publiek** over de gemeente wordt geschreven: lokaal nieuws, "
    "berichten van de gemeente zelf en openbare berichten op sociale media. Hij volgt "
    "onderwerpen en de toon, **geen personen**."
)

st.header("Wat we verzamelen en waarvandaan")
sources = [s for s in config.sources if s.enabled]
if sources:
    ui.table(pd.DataFrame([
        {"bron": s.name, "soort": ui.KIND_NAMES.get(s.kind, s.kind), "type": s.type,
         "adres": s.url} for s in sources]), hide_index=True, width="stretch")
else:
    st.text("Er zijn nog geen bronnen ingesteld.")
st.markdown(
    "- Van een bericht op sociale media bewaren we de tekst, de tijd en een link naar het "
    "bericht, **zonder** gebruikersnaam. De schrijver wordt een code (pseudoniem) die niet "
    "terug te rekenen is naar de persoon.\n"
    "- Vermeldingen (@naam) worden `@gebruiker`. Herkende namen van privépersonen worden "
    "`[naam]`. Namen van ambtsdragers die de gemeente heeft opgegeven blijven leesbaar.\n"
    "- Een naam die we niet herkennen (bijvoorbeeld alleen een achternaam) blijft staan."
)
figures = config.privacy.public_figures
st.text(f"Opgegeven ambtsdragers: {', '.join(figures) if figures else 'geen'}")

st.header("Hoe de toon wordt bepaald, en hoe goed")
st.markdown(
    "Een taalmodel voor het Nederlands geeft elke zin en elk bericht een toon: negatief, "
    "neutraal of positief. Bij elke score staat welk model en welke versie hem maakte. "
    "Adviseurs kunnen een toon corrigeren; dat wordt vastgelegd."
)
used = data.models_in_store(path)
names = list(dict.fromkeys([name for name, _, _ in used] + [config.model.name]))
if used:
    ui.table(pd.DataFrame([{"model": n, "versie": v, "berichten": c} for n, v, c in used]),
                 hide_index=True, width="stretch")
for name in names:
    quality = data.model_quality(name)
    if quality is None:
        continue
    st.text(f"Gemeten kwaliteit van {name} (uit de model card; test in het Engels):")
    ui.table(pd.DataFrame(quality["rows"], columns=["test", "macro-F1", "nauwkeurigheid"]),
                 hide_index=True, width="stretch")
    for limit in quality["limits"]:
        st.text(f"Beperking: {limit}")

st.header("Grenzen")
st.markdown(
    "- De toon is een inschatting. De tabel hierboven laat zien hoe vaak het model goed zit, "
    "per soort tekst: op tekst die lijkt op de trainingsdata beter dan op andere tekst. "
    "Kijk naar trends, niet naar één bericht.\n"
    "- Ironie en sarcasme worden vaak verkeerd gelezen.\n"
    "- We zien alleen de bronnen hierboven; wat elders gezegd wordt ontbreekt."
)

st.header("Hoe lang we bewaren")
ui.table(pd.DataFrame([
    {"gegevens": label,
     "bewaartermijn": (f"{config.retention.days_for(store)} dagen"
                       if config.retention.days_for(store) > 0 else "onbeperkt")}
    for store, label in STORES.items()]), hide_index=True, width="stretch")

st.header("Verwijdering of inzage aanvragen")
st.markdown(
    "Wil je dat een bericht, alles van één schrijver of een hele bron wordt verwijderd? "
    "Neem contact op. De beheerder verwijdert het met alle afgeleide gegevens, ook uit "
    "back-ups, en legt vast wie dat deed en waarom."
)
st.text(f"Contact: {config.privacy.contact or 'de beheerder van deze monitor'}")
