"""Norway, the Drammen guide (seed 002): the agenda of the cooperation meeting (appendix 5) and the
children's advice on multidisciplinary meetings (Forandringsfabrikken), used in the meeting.

Each item's Norwegian text is the guide's own wording; Swedish and Danish are translations."""

from __future__ import annotations

from routine.guides.model import GuideItem, QuestionSet, wording
from routine.model import Language

nb = wording(Language.NB)

AGENDA = QuestionSet(
    "agenda",
    nb(
        "Disposisjon samarbeidsmøte",
        "Dagordning för samarbetsmöte",
        "Dagsorden for samarbejdsmøde",
    ),
    "002: 1318–1373",
    (
        GuideItem(
            "welcome",
            nb("Velkommen til møtet", "Välkommen till mötet", "Velkommen til mødet"),
            "002: 1323",
        ),
        GuideItem(
            "introductions",
            nb(
                "Presentasjon av møtedeltakerne",
                "Presentation av mötesdeltagarna",
                "Præsentation af mødedeltagerne",
            ),
            "002: 1326",
        ),
        GuideItem(
            "purpose",
            nb("Hensikten med møtet", "Syftet med mötet", "Formålet med mødet"),
            "002: 1329",
        ),
        GuideItem(
            "background",
            nb(
                "Avklare bakgrunnen for at man samles ved å vise til henvendelse knyttet til"
                " bekymring for fravær",
                "Klargöra bakgrunden till att man samlas genom att hänvisa till den kontakt som"
                " gällde oro för frånvaro",
                "Afklare baggrunden for, at man mødes, ved at henvise til henvendelsen om"
                " bekymring for fravær",
            ),
            "002: 1330–1331",
        ),
        GuideItem(
            "frame",
            nb("Legge rammene for møtet", "Sätta ramarna för mötet", "Sætte rammerne for mødet"),
            "002: 1334",
        ),
        GuideItem(
            "roles",
            nb(
                "Avklare møteledelse, lengde på møtet, hvem som skriver referat og taushetsplikt",
                "Klargöra vem som leder mötet, hur långt mötet blir, vem som skriver"
                " minnesanteckningar och vad som gäller om tystnadsplikt",
                "Afklare mødeledelse, mødets længde, hvem der skriver referat, og tavshedspligt",
            ),
            "002: 1336–1337",
        ),
        GuideItem(
            "method",
            nb(
                "Beskrivelse av innhold og metode",
                "Beskrivning av innehåll och metod",
                "Beskrivelse af indhold og metode",
            ),
            "002: 1338",
        ),
        GuideItem(
            "hiccups",
            nb(
                "Snakke om eventuelt «gruff», hva gjør vi om noe blir vanskelig, noen ikke følger"
                " opp som vi hadde tenkt?",
                "Prata om eventuellt ”gnissel”: vad gör vi om något blir svårt, om någon inte"
                " följer upp som vi hade tänkt?",
                "Tale om eventuelle »gnidninger«: hvad gør vi, hvis noget bliver svært, eller"
                " nogen ikke følger op, som vi havde tænkt?",
            ),
            "002: 1339–1340",
        ),
        GuideItem(
            "information",
            nb(
                "Informasjon fra elev, foreldre og skole med fokus på elevens fravær",
                "Information från elev, vårdnadshavare och skola med fokus på elevens frånvaro",
                "Information fra elev, forældre og skole med fokus på elevens fravær",
            ),
            "002: 1343",
        ),
        GuideItem(
            "here_and_now",
            nb(
                "Kort informasjon om situasjonen her og nå. Husk at kartleggingen kommer senere i"
                " møtet",
                "Kort information om situationen här och nu. Kom ihåg att kartläggningen kommer"
                " senare under mötet",
                "Kort information om situationen her og nu. Husk, at kortlægningen kommer senere"
                " i mødet",
            ),
            "002: 1345–1346",
        ),
        GuideItem(
            "understanding",
            nb(
                "Etablere felles forståelse av fravær",
                "Skapa en gemensam förståelse av frånvaro",
                "Skabe en fælles forståelse af fravær",
            ),
            "002: 1349",
        ),
        GuideItem(
            "stance",
            nb(
                "Grunnholdning: de aller fleste elevene ønsker å være som de andre/ønsker å komme"
                " på skolen",
                "Grundhållning: de allra flesta elever vill vara som de andra/vill komma till"
                " skolan",
                "Grundholdning: langt de fleste elever ønsker at være som de andre/ønsker at komme"
                " i skole",
            ),
            "002: 1351–1352",
        ),
        GuideItem(
            "psychoeducation",
            nb(
                "Kort psykoedukasjon: Bruk de fire opprettholdende faktorene for å skape felles"
                " forståelse rundt fravær.",
                "Kort psykoedukation: Använd de fyra vidmakthållande faktorerna för att skapa en"
                " gemensam förståelse av frånvaro.",
                "Kort psykoedukation: Brug de fire opretholdende faktorer til at skabe en fælles"
                " forståelse af fravær.",
            ),
            "002: 1353–1354",
        ),
        # The same bullet goes on: "og «den onde sirkelen» ..." (002: 1354–1355).
        GuideItem(
            "vicious_circle",
            nb(
                "«Den onde sirkelen» for å illustrere hvordan fravær opprettholder fravær.",
                "”Den onda cirkeln” för att visa hur frånvaro vidmakthåller frånvaro.",
                "»Den onde cirkel« til at illustrere, hvordan fravær opretholder fravær.",
            ),
            "002: 1354–1355",
        ),
        GuideItem(
            "push_pull",
            nb(
                "Bruk push-pull for å fremheve betydningen av riktige tiltak.",
                "Använd push-pull för att lyfta fram betydelsen av rätt insatser.",
                "Brug push-pull til at fremhæve betydningen af de rigtige indsatser.",
            ),
            "002: 1355–1356",
        ),
        GuideItem(
            "system_model",
            nb(
                "Kartlegging med utgangspunkt i «systemmodell» (husk at dette krever litt tid)",
                "Kartläggning utifrån ”systemmodellen” (kom ihåg att det tar lite tid)",
                "Kortlægning med udgangspunkt i »systemmodellen« (husk, at det kræver lidt tid)",
            ),
            "002: 1359",
        ),
        GuideItem(
            "areas",
            nb(
                "Ta for deg alle områdene i modellen og kartlegg ressurser og risiko",
                "Gå igenom alla områden i modellen och kartlägg resurser och risker",
                "Gennemgå alle områderne i modellen, og kortlæg ressourcer og risici",
            ),
            "002: 1361",
        ),
        GuideItem(
            "check_understanding",
            nb(
                "Gjenta eller omformuler for å sikre riktig forståelse av det som kommer opp",
                "Upprepa eller formulera om för att säkerställa att det som kommer fram blir rätt"
                " uppfattat",
                "Gentag eller omformulér for at sikre, at det, der kommer frem, bliver forstået"
                " rigtigt",
            ),
            "002: 1364",
        ),
        GuideItem(
            "measures",
            nb(
                "Sette opp tiltak på bakgrunn av kartlegging",
                "Bestämma insatser utifrån kartläggningen",
                "Fastlægge indsatser på baggrund af kortlægningen",
            ),
            "002: 1367",
        ),
        GuideItem(
            "summarise",
            nb(
                "Oppsummer hovedpunktene i kartleggingen",
                "Sammanfatta huvudpunkterna i kartläggningen",
                "Opsummér hovedpunkterne i kortlægningen",
            ),
            "002: 1368",
        ),
        GuideItem(
            "agree",
            nb(
                "Bli enige om tiltak som blir skriftliggjort i referatet",
                "Kom överens om insatser som skrivs in i minnesanteckningarna",
                "Bliv enige om indsatser, som skrives ind i referatet",
            ),
            "002: 1369",
        ),
        GuideItem(
            "pupil_absent",
            nb(
                "Husk samtale med eleven dersom eleven ikke deltar i møtet",
                "Kom ihåg att samtala med eleven om eleven inte är med på mötet",
                "Husk at tale med eleven, hvis eleven ikke deltager i mødet",
            ),
            "002: 1370",
        ),
        GuideItem(
            "close",
            nb(
                "Avslutning og eventuell ny møtedato om det er aktuelt",
                "Avslutning och eventuellt ett nytt mötesdatum om det behövs",
                "Afslutning og eventuelt en ny mødedato, hvis det er relevant",
            ),
            "002: 1373",
        ),
    ),
)

# The advice sits in three columns in the source (002: 747): before the meeting (749–805),
# during it (811–849) and after it (851–885).
CHILD_ADVICE = QuestionSet(
    "child_advice",
    nb(
        "Barns råd til tverrfaglige møter",
        "Barns råd inför tvärprofessionella möten",
        "Børns råd til tværfaglige møder",
    ),
    "002: 743–885",
    (
        GuideItem(
            "before_information",
            nb(
                "Barn får informasjon om samarbeidsmøtet og hvorfor det holdes",
                "Barnet får information om samarbetsmötet och varför det hålls",
                "Barnet får information om samarbejdsmødet, og hvorfor det holdes",
            ),
            "002: 749–753",
        ),
        GuideItem(
            "before_safe_person",
            nb(
                "Barn får velge hvilken trygghetsperson som skal være med inn i møtet",
                "Barnet får välja vilken trygghetsperson som ska vara med på mötet",
                "Barnet får lov at vælge, hvilken tryghedsperson der skal med ind til mødet",
            ),
            "002: 755–763",
        ),
        GuideItem(
            "before_safe_meeting",
            nb(
                "Det samarbeides med barnet om hvordan møtet kan gjøres trygt.",
                "Man samarbetar med barnet om hur mötet kan göras tryggt.",
                "Der samarbejdes med barnet om, hvordan mødet kan gøres trygt.",
            ),
            "002: 765–771",
        ),
        GuideItem(
            "before_adults",
            nb(
                "Det avtales med barnet om hvilke voksne som kan være med inn i møtet",
                "Man kommer överens med barnet om vilka vuxna som får vara med på mötet",
                "Det aftales med barnet, hvilke voksne der må være med til mødet",
            ),
            "002: 773–779",
        ),
        GuideItem(
            "before_topic",
            nb(
                "Det avtales med barnet om hva som er temaet for møtet og hva som kan sies",
                "Man kommer överens med barnet om vad mötet ska handla om och vad som får sägas",
                "Det aftales med barnet, hvad temaet for mødet er, og hvad der må siges",
            ),
            "002: 781–787",
        ),
        GuideItem(
            "before_unplanned",
            nb(
                "Det samarbeides om hva man gjør hvis uplanlagte tema kommer opp i møtet",
                "Man samarbetar om vad man gör om oplanerade ämnen kommer upp på mötet",
                "Der samarbejdes om, hvad man gør, hvis uplanlagte emner kommer op på mødet",
            ),
            "002: 789–795",
        ),
        GuideItem(
            "before_unsafe",
            nb(
                "Det avtales med barnet hva som skal gjøres hvis møtet blir utrygt og barnet får"
                " det vanskelig.",
                "Man kommer överens med barnet om vad som ska göras om mötet blir otryggt och"
                " barnet får det svårt.",
                "Det aftales med barnet, hvad der skal gøres, hvis mødet bliver utrygt, og barnet"
                " får det svært.",
            ),
            "002: 797–805",
        ),
        GuideItem(
            "during_names",
            nb(
                "Alle i møtet sier navnet sitt, hvilken tjeneste de er i fra og noe de er glad i",
                "Alla på mötet säger sitt namn, vilken verksamhet de kommer från och något de"
                " tycker om",
                "Alle på mødet siger deres navn, hvilken instans de kommer fra, og noget, de"
                " holder af",
            ),
            "002: 811–817",
        ),
        GuideItem(
            "during_topics",
            nb(
                "Trygghetspersonen/annen møteleder forklarer temaene det skal snakkes om",
                "Trygghetspersonen/en annan mötesledare förklarar vad som ska tas upp",
                "Tryghedspersonen/en anden mødeleder forklarer, hvilke emner der skal tales om",
            ),
            "002: 819–825",
        ),
        GuideItem(
            "during_decisions",
            nb(
                "Det samarbeides med barnet om hva som skal bestemmes i møtet",
                "Man samarbetar med barnet om vad som ska beslutas på mötet",
                "Der samarbejdes med barnet om, hvad der skal besluttes på mødet",
            ),
            "002: 827–833",
        ),
        GuideItem(
            "during_stop",
            nb(
                "Hvis noe som ikke er avtalt dukker opp som tema, må en vurdere å avslutte møtet.",
                "Om något som inte är överenskommet kommer upp, måste man överväga att avsluta"
                " mötet.",
                "Hvis noget, der ikke er aftalt, dukker op som emne, må man overveje at afslutte"
                " mødet.",
            ),
            "002: 835–843",
        ),
        GuideItem(
            "after_minutes",
            nb(
                "Barn får lese referatet, gjerne i samarbeid med trygghetspersonen",
                "Barnet får läsa minnesanteckningarna, gärna tillsammans med trygghetspersonen",
                "Barnet får lov at læse referatet, gerne sammen med tryghedspersonen",
            ),
            "002: 851–857",
        ),
        GuideItem(
            "after_feedback",
            nb(
                "Barn får gi tilbakemelding på hvordan de opplevde trygghet og nytte av møtet",
                "Barnet får ge återkoppling på hur tryggt och användbart mötet kändes",
                "Barnet får lov at give tilbagemelding på, hvordan det oplevede trygheden og"
                " udbyttet af mødet",
            ),
            "002: 859–867",
        ),
        GuideItem(
            "after_next",
            nb(
                "Barn må få informasjon om hva som skal skje videre og få informasjon om det.",
                "Barnet måste få information om vad som ska hända härnäst och få information om"
                " det.",
                "Barnet skal have information om, hvad der skal ske fremover, og have information"
                " om det.",
            ),
            "002: 869–877",
        ),
        GuideItem(
            "after_cooperation",
            nb(
                "Barn blir samarbeidet tett med om det som skal skje videre",
                "Man samarbetar nära med barnet om det som ska hända härnäst",
                "Der samarbejdes tæt med barnet om det, der skal ske fremover",
            ),
            "002: 879–885",
        ),
    ),
)
