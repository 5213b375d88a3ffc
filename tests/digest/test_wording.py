"""The digest as every kind of reader gets it says "je" and uses the B1 word list
(docs/woordenlijst.md): subject, plain text, HTML and the charts' alt texts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from core.plain_language import check, visible_text
from digest.build import build_digest
from tests.digest.support import LEAD, MANAGER, NOW, WEEK, WeekData, make_config


@pytest.mark.parametrize("recipient", [None, MANAGER, LEAD], ids=["all", "management", "lead"])
def test_digest_texts_follow_the_word_list(db: Any, week_data: WeekData, tmp_path: Path,
                                           recipient: Any) -> None:
    digest = build_digest(db, make_config(tmp_path), WEEK, recipient, now=NOW)
    # Scraped titles are the outlets' words, not ours: take them out before checking.
    ours = visible_text(digest.html) + "\n" + digest.text + "\n" + digest.subject
    ours += "\n".join(alt for _cid, _png, alt in digest.images)
    scraped = [row["title"] for row in db.query("SELECT title FROM documents") if row["title"]]
    assert len(scraped) > 20
    for title in sorted(scraped, key=len, reverse=True):
        ours = ours.replace(title, " ")
    assert [(f.word, f.context) for f in check(ours)] == []
    if recipient is LEAD:
        assert "je projecten" in digest.text.lower() and "je projecten" in digest.subject


def test_the_check_sees_the_old_wording(db: Any, week_data: WeekData, tmp_path: Path) -> None:
    """Guard against a check that reads nothing: the old digest wording would fail it."""
    digest = build_digest(db, make_config(tmp_path), WEEK, LEAD, now=NOW)
    old = digest.text.replace("je projecten", "uw watches").replace("Je projecten",
                                                                      "Uw watches")
    assert {f.word.lower() for f in check(old)} >= {"uw", "watches"}
