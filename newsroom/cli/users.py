"""`newsroom users add/list/remove/passwd`: dashboard users kept in the store.

Passwords are asked twice without echo and must pass dashboard.passwords (at least 12
characters, not a common password); only the bcrypt hash is stored. Users in newsroom.toml
keep working; a name lives in one place only. Changing a password or removing a user ends
their open dashboard sessions. Every change is written to the audit log.
"""

from __future__ import annotations

import getpass
import time

import click

from newsroom.cli.context import AppContext, pass_app

ROLE_CHOICE = click.Choice(["adviser", "project_lead", "management"])


def register(group: click.Group) -> None:
    group.add_command(users)


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _ask_password(username: str) -> str:
    from dashboard.passwords import WeakPassword, check_password

    password = click.prompt("Wachtwoord", hide_input=True, confirmation_prompt=True)
    try:
        check_password(password, username)
    except WeakPassword as exc:
        raise click.ClickException(str(exc)) from exc
    return password


@click.group()
def users() -> None:
    """Manage dashboard users stored in the database (add, list, remove, passwd)."""


@users.command("add")
@click.argument("username")
@click.option("--role", required=True, type=ROLE_CHOICE,
              help="adviser (corrects and edits), project_lead (own projects), management "
                   "(reads only).")
@click.option("--watch", "watches", multiple=True,
              help="A project (watch) name a project lead follows; repeat for more.")
@pass_app
def add(app: AppContext, username: str, role: str, watches: tuple[str, ...]) -> None:
    """Add a dashboard user; the password is asked twice."""
    from dashboard.passwords import hash_password
    from storage.accounts import AccountError, StoredUser, add_user
    from storage.audit import record_event

    if any(u.username == username for u in app.config.dashboard.users):
        raise click.ClickException(
            f"{username!r} staat al in newsroom.toml ([[dashboard.users]]); beheer die "
            "gebruiker daar, of haal hem daar eerst weg.")
    db = app.db()
    password = _ask_password(username)
    try:
        add_user(db, StoredUser(username=username, role=role,
                                password_hash=hash_password(password, username),
                                watches=watches))
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    record_event(db, actor=_actor(), action="user.add", target=username, detail=role)
    click.echo(f"Gebruiker {username} ({role}) toegevoegd.")


@users.command("list")
@pass_app
def list_command(app: AppContext) -> None:
    """List dashboard users (from the database and from newsroom.toml), never their hashes."""
    from storage.accounts import list_users

    rows = [(u.username, u.role, "database", ", ".join(u.watches))
            for u in list_users(app.db())]
    rows += [(u.username, u.role, "newsroom.toml", ", ".join(u.watches))
             for u in app.config.dashboard.users]
    if not rows:
        click.echo("Er zijn nog geen gebruikers. Voeg er een toe met `newsroom users add`.")
    for name, role, where, watches in sorted(rows):
        click.echo(f"{name}\t{role}\t{where}" + (f"\t{watches}" if watches else ""))


@users.command("remove")
@click.argument("username")
@pass_app
def remove(app: AppContext, username: str) -> None:
    """Remove a stored dashboard user and end their sessions."""
    from storage.accounts import AccountError, remove_user
    from storage.audit import record_event
    from storage.sessions import revoke_user_sessions

    db = app.db()
    try:
        remove_user(db, username)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    ended = revoke_user_sessions(db, username, time.time())
    record_event(db, actor=_actor(), action="user.remove", target=username)
    click.echo(f"Gebruiker {username} verwijderd ({ended} open sessies beëindigd).")


@users.command("passwd")
@click.argument("username")
@pass_app
def passwd(app: AppContext, username: str) -> None:
    """Set a new password for a stored user (asked twice) and end their sessions."""
    from dashboard.passwords import hash_password
    from storage.accounts import AccountError, set_password
    from storage.audit import record_event
    from storage.sessions import revoke_user_sessions

    db = app.db()
    password = _ask_password(username)
    try:
        set_password(db, username, hash_password(password, username))
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    revoke_user_sessions(db, username, time.time())
    record_event(db, actor=_actor(), action="user.passwd", target=username)
    click.echo(f"Wachtwoord van {username} gewijzigd.")
