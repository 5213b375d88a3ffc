"""The distributed tests' processes (bench/cluster.py, shared with the scale benchmark) and
the test config: rss sources on the local feed site, short retries and visibility timeout."""

from __future__ import annotations

from pathlib import Path

from bench.cluster import ITEMS_PER_FEED, FeedSite, RedisServer, Worker, wait_for

__all__ = ["ITEMS_PER_FEED", "FeedSite", "RedisServer", "Worker", "wait_for", "write_config"]


def write_config(folder: Path, broker_url: str, site: FeedSite, sources: tuple[str, ...],
                 visibility: int = 121, storage: str = 'path = "data/newsroom.db"',
                 score_batch: int = 8, max_retries: int = 1,
                 fetch_full_article: bool = True) -> Path:
    """A newsroom.toml with rss sources on `site`, short retries and a short visibility
    timeout (a killed worker's task comes back after `visibility` seconds). `storage` is the
    body of the [storage] section (a SQLite path by default, or a PostgreSQL url);
    without `fetch_full_article` a crawl reads only the feed (seconds, not tens of them)."""
    blocks = "".join(
        f'[[sources]]\nid = "{name}"\nname = "{name}"\nkind = "news"\ntype = "rss"\n'
        f'url = "{site.base}/{name}/feed.xml"\n\n'
        for name in sources
    )
    path = folder / "newsroom.toml"
    path.write_text(
        f"[storage]\n{storage}\n\n"
        '[crawl]\nallow_private_hosts = ["127.0.0.1"]\n'
        f"fetch_full_article = {str(fetch_full_article).lower()}\n\n"
        f'[workers]\nbroker_url = "{broker_url}"\ntime_limit_seconds = {visibility - 1}\n'
        f"visibility_timeout_seconds = {visibility}\nmax_retries = {max_retries}\n"
        f"retry_backoff_seconds = 1\nscore_batch_documents = {score_batch}\n\n" + blocks,
        encoding="utf-8",
    )
    return path
