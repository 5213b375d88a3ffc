"""What one scoring run did (`nlp.pipeline.score_pending`), and its Dutch summary for the
command line; apart from the pipeline so that module stays about scoring."""

from __future__ import annotations

from dataclasses import dataclass, field

from nlp.stories import StoryReport


@dataclass
class ScoreReport:
    """What one scoring run did."""

    model_name: str
    model_version: str
    news_model: str = ""
    """"name (versie version)" of the model for news and official documents; "" = none."""
    documents: int = 0
    sentences: int = 0
    skipped: int = 0
    non_dutch: int = 0
    batches: int = 0
    watch_backfills: int = 0
    watch_scores_backfilled: int = 0
    stories: StoryReport | None = None
    waiting: int = 0
    """Documents still waiting after the run (when --limit stopped it early)."""
    by_model: dict[str, int] = field(default_factory=dict)
    """Documents per "model version" in the whole store after the run."""
    skipped_reasons: list[tuple[str, str]] = field(default_factory=list)
    invalid_watches: list[tuple[str, str]] = field(default_factory=list)
    claimed_elsewhere: int = 0
    """Documents left to another scorer that had claimed them (storage.leases)."""

    def lines(self) -> list[str]:
        """A short Dutch summary for the command line."""
        out = [
            f"Model: {self.model_name} (versie {self.model_version})"
            + (f"; nieuws en officieel: {self.news_model}" if self.news_model else ""),
            f"Gescoord: {self.documents} documenten, {self.sentences} zinnen "
            f"in {self.batches} batches",
        ]
        if self.claimed_elsewhere:
            out.append(f"Door een andere scoorder opgepakt: {self.claimed_elsewhere}")
        if self.non_dutch:
            out.append(f"Niet-Nederlandstalig (wel gescoord, gemarkeerd): {self.non_dutch}")
        if self.skipped:
            out.append(f"Overgeslagen: {self.skipped}")
            out.extend(f"  {doc_id}: {reason}" for doc_id, reason in self.skipped_reasons[:10])
        if self.watch_backfills:
            out.append(
                f"Watches bijgewerkt: {self.watch_backfills} "
                f"({self.watch_scores_backfilled} documenten geraakt)"
            )
        for name, reason in self.invalid_watches:
            out.append(f"Watch '{name}' overgeslagen: {reason}")
        if self.stories is not None:
            out.append(
                f"Verhalen: {self.stories.stories} (uit {self.stories.documents} recente "
                f"documenten), {self.stories.syndicated_documents} overgenomen kopieën"
            )
        if self.waiting:
            out.append(f"Nog te scoren: {self.waiting}")
        if self.by_model:
            out.append("Documenten per model:")
            out.extend(f"  {key}: {count}" for key, count in self.by_model.items())
        return out
