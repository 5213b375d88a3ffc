"""Stored digest previews: reused while the data is unchanged, rebuilt when it moves."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from digest.preview import preview, refresh_previews
from digest.weeks import WeekError
from storage.digests import data_stamp, get_preview
from tests.digest.support import LEAD, NOW, WEEK, WEEK_START, WeekData, make_config


def test_a_stored_preview_is_reused_until_the_data_moves(
    db: Any, week_data: WeekData, writer: Any, tmp_path: Path
) -> None:
    config = make_config(tmp_path)
    first = preview(db, config, WEEK, None, now=NOW)
    assert "14 berichten" in first.text
    assert 'src="data:image/png;base64,' in first.html and "cid:" not in first.html
    assert get_preview(db, WEEK, "") == first

    again = preview(db, config, WEEK, None, now=NOW + timedelta(hours=1))
    assert again.built_at == first.built_at  # served from storage, not rebuilt

    writer.doc("Nieuwe klacht over parkeren", WEEK_START + timedelta(days=2), "negatief")
    assert data_stamp(db) != first.data_stamp
    moved = preview(db, config, WEEK, None, now=NOW + timedelta(hours=2))
    assert moved.built_at == NOW + timedelta(hours=2)
    assert "15 berichten" in moved.text


def test_rebuild_forces_a_new_preview_and_recipients_are_kept_apart(
    db: Any, week_data: WeekData, tmp_path: Path
) -> None:
    config = make_config(tmp_path)
    full = preview(db, config, WEEK, None, now=NOW)
    lead = preview(db, config, WEEK, LEAD, now=NOW)
    assert lead.recipient == LEAD.email and lead.text != full.text
    forced = preview(db, config, WEEK, None, rebuild=True, now=NOW + timedelta(minutes=5))
    assert forced.built_at == NOW + timedelta(minutes=5)
    assert get_preview(db, WEEK, LEAD.email) == lead


def test_refresh_builds_the_recent_weeks_for_every_reader_once(
    db: Any, week_data: WeekData, tmp_path: Path
) -> None:
    config = make_config(tmp_path)  # management + one project lead
    assert refresh_previews(db, config, now=NOW) == 2 * 3  # two weeks x (full, 2 recipients)
    assert refresh_previews(db, config, now=NOW) == 0  # nothing moved
    assert get_preview(db, WEEK, "") is not None  # NOW is the Monday after WEEK


def test_a_malformed_week_is_refused(db: Any, tmp_path: Path) -> None:
    with pytest.raises(WeekError):
        preview(db, make_config(tmp_path), "week 46", None)
