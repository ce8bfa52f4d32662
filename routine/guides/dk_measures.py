"""Denmark, the national model (seed 004): measures (*handlemuligheder*), the stage of the
*tovholder*, who takes the initiative on goals (004: 2205–2207) and keeps everyone informed
(004: 2280–2287).

The checklist follows the model's four principles for measures (004: 1816–1824): each starts with
the principle in the model's words, then the clauses of its practice description that say what to
do, cut from the model's paragraphs (which also say why; a checklist on Slack is read at a glance).
In the seed's text a principle's heading ("PRINCIP 1:", 004: 1903) stands after the main text of
its pages and before their side boxes, so principle 1 is 004: 1874–1963,
principle 2 004: 1966–2083, principle 3 004: 2084–2190 and principle 4 004: 2196–2265. After them
come the model's communication (004: 2268–2294) and closing (004: 2296–2300), and the report to
the municipality, which only the principal sees.
Each item's Danish text is the model's own wording; Swedish and Norwegian are translations."""

from __future__ import annotations

from routine.guides.dk_sets import LEARNING_CIRCLE
from routine.guides.model import GuideItem, StageGuide, wording
from routine.model import Language, Role

da = wording(Language.DA)

# Principle 1: start from the child's motivation and resources (004: 1818, 1874–1963).
MOTIVATION = (
    GuideItem(
        "motivation",
        da(
            "Tag udgangspunkt i barnets motivation og ressourcer.",
            "Utgå från barnets motivation och resurser.",
            "Ta utgangspunkt i barnets motivasjon og ressurser.",
        ),
        "004: 1818",
    ),
    GuideItem(
        "family_wishes",
        da(
            "Ved valg af indsatser er det centralt at inddrage og koble sig på barnets og"
            " familiens perspektiv og ønsker.",
            "När insatser väljs är det centralt att ta in och knyta an till barnets och familjens"
            " perspektiv och önskemål.",
            "Ved valg av tiltak er det sentralt å trekke inn og knytte an til barnets og"
            " familiens perspektiv og ønsker.",
        ),
        "004: 1876–1877",
    ),
    GuideItem(
        "mapping_basis",
        da(
            "Den gennemførte kortlægning af årsager til skolefraværet skal være afsættet for"
            " dialogen, valget samt tilrettelæggelsen af en indsats.",
            "Den kartläggning av orsakerna till skolfrånvaron som har gjorts ska vara"
            " utgångspunkten för dialogen, valet och planeringen av en insats.",
            "Kartleggingen som er gjort av årsakene til skolefraværet, skal være utgangspunktet"
            " for dialogen, valget og tilretteleggingen av et tiltak.",
        ),
        "004: 1884–1886",
    ),
    GuideItem(
        "what_motivates",
        da(
            "Afdække, hvad der kan være med til at motivere til at møde op og være en del af"
            " fællesskabet i skolen.",
            "Ta reda på vad som kan bidra till motivationen att komma till skolan och vara en del"
            " av gemenskapen där.",
            "Avdekke hva som kan være med på å motivere til å møte opp og være en del av"
            " fellesskapet på skolen.",
        ),
        "004: 1942–1944",
    ),
)

# Principle 2: choose measures from a holistic view (004: 1820, 1966–2083).
WHOLE_VIEW = (
    GuideItem(
        "whole_view",
        da(
            "Vælg indsats ud fra et helhedssyn.",
            "Välj insats utifrån en helhetssyn.",
            "Velg tiltak ut fra et helhetssyn.",
        ),
        "004: 1820",
    ),
    GuideItem(
        "main_causes",
        da(
            "Med afsæt i kortlægningen af årsager skal det både indledningsvist og undervejs"
            " vurderes, hvilke dimensioner der er vigtigst.",
            "Utifrån kartläggningen av orsakerna ska man både i början och under arbetets gång"
            " bedöma vilka dimensioner som är viktigast.",
            "Med utgangspunkt i kartleggingen av årsaker skal det både innledningsvis og underveis"
            " vurderes hvilke dimensjoner som er viktigst.",
        ),
        "004: 1984–1985",
    ),
    GuideItem(
        "how_intrusive",
        da(
            "Det skal altid overvejes, hvor indgribende indsatser der skal igangsættes for at"
            " matche barnets behov.",
            "Man ska alltid överväga hur ingripande insatser som behöver sättas in för att"
            " motsvara barnets behov.",
            "Det skal alltid vurderes hvor inngripende tiltak som skal settes i gang for å møte"
            " barnets behov.",
        ),
        "004: 1997–1998",
    ),
    GuideItem(
        "coherence",
        da(
            "Det er vigtigt, at der sikres klar sammenhæng mellem de enkelte indsatser.",
            "Det är viktigt att se till att det finns ett tydligt sammanhang mellan de olika"
            " insatserna.",
            "Det er viktig å sikre klar sammenheng mellom de enkelte tiltakene.",
        ),
        "004: 2001–2002",
    ),
    GuideItem(
        "while_away",
        da(
            "Skolen skal også have fokus på, hvilken indsats der skal ydes i de perioder, hvor"
            " barnet ikke er i skole.",
            "Skolan ska också ha fokus på vilken insats som ska ges under de perioder då barnet"
            " inte är i skolan.",
            "Skolen skal også ha fokus på hvilke tiltak som skal settes inn i periodene der"
            " barnet ikke er på skolen.",
        ),
        "004: 2058–2059",
    ),
)

# Principle 3: draw on the school's communities as a resource (004: 1822, 2084–2190).
COMMUNITY = (
    GuideItem(
        "community",
        da(
            "Inddrag skolens fællesskaber som ressource.",
            "Använd skolans gemenskaper som en resurs.",
            "Trekk inn skolens fellesskap som en ressurs.",
        ),
        "004: 1822",
    ),
    GuideItem(
        "class_told",
        # The model calls it "en god idé" and only "efter aftale med barn og familie"; the
        # parenthesis is kept, the agreement comes first.
        da(
            "Klassen får at vide, hvorfor et barn ikke er i skole (skal ske efter aftale med barn"
            " og familie).",
            "Klassen får veta varför ett barn inte är i skolan (ska ske efter överenskommelse med"
            " barnet och familjen).",
            "Klassen får vite hvorfor et barn ikke er på skolen (skal skje etter avtale med barnet"
            " og familien).",
        ),
        "004: 2117–2118",
    ),
    GuideItem(
        "classmates",
        da(
            "Drøfte med barnet, hvordan barnets klassekammerater kan være med til at øge barnets"
            " trivsel og lyst til at komme i skole.",
            "Prata med barnet om hur klasskamraterna kan bidra till att barnet trivs bättre och"
            " får mer lust att komma till skolan.",
            "Drøfte med barnet hvordan klassekameratene kan være med på å øke barnets trivsel og"
            " lyst til å komme på skolen.",
        ),
        "004: 2126–2128",
    ),
    GuideItem(
        "return",
        da(
            "Klassens lærere og elever forbereder sig grundigt, når barnet kommer tilbage til"
            " klassen efter en længere periode med fravær.",
            "Klassens lärare och elever förbereder sig noga när barnet kommer tillbaka till"
            " klassen efter en längre tids frånvaro.",
            "Klassens lærere og elever forbereder seg grundig når barnet kommer tilbake til"
            " klassen etter en lengre periode med fravær.",
        ),
        "004: 2136–2138",
    ),
)

# Principle 4: set shared goals, follow up and adjust (004: 1824, 2196–2265).
GOALS = (
    GuideItem(
        "goals",
        da(
            "Sæt fælles mål, følg op og tilpas.",
            "Sätt gemensamma mål, följ upp och anpassa.",
            "Sett felles mål, følg opp og tilpass.",
        ),
        "004: 1824",
    ),
    GuideItem(
        "shared_goals",
        da(
            "Barn, forældre, skole og andre involverede aktører definerer sammen mål og"
            " delmål for indsatsen.",
            "Barn, vårdnadshavare, skola och andra inblandade aktörer bestämmer tillsammans"
            " mål och delmål för insatsen.",
            "Barn, foresatte, skole og andre involverte aktører definerer sammen mål og delmål"
            " for tiltaket.",
        ),
        "004: 2205–2206",
    ),
    GuideItem(
        "child_defines",
        da(
            "Det er vigtigt, at barnet er med til at definere mål og delmål.",
            "Det är viktigt att barnet är med och bestämmer mål och delmål.",
            "Det er viktig at barnet er med på å definere mål og delmål.",
        ),
        "004: 2213–2214",
    ),
    GuideItem(
        "not_only_the_child",
        da(
            "Mål er fælles og ikke kun barnets.",
            "Målen är gemensamma och inte bara barnets.",
            "Målene er felles og ikke bare barnets.",
        ),
        "004: 2228",
    ),
    GuideItem(
        "how",
        da(
            "Mål skal altid forholde sig til hvordan – det skal være tydeligt, hvordan målet nås.",
            "Målen ska alltid säga hur – det ska vara tydligt hur målet ska nås.",
            "Mål skal alltid si noe om hvordan – det skal være tydelig hvordan målet nås.",
        ),
        "004: 2230–2231",
    ),
    GuideItem(
        "timeframe",
        da(
            "Målet skal kunne nås inden for en overskuelig tidsramme, så udviklingen bliver"
            " tydelig.",
            "Målet ska kunna nås inom överskådlig tid, så att utvecklingen blir tydlig.",
            "Målet skal kunne nås innen en overskuelig tidsramme, slik at utviklingen blir"
            " tydelig.",
        ),
        "004: 2233–2234",
    ),
    GuideItem(
        "feedback",
        da(
            "Mål går hånd i hånd med feedback og støtte, så det er en fælles indsats.",
            "Målen går hand i hand med återkoppling och stöd, så att det blir en gemensam insats.",
            "Mål går hånd i hånd med tilbakemelding og støtte, slik at det blir en felles"
            " innsats.",
        ),
        "004: 2236–2237",
    ),
    GuideItem(
        "follow_up",
        da(
            "Opfølgningen bør være løbende og regelmæssig, da tidsfaktoren er afgørende for"
            " problemudviklingen.",
            "Uppföljningen bör vara löpande och regelbunden, eftersom tiden är avgörande för"
            " hur problemen utvecklas.",
            "Oppfølgingen bør være løpende og regelmessig, siden tiden er avgjørende for"
            " hvordan problemene utvikler seg.",
        ),
        "004: 2222–2224",
    ),
)

# "Kommunikation, dokumentation og handleplaner" (004: 2268–2294): communication is the
# tovholder's task; and closing is thought of from the start (004: 2298–2300).
COMMUNICATION = (
    GuideItem(
        "communicate",
        da(
            "Det er tovholderens opgave at sikre løbende kommunikation.",
            "Det är närvarosamordnarens uppgift att se till att kommunikationen är löpande.",
            "Det er nærværskoordinatorens oppgave å sørge for løpende kommunikasjon.",
        ),
        "004: 2280–2281",
    ),
    GuideItem(
        "no_news",
        da(
            "Det også vigtigt, at tovholderen kommunikerer, når der ikke er nyt i indsatsen,"
            " eller der opleves ventetid og pauser.",
            "Det är också viktigt att närvarosamordnaren hör av sig när det inte finns något"
            " nytt i insatsen, eller när det blir väntetider och uppehåll.",
            "Det er også viktig at nærværskoordinatoren gir beskjed når det ikke er noe nytt i"
            " tiltaket, eller når det oppstår ventetid og pauser.",
        ),
        "004: 2285–2286",
    ),
    GuideItem(
        "after",
        da(
            "Husk også at tænke afslutning og »efter« ind i indsatsen.",
            "Kom också ihåg att tänka in avslutningen och ”efteråt” i insatsen.",
            "Husk også å tenke avslutning og «etterpå» inn i tiltaket.",
        ),
        "004: 2298",
    ),
)

# The model allows information about the child to be exchanged in this case (004: 2565–2569); the
# checklist keeps the head's assessment, the part that is something to do.
REPORT = GuideItem(
    "report",
    da(
        "Bekymringen er så alvorlig, at skolelederen vurderer, at der skal ske underretning til"
        " kommunalbestyrelsen jævnfør barnets lov § 133.",
        "Oron är så allvarlig att rektor bedömer att en orosanmälan ska göras till kommunen"
        " enligt den danska barnlagen (barnets lov § 133).",
        "Bekymringen er så alvorlig at rektor vurderer at det skal sendes en bekymringsmelding"
        " til kommunen etter den danske barneloven (barnets lov § 133).",
    ),
    "004: 2565–2567",
    principal_only=True,
)

MEASURES = StageGuide(
    stage="dk.measures",
    name=da("Handlemuligheder", "Handlingsmöjligheter", "Handlingsmuligheter"),
    owner=Role.COORDINATOR,
    source="004: 1804–1824",
    checklist=(*MOTIVATION, *WHOLE_VIEW, *COMMUNITY, *GOALS, *COMMUNICATION, REPORT),
    questions=(LEARNING_CIRCLE,),
)
