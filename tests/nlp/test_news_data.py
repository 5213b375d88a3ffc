"""The labelled news set and its loader: the shipped file passes every check, and each kind of
bad input gets a clear `DataError` naming the row."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from nlp.training.data import DataError
from nlp.training.news_data import (
    NEWS_DATA_PATH,
    duplicate_key,
    is_news_csv,
    news_labelled,
    read_news_csv,
)

HEADER = "id,headline,lead,label,outlet,source,path\n"


def write(tmp_path: Path, body: str, header: str = HEADER, encoding: str = "utf-8") -> Path:
    path = tmp_path / "news.csv"
    path.write_bytes((header + body).encode(encoding))
    return path


def test_shipped_set_passes_every_check_and_is_big_enough() -> None:
    items = read_news_csv()
    assert len(items) >= 800
    counts = Counter(item.label for item in items)
    assert set(counts) == {"negatief", "neutraal", "positief"}
    assert counts["negatief"] >= 0.3 * len(items)  # enough negatives to measure recall
    assert all(item.source.count("@") == 1 and item.path for item in items)
    assert len({item.outlet for item in items}) >= 4
    # headline + lead only (no whole articles): a row averages well under 400 bytes
    assert NEWS_DATA_PATH.stat().st_size < 400 * len(items)


def test_reads_a_good_file_with_bom_and_english_labels(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "a1,Brand in woning,De brandweer rukte uit.,negative,ad.nl,x/y@abc,p.md\n"
        "a2,Bieb blijft open,,Positief,,,\n",
    )
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    items = read_news_csv(path)
    assert [(i.id, i.label) for i in items] == [("a1", "negatief"), ("a2", "positief")]
    assert items[0].text == "Brand in woning. De brandweer rukte uit."
    assert items[1].text == "Bieb blijft open"  # no lead: the headline alone


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("a1,Kop,Intro.,boos,,,\n", "row 2: unknown label 'boos'"),
        ("a1,,Intro.,negatief,,,\n", "row 2: empty headline"),
        (",Kop,Intro.,negatief,,,\n", "row 2: empty id"),
        ("a1,Kop,Intro.,negatief,,,\na1,Andere kop,Intro.,neutraal,,,\n", "row 3: id 'a1'"),
        (
            "a1,Raad boos over kosten,Intro hier.,negatief,,,\n"
            "a2,raad BOOS over kosten!,Intro  hier,negatief,,,\n",
            "row 3: same headline and lead as row 2",
        ),
        ("a1,Kop \ufffd kapot,Intro.,negatief,,,\n", "replacement character"),
        ("a1,Kop," + "x" * 1200 + ",negatief,,,\n", "too long"),
    ],
)
def test_bad_rows_raise_with_row_and_fix(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(DataError, match=message.replace("(", r"\(").replace("?", r"\?")):
        read_news_csv(write(tmp_path, body))


def test_not_utf8_is_refused_with_the_byte(tmp_path: Path) -> None:
    path = write(tmp_path, "a1,Café dicht,Intro.,negatief,,,\n", encoding="latin-1")
    with pytest.raises(DataError, match=r"not UTF-8 text \(byte \d+\)"):
        read_news_csv(path)


def test_missing_columns_and_empty_files(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="missing column.*lead"):
        read_news_csv(write(tmp_path, "a1,Kop,negatief\n", header="id,headline,label\n"))
    with pytest.raises(DataError, match="no labelled rows"):
        read_news_csv(write(tmp_path, ""))
    with pytest.raises(DataError, match="empty file"):
        read_news_csv(write(tmp_path, "", header=""))
    with pytest.raises(DataError, match="file not found"):
        read_news_csv(tmp_path / "nope.csv")


def test_format_detection(tmp_path: Path) -> None:
    assert is_news_csv(NEWS_DATA_PATH)
    plain = tmp_path / "plain.csv"
    plain.write_text("text,label\nGoed zo,positief\n", encoding="utf-8")
    assert not is_news_csv(plain)
    assert not is_news_csv(tmp_path / "missing.csv")


def test_labelled_views_of_items(tmp_path: Path) -> None:
    items = read_news_csv(
        write(tmp_path, "a1,Kop een,Intro een.,negatief,,,\na2,Kop twee,,positief,,,\n")
    )
    assert news_labelled(items).texts == ["Kop een. Intro een.", "Kop twee"]
    both = news_labelled(items, part="both")
    assert both.texts == ["Kop een", "Intro een.", "Kop twee"]
    assert both.labels == ["negatief", "negatief", "positief"]
    assert news_labelled(items, part="headline").texts == ["Kop een", "Kop twee"]
    with pytest.raises(ValueError, match="unknown part"):
        news_labelled(items, part="body")


def test_duplicate_key_ignores_case_space_and_punctuation() -> None:
    same = duplicate_key("raad boos", "over kosten")
    assert duplicate_key("Raad: boos!", "Over  kosten.") == same
    assert duplicate_key("Raad boos", "") != duplicate_key("Raad blij", "")
