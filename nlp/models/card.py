"""Measured figures from MODEL_CARD.md, for the Algoritmeregister entry and the dashboard's
"Over deze monitor" page.

The card is the one place the figures are written down; reading them from it (instead of
copying numbers into code) keeps the register and the page true when the card changes.
Pure text parsing: importing this does not load torch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

CARD_PATH = Path(__file__).with_name("MODEL_CARD.md")


@dataclass(frozen=True)
class ModelFigures:
    """One model's section of the card: its title, evaluation rows and known limits."""

    title: str
    rows: tuple[tuple[str, str, str], ...] = ()
    """(test, macro-F1, accuracy) as written in the card, bold marks removed."""
    limits: tuple[str, ...] = field(default_factory=tuple)


def model_figures(model_name: str, card_text: str | None = None) -> ModelFigures | None:
    """The card section whose heading names `model_name`, or None when the card has none.

    >>> figures = model_figures("newsroom-e5-lora-sentiment")
    >>> figures is not None and any("unseen domain" in row[0] for row in figures.rows)
    True
    """
    text = card_text if card_text is not None else CARD_PATH.read_text(encoding="utf-8")
    for heading, body in _sections(text):
        if model_name and model_name in heading:
            return ModelFigures(title=_plain(heading), rows=_table_rows(body),
                                limits=_limits(body))
    return None


def _sections(text: str) -> list[tuple[str, str]]:
    parts = re.split(r"^## (.+)$", text, flags=re.MULTILINE)
    return [(parts[i], parts[i + 1]) for i in range(1, len(parts) - 1, 2)]


def _plain(value: str) -> str:
    return value.replace("**", "").replace("`", "").strip()


def _table_rows(body: str) -> tuple[tuple[str, str, str], ...]:
    rows = []
    for line in body.splitlines():
        cells = [_plain(cell) for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and line.lstrip().startswith("|") and cells[0] not in ("test",):
            if set(cells[1]) <= set("-: "):
                continue
            rows.append((cells[0], cells[1], cells[2]))
    return tuple(rows)


def _limits(body: str) -> tuple[str, ...]:
    match = re.search(r"\*\*Known domain limits\.\*\*(.*?)(?:\n\n\S|\Z)", body, re.DOTALL)
    if not match:
        return ()
    items = re.split(r"\n- ", "\n" + match.group(1).strip())
    return tuple(" ".join(item.split()) for item in items if item.strip())
