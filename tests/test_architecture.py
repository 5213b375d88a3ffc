"""The house keeps its shape: imports point down, no package cycles, SQL only in storage,
modules stay short. The graph is read from the code itself (scripts/import_graph.py), with
imports inside functions, so a lazy import cannot hide an arrow that runs back up."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts import import_graph as graph

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def found() -> dict[str, list[str]]:
    return graph.problems(ROOT)


def _report(offenders: list[str]) -> str:
    return "\n  " + "\n  ".join(offenders)


def test_every_top_level_package_has_a_layer() -> None:
    ignored = {"tests", "docs", "build", "dist", "var", "bench-results", "screenshots"}
    packages = {
        path.parent.name
        for path in ROOT.glob("*/*.py")
        if not path.parent.name.startswith(".") and path.parent.name not in ignored
    }
    modules = {path.stem for path in ROOT.glob("*.py")}
    unmapped = sorted((packages | modules) - set(graph.LAYERS))
    assert not unmapped, f"give these a layer in scripts/import_graph.py LAYERS: {unmapped}"


def test_the_checker_reads_every_product_module() -> None:
    files = {str(p.relative_to(ROOT)) for p in graph.product_files(ROOT)}
    assert {"scheduler.py", "core/config/loading.py", "jobs/tasks.py", "outbox/smtp.py",
            "storage/scores.py", "newsroom/cli/main.py", "bench/run.py"} <= files
    assert not any(name.startswith("tests/") for name in files)


def test_no_import_runs_back_up(found: dict[str, list[str]]) -> None:
    assert not found["upward imports"], _report(found["upward imports"])


def test_packages_on_one_level_do_not_import_each_other(found: dict[str, list[str]]) -> None:
    offenders = found["imports between packages on one level"]
    assert not offenders, _report(offenders)


def test_no_cycles_between_top_level_packages(found: dict[str, list[str]]) -> None:
    assert not found["package cycles"], _report(found["package cycles"])


def test_roof_modules_import_each_other_without_cycles(found: dict[str, list[str]]) -> None:
    offenders = found["cycles between roof modules"]
    assert not offenders, _report(offenders)


def test_sql_only_in_storage(found: dict[str, list[str]]) -> None:
    assert not found["SQL outside storage"], _report(found["SQL outside storage"])


def test_our_own_modules_are_imported_plainly(found: dict[str, list[str]]) -> None:
    offenders = found["guarded imports of our own modules"]
    assert not offenders, _report(offenders)


def test_modules_stay_under_the_line_limit(found: dict[str, list[str]]) -> None:
    offenders = found["modules over the line limit"]
    assert not offenders, _report(offenders)


def test_the_drawing_in_docs_matches_the_code() -> None:
    drawn = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert drawn == graph.render_doc(ROOT), "run `python -m scripts.import_graph` to redraw it"
    assert "- arrows that run back up: 0\n" in drawn
    assert "- cycles between packages: 0\n" in drawn


# --- the checker itself catches what it should ----------------------------------------------


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.fixture
def bad_house(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small project that breaks every rule once."""
    _write(tmp_path, {
        "core/__init__.py": "",
        "core/records.py": "def helper():\n    from storage import db  # lazy, still upward\n",
        "storage/__init__.py": "",
        "storage/db.py": "import core.records\nQUERY = 'SELECT id FROM documents'\n",
        "crawlers/__init__.py": "",
        "crawlers/run.py": "from nlp import pipeline\n",
        "nlp/__init__.py": "",
        "nlp/pipeline.py": (
            "from crawlers import run\n"
            "def count(db):\n"
            "    return db.execute('SELECT count(*) FROM documents')\n"
        ),
        "digest/__init__.py": "",
        "digest/send.py": "from . import helpers\n" + "x = 1\n" * (graph.MAX_LINES + 1),
        "digest/helpers.py": "SQL = '''UPDATE documents SET title = ?'''\n",
        "digest/optional.py": (
            "import importlib\n"
            "try:\n"
            "    from digest import build\n"
            "except ImportError:\n"
            "    build = None\n"
            "try:\n"
            "    import yaml\n"  # a third-party guard is not our business
            "except ModuleNotFoundError:\n"
            "    yaml = None\n"
            "send = importlib.import_module('digest.send')\n"
        ),
        "newsroom/__init__.py": "",
        "newsroom/cli.py": "import scheduler\n",
        "scheduler.py": "from newsroom import cli\n",
    })
    monkeypatch.setattr(graph, "ROOT", tmp_path)
    return tmp_path


def test_checker_reports_every_kind_of_offender(bad_house: Path) -> None:
    found = graph.problems(bad_house)
    assert found["upward imports"] == [
        "core/records.py:2: core.records (floor) imports storage.db (store)"
    ]
    assert found["imports between packages on one level"] == [
        "crawlers/run.py:1: crawlers.run (work) imports nlp.pipeline (work)",
        "nlp/pipeline.py:1: nlp.pipeline (work) imports crawlers.run (work)",
        # newsroom -> scheduler is an allowed roof arrow; the way back is not.
        "scheduler.py:1: scheduler (roof) imports newsroom.cli (roof)",
    ]
    assert found["package cycles"] == [
        "core <-> storage", "crawlers <-> nlp", "newsroom <-> scheduler"
    ]
    assert found["cycles between roof modules"] == ["newsroom.cli <-> scheduler"]
    sql = "\n".join(found["SQL outside storage"])
    assert "nlp/pipeline.py:3: .execute( call" in sql
    assert "nlp/pipeline.py:3: SQL text 'SELECT count(*) FROM'" in sql
    assert "digest/helpers.py:1: SQL text 'UPDATE documents SET'" in sql
    assert "storage/db.py" not in sql  # storage may hold SQL
    assert found["guarded imports of our own modules"] == [
        "digest/optional.py:3: try-import of digest",
        "digest/optional.py:10: import_module('digest.send')",
    ]
    assert found["modules over the line limit"] == [
        f"digest/send.py: {graph.MAX_LINES + 2} lines (limit {graph.MAX_LINES})"
    ]


def test_relative_imports_resolve_to_their_package() -> None:
    assert graph._resolve("digest.send", False, "helpers", 1) == "digest.helpers"
    assert graph._resolve("digest", True, "send", 1) == "digest.send"
    assert graph._resolve("newsroom.cli.main", False, None, 2) == "newsroom"


def test_a_clean_house_draws_without_upward_arrows(bad_house: Path) -> None:
    _write(bad_house, {"core/records.py": "X = 1\n"})
    drawing = graph.mermaid(bad_house)
    assert "storage --> core" in drawing and "core --> storage" not in drawing
