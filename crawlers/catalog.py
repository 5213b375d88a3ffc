"""Every source type with its options, in words for the person who edits newsroom.toml.

`newsroom sources types` prints this; a test keeps it in step with `SourceType` and the
spiders, so a new type cannot ship undocumented.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SourceTypeInfo:
    name: str
    summary: str
    url: str
    """What the source's `url` must point at."""
    options: tuple[tuple[str, str], ...] = ()


_COMMON = (("fictional", "true markeert alles van deze bron als fictief (demo)"),)
_SOCIAL = (
    ("limit", "berichten per pagina"),
    ("max_pages", "hoeveel pagina's per crawl (standaard 3)"),
    *_COMMON,
)
_API = (
    ("since_days", "alleen stukken van de laatste N dagen (standaard 30)"),
    ("max_pages", "hoeveel pagina's per crawl (standaard 3)"),
    ("delay_seconds", "pauze tussen twee verzoeken aan de API (standaard 1)"),
    *_COMMON,
)

SOURCE_TYPES: tuple[SourceTypeInfo, ...] = (
    SourceTypeInfo("rss", "RSS- of Atom-feed (herkent ook JSON Feed); artikelpagina's vullen "
                   "de tekst aan", "de feed", _COMMON),
    SourceTypeInfo("jsonfeed", "JSON Feed 1.1 (jsonfeed.org)", "de feed (.json)", _COMMON),
    SourceTypeInfo("sitemap", "sitemap.xml of sitemap-index van een nieuwssite", "de sitemap",
                   (("allow", "reguliere expressie: alleen URL's die hierop passen"),
                    *_COMMON)),
    SourceTypeInfo("listing", "overzichtspagina met links naar berichten", "de pagina",
                   (("link_selector", "CSS-selector voor de links (standaard a)"),
                    ("allow", "reguliere expressie: alleen URL's die hierop passen"),
                    *_COMMON)),
    SourceTypeInfo("officielebekendmakingen", "officiële bekendmakingen (gemeenteblad, "
                   "staatscourant) via de SRU-zoekdienst van KOOP",
                   "https://repository.overheid.nl/sru",
                   (("creator", "naam van de gemeente, bijvoorbeeld \"Dordrecht\" (verplicht)"),
                    ("document_types", "lijst van soorten, bijvoorbeeld [\"Bekendmaking\"]"),
                    ("max_records", "records per pagina (standaard 50, max 1000)"),
                    ("fetch_text", "false: alleen titel en samenvatting, geen pagina ophalen"),
                    *_API)),
    SourceTypeInfo("openraadsinformatie", "raadsstukken (vergaderingen, agendapunten, moties, "
                   "documenten) via Open Raadsinformatie",
                   "https://api.openraadsinformatie.nl/v1/elastic",
                   (("index", "index van de gemeente, bijvoorbeeld \"ori_dordrecht_*\" "
                              "(verplicht)"),
                    ("types", "lijst: Meeting, AgendaItem, Motion, MediaObject (standaard "
                              "alle vier)"),
                    ("query", "zoekwoorden (optioneel)"),
                    ("size", "records per pagina (standaard 50, max 100)"),
                    *_API)),
    SourceTypeInfo("mastodon", "Mastodon: hashtag of account", "de instance, bijvoorbeeld "
                   "https://mastodon.social",
                   (("tag", "hashtag zonder #"), ("account_id", "numeriek account-id"),
                    *_SOCIAL)),
    SourceTypeInfo("bluesky", "Bluesky: zoeken in berichten of de feed van één account",
                   "https://bsky.social",
                   (("query", "zoekwoorden"), ("actor", "handle of DID van een account"),
                    ("lang", "taalcode voor het zoeken, bijvoorbeeld nl"),
                    ("identifier", "het account waarmee newsroom inlogt"),
                    ("password_env", "naam van de omgevingsvariabele met het app-wachtwoord"),
                    *_SOCIAL)),
    SourceTypeInfo("reddit", "Reddit: nieuwe berichten in een subreddit (OAuth, alleen lezen)",
                   "https://oauth.reddit.com",
                   (("subreddit", "naam zonder r/"),
                    ("client_id_env", "omgevingsvariabele met de client-id van je Reddit-app"),
                    ("client_secret_env", "omgevingsvariabele met het client-secret"),
                    ("auth_url", "token-adres (standaard "
                                 "https://www.reddit.com/api/v1/access_token)"),
                    *_SOCIAL)),
    SourceTypeInfo("youtube", "YouTube: video's van een kanaal of zoekopdracht, met reacties",
                   "https://www.googleapis.com/youtube/v3",
                   (("channel_id", "kanaal-id (UC…)"), ("query", "zoekwoorden"),
                    ("key_env", "omgevingsvariabele met de API-sleutel"),
                    ("comments", "false: geen reacties ophalen"),
                    ("comment_limit", "reacties per video (standaard 50, max 100)"),
                    *_SOCIAL)),
)


def type_info(name: str) -> SourceTypeInfo | None:
    return next((info for info in SOURCE_TYPES if info.name == name), None)
