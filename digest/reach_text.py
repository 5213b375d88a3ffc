"""The digest's reach section in Dutch (B1): on which platforms and how many voices the
week's picture rests, so a reader sees when a spike is a few accounts posting a lot."""

from __future__ import annotations

from storage.reach import TOP_AUTHORS, Reach

SECTION_TITLE = "Bereik: op wie rust dit beeld?"
CHANNEL_NAMES = {"news": "nieuwssites", "official": "gemeentelijke bronnen",
                 "mastodon": "Mastodon", "bluesky": "Bluesky", "reddit": "Reddit",
                 "youtube": "YouTube"}


def reach_sentences(reach: Reach | None) -> list[str]:
    """Two to three short sentences; one line when the week has no items."""
    if reach is None or not reach.total:
        return ["Deze week zijn er geen berichten om te tellen."]
    parts = sorted(reach.by_platform.items(), key=lambda item: (-item[1], item[0]))
    shares = ", ".join(
        f"{CHANNEL_NAMES.get(name, name)} {round(100 * count / reach.total)}%"
        for name, count in parts
    )
    lines = [f"De {reach.total} berichten van deze week komen van: {shares}."]
    if reach.social_posts:
        share = reach.top_share or 0.0
        lines.append(
            f"Op sociale media schreven {reach.authors} verschillende accounts "
            f"{reach.social_posts} berichten; {round(100 * share)}% daarvan komt van de "
            f"{min(TOP_AUTHORS, reach.authors)} actiefste accounts."
        )
        if reach.concentrated:
            lines.append("Let op: het beeld op sociale media rust op een klein aantal accounts. "
                         "Een piek zegt dan vooral iets over hen, niet over alle inwoners.")
    else:
        lines.append("Er zijn deze week geen berichten van sociale media.")
    return lines
