"""Algoritmeregister entry and DPIA starting point, generated from the running configuration,
the store and the model card.

A privacy officer must be able to publish what the monitor does without reading code. Every
fact here comes from what is actually configured (sources, kinds, retention, users, mail
recipients) or measured (the model card's figures, the models that scored the stored
documents), so the text cannot drift from the installation. What only the organisation can
decide (legal basis, contact, DPO advice) is left as a marked gap to fill in.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from core.config import RETENTION_STORES, Config
from newsroom import __version__
from nlp.models.card import model_figures
from nlp.sentiment.adapter_file import FINETUNED_NAME
from storage.db import Database
from storage.scores import models_in_use

KIND_NAMES = {"news": "nieuws", "social": "sociale media", "official": "gemeentelijke berichten"}
ROLE_NAMES = {"adviser": "adviseur", "project_lead": "projectleider", "management": "management"}
ROLE_RIGHTS = {
    "management": "ziet alles, verandert niets; ziet het auditlog",
    "adviser": "ziet alles, corrigeert sentiment, voegt labels en notities toe, beheert projecten",
    "project_lead": "ziet en beheert alleen de eigen projecten; labels en notities",
}
STORE_NAMES = {
    "social": "berichten van sociale media",
    "news": "nieuwsberichten",
    "official": "gemeentelijke berichten",
    "alerts": "signaleringen met voorbeeldberichten",
    "digests": "verstuurde weekoverzichten en voorbeelden",
    "logs": "ophaal- en taaklogboek",
    "backups": "back-ups",
    "audit": "auditlog",
}
TO_FILL = "**[in te vullen door de organisatie]**"
LICENCE = "EUPL-1.2 (open source)"


def register_markdown(config: Config, db: Database) -> str:
    """The Algoritmeregister entry (Dutch, the register's standard fields) as Markdown."""
    contact = config.privacy.contact or TO_FILL
    lines = [
        "# Algoritmeregister: newsroom mediamonitor",
        "",
        "## Naam",
        f"newsroom mediamonitor, versie {__version__}.",
        "",
        "## Doel",
        "De gemeente volgt wat er publiek over haar beleid en projecten wordt geschreven in "
        "lokaal nieuws, gemeentelijke berichten en openbare berichten op sociale media. Het "
        "doel is verschijnselen te zien (onderwerpen, toon, pieken), niet personen te volgen.",
        "",
        "## Impact",
        "De monitor neemt geen besluiten over burgers. Communicatieadviseurs gebruiken de "
        "uitkomsten om sneller te zien waar onrust of vragen ontstaan. Een fout in de "
        "toonbepaling kan een beeld te negatief of te positief maken; daarom tonen alle "
        "schermen de onderliggende berichten en kan een adviseur de toon corrigeren.",
        "",
        "## Menselijke tussenkomst",
        "Elke signalering en elk weekoverzicht wordt door mensen gelezen en beoordeeld. "
        "Adviseurs corrigeren de toon van een bericht; correcties worden vastgelegd met wie en "
        "wanneer. Er gaat niets automatisch naar burgers.",
        "",
        "## Risico's",
        "- Toonbepaling is niet foutloos (zie Werking); trends zeggen meer dan één bericht.",
        "- Berichten van burgers zijn persoonsgegevens: auteurs worden gepseudonimiseerd, "
        "namen van privépersonen in berichten worden gemaskeerd, bewaartermijnen zijn kort.",
        "- Oneigenlijk gebruik (personen volgen) wordt tegengegaan met rollen, een auditlog en "
        "doordat handles en profielen niet worden opgeslagen.",
        "",
        "## Gegevensbronnen",
        *_source_lines(config),
        "",
        "## Werking",
        *_model_lines(config, db),
        "",
        "### Pseudonimisering en maskering",
        *_privacy_lines(config),
        "",
        "### Bewaartermijnen",
        *_retention_lines(config),
        "",
        "### Wie ziet wat",
        *_role_lines(config),
        "",
        "## Leverancier en licentie",
        f"Open-source software newsroom, licentie {LICENCE}. Beheer en hosting: {TO_FILL}.",
        "",
        "## Contact",
        f"{contact}. Verzoeken om inzage of verwijdering worden uitgevoerd met "
        "`newsroom erase` en vastgelegd in het auditlog.",
        "",
    ]
    return "\n".join(lines)


def dpia_markdown(config: Config, db: Database) -> str:
    """A DPIA starting point (processing register record) that a privacy officer completes."""
    lines = [
        "# DPIA (startpunt): newsroom mediamonitor",
        "",
        "Dit document is gemaakt uit de configuratie van deze installatie. Vul de gemarkeerde "
        "punten aan en laat het beoordelen door de functionaris gegevensbescherming.",
        "",
        "## Verwerkingsdoel",
        "Volgen van publieke berichtgeving over gemeentelijk beleid en projecten "
        "(verschijnselen, geen personen).",
        "",
        "## Rechtsgrond (AVG art. 6)",
        f"{TO_FILL} (bijvoorbeeld: taak van algemeen belang, art. 6 lid 1 sub e).",
        "",
        "## Categorieën betrokkenen en gegevens",
        "- Auteurs van openbare berichten op sociale media: alleen een pseudoniem (HMAC met "
        "een geheime sleutel); geen handle, naam, profiel of profielfoto.",
        "- Personen die in berichten genoemd worden: vermeldingen (@naam) worden "
        "@gebruiker, herkende namen van privépersonen worden [naam].",
        "- Journalisten: naam als auteur van een nieuwsbericht (openbare bron).",
        "- Medewerkers: gebruikersnaam, rol, inlogmomenten en handelingen (auditlog).",
        "",
        "## Bronnen",
        *_source_lines(config),
        "",
        "## Bewaartermijnen",
        *_retention_lines(config),
        "",
        "## Ontvangers",
        *_role_lines(config),
        f"- Weekoverzicht per e-mail aan {len(config.mail.recipients)} ontvanger(s).",
        "",
        "## Maatregelen",
        "- Pseudonimisering bij binnenkomst; handles nooit opgeslagen (ook niet in links).",
        "- Rollen en inloggen; auditlog van inloggen, exports, correcties, projecten, "
        "verwijderingen en verzonden overzichten (alleen toevoegen, niet wijzigen).",
        "- Verwijderen op verzoek (`newsroom erase`), inclusief afgeleide gegevens en "
        "back-ups.",
        "- Bewaartermijnen per opslag, dagelijks toegepast.",
        f"- Overige technische en organisatorische maatregelen (BIO): {TO_FILL}",
        "",
        "## Risico's voor betrokkenen en afweging",
        f"{TO_FILL}",
        "",
    ]
    return "\n".join(lines)


def _source_lines(config: Config) -> list[str]:
    enabled = [s for s in config.sources if s.enabled]
    if not enabled:
        return ["- Er zijn nog geen bronnen ingesteld."]
    kinds = Counter(s.kind for s in enabled)
    lines = [f"- {KIND_NAMES.get(kind, kind)}: {count} bron(nen)" for kind, count in
             sorted(kinds.items())]
    lines += [f"  - {s.name} ({s.type}, {KIND_NAMES.get(s.kind, s.kind)}): {s.url}"
              for s in enabled]
    return lines


def _model_lines(config: Config, db: Database) -> list[str]:
    lines = [
        "Elke zin en elk bericht krijgt een toon (negatief, neutraal of positief) met "
        "kansen, van een taalmodel voor het Nederlands. Onderwerpen en plaatsen worden met "
        "woordenlijsten bepaald. Elke opgeslagen score noemt het model en de versie.",
        f"Ingesteld: backend `{config.model.backend}`, model `{config.model.name}`.",
    ]
    used = models_in_use(db)
    if used:
        lines.append("In gebruik voor opgeslagen berichten:")
        lines += [f"- `{name}` versie `{version}`: {count} berichten" for name, version, count
                  in used]
    configured = [config.model.name] if config.model.backend != "embedded" else []
    if config.model.backend in ("auto", "embedded"):
        configured.append(FINETUNED_NAME)  # the offline default `auto` falls back to
    names = _unique([name for name, _, _ in used] + configured)
    for name in names:
        lines += _figure_lines(name)
    return lines


def _figure_lines(name: str) -> list[str]:
    figures = model_figures(name)
    if figures is None:
        return ["", f"Voor `{name}` staan geen meetresultaten in de model card."]
    lines = ["", f"Gemeten kwaliteit van `{name}` (uit de model card, per domein):"]
    if figures.rows:
        lines += ["", "| test (Engels, uit de model card) | macro-F1 | nauwkeurigheid |",
                  "| --- | ---: | ---: |"]
        lines += [f"| {test} | {f1} | {acc} |" for test, f1, acc in figures.rows]
    if figures.limits:
        lines += ["", "Bekende beperkingen (uit de model card):"]
        lines += [f"- {limit}" for limit in figures.limits]
    return lines


def _privacy_lines(config: Config) -> list[str]:
    figures = len(config.privacy.public_figures)
    return [
        "- Auteurs van sociale-mediaberichten worden een pseudoniem (HMAC-SHA256 met een "
        "geheime sleutel); handle, naam en profiel worden niet opgeslagen, ook niet in "
        "links of kenmerken.",
        "- Vermeldingen (@naam) worden @gebruiker; herkende namen van privépersonen worden "
        f"[naam]. {figures} ambtsdrager(s) in `privacy.public_figures` blijven leesbaar.",
    ]


def _retention_lines(config: Config) -> list[str]:
    lines = []
    for store in ("social", "news", "official", *RETENTION_STORES):
        days = config.retention.days_for(store)
        limit = f"{days} dagen" if days > 0 else "onbeperkt"
        lines.append(f"- {STORE_NAMES[store]}: {limit}")
    return lines


def _role_lines(config: Config) -> list[str]:
    roles = Counter(user.role for user in config.dashboard.users)
    lines = [f"- {ROLE_NAMES.get(role, role)} ({count} gebruiker(s)): "
             f"{ROLE_RIGHTS.get(role, '')}" for role, count in sorted(roles.items())]
    return lines or ["- Nog geen dashboardgebruikers ingesteld."]


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))
