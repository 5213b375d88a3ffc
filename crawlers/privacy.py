"""Privacy at ingest: social posts are about phenomena, not people.

Authors become a keyed pseudonym (HMAC-SHA256 over platform + the platform's account id),
so the same account keeps the same pseudonym across crawls (volume counts still work) but
the pseudonym cannot be reversed or recomputed without the secret key. No handle, display
name or profile data is stored.

Mentions of other accounts inside a post (`@naam` or `@naam@instantie.nl`) are replaced by
``@gebruiker``. We cannot tell a person's account from an organisation's, so every mention
is treated as a person: privacy by default, at the cost of losing "@gemeentedordrecht" as a
signal (the words of the post still carry the topic).
"""

from __future__ import annotations

import hashlib
import hmac
import re

PSEUDONYM_CHARS = 16
MENTION_PLACEHOLDER = "@gebruiker"

# "@name" or "@name@host.tld", not preceded by a word character (so e-mail addresses like
# info@dordrecht.nl are left alone; they are organisational contact details, not mentions).
_MENTION = re.compile(r"(?<![\w@/])@[A-Za-z0-9_][A-Za-z0-9_.-]*(?:@[A-Za-z0-9.-]+\.[A-Za-z]{2,})?")


def pseudonymise(key: bytes, platform: str, account_id: str) -> str:
    """A stable, non-reversible pseudonym for one account on one platform.

    >>> pseudonymise(b"secret", "mastodon", "1234") == pseudonymise(b"secret", "Mastodon", "1234")
    True
    """
    if not key:
        raise ValueError("pseudonymise needs a non-empty key (privacy.pseudonym_key_env)")
    message = f"{platform.lower()}:{account_id}".encode()
    digest = hmac.new(key, message, hashlib.sha256).hexdigest()
    return digest[:PSEUDONYM_CHARS]


def strip_mentions(text: str) -> str:
    """Replace every @mention of an account by ``@gebruiker``.

    >>> strip_mentions("Dank @jan@mastodon.nl en @piet! Mail info@dordrecht.nl")
    'Dank @gebruiker en @gebruiker! Mail info@dordrecht.nl'
    """
    return _MENTION.sub(MENTION_PLACEHOLDER, text)


IDENTIFIER_PLACEHOLDER = "[naam]"
MIN_SCRUB_CHARS = 3
"""Shorter identifiers (a one- or two-letter display name) would wipe ordinary words."""


def scrub_identifiers(text: str, identifiers: tuple[str, ...]) -> str:
    """Remove whatever names the author (handle, display name, profile URL) from post text.

    Mentions are already ``@gebruiker``; this catches the author's own name or handle written
    out, which a platform reports beside the post but must never be stored.

    >>> scrub_identifiers("Groet van Marieke van Dam, zie https://m.nl/@marieke",
    ...                   ("marieke", "Marieke van Dam", "https://m.nl/@marieke"))
    'Groet van [naam], zie [naam]'
    """
    for identifier in sorted(_scrub_forms(identifiers), key=len, reverse=True):
        pattern = re.compile(rf"(?<![\w@/]){re.escape(identifier)}(?!\w)", re.IGNORECASE)
        text = pattern.sub(IDENTIFIER_PLACEHOLDER, text)
    return text


def _scrub_forms(identifiers: tuple[str, ...]) -> set[str]:
    forms: set[str] = set()
    for identifier in identifiers:
        for form in (identifier.strip(), re.sub(r"[^\w\s.-]", "", identifier).strip()):
            if len(form) >= MIN_SCRUB_CHARS:
                forms.add(form)
    return forms


def names_an_author(value: str, identifiers: tuple[str, ...]) -> bool:
    """True when a link or id still holds the author's handle or profile URL.

    Compares path segments (`@handle`, `handle`, `@handle@host`) rather than substrings, so
    an instance named like a user (`dordrecht.social` vs `@dordrecht`) is no false alarm.
    """
    lowered = value.lower()
    handles = {i.lower().lstrip("@") for i in identifiers if "/" not in i and " " not in i}
    if any("/" in i and i.lower() in lowered for i in identifiers):
        return True
    for segment in re.split(r"[/?#&=]", lowered):
        bare = segment.lstrip("@").split("@", 1)[0]
        if bare and bare in handles:
            return True
    return False
