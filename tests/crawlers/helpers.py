"""Helpers for the crawler tests (imported as `crawler_test_helpers`; see conftest.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from scrapy.http import HtmlResponse, Request, TextResponse

from core.config import CrawlSettings
from core.records import Source
from crawlers.recorder import RunRecorder

FILES = Path(__file__).resolve().parent.parent / "files"
OFFLINE_BASE = "https://dordtsecourant.test"
PSEUDONYM_KEY = "test-pseudonym-key-0123456789abcdef"


def _toml_value(value: Any) -> str:
    return json.dumps(value)


def write_config(tmp_path: Path, sources: list[dict[str, Any]], **crawl: Any) -> Path:
    """A newsroom.toml for a crawl against the fixture site, with a fresh database."""
    settings = {
        "allow_private_hosts": ["127.0.0.1"],
        "timeout_seconds": 3,
        "retries": 0,
        "download_max_bytes": 300_000,
        "concurrent_requests_per_domain": 8,
        **crawl,
    }
    lines = ["[storage]", f"path = {_toml_value(str(tmp_path / 'newsroom.db'))}", "", "[crawl]"]
    lines += [f"{key} = {_toml_value(value)}" for key, value in settings.items()]
    for source in sources:
        lines += ["", "[[sources]]"]
        lines += [f"{key} = {_toml_value(value)}" for key, value in source.items()]
    path = tmp_path / "newsroom.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def saved(name: str, base: str = OFFLINE_BASE) -> bytes:
    """A saved response from tests/files/, with {BASE} filled in."""
    return (FILES / name).read_bytes().replace(b"{BASE}", base.encode())


def html_response(name: str, url: str, headers: dict[str, str] | None = None) -> HtmlResponse:
    return HtmlResponse(url=url, body=saved(name), request=Request(url), headers=headers or {})


def text_response(name: str, url: str, headers: dict[str, str] | None = None,
                  meta: dict[str, Any] | None = None) -> TextResponse:
    request = Request(url, meta={"entry": True} if meta is None else meta)
    return TextResponse(url=url, body=saved(name), request=request,
                        headers=headers or {"Content-Type": "application/xml"})


def make_spider(spider_cls: type, recorder: RunRecorder, source: Source, clock: Any = None,
                **crawl: Any) -> Any:
    kwargs: dict[str, Any] = {"crawl": CrawlSettings(**crawl)}
    if clock is not None:
        kwargs["clock"] = clock
    return spider_cls(source=source, recorder=recorder,
                      pseudonym_key=PSEUDONYM_KEY.encode(), **kwargs)
