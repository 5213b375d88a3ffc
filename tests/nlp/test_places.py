"""Place mentions from the CBS-derived gazetteer: matching rules and the shipped file."""

from __future__ import annotations

import csv

import pytest

from nlp.places import GAZETTEER_PATH, load_gazetteer, read_gazetteer


def found(text: str) -> dict[str, tuple[str, int]]:
    return {p.name: (p.level, p.mentions) for p in load_gazetteer().find(text)}


def test_gemeenten_with_counts_and_coordinates() -> None:
    places = load_gazetteer().find("Dordrecht en Zwijndrecht bouwen samen. Dordrecht betaalt.")
    by_name = {p.name: p for p in places}
    assert by_name["Dordrecht"].cbs_code == "GM0505"
    assert by_name["Dordrecht"].mentions == 2
    assert by_name["Zwijndrecht"].mentions == 1
    assert by_name["Dordrecht"].lat == pytest.approx(51.80, abs=0.02)
    assert by_name["Dordrecht"].lon == pytest.approx(4.75, abs=0.02)
    assert places[0].name == "Dordrecht"  # most mentioned first


def test_wijk_and_buurt_names() -> None:
    result = found("Overlast in Wielwijk en op het Admiraalsplein, ook in Dubbeldam-Zuid.")
    assert result["Wielwijk"] == ("wijk", 1)
    assert result["Admiraalsplein"] == ("buurt", 1)
    assert result["Dubbeldam-Zuid"] == ("buurt", 1)


def test_alias_forms_from_cbs_names() -> None:
    result = found("De Put, Crabbehof en Den Haag")
    assert "Voltastraat en omgeving - De Put" in result
    assert "Crabbehof/Zuidhoven" in result
    assert "'s-Gravenhage" in result


def test_word_boundaries() -> None:
    assert found("Staartjes en Dordrechtenaren") == {}
    assert "Staart" in found("Nieuwbouw in de Staart.")


def test_lower_case_is_the_ordinary_word() -> None:
    assert found("we gingen naar de staart van de optocht") == {}


def test_accents_ignored() -> None:
    assert "Súdwest Fryslân" in found("Nieuws uit Sudwest Fryslan")


def test_ambiguous_area_needs_its_gemeente_in_context() -> None:
    assert found("Het Centrum is vandaag druk.") == {}
    with_context = load_gazetteer().find("Het Centrum van Alblasserdam is vandaag druk.")
    codes = {p.cbs_code for p in with_context}
    assert "GM0482" in codes
    assert any(p.name == "Centrum" and p.cbs_code.startswith("WK0482") for p in with_context)


def test_ambiguous_area_skipped_when_several_gemeenten_fit() -> None:
    # Both Zwijndrecht and Hendrik-Ido-Ambacht have a wijk "Centrum".
    result = load_gazetteer().find("Centrum van Zwijndrecht en Hendrik-Ido-Ambacht")
    assert not any(p.name == "Centrum" for p in result)


def test_ambiguous_gemeente_needs_a_preposition() -> None:
    assert found("Dat was best druk, maar het goes goed.") == {}
    assert found("Het was Best druk.") == {}
    assert "Best" in found("Een nieuwe school in Best.")
    assert "Goes" in found("De gemeente Goes besloot")


def test_longer_name_wins() -> None:
    assert list(found("Bergen op Zoom")) == ["Bergen op Zoom"]


def test_names_shared_by_two_gemeenten_are_skipped() -> None:
    assert found("Wonen in Bergen") == {}  # Bergen (NH.) and Bergen (L.)


def test_gazetteer_file_credits_cbs_and_is_complete() -> None:
    header = GAZETTEER_PATH.read_text(encoding="utf-8").splitlines()[:4]
    assert any("CBS" in line and "CC BY 4.0" in line for line in header)
    places = read_gazetteer(GAZETTEER_PATH)
    gemeenten = {p.cbs_code for p in places if p.level == "gemeente"}
    assert len(gemeenten) == 393
    levels = {p.level for p in places}
    assert levels == {"gemeente", "wijk", "buurt"}
    assert all(p.lat and p.lon for p in places)
    with GAZETTEER_PATH.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    keys = [(r["alias"], r["cbs_code"]) for r in rows]
    assert len(keys) == len(set(keys))


def test_huge_text_is_capped() -> None:
    text = "Dordrecht " * 30_000  # 300,000 characters
    (place,) = load_gazetteer().find(text)
    assert place.mentions == 10_000  # only the first 100,000 characters are searched
