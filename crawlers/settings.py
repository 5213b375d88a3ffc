"""Scrapy settings built from `newsroom.toml`'s [crawl] section: polite and safe defaults."""

from __future__ import annotations

from typing import Any

from core.config import CrawlSettings

RETRY_BACKOFF_BASE_SECONDS = 1.0


def scrapy_settings(crawl: CrawlSettings, log_level: str = "WARNING") -> dict[str, Any]:
    """The settings of every newsroom crawl.

    Politeness: robots.txt obeyed, AutoThrottle, an identifying User-Agent, at most
    `concurrent_requests_per_domain` parallel requests per site. Safety: size caps (also
    applied to the *decompressed* size of gzip/deflate/br bodies), timeouts, retries with
    backoff, and the private-address guard on every request.
    """
    max_bytes = crawl.download_max_bytes
    return {
        "BOT_NAME": "newsroom",
        "USER_AGENT": crawl.user_agent,
        "ROBOTSTXT_OBEY": crawl.obey_robots,
        "AUTOTHROTTLE_ENABLED": True,
        "AUTOTHROTTLE_START_DELAY": 0.5,
        "AUTOTHROTTLE_MAX_DELAY": 30.0,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(crawl.concurrent_requests_per_domain),
        "CONCURRENT_REQUESTS": 16,
        "CONCURRENT_REQUESTS_PER_DOMAIN": crawl.concurrent_requests_per_domain,
        "DOWNLOAD_DELAY": 0,
        "DOWNLOAD_TIMEOUT": crawl.timeout_seconds,
        "DOWNLOAD_MAXSIZE": max_bytes,
        "DOWNLOAD_WARNSIZE": max(1, max_bytes // 2),
        "RETRY_ENABLED": crawl.retries > 0,
        "RETRY_TIMES": crawl.retries,
        "NEWSROOM_RETRY_BACKOFF_BASE": RETRY_BACKOFF_BASE_SECONDS,
        "NEWSROOM_ALLOW_PRIVATE_HOSTS": list(crawl.allow_private_hosts),
        "DOWNLOADER_MIDDLEWARES": {
            "crawlers.middlewares.PrivateAddressMiddleware": 50,
            "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
            "crawlers.middlewares.BackoffRetryMiddleware": 550,
        },
        "ITEM_PIPELINES": {
            "crawlers.pipelines.CleanPipeline": 100,
            "crawlers.pipelines.ValidatePipeline": 200,
            "crawlers.pipelines.DedupePipeline": 300,
            "crawlers.pipelines.StorePipeline": 400,
            "crawlers.pipelines.SyndicationPipeline": 500,
        },
        # Only the crawl processes' stdout carries runner events; keep Scrapy's logs on stderr.
        "LOG_LEVEL": log_level,
        "LOG_STDOUT": False,
        "LOG_FORMATTER": "crawlers.log_format.ItemFreeLogFormatter",  # no post text in logs
        "TELNETCONSOLE_ENABLED": False,
        "REMOTE_CONTROL_ENABLED": False,  # no listening ports in a crawl process
        "COOKIES_ENABLED": False,
        "REDIRECT_MAX_TIMES": 5,
        "HTTPCACHE_ENABLED": False,
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
    }
