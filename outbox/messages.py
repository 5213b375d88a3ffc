"""Dutch alert messages in plain words (B1): what happened, the figure, and what is normal."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from storage.alerts import Alert

DEFAULT_TIMEZONE = "Europe/Amsterdam"


def topic_words(key: str) -> str:
    """A topic key in words: 'verkeer-en-parkeren' -> 'verkeer en parkeren' (no slugs)."""
    return key.replace("-", " ").replace("_", " ")


def subject_words(scope_type: str, scope_key: str) -> str:
    """'verkeer en parkeren', 'het project "Spuiboulevard"', or '' for everything."""
    if scope_type == "topic":
        return topic_words(scope_key)
    if scope_type == "watch":
        return f'het project "{scope_key}"'
    return ""


def scope_phrase(alert: Alert) -> str:
    """' over verkeer en parkeren', ' over het project "Spuiboulevard"' or '' for everything."""
    words = subject_words(alert.scope_type, alert.scope_key)
    return f" over {words}" if words else ""


def local_since(start: datetime, end: datetime, timezone: str) -> str:
    """When a window began, in local words: 'gisteren 11:00' or 'vandaag 08:00'."""
    zone = ZoneInfo(timezone)
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    clock = f"{local_start:%H:%M}"
    if local_start.date() == local_end.date():
        return f"vandaag {clock}"
    if local_start.date() == (local_end - timedelta(days=1)).date():
        return f"gisteren {clock}"
    return f"{local_start:%d-%m} {clock}"


def incident_message(alert: Alert) -> str:
    """One incident in plain Dutch: the figure, since when (local time), and what is normal.

    E.g. '62 berichten over verkeer en parkeren in Binnenstad sinds gisteren 11:00; normaal
    zijn dat er ongeveer 8. 40 daarvan zijn negatief (normaal ongeveer 1).'
    """
    figures = alert.figures
    since = local_since(alert.window_start, alert.window_end,
                        str(figures.get("timezone") or DEFAULT_TIMEZONE))
    place = f" in {figures['place']}" if figures.get("place") else ""
    about = scope_phrase(alert) + place
    negative = figures.get("negative_count")
    if alert.kind == "negative_spike" and "negative_count" in figures and any(
        m["kind"] == "volume_spike" and m["scope_type"] == alert.scope_type
        and m["scope_key"] == alert.scope_key for m in figures.get("members", [])
    ):
        text = (f"{figures['count']} berichten{about} sinds {since}; normaal zijn dat er "
                f"{_round_normal(float(figures['baseline_median']))}. {negative} daarvan zijn "
                f"negatief (normaal {_round_normal(float(figures['negative_median']))}).")
    elif alert.kind == "negative_spike":
        count = negative if negative is not None else figures["count"]
        normal = float(figures.get("negative_median", figures["baseline_median"]))
        text = (f"{count} negatieve berichten{about} sinds {since}; normaal zijn dat er "
                f"{_round_normal(normal)}.")
    else:
        text = (f"{figures['count']} berichten{about} sinds {since}; normaal zijn dat er "
                f"{_round_normal(float(figures['baseline_median']))}.")
    others = sorted({subject_words(m["scope_type"], m["scope_key"]) or "alle berichten samen"
                     for m in figures.get("members", [])
                     if (m["scope_type"], m["scope_key"]) != (alert.scope_type, alert.scope_key)})
    if others:
        text += " Dit zie je ook bij: " + ", ".join(others) + "."
    return text


def spike_message(alert: Alert) -> str:
    """E.g. 'Veel meer negatieve berichten over de watch "X" dan normaal: 14 in 24 uur …'."""
    figures = alert.figures
    what = "negatieve berichten" if alert.kind == "negative_spike" else "berichten"
    normal = _round_normal(float(figures["baseline_median"]))
    return (
        f"Veel meer {what}{scope_phrase(alert)} dan normaal: {figures['count']} in de "
        f"laatste {figures['window_hours']} uur. Normaal zijn het er {normal} per dag "
        f"(de middelste waarde van de {figures['baseline_days']} dagen ervoor)."
    )


def _round_normal(median: float) -> str:
    if median == 0:
        return "bijna geen"
    if median == int(median):
        return f"ongeveer {int(median)}"
    return f"ongeveer {median:.1f}".replace(".", ",")


def source_message(alert: Alert) -> str:
    """Why a source needs attention, and what to check."""
    name = alert.figures.get("source_name") or alert.scope_key
    if alert.kind == "silent_source":
        hours = float(alert.figures["silent_hours"])
        return (
            f'De bron "{name}" heeft al {hours:.0f} uur geen nieuwe berichten '
            f"(de grens is {alert.figures['limit_hours']} uur). Kijk of de bron nog werkt."
        )
    return (
        f'Het ophalen van de bron "{name}" is {alert.figures["consecutive_failures"]} keer '
        "achter elkaar mislukt. Kijk naar de bron of de instellingen."
    )


KIND_TITLES = {
    "volume_spike": "Veel berichten",
    "negative_spike": "Veel negatieve berichten",
    "silent_source": "Bron is stil",
    "failing_source": "Bron geeft fouten",
}


def alert_title(alert: Alert) -> str:
    """A short Dutch title, e.g. 'Veel negatieve berichten over verkeer en parkeren'."""
    title = KIND_TITLES.get(alert.kind, alert.kind)
    if alert.scope_type == "source":
        return f"{title}: {alert.figures.get('source_name') or alert.scope_key}"
    return title + (scope_phrase(alert) or " (alle berichten samen)")
