"""Denmark, the national model (seed 004): the question sets of mapping and measures, and the
questions before closing a case.

Each item's Danish text is the model's own wording; Swedish and Norwegian are translations."""

from __future__ import annotations

from routine.guides.model import GuideItem, QuestionSet, wording
from routine.model import Language

da = wording(Language.DA)

PREPARATION = QuestionSet(
    "preparation",
    da(
        "Som forberedelse kan den fagprofessionelle overveje følgende",
        "Som förberedelse kan den som håller i samtalet fundera på följande",
        "Som forberedelse kan fagpersonen vurdere følgende",
    ),
    "004: 1490–1514",
    (
        GuideItem(
            "form",
            da(
                "Hvilken form for samtale matcher bedst barnets præferencer og forudsætninger?",
                "Vilken form av samtal passar bäst för barnets önskemål och förutsättningar?",
                "Hvilken samtaleform passer best til barnets ønsker og forutsetninger?",
            ),
            "004: 1493–1495",
        ),
        GuideItem(
            "sensory",
            da(
                "Har barnet sansemæssige udfordringer og interesser, der skal tages hensyn til?",
                "Har barnet sensoriska svårigheter och intressen som man behöver ta hänsyn till?",
                "Har barnet sansemessige utfordringer og interesser som det må tas hensyn til?",
            ),
            "004: 1496–1498",
            covered_only=True,
        ),
        GuideItem(
            "place",
            da(
                "Hvor skal samtalen foregå?",
                "Var ska samtalet äga rum?",
                "Hvor skal samtalen være?",
            ),
            "004: 1499",
        ),
        GuideItem(
            "participants",
            da("Hvem skal deltage?", "Vem ska delta?", "Hvem skal delta?"),
            "004: 1500",
        ),
        GuideItem(
            "inform",
            da(
                "Hvordan informeres barnet om formålet, og hvad der skal ske?",
                "Hur informeras barnet om syftet och om vad som ska hända?",
                "Hvordan blir barnet informert om formålet og om hva som skal skje?",
            ),
            "004: 1501",
        ),
        GuideItem(
            "influence",
            da(
                "Hvordan får barnet indflydelse på, hvad der tales om?",
                "Hur får barnet inflytande över vad ni pratar om?",
                "Hvordan får barnet innflytelse på hva dere snakker om?",
            ),
            "004: 1502",
        ),
        GuideItem(
            "duration",
            da(
                "Hvor længe skal samtalen vare?",
                "Hur länge ska samtalet pågå?",
                "Hvor lenge skal samtalen vare?",
            ),
            "004: 1505",
        ),
        GuideItem(
            "discomfort",
            da(
                "Udviser barnet tegn på at være utilpas eller være overudfordret undervejs i"
                " samtalen?",
                "Visar barnet tecken på att må dåligt eller vara överbelastat under samtalet?",
                "Viser barnet tegn på å ha det ubehagelig eller være overveldet underveis i"
                " samtalen?",
            ),
            "004: 1506–1508",
            covered_only=True,
        ),
        GuideItem(
            "follow_up",
            da(
                "Hvordan skal der samles op på samtalen i forhold til barnet og andre aktører?",
                "Hur ska samtalet följas upp med barnet och med andra aktörer?",
                "Hvordan skal samtalen følges opp overfor barnet og andre aktører?",
            ),
            "004: 1511–1513",
        ),
        GuideItem(
            "next_step",
            da(
                "Hvad er næste skridt, og hvem er ansvarlig for det?",
                "Vad är nästa steg, och vem ansvarar för det?",
                "Hva er neste steg, og hvem har ansvaret for det?",
            ),
            "004: 1514",
        ),
    ),
)

PUPIL = QuestionSet(
    "pupil",
    da("Inddragelse af barnet", "Barnets delaktighet", "Å involvere barnet"),
    "004: 1456–1470",
    (
        GuideItem(
            "child_perspective",
            da(
                "Kortlægningen skal gennemføres med udgangspunkt i barnets perspektiv.",
                "Kartläggningen ska göras utifrån barnets perspektiv.",
                "Kartleggingen skal gjennomføres med utgangspunkt i barnets perspektiv.",
            ),
            "004: 1458–1459",
        ),
        GuideItem(
            "ask_broadly",
            da(
                "Samtaler med barnet, hvor den voksne spørger bredt og interesseret ind til"
                " barnets situation, oplevelser og holdninger.",
                "Samtal med barnet, där den vuxna frågar brett och intresserat om barnets"
                " situation, upplevelser och åsikter.",
                "Samtaler med barnet, der den voksne spør bredt og interessert om barnets"
                " situasjon, opplevelser og holdninger.",
            ),
            "004: 1459–1461",
        ),
    ),
)

GUARDIAN = QuestionSet(
    "guardian",
    da("Inddragelse af forældrene", "Vårdnadshavarnas delaktighet", "Å involvere de foresatte"),
    "004: 1560–1582",
    (
        GuideItem(
            "observations",
            da(
                "I dialogen med forældrene kan der spørges ind til deres observationer af barnets"
                " trivsel og adfærd i hjemmet.",
                "I dialogen med vårdnadshavarna kan man fråga om vad de har sett av barnets"
                " trivsel och beteende hemma.",
                "I dialogen med de foresatte kan en spørre om hva de har observert av barnets"
                " trivsel og atferd hjemme.",
            ),
            "004: 1562–1564",
            covered_only=True,
        ),
        GuideItem(
            "parents_view",
            da(
                "Forældrenes oplevelse af den eventuelle problematik.",
                "Vårdnadshavarnas egen upplevelse av de eventuella problemen.",
                "De foresattes egen opplevelse av de eventuelle problemene.",
            ),
            "004: 1564–1565",
            covered_only=True,
        ),
        GuideItem(
            "together_or_apart",
            da(
                "Man skal også have blik for, hvornår det er gavnligt at tale med barn og"
                " forældre sammen.",
                "Man ska också vara uppmärksam på när det är bra att prata med barn och"
                " vårdnadshavare tillsammans.",
                "En må også være oppmerksom på når det er nyttig å snakke med barn og foresatte"
                " sammen.",
            ),
            "004: 1576–1577",
        ),
        GuideItem(
            "apart",
            da(
                "Hvornår det kan være gavnligt at tale med dem hver for sig.",
                "När det kan vara bra att prata med dem var för sig.",
                "Når det kan være nyttig å snakke med dem hver for seg.",
            ),
            "004: 1578–1579",
        ),
    ),
)

MAPPING = QuestionSet(
    "mapping",
    da(
        "En helhedsorienteret kortlægning skal have fokus på",
        "En helhetsinriktad kartläggning ska fokusera på",
        "En helhetlig kartlegging skal ha fokus på",
    ),
    "004: 1654–1668",
    (
        GuideItem(
            "signs",
            da(
                "Tegn på en skolefraværsproblematik.",
                "Tecken på problematisk skolfrånvaro.",
                "Tegn på en skolefraværsproblematikk.",
            ),
            "004: 1658",
        ),
        GuideItem(
            "causes",
            da(
                "Årsager på tværs af skole, hjem, fritid og barn.",
                "Orsaker i skolan, i hemmet, på fritiden och hos barnet.",
                "Årsaker på tvers av skole, hjem, fritid og barn.",
            ),
            "004: 1660",
            covered_only=True,
        ),
        GuideItem(
            "relations",
            da(
                "Barnets fællesskaber og relationer til lærere og klassekammerater.",
                "Barnets gemenskaper och relationer till lärare och klasskamrater.",
                "Barnets fellesskap og relasjoner til lærere og klassekamerater.",
            ),
            "004: 1662",
        ),
        GuideItem(
            "environment",
            da("Det pædagogiske miljø.", "Den pedagogiska miljön.", "Det pedagogiske miljøet."),
            "004: 1664",
        ),
        GuideItem(
            "resources",
            da(
                "Ressourcer og beskyttende faktorer.",
                "Resurser och skyddsfaktorer.",
                "Ressurser og beskyttende faktorer.",
            ),
            "004: 1666",
        ),
        GuideItem(
            "risks",
            da("Risikofaktorer.", "Riskfaktorer.", "Risikofaktorer."),
            "004: 1668",
            covered_only=True,
        ),
    ),
)

# The learning circle's four questions, in its order: plan, try, reflect, adjust.
LEARNING_CIRCLE = QuestionSet(
    "learning_circle",
    da("Læringscirklen", "Lärcirkeln", "Læringssirkelen"),
    "004: 2391–2430",
    (
        GuideItem(
            "plan",
            da(
                "Hvad skal der ske af forandringer?",
                "Vilka förändringar ska göras?",
                "Hvilke endringer skal gjøres?",
            ),
            "004: 2408",
        ),
        GuideItem(
            "try",
            da("Hvordan skal det afprøves?", "Hur ska det prövas?", "Hvordan skal det prøves ut?"),
            "004: 2420",
        ),
        GuideItem(
            "reflect",
            da("Hvad har ændret sig?", "Vad har förändrats?", "Hva har endret seg?"),
            "004: 2401",
        ),
        GuideItem(
            "adjust",
            da(
                "Hvad skal eventuelt justeres?",
                "Vad behöver eventuellt justeras?",
                "Hva må eventuelt justeres?",
            ),
            "004: 2392",
        ),
    ),
)

# The advice after the questions is cut to what to do (004: 2327–2328, 2333–2335). The model's
# reason for the timing, a setback when a case closes just before a holiday or another vulnerable
# transition (004: 2328–2331), is what the close dialog says in its own words when a break is near.
CLOSING = QuestionSet(
    "closing",
    da(
        "Afslutning af indsats eller forløb",
        "Avslutning av insats eller ärende",
        "Avslutning av tiltak eller forløp",
    ),
    "004: 2296–2336",
    (
        GuideItem(
            "closing_regular",
            da(
                "Har barnet en regelmæssig skolegang?",
                "Går barnet regelbundet i skolan?",
                "Går barnet regelmessig på skolen?",
            ),
            "004: 2312",
        ),
        GuideItem(
            "closing_wellbeing",
            da(
                "Er barnets trivsel i bedring?",
                "Trivs barnet bättre än tidigare?",
                "Er barnets trivsel i bedring?",
            ),
            "004: 2314",
        ),
        GuideItem(
            "closing_stalled",
            da(
                "Er barnets udvikling (både i forhold til trivsel og fremmøde) stagneret, og skal"
                " der en anden indsats til?",
                "Har barnets utveckling (både när det gäller trivsel och närvaro) avstannat, och"
                " behövs det en annan insats?",
                "Har barnets utvikling (både når det gjelder trivsel og oppmøte) stagnert, og"
                " trengs det et annet tiltak?",
            ),
            "004: 2316–2317",
        ),
        GuideItem(
            "closing_motivated",
            da(
                "Giver barnet udtryk for at være motiveret for indsatsen?",
                "Ger barnet uttryck för att vara motiverat för insatsen?",
                "Gir barnet uttrykk for å være motivert for tiltaket?",
            ),
            "004: 2319",
        ),
        GuideItem(
            "closing_agreed",
            da(
                "Har der været en dialog om afslutning mellem involverede aktører, og er der"
                " enighed herom?",
                "Har de inblandade aktörerna pratat om att avsluta, och är alla överens om det?",
                "Har det vært en dialog om avslutning mellom de involverte aktørene, og er de"
                " enige om det?",
            ),
            "004: 2321–2322",
        ),
        GuideItem(
            "closing_keep_up",
            da(
                "Hvis indsatsen eller forløbet afsluttes, er der så tiltag i skolen eller i"
                " hjemmet, som skal fastholdes?",
                "Om insatsen eller ärendet avslutas, finns det då insatser i skolan eller i hemmet"
                " som ska fortsätta?",
                "Hvis tiltaket eller forløpet avsluttes, er det da tiltak på skolen eller i"
                " hjemmet som skal videreføres?",
            ),
            "004: 2324–2325",
            covered_only=True,
        ),
        GuideItem(
            "closing_timing",
            da(
                "Desuden er det vigtigt, at tidspunktet for afslutning af en indsats eller et"
                " forløb overvejes grundigt.",
                "Dessutom är det viktigt att noga tänka igenom när en insats eller ett ärende"
                " avslutas.",
                "Dessuten er det viktig at tidspunktet for å avslutte et tiltak eller et forløp"
                " vurderes grundig.",
            ),
            "004: 2327–2328",
            advice=True,
        ),
        GuideItem(
            "closing_handover",
            da(
                "Har indsatsen været forankret i kom-i-skole-teamet, anbefales det, at der"
                " foretages en løbende overlevering til lærere og pædagoger.",
                "Om insatsen har varit förankrad i kommunens kom-i-skole-team, rekommenderas en"
                " löpande överlämning till lärare och pedagoger.",
                "Har tiltaket vært forankret i kommunens kom-i-skole-team, anbefales det en"
                " løpende overlevering til lærere og pedagoger.",
            ),
            "004: 2333–2335",
            advice=True,
        ),
    ),
)
