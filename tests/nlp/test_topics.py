"""Topic assignment with the real embedded encoder on labelled municipal headlines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from nlp.topics import TopicConfigError, TopicModel, load_taxonomy
from tests.nlp.conftest import fixture_json

TAXONOMY_KEYS = {
    "wonen",
    "verkeer-en-parkeren",
    "veiligheid",
    "zorg-en-welzijn",
    "onderwijs-en-jeugd",
    "werk-en-economie",
    "duurzaamheid-en-energie",
    "openbare-ruimte-en-groen",
    "cultuur-en-evenementen",
    "bestuur-en-politiek",
    "dienstverlening",
}


@pytest.fixture(scope="module")
def topic_model(encoder: Any) -> TopicModel:
    return TopicModel(load_taxonomy(), encoder)


def assign(model: TopicModel, items: list[dict[str, str]]) -> list[set[str]]:
    texts = [TopicModel.document_text(i["title"], i["text"]) for i in items]
    embeddings = model.encoder.encode(texts)
    result = model.assign([i["title"] for i in items], [i["text"] for i in items], embeddings)
    return [{t.topic for t in topics} for topics in result]


def test_builtin_taxonomy_is_the_municipal_one() -> None:
    assert {t.key for t in load_taxonomy()} == TAXONOMY_KEYS


def test_precision_and_recall_on_labelled_headlines(topic_model: TopicModel) -> None:
    items = fixture_json("topics_fixture.json")
    predicted = assign(topic_model, items)
    tp = sum(len(p & set(i["topics"])) for p, i in zip(predicted, items, strict=True))
    fp = sum(len(p - set(i["topics"])) for p, i in zip(predicted, items, strict=True))
    fn = sum(len(set(i["topics"]) - p) for p, i in zip(predicted, items, strict=True))
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert precision >= 0.85, precision
    assert recall >= 0.90, recall


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        (
            "Parkeergarage Spuiboulevard gaat dicht",
            "Automobilisten moeten uitwijken naar andere garages.",
            "verkeer-en-parkeren",
        ),
        (
            "Inbrekers slaan toe in Dubbeldam",
            "De politie zoekt getuigen van de inbraken.",
            "veiligheid",
        ),
        (
            "College presenteert voorjaarsnota",
            "De wethouder van financiën verwacht een tekort.",
            "bestuur-en-politiek",
        ),
    ],
)
def test_clear_cases(topic_model: TopicModel, title: str, text: str, expected: str) -> None:
    (topics,) = assign(topic_model, [{"title": title, "text": text}])
    assert expected in topics


def test_multi_label(topic_model: TopicModel) -> None:
    item = {
        "title": "Warmtenet voor nieuwbouwwijk: huurders betalen minder voor energie",
        "text": "De woningcorporatie sluit vierhonderd huurwoningen aan op het warmtenet.",
    }
    (topics,) = assign(topic_model, [item])
    assert {"wonen", "duurzaamheid-en-energie"} <= topics


def test_unrelated_text_gets_few_topics(topic_model: TopicModel) -> None:
    (topics,) = assign(topic_model, [{"title": "", "text": "Lorem ipsum dolor sit amet."}])
    assert len(topics) <= 1


def test_scores_are_bounded_and_sorted(topic_model: TopicModel) -> None:
    items = fixture_json("topics_fixture.json")[:5]
    texts = [TopicModel.document_text(i["title"], i["text"]) for i in items]
    result = topic_model.assign(
        [i["title"] for i in items], [i["text"] for i in items], topic_model.encoder.encode(texts)
    )
    for topics in result:
        scores = [t.score for t in topics]
        assert scores == sorted(scores, reverse=True)
        assert all(0.0 <= s <= 1.0 for s in scores)
        assert len(topics) <= 3


def test_custom_taxonomy_file(tmp_path: Path, encoder: Any) -> None:
    path = tmp_path / "topics.toml"
    path.write_text(
        '[topics.haven]\ndescription = "De haven en scheepvaart."\nseeds = ["haven*", "schip*"]\n'
        '[topics.markt]\ndescription = "De weekmarkt en marktkramen."\nseeds = ["markt*"]\n',
        encoding="utf-8",
    )
    model = TopicModel(load_taxonomy(path), encoder)
    (topics,) = assign(model, [{"title": "Nieuw schip in de haven", "text": "Havenbedrijf blij."}])
    assert topics == {"haven"}
    assert model.name.startswith("topics-")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not = [valid", "not valid TOML"),
        ("[other]\nx = 1\n", "expected [topics.<key>]"),
        ('[topics.a]\nseeds = ["x"]\n', "description"),
        ('[topics.a]\ndescription = "A"\nseeds = "x"\n', "seeds"),
        ("topics = 3\n", "expected [topics.<key>]"),
    ],
)
def test_bad_taxonomy_files(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "topics.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(TopicConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_taxonomy(path)


def test_missing_taxonomy_file(tmp_path: Path) -> None:
    with pytest.raises(TopicConfigError, match="does not exist"):
        load_taxonomy(tmp_path / "absent.toml")
