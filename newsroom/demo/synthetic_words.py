"""The made-up outlets, watches, topics, places and phrases of the synthetic load corpus.

A data table for `newsroom.demo.synthetic`; everything here is fictional.
"""

from __future__ import annotations

SOURCES: tuple[tuple[str, str, str], ...] = (
    ("syn-dagblad", "Synthetisch Dagblad", "news"),
    ("syn-stadskrant", "Stadskrant (synthetisch)", "news"),
    ("syn-omroep", "Regio-omroep (synthetisch)", "news"),
    ("syn-nieuwsbode", "Nieuwsbode (synthetisch)", "news"),
    ("syn-wijkblad", "Wijkblad (synthetisch)", "news"),
    ("syn-mastodon", "Mastodon #dordrecht (synthetisch)", "social"),
    ("syn-forum", "Buurtforum (synthetisch)", "social"),
    ("syn-social-2", "Sociale posts (synthetisch)", "social"),
    ("syn-gemeente", "Gemeente nieuws (synthetisch)", "official"),
    ("syn-raad", "Raadsinformatie (synthetisch)", "official"),
)
SOURCE_WEIGHTS = (14, 10, 8, 6, 4, 22, 14, 10, 7, 5)

TOPICS: dict[str, tuple[str, ...]] = {
    "verkeer": ("de nieuwe rotonde", "het parkeren in de binnenstad", "de fietsstraat"),
    "wonen": ("de nieuwbouwwijk", "de sociale huurwoningen", "de renovatie van de flats"),
    "veiligheid": ("de straatverlichting", "het cameratoezicht", "de overlast bij het station"),
    "zorg": ("de wijkverpleging", "het nieuwe gezondheidscentrum", "de jeugdzorg"),
    "onderwijs": ("de nieuwe basisschool", "het schoolplein", "de bibliotheek"),
    "milieu": ("het groen in de wijk", "de afvalinzameling", "de warmtepompen"),
    "economie": ("de winkels in het centrum", "de weekmarkt", "de haven"),
    "cultuur": ("het theater", "het museum", "het stadsfestival"),
    "bestuur": ("de gemeenteraad", "de begroting", "de wethouder"),
    "sport": ("het zwembad", "de sporthal", "de voetbalclub"),
}

WATCHES: tuple[tuple[str, str, str], ...] = (
    ("Spoorzone", "spoorzone OR \"station zuid\"", "projectleider.spoorzone"),
    ("Stadswerven", "stadswerven", "projectleider.stadswerven"),
    ("Zwembad", "zwembad NOT wedstrijd", ""),
    ("Energietransitie", "warmtenet OR zonnepanelen", ""),
    ("Binnenstad", "binnenstad AND parkeren", ""),
)
WATCH_WORDS = ("spoorzone", "stadswerven", "zwembad", "warmtenet", "binnenstad")

PLACES: tuple[tuple[str, str, str, float, float], ...] = (
    ("GM0505", "Dordrecht", "gemeente", 51.800, 4.753),
    ("WK050500", "Binnenstad", "wijk", 51.814, 4.667),
    ("WK050501", "Noordflank", "wijk", 51.822, 4.693),
    ("WK050502", "Krispijn", "wijk", 51.800, 4.671),
    ("WK050503", "Reeland", "wijk", 51.795, 4.689),
    ("WK050504", "Sterrenburg", "wijk", 51.790, 4.703),
    ("WK050505", "Stadspolders", "wijk", 51.798, 4.720),
    ("WK050506", "Dubbeldam", "wijk", 51.787, 4.730),
    ("WK050507", "Wielwijk", "wijk", 51.792, 4.664),
    ("BU05050001", "Stadswerven", "buurt", 51.821, 4.676),
    ("BU05050002", "Oud-Krispijn", "buurt", 51.804, 4.672),
    ("BU05050003", "Crabbehof", "buurt", 51.788, 4.677),
)
"""Approximate label points of areas in Dordrecht, for fictional load data only."""

OPENERS = {
    "negatief": (
        "Bewoners zijn boos over {thing}.",
        "Er is veel kritiek op {thing}.",
        "Ondernemers klagen over {thing}.",
        "De oppositie noemt {thing} een mislukking.",
        "Omwonenden maken zich zorgen over {thing}.",
    ),
    "neutraal": (
        "De gemeente geeft uitleg over {thing}.",
        "Donderdag praat de raad over {thing}.",
        "Er komt een informatieavond over {thing}.",
        "Het college stuurt een brief over {thing}.",
        "Volgende week start het onderzoek naar {thing}.",
    ),
    "positief": (
        "Bewoners zijn blij met {thing}.",
        "Er is veel lof voor {thing}.",
        "Ondernemers zijn tevreden over {thing}.",
        "De wijk viert de opening van {thing}.",
        "Iedereen is enthousiast over {thing}.",
    ),
}
FILLERS = (
    "Dat meldt de gemeente Dordrecht.",
    "De plannen liggen tot eind volgende maand ter inzage.",
    "Wethouder en raadsleden gaan met de buurt in gesprek.",
    "Er is een bijeenkomst in het wijkcentrum.",
    "Op sociale media wordt er volop over gepraat.",
    "Het onderwerp staat op de agenda van de commissie.",
)
TITLES = {
    "negatief": ("Onvrede over {thing}", "Kritiek op {thing}", "Zorgen om {thing}"),
    "neutraal": ("Nieuws over {thing}", "Raad bespreekt {thing}", "Update: {thing}"),
    "positief": ("Lof voor {thing}", "Blij met {thing}", "Succes voor {thing}"),
}
LABEL_WEIGHTS = (30, 45, 25)
