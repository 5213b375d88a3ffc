"""The words of the demo corpus's items: headlines, paragraphs, official notices and posts.

`corpus._Builder` decides which items exist and when; `TextMaker` writes them. Both draw from
the same seeded generator in a fixed order, so the corpus stays deterministic.
"""

from __future__ import annotations

import random
import re

from newsroom.demo import vocab
from newsroom.demo.vocab import TopicVocab

PLACE_PHRASE = dict(vocab.PLACES)
POST_OPENERS = {
    "positief": ("", "", "Goed nieuws! ", "Complimenten: ", "Even iets positiefs: "),
    "negatief": ("", "", "Serieus? ", "Pff. ", "Ik ben er klaar mee. "),
    "neutraal": ("", "", "Vraagje: ", "Ter info: "),
}
POST_TAGS = ("#dordrecht", "#dordrecht #dordt", "#dordrecht #drechtsteden", "#Dordrecht")
STREETS = (
    "Voorstraat", "Wijnstraat", "Nieuwe Haven", "Vrieseweg", "Johan de Wittstraat",
    "Singel", "Dubbeldamseweg Zuid", "Krommedijk", "Patersweg", "Karel Lotsyweg",
)
ACTIVITIES = (
    "het plaatsen van een dakkapel", "het verbouwen van een winkelpand tot woningen",
    "het kappen van een boom", "het wijzigen van een monument", "het plaatsen van "
    "zonnepanelen op een monumentaal pand", "het bouwen van een aanbouw",
)


class TextMaker:
    """Fills the vocabulary's templates; remembers post texts so no post repeats."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.seen_texts: set[str] = set()

    def place(self, topic: TopicVocab) -> str:
        names = topic.places or tuple(name for name, _ in vocab.PLACES)
        return self.rng.choice(names)

    def slots(self, topic: TopicVocab, place: str) -> dict[str, str]:
        subject = self.rng.choice(topic.subjects)
        resident = f"{self.rng.choice(vocab.FIRST_NAMES)} {self.rng.choice(vocab.LAST_NAMES)}"
        if self.rng.random() < 0.6:
            resident += f" uit {PLACE_PHRASE.get(place, place)}"
        official = vocab.OFFICIALS[vocab.OFFICIAL_FOR_TOPIC.get(topic.key, 4)]
        if self.rng.random() < 0.2:
            official = vocab.OFFICIALS[4]
        return {
            "subject": subject,
            "Subject": subject[0].upper() + subject[1:],
            "place": PLACE_PHRASE.get(place, place),
            "placename": place,
            "resident": resident,
            "official": official,
            "Official": official[0].upper() + official[1:],
            "number": str(self.rng.choice((12, 24, 35, 48, 60, 85, 120, 150, 240, 380))),
        }

    def fill(self, template: str, topic: TopicVocab, place: str) -> str:
        text = template.format(**self.slots(topic, place))
        return text[0].upper() + text[1:]

    def article(self, topic: TopicVocab, polarity: str, place: str) -> tuple[str, tuple[str, ...]]:
        slots = self.slots(topic, place)
        rng = self.rng
        title = rng.choice(topic.titles[polarity]).format(**slots)
        paragraphs = [rng.choice(topic.leads[polarity]).format(**slots)]
        if rng.random() < 0.8:
            paragraphs.append(self.fill(rng.choice(topic.details), topic, place))
        paragraphs.append(self.fill(rng.choice(topic.quotes[polarity]), topic, place))
        if polarity != "neutraal" and rng.random() < 0.5:
            paragraphs.append(self.fill(rng.choice(topic.quotes["neutraal"]), topic, place))
        paragraphs.append(rng.choice(vocab.GENERIC_CLOSERS))
        return title[0].upper() + title[1:], tuple(p[0].upper() + p[1:] for p in paragraphs)

    def official(self, topic: TopicVocab, place: str) -> tuple[str, tuple[str, ...]]:
        slots = self.slots(topic, place)
        if self.rng.random() < 0.45:
            street = self.rng.choice(STREETS)
            number = self.rng.randint(2, 180)
            activity = self.rng.choice(ACTIVITIES)
            title = f"Aanvraag omgevingsvergunning {street} {number}"
            paragraphs = (
                f"Het college van burgemeester en wethouders heeft een aanvraag ontvangen voor "
                f"{activity} op het adres {street} {number} in Dordrecht.",
                "Deze aanvraag ligt ter inzage. U kunt nog geen bezwaar maken; dat kan pas "
                "nadat er een besluit is genomen.",
            )
            return title, paragraphs
        title_template, lead_template = self.rng.choice(topic.official)
        title = title_template.format(**slots)
        lead = lead_template.format(**slots)
        more = self.rng.choice((
            "Meer informatie staat op de website van de gemeente.",
            "Heeft u vragen? Bel dan met het algemene nummer van de gemeente.",
            "Bewoners in de omgeving ontvangen hierover een brief.",
        ))
        return title, (lead, more)

    def post_text(self, topic: TopicVocab, polarity: str, place: str) -> str:
        bodies = list(topic.posts[polarity])
        for quote in topic.quotes[polarity]:
            inner = re.match(r"^'(.+?),?' ", quote)
            if inner:
                bodies.append(inner.group(1).rstrip(",") + ".")
        for _attempt in range(20):
            body = self.fill(self.rng.choice(bodies), topic, place)
            opener = self.rng.choice(POST_OPENERS[polarity])
            tags = self.rng.choice(POST_TAGS)
            text = f"{opener}{body} {tags}".strip()
            if text not in self.seen_texts:
                break
        self.seen_texts.add(text)
        return text
