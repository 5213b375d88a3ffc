"""The digest's Dutch sentences, in plain language (B1): short sentences, common words,
and every figure explained next to what it is compared with.

Shared by the HTML and the plain-text part, so both say exactly the same.
"""

from __future__ import annotations

from datetime import date, datetime

from digest.figures import DigestFigures
from digest.ranking import RankedItem
from outbox.messages import alert_title
from storage.alerts import Alert
from storage.digest_queries import ChangeRow, NoteRow, SentimentCounts

DAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")
MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
LABEL_WORDS = {"negatief": "negatief", "neutraal": "neutraal", "positief": "positief",
               None: "nog geen score"}


def short_day(day: date) -> str:
    """'ma 16 nov'."""
    return f"{DAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]}"


def week_title(figures: DigestFigures) -> str:
    """'Week 47 (16 t/m 22 nov 2026)'."""
    first, last = figures.week.days[0], figures.week.days[-1]
    number = int(figures.week.label.split("W")[1])
    return (f"week {number} ({first.day} {MONTHS[first.month - 1]} t/m {last.day} "
            f"{MONTHS[last.month - 1]} {last.year})")


def count_word(n: int, one: str = "bericht", many: str = "berichten") -> str:
    return f"{n} {one if n == 1 else many}"


def change_phrase(this: int, prev: int) -> str:
    """'12% meer dan vorige week (120)', 'evenveel als vorige week' …"""
    if prev == 0:
        return "vorige week waren er geen" if this else "net als vorige week"
    if this == prev:
        return "evenveel als vorige week"
    percent = round(abs(this - prev) / prev * 100)
    direction = "meer" if this > prev else "minder"
    return f"{percent}% {direction} dan vorige week ({prev})"


def volume_sentence(figures: DigestFigures) -> str:
    """'Er waren deze week 134 berichten, 12% meer dan vorige week (120).'"""
    this, prev = figures.this_week.total, figures.last_week.total
    about = " over je projecten" if figures.scope_watches is not None else ""
    if this == 0 and prev == 0:
        return f"Er waren deze week en vorige week geen berichten{about}."
    return f"Er waren deze week {count_word(this)}{about}, {change_phrase(this, prev)}."


def _percent(counts: SentimentCounts, label: str) -> int | None:
    share = counts.share(label)
    return None if share is None else round(share * 100)


def sentiment_sentences(figures: DigestFigures) -> list[str]:
    """The tone of the week in two or three short sentences."""
    this, prev = figures.this_week, figures.last_week
    if this.scored == 0:
        return ["Er zijn deze week nog geen berichten met een score voor de toon."]
    neg, neu, pos = (_percent(this, label) for label in ("negatief", "neutraal", "positief"))
    prev_neg = _percent(prev, "negatief")
    compare = (f" Vorige week was dat {prev_neg}%." if prev_neg is not None
               else " Vorige week waren er geen berichten met een score.")
    sentences = [
        f"{neg}% van de berichten was negatief ({this.negatief} van de {this.scored}).{compare}",
        f"{neu}% was neutraal en {pos}% was positief.",
    ]
    if this.unscored:
        sentences.append(f"{count_word(this.unscored)} had nog geen score.")
    return sentences


def change_sentence(row: ChangeRow) -> str:
    """'verkeer: 14 berichten, 75% meer dan vorige week (8). Daarvan 5 negatief (vorige week 1).'"""
    change = change_phrase(row.this_total, row.prev_total)
    return (
        f"{row.key}: {count_word(row.this_total)}, {change}. "
        f"Daarvan {row.this_negative} negatief (vorige week {row.prev_negative})."
    )


def item_reasons(ranked: RankedItem) -> str:
    """Why an item is in the top five, in words."""
    parts = [f"toon: {LABEL_WORDS.get(ranked.item.label, 'nog geen score')}"]
    if ranked.item.corrected:
        parts[0] += " (verbeterd door een adviseur)"
    elif ranked.item.label is not None:
        parts[0] += f" (kans op negatief {round(ranked.negativity * 100)}%)"
    if ranked.copies > 1:
        parts.append(f"{ranked.copies} berichten over hetzelfde verhaal")
    parts.append("nieuw deze week" if ranked.novel else "loopt al langer")
    return "; ".join(parts)


def item_byline(ranked: RankedItem, day: date) -> str:
    """'AD Dordrecht, ma 16 nov' (`day` is the item's local day)."""
    return f"{ranked.item.source_name}, {short_day(day)}"


def alert_line(alert: Alert, tz_day: date) -> str:
    return f"{short_day(tz_day)} — {alert_title(alert)}. {alert.message}"


def note_line(note: NoteRow) -> str:
    return f'"{note.note}" — {note.author}, bij: {note.title}'


def subject(figures: DigestFigures) -> str:
    """The email subject: the week and its headline figure."""
    this, prev = figures.this_week.total, figures.last_week.total
    if prev:
        delta = round((this - prev) / prev * 100)
        trend = f" ({'+' if delta >= 0 else ''}{delta}%)"
    else:
        trend = ""
    about = "je projecten, " if figures.scope_watches is not None else ""
    return (f"Weekoverzicht mediamonitor {figures.week.label}: {about}"
            f"{count_word(this)}{trend}")


EXPLANATION = (
    "Een bericht is een nieuwsartikel, een bericht van de gemeente of een bericht op "
    "sociale media. De toon (negatief, neutraal of positief) komt van een computermodel. "
    "Een adviseur kan die toon verbeteren; dan telt de verbetering."
)
RANKING_EXPLANATION = (
    "Zo kiezen we de vijf belangrijkste berichten: hoe negatief het bericht is, bij hoeveel "
    "media hetzelfde verhaal stond, en of het verhaal deze week nieuw is."
)


def generated_line(now: datetime) -> str:
    return f"Gemaakt op {now:%d-%m-%Y %H:%M} UTC door newsroom."
