"""Watch queries: parsing, matching on Dutch text, highlighting, and Dutch error messages."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nlp.watch_query import WatchQueryError, parse_query


@pytest.mark.parametrize(
    ("query", "text", "expected"),
    [
        ("stadskantoor", "Het Stadskantoor gaat dicht.", True),
        ("stadskantoor", "Het stadskantoortje gaat dicht.", False),  # whole words only
        ("kantoor", "Het stadskantoor gaat dicht.", False),
        ("café", "Het cafe op de hoek", True),  # accents ignored both ways
        ("cafe", "Het Café op de hoek", True),
        ("parkeer*", "Nieuwe parkeerplaatsen in de wijk", True),
        ("parkeer*", "Zij parkeerde de auto", True),
        ("parkeer*", "Het bijparkeren", False),
        ('"nieuwe brug"', "Er komt een nieuwe brug over de Merwede", True),
        ('"nieuwe brug"', "De brug is nieuwe", False),
        ('"nieuwe brug"', "Een Nieuwe-Brug, eindelijk", True),
        ("brug, fietspad", "Het fietspad is klaar", True),
        ("brug fietspad", "Het fietspad is klaar", True),  # plain list means OR
        ("brug fietspad", "Niets hiervan", False),
        ("brug AND fietspad", "Het fietspad is klaar", False),
        ("brug AND fietspad", "Brug en fietspad zijn klaar", True),
        ("brug EN fietspad", "Brug en fietspad zijn klaar", True),
        ("brug NOT Zwijndrecht", "De brug in Dordrecht", True),
        ("brug NOT Zwijndrecht", "De brug in Zwijndrecht", False),
        ("brug AND NOT Zwijndrecht", "De brug in Zwijndrecht", False),
        ("(brug OR tunnel) AND afsluiting", "De tunnel: afsluiting morgen", True),
        ("(brug OR tunnel) AND afsluiting", "De tunnel is open", False),
        ("brug OR tunnel AND afsluiting", "De brug is open", True),  # AND binds tighter
        ("Hendrik-Ido-Ambacht", "Nieuws uit Hendrik Ido Ambacht", True),
        ("'s-Gravendeel", "In 's-Gravendeel", True),
        ("A16", "File op de A16 richting Breda", True),
        ("A16", "File op de A160", False),
    ],
)
def test_matches(query: str, text: str, expected: bool) -> None:
    assert parse_query(query).matches(text) is expected


def test_terms_are_the_positive_terms() -> None:
    query = parse_query('brug, "nieuwe tunnel" parkeer* NOT (Zwijndrecht OR Papendrecht)')
    assert query.terms == ("brug", '"nieuwe tunnel"', "parkeer*")


def test_spans_point_at_the_original_characters() -> None:
    text = "Één café; het Café Überbrug en parkeerplaats"
    query = parse_query("cafe OR parkeer*")
    assert [text[a:b] for a, b in query.spans(text)] == ["café", "Café", "parkeerplaats"]
    assert query.mentions(text) == 3


def test_sentence_hits() -> None:
    query = parse_query("brug")
    sentences = ["De brug is dicht.", "Het weer is mooi.", "Over de brug rijdt niemand."]
    assert query.sentence_hits(sentences) == [0, 2]


def test_sentence_hits_empty_when_match_spans_sentences() -> None:
    query = parse_query("brug AND fiets")
    sentences = ["De brug is dicht.", "Neem de fiets."]
    assert query.matches(" ".join(sentences))
    assert query.sentence_hits(sentences) == []


@pytest.mark.parametrize(
    ("query", "message_part"),
    [
        ("", "leeg"),
        ("   ", "leeg"),
        ("(brug OR tunnel", "sluitend haakje"),
        ("brug)", "zonder openend haakje"),
        ("()", "lege haakjes"),
        ("brug AND", "Na 'AND' ontbreekt"),
        ("brug OR", "Na 'OR' ontbreekt"),
        ("AND brug", "plek waar een zoekwoord hoort"),
        ("brug OR OR tunnel", "Na 'OR' ontbreekt"),
        ("brug AND ) tunnel", "Na 'AND' ontbreekt"),
        ("brug NOT", "Na 'NOT' ontbreekt"),
        ("NOT brug", "alleen uitsluitingen"),
        ('"nieuwe brug', "aanhalingsteken"),
        ('""', "leeg"),
        ("*", "geen zoekwoord"),
        ("pa*rk", "midden in het woord"),
        ("ab*", "te kort"),
        ("brug,", "Na ',' ontbreekt"),
        ("x" * 1001, "te lang"),
    ],
)
def test_errors_are_dutch_and_specific(query: str, message_part: str) -> None:
    with pytest.raises(WatchQueryError) as info:
        parse_query(query)
    assert message_part in str(info.value)


@given(st.text(max_size=60))
def test_parser_never_crashes(text: str) -> None:
    """Any input either parses or raises WatchQueryError; matching then works on any text."""
    try:
        query = parse_query(text)
    except WatchQueryError:
        return
    assert isinstance(query.matches("Een willekeurige tekst over de brug."), bool)
