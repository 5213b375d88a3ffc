"""Exports are safe to open in Excel; spikes are found robustly; passwords and roles hold;
sentence highlighting escapes scraped text."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import bcrypt
import openpyxl
import pandas as pd
import pytest

from core.config import Config, DashboardSettings, DashboardUser
from core.records import Watch
from dashboard import auth, export, stats, ui


def test_csv_neutralises_formulas_and_keeps_accents() -> None:
    frame = pd.DataFrame({"titel": ["=HYPERLINK(\"http://x\")", "Café één", "-1+2", "@cmd"],
                          "n": [1, 2, 3, 4]})
    text = export.to_csv_bytes(frame).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'-1+2" in text and "'@cmd" in text
    assert "Café één" in text and text.splitlines()[0] == "titel,n"


def test_xlsx_round_trip_with_bad_characters_and_aware_times() -> None:
    frame = pd.DataFrame({
        "titel": ["bel\x07letje\x00", "+31 formule", "normaal"],
        "tijd": [datetime(2026, 3, 2, 10, tzinfo=UTC)] * 3,
        "bronnen": [["a", "b"], [], ["c"]],
    })
    frame["tijdkolom"] = pd.to_datetime(["2026-03-02T10:00:00+00:00"] * 3)
    sheet = openpyxl.load_workbook(io.BytesIO(export.to_xlsx_bytes(frame))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("titel", "tijd", "bronnen", "tijdkolom")
    assert rows[1][0] == "belletje" and rows[2][0] == "'+31 formule"
    assert rows[1][1] == datetime(2026, 3, 2, 10) and rows[1][2] == "a, b"


def test_cells_are_capped() -> None:
    assert len(export.safe_cell("x" * 50_000)) == export.MAX_CELL_CHARS


def test_robust_spikes_find_the_outlier_and_ignore_noise() -> None:
    values = [10, 12, 9, 11, 10, 13, 9, 11, 10, 60, 12, 11]
    assert stats.spikes(values) == [v == 60 for v in values]
    assert stats.robust_z_scores([1, 2, 3]) == [None, None, None]  # too little history
    flat = [5] * 10 + [6]
    assert not any(stats.spikes(flat))  # one extra item on a flat line is no spike
    shares = [0.2, 0.22, 0.19, 0.21, 0.2, 0.2, 0.21, 0.6]
    assert stats.spikes(shares, floor=0.03)[-1]
    assert stats.spikes([None] * 8 + [5.0]) == [False] * 9


def _config(*users: DashboardUser) -> Config:
    return Config(dashboard=DashboardSettings(users=users))


def test_password_check() -> None:
    good = bcrypt.hashpw(b"geheim", bcrypt.gensalt(rounds=4)).decode()
    config = _config(DashboardUser("ann", "adviser", good),
                     DashboardUser("bob", "management", "not-a-hash"))
    user = auth.verify_password(config, "ann", "geheim")
    assert user == auth.SessionUser("ann", "adviser")
    assert auth.verify_password(config, "ann", "fout") is None
    assert auth.verify_password(config, "carl", "geheim") is None
    assert auth.verify_password(config, "bob", "geheim") is None  # broken hash: refused


def test_hash_password_round_trip_and_limits() -> None:
    hashed = auth.hash_password("lang genoeg")
    assert bcrypt.checkpw(b"lang genoeg", hashed.encode())
    with pytest.raises(ValueError):
        auth.hash_password("")
    with pytest.raises(ValueError):
        auth.hash_password("x" * 73)


def test_role_rules() -> None:
    own = Watch(name="Zwembad", query="zwembad", id=1)
    mine_by_owner = Watch(name="Markt", query="markt", owner="lead", id=2)
    other = Watch(name="Brug", query="brug", owner="iemand", id=3)
    lead = auth.SessionUser("lead", "project_lead", ("Zwembad",))
    adviser = auth.SessionUser("ann", "adviser")
    boss = auth.SessionUser("baas", "management")
    assert [lead.can_see_watch(w) for w in (own, mine_by_owner, other)] == [True, True, False]
    assert lead.can_edit_watch(own) and not lead.can_edit_watch(other)
    assert adviser.can_edit_watch(other) and adviser.can_correct and adviser.can_note
    assert boss.can_see_watch(other) and not boss.can_edit_watch(other)
    assert not boss.can_correct and not boss.can_note and not boss.can_create_watch
    assert not lead.can_correct and lead.can_note


def test_sentence_highlight_escapes_and_names_the_label() -> None:
    markup = ui.sentence_html([
        {"text": "<img src=x onerror=alert(1)> Slecht!", "label": "negatief"},
        {"text": "Goed & wel.", "label": "positief"},
        {"text": "Nog niet.", "label": None},
    ])
    assert "<img" not in markup and "&lt;img src=x onerror=alert(1)&gt;" in markup
    assert "[negatief]" in markup and "[positief]" in markup and "[niet gescoord]" in markup
    assert "Goed &amp; wel." in markup
