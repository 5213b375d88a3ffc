"""The digest's charts as small PNGs (matplotlib, Agg backend, no display needed).

Each chart comes with an alt text that says the same in words, for screen readers and
for mail clients that block images. Colours come from core.palette (colour-blind safe, the
same as the dashboard's), and the sentiment bars carry their label in words as well.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from core import palette
from digest.figures import DayCount
from digest.wording import DAYS
from storage.digest_queries import SentimentCounts

WIDTH_INCHES = 6.0
DPI = 100
"""600 px wide: fits the 640 px email column."""
COLORS = {**palette.SENTIMENT, "vorige": palette.LAST_WEEK, "deze": palette.THIS_WEEK}
WORD_FROM_SHARE = 18
"""A segment this wide (in %) has room for "42% negatief"; a narrower one shows only "42%"."""


@dataclass(frozen=True)
class Chart:
    cid: str
    png: bytes
    alt: str


def _figure(height: float):  # type: ignore[no-untyped-def]
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib.figure import Figure

    # A Figure without pyplot keeps no global state, so threads and tests stay independent.
    return Figure(figsize=(WIDTH_INCHES, height), dpi=DPI)


def _png(fig) -> bytes:  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    return buffer.getvalue()


def daily_chart(days: list[DayCount], last_week: list[DayCount], cid: str) -> Chart:
    """Bars per day: this week (negative part in orange-red) beside last week in grey."""
    fig = _figure(2.6)
    ax = fig.add_subplot(1, 1, 1)
    xs = list(range(len(days)))
    ax.bar([x - 0.2 for x in xs], [d.total for d in last_week], width=0.38,
           color=COLORS["vorige"], label="vorige week")
    ax.bar([x + 0.2 for x in xs], [d.total - d.negative for d in days], width=0.38,
           color=COLORS["deze"], label="deze week")
    ax.bar([x + 0.2 for x in xs], [d.negative for d in days], width=0.38,
           bottom=[d.total - d.negative for d in days], color=COLORS["negatief"],
           label="deze week, negatief")
    ax.set_xticks(xs, [DAYS[d.day.weekday()] for d in days])
    ax.set_ylabel("berichten")
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(frameon=False, fontsize=8, ncol=3, loc="lower center", bbox_to_anchor=(0.5, 1.0))
    busiest = max(days, key=lambda d: d.total) if days else None
    total = sum(d.total for d in days)
    alt = f"Staafdiagram: berichten per dag. Deze week {total}, vorige week " \
          f"{sum(d.total for d in last_week)}."
    if busiest is not None and busiest.total:
        alt += f" De drukste dag was {DAYS[busiest.day.weekday()]} met {busiest.total}."
    return Chart(cid=cid, png=_png(fig), alt=alt)


def sentiment_chart(this: SentimentCounts, prev: SentimentCounts, cid: str) -> Chart:
    """Two stacked horizontal bars: the share of each label this week and last week."""
    fig = _figure(1.6)
    ax = fig.add_subplot(1, 1, 1)
    rows = [("vorige week", prev), ("deze week", this)]
    for y, (_name, counts) in enumerate(rows):
        left = 0.0
        for label in ("negatief", "neutraal", "positief"):
            share = (counts.share(label) or 0.0) * 100
            ax.barh(y, share, left=left, color=COLORS[label], height=0.6,
                    label=label if y == 0 else None)
            if share >= 8:
                text = f"{share:.0f}% {label}" if share >= WORD_FROM_SHARE else f"{share:.0f}%"
                ax.text(left + share / 2, y, text, ha="center", va="center",
                        color=palette.text_on(COLORS[label]), fontsize=8)
            left += share
    ax.set_yticks([0, 1], [name for name, _ in rows])
    ax.set_xlim(0, 100)
    ax.set_xlabel("% van de berichten met een score")
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(frameon=False, fontsize=8, ncol=3, loc="lower center", bbox_to_anchor=(0.5, 1.0))

    def words(counts: SentimentCounts) -> str:
        if not counts.scored:
            return "geen scores"
        return ", ".join(f"{round((counts.share(lbl) or 0) * 100)}% {lbl}"
                         for lbl in ("negatief", "neutraal", "positief"))

    alt = f"Toon van de berichten. Deze week: {words(this)}. Vorige week: {words(prev)}."
    return Chart(cid=cid, png=_png(fig), alt=alt)
