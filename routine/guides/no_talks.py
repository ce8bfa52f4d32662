"""Norway, the Drammen guide (seed 002): the conversation with the pupil (appendix 1) and with
the guardians (appendix 2), used in the early effort; the cooperation agreement (appendix 4) is
in `no_agreement.py`.

Each item's Norwegian text is the guide's own wording; Swedish and Danish are translations."""

from __future__ import annotations

from routine.guides.model import GuideItem, QuestionSet, wording
from routine.model import Language

nb = wording(Language.NB)

PUPIL = QuestionSet(
    "pupil",
    nb("Samtale med eleven", "Samtal med eleven", "Samtale med eleven"),
    "002: 1079–1177",
    (
        # "Oppstart av samtalen" (002: 1086–1098): the guide's instructions before its questions,
        # a sentence each, the first the reason for the second.
        GuideItem(
            "hard_to_talk",
            nb(
                "Å snakke om fravær kan være vanskelig for eleven.",
                "Att prata om frånvaro kan vara svårt för eleven.",
                "Det kan være svært for eleven at tale om fravær.",
            ),
            "002: 1090",
            advice=True,
        ),
        GuideItem(
            "pupil_start",
            nb(
                "Bruk derfor tid i oppstarten av samtalen til å etablere en trygg og åpen dialog"
                " uten konfrontasjon.",
                "Ägna därför tid i början av samtalet åt att skapa en trygg och öppen dialog utan"
                " konfrontation.",
                "Brug derfor tid i starten af samtalen på at skabe en tryg og åben dialog uden"
                " konfrontation.",
            ),
            "002: 1090–1092",
        ),
        GuideItem(
            "pupil_purpose",
            nb(
                "Snakk med eleven om at formålet med samtalen er din bekymring for elevens"
                " skolefravær.",
                "Prata med eleven om att syftet med samtalet är din oro för elevens skolfrånvaro.",
                "Tal med eleven om, at formålet med samtalen er din bekymring for elevens"
                " skolefravær.",
            ),
            "002: 1094",
        ),
        GuideItem(
            "pupil_goal",
            nb(
                "Målet er å finne tiltak og hjelpe eleven til å være på skolen.",
                "Målet är att hitta insatser och hjälpa eleven att vara i skolan.",
                "Målet er at finde frem til indsatser og hjælpe eleven til at være i skolen.",
            ),
            "002: 1094–1096",
        ),
        GuideItem(
            "guardians_told",
            nb(
                "Hvis du har snakket med foresatte eller skal ha en samtale med foresatte fortell"
                " eleven om dette.",
                "Om du har pratat med vårdnadshavarna eller ska ha ett samtal med dem, berätta det"
                " för eleven.",
                "Hvis du har talt med forældrene eller skal have en samtale med dem, så fortæl"
                " eleven om det.",
            ),
            "002: 1098",
        ),
        GuideItem(
            "likes",
            nb(
                "Hvilke situasjoner og aktiviteter på skolen liker du?",
                "Vilka situationer och aktiviteter i skolan tycker du om?",
                "Hvilke situationer og aktiviteter i skolen kan du lide?",
            ),
            "002: 1110",
        ),
        GuideItem(
            "hard",
            nb(
                "Er det situasjoner eller aktiviteter du opplever som vanskelig?",
                "Finns det situationer eller aktiviteter som du tycker är svåra?",
                "Er der situationer eller aktiviteter, som du synes er svære?",
            ),
            "002: 1112",
        ),
        GuideItem(
            "adults_liked",
            nb(
                "Hvilke voksne liker du å være sammen med?",
                "Vilka vuxna tycker du om att vara med?",
                "Hvilke voksne kan du lide at være sammen med?",
            ),
            "002: 1114",
        ),
        GuideItem(
            "adults_hard",
            nb(
                "Er det noen voksne du synes det er vanskelig å være sammen med?",
                "Finns det någon vuxen som du tycker är svår att vara med?",
                "Er der nogen voksne, som du synes, det er svært at være sammen med?",
            ),
            "002: 1116",
        ),
        GuideItem(
            "way_to_school",
            nb(
                "Hvordan har du det på skoleveien? Og har du noen å ta følge med?",
                "Hur har du det på vägen till skolan? Och har du någon att gå tillsammans med?",
                "Hvordan har du det på skolevejen? Og har du nogen at følges med?",
            ),
            "002: 1124",
            covered_only=True,
        ),
        GuideItem(
            "breaks",
            nb(
                "Hvordan trives du i friminuttene og i timene?",
                "Hur trivs du på rasterna och på lektionerna?",
                "Hvordan trives du i frikvartererne og i timerne?",
            ),
            "002: 1126",
        ),
        GuideItem(
            "company_at_school",
            nb(
                "Hvem er du sammen med på skolen?",
                "Vem är du med i skolan?",
                "Hvem er du sammen med i skolen?",
            ),
            "002: 1128",
        ),
        GuideItem(
            "wanted",
            nb(
                "Opplever du at andre ønsker å være sammen med deg?",
                "Upplever du att andra vill vara med dig?",
                "Oplever du, at andre gerne vil være sammen med dig?",
            ),
            "002: 1130",
        ),
        GuideItem(
            "bullied",
            nb(
                "Har du opplevd å bli plaget eller mobbet?",
                "Har du blivit retad eller mobbad?",
                "Har du oplevet at blive drillet eller mobbet?",
            ),
            "002: 1132",
            covered_only=True,
        ),
        GuideItem(
            "at_home",
            nb(
                "Hva gjør du når du er hjemme fra skolen?",
                "Vad gör du när du är hemma från skolan?",
                "Hvad laver du, når du er hjemme fra skolen?",
            ),
            "002: 1138",
            covered_only=True,
        ),
        GuideItem(
            "helped",
            nb(
                "Var det noen som forsøkte å hjelpe deg med å komme på skolen?",
                "Var det någon som försökte hjälpa dig att komma till skolan?",
                "Var der nogen, der prøvede at hjælpe dig med at komme i skole?",
            ),
            "002: 1140",
            covered_only=True,
        ),
        GuideItem(
            "company_at_home",
            nb(
                "Er det noen hjemme sammen med deg når du ikke er på skolen?",
                "Är det någon hemma med dig när du inte är i skolan?",
                "Er der nogen hjemme sammen med dig, når du ikke er i skole?",
            ),
            "002: 1142",
            covered_only=True,
        ),
        GuideItem(
            "wish",
            nb(
                "Er det noe du skulle ønske var annerledes og som ville gjøre det lettere for deg"
                " å møte på skolen?",
                "Finns det något du önskar var annorlunda och som skulle göra det lättare för dig"
                " att komma till skolan?",
                "Er der noget, du ville ønske var anderledes, og som ville gøre det lettere for"
                " dig at møde op i skolen?",
            ),
            "002: 1150",
        ),
        GuideItem(
            "teacher_can_do",
            nb(
                "Hva kan jeg gjøre for at det skal bli lettere for deg å være på skolen?",
                "Vad kan jag göra för att det ska bli lättare för dig att vara i skolan?",
                "Hvad kan jeg gøre, for at det bliver lettere for dig at være i skolen?",
            ),
            "002: 1152",
        ),
        GuideItem(
            "family_can_do",
            nb(
                "Hva kan mamma, pappa eller event. andre gjøre for at det skal bli lettere for deg"
                " å møte på skolen?",
                "Vad kan mamma, pappa eller eventuellt andra göra för att det ska bli lättare för"
                " dig att komma till skolan?",
                "Hvad kan mor, far eller eventuelt andre gøre, for at det bliver lettere for dig"
                " at møde op i skolen?",
            ),
            "002: 1154",
            covered_only=True,
        ),
        GuideItem(
            "pupil_can_do",
            nb("Hva kan du gjøre?", "Vad kan du göra?", "Hvad kan du gøre?"),
            "002: 1156",
        ),
        GuideItem(
            "worries",
            nb(
                "Er det noe som har hendt eller du er bekymret for utenfor skoletid?",
                "Har något hänt, eller finns det något du oroar dig för, utanför skoltid?",
                "Er der sket noget, eller er der noget, du er bekymret for uden for skoletiden?",
            ),
            "002: 1158",
            covered_only=True,
        ),
        GuideItem(
            "pupil_measures",
            nb(
                "Utarbeid tiltak sammen med eleven på bakgrunn av opplysninger fremkommet i"
                " samtalen.",
                "Ta fram insatser tillsammans med eleven utifrån det som har kommit fram i"
                " samtalet.",
                "Tilrettelæg indsatser sammen med eleven på baggrund af de oplysninger, der er"
                " kommet frem i samtalen.",
            ),
            "002: 1162",
        ),
        GuideItem(
            "pupil_summary",
            nb(
                "Gi en kort oppsummering av innholdet i samtalen.",
                "Ge en kort sammanfattning av vad ni har pratat om.",
                "Giv en kort opsummering af samtalens indhold.",
            ),
            "002: 1167",
        ),
    ),
)

GUARDIAN = QuestionSet(
    "guardian",
    nb("Samtale med foresatte", "Samtal med vårdnadshavare", "Samtale med forældre"),
    "002: 1178–1245",
    (
        GuideItem(
            "guardian_start",
            nb(
                "Start samtalen med å fortelle om formålet med samtalen som er samarbeid for å"
                " komme frem til tiltak som vil fremme nærvær.",
                "Börja samtalet med att berätta om syftet med samtalet, som är att samarbeta för"
                " att komma fram till insatser som främjar närvaro.",
                "Start samtalen med at fortælle om formålet med samtalen, som er at samarbejde om"
                " at finde frem til indsatser, der fremmer fremmødet.",
            ),
            "002: 1189–1191",
        ),
        GuideItem(
            "absence_facts",
            nb(
                "Gi deretter konkret informasjon om elevens fravær.",
                "Ge sedan konkret information om elevens frånvaro.",
                "Giv derefter konkret information om elevens fravær.",
            ),
            "002: 1191",
        ),
        GuideItem(
            "school_routines",
            nb(
                "Fortell om skolens arbeid og rutiner for å fremme skolenærvær",
                "Berätta om skolans arbete och rutiner för att främja närvaron i skolan",
                "Fortæl om skolens arbejde og rutiner for at fremme fremmødet i skolen",
            ),
            "002: 1193",
        ),
        GuideItem(
            "school_conditions",
            nb(
                "Kan det være forhold på skolen som gjør at ditt barn har fravær?",
                "Kan det finnas förhållanden i skolan som gör att ditt barn är frånvarande?",
                "Kan der være forhold i skolen, som gør, at dit barn har fravær?",
            ),
            "002: 1205",
        ),
        GuideItem(
            "outside_school",
            nb(
                "Vi har erfaring med at det kan være forhold eller hendelser utenfor skole som"
                " fører til at elever har fravær, kan det være slik for ditt barn?",
                "Vi vet av erfarenhet att förhållanden eller händelser utanför skolan kan leda"
                " till att elever är frånvarande, kan det vara så för ditt barn?",
                "Vi har erfaring med, at forhold eller hændelser uden for skolen kan føre til, at"
                " elever har fravær, kan det være sådan for dit barn?",
            ),
            "002: 1207–1209",
            covered_only=True,
        ),
        GuideItem(
            "family_events",
            nb(
                "Har det vært hendelser i familien eller i fritiden som kan forklare ditt barns"
                " fravær?",
                "Har det hänt något i familjen eller på fritiden som kan förklara ditt barns"
                " frånvaro?",
                "Har der været hændelser i familien eller i fritiden, som kan forklare dit barns"
                " fravær?",
            ),
            "002: 1211",
            covered_only=True,
        ),
        GuideItem(
            "health",
            nb(
                "Er det helsemessige årsaker til at barnet ditt er borte fra skolen?",
                "Finns det hälsoskäl till att ditt barn är borta från skolan?",
                "Er der helbredsmæssige årsager til, at dit barn er væk fra skolen?",
            ),
            "002: 1213",
            covered_only=True,
        ),
        GuideItem(
            "guardian_can_do",
            nb(
                "Hva kan du gjøre for at barnet ditt skal komme på skolen?",
                "Vad kan du göra för att ditt barn ska komma till skolan?",
                "Hvad kan du gøre, for at dit barn kommer i skole?",
            ),
            "002: 1221",
        ),
        GuideItem(
            "school_can_do",
            nb(
                "Hva kan jeg gjøre for at barnet ditt skal komme på skolen?",
                "Vad kan jag göra för att ditt barn ska komma till skolan?",
                "Hvad kan jeg gøre, for at dit barn kommer i skole?",
            ),
            "002: 1223",
        ),
        GuideItem(
            "guardian_summary",
            nb(
                "Gi en kort oppsummering av innholdet i samtalen.",
                "Ge en kort sammanfattning av vad ni har pratat om.",
                "Giv en kort opsummering af samtalens indhold.",
            ),
            "002: 1235",
        ),
        GuideItem(
            "next_meeting",
            nb(
                "Bli enige om videre oppfølging og avtal eventuelt nytt møtetidspunkt",
                "Kom överens om den fortsatta uppföljningen och boka eventuellt en ny mötestid",
                "Bliv enige om den videre opfølgning, og aftal eventuelt et nyt mødetidspunkt",
            ),
            "002: 1245",
        ),
    ),
)
