"""`newsroom api`: start the read-only HTTP API; `newsroom api token create/list/revoke`.

A token acts for one dashboard user and reads what that user may see in the dashboard. Its
secret is printed once and stored only as a hash; creating and revoking tokens is written
to the audit log.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import click

from newsroom.cli.context import AppContext, cli_actor, pass_app
from newsroom.demo.ports import port_is_free

DEFAULT_PORT = 8600
DEFAULT_EXPIRY_DAYS = 90


def register(group: click.Group) -> None:
    group.add_command(api)


@click.group(invoke_without_command=True)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (127.0.0.1 keeps it on this machine).")
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=click.IntRange(1, 65535),
              help="Port to serve the API on.")
@click.option("--rate-limit", default=120, show_default=True, type=click.IntRange(1, 100_000),
              help="Requests per token per minute.")
@click.pass_context
def api(ctx: click.Context, host: str, port: int, rate_limit: int) -> None:
    """Start the read-only HTTP API (tokens: `newsroom api token create`)."""
    if ctx.invoked_subcommand is not None:
        return
    from api.server import make_server

    app: AppContext = ctx.ensure_object(AppContext)
    config = app.config
    app.db()  # creates or migrates the store before serving
    if not port_is_free(port, host):
        raise click.ClickException(
            f"Poort {port} is bezet; er draait daar al iets. Kies een andere poort met --port.")
    click.echo(f"API op http://{host}:{port} (beschrijving: /openapi.json)", err=True)
    make_server(config, host, port, rate_limit).run()


@api.group()
def token() -> None:
    """Manage API tokens (create, list, revoke)."""


def _expiry(value: str) -> datetime | None:
    if value == "nooit":
        return None
    match = re.fullmatch(r"(\d{1,4})d", value)
    if match:
        return datetime.now(UTC) + timedelta(days=int(match.group(1)))
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("gebruik een datum (2027-03-31), een aantal dagen (30d) of "
                                 "'nooit'.") from None
    return datetime.combine(day + timedelta(days=1), datetime.min.time(), UTC)


@token.command("create")
@click.option("--user", "username", required=True, help="The dashboard user the token acts for.")
@click.option("--name", default="", help="What the token is for (e.g. the system using it).")
@click.option("--expires", default=f"{DEFAULT_EXPIRY_DAYS}d", show_default=True,
              help="Last day (YYYY-MM-DD), a number of days (30d) or 'nooit'.")
@pass_app
def create(app: AppContext, username: str, name: str, expires: str) -> None:
    """Make a token for a user; its secret is shown once."""
    from api.access import find_user
    from storage.api_tokens import TokenError, create_token
    from storage.audit import record_event

    until = _expiry(expires)
    db = app.db()
    if find_user(app.config, db, username) is None:
        raise click.ClickException(
            f"Er is geen gebruiker {username!r}. Voeg die eerst toe met `newsroom users add` "
            "of in newsroom.toml.")
    try:
        stored, secret = create_token(db, username, name, until)
    except TokenError as exc:
        raise click.ClickException(str(exc)) from exc
    record_event(db, actor=cli_actor(), action="api_token.create", target=username,
                 detail=f"token {stored.id} {stored.name}".strip())
    click.echo(secret)
    ends = until.date().isoformat() if until else "nooit"
    click.echo(f"Token {stored.id} voor {username} (verloopt: {ends}). Bewaar het nu: je "
               "ziet het niet nog een keer.", err=True)


@token.command("list")
@click.option("--user", "username", default=None, help="Only this user's tokens.")
@pass_app
def list_command(app: AppContext, username: str | None) -> None:
    """List tokens (never their secrets)."""
    from core.records import utcnow
    from storage.api_tokens import list_tokens

    now = utcnow()
    tokens = list_tokens(app.db(), username)
    if not tokens:
        click.echo("Er zijn nog geen tokens.")
        return
    for item in tokens:
        ends = item.expires.date().isoformat() if item.expires else "nooit"
        used = item.last_used.strftime("%Y-%m-%d %H:%M") if item.last_used else "nooit"
        click.echo(f"{item.id}\t{item.username}\t{item.state(now)}\tverloopt {ends}\t"
                   f"laatst gebruikt {used}\t{item.name}")


@token.command("revoke")
@click.argument("token_id", type=int)
@pass_app
def revoke(app: AppContext, token_id: int) -> None:
    """Revoke a token by its number (see `token list`); it stops working at once."""
    from storage.api_tokens import TokenError, revoke_token
    from storage.audit import record_event

    db = app.db()
    try:
        stored = revoke_token(db, token_id)
    except TokenError as exc:
        raise click.ClickException(str(exc)) from exc
    record_event(db, actor=cli_actor(), action="api_token.revoke", target=stored.username,
                 detail=f"token {stored.id}")
    click.echo(f"Token {token_id} van {stored.username} ingetrokken.")
