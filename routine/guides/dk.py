"""Denmark, the national model *Skolefravær er et fælles ansvar* (seed 004): detection, mapping and
measures, with a *tovholder* appointed from the start who stays when the case is referred.

Each item's Danish text is the model's own wording; Swedish and Norwegian are translations.
Owners: detection belongs to the contact teachers (`dk_detection.py`); mapping and measures,
here, belong to the *tovholder* (`Role.COORDINATOR`), who coordinates the mapping
(004: 1636–1639) and the goals, follow-up and communication (004: 2205–2207, 2280–2287). The
*tovholder* is appointed when a concern arises (004: 993–998) and stays when the case is referred
elsewhere (004: 1740–1741)."""

from __future__ import annotations

from routine.guides.dk_detection import DETECTION
from routine.guides.dk_sets import GUARDIAN, LEARNING_CIRCLE, MAPPING, PREPARATION, PUPIL
from routine.guides.model import GuideItem, StageGuide, wording
from routine.model import Language, Role

da = wording(Language.DA)

MAPPING_STAGE = StageGuide(
    stage="dk.mapping",
    name=da("Kortlægning", "Kartläggning", "Kartlegging"),
    owner=Role.COORDINATOR,
    source="004: 1365–1379",
    checklist=(
        GuideItem(
            "talk_first",
            da(
                "Tal med barn og forældre først.",
                "Prata med barnet och vårdnadshavarna först.",
                "Snakk med barnet og de foresatte først.",
            ),
            "004: 1377",
        ),
        GuideItem(
            "involve_early",
            da(
                "Når der igangsættes en kortlægning, skal barnet og forældrene involveres helt"
                " tidligt i processen.",
                "När en kartläggning inleds ska barnet och vårdnadshavarna involveras tidigt i"
                " processen.",
                "Når en kartlegging settes i gang, skal barnet og de foresatte involveres helt"
                " tidlig i prosessen.",
            ),
            "004: 1443–1444",
        ),
        GuideItem(
            "who_maps",
            da(
                "Forud for kortlægningen skal det vurderes, om det er skolen eller"
                " kom-i-skole-teamet, der skal have den primære kontakt med barn og forældre, og"
                " hvem der skal foretage kortlægningen.",
                "Före kartläggningen ska man bedöma om det är skolan eller kommunens"
                " kom-i-skole-team som ska ha den huvudsakliga kontakten med barn och"
                " vårdnadshavare, och vem som ska göra kartläggningen.",
                "Før kartleggingen skal det vurderes om det er skolen eller kommunens"
                " kom-i-skole-team som skal ha hovedkontakten med barn og foresatte, og hvem som"
                " skal gjennomføre kartleggingen.",
            ),
            "004: 1450–1452",
        ),
        GuideItem(
            "child_chooses",
            da(
                "Barnet skal derfor være med til at pege på, hvem det helst vil tale med.",
                "Barnet ska därför vara med och peka ut vem det helst vill prata med.",
                "Barnet skal derfor være med på å peke ut hvem det helst vil snakke med.",
            ),
            "004: 1465–1466",
        ),
        GuideItem(
            "roles",
            da(
                "Rollefordeling, herunder afklaring af tovholderfunktionen.",
                "Rollfördelning, bland annat vem som är närvarosamordnare.",
                "Rollefordeling, blant annet hvem som er nærværskoordinator.",
            ),
            "004: 1646",
        ),
        GuideItem(
            "perspectives",
            da(
                "Hvordan barnets og forældrenes perspektiv inddrages.",
                "Hur barnets och vårdnadshavarnas perspektiv tas tillvara.",
                "Hvordan barnets og de foresattes perspektiv blir tatt med.",
            ),
            "004: 1648",
        ),
        GuideItem(
            "tools",
            da(
                "Hvilke konkrete redskaber der kan anvendes i kortlægningen.",
                "Vilka konkreta verktyg som kan användas i kartläggningen.",
                "Hvilke konkrete verktøy som kan brukes i kartleggingen.",
            ),
            "004: 1650",
        ),
        GuideItem(
            "contents",
            da(
                "Hvad kortlægningen skal indeholde.",
                "Vad kartläggningen ska innehålla.",
                "Hva kartleggingen skal inneholde.",
            ),
            "004: 1652",
        ),
        GuideItem(
            "refer_on",
            da(
                "Hvis skolen ikke har den nødvendige viden og kompetencer internt, eller"
                " problematikken har en karakter og kompleksitet, som kræver en grundig"
                " kortlægning, som skolen ikke kan imødekomme, skal skolen enten søge sparring"
                " eller viderehenvise til kom-i-skole-teamet.",
                "Om skolan inte själv har den kunskap och kompetens som behövs, eller om"
                " problemen är av en sådan art och komplexitet att de kräver en grundlig"
                " kartläggning som skolan inte kan göra, ska skolan antingen söka handledning"
                " eller remittera vidare till kommunens kom-i-skole-team.",
                "Hvis skolen ikke selv har den nødvendige kunnskapen og kompetansen, eller"
                " problemene er av en slik art og kompleksitet at de krever en grundig"
                " kartlegging som skolen ikke kan gjøre, skal skolen enten søke veiledning eller"
                " henvise videre til kommunens kom-i-skole-team.",
            ),
            "004: 1726–1731",
        ),
        GuideItem(
            "coordinator_stays",
            da(
                "Det er vigtigt, at der fortsat er en tovholder, selvom der er henvist til en"
                " ekstern aktør.",
                "Det är viktigt att det fortfarande finns en närvarosamordnare, även om barnet har"
                " remitterats till en extern aktör.",
                "Det er viktig at det fortsatt er en nærværskoordinator, selv om det er henvist"
                " til en ekstern instans.",
            ),
            "004: 1740–1741",
        ),
    ),
    questions=(PREPARATION, PUPIL, GUARDIAN, MAPPING),
)

MEASURES = StageGuide(
    stage="dk.measures",
    name=da("Handlemuligheder", "Handlingsmöjligheter", "Handlingsmuligheter"),
    owner=Role.COORDINATOR,
    source="004: 1804–1824",
    checklist=(
        GuideItem(
            "shared_goals",
            da(
                "Barn, forældre, skole og andre involverede aktører definerer sammen mål og"
                " delmål for indsatsen.",
                "Barn, vårdnadshavare, skola och andra inblandade aktörer bestämmer tillsammans"
                " mål och delmål för insatsen.",
                "Barn, foresatte, skole og andre involverte aktører definerer sammen mål og delmål"
                " for innsatsen.",
            ),
            "004: 2205–2206",
        ),
        GuideItem(
            "child_defines",
            da(
                "Det er vigtigt, at barnet er med til at definere mål og delmål, så det er"
                " tydeligt for barnet, hvad der i fællesskab arbejdes henimod, og hvilke skridt"
                " der er på vejen.",
                "Det är viktigt att barnet är med och bestämmer mål och delmål, så att det är"
                " tydligt för barnet vad man tillsammans arbetar mot och vilka steg som finns på"
                " vägen.",
                "Det er viktig at barnet er med på å definere mål og delmål, slik at det er"
                " tydelig for barnet hva en jobber mot sammen, og hvilke steg som er på veien.",
            ),
            "004: 2213–2215",
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
                "Mål skal altid forholde sig til hvordan – det skal være tydeligt, hvordan målet"
                " nås.",
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
                "Målen går hand i hand med återkoppling och stöd, så att det blir en gemensam"
                " insats.",
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
        GuideItem(
            "communicate",
            da(
                "Det er tovholderens opgave at sikre løbende kommunikation, da det øger"
                " transparens og tydelighed i processen og kan være med til at forebygge"
                " misforståelser og uenigheder.",
                "Det är närvarosamordnarens uppgift att se till att kommunikationen är löpande,"
                " eftersom det ger öppenhet och tydlighet i processen och kan bidra till att"
                " förebygga missförstånd och oenighet.",
                "Det er nærværskoordinatorens oppgave å sørge for løpende kommunikasjon, siden det"
                " gir åpenhet og tydelighet i prosessen og kan bidra til å forebygge"
                " misforståelser og uenighet.",
            ),
            "004: 2280–2283",
        ),
        GuideItem(
            "no_news",
            da(
                "Det også vigtigt, at tovholderen kommunikerer, når der ikke er nyt i indsatsen,"
                " eller der opleves ventetid og pauser af forskellige årsager.",
                "Det är också viktigt att närvarosamordnaren hör av sig när det inte finns något"
                " nytt i insatsen, eller när det blir väntetider och uppehåll av olika skäl.",
                "Det er også viktig at nærværskoordinatoren gir beskjed når det ikke er noe nytt i"
                " innsatsen, eller når det oppstår ventetid og pauser av ulike grunner.",
            ),
            "004: 2285–2287",
        ),
        GuideItem(
            "after",
            da(
                "Husk også at tænke afslutning og »efter« ind i indsatsen, så mål og opfølgning"
                " også omfatter det, der skal understøtte barnet efter tilbagevenden til skole.",
                "Kom också ihåg att tänka in avslutningen och ”efteråt” i insatsen, så att mål och"
                " uppföljning också omfattar det som ska stötta barnet när det har kommit tillbaka"
                " till skolan.",
                "Husk også å tenke avslutning og «etterpå» inn i innsatsen, slik at mål og"
                " oppfølging også omfatter det som skal støtte barnet etter at det er tilbake på"
                " skolen.",
            ),
            "004: 2298–2300",
        ),
        GuideItem(
            "report",
            da(
                "Såfremt der er tale om en situation, hvor bekymringen er så alvorlig, at"
                " skolelederen vurderer, at der skal ske underretning til kommunalbestyrelsen"
                " jævnfør barnets lov § 133 om den skærpede underretningspligt, er det tilladt at"
                " udveksle oplysninger om barnet og barnets forhold.",
                "Om oron är så allvarlig att rektor bedömer att en orosanmälan ska göras till"
                " kommunen enligt den danska barnlagen (barnets lov § 133) om skärpt"
                " anmälningsplikt, är det tillåtet att utbyta uppgifter om barnet och barnets"
                " förhållanden.",
                "Dersom bekymringen er så alvorlig at rektor vurderer at det skal sendes en"
                " bekymringsmelding til kommunen etter den danske barneloven (barnets lov § 133)"
                " om skjerpet meldeplikt, er det tillatt å utveksle opplysninger om barnet og"
                " barnets forhold.",
            ),
            "004: 2565–2569",
            principal_only=True,
        ),
    ),
    questions=(LEARNING_CIRCLE,),
)

GUIDES = (DETECTION, MAPPING_STAGE, MEASURES)
