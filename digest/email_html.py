"""The digest as Outlook-safe HTML: nested tables, inline styles, no classes, no scripts.

Everything that comes from storage (titles, notes, names, URLs) is untrusted scraped or
typed text and goes through `esc`; links are only made for http(s) URLs.
"""

from __future__ import annotations

import html

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

FONT = "font-family:Arial,Helvetica,sans-serif;color:#222222;"
P = f"{FONT}font-size:15px;line-height:22px;margin:0 0 10px 0;"
H2 = f"{FONT}font-size:18px;line-height:24px;margin:22px 0 8px 0;color:#1a3c6e;"
SMALL = f"{FONT}font-size:12px;line-height:18px;color:#666666;margin:0 0 8px 0;"
LINK = "color:#0b5394;text-decoration:underline;"
TD = f"{FONT}font-size:14px;line-height:20px;padding:6px 8px;border-bottom:1px solid #dddddd;"
WIDTH = 640


def esc(text: object) -> str:
    """HTML-escape any value, quotes included (safe in text and in attributes)."""
    return html.escape(str(text), quote=True)


def safe_href(url: str) -> str | None:
    """The URL if it is http(s), else None: no javascript: or data: links from scraped text."""
    stripped = url.strip()
    return stripped if stripped.lower().startswith(("http://", "https://")) else None


def link(url: str, text: str) -> str:
    href = safe_href(url)
    if href is None:
        return esc(text)
    return f'<a href="{esc(href)}" style="{LINK}">{esc(text)}</a>'


def _p(text: str, style: str = P) -> str:
    return f'<p style="{style}">{esc(text)}</p>'


def _h2(text: str) -> str:
    return f'<h2 style="{H2}">{esc(text)}</h2>'


def _img(chart: Chart) -> str:
    return (f'<img src="cid:{esc(chart.cid)}" alt="{esc(chart.alt)}" width="600" '
            f'style="display:block;width:100%;max-width:600px;height:auto;border:0;" />')


def render_html(figures: DigestFigures, charts: list[Chart], dashboard_url: str,
                generated: str) -> str:
    """The full HTML document of one digest."""
    blocks = [
        f'<h1 style="{FONT}font-size:22px;line-height:28px;margin:0 0 12px 0;">'
        f"Weekoverzicht {esc(week_title(figures))}</h1>",
        _p(_greeting(figures)),
        _h2("Aantal berichten en toon"),
        _p(volume_sentence(figures)),
        *[_p(sentence) for sentence in sentiment_sentences(figures)],
        *[_img(chart) for chart in charts],
        _p(EXPLANATION, SMALL),
        _h2("Onderwerpen die veranderden"),
        _change_table(figures, "topics"),
        _h2("Je projecten" if figures.scope_watches is not None
            else "Projecten met een opvallende verandering"),
        _change_table(figures, "watches"),
        _h2("De vijf belangrijkste berichten"),
        _top_items(figures),
        _p(RANKING_EXPLANATION, SMALL),
        _h2("Pieken en meldingen"),
        _alerts(figures),
        *([_h2(SECTION_TITLE), *[_p(line) for line in reach_sentences(figures.reach)]]
          if figures.scope_watches is None else []),
        _h2("Duiding van de adviseurs"),
        _notes(figures),
        f'<p style="{SMALL}">Meer details staan in het {link(dashboard_url, "dashboard")}: '
        f"{esc(dashboard_url)}</p>",
        _p(generated, SMALL),
    ]
    body = "\n".join(blocks)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="nl"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Weekoverzicht {esc(figures.week.label)}</title></head>\n"
        '<body style="margin:0;padding:0;background-color:#f3f3f3;">\n'
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" '
        'style="background-color:#f3f3f3;"><tr><td align="center" style="padding:16px 8px;">\n'
        f'<table role="presentation" width="{WIDTH}" cellpadding="0" cellspacing="0" border="0" '
        f'style="width:{WIDTH}px;max-width:{WIDTH}px;background-color:#ffffff;">'
        f'<tr><td style="padding:20px 24px;">\n{body}\n</td></tr></table>\n'
        "</td></tr></table>\n</body></html>\n"
    )


def _greeting(figures: DigestFigures) -> str:
    name = figures.recipient.name if figures.recipient and figures.recipient.name else ""
    hello = f"Beste {name}," if name else "Goedemorgen,"
    if figures.scope_watches is not None:
        watches = ", ".join(figures.scope_watches) or "(geen)"
        return f"{hello} dit is het overzicht van vorige week voor je projecten: {watches}."
    return f"{hello} dit is het overzicht van vorige week: wat er over de gemeente werd geschreven."


def _change_table(figures: DigestFigures, which: str) -> str:
    rows = figures.topics if which == "topics" else figures.watches
    if not rows:
        return _p("Geen opvallende veranderingen deze week." if which == "topics"
                  else "Geen project veranderde opvallend deze week.")
    head = "".join(
        f'<th align="left" style="{TD}font-weight:bold;background-color:#f0f4f8;">{esc(t)}</th>'
        for t in ("Naam", "Deze week", "Vorige week", "Negatief (deze / vorige)")
    )
    body = "".join(
        f'<tr><td style="{TD}">{esc(r.key)}</td><td style="{TD}">{r.this_total}</td>'
        f'<td style="{TD}">{r.prev_total}</td>'
        f'<td style="{TD}">{r.this_negative} / {r.prev_negative}</td></tr>'
        for r in rows
    )
    sentences = "".join(_p(change_sentence(r)) for r in rows)
    return (f'<table role="presentation" width="100%" cellpadding="0" cellspacing="0" '
            f'border="0" style="border-collapse:collapse;margin:0 0 10px 0;">'
            f"<tr>{head}</tr>{body}</table>{sentences}")


def _top_items(figures: DigestFigures) -> str:
    if not figures.top_items:
        return _p("Er waren deze week geen berichten.")
    rows = []
    for number, ranked in enumerate(figures.top_items, start=1):
        day = figures.week.day_of(ranked.item.time)
        rows.append(
            f'<tr><td valign="top" style="{TD}width:24px;font-weight:bold;">{number}.</td>'
            f'<td style="{TD}">{link(ranked.item.url, ranked.item.title or "(zonder titel)")}'
            f'<br><span style="{FONT}font-size:12px;color:#666666;">'
            f"{esc(item_byline(ranked, day))} — {esc(item_reasons(ranked))}</span></td></tr>"
        )
    return (f'<table role="presentation" width="100%" cellpadding="0" cellspacing="0" '
            f'border="0" style="border-collapse:collapse;">{"".join(rows)}</table>')


def _alerts(figures: DigestFigures) -> str:
    if not figures.alerts:
        return _p("Er waren deze week geen pieken of meldingen.")
    return "".join(_p(alert_line(a, figures.week.day_of(a.created))) for a in figures.alerts)


def _notes(figures: DigestFigures) -> str:
    if not figures.notes:
        return _p("Er zijn deze week geen notities geschreven.")
    return "".join(
        f'<p style="{P}">{esc(note_line(n))} ({link(n.url, "bericht")})</p>' for n in figures.notes
    )
