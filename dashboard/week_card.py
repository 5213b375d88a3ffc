"""Overzicht's "Deze week" card: the week in a few plain Dutch sentences (B1, je-form).

The figures come from `storage.week_summary` (live, so the card is full as soon as the
documents are scored); this module only words them. Every number says what it counts and
what it is compared with; times are local (the configured time zone).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import streamlit as st

from core.timeutil import from_iso
from dashboard import data, ui
from storage.week_summary import WeekFigures, week_figures

DAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")
KIND_WORDS = {"volume_spike": "veel meer berichten dan normaal",
              "negative_spike": "veel meer negatieve berichten dan normaal",
              "silent_source": "een bron die stil is gevallen",
              "failing_source": "een bron die niet meer werkt"}


def day_text(day: date) -> str:
    return f"{DAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]}"


def local_time_text(value: str, tz: ZoneInfo) -> str:
    moment = from_iso(value)
    if moment is None:
        return ""
    local = moment.astimezone(tz)
    return f"{day_text(local.date())} om {local:%H:%M}"


def _change(now: int, before: int) -> str:
    if before == 0:
        return "vorige week in dezelfde dagen waren er nog geen" if now else "net als vorige week"
    diff = now - before
    if diff == 0:
        return f"evenveel als in dezelfde dagen vorige week ({before})"
    word = "meer" if diff > 0 else "minder"
    percent = round(abs(diff) / before * 100)
    return (f"{abs(diff)} {word} dan in dezelfde dagen vorige week ({before}); "
            f"dat is {percent}% {word}")


def sentences(fig: WeekFigures, tz: ZoneInfo) -> list[str]:
    """The card's lines, in the order an adviser reads them."""
    period = (f"Deze week (maandag {fig.week_start.day} {MONTHS[fig.week_start.month - 1]} "
              f"tot en met {day_text(fig.today)})")
    lines = [f"{period}: {fig.n_now} berichten. Dat is {_change(fig.n_now, fig.n_before)}."]
    if fig.share_now is None:
        lines.append("Van deze week is nog geen bericht op sentiment beoordeeld.")
    else:
        text = (f"{round(fig.share_now * 100)}% van de beoordeelde berichten is negatief "
                f"({fig.neg_now} van {fig.scored_now}).")
        if fig.share_before is not None:
            points = round((fig.share_now - fig.share_before) * 100)
            trend = ("evenveel als" if points == 0 else
                     f"{abs(points)} procentpunt {'hoger' if points > 0 else 'lager'} dan")
            text += (f" Dat is {trend} vorige week ({round(fig.share_before * 100)}%; een "
                     "procentpunt is het verschil tussen twee percentages).")
        lines.append(text)
    if fig.incident:
        incident = fig.incident
        what = KIND_WORDS.get(incident["kind"], "een opvallende verandering")
        lines.append(
            f"Grootste melding: {what}, met op het hoogste punt {incident['peak_count']} "
            f"berichten (begonnen {local_time_text(incident['opened'], tz)}). "
            f"{incident['message']}".strip())
    else:
        lines.append("Deze week waren er geen meldingen.")
    if fig.story:
        story = fig.story
        lines.append(
            f"Het verhaal dat het meest groeide: \u201c{story['title']}\u201d, met "
            f"{story['n_now']} berichten bij {story['outlets']} "
            f"{'bron' if story['outlets'] == 1 else 'bronnen'} "
            f"(vorige week in dezelfde dagen {story['n_before']}).")
    risers = [t for t in fig.topics if t["n_now"] > t["n_before"]][:2]
    fallers = [t for t in fig.topics if t["n_now"] < t["n_before"]][:1]
    if risers or fallers:
        parts = [f"meer over {_topic(t['topic'])} ({t['n_before']} \u2192 {t['n_now']})"
                 for t in risers]
        parts += [f"minder over {_topic(t['topic'])} ({t['n_before']} \u2192 {t['n_now']})"
                  for t in fallers]
        lines.append("Wat veranderde sinds vorige week: " + "; ".join(parts)
                     + " (berichten in dezelfde dagen).")
    return lines


def _topic(slug: str) -> str:
    return slug.replace("-", " ")


@data.cached
def _figures(path: str, today: date, timezone: str) -> WeekFigures:
    return week_figures(data.connection(path), today, ZoneInfo(timezone))


def show(path: str) -> None:
    """The card itself: a bordered box with the sentences as plain text (never markdown)."""
    timezone = data.config().schedule.timezone
    tz = ZoneInfo(timezone)
    now = datetime.now(tz)
    fig = _figures(path, now.date(), timezone)
    with st.container(border=True, key="deze_week"):
        st.header("Deze week in het kort")
        for line in sentences(fig, tz):
            ui.safe_text(line)  # story titles and alert texts come from outside: plain text
        st.caption(f"Bijgewerkt {day_text(now.date())} om {now:%H:%M} (Nederlandse tijd). "
                   "Telt alle berichten tot nu toe, ook die nog niet in de grafieken staan.")
