"""Council documents (meetings, agenda items, motions, documents) from the Open
Raadsinformatie API.

Request and answer follow the API docs of openstate/open-raadsinformatie (API-docs.md and
example_requests.http): an Elasticsearch 7 endpoint,
`POST https://api.openraadsinformatie.nl/v1/elastic/<index>/_search` with a JSON query
(`size`, `from`, `sort`, `query.bool`), where `<index>` is a municipality's index such as
`ori_dordrecht_*`. The answer is `{"hits": {"total": {"value"}, "hits": [{"_index", "_id",
"_source": {"@type", "name", "text", "description", "last_discussed_at", "start_date",
"original_url", …}}]}}`; `text` of a document is a list of pages. Records are linked
through their REST resource `https://id.openraadsinformatie.nl/<_id>` unless they carry an
`original_url`.

The search is a POST, so there is no ETag to send; instead only records discussed in the
last `since_days` days are asked for.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import scrapy
from scrapy.http import Response

from crawlers.api_status import api_meta
from crawlers.content import clean_text, clean_title
from crawlers.dates import parse_date
from crawlers.spiders.api import DEFAULT_SINCE_DAYS, ApiSpider, SourceOptionError
from crawlers.spiders.base import response_text
from crawlers.urls import is_http_url

DEFAULT_TYPES = ("Meeting", "AgendaItem", "Motion", "MediaObject")
DEFAULT_SIZE = 50
MAX_SIZE = 100
LINK_BASE = "https://id.openraadsinformatie.nl"
TYPE_WORDS = {"Meeting": "Vergadering", "AgendaItem": "Agendapunt", "Motion": "Motie",
              "MediaObject": "Document"}
_INDEX = re.compile(r"^[a-z0-9_*-]{3,100}$")
_DOC_ID = re.compile(r"^[A-Za-z0-9_-]{1,100}$")


@dataclass(frozen=True)
class CouncilRecord:
    url: str
    title: str
    text: str
    published: datetime | None


def search_body(types: tuple[str, ...], since: str, size: int, start: int,
                query: str = "") -> dict[str, Any]:
    """The Elasticsearch query: records of the given types discussed since a date, newest
    first (ties broken by id, so paging with `from` is stable)."""
    must: list[dict[str, Any]] = [
        {"bool": {"should": [{"match": {"@type": kind}} for kind in types],
                  "minimum_should_match": 1}},
        {"range": {"last_discussed_at": {"gte": since}}},
    ]
    if query:
        must.append({"simple_query_string": {
            "fields": ["text", "title", "description", "name"], "query": query,
            "default_operator": "and"}})
    return {"query": {"bool": {"must": must}}, "size": size, "from": start,
            "sort": [{"last_discussed_at": {"order": "desc"}}, {"_id": {"order": "asc"}}]}


def parse_hits(body: str) -> tuple[list[CouncilRecord], list[str], int]:
    """(records, problems, number of hits on the page); `ValueError` for a bad answer."""
    if not body.strip():
        raise ValueError("empty answer")
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise ValueError(f"not JSON: {exc}") from exc
    hits = data.get("hits") if isinstance(data, dict) else None
    if not isinstance(hits, dict) or not isinstance(hits.get("hits"), list):
        error = data.get("error") if isinstance(data, dict) else None
        raise ValueError(f"no hits.hits in the answer{': ' + str(error)[:200] if error else ''}")
    records, problems = [], []
    for hit in hits["hits"]:
        record, problem = _read_hit(hit)
        if record is not None:
            records.append(record)
        else:
            problems.append(problem)
    return records, problems, len(hits["hits"])


def _read_hit(hit: Any) -> tuple[CouncilRecord | None, str]:
    source = hit.get("_source") if isinstance(hit, dict) else None
    doc_id = str(hit.get("_id") or "") if isinstance(hit, dict) else ""
    if not isinstance(source, dict) or not _DOC_ID.match(doc_id):
        return None, f"hit {doc_id[:40] or '?'} has no id or _source"
    kind = str(source.get("@type") or "")
    name = clean_title(str(source.get("name") or source.get("title") or ""))
    pages = source.get("text")
    body = "\n\n".join(p for p in pages if isinstance(p, str)) if isinstance(pages, list) \
        else str(pages or "")
    text = clean_text(body or str(source.get("description") or "")) or name
    if not name and not text:
        return None, f"{kind or 'record'} {doc_id} has no name and no text"
    word = TYPE_WORDS.get(kind, kind or "Stuk")
    original = str(source.get("original_url") or "")
    url = original if is_http_url(original) else f"{LINK_BASE}/{doc_id}"
    when = None
    for field in ("last_discussed_at", "start_date", "date_modified"):
        when = parse_date(str(source.get(field) or ""))
        if when is not None:
            break
    return CouncilRecord(url, f"{word}: {name or text[:80]}", text, when), ""


class CouncilDocumentsSpider(ApiSpider):
    """Crawls one council's records (`url` is the Elasticsearch endpoint, option `index`)."""

    name = "openraadsinformatie"

    def start_requests(self) -> Any:
        try:
            request = self.search_request(0, entry=True)
        except SourceOptionError as exc:
            self.recorder.entry_failure(self.source.url, "bad_source_options", str(exc))
            return
        yield request

    def search_request(self, start: int, entry: bool) -> scrapy.Request:
        index = str(self.source.options.get("index", "")).strip()
        if not _INDEX.match(index):
            raise SourceOptionError(
                f"source {self.source.id}: set option index to the council's index, e.g. "
                "\"ori_dordrecht_*\"")
        days = self.int_option("since_days", DEFAULT_SINCE_DAYS, 3650)
        since = (self.clock() - timedelta(days=days)).date().isoformat()
        body = search_body(self.list_option("types", DEFAULT_TYPES), since,
                           self.int_option("size", DEFAULT_SIZE, MAX_SIZE), start,
                           str(self.source.options.get("query", "")).strip())
        return scrapy.Request(
            f"{self.source.url.rstrip('/')}/{index}/_search", method="POST",
            body=json.dumps(body).encode(), callback=self.parse,
            errback=self.entry_failed if entry else self.item_failed,
            headers={"Content-Type": "application/json", "Accept": "application/json"},
            dont_filter=True, cb_kwargs={"start": start}, meta=api_meta(entry=entry),
        )

    def parse(self, response: Response, start: int = 0, **kwargs: Any) -> Any:
        if self.refused(response):
            return
        if response.meta.get("entry"):
            self.recorder.entry_status(response.status)
        self.pages += 1
        try:
            records, problems, count = parse_hits(response_text(response))
        except ValueError as exc:
            self.bad_answer(response, "malformed_answer", str(exc)[:300])
            return
        for problem in problems:
            self.recorder.issue(response.url, "bad_record", problem)
        if response.meta.get("entry") and not count:
            self.recorder.issue(response.url, "no_records", "the query matched nothing",
                                kind="note")
        for record in records:
            if not self.under_item_cap():
                return
            yield self.news_document(record.url, record.title, record.text, record.published,
                                     language_hint="nl")
        size = self.int_option("size", DEFAULT_SIZE, MAX_SIZE)
        if count >= size and self.pages < self.max_pages():
            yield self.search_request(start + count, entry=False)
