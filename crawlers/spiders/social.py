"""Social timelines through a `SocialPlatform` (Mastodon, Bluesky, Reddit, YouTube).

Privacy at ingest happens here, the same for every platform: the author becomes a keyed
pseudonym, mentions become "@gebruiker", the author's own handle or name written in the text
and names of private persons become "[naam]", and a post whose link or id would still hold
the handle is refused (logged without the handle), so no handle, display name or profile is
kept whatever a platform adapter returns.
"""

from __future__ import annotations

from typing import Any

import scrapy
from scrapy.http import Response

from core.records import Document, document_id_for_post
from crawlers.api_status import api_meta, api_refusal
from crawlers.content import html_to_text
from crawlers.language import detect_language
from crawlers.names import mask_private_names
from crawlers.privacy import names_an_author, pseudonymise, scrub_identifiers, strip_mentions
from crawlers.social import MissingCredentials, SocialPost, SocialSourceError, platform_for
from crawlers.spiders.base import NewsroomSpider, response_text

DEFAULT_MAX_PAGES = 3
TITLE_CHARS = 100


def post_title(text: str) -> str:
    """A short title for lists: the first line, cut at a word boundary."""
    first = text.strip().split("\n", 1)[0]
    if len(first) <= TITLE_CHARS:
        return first
    return first[:TITLE_CHARS].rsplit(" ", 1)[0] + "…"


class SocialSpider(NewsroomSpider):
    """Crawls one social timeline (`url` is the instance; options pick the timeline)."""

    name = "social"

    def __init__(self, *args: Any, public_figures: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.platform = platform_for(self.source.type)
        self.pages = 0
        self.session: dict[str, str] = {}
        self.public_figures = tuple(public_figures)

    def start_requests(self) -> Any:
        if not self.pseudonym_key:
            self.recorder.entry_failure(
                self.source.url, "missing_pseudonym_key",
                "set the environment variable named by privacy.pseudonym_key_env",
            )
            return
        try:
            url = self.platform.first_url(self.source)
            login = self.platform.login(self.source)
        except MissingCredentials as exc:
            self.recorder.entry_failure(self.source.url, "missing_credentials", str(exc))
            return
        except SocialSourceError as exc:
            self.recorder.entry_failure(self.source.url, "bad_source_options", str(exc))
            return
        if login is not None:
            yield scrapy.Request(login.url, method="POST", body=login.body,
                                 headers=login.headers, callback=self.logged_in,
                                 errback=self.entry_failed, cb_kwargs={"first": url},
                                 dont_filter=True, meta=api_meta(entry=False))
            return
        yield self.first_request(url)

    def first_request(self, url: str) -> scrapy.Request:
        request = self.entry_request(url, self.parse)
        request.meta.update(api_meta(entry=True))
        request.headers.update(self.request_headers())
        return request

    def request_headers(self) -> dict[str, str]:
        return {**self.platform.headers(self.source), **self.session}

    def logged_in(self, response: Response, first: str) -> Any:
        """The session answer: keep its token, then fetch the first page."""
        refused = api_refusal(response)
        if refused is not None:
            self.recorder.entry_failure(response.url, *refused)
            return
        try:
            self.session = self.platform.session_headers(response_text(response))
        except SocialSourceError as exc:
            self.recorder.entry_failure(response.url, "auth_failed", str(exc))
            return
        yield self.first_request(first)

    def max_pages(self) -> int:
        value = self.source.options.get("max_pages", DEFAULT_MAX_PAGES)
        return value if isinstance(value, int) and value > 0 else DEFAULT_MAX_PAGES

    def parse(self, response: Response, **kwargs: Any) -> Any:
        yield from self.guarded_entry(response, lambda: self.parse_timeline(response))

    def parse_timeline(self, response: Response) -> Any:
        entry = bool(response.meta.get("entry"))
        refused = api_refusal(response)
        if refused is not None:
            if entry:
                self.recorder.entry_failure(response.url, *refused)
            else:
                self.recorder.issue(response.url, *refused, kind="failed")
            return
        if entry and not self.handle_entry(response):
            return
        if not response.meta.get("followed"):
            self.pages += 1  # only the timeline's own pages count against max_pages
        link = response.headers.get("Link")
        # The request's URL keeps its fragment (a platform may carry a setting there).
        url = response.request.url if response.request is not None else response.url
        try:
            page = self.platform.parse_page(
                response_text(response), url, link.decode("latin-1") if link else None
            )
        except SocialSourceError as exc:
            if entry:
                self.recorder.entry_failure(response.url, "malformed_timeline", str(exc))
            else:
                self.recorder.issue(response.url, "malformed_timeline", str(exc), kind="failed")
            return
        for problem in page.problems:
            self.recorder.issue(response.url, "bad_post", problem)
        # A followed page (a video's comments) may well be empty; a timeline page may not.
        if not page.posts and not page.problems and not response.meta.get("followed"):
            self.recorder.issue(response.url, "empty_timeline", "no posts on this page",
                                kind="note")
        for post in page.posts:
            if not self.under_item_cap():
                return
            if names_an_author(post.url, post.identifiers) or names_an_author(
                post.post_id, post.identifiers
            ):
                # Never log the link itself: it is what holds the handle.
                self.recorder.issue(response.url, "handle_in_link",
                                    f"{self.platform.name} adapter returned a link or id "
                                    "naming the author; post skipped")
                continue
            yield from self.isolated(post.url, self.post_documents, post)
        for url in page.follow:
            request = self.page_request(url)
            request.meta["followed"] = True
            yield request
        if page.next_url and self.pages < self.max_pages():
            yield self.page_request(page.next_url)

    def page_request(self, url: str) -> scrapy.Request:
        """A later page (older posts, a video's comments): its failure fails only itself."""
        return scrapy.Request(url, callback=self.parse, errback=self.item_failed,
                              headers=self.request_headers(), meta=api_meta(entry=False))

    def post_documents(self, post: SocialPost) -> list[Document]:
        return [self.post_document(post)]

    def post_document(self, post: SocialPost) -> Document:
        """A social document: pseudonymous author, mentions stripped, no profile data."""
        assert self.pseudonym_key is not None
        text = strip_mentions(html_to_text(post.html))
        text = mask_private_names(scrub_identifiers(text, post.identifiers), self.public_figures)
        fetched = self.clock()
        return Document(
            id=document_id_for_post(self.platform.name, post.post_id),
            source_id=self.source.id,
            kind=self.source.kind,
            url=post.url,
            title=post_title(text),
            text=text,
            published=self.checked_date(post.created, fetched, post.url),
            fetched=fetched,
            language=detect_language(text, post.language),
            author=None,
            author_pseudonym=pseudonymise(self.pseudonym_key, self.platform.name,
                                          post.account_id),
            platform=self.platform.name,
            post_id=post.post_id,
            fictional=bool(self.source.options.get("fictional", False)),
        )
