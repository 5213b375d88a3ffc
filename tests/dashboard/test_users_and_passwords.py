"""Password rules, `newsroom users add/list/remove/passwd` on a real store, and the login
those users then have (configured users and stored users side by side)."""

from __future__ import annotations

from pathlib import Path

import bcrypt
import pytest
from click.testing import CliRunner

from core.config import load_config
from dashboard import auth
from dashboard.passwords import MIN_LENGTH, WeakPassword, check_password, common_passwords
from newsroom.cli.main import cli
from storage.accounts import list_users
from storage.audit import list_events
from storage.db import open_db
from storage.sessions import create_session, session_user

GOOD = "paars-fietsje-onder-de-brug"


@pytest.mark.parametrize(("password", "message"), [
    ("kort", "minstens 12"),
    ("x" * 11, "minstens 12"),
    ("wachtwoord123", "te bekend"),
    ("Welkom2026!!", "te bekend"),
    ("!!Qwertyuiop12", "te bekend"),
    ("aaaaaaaaaaaaaaaa", "te eenvoudig"),
    ("anna-heeft-een-fiets", "gebruikersnaam"),
    ("é" * 40, "72 bytes"),
])
def test_weak_passwords_are_refused(password: str, message: str) -> None:
    with pytest.raises(WeakPassword, match=message):
        check_password(password, "anna")


def test_a_good_password_passes_and_the_list_ships() -> None:
    check_password(GOOD, "anna")
    assert len(GOOD) >= MIN_LENGTH
    assert "wachtwoord" in common_passwords() and len(common_passwords()) > 100


def _config(tmp_path: Path) -> Path:
    config = tmp_path / "newsroom.toml"
    config.write_text(f'[storage]\npath = "{tmp_path / "newsroom.db"}"\n', encoding="utf-8")
    return config


def _run(config: Path, *args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, ["--config", str(config), *args], input=input)


def test_users_add_list_passwd_remove(tmp_path: Path) -> None:
    config = _config(tmp_path)
    added = _run(config, "users", "add", "anna", "--role", "project_lead", "--watch", "Zwembad",
                 input=f"{GOOD}\n{GOOD}\n")
    assert added.exit_code == 0, added.output
    db = open_db(tmp_path / "newsroom.db")
    [stored] = list_users(db)
    assert stored.role == "project_lead" and stored.watches == ("Zwembad",)
    assert bcrypt.checkpw(GOOD.encode(), stored.password_hash.encode())
    assert GOOD not in added.output and GOOD not in (tmp_path / "newsroom.db").read_bytes().decode(
        "latin-1")

    listed = _run(config, "users", "list")
    assert listed.exit_code == 0 and "anna\tproject_lead\tdatabase\tZwembad" in listed.output
    assert "$2" not in listed.output  # never the hash

    loaded = load_config(str(config))
    user = auth.verify_password(loaded, "anna", GOOD, db)
    assert user == auth.SessionUser("anna", "project_lead", ("Zwembad",))

    token = create_session(db, "anna", 1e9, 3600)
    new = "een-heel-ander-lang-wachtwoord"
    changed = _run(config, "users", "passwd", "anna", input=f"{new}\n{new}\n")
    assert changed.exit_code == 0, changed.output
    assert auth.verify_password(loaded, "anna", GOOD, db) is None
    assert auth.verify_password(loaded, "anna", new, db) is not None
    assert session_user(db, token, 1e9 + 1, 600) is None  # a new password ends old sessions

    removed = _run(config, "users", "remove", "anna")
    assert removed.exit_code == 0 and list_users(db) == []
    assert auth.verify_password(loaded, "anna", new, db) is None
    assert [e.action for e in list_events(db, action_prefix="user.")] == [
        "user.remove", "user.passwd", "user.add"]


def test_users_add_refuses_weak_mismatched_duplicate_and_bad_role(tmp_path: Path) -> None:
    config = _config(tmp_path)
    weak = _run(config, "users", "add", "bert", "--role", "adviser",
                input="wachtwoord2024\nwachtwoord2024\n")
    assert weak.exit_code == 1 and "te bekend" in weak.output
    mismatch = _run(config, "users", "add", "bert", "--role", "adviser",
                    input=f"{GOOD}\nanders-maar-ook-lang\n")
    assert mismatch.exit_code != 0
    bad_role = _run(config, "users", "add", "bert", "--role", "admin", input=f"{GOOD}\n{GOOD}\n")
    assert bad_role.exit_code == 2
    assert list_users(open_db(tmp_path / "newsroom.db")) == []
    assert _run(config, "users", "add", "bert", "--role", "adviser",
                input=f"{GOOD}\n{GOOD}\n").exit_code == 0
    again = _run(config, "users", "add", "bert", "--role", "adviser", input=f"{GOOD}\n{GOOD}\n")
    assert again.exit_code == 1 and "already exists" in again.output
    assert _run(config, "users", "remove", "niemand").exit_code == 1
    assert _run(config, "users", "passwd", "niemand",
                input=f"{GOOD}\n{GOOD}\n").exit_code == 1


def test_a_name_from_the_toml_cannot_be_added_again(tmp_path: Path) -> None:
    config = _config(tmp_path)
    hashed = bcrypt.hashpw(b"x", bcrypt.gensalt(rounds=4)).decode()
    config.write_text(config.read_text() + f'\n[[dashboard.users]]\nusername = "carl"\n'
                      f'role = "adviser"\npassword_hash = "{hashed}"\n', encoding="utf-8")
    result = _run(config, "users", "add", "carl", "--role", "adviser", input=f"{GOOD}\n{GOOD}\n")
    assert result.exit_code == 1 and "newsroom.toml" in result.output
    listed = _run(config, "users", "list")
    assert "carl\tadviser\tnewsroom.toml" in listed.output


@pytest.mark.parametrize("name", ["add", "list", "remove", "passwd"])
def test_users_commands_have_help(name: str) -> None:
    command = cli.commands["users"].commands[name]  # type: ignore[attr-defined]
    assert command.help and all(p.help for p in command.params
                                if p.name not in ("help", "username"))
    assert CliRunner().invoke(cli, ["users", name, "--help"]).exit_code == 0
