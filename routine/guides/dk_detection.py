"""Denmark, the national model (seed 004): detection, the stage of the contact teachers, who meet
the child every day and are contacted to talk with child and parents once the absence data are
reviewed (004: 1128–1132, 1216–1224). It ends with appointing the *tovholder*, from the start
(004: 993–998), who owns the stages after it (`dk.py`).

Each item's Danish text is the model's own wording, cut to the sentence or clause that says what
to do (the model's paragraphs explain why, and a checklist on Slack is read at a glance); the
model's own examples of patterns in the data (004: 1226–1230) and of early signs (004: 1308–1323)
are the questions. Swedish and Norwegian are translations."""

from __future__ import annotations

from routine.guides.model import GuideItem, QuestionSet, StageGuide, wording
from routine.model import Language, Role

da = wording(Language.DA)

# "I gennemgangen af data kan man blandt andet se på mønstre og ændret adfærd, for eksempel: Er
# der børn, som ofte kommer for sent, har fraværet været uden besked, ...?" (004: 1226–1230):
# the model's one question, split at its commas into the questions it asks.
PATTERNS = QuestionSet(
    "patterns",
    da("Mønstre og ændret adfærd", "Mönster och förändrat beteende", "Mønstre og endret atferd"),
    "004: 1226–1230",
    (
        GuideItem(
            "late",
            da(
                "Er der børn, som ofte kommer for sent?",
                "Finns det barn som ofta kommer för sent?",
                "Er det barn som ofte kommer for sent?",
            ),
            "004: 1227–1228",
        ),
        GuideItem(
            "no_notice",
            da(
                "Har fraværet været uden besked?",
                "Har frånvaron varit oanmäld?",
                "Har fraværet vært uten beskjed?",
            ),
            "004: 1228",
        ),
        GuideItem(
            "days_lessons",
            da(
                "Er der fravær på bestemte dage eller enkelte timer?",
                "Finns det frånvaro vissa dagar eller enstaka lektioner?",
                "Er det fravær på bestemte dager eller enkelttimer?",
            ),
            "004: 1228–1229",
        ),
        GuideItem(
            "after_holidays",
            da(
                "Er der fravær efter ferier eller langvarig sygdom?",
                "Finns det frånvaro efter lov eller långvarig sjukdom?",
                "Er det fravær etter ferier eller langvarig sykdom?",
            ),
            "004: 1229–1230",
            covered_only=True,
        ),
    ),
)

# "Tidlige tegn på en skolefraværsproblematik kan blandt andet være ..." (004: 1308–1311), "andre
# tegn på, at barnet ikke trives" (004: 1313–1315) and what parents see first (004: 1320–1323):
# signs to have talked about, each a "covered" tick where it touches the child's feelings.
SIGNS = QuestionSet(
    "signs",
    da("Tidlige tegn", "Tidiga tecken", "Tidlige tegn"),
    "004: 1308–1323",
    (
        GuideItem(
            "mental",
            da(
                "Mentalt fravær hos barnet",
                "Att barnet är mentalt frånvarande",
                "Mentalt fravær hos barnet",
            ),
            "004: 1309",
            covered_only=True,
        ),
        GuideItem(
            "avoids",
            da(
                "At barnet forsøger at undgå at komme i skole",
                "Att barnet försöker undvika att komma till skolan",
                "At barnet prøver å unngå å komme på skolen",
            ),
            "004: 1309–1310",
        ),
        GuideItem(
            "periodic",
            da(
                "Periodisk fravær fra bestemte timer",
                "Periodvis frånvaro från vissa lektioner",
                "Periodevis fravær fra bestemte timer",
            ),
            "004: 1310",
        ),
        GuideItem(
            "behaviour",
            da(
                "Generel ændret adfærd hos barnet",
                "Ett allmänt förändrat beteende hos barnet",
                "Generelt endret atferd hos barnet",
            ),
            "004: 1310–1311",
            covered_only=True,
        ),
        GuideItem(
            "alone",
            da("At barnet ofte er alene", "Att barnet ofta är ensamt", "At barnet ofte er alene"),
            "004: 1314",
            covered_only=True,
        ),
        GuideItem(
            "boring",
            da(
                "Giver udtryk for at skolen er kedelig",
                "Ger uttryck för att skolan är tråkig",
                "Gir uttrykk for at skolen er kjedelig",
            ),
            "004: 1314–1315",
            covered_only=True,
        ),
        GuideItem(
            "left_out",
            da(
                "Føler sig fravalgt af de andre i klassen",
                "Känner sig bortvald av de andra i klassen",
                "Føler seg valgt bort av de andre i klassen",
            ),
            "004: 1315",
            covered_only=True,
        ),
        GuideItem(
            "will_not_go",
            da(
                "At barnet giver udtryk for, at det ikke vil i skole",
                "Att barnet ger uttryck för att det inte vill gå till skolan",
                "At barnet gir uttrykk for at det ikke vil på skolen",
            ),
            "004: 1322–1323",
            covered_only=True,
        ),
    ),
)

DETECTION = StageGuide(
    stage="dk.detection",
    name=da("Opsporing", "Upptäckt", "Oppsporing"),
    owner=Role.MENTOR,
    source="004: 1124–1138",
    checklist=(
        GuideItem(
            "review_data",
            da(
                "Opspor ved hjælp af fraværsdata.",
                "Upptäck med hjälp av frånvarouppgifter.",
                "Spor opp ved hjelp av fraværsdata.",
            ),
            "004: 1136",
        ),
        GuideItem(
            "knowledge",
            da(
                "Opspor også ved hjælp af viden, sparring og et generelt trivselsfokus.",
                "Upptäck också med hjälp av kunskap, handledning och ett allmänt fokus på"
                " trivsel.",
                "Spor også opp ved hjelp av kunnskap, veiledning og et generelt fokus på trivsel.",
            ),
            "004: 1138",
        ),
        GuideItem(
            "dialogue",
            da(
                "Gå i dialog med barn og forældre.",
                "Inled en dialog med barnet och vårdnadshavarna.",
                "Gå i dialog med barnet og de foresatte.",
            ),
            "004: 1224",
        ),
        GuideItem(
            "discuss",
            da(
                "Drøfte en bekymring både med barnet selv og klassens team.",
                "Ta upp en oro både med barnet självt och med klassens arbetslag.",
                "Drøfte en bekymring både med barnet selv og med klassens lærerteam.",
            ),
            "004: 1316–1317",
        ),
        GuideItem(
            "other_sources",
            da(
                "Andre kilder til viden om barnets trivsel og adfærd kan også være relevante at"
                " inddrage.",
                "Andra källor till kunskap om barnets trivsel och beteende kan också vara"
                " relevanta att ta med.",
                "Andre kilder til kunnskap om barnets trivsel og atferd kan også være relevante å"
                " trekke inn.",
            ),
            "004: 1325–1326",
        ),
        GuideItem(
            "contact_parents",
            da(
                "I tilfælde af en elevs ulovlige fravær skal skolens leder straks rette"
                " henvendelse til elevens forældre.",
                "Vid en elevs ogiltiga frånvaro ska rektor genast kontakta elevens"
                " vårdnadshavare.",
                "Ved en elevs ugyldige fravær skal rektor straks ta kontakt med elevens"
                " foresatte.",
            ),
            "004: 2474–2475",
        ),
        GuideItem(
            "appoint_coordinator",
            da(
                "Som en fast del af organiseringen af det enkelte barns forløb skal der udpeges en"
                " tovholder.",
                "Som en fast del av arbetet med varje barns ärende ska en närvarosamordnare"
                " utses.",
                "Som en fast del av organiseringen av hvert enkelt barns forløp skal det utpekes"
                " en nærværskoordinator.",
            ),
            "004: 993–994",
        ),
        GuideItem(
            "from_the_start",
            da(
                "Det er vigtigt, at der tages stilling til tovholderfunktionen fra starten.",
                "Det är viktigt att man tar ställning till vem som ska vara närvarosamordnare"
                " redan från början.",
                "Det er viktig å ta stilling til hvem som skal være nærværskoordinator allerede"
                " fra starten.",
            ),
            "004: 997–998",
        ),
    ),
    questions=(PATTERNS, SIGNS),
)
