"""`newsroom digest` (preview or send the weekly digest) and `newsroom alerts`."""

from __future__ import annotations

import sys
from datetime import datetime, timedelta
from pathlib import Path

import click

from core.config import Config, Recipient
from core.records import utcnow
from core.wording import local_time
from newsroom.cli.context import EXIT_FAILURE, EXIT_PARTIAL, AppContext, cli_actor, pass_app
from storage.alerts import count_alerts_since, list_alerts
from storage.db import Database
from storage.digests import list_digests


def register(group: click.Group) -> None:
    group.add_command(digest)
    group.add_command(alerts)
    from newsroom.cli.core import add_status_section

    add_status_section("Weekoverzicht en meldingen", _status_lines)


def _status_lines(db: Database, config: Config) -> list[str]:
    lines = []
    archived = list_digests(db, limit=20)
    sent = [d for d in archived if d.sent_at is not None]
    failed = [d for d in archived if d.sent_at is None and d.last_error]
    if sent:
        newest = max(sent, key=lambda d: d.sent_at or d.created)
        lines.append(f"laatste weekoverzicht: {newest.week}, verstuurd "
                     f"{local_time(newest.sent_at, config.schedule.timezone)}")
    else:
        lines.append("nog geen weekoverzicht verstuurd")
    for item in failed:
        lines.append(f"NIET verstuurd: {item.week} aan {item.recipient}: {item.last_error}")
    lines.append(f"ontvangers: {len(config.mail.recipients)}")
    lines.append(f"meldingen in de laatste 7 dagen: "
                 f"{count_alerts_since(db, utcnow() - timedelta(days=7))}")
    return lines


def _dry_run(db: Database, config: Config, now: datetime) -> None:
    """What `--send` would do now, with open incidents and cooldowns taken into account."""
    from alerts.detect import source_problems_due
    from alerts.incidents import plan_incidents

    plan = plan_incidents(db, config, now)
    due, cooling = source_problems_due(db, config, now)
    new = [alert for _group, alert in plan.new] + due
    click.echo(f"Proefdraaien: {len(new)} nieuwe melding(en); {len(plan.updates)} lopend(e) "
               f"incident(en) bijgewerkt zonder nieuwe melding; "
               f"{len(plan.cooling) + len(cooling)} in de afkoelperiode "
               "(niets opgeslagen, niets verstuurd).")
    for alert in new:
        click.echo(f"  - nieuw: {alert.message}")
    for incident, _group, alert in plan.updates:
        click.echo(f"  - bijwerken (incident {incident.id}): {alert.message}")
    for alert in [*plan.cooling, *cooling]:
        click.echo(f"  - afkoelperiode: {alert.message}")


def _find_recipient(config: Config, email: str | None) -> Recipient | None:
    if email is None:
        return None
    for recipient in config.mail.recipients:
        if recipient.email.lower() == email.lower():
            return recipient
    known = ", ".join(r.email for r in config.mail.recipients) or "geen"
    raise click.BadParameter(f"{email} staat niet in [[mail.recipients]] (bekend: {known})",
                             param_hint="--recipient")


@click.command()
@click.option("--preview", "mode", flag_value="preview", default=True,
              help="Build the digest without sending it (default).")
@click.option("--send", "mode", flag_value="send",
              help="Send the digest to every configured recipient (once per week each).")
@click.option("--week", help="ISO week, YYYY-Www (default: the last complete week).")
@click.option("--out", "-o", type=click.Path(dir_okay=False, writable=True),
              help="With --preview: write the HTML (charts embedded) to this file.")
@click.option("--recipient", help="With --preview: build it as this recipient gets it.")
@click.option("--force", is_flag=True, help="With --send: send again even if already sent.")
@pass_app
def digest(app: AppContext, mode: str, week: str | None, out: str | None,
           recipient: str | None, force: bool) -> None:
    """Preview or send the weekly digest (het weekoverzicht).

    Examples: newsroom digest --preview --out week.html;
    newsroom digest --send --week 2026-W47
    """
    from digest.build import build_digest
    from digest.send import send_weekly_digests
    from digest.weeks import WeekError, last_complete_week, parse_week

    config = app.config
    try:
        label = (parse_week(week, config.schedule.timezone).label if week
                 else last_complete_week(utcnow(), config.schedule.timezone).label)
    except WeekError as exc:
        raise click.BadParameter(str(exc), param_hint="--week") from exc
    db = app.db()
    if mode == "preview":
        result = build_digest(db, config, label, _find_recipient(config, recipient))
        if out:
            Path(out).write_text(result.html_with_inline_images(), encoding="utf-8")
            click.echo(f"Voorbeeld van {label} geschreven naar {out}", err=True)
        else:
            click.echo(f"Onderwerp: {result.subject}\n")
            click.echo(result.text)
        return
    if not config.mail.recipients:
        raise click.ClickException(
            "Geen ontvangers ingesteld: voeg [[mail.recipients]] toe aan newsroom.toml."
        )
    results = send_weekly_digests(db, config, label, force=force, actor=cli_actor())
    words = {"sent": "verstuurd", "skipped": "overgeslagen", "failed": "MISLUKT"}
    for item in results:
        detail = f" ({item.detail})" if item.detail else ""
        click.echo(f"{item.week} {item.recipient}: {words[item.status]}{detail}")
    failures = sum(item.status == "failed" for item in results)
    if failures:
        sys.exit(EXIT_FAILURE if failures == len(results) else EXIT_PARTIAL)


@click.command()
@click.option("--send/--dry-run", default=False, show_default=True,
              help="--send stores and delivers new alerts; --dry-run only shows what "
                   "detection finds now.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 500),
              help="How many recent alerts to list.")
@pass_app
def alerts(app: AppContext, send: bool, limit: int) -> None:
    """Run spike and silent-source detection now, and list recent alerts (meldingen)."""
    from alerts.detect import run_alerts

    db = app.db()
    now = utcnow()
    if send:
        new = run_alerts(db, app.config, now=now)
        click.echo(f"Nieuwe meldingen: {len(new)}")
    else:
        _dry_run(db, app.config, now)
    recent = list_alerts(db, limit=limit)
    click.echo(f"\nRecente meldingen ({len(recent)}):")
    for alert in recent:
        delivery = []
        if alert.sent_email:
            delivery.append("mail " + alert.sent_email.split(" ")[0].rstrip(":"))
        if alert.sent_webhook:
            delivery.append("webhook " + alert.sent_webhook.split(" ")[0])
        suffix = f" [{', '.join(delivery)}]" if delivery else ""
        click.echo(f"  {alert.created:%Y-%m-%d %H:%M} {alert.message}{suffix}")
