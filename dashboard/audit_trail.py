"""Writing the dashboard's actions to the audit log, with the client's address.

Logins (success and failure) and exports are recorded here; corrections, tags, notes and
watch changes by the writes in `dashboard.data`. Management sees them on the Auditlog page.
"""

from __future__ import annotations

from dashboard import data
from storage.audit import list_events, record_event


def record(actor: str, action: str, target: str = "", detail: str = "") -> None:
    """Append one dashboard event with the client's address."""
    record_event(data.connection(data.db_path()), actor=actor or "anonymous", action=action,
                 target=target, detail=detail, client=data.client_address())
    recent_events.clear()  # type: ignore[attr-defined]


def record_export(actor: str, name: str, file_format: str, rows: int) -> None:
    """`on_click` of a download button: what was exported, by whom, how many rows."""
    record(actor, f"export.{file_format}", target=name, detail=f"{rows} rows")


@data.cached
def recent_events(path: str, action_prefix: str | None = None,
                  limit: int = 500) -> list[dict[str, str]]:
    """The newest events as plain rows for the management page."""
    return [
        {"wanneer": e.at.strftime("%Y-%m-%d %H:%M:%S"), "wie": e.actor, "wat": e.action,
         "waarop": e.target, "details": e.detail, "adres": e.client}
        for e in list_events(data.connection(path), action_prefix=action_prefix, limit=limit)
    ]
