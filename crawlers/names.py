"""Masking names of private persons inside social post text.

A post may name people who never chose to be monitored ("buurvrouw Annie de Vries zag …").
We cannot recognise every name, so the rule is deliberately simple and explainable to a
privacy officer (docs/privacy.md lists what is and is not masked):

- a known Dutch first name, optionally followed by a surname (with `van`, `de`, `van der` …):
  "Marieke van Dam", "Kees";
- a form of address followed by a capitalised name: "mevrouw Jansen", "dhr. Bakker",
  "buurman Piet".

Each becomes ``[naam]``. Public office holders listed in `privacy.public_figures`
(wethouders, burgemeester, raadsleden) stay readable, in full or by their surname. Surnames
on their own, nicknames and names we do not know are not masked; mentions (`@naam`) are
handled before this, by `crawlers.privacy.strip_mentions`.
"""

from __future__ import annotations

import re

NAME_PLACEHOLDER = "[naam]"

FIRST_NAMES = frozenset((
    "aad", "adrie", "agnes", "albert", "alex", "alexander", "amber", "anna", "anne", "annemarie",
    "annie", "anouk", "anton", "arie", "arjen", "arjan", "astrid", "bart", "bas", "bea", "bep",
    "bert", "bertus", "bram", "carla", "carolien", "cees", "charlotte", "chantal", "chris",
    "corrie", "corry", "daan", "danny", "dennis", "dick", "diederik", "dirk", "edwin", "eline",
    "elise", "ellen", "els", "emma", "erik", "esther", "eva", "evert", "fenna", "femke", "floor",
    "frank", "frans", "freek", "gerard", "gert", "gerrit", "greet", "gijs", "hanna", "hanneke",
    "hans", "harm", "hein", "hendrik", "henk", "henny", "hilde", "ilse", "inge", "ingrid", "iris",
    "jaap", "jacqueline", "jan", "jannie", "jasper", "jelle", "jeroen", "jesse", "joep", "johan",
    "johanna", "joke", "joost", "joris", "jos", "josje", "judith", "julia", "kees", "kevin",
    "kim", "klaas", "koen", "lars", "laura", "lieke", "lisa", "lotte", "luuk", "maarten", "manon",
    "marco", "marian", "marieke", "marijke", "marjan", "mark", "marleen", "martin", "martijn",
    "maud", "max", "melissa", "merel", "michiel", "mieke", "mirjam", "monique", "naomi", "nick",
    "niels", "nienke", "noor", "paul", "peter", "petra", "piet", "pieter", "pim", "priscilla",
    "puck", "ria", "rik", "rob", "robbert", "robin", "roel", "ron", "ronald", "rosa", "ruben",
    "ruud", "sander", "sanne", "saskia", "sem", "simone", "sjaak", "sophie", "stefan", "stijn",
    "suzanne", "sven", "teun", "thijs", "thomas", "tim", "tineke", "tom", "ton", "truus", "vera",
    "wendy", "wessel", "wil", "willem", "wim", "wouter", "yvonne", "zoë",
))
"""Common Dutch first names (written for this project). A first name that is also an
everyday word is left out where it would mask too much ("Roos", "Mees")."""

_ADDRESS = (
    r"(?i:meneer|mevrouw|mevr\.|mw\.|dhr\.|de heer|juffrouw|buurman|buurvrouw|"
    r"oom|tante|opa|oma|dokter)"
)
_PARTICLE = r"(?:van der|van den|van de|van 't|van|de|den|der|ter|ten|te|'t)"
_CAP = r"[A-ZÀ-Ý][a-zà-ÿ'-]+"
_SURNAME = rf"(?:\s+{_PARTICLE})?\s+{_CAP}"
_FIRST_NAME_ALTERNATIVES = "|".join(sorted((n.capitalize() for n in FIRST_NAMES), key=len,
                                           reverse=True))
_FIRST_THEN_SURNAME = re.compile(
    rf"(?<![\w@\[])(?:{_FIRST_NAME_ALTERNATIVES})(?:{_SURNAME})?(?![\w\]])"
)
_ADDRESSED = re.compile(
    rf"(?<![\w@])({_ADDRESS})\s+((?:{_CAP}\s+)?(?:{_PARTICLE}\s+)?{_CAP})(?!\w)"
)


def mask_private_names(text: str, public_figures: tuple[str, ...] = ()) -> str:
    """Replace names of private persons by ``[naam]``; listed public figures stay.

    >>> mask_private_names("Marieke van Dam en wethouder Piet Hein zijn boos", ("Piet Hein",))
    '[naam] en wethouder Piet Hein zijn boos'
    >>> mask_private_names("Mevrouw Jansen belde, Kees ook.")
    'Mevrouw [naam] belde, [naam] ook.'
    """
    protected = _protected_spans(text, public_figures)

    def first_name(match: re.Match[str]) -> str:
        return match.group(0) if _overlaps(match, protected) else NAME_PLACEHOLDER

    def addressed(match: re.Match[str]) -> str:
        if _overlaps(match, protected):
            return match.group(0)
        return f"{match.group(1)} {NAME_PLACEHOLDER}"

    text = _ADDRESSED.sub(addressed, text)
    protected = _protected_spans(text, public_figures)
    return _FIRST_THEN_SURNAME.sub(first_name, text)


def _protected_spans(text: str, public_figures: tuple[str, ...]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for figure in public_figures:
        figure = figure.strip()
        if not figure:
            continue
        forms = {figure, figure.split()[-1]}
        for form in forms:
            if len(form) < 3:
                continue
            for found in re.finditer(rf"(?<!\w){re.escape(form)}(?!\w)", text):
                spans.append(found.span())
    return spans


def _overlaps(match: re.Match[str], spans: list[tuple[int, int]]) -> bool:
    start, end = match.span()
    return any(start < span_end and span_start < end for span_start, span_end in spans)
