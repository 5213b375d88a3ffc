"""The crawlers: a Scrapy project as a package.

One spider per source type (`spiders/`), one pipeline class per rule (`pipelines.py`), a
downloader middleware that keeps crawls off the internal network (`middlewares.py`), and a
runner that starts each crawl in its own process (`runner.py` → `python -m crawlers.run`),
because Twisted's reactor cannot be restarted inside one process.
"""
