"""Who may do what in the dashboard (no Streamlit here, so the rules are testable alone).

Roles:
- management: sees everything, changes nothing (no watches, corrections, tags or notes);
- adviser: corrects sentiment, adds tags and notes, creates and edits every watch;
- project_lead: sees and edits only their own watches (config `watches`, or owner), may add
  tags and notes but not sentiment corrections (those train the model).
"""

from __future__ import annotations

from dataclasses import dataclass

from core.records import Watch

ROLE_NAMES = {"adviser": "adviseur", "project_lead": "projectleider", "management": "management"}


@dataclass(frozen=True)
class SessionUser:
    """The logged-in user of one browser session."""

    username: str
    role: str
    watches: tuple[str, ...] = ()

    @property
    def can_correct(self) -> bool:
        return self.role == "adviser"

    @property
    def can_note(self) -> bool:
        return self.role in ("adviser", "project_lead")

    @property
    def can_create_watch(self) -> bool:
        return self.role in ("adviser", "project_lead")

    def owns(self, watch: Watch) -> bool:
        return watch.name in self.watches or (bool(watch.owner) and watch.owner == self.username)

    def can_see_watch(self, watch: Watch) -> bool:
        return self.role != "project_lead" or self.owns(watch)

    def can_edit_watch(self, watch: Watch) -> bool:
        return self.role == "adviser" or (self.role == "project_lead" and self.owns(watch))
