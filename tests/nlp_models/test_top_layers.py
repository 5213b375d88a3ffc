"""The news model recipe: top-layer LoRA trained from cached states (nlp/training/top_layers.py).

What must hold for the shipped news adapter to be trustworthy: training from cached lower-layer
states gives the same net as running the whole encoder (so the CV figures describe the file that
ships), the saved file scores the same through the ordinary adapter loader, and the lower layers
are left untouched."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from nlp.e5_weights import bundled_weights
from nlp.sentiment.adapter_file import AdapterConfig, read_adapter, save_adapter
from nlp.sentiment.finetuned import Batcher, FinetunedSentimentModel, batched_proba
from nlp.training.top_layers import (
    TopLayerConfig,
    cache_states,
    proba_from_states,
    train_top_layers,
)

TEXTS = [
    "Raadsleden boos over kosten stadskantoor",
    "Storing parkeerautomaten: honderden onterechte boetes",
    "Nieuw park in de binnenstad feestelijk geopend",
    "Gemeente maakt planning voor de begroting bekend",
    "Bewoners blij met snelle reparatie van de brug",
    "Ongeluk op de ringweg, twee gewonden",
]
LABELS_ = ["negatief", "negatief", "positief", "neutraal", "positief", "negatief"]


@pytest.fixture(scope="module")
def weights():
    return bundled_weights()


@pytest.fixture(scope="module")
def trained(weights):
    config = TopLayerConfig(
        adapter=AdapterConfig(rank=4, alpha=8.0, encoder_digest=weights.digest),
        frozen_layers=10, epochs=3, batch_size=3, lr=5e-3,
    )
    states = cache_states(TEXTS, weights, config)
    net = train_top_layers(states, LABELS_, weights, config, seed=3)
    return config, states, net


def test_cached_states_match_the_full_encoder(weights, trained):
    config, states, net = trained
    full = batched_proba(net, Batcher(weights.tokenizer, config.adapter), TEXTS, 4)
    cached = proba_from_states(net, states, config.frozen_layers)
    assert np.allclose(full, cached, atol=2e-3)
    assert states[0].dtype == np.float16 and states[0].shape[1] == weights.config.hidden


def test_training_moves_only_the_top_layers_and_learns(weights, trained):
    config, states, net = trained
    for index, block in enumerate(net.encoder.blocks):
        b = block.proj["q"].lora_b.detach()
        if index < config.frozen_layers:
            assert torch.count_nonzero(b) == 0
        else:
            assert torch.count_nonzero(b) > 0
    predicted = proba_from_states(net, states, config.frozen_layers).argmax(1)
    gold = np.array([["negatief", "neutraal", "positief"].index(x) for x in LABELS_])
    assert (predicted == gold).mean() >= 4 / 6


def test_saved_file_scores_the_same_through_the_adapter_loader(tmp_path, weights, trained):
    config, states, net = trained
    path = tmp_path / "news.npz"
    version = save_adapter(path, net.trainable_state(), config.adapter, {"cv": {}})
    model = FinetunedSentimentModel(adapter_path=path, weights=weights)
    assert model.version == version == read_adapter(path)[2]["version"]
    assert np.allclose(model.predict_proba(TEXTS),
                       proba_from_states(net, states, config.frozen_layers), atol=2e-3)


def test_bad_training_input_is_refused(weights):
    with pytest.raises(ValueError, match="as many labels"):
        train_top_layers([], [], weights)
    with pytest.raises(ValueError, match="as many labels"):
        train_top_layers([np.zeros((3, 384), np.float16)], ["negatief", "positief"], weights)
