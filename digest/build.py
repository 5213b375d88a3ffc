"""Build the weekly digest for one recipient: figures → Dutch text, HTML, inline charts.

`build_digest` is what the scheduler sends and what the dashboard shows as a preview.

>>> # digest = build_digest(db, config, "2026-W47", None)
>>> # digest.subject, digest.html, digest.text, digest.images
"""

from __future__ import annotations

import base64
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime

from core.config import Config, Recipient
from core.records import utcnow
from digest.charts import daily_chart, sentiment_chart
from digest.email_html import render_html
from digest.figures import DigestFigures, collect_figures
from digest.plain_text import render_text
from digest.weeks import parse_week
from digest.wording import generated_line, subject
from storage.db import Database

logger = logging.getLogger(__name__)


@dataclass
class Digest:
    """One rendered digest. `images` are (content-id, PNG bytes, alt text)."""

    subject: str
    html: str
    text: str
    images: list[tuple[str, bytes, str]] = field(default_factory=list)
    week: str = ""
    recipient: str = ""
    figures: DigestFigures | None = None

    def html_with_inline_images(self) -> str:
        """The HTML with cid: images replaced by data: URIs, for a browser preview."""
        result = self.html
        for cid, png, _alt in self.images:
            data = base64.b64encode(png).decode("ascii")
            result = result.replace(f'src="cid:{cid}"', f'src="data:image/png;base64,{data}"')
        return result


def build_digest(
    db: Database,
    config: Config,
    week: str,
    recipient: Recipient | None,
    now: datetime | None = None,
) -> Digest:
    """Build the digest of ISO week `week` ('2026-W47') for `recipient` (None: management).

    Raises `digest.weeks.WeekError` for a malformed week.
    """
    parsed = parse_week(week, config.schedule.timezone)
    figures = collect_figures(db, parsed, recipient)
    tag = _cid_tag(parsed.label, recipient)
    charts = [
        daily_chart(figures.days, figures.last_week_days, f"dagen-{tag}@newsroom"),
        sentiment_chart(figures.this_week, figures.last_week, f"toon-{tag}@newsroom"),
    ]
    generated = generated_line(now or utcnow(), config.schedule.timezone)
    dashboard = config.mail.dashboard_url
    logger.info("built digest %s for %s: %d documents", parsed.label,
                recipient.email if recipient else "preview", figures.this_week.total)
    return Digest(
        subject=subject(figures),
        html=render_html(figures, charts, dashboard, generated),
        text=render_text(figures, charts, dashboard, generated),
        images=[(c.cid, c.png, c.alt) for c in charts],
        week=parsed.label,
        recipient=recipient.email if recipient else "",
        figures=figures,
    )


def _cid_tag(week: str, recipient: Recipient | None) -> str:
    who = recipient.email if recipient else "preview"
    return re.sub(r"[^A-Za-z0-9.-]", "-", f"{week}-{who}")
