"""The digest's plain-text alternative: the same sentences as the HTML, links written out."""

from __future__ import annotations

from digest.charts import Chart
from digest.figures import DigestFigures
from digest.reach_text import SECTION_TITLE, reach_sentences
from digest.wording import (
    EXPLANATION,
    RANKING_EXPLANATION,
    alert_line,
    change_sentence,
    item_byline,
    item_reasons,
    note_line,
    sentiment_sentences,
    volume_sentence,
    week_title,
)


def render_text(figures: DigestFigures, charts: list[Chart], dashboard_url: str,
                generated: str) -> str:
    """The full plain-text body of one digest."""
    out: list[str] = [f"Weekoverzicht {week_title(figures)}", ""]
    if figures.scope_watches is not None:
        out += [f"Voor je projecten: {', '.join(figures.scope_watches) or '(geen)'}.", ""]

    def section(title: str, lines: list[str]) -> None:
        out.extend([title.upper(), *lines, ""])

    section("Aantal berichten en toon", [
        volume_sentence(figures), *sentiment_sentences(figures),
        *[f"[Grafiek] {chart.alt}" for chart in charts], EXPLANATION,
    ])
    section("Onderwerpen die veranderden",
            [f"- {change_sentence(r)}" for r in figures.topics]
            or ["Geen opvallende veranderingen deze week."])
    section("Je projecten" if figures.scope_watches is not None
            else "Projecten met een opvallende verandering",
            [f"- {change_sentence(r)}" for r in figures.watches]
            or ["Geen project veranderde opvallend deze week."])
    top = []
    for number, ranked in enumerate(figures.top_items, start=1):
        day = figures.week.day_of(ranked.item.time)
        top += [f"{number}. {ranked.item.title or '(zonder titel)'}",
                f"   {item_byline(ranked, day)} — {item_reasons(ranked)}",
                f"   {ranked.item.url}"]
    section("De vijf belangrijkste berichten",
            [*(top or ["Er waren deze week geen berichten."]), RANKING_EXPLANATION])
    section("Pieken en meldingen",
            [f"- {alert_line(a, figures.week.day_of(a.created))}" for a in figures.alerts]
            or ["Er waren deze week geen pieken of meldingen."])
    if figures.scope_watches is None:
        section(SECTION_TITLE, reach_sentences(figures.reach))
    section("Duiding van de adviseurs",
            [f"- {note_line(n)} ({n.url})" for n in figures.notes]
            or ["Er zijn deze week geen notities geschreven."])
    out += [f"Meer details staan in het dashboard: {dashboard_url}", generated]
    return "\n".join(out) + "\n"
