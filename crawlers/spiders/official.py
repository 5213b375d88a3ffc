"""Official publications (gemeenteblad, staatscourant, lokale bekendmakingen) through the
public SRU 2.0 interface of the government's publication repository (KOOP).

Request and answer follow KOOP's "Handleiding SRU 2.0" for repository.overheid.nl/sru:
`?operation=searchRetrieve&version=2.0&query=<CQL>&startRecord=N&maximumRecords=M`, with
CQL indexes `c.product-area`, `dt.creator`, `dt.type` and `dt.modified`. The answer is a
`sru:searchRetrieveResponse` with `sru:numberOfRecords`, `sru:records/sru:record/
sru:recordData/gzd:gzd` (metadata under `gzd:originalData/…/owmskern` and `owmsmantel`:
`dcterms:identifier`, `title`, `creator`, `type`, `modified`, `available`, `abstract`;
links under `gzd:enrichedData/gzd:preferredUrl`) and `sru:nextRecordPosition` while more
records exist. Errors come as `sru:diagnostics`.

Each record's text comes from its publication page (`preferredUrl`), or from its
metadata (title and abstract) with `fetch_text = false` or when the page fails.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import scrapy
from lxml import etree
from scrapy.http import Response

from crawlers.api_status import api_meta
from crawlers.content import clean_text, clean_title, extract_article
from crawlers.dates import parse_date
from crawlers.spiders.api import DEFAULT_SINCE_DAYS, ApiSpider, SourceOptionError
from crawlers.spiders.base import response_text
from crawlers.urls import is_http_url

DEFAULT_RECORDS = 50
MAX_RECORDS = 1000
"""The repository serves at most 1000 records per request."""
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


@dataclass(frozen=True)
class Publication:
    identifier: str
    url: str
    title: str
    summary: str
    published: datetime | None


def cql_query(creator: str, types: tuple[str, ...], since: str) -> str:
    """The CQL query: publications of one creator, of the given types, since a date.

    >>> q = cql_query("Dordrecht", ("Bekendmaking",), "2026-03-01")
    >>> print(q)  # doctest: +NORMALIZE_WHITESPACE
    c.product-area==officielepublicaties AND dt.creator=="Dordrecht"
    AND (dt.type=="Bekendmaking") AND dt.modified>=2026-03-01
    """
    quoted = " OR ".join(f'dt.type=="{_cql_escape(kind)}"' for kind in types)
    parts = ["c.product-area==officielepublicaties", f'dt.creator=="{_cql_escape(creator)}"']
    if quoted:
        parts.append(f"({quoted})")
    parts.append(f"dt.modified>={since}")
    return " AND ".join(parts)


def _cql_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def parse_sru(body: bytes) -> tuple[list[Publication], list[str], int | None, str | None]:
    """(publications, problems, next record position, diagnostic) of one SRU answer.

    Raises `ValueError` when the body is not an SRU answer at all.
    """
    if not body.strip():
        raise ValueError("empty answer")
    try:
        root = etree.fromstring(body, parser=_PARSER)
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"not XML: {exc}") from exc
    if etree.QName(root).localname != "searchRetrieveResponse":
        raise ValueError(f"not an SRU searchRetrieveResponse but <{etree.QName(root).localname}>")
    diagnostic = _text(root, ".//{*}diagnostics//{*}message")
    publications, problems = [], []
    for record in root.iterfind(".//{*}records/{*}record"):
        publication, problem = _read_record(record)
        if publication is not None:
            publications.append(publication)
        else:
            problems.append(problem)
    position = _text(root, "{*}nextRecordPosition")
    next_position = int(position) if position.isdigit() else None
    return publications, problems, next_position, diagnostic or None


def _read_record(record: Any) -> tuple[Publication | None, str]:
    identifier = _text(record, ".//{*}owmskern/{*}identifier") or _text(record, ".//{*}identifier")
    url = _text(record, ".//{*}enrichedData/{*}preferredUrl") or _text(record, ".//{*}preferredUrl")
    title = clean_title(_text(record, ".//{*}owmskern/{*}title") or _text(record, ".//{*}title"))
    if not identifier or not is_http_url(url):
        return None, f"record {identifier or '?'} has no identifier or no http(s) preferredUrl"
    if not title:
        return None, f"record {identifier} has no title"
    published = None
    for path in (".//{*}available", ".//{*}date", ".//{*}modified"):
        published = parse_date(_text(record, path))
        if published is not None:
            break
    return Publication(identifier, url, title, clean_text(_text(record, ".//{*}abstract")),
                       published), ""


def _text(node: Any, path: str) -> str:
    found = node.find(path)
    return (found.text or "").strip() if found is not None else ""


class OfficialPublicationsSpider(ApiSpider):
    """Crawls a municipality's official publications (`url` is the SRU endpoint)."""

    name = "officielebekendmakingen"

    def start_requests(self) -> Any:
        try:
            url = self.page_url(1)
        except SourceOptionError as exc:
            self.recorder.entry_failure(self.source.url, "bad_source_options", str(exc))
            return
        request = self.entry_request(url, self.parse)
        request.meta.update(api_meta(entry=True))
        yield request

    def page_url(self, start: int) -> str:
        creator = str(self.source.options.get("creator", "")).strip()
        if not creator:
            raise SourceOptionError(
                f"source {self.source.id}: set option creator to the municipality's name "
                "(e.g. \"Dordrecht\")")
        types = self.list_option("document_types", ())
        days = self.int_option("since_days", DEFAULT_SINCE_DAYS, 3650)
        since = (self.clock() - timedelta(days=days)).date().isoformat()
        params = {
            "operation": "searchRetrieve", "version": "2.0",
            "query": cql_query(creator, types, since),
            "startRecord": start,
            "maximumRecords": self.int_option("max_records", DEFAULT_RECORDS, MAX_RECORDS),
        }
        return f"{self.source.url.split('?', 1)[0]}?{urlencode(params)}"

    def parse(self, response: Response, **kwargs: Any) -> Any:
        if self.refused(response):
            return
        if response.meta.get("entry") and not self.handle_entry(response):
            return
        self.pages += 1
        try:
            publications, problems, next_position, diagnostic = parse_sru(response.body)
        except ValueError as exc:
            self.bad_answer(response, "malformed_answer", str(exc)[:300])
            return
        if diagnostic:
            self.bad_answer(response, "sru_diagnostic", diagnostic[:300])
            return
        for problem in problems:
            self.recorder.issue(response.url, "bad_record", problem)
        if response.meta.get("entry") and not publications and not problems:
            self.recorder.issue(response.url, "no_records", "the query matched nothing",
                                kind="note")
        for publication in publications:
            if not self.under_item_cap():
                return
            yield from self.publication_items(publication)
        if next_position and self.pages < self.max_pages():
            yield scrapy.Request(self.page_url(next_position), callback=self.parse,
                                 errback=self.item_failed, meta=api_meta(entry=False))

    def publication_items(self, publication: Publication) -> Any:
        if self.source.options.get("fetch_text", True) is False:
            yield from self.metadata_document(publication)
            return
        yield self.item_request(publication.url, self.parse_publication,
                                publication=publication)

    def metadata_document(self, publication: Publication) -> Any:
        text = publication.summary or publication.title
        yield self.news_document(publication.url, publication.title, text, publication.published)

    def fallback_items(self, cb_kwargs: dict[str, Any]) -> Any:
        publication = cb_kwargs.get("publication")
        if isinstance(publication, Publication):
            yield from self.metadata_document(publication)

    def parse_publication(self, response: Response, publication: Publication) -> Any:
        article = extract_article(response_text(response), response.url)
        if article is None:
            self.recorder.issue(response.url, "no_article_text",
                                "the publication page had no extractable text; kept the "
                                "metadata", kind="note")
            yield from self.metadata_document(publication)
            return
        yield self.news_document(publication.url, publication.title, article.text,
                                 publication.published or article.published,
                                 language_hint=article.language or "nl")
