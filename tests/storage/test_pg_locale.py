"""The database locale deploy/README.md asks for (UTF8, "C", as tests/pg_support.py creates
its server) gives the same answers as SQLite where a locale could make them differ: ordering
(every TEXT column is COLLATE "C" anyway), lower() of non-ASCII letters, and Dutch
full-text search of upper-case accented words."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from core.records import Document, document_id_for_url
from storage.documents import DocumentFilter, list_documents, upsert_document

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def test_lower_changes_only_ascii_letters_on_both_engines(any_db: Any) -> None:
    assert any_db.execute("SELECT lower(?)", ["ÉÉN Brug ÅB"]).fetchone()[0] == "ÉÉn brug Åb"


def test_text_sorts_by_bytes_on_both_engines(any_db: Any) -> None:
    for name in ("zwembad", "Brug", "étage", "aanbesteding", "Zuid"):
        any_db.execute("INSERT INTO removed_watches (name, query, removed) VALUES (?, '', '')",
                       [name])
    names = [row[0] for row in any_db.execute("SELECT name FROM removed_watches ORDER BY name")]
    assert names == ["Brug", "Zuid", "aanbesteding", "zwembad", "étage"]


def test_upper_case_accented_words_are_found_on_both_engines(any_db: Any) -> None:
    url = "https://example.nl/cafe"
    upsert_document(any_db, Document(id=document_id_for_url(url), source_id="s", kind="news",
                                     url=url, title="CAFÉ ÉTAGÈRE AAN DE HAVEN", text="Open.",
                                     published=NOW, fetched=NOW))
    for query in ("café", "cafe", "étagère", "CAFÉ"):
        found = list_documents(any_db, DocumentFilter(text_query=query))
        assert [row["url"] for row in found] == [url], query


@pytest.mark.postgres
def test_the_test_server_and_the_deploy_instructions_agree(pg_url: str) -> None:
    from storage.db import open_db

    db = open_db(pg_url, migrate=False)
    try:
        row = db.execute("SELECT pg_encoding_to_char(encoding), datcollate, datctype "
                         "FROM pg_database WHERE datname = current_database()").fetchone()
    finally:
        db.close()
    assert tuple(row) == ("UTF8", "C", "C")  # what devtools.postgres's initdb made
    for readme in ("deploy/README.md", "README.md"):
        text = (ROOT / readme).read_text(encoding="utf-8").replace("\\\n", " ")
        command = re.search(r"\bcreatedb --owner [^\n]*newsroom\n", text)
        assert command is not None, readme
        for flag in ("--owner newsroom", "--encoding UTF8", "--locale C",
                     "--template template0"):
            assert flag in command.group(0), (readme, flag)
        assert "createuser --createdb" in text, readme
