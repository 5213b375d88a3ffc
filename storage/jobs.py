"""Job runs: one row per scheduled job execution, with its outcome and a short detail.

The scheduler writes a row when a job starts ('running') and closes it when the job ends
('ok', 'failed' with the error summary, or 'skipped' with the reason). `newsroom status` and
`newsroom jobs` read the latest row per job, so an operator sees at once which job failed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, get_args

from core.records import utcnow
from core.redact import redact
from core.timeutil import from_iso, to_iso
from storage.db import Database, transaction
from storage.nul import strip_nul

JobOutcome = Literal["running", "ok", "failed", "skipped", "interrupted"]
JOB_OUTCOMES: tuple[str, ...] = get_args(JobOutcome)

MAX_DETAIL_CHARS = 1_000
"""Error messages can embed scraped text or whole tracebacks; keep the stored summary short."""


class JobRunError(ValueError):
    """A job run was recorded with an unknown outcome or an unknown run id."""


@dataclass(frozen=True)
class JobRun:
    """One execution of a scheduled job."""

    id: int
    job_id: str
    started: datetime
    ended: datetime | None
    outcome: str
    detail: str

    @property
    def seconds(self) -> float | None:
        """How long the run took, or None while it is still running."""
        if self.ended is None:
            return None
        return (self.ended - self.started).total_seconds()


def start_job_run(db: Database, job_id: str, started: datetime | None = None) -> int:
    """Record that `job_id` started; returns the run id to pass to `finish_job_run`."""
    if not job_id:
        raise JobRunError("job_id must not be empty")
    with transaction(db) as conn:
        return int(conn.execute(
            "INSERT INTO job_runs (job_id, started, outcome, detail) "
            "VALUES (?, ?, 'running', '') RETURNING id",
            [strip_nul(job_id), to_iso(started or utcnow())],
        ).fetchone()[0])


def finish_job_run(
    db: Database,
    run_id: int,
    outcome: str,
    detail: str = "",
    ended: datetime | None = None,
) -> None:
    """Close a run with its outcome ('ok', 'failed', 'skipped', 'interrupted') and detail."""
    if outcome not in JOB_OUTCOMES or outcome == "running":
        raise JobRunError(
            f"Unknown job outcome {outcome!r}; use one of ok, failed, skipped, interrupted"
        )
    with transaction(db) as conn:
        cursor = conn.execute(
            "UPDATE job_runs SET ended = ?, outcome = ?, detail = ? WHERE id = ?",
            [to_iso(ended or utcnow()), outcome, _clip(detail), run_id],
        )
        if cursor.rowcount == 0:
            raise JobRunError(f"No job run with id {run_id}")


def _clip(detail: str) -> str:
    detail = " ".join(strip_nul(redact(detail)).split())
    if len(detail) <= MAX_DETAIL_CHARS:
        return detail
    return detail[: MAX_DETAIL_CHARS - 1] + "…"


def _from_row(row: dict) -> JobRun:
    return JobRun(
        id=int(row["id"]),
        job_id=row["job_id"],
        started=from_iso(row["started"]) or utcnow(),
        ended=from_iso(row["ended"]),
        outcome=row["outcome"],
        detail=row["detail"],
    )


def job_status(db: Database) -> dict[str, JobRun]:
    """The latest run of every job that ever ran, keyed by job id."""
    rows = db.query(
        "SELECT r.* FROM job_runs r JOIN ("
        "  SELECT job_id, max(id) AS id FROM job_runs GROUP BY job_id"
        ") latest ON latest.id = r.id ORDER BY r.job_id"
    )
    return {row["job_id"]: _from_row(row) for row in rows}


def list_job_runs(
    db: Database, job_id: str | None = None, limit: int = 50
) -> list[JobRun]:
    """Recent runs, newest first (of one job when given)."""
    if job_id is None:
        rows = db.query("SELECT * FROM job_runs ORDER BY id DESC LIMIT ?", [limit])
    else:
        rows = db.query(
            "SELECT * FROM job_runs WHERE job_id = ? ORDER BY id DESC LIMIT ?", [job_id, limit]
        )
    return [_from_row(row) for row in rows]


def close_stale_runs(db: Database, started_before: datetime) -> int:
    """Mark runs still 'running' that started before the cutoff as 'interrupted'.

    A run stays 'running' when its process was killed (power cut, OOM); without this the
    status page would show it as running forever. Returns how many runs were closed.
    """
    with transaction(db) as conn:
        cursor = conn.execute(
            "UPDATE job_runs SET outcome = 'interrupted', ended = ?, "
            "detail = 'process ended before the job finished' "
            "WHERE outcome = 'running' AND started < ?",
            [to_iso(utcnow()), to_iso(started_before)],
        )
        return cursor.rowcount


def prune_job_runs(db: Database, started_before: datetime) -> int:
    """Delete finished runs older than the cutoff, keeping each job's latest run."""
    with transaction(db) as conn:
        cursor = conn.execute(
            "DELETE FROM job_runs WHERE started < ? AND outcome != 'running' "
            "AND id NOT IN (SELECT max(id) FROM job_runs GROUP BY job_id)",
            [to_iso(started_before)],
        )
        return cursor.rowcount
