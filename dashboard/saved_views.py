"""Saved views on a filter page: bewaar de filters onder een naam, deel ze met een link
(`?view=<id>`), open en verwijder ze. Storage and role rules: `storage.saved_views`.

A view is applied by writing its values into the page's widget keys before the widgets are
drawn; values the reader may not see (a colleague's project, a source that is gone) are
dropped and the page says so, so a shared link never widens anyone's scope.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import pandas as pd
import streamlit as st

from dashboard import audit_trail, data, ui
from dashboard.roles import SessionUser
from storage import saved_views as store


def _plain(value: Any) -> Any:
    """A widget value as JSON (dates as ISO text)."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def capture(keys: Sequence[str]) -> dict[str, Any]:
    """The current values of the page's filter widgets."""
    return {key: _plain(st.session_state[key]) for key in keys if key in st.session_state}


def _dates(value: Any) -> tuple[date, ...] | None:
    if not isinstance(value, list) or not 1 <= len(value) <= 2:
        return None
    try:
        return tuple(date.fromisoformat(str(v)) for v in value)
    except ValueError:
        return None


def restore(filters: dict[str, Any], fields: dict[str, Any]) -> bool:
    """Write a view's values into the widget keys; False when something was left out.

    `fields` maps a widget key to its kind: "text", "dates", or the list of allowed
    options (a list value is a multiselect, anything else one choice of them).
    """
    complete = True
    for key, kind in fields.items():
        if key not in filters:
            continue
        value = filters[key]
        if kind == "text":
            st.session_state[key] = str(value)[:500]
        elif kind == "dates":
            days = _dates(value)
            if days is None:
                complete = False
            else:
                st.session_state[key] = days
        elif isinstance(value, list):
            kept = [v for v in value if v in kind]
            complete = complete and len(kept) == len(value)
            st.session_state[key] = kept
        elif value in kind:
            st.session_state[key] = value
        else:
            complete = False
    return complete


def apply_link(page: str, user: SessionUser, fields: dict[str, Any]) -> store.SavedView | None:
    """Open the view named in `?view=` once per link (later reruns keep the user's edits)."""
    view_id = str(st.query_params.get("view", ""))
    if not view_id:
        return None
    view = store.get_view(data.connection(data.db_path()), view_id)
    if view is None or view.page != page:
        st.warning("Deze weergave bestaat niet (meer). Je ziet de gewone filters.")
        return None
    if st.session_state.get(f"{page}_view_applied") != view_id:
        st.session_state[f"{page}_view_applied"] = view_id
        st.session_state[f"{page}_view_complete"] = restore(view.filters, fields)
    if not st.session_state.get(f"{page}_view_complete", True):
        st.info("Niet alle filters van deze weergave zijn voor jou beschikbaar; die zijn "
                "weggelaten.")
    return view


def link_for(page: str, view_id: str) -> str:
    """The link colleagues open: this dashboard's address, the page and the view id."""
    try:
        parts = urlsplit(str(st.context.url or ""))
    except (AttributeError, RuntimeError):
        parts = urlsplit("")
    base = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
    return f"{base}/{page}?view={view_id}"


def panel(page: str, user: SessionUser, keys: Sequence[str],
          opened: store.SavedView | None) -> None:
    """The expander to save the current filters, list one's views, and delete them."""
    db = data.connection(data.db_path())
    flash = st.session_state.pop(f"{page}_view_flash", None)
    with st.expander("Opgeslagen weergaven", expanded=bool(flash or opened)):
        if flash:
            st.success(flash)
        if opened is not None:
            ui.safe_caption(f"Geopend: weergave '{opened.name}' van {opened.owner}.")
            if store.can_delete(opened, user.username, user.role) and st.button(
                    "Deze weergave verwijderen", key=f"{page}_view_delete_opened"):
                _delete(page, user, opened.id)
        name = st.text_input("Naam voor de huidige filters", max_chars=store.MAX_NAME_CHARS,
                             key=f"{page}_view_name")
        if st.button("Filters bewaren als weergave", key=f"{page}_view_save"):
            try:
                view = store.save_view(db, user.username, user.role, page, name, capture(keys))
            except store.ViewError as exc:
                st.error(ui.md_plain(str(exc)))
            else:
                audit_trail.record(user.username, "view.save", target=view.id,
                                   detail=f"{page}: {view.name}")
                st.session_state[f"{page}_view_flash"] = (
                    f"Weergave bewaard. Deel deze link met collega's: {link_for(page, view.id)}")
                st.rerun()
        views = store.list_views(db, user.username, page)
        if not views:
            st.caption("Je hebt nog geen weergaven op deze pagina.")
            return
        ui.table(pd.DataFrame([{"naam": v.name, "link": link_for(page, v.id),
                                "bewaard": v.created.strftime("%d-%m-%Y")} for v in views]),
                 hide_index=True, width="stretch")
        names = {v.id: v.name for v in views}
        chosen = st.selectbox("Eigen weergave", list(names), format_func=names.__getitem__,
                              key=f"{page}_view_pick")
        left, right = st.columns(2)
        if left.button("Openen", key=f"{page}_view_open") and chosen:
            st.query_params["view"] = chosen
            st.session_state.pop(f"{page}_view_applied", None)
            st.rerun()
        if right.button("Verwijderen", key=f"{page}_view_delete") and chosen:
            _delete(page, user, chosen)


def _delete(page: str, user: SessionUser, view_id: str) -> None:
    try:
        view = store.delete_view(data.connection(data.db_path()), view_id, user.username,
                                 user.role)
    except store.ViewError as exc:
        st.error(ui.md_plain(str(exc)))
        return
    audit_trail.record(user.username, "view.delete", target=view.id,
                       detail=f"{page}: {view.name} (van {view.owner})")
    if st.query_params.get("view") == view_id:
        del st.query_params["view"]
    st.session_state[f"{page}_view_flash"] = "Weergave verwijderd."
    st.rerun()
