"""Labelled data for training and evaluation: CSV files with `text,label` columns.

Labels may be Dutch or English, any case: positief/negatief/neutraal or
positive/negative/neutral (and the short forms pos/neg/neu). SemEval's "none" (no opinion)
counts as neutral when `allow_none=True`. Every problem with a file (missing, empty, wrong
columns, not UTF-8, an unknown label, an empty text) raises `DataError` naming the file and
row, so a user can fix it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from core.records import LABELS

MAX_FILE_BYTES = 200_000_000
MAX_TEXT_CHARS = 20_000

_LABEL_WORDS = {
    "negatief": "negatief",
    "negative": "negatief",
    "neg": "negatief",
    "neutraal": "neutraal",
    "neutral": "neutraal",
    "neu": "neutraal",
    "positief": "positief",
    "positive": "positief",
    "pos": "positief",
}


class DataError(ValueError):
    """A labelled CSV cannot be used; the message names the file, row and fix."""


@dataclass
class LabelledData:
    """Texts with labels from LABELS, and where each came from (for reports)."""

    texts: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    origins: list[str] = field(default_factory=list)

    def extend(self, other: LabelledData) -> None:
        self.texts += other.texts
        self.labels += other.labels
        self.origins += other.origins

    def __len__(self) -> int:
        return len(self.texts)

    def require_every_label(self, minimum: int = 3) -> None:
        """Training and cross-validation need a few examples of every class; say which lack."""
        counts = self.counts()
        thin = [label for label in LABELS if counts[label] < minimum]
        if thin:
            raise DataError(
                f"Too few examples of {', '.join(thin)} ({counts}); every label needs at "
                f"least {minimum} rows to train and cross-validate"
            )

    def counts(self) -> dict[str, int]:
        return {label: self.labels.count(label) for label in LABELS}


def normalise_label(raw: str, allow_none: bool = False) -> str | None:
    """A label in LABELS, or None when the word is not a known label."""
    key = raw.strip().lower()
    if allow_none and key == "none":
        return "neutraal"
    return _LABEL_WORDS.get(key)


def read_labelled_csv(
    path: Path, allow_none: bool = False, skip_labels: tuple[str, ...] = ()
) -> LabelledData:
    """Read a `text,label` CSV; raises `DataError` on any problem.

    `skip_labels` (e.g. ("mixed",)) names label values to leave out on purpose.
    """
    path = Path(path)
    content = read_csv_text(path)
    reader = csv.DictReader(io.StringIO(content, newline=""))
    columns = [c.strip().lower() for c in (reader.fieldnames or [])]
    if not columns:
        raise DataError(f"{path}: empty file; expected a header row `text,label`")
    missing = [c for c in ("text", "label") if c not in columns]
    if missing:
        raise DataError(
            f"{path}: missing column(s) {', '.join(missing)}; the header has "
            f"{', '.join(columns) or 'nothing'} (expected at least text,label)"
        )
    reader.fieldnames = columns
    data = LabelledData()
    for row_number, row in enumerate(reader, start=2):
        _add_row(data, path, row_number, row, allow_none, skip_labels)
    if not data.texts:
        raise DataError(f"{path}: no labelled rows after the header")
    return data


def _add_row(
    data: LabelledData,
    path: Path,
    row_number: int,
    row: dict[str, str | None],
    allow_none: bool,
    skip_labels: tuple[str, ...],
) -> None:
    raw_label = (row.get("label") or "").strip()
    text = (row.get("text") or "").strip()
    if raw_label.lower() in skip_labels:
        return
    label = normalise_label(raw_label, allow_none=allow_none)
    if label is None:
        raise DataError(
            f"{path}, row {row_number}: unknown label {raw_label!r}; use positief/negatief/"
            "neutraal or positive/negative/neutral"
        )
    if not text:
        raise DataError(f"{path}, row {row_number}: empty text")
    data.texts.append(text[:MAX_TEXT_CHARS])
    data.labels.append(label)
    data.origins.append(path.name)


def corrections_data(rows: list[tuple[str, int | None, str, str]]) -> LabelledData:
    """Advisers' corrections (`storage.adviser.latest_corrections`) as labelled data."""
    data = LabelledData()
    for _doc_id, _idx, text, label in rows:
        if text and text.strip() and label in LABELS:
            data.texts.append(text.strip()[:MAX_TEXT_CHARS])
            data.labels.append(label)
            data.origins.append("corrections")
    return data


def read_csv_text(path: Path) -> str:
    """A labelled CSV's text: present, within MAX_FILE_BYTES and UTF-8 (a BOM is allowed),
    else `DataError` naming the file and the fix. Shared by every labelled-data reader."""
    if not path.is_file():
        raise DataError(f"{path}: file not found")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise DataError(f"{path}: larger than {MAX_FILE_BYTES // 1_000_000} MB; split it")
    raw = path.read_bytes()
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(
            f"{path}: not UTF-8 text (byte {exc.start}); save the file as UTF-8 CSV"
        ) from exc
    return content
