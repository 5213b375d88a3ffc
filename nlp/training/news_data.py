"""The labelled Dutch news set (`nlp/data/news/news_sentiment.csv`) and its checks.

Each row is one news item as an adviser sees it: a headline, its lead (the first sentence or
two) and one label for the whole item, plus where the text came from (outlet, repository and
commit, path) so every row can be traced. See nlp/data/news/GUIDELINE.md for what the labels
mean and DATASHEET.md for how the set was made.

`read_news_csv` refuses a file it cannot trust and says which row to fix: not UTF-8, a
missing column, an unknown label, an empty headline, a duplicate id, or the same item twice
(same headline and lead after normalising case, spaces and punctuation) — a duplicate would
leak from training into test folds and flatter every figure.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from nlp.training.data import DataError, LabelledData, normalise_label, read_csv_text

NEWS_DATA_PATH = Path(__file__).resolve().parent.parent / "data" / "news" / "news_sentiment.csv"
"""The shipped, hand-labelled news development set."""

REQUIRED_COLUMNS = ("id", "headline", "lead", "label")
MAX_HEADLINE_CHARS = 400
MAX_LEAD_CHARS = 1_000
"""Headline + lead only: longer text means a whole article slipped in (copyright, and not
what the set measures)."""

_NON_WORD = re.compile(r"\W+")


@dataclass(frozen=True)
class NewsItem:
    """One labelled news item; `source` is `owner/repo@commit` and `path` the file in it."""

    id: str
    headline: str
    lead: str
    label: str
    outlet: str = ""
    source: str = ""
    path: str = ""

    @property
    def text(self) -> str:
        """Headline and lead as one text (for models that read an item at once)."""
        return f"{self.headline}. {self.lead}" if self.lead else self.headline


def is_news_csv(path: Path) -> bool:
    """True when the file's header has headline and lead columns (the news format)."""
    try:
        with Path(path).open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), [])
    except (OSError, UnicodeDecodeError):
        return False
    columns = {c.strip().lower() for c in header}
    return {"headline", "lead"} <= columns


def read_news_csv(path: Path = NEWS_DATA_PATH) -> list[NewsItem]:
    """Read and check a news CSV; raises `DataError` naming the file, row and fix."""
    path = Path(path)
    content = read_csv_text(path)
    reader = csv.DictReader(io.StringIO(content, newline=""))
    columns = [c.strip().lower() for c in (reader.fieldnames or [])]
    if not columns:
        raise DataError(f"{path}: empty file; expected a header row {','.join(REQUIRED_COLUMNS)}")
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise DataError(
            f"{path}: missing column(s) {', '.join(missing)}; expected at least "
            f"{','.join(REQUIRED_COLUMNS)}"
        )
    reader.fieldnames = columns
    items: list[NewsItem] = []
    ids: dict[str, int] = {}
    texts: dict[str, int] = {}
    for row_number, row in enumerate(reader, start=2):
        item = _item(path, row_number, row)
        if item.id in ids:
            raise DataError(
                f"{path}, row {row_number}: id {item.id!r} also on row {ids[item.id]}; "
                "ids must be unique"
            )
        key = duplicate_key(item.headline, item.lead)
        if key in texts:
            raise DataError(
                f"{path}, row {row_number}: same headline and lead as row {texts[key]}; "
                "remove one (duplicates leak between training and test folds)"
            )
        ids[item.id] = texts[key] = row_number
        items.append(item)
    if not items:
        raise DataError(f"{path}: no labelled rows after the header")
    return items


def _item(path: Path, row_number: int, row: dict[str, str | None]) -> NewsItem:
    def cell(name: str) -> str:
        return " ".join((row.get(name) or "").split())

    raw_label = cell("label")
    label = normalise_label(raw_label)
    if label is None:
        raise DataError(
            f"{path}, row {row_number}: unknown label {raw_label!r}; use negatief/neutraal/"
            "positief (or negative/neutral/positive)"
        )
    item_id, headline, lead = cell("id"), cell("headline"), cell("lead")
    if not item_id:
        raise DataError(f"{path}, row {row_number}: empty id")
    if not headline:
        raise DataError(f"{path}, row {row_number}: empty headline")
    if "\ufffd" in headline + lead:
        raise DataError(
            f"{path}, row {row_number}: text holds the replacement character (U+FFFD), a sign "
            "of a broken encoding upstream; fix the text"
        )
    if len(headline) > MAX_HEADLINE_CHARS or len(lead) > MAX_LEAD_CHARS:
        raise DataError(
            f"{path}, row {row_number}: headline or lead too long (max {MAX_HEADLINE_CHARS} / "
            f"{MAX_LEAD_CHARS} characters); keep only the headline and the first sentences"
        )
    return NewsItem(
        id=item_id,
        headline=headline,
        lead=lead,
        label=label,
        outlet=cell("outlet"),
        source=cell("source"),
        path=cell("path"),
    )


def duplicate_key(headline: str, lead: str) -> str:
    """Headline + lead lower-cased with punctuation and spacing removed."""
    return _NON_WORD.sub(" ", f"{headline} {lead}".lower()).strip()


def news_labelled(items: Sequence[NewsItem], part: str = "item") -> LabelledData:
    """Labelled texts from news items: `item` (headline. lead), `headline`, or `both`
    (headline and lead as two training texts, each with the item's label)."""
    data = LabelledData()
    for item in items:
        if part == "item":
            texts = [item.text]
        elif part == "headline":
            texts = [item.headline]
        elif part == "both":
            texts = [item.headline] + ([item.lead] if item.lead else [])
        else:
            raise ValueError(f"news_labelled(): unknown part {part!r}")
        for text in texts:
            data.texts.append(text)
            data.labels.append(item.label)
            data.origins.append("news")
    return data
