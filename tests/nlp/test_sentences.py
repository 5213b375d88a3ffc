"""Sentence splitting on Dutch news and social posts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nlp.sentences import split_sentences


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Het regent. De zon schijnt.", ["Het regent.", "De zon schijnt."]),
        (
            "Dhr. Jansen sprak o.a. over de brug. Daarna ging hij.",
            ["Dhr. Jansen sprak o.a. over de brug.", "Daarna ging hij."],
        ),
        (
            "Mevr. De Boer zei het bijv. gisteren. Nu niet.",
            ["Mevr. De Boer zei het bijv. gisteren.", "Nu niet."],
        ),
        ("Het kost ca. 1,5 miljoen. Dat is veel.", ["Het kost ca. 1,5 miljoen.", "Dat is veel."]),
        ("Van 1 t/m 5 mei is het feest. Kom ook!", ["Van 1 t/m 5 mei is het feest.", "Kom ook!"]),
        ("Huisnummer nr. 5 won. Proficiat.", ["Huisnummer nr. 5 won.", "Proficiat."]),
        (
            "J. de Vries en A.B. Smit waren er. Zij stemden voor.",
            ["J. de Vries en A.B. Smit waren er.", "Zij stemden voor."],
        ),
        (
            "De groei was 3.5 procent. Meer dan 2.000 huizen.",
            ["De groei was 3.5 procent.", "Meer dan 2.000 huizen."],
        ),
        ('"Dit is slecht." Hij liep weg.', ['"Dit is slecht."', "Hij liep weg."]),
        (
            "Hij zei: 'We gaan door.' En dat deden ze.",
            ["Hij zei: 'We gaan door.'", "En dat deden ze."],
        ),
        ("Dat is veel... maar het moet. Klaar.", ["Dat is veel... maar het moet.", "Klaar."]),
        ("Ik wacht… Nog steeds!", ["Ik wacht…", "Nog steeds!"]),
        ("Zie www.dordrecht.nl voor meer. Of bel.", ["Zie www.dordrecht.nl voor meer.", "Of bel."]),
        (
            "Lees https://example.org/a.b?c=1 nu. Echt.",
            ["Lees https://example.org/a.b?c=1 nu.", "Echt."],
        ),
        ("Wat een feest! 🎉 Volgend jaar weer.", ["Wat een feest! 🎉", "Volgend jaar weer."]),
        ("Super mooi 😍 Morgen weer", ["Super mooi 😍", "Morgen weer"]),
        ("wat een dag! echt super", ["wat een dag!", "echt super"]),
        ("Echt?! Ja.", ["Echt?!", "Ja."]),
        ("Kop zonder punt\nTweede regel.", ["Kop zonder punt", "Tweede regel."]),
        (
            "Punten:\n- eerste punt\n• tweede punt\n1. derde punt",
            ["Punten:", "eerste punt", "tweede punt", "derde punt"],
        ),
        (
            "Op 12 jan. 2024 was het zo. Daarna niet.",
            ["Op 12 jan. 2024 was het zo.", "Daarna niet."],
        ),
        ("Dat zei Jan. Hij ging.", ["Dat zei Jan.", "Hij ging."]),
        ("Het is nu eenmaal zo. Morgen weer.", ["Het is nu eenmaal zo.", "Morgen weer."]),
        (
            "De wethouder (D66) was er. (Hij kwam laat.) Toen begon het.",
            ["De wethouder (D66) was er.", "(Hij kwam laat.)", "Toen begon het."],
        ),
        ("Eerste.\n-\n...\n•\nTweede.", ["Eerste.", "Tweede."]),  # nothing to read
        ("🎉🎉", ["🎉🎉"]),
        ("", []),
        ("   \n\n  ", []),
    ],
)
def test_split(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


def test_spans_point_into_the_text() -> None:
    text = "  Eerste zin.  Tweede zin!\n\n- Derde zin"
    for sentence in split_sentences(text):
        assert text[sentence.start : sentence.end] == sentence.text


def test_long_sentence_is_cut_at_whitespace_with_spans() -> None:
    text = " ".join(["woord"] * 400)  # 2,399 characters, no punctuation
    pieces = split_sentences(text, max_chars=600)
    assert len(pieces) == 4
    assert all(len(p.text) <= 600 for p in pieces)
    assert " ".join(p.text for p in pieces) == text
    for piece in pieces:
        assert text[piece.start : piece.end] == piece.text


def test_unbroken_long_token_is_cut_hard() -> None:
    text = "x" * 1500
    pieces = split_sentences(text, max_chars=600)
    assert [len(p.text) for p in pieces] == [600, 600, 300]


def test_sentence_count_is_capped(caplog: pytest.LogCaptureFixture) -> None:
    text = " ".join(f"Zin nummer {i}." for i in range(50))
    with caplog.at_level("INFO", logger="nlp.sentences"):
        pieces = split_sentences(text, max_sentences=10)
    assert len(pieces) == 10
    assert pieces[-1].text == "Zin nummer 9."
    assert "not scored" in caplog.text


@given(st.text(max_size=300))
def test_spans_always_valid(text: str) -> None:
    previous_end = 0
    for sentence in split_sentences(text):
        assert sentence.text
        assert text[sentence.start : sentence.end] == sentence.text
        assert sentence.start >= previous_end
        previous_end = sentence.end
