"""Rules label past and future items, list what they touched, yield to corrections, and undo."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from storage.documents import DocumentFilter, list_documents
from storage.effective import LabelError
from storage.rollups import refresh_daily_rollup
from storage.rules import add_rule, list_rules, remove_rule

T = datetime(2026, 11, 20, 9, tzinfo=UTC)


def _labels(db: Any) -> dict[str, str | None]:
    return {r["title"]: r["label"] for r in list_documents(db, DocumentFilter(), limit=None)}


def _setup(writer: Any) -> dict[str, str]:
    writer.source("ad", "AD Dordrecht")
    writer.source("gemeente", "Gemeente", kind="official")
    return {
        "ad_blitz": writer.doc("Flitspaal Laan der Verenigde Naties", T, "neutraal", source="ad"),
        "ad_other": writer.doc("Nieuwe bibliotheek open", T, "positief", source="ad"),
        "gem_blitz": writer.doc("FLITSPAAL geplaatst", T, "neutraal", source="gemeente"),
    }


def test_rule_labels_past_items_of_its_source_only(db: Any, writer: Any) -> None:
    ids = _setup(writer)
    rule = add_rule(db, "flitspaal", "negatief", author="anna", role="adviser", source_id="ad")
    assert (rule.hits, rule.labelled) == (1, 1)
    labels = _labels(db)
    assert labels["Flitspaal Laan der Verenigde Naties"] == "negatief"
    assert labels["FLITSPAAL geplaatst"] == "neutraal"  # other source
    assert labels["Nieuwe bibliotheek open"] == "positief"
    row = list_documents(db, DocumentFilter(labels=("negatief",)))[0]
    assert row["id"] == ids["ad_blitz"] and row["corrected_by"] == "rule"
    assert row["model_label"] == "neutraal" and row["corrected_rule_id"] == rule.id


def test_rule_reaches_future_items_at_the_next_rollup(db: Any, writer: Any) -> None:
    _setup(writer)
    rule = add_rule(db, "flitspaal", "negatief", author="anna", role="adviser")
    assert rule.hits == 2  # case-insensitive, every source
    writer.doc("Weer een flitspaal erbij", T + timedelta(days=1), "positief")
    assert _labels(db)["Weer een flitspaal erbij"] == "positief"  # not applied yet
    refresh_daily_rollup(db, since=T)
    assert _labels(db)["Weer een flitspaal erbij"] == "negatief"
    day = (T + timedelta(days=1)).date().isoformat()
    assert db.execute("SELECT sum(n_neg) FROM daily_rollup WHERE day = ?", [day]).fetchone()[0] == 1
    assert [(r.id, r.hits) for r in list_rules(db)] == [(rule.id, 3)]


def test_correction_wins_over_rule_and_survives_its_removal(db: Any, writer: Any) -> None:
    ids = _setup(writer)
    writer.correction(ids["gem_blitz"], "positief", T)
    rule = add_rule(db, "flitspaal", "negatief", author="anna", role="adviser")
    assert (rule.hits, rule.labelled) == (2, 1)
    assert _labels(db)["FLITSPAAL geplaatst"] == "positief"
    assert remove_rule(db, rule.id, role="adviser") == 1
    labels = _labels(db)
    assert labels["FLITSPAAL geplaatst"] == "positief"
    assert labels["Flitspaal Laan der Verenigde Naties"] == "neutraal"  # back to the model
    assert list_rules(db) == []
    assert db.execute("SELECT count(*) FROM rule_hits").fetchone()[0] == 0


def test_removing_the_newer_rule_falls_back_to_the_older(db: Any, writer: Any) -> None:
    _setup(writer)
    older = add_rule(db, "flitspaal", "negatief", author="anna", role="adviser")
    newer = add_rule(db, "laan der verenigde", "positief", author="anna", role="adviser")
    assert _labels(db)["Flitspaal Laan der Verenigde Naties"] == "positief"
    assert [r.labelled for r in list_rules(db)] == [1, 1]
    refresh_daily_rollup(db)
    day = T.date().isoformat()
    assert db.execute("SELECT sum(n_neg) FROM daily_rollup WHERE day = ?", [day]).fetchone()[0] == 1
    remove_rule(db, newer.id, role="adviser")
    assert _labels(db)["Flitspaal Laan der Verenigde Naties"] == "negatief"
    assert db.execute("SELECT sum(n_neg) FROM daily_rollup WHERE day = ?", [day]).fetchone()[0] == 2
    assert [(r.id, r.labelled) for r in list_rules(db)] == [(older.id, 2)]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"role": "project_lead"}, "may not change sentiment"),
        ({"label": "heel boos"}, "Use one of"),
        ({"contains": " de "}, "at least 3 characters"),
        ({"author": ""}, "needs an author"),
        ({"source_id": "onbekend"}, "No source with id 'onbekend'"),
    ],
)
def test_add_rule_refuses_bad_input(db: Any, writer: Any, kwargs: dict[str, Any],
                                    message: str) -> None:
    _setup(writer)
    args = {"contains": "flitspaal", "label": "negatief", "author": "anna", "role": "adviser",
            "source_id": None, **kwargs}
    with pytest.raises(LabelError, match=message):
        add_rule(db, args.pop("contains"), args.pop("label"), **args)
    assert list_rules(db) == []


def test_remove_rule_checks_role_and_id(db: Any, writer: Any) -> None:
    _setup(writer)
    rule = add_rule(db, "flitspaal", "negatief", author="anna", role="adviser")
    with pytest.raises(LabelError, match="may not change sentiment"):
        remove_rule(db, rule.id, role="management")
    with pytest.raises(LabelError, match="No rule with id 999"):
        remove_rule(db, 999, role="adviser")
    assert len(list_rules(db)) == 1
