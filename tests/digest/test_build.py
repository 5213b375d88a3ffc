"""The digest's content: figures checked against storage, escaping, per-recipient scope."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from digest.build import build_digest
from digest.email_html import link
from digest.weeks import WeekError, last_complete_week, parse_week
from storage.alerts import Alert, insert_alert
from tests.digest.support import (
    LEAD,
    MANAGER,
    NOW,
    PREV_START,
    WEEK,
    WEEK_START,
    WeekData,
    count_docs,
    make_config,
)


def test_week_figures_match_storage(db: Any, week_data: WeekData, tmp_path: Path) -> None:
    digest = build_digest(db, make_config(tmp_path), WEEK, None, now=NOW)
    end = WEEK_START + timedelta(days=7)
    this, prev = count_docs(db, WEEK_START, end), count_docs(db, PREV_START, WEEK_START)
    assert (this, prev) == (14, 9)
    change = round(abs(this - prev) / prev * 100)
    sentence = f"Er waren deze week {this} berichten, {change}% meer dan vorige week ({prev})."
    assert sentence in digest.text
    assert sentence in digest.html
    negative = count_docs(db, WEEK_START, end, "negatief")
    scored = this - 1  # one document has no score yet
    assert f"({negative} van de {scored})" in digest.text
    assert f"{round(negative / scored * 100)}% van de berichten was negatief" in digest.text
    assert "1 bericht had nog geen score." in digest.text
    assert digest.subject == f"Weekoverzicht mediamonitor {WEEK}: {this} berichten (+{change}%)"


def test_topics_watches_top_items_notes(db: Any, week_data: WeekData, tmp_path: Path) -> None:
    digest = build_digest(db, make_config(tmp_path), WEEK, None, now=NOW)
    text = digest.text
    # verkeer: 3 spui + 4 ordinary this week, 3 last week -> +133%.
    assert "verkeer: 7 berichten, 133% meer dan vorige week (3). Daarvan 3 negatief" in text
    assert "Spuiboulevard: 3 berichten, 200% meer dan vorige week (1)" in text
    top = text.split("DE VIJF BELANGRIJKSTE BERICHTEN")[1].split("PIEKEN")[0]
    numbered = re.findall(r"^(\d)\. (.+)$", top, flags=re.M)
    assert [n for n, _ in numbered] == ["1", "2", "3", "4", "5"]
    # The three-outlet negative new story ranks first, shown once (its first copy).
    assert numbered[0][1] == week_data.spui_titles[0]
    assert sum("Spuiboulevard loopt vertraging" in title for _, title in numbered) == 1
    assert "3 berichten over hetzelfde verhaal" in top
    assert "https://ad.example/brand?a=1&b=2" in top
    assert "Raad stelt vragen; woordvoerder is ingelicht." in text
    assert "adviseur Anna" in text


def test_scraped_text_is_escaped_and_unsafe_links_dropped(db: Any, week_data: WeekData,
                                                         tmp_path: Path) -> None:
    digest = build_digest(db, make_config(tmp_path), WEEK, None, now=NOW)
    assert "<script" not in digest.html.lower()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Brand in Sterrenburg" in digest.html
    assert 'href="https://ad.example/brand?a=1&amp;b=2"' in digest.html
    assert "javascript:" not in digest.html


def test_links_only_for_http_urls() -> None:
    assert link("javascript:alert(1)", "klik <b>") == "klik &lt;b&gt;"
    assert link("data:text/html,x", "x") == "x"
    assert link("https://a.example/?q=\"><img", "t") == (
        '<a href="https://a.example/?q=&quot;&gt;&lt;img" '
        'style="color:#0b5394;text-decoration:underline;">t</a>')


def test_html_is_outlook_friendly(db: Any, week_data: WeekData, tmp_path: Path) -> None:
    digest = build_digest(db, make_config(tmp_path), WEEK, None, now=NOW)
    html = digest.html
    assert "class=" not in html and "<style" not in html and "<script" not in html
    widths = [int(w) for w in re.findall(r'width="(\d+)"', html)]
    assert widths and max(widths) <= 640
    assert "<table" in html and 'style="' in html
    for cid, png, alt in digest.images:
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
        assert f'src="cid:{cid}"' in html
        assert alt and f'alt="{alt}"' in html
    assert "Deze week 14, vorige week 9." in digest.images[0][2]


def test_project_lead_sees_only_their_watches(db: Any, week_data: WeekData,
                                              tmp_path: Path) -> None:
    digest = build_digest(db, make_config(tmp_path), WEEK, LEAD, now=NOW)
    assert "Er waren deze week 3 berichten over je projecten, 200% meer dan vorige week (1)." \
        in digest.text
    for title in week_data.other_titles:
        assert title not in digest.text and title not in digest.html
    assert "Zwembad" not in digest.text
    assert "Raad stelt vragen" in digest.text
    assert "Positieve ontvangst" not in digest.text
    assert "je projecten" in digest.subject
    management = build_digest(db, make_config(tmp_path), WEEK, MANAGER, now=NOW)
    assert "Brand in Sterrenburg" in management.text


def test_alerts_of_the_week_are_listed_per_scope(db: Any, week_data: WeekData,
                                                 tmp_path: Path) -> None:
    def alert(scope_type: str, key: str, message: str, when: datetime) -> None:
        insert_alert(db, Alert(kind="volume_spike", scope_type=scope_type, scope_key=key,
                               window_start=when - timedelta(hours=24), window_end=when,
                               figures={"count": 9}, message=message,
                               dedupe_key=f"{key}{when}", created=when))

    alert("watch", "Spuiboulevard", "Veel meer berichten over de Spuiboulevard.",
          WEEK_START + timedelta(days=1))
    alert("topic", "veiligheid", "Veel meer berichten over veiligheid.",
          WEEK_START + timedelta(days=2))
    alert("overall", "alles", "Vorige week piek.", PREV_START + timedelta(days=1))
    manager = build_digest(db, make_config(tmp_path), WEEK, MANAGER, now=NOW).text
    assert "Veel meer berichten over de Spuiboulevard." in manager
    assert "Veel meer berichten over veiligheid." in manager
    assert "Vorige week piek." not in manager
    lead = build_digest(db, make_config(tmp_path), WEEK, LEAD, now=NOW).text
    assert "Veel meer berichten over de Spuiboulevard." in lead
    assert "veiligheid" not in lead


def test_empty_week_builds_a_clear_digest(db: Any, tmp_path: Path) -> None:
    digest = build_digest(db, make_config(tmp_path), "2026-W10", None, now=NOW)
    assert "Er waren deze week en vorige week geen berichten." in digest.text
    assert "Er waren deze week geen berichten." in digest.text
    assert len(digest.images) == 2
    assert "0 berichten" in digest.subject


def test_preview_html_embeds_images(db: Any, week_data: WeekData, tmp_path: Path) -> None:
    digest = build_digest(db, make_config(tmp_path), WEEK, None, now=NOW)
    preview = digest.html_with_inline_images()
    assert "cid:" not in preview
    assert preview.count("data:image/png;base64,") == 2


@pytest.mark.parametrize("bad", ["2026-47", "W47", "2026-W54", "2026-W00", "", "2026-W4x"])
def test_bad_week_is_a_clear_error(bad: str) -> None:
    with pytest.raises(WeekError, match="week"):
        parse_week(bad)


def test_week_boundaries_follow_amsterdam_time() -> None:
    week = parse_week("2026-W46")
    assert week.start == WEEK_START
    assert week.end == WEEK_START + timedelta(days=7)
    summer = parse_week("2026-W27")  # CEST: Monday 00:00 local is 22:00 UTC the day before
    assert summer.start == datetime(2026, 6, 28, 22, 0, tzinfo=UTC)
    # 23:30 UTC on Sunday is already Monday in Amsterdam: the week just ended is complete.
    assert last_complete_week(datetime(2026, 11, 22, 23, 30, tzinfo=UTC)).label == "2026-W47"
    assert last_complete_week(datetime(2026, 11, 22, 22, 30, tzinfo=UTC)).label == "2026-W46"
    assert last_complete_week(datetime(2027, 1, 4, 8, 0, tzinfo=UTC)).label == "2026-W53"


def test_project_lead_with_unknown_watch_gets_an_empty_digest(
    db: Any, week_data: WeekData, tmp_path: Path
) -> None:
    from dataclasses import replace

    lead = replace(LEAD, watches=("Bestaat niet",))
    digest = build_digest(db, make_config(tmp_path), WEEK, lead, now=NOW)
    assert "Er waren deze week en vorige week geen berichten over je projecten." in digest.text
    assert "Spuiboulevard" not in digest.text and "Raad stelt vragen" not in digest.text


def test_social_post_shows_its_text_not_its_author(db: Any, week_data: WeekData, writer: Any,
                                                   tmp_path: Path) -> None:
    writer.doc("", WEEK_START + timedelta(days=3, hours=20), "negatief", p_neg=0.99,
               kind="social", source="mastodon", text="Weer geen plek in de fietsenstalling "
               "bij het station, dit is echt belachelijk #dordrecht",
               url="https://mastodon.example/@x/1", author_pseudonym="anon-4f2a")
    digest = build_digest(db, make_config(tmp_path), WEEK, None, now=NOW)
    assert "Weer geen plek in de fietsenstalling bij het station" in digest.text
    assert "anon-4f2a" not in digest.text and "anon-4f2a" not in digest.html
    assert "(zonder titel)" not in digest.text
