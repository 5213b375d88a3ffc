"""Turn demo items into what real outlets serve: RSS, sitemaps, HTML pages, Mastodon JSON.

Every text is escaped where it is written (XML or HTML), even though the corpus is ours:
the renderers are the demo's model of how scraped text must be treated.

Fictional markers (documented in docs/interfaces.md, "The demo"):
- article pages carry `<meta name="newsroom:fictional" content="true">` and a visible
  "Fictief demobericht" line in the page footer;
- RSS items carry `<category>fictional</category>`;
- Mastodon statuses carry the tag `fictional` in `tags` (and `#fictief` in the content).
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from email.utils import format_datetime
from html import escape
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from newsroom.demo import vocab
from newsroom.demo.corpus import DemoCorpus, DemoItem

OUTLET_NAMES = {
    "drechtstad": "Drechtstad Dagblad",
    "merwede": "Merwede Courant",
    "gemeente": "Gemeente Dordrecht (demo)",
}
ARTICLE_PATHS = {
    "drechtstad": "/drechtstad/artikel/",
    "merwede": "/merwede/artikel/",
    "gemeente": "/gemeente/nieuws/",
}
FICTION_NOTE = (
    "Fictief demobericht: dit bericht is verzonnen voor de demo van newsroom. "
    "Personen, citaten en gebeurtenissen bestaan niet."
)
BAD_DATE = "zo, 31 Brumaire 2026 25:61:00 +0000"
"""The malformed pubDate of the `bad_date` entry: no parser can make a date of it."""
SITEMAP_PARTS = 2


def article_url(base_url: str, item: DemoItem) -> str:
    return f"{base_url}{ARTICLE_PATHS[item.outlet]}{item.slug}"


def status_url(base_url: str, item: DemoItem) -> str:
    return f"{base_url}/@{item.author}/{item.post_id}"


def iso(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def robots_txt(base_url: str) -> str:
    return (
        "User-agent: *\n"
        "Disallow: /gemeente/nieuws/intern/\n"
        "Disallow: /zoeken\n"
        "\n"
        f"Sitemap: {base_url}/merwede/sitemap.xml\n"
    )


# --- HTML -------------------------------------------------------------------------------

def _page(title: str, body: str, *, lang: str = "nl", head: str = "") -> str:
    return (
        f'<!doctype html>\n<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n"
        '<meta name="newsroom:fictional" content="true">\n'
        f"{head}</head>\n<body>\n{body}\n"
        f'<footer><p class="fictief">{escape(FICTION_NOTE)}</p></footer>\n'
        "</body>\n</html>\n"
    )


def _nav(outlet: str) -> str:
    links = {
        "drechtstad": '<a href="/drechtstad/">Home</a> <a href="/drechtstad/feed.xml">RSS</a>',
        "merwede": '<a href="/merwede/">Home</a> <a href="/merwede/over-ons">Over ons</a>',
        "gemeente": '<a href="/gemeente/nieuws">Nieuws</a> <a href="/gemeente/contact">Contact</a>',
    }[outlet]
    return f"<header><p>{escape(OUTLET_NAMES[outlet])}</p><nav>{links}</nav></header>"


def article_html(base_url: str, item: DemoItem) -> str:
    """An article page, as trafilatura would meet it on a real news site."""
    url = article_url(base_url, item)
    outlet = OUTLET_NAMES[item.outlet]
    dated = item.broken != "bad_date"
    head = (
        f'<link rel="canonical" href="{escape(url)}">\n'
        f'<meta name="description" content="{escape(item.paragraphs[0])}">\n'
        f'<meta property="og:title" content="{escape(item.title)}">\n'
        '<meta property="og:type" content="article">\n'
        f'<meta property="og:site_name" content="{escape(outlet)}">\n'
    )
    if dated:
        head += f'<meta property="article:published_time" content="{iso(item.published)}">\n'
    if item.author:
        head += f'<meta name="author" content="{escape(item.author)}">\n'
    byline = []
    if item.author:
        byline.append(f'Door <span class="author">{escape(item.author)}</span>')
    if dated:
        byline.append(
            f'<time datetime="{iso(item.published)}">{item.published:%d-%m-%Y %H:%M}</time>'
        )
    paragraphs = "\n".join(f"<p>{escape(p)}</p>" for p in item.paragraphs)
    body = (
        f"{_nav(item.outlet)}\n<main>\n<article>\n<h1>{escape(item.title)}</h1>\n"
        f'<p class="byline">{" · ".join(byline)}</p>\n{paragraphs}\n</article>\n</main>'
    )
    # The "Fictief demobericht" line is in the page footer (see _page), outside <article>:
    # visible to readers, but not part of the text the crawler extracts and scores.
    return _page(f"{item.title} | {outlet}", body, lang=item.language, head=head)


def listing_html(corpus: DemoCorpus) -> str:
    """The municipality's news page: a plain list of links, no feed."""
    rows = []
    for item in corpus.for_outlet("gemeente"):
        rows.append(
            f'<li><a href="{ARTICLE_PATHS["gemeente"]}{escape(item.slug)}">'
            f"{escape(item.title)}</a> <time>{item.published:%d-%m-%Y}</time></li>"
        )
    # Robots.txt forbids this one: a polite crawler never fetches it.
    rows.append('<li><a href="/gemeente/nieuws/intern/memo-college">Intern memo</a></li>')
    body = (
        f"{_nav('gemeente')}\n<main>\n<h1>Nieuws van de gemeente</h1>\n"
        f'<ul class="nieuwslijst">\n{chr(10).join(rows)}\n</ul>\n'
        '<p><a href="/gemeente/afval">Afvalkalender</a></p>\n</main>'
    )
    return _page("Nieuws | Gemeente Dordrecht (demo)", body)


def simple_html(outlet: str, title: str, text: str) -> str:
    """A non-article page (contact, about) that crawlers should not store as news."""
    body = f"{_nav(outlet)}\n<main><h1>{escape(title)}</h1><p>{escape(text)}</p></main>"
    return _page(title, body)


def home_html(base_url: str) -> str:
    body = (
        "<main><h1>newsroom demo</h1>\n<p>Een verzonnen nieuwslandschap voor de demo.</p>\n<ul>"
        '<li><a href="/drechtstad/">Drechtstad Dagblad</a> '
        '(<a href="/drechtstad/feed.xml">RSS</a>)</li>'
        '<li><a href="/merwede/">Merwede Courant</a> (<a href="/merwede/sitemap.xml">sitemap</a>)'
        '</li><li><a href="/gemeente/nieuws">Gemeente Dordrecht (demo)</a></li>'
        '<li><a href="/api/v1/timelines/tag/dordrecht">#dordrecht (Mastodon-API)</a></li>'
        f"</ul><p>Basis-URL: {escape(base_url)}</p></main>"
    )
    return _page("newsroom demo", body)


def outlet_home_html(corpus: DemoCorpus, outlet: str) -> str:
    items = [i for i in corpus.for_outlet(outlet) if not i.broken][:20]
    rows = "\n".join(
        f'<li><a href="{ARTICLE_PATHS[outlet]}{escape(i.slug)}">{escape(i.title)}</a></li>'
        for i in items
    )
    body = f"{_nav(outlet)}\n<main><h1>Laatste nieuws</h1><ul>{rows}</ul></main>"
    return _page(OUTLET_NAMES[outlet], body)


def status_html(base_url: str, item: DemoItem) -> str:
    name = dict(vocab.SOCIAL_ACCOUNTS).get(item.author, item.author)
    body = (
        f"<main><article><p>{escape(name)} (@{escape(item.author)})</p>"
        f"{status_content(base_url, item)}</article></main>"
    )
    return _page(f"{name} op newsroom demo-social", body)


# --- feeds and sitemaps -----------------------------------------------------------------

def rss_feed(base_url: str, corpus: DemoCorpus) -> str:
    """Drechtstad Dagblad's RSS 2.0 feed: summaries only, with three broken entries."""
    entries = []
    for item in corpus.for_outlet("drechtstad"):
        parts = [f"<title>{xml_escape(item.title)}</title>"]
        if item.broken != "no_link":
            parts.append(f"<link>{xml_escape(article_url(base_url, item))}</link>")
            parts.append(
                f'<guid isPermaLink="true">{xml_escape(article_url(base_url, item))}</guid>'
            )
        else:
            parts.append(f'<guid isPermaLink="false">drechtstad-{xml_escape(item.slug)}</guid>')
        date = BAD_DATE if item.broken == "bad_date" else format_datetime(
            item.published, usegmt=True
        )
        parts.append(f"<pubDate>{date}</pubDate>")
        parts.append(f"<description>{xml_escape(item.paragraphs[0])}</description>")
        if item.author:
            parts.append(f"<dc:creator>{xml_escape(item.author)}</dc:creator>")
        parts.append(f"<category>{xml_escape(item.topic)}</category>")
        parts.append("<category>fictional</category>")
        entries.append("<item>" + "".join(parts) + "</item>")
    updated = format_datetime(corpus.last_modified("drechtstad"), usegmt=True)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:atom="http://www.w3.org/2005/Atom">\n<channel>\n'
        "<title>Drechtstad Dagblad (fictief)</title>\n"
        f"<link>{base_url}/drechtstad/</link>\n"
        f'<atom:link href="{base_url}/drechtstad/feed.xml" rel="self" '
        'type="application/rss+xml"/>\n'
        "<description>Fictief regionaal nieuws uit Dordrecht en de Drechtsteden "
        "(demo van newsroom)</description>\n<language>nl</language>\n"
        f"<lastBuildDate>{updated}</lastBuildDate>\n"
        + "\n".join(entries)
        + "\n</channel>\n</rss>\n"
    )


def sitemap_index(base_url: str, corpus: DemoCorpus) -> str:
    """Merwede Courant's sitemap index, pointing at its parts."""
    updated = iso(corpus.last_modified("merwede"))
    parts = "".join(
        f"<sitemap><loc>{base_url}/merwede/sitemap-nieuws-{n}.xml</loc>"
        f"<lastmod>{updated}</lastmod></sitemap>"
        for n in range(1, SITEMAP_PARTS + 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{parts}</sitemapindex>\n"
    )


def sitemap_part(base_url: str, corpus: DemoCorpus, part: int) -> str | None:
    """One part of the sitemap: every other article, plus the 'over ons' page in part 1."""
    if not 1 <= part <= SITEMAP_PARTS:
        return None
    items = corpus.for_outlet("merwede")[part - 1 :: SITEMAP_PARTS]
    urls = [
        f"<url><loc>{xml_escape(article_url(base_url, i))}</loc>"
        f"<lastmod>{iso(i.published)}</lastmod></url>"
        for i in items
    ]
    if part == 1:
        urls.append(f"<url><loc>{base_url}/merwede/over-ons</loc></url>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "\n".join(urls)
        + "\n</urlset>\n"
    )


# --- Mastodon ---------------------------------------------------------------------------

_HASHTAG = re.compile(r"#(\w+)")


def status_content(base_url: str, item: DemoItem) -> str:
    """Status text as Mastodon serves it: escaped HTML with hashtag links."""
    if not item.paragraphs:
        return ""
    text = escape(item.paragraphs[0], quote=False) + " #fictief"

    def link(match: re.Match[str]) -> str:
        tag = match.group(1)
        return (
            f'<a href="{base_url}/tags/{tag.lower()}" class="mention hashtag" rel="tag">'
            f"#<span>{tag}</span></a>"
        )

    return f"<p>{_HASHTAG.sub(link, text)}</p>"


def account_json(base_url: str, username: str) -> dict[str, Any]:
    display = dict(vocab.SOCIAL_ACCOUNTS).get(username, username)
    account_id = str(10**15 + sum(ord(c) * 31**i for i, c in enumerate(username)) % 10**9)
    return {
        "id": account_id,
        "username": username,
        "acct": username,
        "display_name": display,
        "locked": False,
        "bot": False,
        "url": f"{base_url}/@{username}",
        "note": "<p>Fictief demo-account.</p>",
        "avatar": f"{base_url}/avatars/original/missing.png",
        "followers_count": 40 + len(username),
        "following_count": 12,
        "statuses_count": 100 + len(username) * 3,
    }


def status_json(base_url: str, item: DemoItem) -> dict[str, Any]:
    tags = sorted({t.lower() for t in _HASHTAG.findall(item.text)} | {"fictief"})
    media = []
    if not item.paragraphs:
        media.append({
            "id": item.post_id, "type": "image", "url": f"{base_url}/media/{item.post_id}.jpg",
            "description": None,
        })
    return {
        "id": item.post_id,
        "created_at": item.published.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "in_reply_to_id": None,
        "in_reply_to_account_id": None,
        "sensitive": False,
        "spoiler_text": "",
        "visibility": "public",
        "language": item.language,
        "uri": f"{base_url}/users/{item.author}/statuses/{item.post_id}",
        "url": status_url(base_url, item),
        "replies_count": int(item.post_id[-1]),
        "reblogs_count": int(item.post_id[-2]),
        "favourites_count": int(item.post_id[-3:-1]),
        "edited_at": None,
        "content": status_content(base_url, item),
        "reblog": None,
        "account": account_json(base_url, item.author),
        "media_attachments": media,
        "mentions": [],
        "tags": [{"name": t, "url": f"{base_url}/tags/{t}"} for t in tags]
        + [{"name": "fictional", "url": f"{base_url}/tags/fictional"}],
        "emojis": [],
        "card": None,
        "poll": None,
    }


MASTODON_MAX_LIMIT = 40
MASTODON_DEFAULT_LIMIT = 20


def tag_timeline(
    base_url: str,
    corpus: DemoCorpus,
    tag: str,
    *,
    limit: int = MASTODON_DEFAULT_LIMIT,
    max_id: str | None = None,
    since_id: str | None = None,
    min_id: str | None = None,
) -> tuple[str, str | None]:
    """A page of a hashtag timeline as (JSON body, Link header), newest first.

    Like Mastodon: `max_id` gives older statuses, `since_id` newer ones (newest first),
    `min_id` the statuses just after it; `limit` is capped at 40.
    """
    limit = max(1, min(limit, MASTODON_MAX_LIMIT))
    statuses = [
        i for i in corpus.for_outlet("social")
        if i.age_seconds >= 0 and tag.lower() in _tags_of(i)
    ]
    statuses.sort(key=lambda i: int(i.post_id), reverse=True)
    if max_id is not None:
        statuses = [i for i in statuses if int(i.post_id) < int(max_id)]
    if since_id is not None:
        statuses = [i for i in statuses if int(i.post_id) > int(since_id)]
    if min_id is not None:
        statuses = [i for i in statuses if int(i.post_id) > int(min_id)][-limit:]
    page = statuses[:limit]
    body = json.dumps([status_json(base_url, i) for i in page], ensure_ascii=False)
    if not page:
        return body, None
    path = f"{base_url}/api/v1/timelines/tag/{tag}"
    link = (
        f'<{path}?limit={limit}&max_id={page[-1].post_id}>; rel="next", '
        f'<{path}?limit={limit}&min_id={page[0].post_id}>; rel="prev"'
    )
    return body, link


def _tags_of(item: DemoItem) -> set[str]:
    tags = {t.lower() for t in _HASHTAG.findall(item.text)}
    # A media-only post still belongs to the tag timeline it was posted to.
    return tags or {"dordrecht"}
