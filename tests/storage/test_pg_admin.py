"""storage.pg_admin: the database names it puts into CREATE/DROP DATABASE are checked before
any connection is made, and a template copy holds the template's migrated schema."""

from __future__ import annotations

import pytest

from storage.db import open_db
from storage.pg_admin import create_database, drop_database
from tests.pg_support import TEMPLATE, PgServer

NOWHERE = "postgresql://postgres@127.0.0.1:1/postgres"
"""Nothing listens there: a name check that connected first would fail differently."""


@pytest.mark.parametrize("name", ["Hoofdletter", "met-streepje", "x; DROP DATABASE y", "1begint",
                                  "", "a" * 64])
def test_names_that_are_not_plain_identifiers_are_refused(name: str) -> None:
    with pytest.raises(ValueError, match="plain identifier"):
        create_database(NOWHERE, name)
    with pytest.raises(ValueError, match="plain identifier"):
        create_database(NOWHERE, "goede_naam", template=name or "x-")
    with pytest.raises(ValueError, match="plain identifier"):
        drop_database(NOWHERE, name)


def test_a_template_copy_cannot_also_be_pristine() -> None:
    with pytest.raises(ValueError, match="not both"):
        create_database(NOWHERE, "goede_naam", template=TEMPLATE, pristine=True)


@pytest.mark.postgres
def test_a_template_copy_is_migrated_and_dropping_twice_is_fine(pg_server: PgServer) -> None:
    name = pg_server.create_database("admin_copy", template=TEMPLATE)
    db = open_db(pg_server.url(name), migrate=False)
    try:
        assert db.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] > 0
    finally:
        db.conn.close()
    pg_server.drop_database(name)
    pg_server.drop_database(name)  # IF EXISTS: gone already is not an error
    with pytest.raises(Exception, match="admin_copy"):
        open_db(pg_server.url(name), migrate=False)
