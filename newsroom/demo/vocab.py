"""Building blocks for the fictional demo corpus: places, people, and per-topic phrases.

Everything here is invented for the demo, except the place names, which are real wijken,
buurten and gemeenten of the Drechtsteden (spelled as CBS does, so the place gazetteer finds
them). People's names are made-up combinations; no real person is quoted.

Templates use `str.format` slots: {subject} and {Subject} (capitalised), {place} (a phrase
such as "de Binnenstad"), {placename} (the bare name), {resident}, {official}, {number}.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Polarity = str
"""One of "positief", "negatief", "neutraal": the tone a generated item is written in."""

PLACES: tuple[tuple[str, str], ...] = (
    ("Binnenstad", "de Binnenstad"),
    ("Stadspolders", "Stadspolders"),
    ("Sterrenburg", "Sterrenburg"),
    ("Dubbeldam", "Dubbeldam"),
    ("Oud Krispijn", "Oud Krispijn"),
    ("Nieuw-Krispijn", "Nieuw-Krispijn"),
    ("Het Reeland", "Het Reeland"),
    ("Wielwijk", "Wielwijk"),
    ("Crabbehof", "Crabbehof"),
    ("Zuidhoven", "Zuidhoven"),
    ("Noordflank", "de Noordflank"),
    ("Staart", "de Staart"),
    ("Stadswerven", "de Stadswerven"),
    ("Bleijenhoek", "Bleijenhoek"),
    ("Wantijpark", "het Wantijpark"),
    ("Dordtse Hout", "de Dordtse Hout"),
    ("Krispijnse Driehoek", "de Krispijnse Driehoek"),
    ("Amstelwijck", "Amstelwijck"),
    ("Zwijndrecht", "Zwijndrecht"),
    ("Papendrecht", "Papendrecht"),
    ("Sliedrecht", "Sliedrecht"),
    ("Alblasserdam", "Alblasserdam"),
    ("Hendrik-Ido-Ambacht", "Hendrik-Ido-Ambacht"),
    ("Hardinxveld-Giessendam", "Hardinxveld-Giessendam"),
    ("Walburg", "Walburg (Zwijndrecht)"),
    ("De Volgerlanden", "De Volgerlanden"),
)
"""(name, phrase after 'in') for real Drechtsteden places; names as CBS spells them."""

FIRST_NAMES = (
    "Marieke", "Ahmed", "Joke", "Priya", "Kees", "Samira", "Bram", "Els", "Youssef", "Ingrid",
    "Thijs", "Fenna", "Hüseyin", "Wilma", "Daan", "Noor", "Gerrit", "Anouk", "Rachid", "Lotte",
)
LAST_NAMES = (
    "Verhoef", "El Amrani", "de Graaf-Kloos", "Boezeman", "van Wijngaarden", "Oudshoorn",
    "Koppelaar", "Yilmaz", "Breedveld", "van Gelderen", "Steenbakker", "Rijsdijk", "Meerman",
    "Tuinstra", "Lodewijks",
)
"""Invented name parts; combinations are random and refer to nobody."""

OFFICIALS = (
    "wethouder Ilse Verbrugge (Wonen)",
    "wethouder Ruben Stoutjesdijk (Mobiliteit)",
    "wethouder Esra Demirtaş (Zorg en Jeugd)",
    "wethouder Maarten Hoogendoorn-Lek (Energie)",
    "burgemeester Hanneke de Wolff",
)
"""Fictional aldermen and mayor of the demo; the real college is never quoted."""

OFFICIAL_FOR_TOPIC = {
    "wonen": 0, "parkeren": 1, "stadskantoor": 0, "zorg": 2, "jeugd": 2, "energie": 3,
    "veiligheid": 4, "evenementen": 4,
}
"""Which of OFFICIALS speaks for a topic (index); the mayor otherwise."""

REPORTERS = (
    "Sanne Verhoef", "Jeroen Blokland", "Mila Dekker-Aydın", "Tom van der Staay",
    "Eline Baars", "Karim Haddou",
)
"""Fictional bylines of the two demo outlets."""

SOCIAL_ACCOUNTS = (
    ("dordtse_fietser", "Dordtse fietser 🚲"),
    ("merwedemeeuw", "Merwedemeeuw"),
    ("krispijn_buurman", "Buurman uit Krispijn"),
    ("wantij_wandelaar", "Wantijwandelaar"),
    ("stadspolder_sas", "Sas"),
    ("biesbosch_bert", "Bert 🌿"),
    ("dubbeldam_dagelijks", "Dubbeldam dagelijks"),
    ("zwijndrechtse_zus", "Zwijndrechtse zus"),
    ("reeland_rik", "Rik"),
    ("grotekerk_gazer", "Grote Kerk-kijker"),
    ("papendrecht_pien", "Pien"),
    ("sterrenburg_stem", "Stem uit Sterrenburg"),
    ("sliedrecht_sjaak", "Sjaak"),
    ("voorstraat_vera", "Vera van de Voorstraat"),
)
"""Invented Mastodon accounts (username, display name) on the fictional demo instance."""


@dataclass(frozen=True)
class TopicVocab:
    """Phrases for one municipal theme, per tone."""

    key: str
    label: str
    subjects: tuple[str, ...]
    titles: dict[Polarity, tuple[str, ...]]
    leads: dict[Polarity, tuple[str, ...]]
    details: tuple[str, ...]
    quotes: dict[Polarity, tuple[str, ...]]
    posts: dict[Polarity, tuple[str, ...]]
    official: tuple[tuple[str, str], ...]
    """(title, lead) pairs for the municipality's own news page; neutral or positive."""
    places: tuple[str, ...] = field(default=())
    """Place names this topic favours; empty means any place."""


TOPICS: tuple[TopicVocab, ...] = (
    TopicVocab(
        key="wonen",
        label="Wonen",
        subjects=(
            "de nieuwbouw aan de Stadswerven", "de renovatie van de flats", "het plan voor "
            "tweehonderd sociale huurwoningen", "de nieuwbouw bij Amstelwijck",
            "de nieuwe studentenwoningen", "de woontoren bij het station",
        ),
        titles={
            "positief": (
                "Eerste bewoners blij met {subject} in {place}",
                "{Subject} in {place} sneller klaar dan gepland",
                "Buurt enthousiast over {subject}",
            ),
            "negatief": (
                "Bewoners {placename} boos over {subject}",
                "Vertraging bij {subject}: huurders wachten nog langer",
                "Onrust in {place} over {subject}",
            ),
            "neutraal": (
                "Gemeente presenteert plannen voor {subject}",
                "Informatieavond over {subject} in {place}",
                "Raad bespreekt {subject}",
            ),
        },
        leads={
            "positief": (
                "{Subject} in {place} is een succes: de eerste {number} woningen zijn "
                "opgeleverd en alle huurders zijn inmiddels verhuisd.",
                "Wie in {place} een woning zocht, heeft goed nieuws: {subject} levert dit jaar "
                "al {number} extra woningen op.",
            ),
            "negatief": (
                "Huurders in {place} zijn het wachten zat. {Subject} loopt opnieuw maanden "
                "vertraging op en de woningcorporatie kan nog geen nieuwe datum noemen.",
                "In {place} groeit de onvrede over {subject}. Bewoners klagen over schimmel, "
                "lekkages en een corporatie die niet terugbelt.",
            ),
            "neutraal": (
                "De gemeente Dordrecht heeft de plannen voor {subject} in {place} "
                "gepresenteerd. Het gaat om ongeveer {number} woningen.",
                "Over {subject} in {place} wordt dit najaar een besluit genomen. De "
                "gemeenteraad krijgt daarvoor drie varianten voorgelegd.",
            ),
        },
        details=(
            "De gemiddelde wachttijd voor een sociale huurwoning in de Drechtsteden is "
            "ruim zeven jaar.",
            "Woonstichting Drechtoever, de fictieve corporatie in deze demo, beheert ruim "
            "negenduizend woningen in de regio.",
            "Een deel van de woningen is bedoeld voor starters en ouderen uit de wijk.",
        ),
        quotes={
            "positief": (
                "'We hebben eindelijk een thuis met een tuin voor de kinderen,' zegt "
                "{resident}.",
                "'Dit is precies wat de wijk nodig had,' vindt {resident}.",
            ),
            "negatief": (
                "'Ik sta al negen jaar ingeschreven en er gebeurt gewoon niets,' zegt "
                "{resident}.",
                "'De corporatie belooft van alles, maar de schimmel zit nog steeds op de "
                "muur,' zegt {resident}.",
            ),
            "neutraal": (
                "{Official} zegt dat de gemeente 'alle opties zorgvuldig wil afwegen'.",
            ),
        },
        posts={
            "positief": (
                "Vandaag de sleutel gekregen van ons nieuwe huis in {place}! Na jaren wachten "
                "eindelijk raak 🎉",
                "Mooi om te zien hoe snel {subject} opschiet. Knap werk van de bouwers.",
            ),
            "negatief": (
                "Negen jaar op de wachtlijst en nog steeds geen woning. Hoe lang nog?",
                "Alweer lekkage in onze flat in {place}. Niemand komt kijken. Echt "
                "schandalig.",
            ),
            "neutraal": (
                "Iemand ervaring met inschrijven voor {subject}? Welke stukken heb je nodig?",
            ),
        },
        official=(
            ("Start bouw woningen Stadswerven", "Deze maand begint de bouw van de eerste "
             "woningen op de Stadswerven. Omwonenden ontvangen een brief over de planning."),
            ("Inloopavond woonplannen {placename}", "Bewoners van {place} zijn welkom op "
             "de inloopavond over de woonplannen voor hun wijk."),
            ("College stemt in met woonvisie", "Het college heeft de nieuwe woonvisie "
             "vastgesteld. Daarin staat hoeveel woningen er tot 2035 bij komen."),
        ),
    ),
    TopicVocab(
        key="parkeren",
        label="Verkeer en parkeren",
        subjects=(
            "de nieuwe parkeertarieven in de binnenstad", "de afsluiting van de "
            "Spuiboulevard", "het nieuwe fietspad langs de Zuidendijk", "de blauwe zone",
            "de parkeergarage bij de Grote Markt", "de drukte op de N3",
        ),
        titles={
            "positief": (
                "Fietsers blij met {subject}",
                "{Subject}: minder files en meer ruimte",
                "Ondernemers {placename} tevreden over {subject}",
            ),
            "negatief": (
                "Automobilisten klagen over {subject}",
                "Chaos in {place} door {subject}",
                "Winkeliers vrezen klanten te verliezen door {subject}",
            ),
            "neutraal": (
                "Gemeente neemt besluit over {subject}",
                "Dit verandert er door {subject}",
                "Omleiding in {place} vanwege {subject}",
            ),
        },
        leads={
            "positief": (
                "{Subject} pakt goed uit. In {place} staan er veel minder auto's stil en "
                "fietsers kunnen veilig doorrijden.",
                "Na een proef van zes weken zijn bewoners van {place} positief over "
                "{subject}. Het is rustiger en veiliger op straat.",
            ),
            "negatief": (
                "Door {subject} staat het verkeer in {place} elke ochtend vast. Bewoners "
                "en ondernemers zijn er klaar mee.",
                "{Subject} leidt tot veel boze reacties. Parkeren in {place} is volgens "
                "bewoners onbetaalbaar geworden.",
            ),
            "neutraal": (
                "Vanaf volgende maand gelden nieuwe regels rond {subject}. De gemeente legt "
                "uit wat dat betekent voor bewoners van {place}.",
                "{Subject} duurt naar verwachting tot het einde van het jaar. Verkeer wordt "
                "omgeleid via de Laan der Verenigde Naties.",
            ),
        },
        details=(
            "Een uur parkeren in de binnenstad kost in de demo vier euro.",
            "Bewoners met een parkeervergunning kunnen een bezoekersregeling aanvragen.",
            "De gemeente telt elke ochtend ruim {number} fietsers op de Zuidendijk.",
        ),
        quotes={
            "positief": (
                "'Mijn kinderen fietsen nu zelf naar school, dat durfde ik eerst niet,' zegt "
                "{resident}.",
                "'Het is veel rustiger in de straat. Heerlijk,' zegt {resident}.",
            ),
            "negatief": (
                "'Ik betaal me blauw aan parkeren en er is nooit plek,' moppert {resident}.",
                "'Klanten blijven gewoon weg. Dit kost ons omzet,' zegt winkelier "
                "{resident}.",
            ),
            "neutraal": (
                "{Official} zegt dat de regels na een jaar worden geëvalueerd.",
            ),
        },
        posts={
            "positief": (
                "Nieuwe fietspad langs de Zuidendijk is echt top. Eindelijk veilig naar het "
                "werk 👍",
                "Zonder auto naar de binnenstad en gewoon met de waterbus. Prima geregeld.",
            ),
            "negatief": (
                "Vier euro per uur parkeren in de binnenstad. Belachelijk, ik ga wel naar "
                "het winkelcentrum.",
                "Weer een half uur vast bij de Spuiboulevard. Wie bedenkt deze omleidingen?",
            ),
            "neutraal": (
                "Weet iemand tot wanneer de Spuiboulevard dicht is?",
            ),
        },
        official=(
            ("Werkzaamheden Spuiboulevard", "Vanaf maandag is de Spuiboulevard gedeeltelijk "
             "afgesloten. Het verkeer wordt omgeleid; fietsers kunnen er wel langs."),
            ("Nieuwe parkeerregels binnenstad vastgesteld", "Het college heeft de nieuwe "
             "parkeerregels voor de binnenstad vastgesteld. Bewoners krijgen een brief."),
            ("Fietspad Zuidendijk klaar", "Het nieuwe vrijliggende fietspad langs de "
             "Zuidendijk is klaar en vanaf vandaag open."),
        ),
    ),
    TopicVocab(
        key="veiligheid",
        label="Veiligheid",
        subjects=(
            "de inbraakgolf", "de extra camera's", "de nieuwe straatverlichting",
            "de overlast van hangjongeren", "het buurtpreventieteam", "de brand in een "
            "bedrijfspand",
        ),
        titles={
            "positief": (
                "Minder inbraken in {place} dankzij {subject}",
                "Bewoners voelen zich veiliger door {subject}",
                "{Subject} in {place} werpt vruchten af",
            ),
            "negatief": (
                "Bewoners {placename} onrustig na {subject}",
                "Zorgen over veiligheid in {place}",
                "Opnieuw problemen in {place}: 'We durven 's avonds niet meer naar buiten'",
            ),
            "neutraal": (
                "Politie houdt spreekuur in {place}",
                "Gemeente onderzoekt {subject} in {place}",
                "Wat we weten over {subject}",
            ),
        },
        leads={
            "positief": (
                "Het aantal woninginbraken in {place} is dit jaar flink gedaald. Volgens de "
                "politie helpt {subject}.",
                "{Subject} maakt verschil: bewoners van {place} melden veel minder overlast "
                "dan vorig jaar.",
            ),
            "negatief": (
                "In {place} is het onrustig na {subject}. Bewoners voelen zich niet "
                "gehoord en willen meer blauw op straat.",
                "Voor de derde keer deze maand was het raak in {place}. Bewoners zijn bang "
                "en boos.",
            ),
            "neutraal": (
                "De gemeente en de politie houden een bijeenkomst over {subject} in "
                "{place}. Bewoners kunnen er vragen stellen.",
                "De politie onderzoekt {subject} in {place}. Er is nog niemand aangehouden.",
            ),
        },
        details=(
            "Bewoners kunnen verdachte situaties altijd melden via 112 of 0900-8844.",
            "De wijkagent is elke dinsdagmiddag aanwezig in het buurthuis.",
            "Er zijn in de wijk {number} extra lantaarnpalen geplaatst.",
        ),
        quotes={
            "positief": (
                "'Je ziet de wijkagent weer, dat geeft een goed gevoel,' zegt {resident}.",
            ),
            "negatief": (
                "'Mijn schuur is twee keer opengebroken. Ik slaap er slecht van,' zegt "
                "{resident}.",
                "'Er wordt alleen maar gepraat en er gebeurt niets,' vindt {resident}.",
            ),
            "neutraal": (
                "{Official} zegt dat veiligheid 'hoog op de agenda' staat.",
            ),
        },
        posts={
            "positief": (
                "Fijn dat er eindelijk betere verlichting in het park is. Voelt een stuk "
                "veiliger 's avonds.",
            ),
            "negatief": (
                "Vannacht weer ingebroken bij de buren in {place}. Dit is de derde keer. "
                "Wanneer grijpt de gemeente in?",
                "Groep jongeren blijft maar herrie maken bij het winkelcentrum. Niemand doet "
                "er iets aan 😡",
            ),
            "neutraal": (
                "Veel politie in {place} vanavond, weet iemand wat er aan de hand is?",
            ),
        },
        official=(
            ("Cameratoezicht Binnenstad verlengd", "De burgemeester heeft het "
             "cameratoezicht in de binnenstad met een jaar verlengd."),
            ("Vuurwerkvrije zones rond de jaarwisseling", "Ook dit jaar komen er "
             "vuurwerkvrije zones. Bekijk de kaart op de website."),
        ),
        places=("Wielwijk", "Crabbehof", "Oud Krispijn", "Binnenstad", "Zwijndrecht",
                "Nieuw-Krispijn", "Sterrenburg"),
    ),
    TopicVocab(
        key="stadskantoor",
        label="Stadskantoor Spuiboulevard",
        subjects=(
            "het nieuwe stadskantoor aan de Spuiboulevard", "de bouw van het stadskantoor",
            "de kosten van het stadskantoor", "de balies in het stadskantoor",
            "het ontwerp van het stadskantoor",
        ),
        titles={
            "positief": (
                "Stadskantoor Spuiboulevard: licht, open en goed bereikbaar",
                "Bezoekers positief over het nieuwe stadskantoor",
                "Hoogste punt bereikt bij het stadskantoor aan de Spuiboulevard",
                "Bouw stadskantoor Spuiboulevard ligt op schema",
                "Paspoort ophalen gaat snel in nieuw stadskantoor",
                "Architecten lovend over ontwerp stadskantoor",
            ),
            "negatief": (
                "Kosten stadskantoor Spuiboulevard opnieuw hoger",
                "Kritiek op {subject}: 'Geldverspilling'",
                "Lange rijen bij de balies in het stadskantoor",
                "Raadsleden boos over kosten stadskantoor",
                "Omwonenden Spuiboulevard klagen over bouwoverlast",
            ),
            "neutraal": (
                "Stadskantoor Spuiboulevard: de stand van zaken",
                "Raad debatteert over {subject}",
                "Verhuizing naar stadskantoor Spuiboulevard gepland",
                "Wat gebeurt er met het oude stadhuis na de verhuizing?",
                "Planning stadskantoor Spuiboulevard bijgesteld",
            ),
        },
        leads={
            "positief": (
                "Het nieuwe stadskantoor valt in de smaak. Bezoekers prijzen de ruime hal, "
                "de korte wachttijden en de plek vlak bij het station.",
                "De bouw van het stadskantoor aan de Spuiboulevard ligt op schema. Vandaag "
                "werd het hoogste punt gevierd.",
            ),
            "negatief": (
                "De bouw van het stadskantoor kost opnieuw meer dan begroot. De oppositie "
                "spreekt van een financieel debacle en wil opheldering.",
                "Bij de balies in het stadskantoor stonden bezoekers vanochtend ruim een uur "
                "in de rij. Het afsprakensysteem lag plat.",
            ),
            "neutraal": (
                "Het stadskantoor aan de Spuiboulevard moet volgend jaar open. Alle balies "
                "van de gemeente komen dan onder één dak.",
                "De gemeenteraad bespreekt deze week {subject}. Het college geeft een "
                "update over planning en budget.",
            ),
        },
        details=(
            "Het stadskantoor komt naast het station, aan de Spuiboulevard.",
            "In het gebouw komen ook een bibliotheekpunt en een wijkteam.",
            "Het budget voor het stadskantoor is in de demo {number} miljoen euro.",
        ),
        quotes={
            "positief": (
                "'Ik was binnen tien minuten klaar met mijn paspoort,' zegt {resident}.",
                "'Een mooi gebouw, daar mag de stad trots op zijn,' vindt {resident}.",
            ),
            "negatief": (
                "'Weer een prestigeproject waar de burger voor betaalt,' zegt {resident}.",
                "'Een uur wachten voor een rijbewijs, dat is toch niet normaal,' zegt "
                "{resident}.",
            ),
            "neutraal": (
                "{Official} zegt dat de raad 'volledig geïnformeerd' wordt over het "
                "budget.",
            ),
        },
        posts={
            "positief": (
                "Net mijn paspoort opgehaald in het nieuwe stadskantoor aan de Spuiboulevard. "
                "Snel geholpen en mooi gebouw!",
            ),
            "negatief": (
                "Stadskantoor Spuiboulevard wéér duurder. Van ons belastinggeld. Ongelooflijk.",
                "Uur in de rij bij het stadskantoor. Afspraak ging gewoon verloren. Top "
                "service 🙄",
            ),
            "neutraal": (
                "Vanaf wanneer zit de gemeente in het stadskantoor aan de Spuiboulevard?",
            ),
        },
        official=(
            ("Hoogste punt stadskantoor Spuiboulevard", "Het nieuwe stadskantoor aan de "
             "Spuiboulevard heeft het hoogste punt bereikt. De opening staat gepland voor "
             "volgend jaar."),
            ("Raadsinformatiebrief budget stadskantoor", "Het college informeert de raad "
             "over de financiën van het stadskantoor aan de Spuiboulevard."),
            ("Balies verhuizen naar de Spuiboulevard", "De publieksbalies verhuizen naar "
             "het nieuwe stadskantoor. Maak vooraf een afspraak."),
        ),
        places=("Binnenstad",),
    ),
    TopicVocab(
        key="energie",
        label="Energietransitie",
        subjects=(
            "het warmtenet", "de zonnepanelen op schooldaken", "de energietransitie",
            "de nieuwe laadpalen", "het plan voor aardgasvrije wijken",
            "de energiecoöperatie",
        ),
        titles={
            "positief": (
                "{Subject} in {place} levert meer op dan verwacht",
                "Bewoners {placename} enthousiast over {subject}",
                "Energietransitie: {place} loopt voorop",
            ),
            "negatief": (
                "Bewoners {placename} boos over kosten van {subject}",
                "Energietransitie: zorgen in {place} over {subject}",
                "Vertraging bij {subject}",
            ),
            "neutraal": (
                "Energietransitie: wat betekent {subject} voor {place}?",
                "Gemeente zoekt meedenkers voor {subject}",
                "Subsidie voor {subject} beschikbaar",
            ),
        },
        leads={
            "positief": (
                "{Subject} in {place} is een succes. Al {number} huishoudens doen mee en "
                "hun energierekening daalt.",
                "Met {subject} zet {place} een grote stap in de energietransitie.",
            ),
            "negatief": (
                "Bewoners van {place} maken zich zorgen over {subject}. Ze vrezen hoge "
                "aansluitkosten en weten niet waar ze aan toe zijn.",
                "{Subject} loopt vertraging op. Bewoners die al hadden geïnvesteerd voelen "
                "zich in de steek gelaten.",
            ),
            "neutraal": (
                "De gemeente wil dat {place} over tien jaar van het aardgas af is. Voor "
                "{subject} worden nu de eerste stappen gezet.",
                "Huiseigenaren in {place} kunnen vanaf deze maand subsidie aanvragen voor "
                "{subject}.",
            ),
        },
        details=(
            "De warmte komt uit de afvalverbranding en de industrie langs de rivier.",
            "De energiecoöperatie heeft inmiddels {number} leden.",
            "Op de website van de gemeente staat een rekenhulp voor de kosten.",
        ),
        quotes={
            "positief": (
                "'Onze rekening is bijna gehalveerd,' zegt {resident} tevreden.",
            ),
            "negatief": (
                "'Niemand kan me vertellen wat het gaat kosten,' zegt {resident}.",
                "'We worden gewoon gedwongen, zonder inspraak,' vindt {resident}.",
            ),
            "neutraal": (
                "{Official} zegt dat 'niemand er financieel op achteruit mag gaan'.",
            ),
        },
        posts={
            "positief": (
                "Zonnepanelen liggen erop! Dankzij de collectieve inkoop in {place} ging het "
                "supersnel ☀️",
            ),
            "negatief": (
                "Aansluiten op het warmtenet kost ons duizenden euro's. Dat gaat toch niet "
                "werken zo.",
            ),
            "neutraal": (
                "Informatieavond over het warmtenet in {place}, wie gaat er?",
            ),
        },
        official=(
            ("Warmtenet Sterrenburg: informatieavond", "Bewoners van Sterrenburg zijn "
             "welkom op een informatieavond over het warmtenet."),
            ("Subsidie isolatie verlengd", "De subsidie voor isolatie van koopwoningen is "
             "verlengd tot het einde van het jaar."),
        ),
        places=("Sterrenburg", "Stadspolders", "Dubbeldam", "Crabbehof", "Papendrecht",
                "Het Reeland"),
    ),
    TopicVocab(
        key="evenementen",
        label="Evenementen",
        subjects=(
            "het zomerfestival in het Wantijpark", "de havendagen", "de kerstmarkt",
            "het boekenfestival", "de open monumentendag", "de schaatsbaan op het "
            "Statenplein",
        ),
        titles={
            "positief": (
                "Duizenden bezoekers bij {subject}",
                "{Subject} groot succes",
                "Sfeervolle editie van {subject}",
            ),
            "negatief": (
                "Omwonenden klagen over geluidsoverlast van {subject}",
                "Teleurstelling over {subject}",
                "{Subject} afgelast: organisatoren teleurgesteld",
            ),
            "neutraal": (
                "Programma {subject} bekend",
                "Wegafsluitingen tijdens {subject}",
                "Vrijwilligers gezocht voor {subject}",
            ),
        },
        leads={
            "positief": (
                "{Subject} trok dit weekend ruim {number} bezoekers. De organisatie spreekt "
                "van een prachtige editie.",
                "Zon, muziek en een volle stad: {subject} was een feest.",
            ),
            "negatief": (
                "Omwonenden van {place} hebben genoeg van de overlast door {subject}. Ze "
                "klagen over harde muziek tot diep in de nacht.",
                "{Subject} viel tegen. Bezoekers klaagden over lange rijen en te weinig "
                "toiletten.",
            ),
            "neutraal": (
                "Het programma voor {subject} is bekend. Er zijn optredens, markten en "
                "activiteiten voor kinderen.",
                "Tijdens {subject} zijn enkele straten in {place} afgesloten.",
            ),
        },
        details=(
            "De toegang is gratis.",
            "De organisatie werkt met ruim {number} vrijwilligers.",
            "Bezoekers wordt aangeraden met de fiets of de waterbus te komen.",
        ),
        quotes={
            "positief": (
                "'Zo gezellig, de hele stad was op de been,' zegt {resident}.",
            ),
            "negatief": (
                "'Om twee uur 's nachts stond de bas nog te dreunen,' klaagt {resident}.",
            ),
            "neutraal": (
                "{Official} opende het evenement.",
            ),
        },
        posts={
            "positief": (
                "Wat een heerlijke avond op {subject}! Dordrecht op z'n best ❤️",
            ),
            "negatief": (
                "Nog steeds herrie van het festival. Het is half één, kan het wat zachter?",
            ),
            "neutraal": (
                "Iemand een idee waar je het beste kunt parkeren voor {subject}?",
            ),
        },
        official=(
            ("Vergunning zomerfestival Wantijpark verleend", "De burgemeester heeft de "
             "vergunning verleend voor het zomerfestival in het Wantijpark."),
            ("Evenementenkalender bekend", "De evenementenkalender voor het komende seizoen "
             "staat online."),
        ),
        places=("Binnenstad", "Wantijpark", "Stadswerven", "Dordtse Hout"),
    ),
    TopicVocab(
        key="jeugd",
        label="Onderwijs en jeugd",
        subjects=(
            "het nieuwe jongerencentrum", "de vernieuwde speeltuin", "het schoolgebouw",
            "het jongerenwerk", "de huiswerkklas", "het Cruyff Court",
        ),
        titles={
            "positief": (
                "Jongeren {placename} blij met {subject}",
                "{Subject} in {place} feestelijk geopend",
                "Succes voor {subject}",
            ),
            "negatief": (
                "Ouders {placename} boos: {subject} blijft dicht",
                "Zorgen over {subject} in {place}",
                "Bezuiniging op {subject} valt slecht",
            ),
            "neutraal": (
                "Gemeente vraagt jongeren mee te denken over {subject}",
                "Plannen voor {subject} in {place}",
                "Onderzoek naar {subject} gestart",
            ),
        },
        leads={
            "positief": (
                "{Subject} in {place} is open. Tientallen kinderen waren bij de opening en "
                "konden meteen aan de slag.",
                "Jongeren in {place} hebben weer een plek: {subject} draait volop.",
            ),
            "negatief": (
                "Ouders in {place} zijn teleurgesteld. {Subject} blijft voorlopig dicht door "
                "een tekort aan personeel.",
                "Door een bezuiniging staat {subject} in {place} op de tocht.",
            ),
            "neutraal": (
                "De gemeente onderzoekt hoe {subject} in {place} beter kan aansluiten bij "
                "wat jongeren willen.",
                "Voor {subject} in {place} is een plan gemaakt. Bewoners mogen reageren.",
            ),
        },
        details=(
            "In de wijk wonen ruim {number} kinderen en jongeren.",
            "Het jongerenwerk is elke middag en op woensdagavond open.",
        ),
        quotes={
            "positief": (
                "'Eindelijk een plek waar we gewoon kunnen chillen,' zegt een jongen van "
                "vijftien.",
                "'Mijn dochter gaat er elke dag heen,' zegt {resident}.",
            ),
            "negatief": (
                "'Onze kinderen hangen nu op straat,' zegt {resident}.",
            ),
            "neutraal": (
                "{Official} wil 'samen met de jongeren' bepalen wat er komt.",
            ),
        },
        posts={
            "positief": (
                "Speeltuin in {place} is vernieuwd en de kids zijn er niet weg te slaan 😄",
            ),
            "negatief": (
                "Jongerencentrum weer dicht. Waar moeten die jongens nu heen?",
            ),
            "neutraal": (
                "Weet iemand of de huiswerkklas in {place} ook in de vakantie open is?",
            ),
        },
        official=(
            ("Jongeren denken mee over speelplekken", "De gemeente vraagt kinderen en "
             "jongeren mee te denken over nieuwe speelplekken in hun wijk."),
            ("Nieuw schoolgebouw Krispijn", "Het college trekt geld uit voor een nieuw "
             "schoolgebouw in Oud Krispijn."),
        ),
        places=("Wielwijk", "Crabbehof", "Oud Krispijn", "Nieuw-Krispijn", "Sterrenburg",
                "Zwijndrecht", "Sliedrecht", "Papendrecht"),
    ),
    TopicVocab(
        key="zorg",
        label="Zorg en welzijn",
        subjects=(
            "het wijkteam", "de huisartsenpost", "de thuiszorg", "de mantelzorgondersteuning",
            "het buurthuis", "de maaltijdservice voor ouderen",
        ),
        titles={
            "positief": (
                "Ouderen {placename} blij met {subject}",
                "{Subject} in {place} helpt eenzame bewoners",
                "Lof voor {subject}",
            ),
            "negatief": (
                "Lange wachttijden bij {subject}",
                "Zorgen over {subject} in {place}",
                "Mantelzorgers voelen zich in de steek gelaten",
            ),
            "neutraal": (
                "Veranderingen bij {subject}",
                "{Subject} verhuist binnen {place}",
                "Gemeente onderzoekt {subject}",
            ),
        },
        leads={
            "positief": (
                "{Subject} in {place} maakt het verschil. Ouderen komen er samen en krijgen "
                "hulp bij formulieren en boodschappen.",
                "Bewoners van {place} zijn lovend over {subject}: snel, vriendelijk en "
                "dichtbij.",
            ),
            "negatief": (
                "Wie hulp nodig heeft van {subject} in {place}, moet soms maanden wachten. "
                "Mantelzorgers slaan alarm.",
                "In {place} groeit de onrust over {subject}. Bewoners krijgen geen "
                "antwoord op hun vragen.",
            ),
            "neutraal": (
                "{Subject} in {place} gaat anders werken. Vanaf volgende maand kunnen "
                "bewoners ook zonder afspraak binnenlopen.",
                "De gemeente onderzoekt hoe {subject} beter kan worden georganiseerd.",
            ),
        },
        details=(
            "In Dordrecht zijn ruim {number} mantelzorgers actief.",
            "Het wijkteam is bereikbaar via het algemene nummer van de gemeente.",
        ),
        quotes={
            "positief": (
                "'Ik kom hier elke week, het is mijn uitje,' zegt de 81-jarige {resident}.",
            ),
            "negatief": (
                "'Ik zorg al drie jaar voor mijn moeder en niemand helpt mij,' zegt "
                "{resident}.",
            ),
            "neutraal": (
                "{Official} zegt dat de wachttijden 'scherp in de gaten' worden gehouden.",
            ),
        },
        posts={
            "positief": (
                "Wat een lieve mensen bij het wijkteam. Binnen een week geregeld voor mijn "
                "vader 🙏",
            ),
            "negatief": (
                "Drie maanden wachten op een keukentafelgesprek. Hoe kan dat nou?",
            ),
            "neutraal": (
                "Waar kan ik terecht voor mantelzorgondersteuning in {place}?",
            ),
        },
        official=(
            ("Mantelzorgwaardering aanvragen", "Mantelzorgers kunnen tot het einde van de "
             "maand de jaarlijkse mantelzorgwaardering aanvragen."),
            ("Wijkteam houdt inloopspreekuur", "Het wijkteam houdt voortaan elke week een "
             "inloopspreekuur in {place}."),
        ),
    ),
)

GENERIC_CLOSERS = (
    "De gemeenteraad praat er binnenkort over in de commissie.",
    "Bewoners kunnen tot het einde van de maand reageren via de website van de gemeente.",
    "De gemeente laat weten de zorgen serieus te nemen en komt met een reactie.",
    "Een woordvoerder van de gemeente kon nog niet zeggen wanneer er meer bekend is.",
    "De wijkraad heeft het onderwerp op de agenda gezet van de volgende vergadering.",
)

SPIKE_TOPIC = "parkeren"
"""The topic of the negative burst in the last days of the corpus."""

SPIKE_TITLES = (
    "Storing parkeerautomaten binnenstad: honderden onterechte boetes",
    "Woede over parkeerboetes in de binnenstad",
    "Parkeerapp binnenstad werkt niet, handhavers schrijven toch bonnen uit",
    "Ondernemers binnenstad eisen excuses voor parkeerchaos",
    "Raad wil opheldering over parkeerstoring binnenstad",
)
SPIKE_LEADS = (
    "Door een storing in de parkeerautomaten en de parkeerapp konden automobilisten in de "
    "binnenstad dagenlang niet betalen. Toch kregen honderden van hen een boete.",
    "De parkeerchaos in de binnenstad houdt aan. Bewoners en winkeliers zijn woedend over "
    "de boetes die handhavers uitdelen terwijl betalen onmogelijk is.",
    "Het parkeren in de binnenstad is een puinhoop, vinden ondernemers. Klanten blijven weg "
    "en wie wel komt, krijgt een bon.",
)
SPIKE_POSTS = (
    "Parkeerautomaat in de binnenstad doet het niet, app ook niet, en toch een boete van "
    "€75. Dit is diefstal. Ik ben woedend. #dordrecht",
    "Wie kan er vandaag wél betalen voor parkeren in de binnenstad? Alles ligt eruit en de "
    "handhavers lopen gewoon rond. Belachelijk en slecht geregeld 😡",
    "Bezwaar ingediend tegen mijn parkeerboete in de binnenstad. Automaat kapot, app kapot. "
    "Schandalig en oneerlijk hoe de gemeente hiermee omgaat.",
    "Drie dagen parkeerstoring in de binnenstad en de gemeente zegt niets. Slechte zaak, ik "
    "ga hier niet meer winkelen.",
    "Mijn moeder (84) kreeg een bon in de binnenstad terwijl de automaat op storing stond. "
    "Echt te belachelijk voor woorden.",
    "Parkeren in de binnenstad is één grote ramp deze week. Slecht geregeld, heel slecht. "
    "Gemeente, los het op!",
    "Onterechte parkeerboete gekregen in de binnenstad. Niemand neemt de telefoon op bij de "
    "gemeente. Waardeloos en heel frustrerend.",
)
