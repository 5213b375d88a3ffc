"""A news item read as one text — headline, then its lead — for the document score of news and
official documents scored by the news model.

Why: the news models (nlp/models/MODEL_CARD.md, section 0) were trained on items written as
"headline. lead" and measured that way: cross-validated macro-F1 0.649 and negatief recall
0.807 on the news development set (frozen head, 1,471 items; the fine-tuned v5: 0.680 / 0.814
on 2,081). Scoring the same items the sentence way (headline and lead
sentences apart, then `nlp.aggregate`) measured 0.617 and negatief recall 0.606 on the same
folds: the neutral band of the aggregation pulls mixed items to neutraal. So a document of
that model reads its headline and lead at once, the way an adviser does; the sentence scores
stay for the item view and the watches.

The lead of a crawled document is its first sentences, up to the length of the leads the
model was trained on (median 141, at most 260 characters).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from core.records import Sentiment
from nlp.sentences import split_sentences

if TYPE_CHECKING:
    from nlp.sentiment.base import SentimentModel

LEAD_MIN_CHARS = 140
"""Sentences are added to the lead until it is at least this long (the training median)."""
LEAD_MAX_CHARS = 260
"""The longest lead in the training data; a longer lead is cut at a word boundary."""


def item_text(headline: str, lead: str) -> str:
    """Headline and lead as one text, written as the training items were."""
    headline = " ".join(headline.split())
    lead = " ".join(lead.split())
    return f"{headline}. {lead}" if lead else headline


def lead_of(title: str, text: str) -> str:
    """The lead of a crawled document: its first sentences (without a repeated headline),
    at least `LEAD_MIN_CHARS` where the text allows, at most `LEAD_MAX_CHARS`."""
    body = " ".join(text.split())
    headline = " ".join(title.split())
    if headline and body.startswith(headline):
        body = body[len(headline):].lstrip(" .:-")
    lead = ""
    for span in split_sentences(body):
        lead = f"{lead} {span.text}".strip()
        if len(lead) >= LEAD_MIN_CHARS:
            break
    if len(lead) > LEAD_MAX_CHARS:
        cut = lead[:LEAD_MAX_CHARS]
        lead = cut[: cut.rfind(" ")] if " " in cut else cut
    return lead


def document_item_text(title: str, text: str) -> str:
    """What the news model reads for a crawled document's score; the text alone when the
    document has no headline."""
    lead = lead_of(title, text)
    if not title.strip():
        return lead or " ".join(text.split())[:LEAD_MAX_CHARS]
    return item_text(title, lead)


def score_items_whole(model: SentimentModel, items: Sequence[tuple[str, str]]) -> list[Sentiment]:
    """Document scores of (headline, lead) pairs, each read as one text (one model call)."""
    return model.predict([item_text(headline, lead) for headline, lead in items]) if items else []
