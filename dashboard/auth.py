"""Who is looking: the login, the session behind it, and its end.

Two ways in: passwords (bcrypt hashes of users in `[[dashboard.users]]` or added with
`newsroom users add`), or OIDC through Streamlit's `st.login` when `[dashboard] oidc = true`
(the identity provider is set up in .streamlit/secrets.toml; the user's e-mail must match a
configured user name, which gives the role). Without a logged-in user the app shows nothing
but the login form.

A login starts a server-side session (storage.sessions). Right after login the page posts
its one-time token to /newsroom/session (dashboard/server.py), which answers with an
HttpOnly cookie; a reload then finds the session through that cookie and stays on its page.
Every page run checks the session again, so logout (revocation), the idle timeout and the
maximum lifetime hold on the server. Failed logins are throttled per user name and per client
address in the store, and logged and audited with the client address, never the password.
"""

from __future__ import annotations

import json
import logging
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import bcrypt
import streamlit as st

from core.config import Config, DashboardUser
from dashboard import data, session_cookie
from dashboard.passwords import hash_password
from dashboard.roles import ROLE_NAMES, SessionUser
from storage.accounts import list_users
from storage.audit import record_event
from storage.db import Database
from storage.login_throttle import Lockout, current_lockout, record_failure, record_success
from storage.sessions import (
    create_session,
    purge_sessions,
    revoke_session,
    session_user,
    signing_key,
)

__all__ = ["ROLE_NAMES", "SessionUser", "hash_password", "require_login", "page_guard",
           "logout", "current_user", "verify_password"]

logger = logging.getLogger(__name__)

SESSION_KEY = "newsroom_user"
TOKEN_KEY = "newsroom_session_token"
_COOKIE_PENDING = "newsroom_cookie_pending"
_COOKIE_CLEAR = "newsroom_cookie_clear"
_NOTICE = "newsroom_login_notice"
_DUMMY_HASH = bcrypt.hashpw(b"not-a-real-password", bcrypt.gensalt(rounds=4))
"""Checked for unknown usernames, so a wrong name costs as long as a wrong password."""


def configured_users(config: Config, db: Database) -> list[DashboardUser]:
    """Users from newsroom.toml, then those added with `newsroom users add`."""
    users = list(config.dashboard.users)
    known = {u.username for u in users}
    users += [DashboardUser(username=u.username, role=u.role, password_hash=u.password_hash,
                            watches=u.watches)
              for u in list_users(db) if u.username not in known]
    return users


def verify_password(config: Config, username: str, password: str,
                    db: Database | None = None) -> SessionUser | None:
    """The user when the name and password match a configured user, else None."""
    users = configured_users(config, db) if db is not None else list(config.dashboard.users)
    user = next((u for u in users if u.username == username.strip()), None)
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


def _store() -> Database:
    return data.connection(data.db_path())


def logout() -> None:
    """End the session on the server; the next run also deletes the cookie in the browser."""
    token = st.session_state.get(TOKEN_KEY)
    user = current_user()
    if token:
        revoke_session(_store(), str(token), time.time())
    if user is not None:
        record_event(_store(), actor=user.username, action="logout", client=data.client_address())
    for key in (SESSION_KEY, TOKEN_KEY, _COOKIE_PENDING):
        st.session_state.pop(key, None)
    st.session_state[_COOKIE_CLEAR] = True


def page_guard() -> SessionUser:
    """First line of every page: without a logged-in user the page stops, showing nothing."""
    user = current_user()
    if user is None:
        st.warning("Log eerst in.")
        st.stop()
        raise RuntimeError("unreachable: st.stop() ends the script run")
    return user


def require_login(config: Config) -> SessionUser | None:
    """The logged-in user, with a live session; otherwise the login form (or OIDC button)."""
    db = _store()
    idle = config.dashboard.idle_timeout_minutes * 60.0
    user = current_user()
    token = st.session_state.get(TOKEN_KEY)
    if user is not None:
        if token and session_user(db, str(token), time.time(), idle) == user.username:
            _post_pending_cookie()
            return user
        for key in (SESSION_KEY, TOKEN_KEY, _COOKIE_PENDING):
            st.session_state.pop(key, None)
        st.session_state[_NOTICE] = "Je sessie is afgelopen. Log opnieuw in."
        if config.dashboard.oidc and st.user.is_logged_in:
            st.logout()  # also end Streamlit's own OIDC cookie, or it would log in again
            st.stop()
    else:
        restored = _restore_from_cookie(config, db, idle)
        if restored is not None:
            return restored
    _clear_cookie_if_asked()
    if config.dashboard.oidc:
        return _oidc_login(config, db)
    return _password_login(config, db)


def _restore_from_cookie(config: Config, db: Database,
                         idle: float) -> SessionUser | None:
    """After a reload: the user of the live session the cookie points at."""
    if config.dashboard.oidc and not st.user.is_logged_in:
        return None
    token = session_cookie.verify(signing_key(db),
                                  st.context.cookies.get(session_cookie.COOKIE_NAME))
    if token is None:
        return None
    username = session_user(db, token, time.time(), idle)
    found = next((u for u in configured_users(config, db) if u.username == username), None)
    if found is None:
        return None
    user = _session_user(found)
    st.session_state[SESSION_KEY] = user
    st.session_state[TOKEN_KEY] = token
    return user


def _start_session(config: Config, db: Database, user: SessionUser) -> None:
    purge_sessions(db, time.time())  # forget long-ended sessions; cheap, and keeps it small
    token = create_session(db, user.username, time.time(),
                           config.dashboard.session_hours * 3600.0)
    st.session_state[SESSION_KEY] = user
    st.session_state[TOKEN_KEY] = token
    st.session_state[_COOKIE_PENDING] = token
    st.session_state.pop(_COOKIE_CLEAR, None)
    record_event(db, actor=user.username, action="login.success", client=data.client_address(),
                 detail=user.role)
    logger.info("dashboard login: %s (%s) from %s", user.username, user.role, data.client_address())


def _post_pending_cookie() -> None:
    """Once after login: let the browser swap the one-time token for the HttpOnly cookie."""
    token = st.session_state.pop(_COOKIE_PENDING, None)
    if token:
        st.html(f"<script>fetch('/newsroom/session', {{method: 'POST', "
                f"credentials: 'same-origin', body: {json.dumps(str(token))}}});</script>",
                unsafe_allow_javascript=True)


def _clear_cookie_if_asked() -> None:
    if st.session_state.pop(_COOKIE_CLEAR, False):
        st.html("<script>fetch('/newsroom/logout', {method: 'POST', "
                "credentials: 'same-origin'});</script>", unsafe_allow_javascript=True)


def lockout_message(config: Config, lock: Lockout) -> str:
    """Dutch: why the login is refused and from when it can be tried again."""
    until = datetime.fromtimestamp(lock.until, ZoneInfo(config.schedule.timezone))
    minutes = max(1, round((lock.until - time.time()) / 60))
    who = "met deze gebruikersnaam" if lock.scope == "user" else "vanaf dit adres"
    return (f"Te veel mislukte pogingen om in te loggen {who}. Probeer het opnieuw om "
            f"{until:%H:%M} (over ongeveer {minutes} minuten).")


def _password_login(config: Config, db: Database) -> SessionUser | None:
    st.title("Inloggen")
    notice = st.session_state.pop(_NOTICE, None)
    if notice:
        st.info(notice)
    if not configured_users(config, db):
        st.error(
            "Er zijn nog geen gebruikers. Voeg ze toe met `newsroom users add` of in "
            "newsroom.toml onder [[dashboard.users]]."
        )
        return None
    with st.form("login"):
        username = st.text_input("Gebruikersnaam", key="login_username", max_chars=100)
        password = st.text_input("Wachtwoord", type="password", key="login_password")
        submitted = st.form_submit_button("Inloggen")
    if not submitted:
        return None
    client, now, name = data.client_address(), time.time(), username.strip()[:100]
    lock = current_lockout(db, name, client, now)
    if lock is not None:
        record_event(db, actor=name or "?", action="login.refused", client=client,
                     detail=f"locked ({lock.scope})")
        st.error(lockout_message(config, lock))
        return None
    user = verify_password(config, name, password, db)
    if user is None:
        lock = record_failure(db, name, client, now)
        logger.warning("failed dashboard login for %r from %s", name[:64], client)
        record_event(db, actor=name or "?", action="login.failure", client=client)
        st.error(lockout_message(config, lock) if lock
                 else "Gebruikersnaam of wachtwoord klopt niet.")
        return None
    record_success(db, name)
    _start_session(config, db, user)
    st.rerun()
    return user


def _oidc_login(config: Config, db: Database) -> SessionUser | None:
    if not st.user.is_logged_in:
        st.title("Inloggen")
        notice = st.session_state.pop(_NOTICE, None)
        if notice:
            st.info(notice)
        st.write("Log in met het account van je organisatie.")
        st.button("Inloggen", on_click=st.login)
        return None
    email = str(st.user.get("email") or "")
    user = next((u for u in configured_users(config, db)
                 if u.username.lower() == email.lower()), None)
    if user is None:
        record_event(db, actor=email[:100] or "?", action="login.failure",
                     client=data.client_address(), detail="oidc: no dashboard user")
        st.error("Je bent ingelogd, maar je hebt geen toegang tot dit dashboard. "
                 "Vraag de beheerder om je toe te voegen.")
        st.button("Uitloggen", on_click=st.logout)
        return None
    session_user_ = _session_user(user)
    _start_session(config, db, session_user_)
    st.rerun()
    return session_user_
