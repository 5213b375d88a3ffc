"""What a demo folder remembers between runs, and `--fresh`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsroom.demo.run import staleness_note, start_demo
from newsroom.demo.state import DemoState, load_state, reset, save_state

NOW = datetime(2026, 11, 22, 14, 37, tzinfo=UTC)


def test_state_round_trip(tmp_path: Path) -> None:
    state = DemoState(port=45678, anchor=datetime(2026, 11, 22, 14, tzinfo=UTC))
    save_state(tmp_path, state)
    assert load_state(tmp_path) == state
    assert load_state(tmp_path / "elders") == DemoState()


@pytest.mark.parametrize("text", ["{niet json", '{"port": "abc", "anchor": 5}',
                                  '{"port": 99999}', '["lijst"]'])
def test_unreadable_state_is_ignored(tmp_path: Path, text: str) -> None:
    (tmp_path / "demo-state.json").write_text(text, encoding="utf-8")
    state = load_state(tmp_path)
    assert state == DemoState()


def test_reset_removes_only_demo_files(tmp_path: Path) -> None:
    for name in ("newsroom.toml", "newsroom.db", "demo-state.json", "notities.txt"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    removed = {p.name for p in reset(tmp_path)}
    assert removed == {"newsroom.toml", "newsroom.db", "demo-state.json"}
    assert (tmp_path / "notities.txt").exists()


def test_rerun_serves_the_same_corpus_on_the_same_port(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSROOM_PSEUDONYM_KEY", "test-only-pseudonym-key-0123456789abcdef")
    first = start_demo(tmp_path, now=NOW)
    port = first.site.port
    first.site.stop()
    later = start_demo(tmp_path, now=NOW + timedelta(days=9))
    try:
        assert later.site.port == port
        assert later.site.corpus == first.site.corpus
        note = staleness_note(later, now=NOW + timedelta(days=9))
        assert note is not None and "--fresh" in note
        assert staleness_note(later, now=NOW) is None
    finally:
        later.site.stop()
    fresh = start_demo(tmp_path, now=NOW + timedelta(days=9), fresh=True)
    try:
        assert fresh.site.corpus.anchor == datetime(2026, 12, 1, 14, tzinfo=UTC)
        assert load_state(tmp_path).anchor == fresh.site.corpus.anchor
    finally:
        fresh.site.stop()
