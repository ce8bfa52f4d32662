"""Norway, the Drammen guide (seed 002): concern, early effort, the multidisciplinary meeting and
referral.

Each item's Norwegian text is the guide's own wording; Swedish and Danish are translations.
Owners: the school's attendance coordinator or team follows up a concern about a pupil
(002: 373, 598–600); the contact teacher runs the early effort and signs the cooperation
agreement (002: 1317); the school's management initiates and coordinates the multidisciplinary
meeting (002: 736) and decides on referrals and reports to child welfare (domain §6)."""

from __future__ import annotations

from routine.guides.model import GuideItem, QuestionSet, StageGuide, wording
from routine.guides.no_agreement import AGREEMENT
from routine.guides.no_meeting import AGENDA, CHILD_ADVICE
from routine.guides.no_talks import GUARDIAN, PUPIL
from routine.model import Language, Role

nb = wording(Language.NB)

CONCERN = StageGuide(
    stage="no.concern",
    name=nb("Bekymringsfullt skolefravær", "Oroande skolfrånvaro", "Bekymrende skolefravær"),
    owner=Role.COORDINATOR,
    source="002: 114, 643–675",
    # What the owner does once absence is concerning (002: 667–673). The triggers that make it
    # concerning (002: 647–663) are the Norwegian rules in `routine.policy`, not things to do.
    checklist=(
        GuideItem(
            "talk",
            nb(
                "Snakk med noen om fravær.",
                "Prata med någon om frånvaro.",
                "Tal med nogen om fravær.",
            ),
            "002: 667",
        ),
        GuideItem(
            "check",
            nb(
                "Sjekk og ta kontakt så tidlig som mulig, helst før fravær har begynt.",
                "Kolla läget och ta kontakt så tidigt som möjligt, helst innan frånvaron har"
                " börjat.",
                "Tjek op og tag kontakt så tidligt som muligt, helst før fraværet er begyndt.",
            ),
            "002: 667–669",
        ),
        GuideItem(
            "contact_both_ways",
            nb(
                "Ha en rutine og klima for skole-hjem samarbeid som gjør det lett å ta kontakt"
                " begge veier.",
                "Ha en rutin och ett klimat för samarbetet mellan hem och skola som gör det lätt"
                " att ta kontakt åt båda hållen.",
                "Hav en rutine og et klima for skole-hjem-samarbejdet, der gør det let at tage"
                " kontakt begge veje.",
            ),
            "002: 673",
        ),
    ),
    questions=(),
)

EARLY_EFFORT = StageGuide(
    stage="no.early_effort",
    name=nb(
        "Tidlig innsats ved bekymring for skolefravær",
        "Tidiga insatser vid oro för skolfrånvaro",
        "Tidlig indsats ved bekymring for skolefravær",
    ),
    owner=Role.MENTOR,
    source="002: 676–702",
    checklist=(
        GuideItem(
            "dialogue",
            nb(
                "Tidlig dialog mellom foresatte og skole når en elev strever med å komme eller er"
                " borte fra skolen.",
                "Tidig dialog mellan vårdnadshavare och skola när en elev har svårt att komma till"
                " skolan eller är borta från skolan.",
                "Tidlig dialog mellem forældre og skole, når en elev har svært ved at komme i"
                " skole eller er væk fra skolen.",
            ),
            "002: 678–680",
        ),
        GuideItem(
            "plan",
            nb(
                "Det bør i samarbeid med elev og foresatte raskt utarbeides en plan.",
                "I samarbete med elev och vårdnadshavare bör en plan snabbt tas fram.",
                "Der bør hurtigt udarbejdes en plan i samarbejde med elev og forældre.",
            ),
            "002: 684",
        ),
        GuideItem(
            "pupil_conversation",
            nb(
                "Det er viktig at skolen raskt har en samtale med eleven for å finne ut hva som er"
                " fraværets årsak og funksjon.",
                "Det är viktigt att skolan snabbt har ett samtal med eleven för att ta reda på"
                " frånvarons orsak och funktion.",
                "Det er vigtigt, at skolen hurtigt har en samtale med eleven for at finde ud af,"
                " hvad der er fraværets årsag og funktion.",
            ),
            "002: 686–688",
        ),
        GuideItem(
            "mapping",
            nb(
                "Kartlegging er nødvendig for å finne ut hvorfor eleven synes skolen er et"
                " vanskelig sted å være.",
                "Kartläggning behövs för att ta reda på varför eleven tycker att skolan är en svår"
                " plats att vara på.",
                "Kortlægning er nødvendig for at finde ud af, hvorfor eleven synes, at skolen er"
                " et svært sted at være.",
            ),
            "002: 690–692",
        ),
        GuideItem(
            "expectation",
            nb(
                "Tydelig forventning fra skole og foresatte om at målet er at barnet eller"
                " ungdommen skal gå på skolen.",
                "Tydlig förväntan från skola och vårdnadshavare att målet är att barnet eller"
                " ungdomen ska gå i skolan.",
                "Tydelig forventning fra skole og forældre om, at målet er, at barnet eller den"
                " unge skal gå i skole.",
            ),
            "002: 696–698",
        ),
        GuideItem(
            "support",
            nb(
                "Viktig at hjem og skole tilrettelegger for, og gir nok støtte til at eleven kan"
                " gå på skolen ut fra elevens forutsetninger.",
                "Viktigt att hem och skola anpassar och ger tillräckligt stöd så att eleven kan gå"
                " i skolan utifrån elevens förutsättningar.",
                "Vigtigt, at hjem og skole tilrettelægger og giver nok støtte til, at eleven kan"
                " gå i skole ud fra elevens forudsætninger.",
            ),
            "002: 700–702",
        ),
        GuideItem(
            "agreement",
            nb(
                "Utarbeid en samarbeidsavtale med beskrivelser av tiltak og ansvar.",
                "Ta fram ett samarbetsavtal som beskriver insatser och ansvar.",
                "Udarbejd en samarbejdsaftale med beskrivelser af indsatser og ansvar.",
            ),
            "002: 1227",
        ),
    ),
    questions=(PUPIL, GUARDIAN, AGREEMENT),
)

MEETING = StageGuide(
    stage="no.meeting",
    name=nb("Tverrfaglig møte", "Tvärprofessionellt möte", "Tværfagligt møde"),
    owner=Role.PRINCIPAL,
    source="002: 383–387, 708–742",
    checklist=(
        GuideItem(
            "invite",
            nb(
                "Invitere elev og foreldre inn for hjelp til kartlegging og å lage en plan for"
                " elevens nærvær",
                "Bjuda in elev och vårdnadshavare för att få hjälp med kartläggning och med att"
                " göra en plan för elevens närvaro",
                "Invitere elev og forældre ind for at få hjælp til kortlægning og til at lave en"
                " plan for elevens fremmøde",
            ),
            "002: 409–413",
        ),
        GuideItem(
            "school_staff",
            nb(
                "Skole ved kontaktlærer og representant for skolens ledelse",
                "Skolan genom mentor och en representant för skolans ledning",
                "Skolen ved kontaktlærer og en repræsentant for skolens ledelse",
            ),
            "002: 728",
        ),
        GuideItem(
            "services",
            nb(
                "Skolehelsetjenesten ved helsesykepleier på elevens skole, PP-tjenesten ved"
                " skolekontakt, Barneverntjenesten og Familieteamene",
                "Elevhälsan genom skolsköterskan på elevens skola, PP-tjänsten genom sin"
                " kontaktperson för skolan, socialtjänsten och familjeteamen",
                "Sundhedsplejen ved sundhedsplejersken på elevens skole, PPR ved skolens"
                " kontaktperson, socialforvaltningen og familieteamene",
            ),
            "002: 730–732",
        ),
        GuideItem(
            "family",
            nb(
                "Elev og foresatte ut fra behov og vurdering",
                "Elev och vårdnadshavare utifrån behov och bedömning",
                "Elev og forældre ud fra behov og vurdering",
            ),
            "002: 734",
        ),
        GuideItem(
            "lead",
            nb(
                "Skolens ledelse har ansvar for å initiere og koordinere det tverrfaglige møtet.",
                "Skolans ledning ansvarar för att ta initiativ till och samordna det"
                " tvärprofessionella mötet.",
                "Skolens ledelse har ansvaret for at tage initiativ til og koordinere det"
                " tværfaglige møde.",
            ),
            "002: 736",
        ),
        GuideItem(
            "plan",
            nb(
                "Skolen samarbeider med elev og foresatte om plan og tiltak",
                "Skolan samarbetar med elev och vårdnadshavare om plan och insatser",
                "Skolen samarbejder med elev og forældre om plan og indsatser",
            ),
            "002: 423–425",
        ),
        GuideItem(
            "minutes",
            nb(
                "Skolen skriver møtereferat etter møtet og sender til foreldrene og øvrige"
                " instanser.",
                "Skolan skriver minnesanteckningar efter mötet och skickar dem till"
                " vårdnadshavarna och övriga instanser.",
                "Skolen skriver et mødereferat efter mødet og sender det til forældrene og de"
                " øvrige instanser.",
            ),
            "002: 740–742",
        ),
    ),
    questions=(AGENDA, CHILD_ADVICE),
)

# "Denne veilederen er ikke tilstrekkelig der:" (002: 27) and two cases, each a condition and
# what to do then (002: 29–35, 37–43). The conditions are what the principal weighs, so they are
# the questions; what to do is the checklist.
NOT_SUFFICIENT = QuestionSet(
    "not_sufficient",
    nb(
        "Denne veilederen er ikke tilstrekkelig",
        "Den här vägledningen räcker inte",
        "Denne vejledning er ikke tilstrækkelig",
    ),
    "002: 27–43",
    (
        GuideItem(
            "long_absence",
            nb(
                "Eleven har et langvarig fravær fra skole der tiltak etter denne veilederen ikke"
                " har vært tilstrekkelig.",
                "Eleven har en långvarig frånvaro från skolan där insatser enligt den här"
                " vägledningen inte har räckt.",
                "Eleven har et langvarigt fravær fra skolen, hvor indsatser efter denne vejledning"
                " ikke har været tilstrækkelige.",
            ),
            "002: 29–31",
        ),
        GuideItem(
            "serious_concern",
            nb(
                "Der det er bekymring for omsorgssvikt, alvorlige psykiske lidelser eller ved"
                " omfattende konflikter mellom foresatte.",
                "Där det finns oro för omsorgssvikt, allvarlig psykisk ohälsa eller vid"
                " omfattande konflikter mellan vårdnadshavarna.",
                "Hvor der er bekymring for omsorgssvigt, alvorlige psykiske lidelser eller ved"
                " omfattende konflikter mellem forældrene.",
            ),
            "002: 37–39",
            covered_only=True,
        ),
    ),
)

REFERRAL = StageGuide(
    stage="no.referral",
    name=nb("Henvisning", "Remiss", "Henvisning"),
    owner=Role.PRINCIPAL,
    source="002: 27–43, 435–459",
    checklist=(
        GuideItem(
            "assess",
            nb(
                "Vurdere behov for å henvise eleven/melde bekymring til hjelpetjenester",
                "Bedöma behovet av att remittera eleven/göra en orosanmälan till"
                " stödverksamheterna",
                "Vurdere behovet for at henvise eleven/underrette hjælpeinstanserne om"
                " bekymringen",
            ),
            "002: 435–437",
            principal_only=True,
        ),
        # After a long absence that this guide's measures did not help (002: 29–31).
        GuideItem(
            "procedures",
            nb(
                "Rutiner for henvisning til enkeltinstanser etter ordinære"
                " henvisningsprosedyrer (PP-tjenesten, Barneverntjenesten, Familieteam, BUPA).",
                "Rutinerna för remiss till enskilda instanser enligt ordinarie"
                " remissförfaranden (PP-tjänsten, socialtjänsten, familjeteamet, BUP).",
                "Rutinerne for henvisning til de enkelte instanser efter de almindelige"
                " henvisningsprocedurer (PPR, socialforvaltningen, familieteamet, børne- og"
                " ungdomspsykiatrien).",
            ),
            "002: 31–35",
        ),
        # Where there is concern for neglect, serious mental illness or conflicts between the
        # guardians (002: 37–39).
        GuideItem(
            "child_welfare",
            nb(
                "Retningslinjer og rutiner for melding til Barnevern og/eller henvisning til"
                " Barne- og ungdomspsykiatrisk avdeling (BUPA) og Familievernkontoret.",
                "Riktlinjer och rutiner för orosanmälan till socialtjänsten och/eller remiss till"
                " barn- och ungdomspsykiatrin (BUP) och familjerådgivningen.",
                "Retningslinjer og rutiner for underretning til kommunen og/eller henvisning til"
                " børne- og ungdomspsykiatrien og familierådgivningen.",
            ),
            "002: 39–43",
            principal_only=True,
        ),
        GuideItem(
            "responsibility_group",
            nb(
                "Vurdere behov for faste tverrfaglige møter som f.eks ansvarsgruppe",
                "Bedöma behovet av fasta tvärprofessionella möten, t.ex. en ansvarsgrupp",
                "Vurdere behovet for faste tværfaglige møder, f.eks. en ansvarsgruppe",
            ),
            "002: 457–459",
        ),
    ),
    questions=(NOT_SUFFICIENT,),
)

GUIDES = (CONCERN, EARLY_EFFORT, MEETING, REFERRAL)
