"""What a crawl error code means and how to fix it, in Dutch, for people who run newsroom.

The crawlers record short codes (`http_404`, `missing_pseudonym_key`) because they are
stable to count and filter on; a code alone leaves the reader guessing, so the CLI and
dashboard show it together with the text from here.
"""

from __future__ import annotations

FIXES: dict[str, str] = {
    "missing_pseudonym_key": (
        "de geheime sleutel voor schuilnamen ontbreekt, dus sociale berichten zijn niet "
        "opgehaald. Zet de omgevingsvariabele NEWSROOM_PSEUDONYM_KEY (of de naam in "
        "[privacy] pseudonym_key_env) op een lange willekeurige tekst, bijvoorbeeld de "
        "uitvoer van: python -c 'import secrets; print(secrets.token_hex(32))'"
    ),
    "timeout": "de site antwoordde niet op tijd. Probeer het later opnieuw of verhoog "
               "[crawl] timeout_seconds.",
    "dns_error": "de naam van de site is niet gevonden. Controleer de url in [[sources]].",
    "too_large": "de pagina is groter dan toegestaan; verhoog [crawl] download_max_bytes of kies "
                 "een kleinere feed.",
    "robots_disallowed": "de site verbiedt ophalen in robots.txt; we slaan deze pagina's over.",
    "private_address": "de url wijst naar een intern netwerkadres; dat halen we niet op.",
    "scheme_not_allowed": "alleen http- en https-links worden opgehaald.",
    "feed_not_well_formed": "de feed is geen geldige RSS/Atom; controleer de url of meld het "
                            "bij de uitgever.",
    "malformed_feed": "de feed is geen geldige RSS/Atom; controleer de url.",
    "malformed_sitemap": "de sitemap is geen geldige XML; controleer de url.",
    "not_html": "de url geeft geen webpagina terug; controleer type en url in [[sources]].",
    "bad_source_options": "de instellingen van deze bron in newsroom.toml kloppen niet; "
                          "zie de foutmelding in het log.",
    "item_cap_reached": "er waren meer berichten dan [crawl] max_items_per_source; de rest "
                        "komt bij de volgende crawl.",
    "no_article_text": "op de pagina is geen artikeltekst gevonden; stel zo nodig een "
                       "selector in voor deze bron.",
}

HTTP_FIXES: dict[int, str] = {
    401: "de site vraagt om inloggen; deze bron is zo niet op te halen.",
    403: "de site weigert ons; vraag de uitgever om toegang of zet de bron uit.",
    404: "de pagina bestaat niet (meer); controleer de url in [[sources]].",
    410: "de pagina is weggehaald; pas de url aan of zet de bron uit.",
    429: "te veel verzoeken; crawl deze bron minder vaak (interval in [[sources]]).",
}


def explain(code: str) -> str | None:
    """The Dutch explanation with the fix for a crawl error code, or None when unknown."""
    if code in FIXES:
        return FIXES[code]
    if code.startswith("http_") and code[5:].isdigit():
        status = int(code[5:])
        if status in HTTP_FIXES:
            return HTTP_FIXES[status]
        if status >= 500:
            return "de site heeft een storing aan haar kant; het volgende ophalen probeert opnieuw."
        if status >= 400:
            return f"de site gaf foutcode {status}; controleer de url in [[sources]]."
    return None
