"""The dashboard's writes, each checked against the user's role before it reaches storage.

Pages hide buttons a role may not use, but a hidden button is no control: every write goes
through a function here that refuses it (NotAllowed, a Dutch message) when the role or the
ownership does not allow it, and records it in the audit log when it happens.
"""

from __future__ import annotations

from core.records import Annotation, Watch, utcnow
from dashboard.roles import SessionUser
from storage.adviser import add_annotation
from storage.audit import record_event
from storage.db import Database
from storage.watch_edits import create_watch, find_watch, update_watch


class NotAllowed(PermissionError):
    """The user's role does not allow this action; the message is Dutch, for the user."""


def save_watch_as(db: Database, user: SessionUser, watch: Watch) -> int:
    """Create (watch.id None) or update a watch by id, as `user`; returns its id.

    A project lead always becomes the owner of what they save and may only edit a watch
    they own; nobody takes over a project by renaming another to its name (WatchNameTaken).
    """
    if not user.can_create_watch:
        raise NotAllowed("Je mag geen projecten maken of bewerken.")
    if user.role == "project_lead":
        watch = Watch(name=watch.name, query=watch.query, owner=user.username,
                      active=watch.active, id=watch.id)
    if watch.id is None:
        watch_id = create_watch(db, watch)
        record_event(db, actor=user.username, action="watch.create", target=str(watch_id),
                     detail=_watch_detail(watch))
        return watch_id
    existing = find_watch(db, watch.id)
    if existing is None or not user.can_edit_watch(existing):
        raise NotAllowed("Je mag alleen je eigen projecten bewerken.")
    expected = existing.owner if user.role == "project_lead" else None
    update_watch(db, watch, expected_owner=expected)
    record_event(db, actor=user.username, action="watch.update", target=str(watch.id),
                 detail=_watch_detail(watch))
    return watch.id


def annotate_as(db: Database, user: SessionUser, document_id: str, kind: str,
                value: str, sentence_idx: int | None = None) -> int:
    """A correction (advisers only), tag or note (advisers and project leads)."""
    allowed = user.can_correct if kind == "correction" else user.can_note
    if not allowed:
        raise NotAllowed("Je mag hier alleen meekijken." if not user.can_note
                         else "Alleen adviseurs mogen het sentiment corrigeren.")
    annotation_id = add_annotation(
        db, Annotation(document_id=document_id, kind=kind,  # type: ignore[arg-type]
                       value=value, author=user.username, created=utcnow(),
                       sentence_idx=sentence_idx),
    )
    # The audit line names a correction's label; never a note's or tag's text.
    record_event(db, actor=user.username, action=f"annotation.{kind}", target=document_id,
                 detail=value if kind == "correction" else "")
    return annotation_id


def _watch_detail(watch: Watch) -> str:
    """What the audit log keeps of a watch change: name, query, owner, on or off."""
    return (f"{watch.name} | {watch.query} | owner {watch.owner or '-'} | "
            f"{'actief' if watch.active else 'uit'}")
