"""Dutch alert messages in plain words (B1): what happened, the figure, and what is normal."""

from __future__ import annotations

from storage.alerts import Alert


def scope_phrase(alert: Alert) -> str:
    """'over het onderwerp "verkeer"', 'over de watch "Spuiboulevard"' or '' for everything."""
    if alert.scope_type == "topic":
        return f' over het onderwerp "{alert.scope_key}"'
    if alert.scope_type == "watch":
        return f' over de watch "{alert.scope_key}"'
    return ""


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
    "volume_spike": "Piek in aantal berichten",
    "negative_spike": "Piek in negatieve berichten",
    "silent_source": "Bron is stil",
    "failing_source": "Bron geeft fouten",
}


def alert_title(alert: Alert) -> str:
    """A short Dutch title for an alert, e.g. 'Piek in negatieve berichten: verkeer'."""
    title = KIND_TITLES.get(alert.kind, alert.kind)
    return title if alert.scope_type == "overall" else f"{title}: {alert.scope_key}"
