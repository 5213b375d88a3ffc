"""`[model] news_head_path`: the model for news and official documents (nlp.model_choice)."""

from __future__ import annotations

import pytest

from core.config import ConfigError, load_config


def test_news_head_path_defaults_to_the_shipped_model_and_empty_turns_it_off(tmp_path):
    from nlp.sentiment.loader import DEFAULT_NEWS_HEAD_PATH, news_head_path_for

    path = tmp_path / "newsroom.toml"
    path.write_text("[model]\n", encoding="utf-8")
    model = load_config(path).model
    assert model.news_head_path is None
    assert news_head_path_for(model) == DEFAULT_NEWS_HEAD_PATH
    assert DEFAULT_NEWS_HEAD_PATH.is_file()
    path.write_text('[model]\nnews_head_path = ""\n', encoding="utf-8")
    model = load_config(path).model
    assert model.news_head_path == ""
    assert news_head_path_for(model) is None


def test_news_head_path_is_relative_to_the_config_file(tmp_path):
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "news.npz").write_bytes(b"not checked here")
    path = tmp_path / "newsroom.toml"
    path.write_text('[model]\nnews_head_path = "models/news.npz"\n', encoding="utf-8")
    assert load_config(path).model.news_head_path == str(tmp_path / "models" / "news.npz")


def test_missing_news_head_file_is_a_clear_config_error(tmp_path):
    path = tmp_path / "newsroom.toml"
    path.write_text('[model]\nnews_head_path = "models/gone.npz"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"model\.news_head_path: .*gone\.npz does not exist"):
        load_config(path)


def test_news_head_path_must_be_text(tmp_path):
    path = tmp_path / "newsroom.toml"
    path.write_text("[model]\nnews_head_path = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"model\.news_head_path: expected text"):
        load_config(path)
