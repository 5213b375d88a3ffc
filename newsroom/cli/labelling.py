"""`newsroom rules add/list/remove`: labelling rules from the command line.

The command line is an operator's tool on the server itself, so it acts with the adviser
role; `--author` records who made a rule (default: the login name).
"""

from __future__ import annotations

import getpass

import click

from core.records import LABELS
from newsroom.cli.context import AppContext, cli_actor, pass_app
from storage.audit import record_event
from storage.effective import LabelError
from storage.rules import add_rule, list_rules, remove_rule

CLI_ROLE = "adviser"


def register(group: click.Group) -> None:
    group.add_command(rules)


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "cli"


@click.group()
def rules() -> None:
    """Labelling rules: "source X and text contains Y -> sentiment Z" (past and future items)."""


@rules.command("add")
@click.argument("contains")
@click.argument("label", type=click.Choice(LABELS))
@click.option("--source", "source_id", default=None,
              help="Only documents of this source id (default: every source).")
@click.option("--author", default=None, help="Who makes the rule (default: your login name).")
@pass_app
def add(app: AppContext, contains: str, label: str, source_id: str | None,
        author: str | None) -> None:
    """Add a rule and apply it to every stored document; new ones follow at the next rollup."""
    try:
        rule = add_rule(app.db(), contains, label, author=author or _login_name(),
                        role=CLI_ROLE, source_id=source_id)
    except LabelError as exc:
        raise click.ClickException(str(exc)) from exc
    record_event(app.db(), actor=cli_actor(), action="rule.add", target=str(rule.id),
                 detail=rule.describe())
    click.echo(f"Regel {rule.id} opgeslagen: {rule.describe()}. "
               f"{rule.hits} berichten passen erop, {rule.labelled} krijgen nu dit sentiment.")


@rules.command("list")
@pass_app
def list_(app: AppContext) -> None:
    """List the rules with how many items each touched."""
    found = list_rules(app.db())
    if not found:
        click.echo("Er zijn nog geen regels.")
        return
    for rule in found:
        click.echo(f"{rule.id}: {rule.describe()} | geraakt: {rule.hits}, "
                   f"zet nu: {rule.labelled} | door {rule.author} op {rule.created:%Y-%m-%d}")


@rules.command("remove")
@click.argument("rule_id", type=int)
@pass_app
def remove(app: AppContext, rule_id: int) -> None:
    """Remove a rule and undo its labels (corrections by advisers stay)."""
    try:
        undone = remove_rule(app.db(), rule_id, role=CLI_ROLE)
    except LabelError as exc:
        raise click.ClickException(str(exc)) from exc
    record_event(app.db(), actor=cli_actor(), action="rule.remove", target=str(rule_id),
                 detail=f"{undone} berichten terug")
    click.echo(f"Regel {rule_id} verwijderd; {undone} berichten hebben weer hun eerdere "
               "sentiment.")
