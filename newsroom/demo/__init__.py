"""The offline demo: a fictional Dordrecht news landscape served on 127.0.0.1.

- `corpus`: the deterministic fictional items (news, official, social), `vocab` their phrases;
- `render`: RSS, sitemaps, HTML pages and Mastodon JSON made from them;
- `site`: the HTTP server (ETag / Last-Modified, 304s, robots.txt);
- `config`, `state`: the demo's newsroom.toml and what a demo folder remembers;
- `run`: the `newsroom demo run` flow (site, init, crawl, score, summary, dashboard).
"""
