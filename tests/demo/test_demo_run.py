"""`newsroom demo run --no-dashboard`: the real spiders crawl the demo site into SQLite, twice."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from newsroom.cli.main import cli
from newsroom.demo.config import SOURCE_IDS
from newsroom.demo.corpus import build_corpus, iter_valid
from newsroom.demo.ports import free_port
from storage.crawl_log import recent_crawl_runs
from storage.db import open_db
from storage.documents import iter_documents


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    workdir = tmp_path_factory.mktemp("demo-run")
    outputs = []
    mail_port = free_port()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NEWSROOM_PSEUDONYM_KEY", "test-only-pseudonym-key-0123456789abcdef")
        patch.delenv("NEWSROOM_CONFIG", raising=False)
        for _ in range(2):
            # Scoring is left out here (it is slow on a small CPU and tested separately below):
            # this fixture is about the crawl of the real spiders and its idempotency.
            result = CliRunner().invoke(
                cli, ["demo", "run", "--no-dashboard", "--no-score", "--dir", str(workdir),
                      "--mail-port", str(mail_port)]
            )
            assert result.exit_code == 0, result.output
            outputs.append(result.output)
    return workdir, outputs


def test_first_run_stores_the_corpus(two_runs: tuple[Path, list[str]]) -> None:
    workdir, outputs = two_runs
    db = open_db(workdir / "newsroom.db")
    rows = list(iter_documents(db))
    expected = len(list(iter_valid(build_corpus())))
    # Everything well-formed lands; of the broken entries only the one without a link and
    # the dead link are lost (the bad and future dates are kept, with a logged repair).
    assert expected - 1 <= len(rows) <= expected + 2
    assert len(rows) >= 250
    assert all(row["fictional"] for row in rows)
    by_source = {s: sum(r["source_id"] == s for r in rows) for s in SOURCE_IDS}
    assert all(count >= 30 for count in by_source.values()), by_source
    assert "Documenten in de database" in outputs[0]


def test_second_run_adds_nothing_and_feeds_answer_304(two_runs: tuple[Path, list[str]]) -> None:
    workdir, outputs = two_runs
    db = open_db(workdir / "newsroom.db")
    runs = recent_crawl_runs(db, limit=100)
    assert len(runs) == 2 * len(SOURCE_IDS)
    second = runs[: len(SOURCE_IDS)]
    assert sum(run.stats.new for run in second) == 0
    not_modified = {run.source_id for run in second if run.stats.not_modified}
    assert {"demo-drechtstad", "demo-social"} <= not_modified
    assert "nieuw" in outputs[1]


def test_every_demo_source_is_healthy(two_runs: tuple[Path, list[str]]) -> None:
    workdir, _ = two_runs
    result = CliRunner().invoke(cli, ["--config", str(workdir / "newsroom.toml"), "status"])
    assert result.exit_code == 0, result.output
    for source_id in SOURCE_IDS:
        assert source_id in result.output


def test_broken_entries_are_logged_with_a_reason(two_runs: tuple[Path, list[str]]) -> None:
    workdir, _ = two_runs
    db = open_db(workdir / "newsroom.db")
    issues = [issue for run in recent_crawl_runs(db, limit=100) for issue in run.issues]
    urls = " ".join(issue.url for issue in issues)
    assert "/gemeente/nieuws/intern/memo-college" in urls  # robots.txt
    assert all(issue.reason for issue in issues)
    assert len({issue.reason for issue in issues}) >= 4


def test_demo_scoring_step_scores_with_the_real_pipeline(tmp_path: Path) -> None:
    """The score step on a few demo documents: the real model, every document labelled."""
    from core.config import load_config
    from core.records import Document, document_id_for_url
    from newsroom.demo.config import write_demo_config
    from newsroom.demo.run import init_store, score
    from storage.documents import upsert_document

    config = load_config(write_demo_config(tmp_path, "http://127.0.0.1:45678").path)
    db = init_store(config)
    corpus = build_corpus()
    picked = [i for i in corpus.for_outlet("drechtstad") if not i.broken][:4]
    for item in picked:
        url = f"http://127.0.0.1:45678/drechtstad/artikel/{item.slug}"
        upsert_document(db, Document(
            id=document_id_for_url(url), source_id="demo-drechtstad", kind="news", url=url,
            title=item.title, text=item.text, published=item.published,
            fetched=corpus.anchor, fictional=True,
        ))
    lines: list[str] = []
    available, report = score(db, config, lines.append)
    assert available, report
    labels = [row["label"] for row in iter_documents(db)]
    assert len(labels) == 4 and all(label in ("negatief", "neutraal", "positief")
                                     for label in labels)


def test_rollups_are_current_right_after_the_run(two_runs: tuple[Path, list[str]]) -> None:
    """No waiting for the scheduler's rollup job: every stored day is in the rollup."""
    workdir, _ = two_runs
    db = open_db(workdir / "newsroom.db")
    per_day = dict(db.execute(
        "SELECT substr(coalesce(published, first_seen), 1, 10), count(*) FROM documents "
        "GROUP BY 1").fetchall())
    rolled = dict(db.execute("SELECT day, sum(n) FROM daily_rollup GROUP BY day").fetchall())
    assert per_day and rolled == per_day


def test_overzicht_shows_this_weeks_counts_right_after_the_run(
    two_runs: tuple[Path, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import UTC, datetime, timedelta

    from streamlit.testing.v1 import AppTest

    from newsroom.demo.config import DEMO_PASSWORD

    workdir, _ = two_runs
    monkeypatch.setenv("NEWSROOM_CONFIG", str(workdir / "newsroom.toml"))
    app = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"
    at = AppTest.from_file(str(app), default_timeout=60).run()
    at.text_input(key="login_username").input("management")
    at.text_input(key="login_password").input(DEMO_PASSWORD)
    next(b for b in at.button if b.label == "Inloggen").click().run()
    assert not at.exception, [e.value for e in at.exception]
    metric = next(m for m in at.metric if m.label == "Berichten deze week")
    today = datetime.now(UTC).date()
    monday = today - timedelta(days=today.weekday())
    expected = open_db(workdir / "newsroom.db").execute(
        "SELECT count(*) FROM documents WHERE substr(coalesce(published, first_seen), 1, 10) "
        ">= ? AND substr(coalesce(published, first_seen), 1, 10) <= ?",
        [monday.isoformat(), today.isoformat()],
    ).fetchone()[0]
    assert expected > 0 or today.weekday() == 0  # the fresh demo corpus ends now
    assert int(str(metric.value).replace(".", "")) == expected


def test_the_chosen_mail_port_is_in_the_demo_config(two_runs: tuple[Path, list[str]]) -> None:
    from core.config import load_config

    workdir, _ = two_runs
    config = load_config(workdir / "newsroom.toml")
    assert config.mail.port != 8025  # the fixture passed a free (ephemeral) --mail-port
    assert f"port = {config.mail.port}" in (workdir / "newsroom.toml").read_text()


def test_week_card_is_full_right_after_the_run(
    two_runs: tuple[Path, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 14: Overzicht's "Deze week" card, and the demo names the shipped map outlines."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from streamlit.testing.v1 import AppTest

    from newsroom.demo.config import DEMO_PASSWORD
    from storage.week_summary import week_figures

    workdir, outputs = two_runs
    assert "newsroom places import" in outputs[0]
    monkeypatch.setenv("NEWSROOM_CONFIG", str(workdir / "newsroom.toml"))
    app = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"
    at = AppTest.from_file(str(app), default_timeout=60).run()
    at.text_input(key="login_username").input("adviseur")
    at.text_input(key="login_password").input(DEMO_PASSWORD)
    next(b for b in at.button if b.label == "Inloggen").click().run()
    assert not at.exception, [e.value for e in at.exception]
    tz = ZoneInfo("Europe/Amsterdam")
    figures = week_figures(open_db(workdir / "newsroom.db"), datetime.now(tz).date(), tz)
    assert figures.n_now > 0 or datetime.now(tz).weekday() == 0
    first = next(h.proto.body for h in at.get("html") if "Deze week (maandag" in h.proto.body)
    assert f": {figures.n_now} berichten." in first


def _this_weeks_documents(workdir: Path) -> int:
    from datetime import UTC, datetime, timedelta

    today = datetime.now(UTC).date()
    monday = today - timedelta(days=today.weekday())
    return int(open_db(workdir / "newsroom.db").execute(
        "SELECT count(*) FROM documents WHERE substr(coalesce(published, first_seen), 1, 10) "
        ">= ? AND substr(coalesce(published, first_seen), 1, 10) <= ?",
        [monday.isoformat(), today.isoformat()],
    ).fetchone()[0])


@pytest.mark.e2e
def test_browser_overzicht_shows_this_weeks_counts_right_after_the_run(
    two_runs: tuple[Path, list[str]],
) -> None:
    """The same promise in a real browser: `newsroom dashboard` started on the store that
    `demo run --no-dashboard` just left, no background job in between."""
    from playwright.sync_api import expect, sync_playwright

    from newsroom.demo.config import DEMO_PASSWORD
    from tests.dashboard.browser import (
        CHROMIUM,
        CHROMIUM_ARGS,
        WAIT_MS,
        dashboard_server,
        wait_for_render,
    )

    workdir, _ = two_runs
    expected = _this_weeks_documents(workdir)
    with dashboard_server(workdir / "newsroom.toml", workdir) as url, \
            sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(WAIT_MS)
        page.goto(url)
        page.get_by_label("Gebruikersnaam").fill("management")
        page.get_by_label("Wachtwoord", exact=True).fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
        expect(page.get_by_role("heading", name="Overzicht")).to_be_visible(timeout=WAIT_MS)
        wait_for_render(page)
        metric = page.get_by_test_id("stMetric").filter(has_text="Berichten deze week")
        value = metric.get_by_test_id("stMetricValue").inner_text()
        card = page.get_by_text("Deze week in het kort")
        expect(card).to_be_visible()
        browser.close()
    from datetime import UTC, datetime

    assert expected > 0 or datetime.now(UTC).weekday() == 0  # the demo corpus ends now
    assert int(value.replace(".", "").strip()) == expected
