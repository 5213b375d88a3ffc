"""Places in Dutch context: lower case with context, hashtags, compass suffixes, whose
"binnenstad" it is, the configured municipality, and floors on a labelled real sample."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config import parse_config
from newsroom.demo.corpus import build_corpus, iter_valid
from nlp.place_eval import read_place_sample, score_places
from nlp.places import UnknownMunicipalityError, load_gazetteer

SAMPLE = Path(__file__).parent / "files" / "places_sample.csv"
BINNENSTAD = "WK050501"


def codes(text: str, municipality: str = "Dordrecht") -> set[str]:
    return {p.cbs_code for p in load_gazetteer(municipality=municipality).find(text)}


@pytest.mark.parametrize(
    "text",
    [
        "Storing parkeerautomaten: honderden boetes in de binnenstad.",
        "Weer vol vandaag #binnenstad",
        "Drukte in Binnenstad-Oost na de markt.",
        "Een wandeling door de oude binnenstad.",
        "BINNENSTAD DICHT VOOR AUTO'S",
    ],
)
def test_binnenstad_in_dutch_context_is_the_municipality_wijk(text: str) -> None:
    assert BINNENSTAD in codes(text)


def test_without_a_municipality_a_bare_binnenstad_stays_unlinked() -> None:
    assert codes("Storing in de binnenstad.", municipality="") == set()


def test_the_owner_named_in_the_text_decides() -> None:
    assert codes("Feest in de binnenstad van Utrecht.") == {"GM0344"}
    assert codes("Terrassen in de Tilburgse binnenstad langer open.") == set()
    assert codes("Overlast in de Dordtse binnenstad.", municipality="") == {BINNENSTAD}
    assert codes("Nieuwe winkels in de binnenstad van Dordrecht.", municipality="") == {
        "GM0505", BINNENSTAD,
    }


def test_another_gemeente_in_the_text_blocks_the_municipality_fallback() -> None:
    assert codes("In Zwijndrecht en in de binnenstad wordt gebouwd.") == {"GM0642"}


def test_lower_case_gemeente_needs_a_preposition_or_hashtag() -> None:
    assert codes("we gaan morgen naar dordrecht") == {"GM0505"}
    assert codes("mooi weer #dordrecht") == {"GM0505"}
    assert codes("dordrecht is mooi") == set()


def test_ordinary_words_stay_ordinary() -> None:
    assert codes("we liepen aan de staart van de optocht") == set()
    assert codes("het leek wel zomer en het ging best goed") == set()
    assert codes("de binnenstadsmanager begint maandag") == set()
    assert codes("binnenstad") == set()


def test_municipality_by_code_and_unknown_municipality() -> None:
    assert BINNENSTAD in codes("Storing in de binnenstad.", municipality="GM0505")
    with pytest.raises(UnknownMunicipalityError, match="municipality"):
        load_gazetteer(municipality="Atlantis")


def test_municipality_is_a_model_setting() -> None:
    config = parse_config({"model": {"municipality": "Dordrecht"}})
    assert config.model.municipality == "Dordrecht"


def test_floors_on_the_labelled_real_sample() -> None:
    rows = read_place_sample(SAMPLE)
    assert len(rows) >= 60
    scores = score_places(load_gazetteer(municipality="Dordrecht"), rows)
    assert scores.precision >= 0.93, scores.mistakes
    assert scores.recall >= 0.95, scores.mistakes
    binnenstad_rows = [r for r in rows if BINNENSTAD in r.expected]
    found = score_places(load_gazetteer(municipality="Dordrecht"), binnenstad_rows)
    assert len(binnenstad_rows) >= 9
    assert found.recall >= 0.85, found.mistakes


def test_sample_with_an_empty_text_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "broken.csv"
    broken.write_text("source_file,text,expected,note\nx.md,,GM0505,\n", encoding="utf-8")
    with pytest.raises(ValueError, match="empty text"):
        read_place_sample(broken)


def test_demo_binnenstad_mentions_link_to_the_wijk() -> None:
    gazetteer = load_gazetteer(municipality="Dordrecht")
    items = [
        item for item in iter_valid(build_corpus())
        if "binnenstad" in f"{item.title} {item.text}".lower()
    ]
    linked = [
        item for item in items
        if BINNENSTAD in {p.cbs_code for p in gazetteer.find(f"{item.title}\n{item.text}")}
    ]
    assert len(items) >= 40
    assert len(linked) == len(items)
