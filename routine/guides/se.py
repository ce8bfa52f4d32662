"""Sweden, Närvaromodellen (Örebro, seed 000): step 2 (mentor) and step 3 (principal).

Each item's Swedish text is the slides' own wording; Norwegian and Danish are translations."""

from __future__ import annotations

from routine.guides.model import GuideItem, QuestionSet, StageGuide, wording
from routine.model import Language, Role

sv = wording(Language.SV)

STEP2 = StageGuide(
    stage="se.step2",
    name=sv("Steg 2 – Upprepad frånvaro", "Steg 2 – Gjentatt fravær", "Trin 2 – Gentaget fravær"),
    owner=Role.MENTOR,  # "Ansvarig: mentor" (000: 329)
    source="000: 319–379",
    checklist=(
        GuideItem(
            "talk",
            sv(
                "Ansvarig mentor samtalar med elev och vårdnadshavare och informerar om följderna"
                " vid fortsatt frånvaro.",
                "Ansvarlig kontaktlærer snakker med eleven og de foresatte og informerer om"
                " konsekvensene av fortsatt fravær.",
                "Den ansvarlige kontaktlærer taler med eleven og forældrene og informerer om"
                " konsekvenserne af fortsat fravær.",
            ),
            "000: 333–339",
        ),
        GuideItem("meeting", sv("Fysiskt möte", "Fysisk møte", "Fysisk møde"), "000: 361"),
        GuideItem(
            "map_causes",
            sv(
                "Kartlägger orsak till frånvaro.",
                "Kartlegger årsaken til fraværet.",
                "Kortlægger årsagen til fraværet.",
            ),
            "000: 341",
        ),
        GuideItem(
            "measures",
            sv(
                "Arbetslaget formulerar vilka insatser som ska göras på skolan för att främja"
                " elevens närvaro.",
                "Lærerteamet formulerer hvilke tiltak som skal settes inn på skolen for å fremme"
                " elevens nærvær.",
                "Lærerteamet formulerer, hvilke indsatser der skal sættes i gang på skolen for at"
                " fremme elevens fremmøde.",
            ),
            "000: 343–347",
        ),
        GuideItem(
            "pupil_health",
            sv(
                "Ansvarig mentor informerar elevhälsan om frånvaron.",
                "Ansvarlig kontaktlærer informerer PPT og helsesykepleier om fraværet.",
                "Den ansvarlige kontaktlærer orienterer PPR om fraværet.",
            ),
            "000: 349–351",
        ),
        GuideItem(
            "plan",
            sv(
                "Planering/Insatser/Uppföljning",
                "Planlegging/tiltak/oppfølging",
                "Planlægning/indsatser/opfølgning",
            ),
            "000: 377",
        ),
    ),
    questions=(
        QuestionSet(
            "step1",
            # Shown after "Frågor:" on the card, so the step's name (000: 289, 291), not "Frågor".
            sv(
                "Steg 1 – Första frånvarotillfället",
                "Steg 1 – Første fraværstilfelle",
                "Trin 1 – Første fraværstilfælde",
            ),
            "000: 289–303",
            (
                GuideItem(
                    "causes",
                    sv("Orsaker till frånvaro", "Årsaker til fraværet", "Årsager til fraværet"),
                    "000: 297",
                    covered_only=True,
                ),
                GuideItem(
                    "next_day",
                    sv("Nästkommande skoldag", "Neste skoledag", "Næste skoledag"),
                    "000: 299",
                ),
                GuideItem(
                    "pupil_view",
                    sv("Elevperspektivet", "Elevens perspektiv", "Elevens perspektiv"),
                    "000: 301",
                ),
                GuideItem(
                    "compulsory",
                    sv("Skolplikt", "Opplæringsplikt", "Undervisningspligt"),
                    "000: 303",
                ),
            ),
        ),
        QuestionSet(
            "pupil_guardian",
            # "Frågor till elev och vårdnadshavare" (000: 363–365), without "Frågor", which the
            # card puts before every set's title.
            sv("Elev och vårdnadshavare", "Elev og foresatte", "Elev og forældre"),
            "000: 363–375",
            (
                GuideItem(
                    "school",
                    sv("Trivsel i skolan", "Trivsel på skolen", "Trivsel i skolen"),
                    "000: 367",
                ),
                GuideItem(
                    "class",
                    sv("Trivsel i klassen", "Trivsel i klassen", "Trivsel i klassen"),
                    "000: 369",
                ),
                GuideItem(
                    "wellbeing",
                    sv("Mående", "Hvordan eleven har det", "Hvordan eleven har det"),
                    "000: 371",
                    covered_only=True,
                ),
                GuideItem(
                    "home",
                    sv("Hemsituation", "Hjemmesituasjon", "Hjemmesituation"),
                    "000: 373",
                    covered_only=True,
                ),
                GuideItem(
                    "support",
                    sv(
                        "Hur kan skolan stötta?",
                        "Hvordan kan skolen støtte?",
                        "Hvordan kan skolen støtte?",
                    ),
                    "000: 375",
                ),
            ),
        ),
    ),
)

STEP3 = StageGuide(
    stage="se.step3",
    name=sv("Steg 3 – Fortsatt frånvaro", "Steg 3 – Fortsatt fravær", "Trin 3 – Fortsat fravær"),
    owner=Role.PRINCIPAL,  # "Ansvarig: rektor" (000: 478)
    source="000: 474–504",
    checklist=(
        GuideItem(
            "investigation",
            sv(
                "Rektor fattar beslut om att EHT gör en frånvaroutredning.",
                "Rektor beslutter at PPT og helsesykepleier skal gjøre en fraværsutredning.",
                "Skolelederen beslutter, at PPR skal lave en fraværsudredning.",
            ),
            "000: 482",
        ),
        GuideItem(
            "plan",
            sv(
                "En plan görs utifrån utredningen i syfte att öka elevens skolnärvaro.",
                "Det lages en plan ut fra utredningen for å øke elevens skolenærvær.",
                "Der laves en plan ud fra udredningen for at øge elevens fremmøde i skolen.",
            ),
            "000: 482–486",
        ),
        GuideItem(
            "decide_measures",
            sv(
                "Rektor fattar beslut om eventuella åtgärder.",
                "Rektor beslutter eventuelle tiltak.",
                "Skolelederen træffer beslutning om eventuelle indsatser.",
            ),
            "000: 486",
        ),
        GuideItem(
            "governing_body",
            sv(
                "Rektor rapporterar frånvaron till huvudman.",
                "Rektor rapporterer fraværet til skoleeieren.",
                "Skolelederen rapporterer fraværet til kommunen som skoleejer.",
            ),
            "000: 488",
        ),
        GuideItem(
            "social_services",
            sv(
                "Vid eventuell oro för eleven ansvarar rektor för att en anmälan till"
                " socialtjänsten upprättas.",
                "Ved eventuell bekymring for eleven har rektor ansvar for at det sendes en"
                " bekymringsmelding til barnevernet.",
                "Ved eventuel bekymring for eleven har skolelederen ansvaret for, at der sendes en"
                " underretning til kommunen.",
            ),
            "000: 490–492",
            principal_only=True,
        ),
        GuideItem(
            "evaluate",
            sv(
                "Åtgärderna testas och utvärderas.",
                "Tiltakene prøves ut og evalueres.",
                "Indsatserne afprøves og evalueres.",
            ),
            "000: 494",
        ),
        GuideItem(
            "cooperation",
            sv(
                "Eventuell samverkan med andra aktörer t.ex. BUP och Soc.",
                "Eventuelt samarbeid med andre instanser, f.eks. BUP og barnevernet.",
                "Eventuelt samarbejde med andre aktører, f.eks. børne- og ungdomspsykiatrien og"
                " socialforvaltningen.",
            ),
            "000: 496",
        ),
    ),
    questions=(
        QuestionSet(
            "investigation",
            sv("Utredningsprocessen", "Utredningsprosessen", "Udredningsprocessen"),
            "000: 524–594",
            (
                GuideItem(
                    "identify",
                    sv(
                        "Identifiera svårigheter & utv.möjligheter",
                        "Identifisere vansker og utviklingsmuligheter",
                        "Identificere vanskeligheder og udviklingsmuligheder",
                    ),
                    "000: 524–527",
                ),
                GuideItem(
                    "narrow",
                    sv("Ringa in problematiken", "Avgrense problemet", "Indkredse problemet"),
                    "000: 540–542",
                ),
                GuideItem(
                    "known",
                    sv("Vad vet vi redan?", "Hva vet vi allerede?", "Hvad ved vi allerede?"),
                    "000: 544",
                ),
                GuideItem(
                    "find_out",
                    sv(
                        "Vad behöver vi ta reda på?",
                        "Hva trenger vi å finne ut?",
                        "Hvad har vi brug for at finde ud af?",
                    ),
                    "000: 546–548",
                ),
                GuideItem(
                    "map",
                    sv("Kartlägga & utreda", "Kartlegge og utrede", "Kortlægge og udrede"),
                    "000: 529–530",
                ),
                GuideItem(
                    "factors",
                    sv(
                        "Vilka faktorer bidrar till frånvaron?",
                        "Hvilke faktorer bidrar til fraværet?",
                        "Hvilke faktorer bidrager til fraværet?",
                    ),
                    "000: 550–554",
                    covered_only=True,
                ),
                GuideItem(
                    "individual",
                    sv("Individuella faktorer", "Individuelle faktorer", "Individuelle faktorer"),
                    "000: 556–558",
                    covered_only=True,
                ),
                GuideItem(
                    "school", sv("Skolfaktorer", "Skolefaktorer", "Skolefaktorer"), "000: 560"
                ),
                GuideItem(
                    "social",
                    sv("Sociala faktorer", "Sosiale faktorer", "Sociale faktorer"),
                    "000: 562–564",
                    covered_only=True,
                ),
                GuideItem("analyse", sv("Analysera", "Analysere", "Analysere"), "000: 532"),
                GuideItem(
                    "team",
                    sv(
                        "Använda EHT – tvärprofessionell kompetens",
                        "Bruke PPT og helsesykepleier – tverrfaglig kompetanse",
                        "Bruge PPR – tværfaglig kompetence",
                    ),
                    "000: 566–570",
                ),
                GuideItem(
                    "measures",
                    sv(
                        "Insatser, anpassningar, stöd & mål",
                        "Tiltak, tilpasninger, støtte og mål",
                        "Indsatser, tilpasninger, støtte og mål",
                    ),
                    "000: 533–536",
                ),
                GuideItem(
                    "plan_together",
                    sv(
                        "Planera med skola, elev och VH",
                        "Planlegge sammen med skole, elev og foresatte",
                        "Planlægge sammen med skole, elev og forældre",
                    ),
                    "000: 572–576",
                ),
                GuideItem(
                    "smart", sv("SMART-modell", "SMART-modellen", "SMART-modellen"), "000: 578"
                ),
                GuideItem("evaluation", sv("Utvärdera", "Evaluere", "Evaluere"), "000: 538"),
                GuideItem(
                    "outcome",
                    sv("Hur blev det?", "Hvordan gikk det?", "Hvordan gik det?"),
                    "000: 580",
                ),
                GuideItem(
                    "working",
                    sv("Hur fungerar det?", "Hvordan fungerer det?", "Hvordan fungerer det?"),
                    "000: 582",
                ),
                GuideItem(
                    "not_working",
                    sv("Vad fungerar inte?", "Hva fungerer ikke?", "Hvad fungerer ikke?"),
                    "000: 584",
                ),
                GuideItem(
                    "adjust",
                    sv("Behöver vi korrigera?", "Trenger vi å justere?", "Skal vi justere?"),
                    "000: 586–588",
                ),
                GuideItem(
                    "more",
                    sv(
                        "Kartlägga/utreda mera?",
                        "Kartlegge/utrede mer?",
                        "Kortlægge/udrede mere?",
                    ),
                    "000: 590–592",
                ),
            ),
        ),
    ),
)

GUIDES = (STEP2, STEP3)
