"""Denmark, the national model *Skolefravær er et fælles ansvar* (seed 004): detection, mapping and
measures, with a *tovholder* appointed from the start who stays when the case is referred.

Each item's Danish text is the model's own wording; Swedish and Norwegian are translations.
Owners: detection belongs to the contact teachers (`dk_detection.py`); mapping, here, and
measures (`dk_measures.py`) belong to the *tovholder* (`Role.COORDINATOR`), who coordinates the
mapping (004: 1636–1639) and the goals, follow-up and communication (004: 2205–2207,
2280–2287). The *tovholder* is appointed when a concern arises (004: 993–998) and stays when the
case is referred elsewhere (004: 1740–1741)."""

from __future__ import annotations

from routine.guides.dk_detection import DETECTION
from routine.guides.dk_measures import MEASURES
from routine.guides.dk_sets import GUARDIAN, MAPPING, PREPARATION, PUPIL
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
        # One sentence of the model (004: 1450–1452) that asks two things to decide.
        GuideItem(
            "primary_contact",
            da(
                "Forud for kortlægningen skal det vurderes, om det er skolen eller"
                " kom-i-skole-teamet, der skal have den primære kontakt med barn og forældre.",
                "Före kartläggningen ska man bedöma om det är skolan eller kommunens"
                " kom-i-skole-team som ska ha den huvudsakliga kontakten med barn och"
                " vårdnadshavare.",
                "Før kartleggingen skal det vurderes om det er skolen eller kommunens"
                " kom-i-skole-team som skal ha hovedkontakten med barn og foresatte.",
            ),
            "004: 1450–1452",
        ),
        GuideItem(
            "who_maps",
            da(
                "Hvem der skal foretage kortlægningen.",
                "Vem som ska göra kartläggningen.",
                "Hvem som skal gjennomføre kartleggingen.",
            ),
            "004: 1452",
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
        # What the staff who map need (004: 1724–1726), then what the school does when it lacks
        # it or the case is too complex for it (004: 1726–1731): the model's condition is the
        # item before, its action the item.
        GuideItem(
            "know_how",
            da(
                "Er det skolen, som forestår kortlægningen og den faglige vurdering, skal de"
                " ansvarlige medarbejdere have viden og kompetencer om"
                " skolefraværsproblematikker.",
                "Om det är skolan som gör kartläggningen och den professionella bedömningen, ska"
                " de ansvariga medarbetarna ha kunskap och kompetens om problematisk"
                " skolfrånvaro.",
                "Er det skolen som står for kartleggingen og den faglige vurderingen, skal de"
                " ansvarlige medarbeiderne ha kunnskap og kompetanse om"
                " skolefraværsproblematikk.",
            ),
            "004: 1724–1726",
        ),
        GuideItem(
            "refer_on",
            da(
                "Søge sparring eller viderehenvise til kom-i-skole-teamet.",
                "Söka handledning eller remittera vidare till kommunens kom-i-skole-team.",
                "Søke veiledning eller henvise videre til kommunens kom-i-skole-team.",
            ),
            "004: 1730–1731",
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

GUIDES = (DETECTION, MAPPING_STAGE, MEASURES)
