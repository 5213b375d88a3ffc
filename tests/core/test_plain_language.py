"""One form of address ("je") and the B1 word list (docs/woordenlijst.md): the checker
itself, the README, and every Dutch message the CLI can print. Pages, the digest and alert
mails are checked where they are rendered (tests/dashboard, tests/digest, tests/alerts)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from core.plain_language import banned_terms, check, visible_text

ROOT = Path(__file__).resolve().parents[2]
CODE = re.compile(r"```.*?```|`[^`\n]*`", re.DOTALL)
FICTIONAL_ARTICLES = {"corpus_text.py"}
"""The demo's made-up news and council texts: content in the municipality's own voice."""


def test_word_list_is_read_from_the_docs_table() -> None:
    terms = banned_terms()
    assert terms["watches"] == "projecten" and terms["digest"] == "weekoverzicht"
    assert terms["share of voice"] == "aandeel in de aandacht"
    assert "dashboard" not in terms  # explained in the list, so allowed
    assert "niet gebruiken" not in terms and "---" not in terms


def test_checker_finds_formal_and_mixed_address_and_english_terms() -> None:
    found = check("Bekijk uw watches. U kunt jouw Share of Voice zien; UW digest komt.")
    assert [(f.word, f.instead) for f in found] == [
        ("uw", "je"), ("U", "je"), ("jouw", "je"), ("UW", "je"),
        ("watches", "projecten"), ("Share of Voice", "aandeel in de aandacht"),
        ("digest", "weekoverzicht"),
    ]
    assert "Bekijk uw watches" in found[0].context


def test_checker_leaves_ordinary_dutch_alone() -> None:
    text = ("Je ziet je projecten in het dashboard. Uur, uitwerking, duwen en nu: geen "
            "aanspreekvorm. Een topicus, watchdog of feedback is geen term uit de lijst.")
    assert check(text) == []


def test_visible_text_drops_markup() -> None:
    assert visible_text("<p style='x'>Voor &amp; <b>je</b></p>").split() == ["Voor", "&", "je"]


def test_readme_speaks_to_the_reader_as_je() -> None:
    readme = CODE.sub(" ", (ROOT / "README.md").read_text(encoding="utf-8"))
    assert [f.context for f in check(readme, terms={})] == []


def _cli_strings() -> list[tuple[str, str]]:
    """Every string constant in the CLI's code that is not a docstring (those are English
    --help texts), with where it is."""
    found = []
    for path in sorted((ROOT / "newsroom").rglob("*.py")):
        if path.name in FICTIONAL_ARTICLES:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value) for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
            and node.body and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                    and id(node) not in docstrings):
                found.append((f"{path.relative_to(ROOT)}:{node.lineno}", node.value))
    return found


def test_cli_messages_never_say_u_or_uw() -> None:
    strings = _cli_strings()
    assert len(strings) > 200  # the scan really reads the CLI
    problems = [(where, f.context) for where, text in strings for f in check(text, terms={})]
    assert problems == []
