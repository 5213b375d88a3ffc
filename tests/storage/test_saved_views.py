"""Saved views in the store: names checked, owner or adviser deletes, caps, random ids."""

from __future__ import annotations

import pytest

from storage.saved_views import (
    MAX_VIEWS_PER_USER,
    ViewError,
    delete_view,
    get_view,
    list_views,
    save_view,
)


def test_saved_view_round_trip_and_listing(any_db) -> None:  # type: ignore[no-untyped-def]
    first = save_view(any_db, "anna", "adviser", "berichten", "  Zwembad   negatief ",
                      {"berichten_labels": ["negatief"]})
    save_view(any_db, "anna", "adviser", "kaart", "Kaart", {})
    save_view(any_db, "piet", "management", "berichten", "Van Piet", {})
    assert first.name == "Zwembad negatief" and len(first.id) == 12
    assert [v.name for v in list_views(any_db, "anna", "berichten")] == ["Zwembad negatief"]
    loaded = get_view(any_db, first.id)
    assert loaded is not None and loaded.filters == {"berichten_labels": ["negatief"]}
    assert get_view(any_db, "x" * 100) is None and get_view(any_db, "") is None


@pytest.mark.parametrize(("name", "filters", "role", "message"), [
    ("", {}, "adviser", "naam"),
    ("x" * 81, {}, "adviser", "hoogstens 80"),
    ("Groot", {"q": "x" * 20_001}, "adviser", "te groot"),
    ("Rol", {}, "beheerder", "rol"),
])
def test_bad_views_are_refused(any_db, name: str, filters: dict,  # type: ignore[no-untyped-def]
                               role: str, message: str) -> None:
    with pytest.raises(ViewError, match=message):
        save_view(any_db, "anna", role, "berichten", name, filters)


def test_only_owner_or_adviser_deletes(any_db) -> None:  # type: ignore[no-untyped-def]
    view = save_view(any_db, "piet", "project_lead", "berichten", "Eigen", {})
    for user, role in (("baas", "management"), ("kees", "project_lead")):
        with pytest.raises(ViewError, match="Alleen wie"):
            delete_view(any_db, view.id, user, role)
    assert get_view(any_db, view.id) is not None
    assert delete_view(any_db, view.id, "anna", "adviser").owner == "piet"
    with pytest.raises(ViewError, match="bestaat niet"):
        delete_view(any_db, view.id, "piet", "project_lead")
    own = save_view(any_db, "baas", "management", "berichten", "Mijn", {})
    delete_view(any_db, own.id, "baas", "management")
    assert get_view(any_db, own.id) is None


def test_views_per_user_are_capped(any_db) -> None:  # type: ignore[no-untyped-def]
    for n in range(MAX_VIEWS_PER_USER):
        save_view(any_db, "anna", "adviser", "berichten", f"v{n}", {})
    with pytest.raises(ViewError, match="verwijder er eerst een"):
        save_view(any_db, "anna", "adviser", "berichten", "te veel", {})
    save_view(any_db, "piet", "adviser", "berichten", "ander", {})  # per user
