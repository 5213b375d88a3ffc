"""Who is looking, and what they may do.

Two ways in: bcrypt password hashes in `[[dashboard.users]]` (a small install), or OIDC
through Streamlit's `st.login` when `[dashboard] oidc = true` (the identity provider is set up
in .streamlit/secrets.toml; the user's e-mail must match a configured username, which gives
the role). Without a logged-in user the app shows nothing but the login form.

Roles:
- management: sees everything, changes nothing;
- adviser: corrects sentiment, adds tags and notes, creates and edits every watch;
- project_lead: sees and edits only their own watches (config `watches`, or owner), may add
  tags and notes but not sentiment corrections (those train the model).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import bcrypt
import streamlit as st

from core.config import Config, DashboardUser
from core.records import Watch

logger = logging.getLogger(__name__)

SESSION_KEY = "newsroom_user"
MAX_FAILURES = 5
LOCKOUT_SECONDS = 30.0
_DUMMY_HASH = bcrypt.hashpw(b"not-a-real-password", bcrypt.gensalt(rounds=4))
"""Checked for unknown usernames, so a wrong name costs as long as a wrong password."""


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


ROLE_NAMES = {"adviser": "adviseur", "project_lead": "projectleider", "management": "management"}


def hash_password(password: str) -> str:
    """A bcrypt hash for `[[dashboard.users]] password_hash`."""
    if not password:
        raise ValueError("An empty password cannot be hashed")
    if len(password.encode("utf-8")) > 72:
        raise ValueError("Use a password of at most 72 bytes (a bcrypt limit)")
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt()).decode("ascii")


def verify_password(config: Config, username: str, password: str) -> SessionUser | None:
    """The user when the name and password match a configured user, else None."""
    user = next((u for u in config.dashboard.users if u.username == username.strip()), None)
    secret = password.encode("utf-8")[:72]
    if user is None:
        bcrypt.checkpw(secret, _DUMMY_HASH)
        return None
    try:
        ok = bcrypt.checkpw(secret, user.password_hash.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        logger.warning("password_hash of dashboard user %s is not a bcrypt hash", user.username)
        return None
    return _session_user(user) if ok else None


def _session_user(user: DashboardUser) -> SessionUser:
    return SessionUser(username=user.username, role=user.role, watches=tuple(user.watches))


def current_user() -> SessionUser | None:
    """The user of this session, or None."""
    user = st.session_state.get(SESSION_KEY)
    return user if isinstance(user, SessionUser) else None


def logout() -> None:
    st.session_state.pop(SESSION_KEY, None)


def page_guard() -> SessionUser:
    """First line of every page: without a logged-in user the page stops, showing nothing."""
    user = current_user()
    if user is None:
        st.warning("Log eerst in.")
        st.stop()
        raise RuntimeError("unreachable: st.stop() ends the script run")
    return user


def require_login(config: Config) -> SessionUser | None:
    """Show the login form (or the OIDC button) until someone is logged in."""
    user = current_user()
    if user is not None:
        return user
    if config.dashboard.oidc:
        return _oidc_login(config)
    return _password_login(config)


def _password_login(config: Config) -> SessionUser | None:
    st.title("Inloggen")
    if not config.dashboard.users:
        st.error(
            "Er zijn nog geen gebruikers. Voeg ze toe in newsroom.toml onder "
            "[[dashboard.users]] (maak een wachtwoord-hash met: newsroom hash-password)."
        )
        return None
    locked_until = float(st.session_state.get("login_locked_until", 0.0))
    with st.form("login"):
        username = st.text_input("Gebruikersnaam", key="login_username")
        password = st.text_input("Wachtwoord", type="password", key="login_password")
        submitted = st.form_submit_button("Inloggen")
    if not submitted:
        return None
    if time.monotonic() < locked_until:
        st.error("Te vaak een verkeerd wachtwoord. Wacht even en probeer het opnieuw.")
        return None
    user = verify_password(config, username, password)
    if user is None:
        failures = int(st.session_state.get("login_failures", 0)) + 1
        st.session_state["login_failures"] = failures
        if failures >= MAX_FAILURES:
            st.session_state["login_locked_until"] = time.monotonic() + LOCKOUT_SECONDS
            st.session_state["login_failures"] = 0
        logger.warning("failed dashboard login for %r", username[:64])
        st.error("Gebruikersnaam of wachtwoord klopt niet.")
        return None
    st.session_state[SESSION_KEY] = user
    st.session_state["login_failures"] = 0
    logger.info("dashboard login: %s (%s)", user.username, user.role)
    st.rerun()
    return user


def _oidc_login(config: Config) -> SessionUser | None:
    if not st.user.is_logged_in:
        st.title("Inloggen")
        st.write("Log in met het account van je organisatie.")
        st.button("Inloggen", on_click=st.login)
        return None
    email = str(st.user.get("email") or "")
    user = next((u for u in config.dashboard.users if u.username.lower() == email.lower()), None)
    if user is None:
        st.error("Je bent ingelogd, maar je hebt geen toegang tot dit dashboard. "
                 "Vraag de beheerder om je toe te voegen.")
        st.button("Uitloggen", on_click=st.logout)
        return None
    session_user = _session_user(user)
    st.session_state[SESSION_KEY] = session_user
    return session_user
