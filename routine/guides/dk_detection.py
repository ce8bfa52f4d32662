"""Denmark, the national model (seed 004): detection, the stage of the contact teachers, who meet
the child every day and are contacted to talk with child and parents once the absence data are
reviewed (004: 1128–1132, 1216–1224). It ends with appointing the *tovholder*, from the start
(004: 993–998), who owns the stages after it (`dk.py`).

Each item's Danish text is the model's own wording; Swedish and Norwegian are translations."""

from __future__ import annotations

from routine.guides.model import GuideItem, StageGuide, wording
from routine.model import Language, Role

da = wording(Language.DA)

DETECTION = StageGuide(
    stage="dk.detection",
    name=da("Opsporing", "Upptäckt", "Oppsporing"),
    owner=Role.MENTOR,
    source="004: 1124–1138",
    checklist=(
        GuideItem(
            "review_data",
            da(
                "Ud over at fravær skal registreres systematisk (og som minimum i henhold til"
                " lovgivningen), skal det også gennemgås ved en fast kadence og struktur.",
                "Utöver att frånvaron ska registreras systematiskt (och minst enligt lagen) ska"
                " den också gås igenom regelbundet och med en fast struktur.",
                "I tillegg til at fravær skal registreres systematisk (og minst slik regelverket"
                " krever), skal det også gjennomgås jevnlig og med en fast struktur.",
            ),
            "004: 1207–1209",
        ),
        GuideItem(
            "patterns",
            da(
                "I gennemgangen af data kan man blandt andet se på mønstre og ændret adfærd, for"
                " eksempel: Er der børn, som ofte kommer for sent, har fraværet været uden besked,"
                " er der fravær på bestemte dage eller enkelte timer, og er der fravær efter"
                " ferier eller langvarig sygdom?",
                "När man går igenom uppgifterna kan man bland annat titta på mönster och"
                " förändrat beteende, till exempel: Finns det barn som ofta kommer för sent, har"
                " frånvaron varit oanmäld, finns det frånvaro vissa dagar eller enstaka lektioner,"
                " och finns det frånvaro efter lov eller långvarig sjukdom?",
                "Når en går gjennom dataene, kan en blant annet se etter mønstre og endret atferd,"
                " for eksempel: Er det barn som ofte kommer for sent, har fraværet vært uten"
                " beskjed, er det fravær på bestemte dager eller enkelttimer, og er det fravær"
                " etter ferier eller langvarig sykdom?",
            ),
            "004: 1226–1230",
        ),
        GuideItem(
            "early_signs",
            da(
                "Tidlige tegn på en skolefraværsproblematik kan blandt andet være mentalt fravær"
                " hos barnet, at barnet forsøger at undgå at komme i skole, periodisk fravær fra"
                " bestemte timer eller generel ændret adfærd hos barnet.",
                "Tidiga tecken på problematisk skolfrånvaro kan bland annat vara att barnet är"
                " mentalt frånvarande, att barnet försöker undvika att komma till skolan,"
                " periodvis frånvaro från vissa lektioner eller ett allmänt förändrat beteende hos"
                " barnet.",
                "Tidlige tegn på en skolefraværsproblematikk kan blant annet være mentalt fravær"
                " hos barnet, at barnet prøver å unngå å komme på skolen, periodevis fravær fra"
                " bestemte timer eller generelt endret atferd hos barnet.",
            ),
            "004: 1308–1311",
        ),
        GuideItem(
            "discuss",
            da(
                "Det vil derfor ofte være relevant at drøfte en bekymring både med barnet selv og"
                " klassens team for at få yderligere viden om barnets trivsel og adfærd.",
                "Därför är det ofta relevant att ta upp en oro både med barnet självt och med"
                " klassens arbetslag för att få veta mer om barnets trivsel och beteende.",
                "Derfor vil det ofte være aktuelt å drøfte en bekymring både med barnet selv og"
                " med klassens lærerteam for å få vite mer om barnets trivsel og atferd.",
            ),
            "004: 1315–1318",
        ),
        GuideItem(
            "parents_observations",
            da(
                "Derudover er forældrenes observationer derhjemme en vigtig kilde til viden, da de"
                " oftest er de første til at se tidlige tegn på mistrivsel, som for eksempel at"
                " barnet giver udtryk for, at det ikke vil i skole.",
                "Dessutom är vårdnadshavarnas iakttagelser hemma en viktig kunskapskälla,"
                " eftersom de oftast är de första som ser tidiga tecken på att barnet inte trivs,"
                " till exempel att barnet säger att det inte vill gå till skolan.",
                "I tillegg er de foresattes observasjoner hjemme en viktig kilde til kunnskap,"
                " siden de oftest er de første som ser tidlige tegn på mistrivsel, for eksempel at"
                " barnet sier at det ikke vil på skolen.",
            ),
            "004: 1320–1323",
        ),
        GuideItem(
            "contact_parents",
            da(
                "I tilfælde af en elevs ulovlige fravær skal skolens leder straks rette"
                " henvendelse til elevens forældre med henblik på at afdække årsagen til"
                " fraværet.",
                "Vid en elevs ogiltiga frånvaro ska rektor genast kontakta elevens"
                " vårdnadshavare för att ta reda på orsaken till frånvaron.",
                "Ved ugyldig fravær skal rektor straks ta kontakt med elevens foresatte for å"
                " finne ut av årsaken til fraværet.",
            ),
            "004: 2474–2476",
        ),
        GuideItem(
            "appoint_coordinator",
            da(
                "Som en fast del af organiseringen af det enkelte barns forløb skal der udpeges en"
                " tovholder, der har ansvaret for at koordinere den løbende dialog, samarbejde og"
                " opfølgning.",
                "Som en fast del av arbetet med varje barns ärende ska en närvarosamordnare utses,"
                " som ansvarar för att samordna den löpande dialogen, samarbetet och"
                " uppföljningen.",
                "Som en fast del av organiseringen av hvert enkelt barns forløp skal det utpekes"
                " en nærværskoordinator som har ansvaret for å koordinere den løpende dialogen,"
                " samarbeidet og oppfølgingen.",
            ),
            "004: 993–995",
        ),
        GuideItem(
            "from_the_start",
            da(
                "Det er vigtigt, at der tages stilling til tovholderfunktionen fra starten, når"
                " der er en bekymring for et barns skolefravær.",
                "Det är viktigt att man tar ställning till vem som ska vara närvarosamordnare"
                " redan från början, när det finns en oro för ett barns skolfrånvaro.",
                "Det er viktig å ta stilling til hvem som skal være nærværskoordinator allerede"
                " fra starten, når det er bekymring for et barns skolefravær.",
            ),
            "004: 997–998",
        ),
    ),
    questions=(),
)
