"""Cohen's kappa and the second labelling pass over the target pairs (figures in
tests/nlp/files/DATASHEET.md)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from nlp.training.agreement import agreement, cohen_kappa, read_labels
from nlp.training.data import DataError

FILES = Path(__file__).parent / "files"


def test_kappa_is_one_for_identical_labels_and_zero_at_chance() -> None:
    same = ["negatief", "neutraal", "positief", "negatief"]
    assert cohen_kappa(same, same) == pytest.approx(1.0)
    # each labeller says negatief half the time, independently of the other: kappa 0
    first = ["negatief", "negatief", "neutraal", "neutraal"]
    second = ["negatief", "neutraal", "negatief", "neutraal"]
    assert cohen_kappa(first, second) == pytest.approx(0.0)


def test_kappa_of_a_known_table() -> None:
    # 20 items: 8 agree negatief, 8 agree positief, 4 differ; p_o 0.8, p_e 0.5 -> kappa 0.6
    first = ["negatief"] * 10 + ["positief"] * 10
    second = ["negatief"] * 8 + ["positief"] * 2 + ["negatief"] * 2 + ["positief"] * 8
    result = agreement(first, second, resamples=200)
    assert result.kappa == pytest.approx(0.6)
    assert result.raw == pytest.approx(0.8)
    assert result.kappa_low <= 0.6 <= result.kappa_high
    assert result.confusion == [[8, 0, 2], [0, 0, 0], [2, 0, 8]]
    assert result.disagreements == [8, 9, 10, 11]


def test_kappa_refuses_lists_of_different_length() -> None:
    with pytest.raises(ValueError, match="equal length"):
        cohen_kappa(["negatief"], ["negatief", "positief"])


def test_read_labels_refuses_unknown_labels_and_repeated_keys(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("id,label\na,boos\n", encoding="utf-8")
    with pytest.raises(DataError, match="row 2"):
        read_labels(bad)
    twice = tmp_path / "twice.csv"
    twice.write_text("id,label\na,negatief\na,positief\n", encoding="utf-8")
    with pytest.raises(DataError, match="appears twice"):
        read_labels(twice)


def test_second_pass_on_target_pairs_matches_the_datasheet() -> None:
    with (FILES / "target_pairs.csv").open(encoding="utf-8", newline="") as handle:
        pairs = list(csv.DictReader(handle))
    second = read_labels(FILES / "target_pairs_second_pass.csv", key="pair")
    with (FILES / "target_pairs_second_pass.csv").open(encoding="utf-8", newline="") as handle:
        targets = [row["target"] for row in csv.DictReader(handle)]
    assert targets == [p["target"] for p in pairs]  # same pairs, same order
    result = agreement([p["label"] for p in pairs], [second[str(i + 1)] for i in range(len(pairs))])
    assert result.n == 85
    assert round(result.kappa, 2) == 0.96
    assert [i + 1 for i in result.disagreements] == [26, 30]


def test_second_pass_on_the_second_news_set_matches_the_datasheet() -> None:
    from nlp.training.news_data import NEWS_DATA_PATH, read_news_csv

    first = {item.id: item.label for item in read_news_csv()}
    second = read_labels(NEWS_DATA_PATH.parent / "second_pass_set2.csv")
    ids = sorted(second)
    assert len(ids) == 150 and all(i in first and i >= "n1001" for i in ids)
    result = agreement([first[i] for i in ids], [second[i] for i in ids])
    assert round(result.kappa, 3) == 0.894
    assert result.confusion == [[63, 1, 0], [4, 53, 5], [0, 0, 24]]
