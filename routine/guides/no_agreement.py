"""Norway, the Drammen guide (seed 002): the cooperation agreement between guardians and school
(appendix 4), whose fields the contact teacher fills in with the pupil and guardians during the
early effort.

Each item's Norwegian text is the guide's own wording; Swedish and Danish are translations."""

from __future__ import annotations

from routine.guides.model import GuideItem, QuestionSet, wording
from routine.model import Language

nb = wording(Language.NB)

AGREEMENT = QuestionSet(
    "agreement",
    nb(
        "Samarbeidsavtale mellom foresatte og skole",
        "Samarbetsavtal mellan vårdnadshavare och skola",
        "Samarbejdsaftale mellem forældre og skole",
    ),
    "002: 1257–1317",
    (
        GuideItem(
            "agreement_purpose",
            nb(
                "Sammen med elev og foresatte utarbeide tiltak slik at eleven lærer i størst mulig"
                " grad innenfor skolens fellesskap.",
                "Tillsammans med elev och vårdnadshavare ta fram insatser så att eleven i så stor"
                " utsträckning som möjligt lär sig inom skolans gemenskap.",
                "Sammen med elev og forældre tilrettelægge indsatser, så eleven i størst muligt"
                " omfang lærer inden for skolens fællesskab.",
            ),
            "002: 1261–1263",
        ),
        GuideItem("agreement_pupil", nb("Elev", "Elev", "Elev"), "002: 1267"),
        GuideItem("agreement_school", nb("Skole", "Skola", "Skole"), "002: 1271"),
        GuideItem("agreement_class", nb("Klasse", "Klass", "Klasse"), "002: 1275"),
        GuideItem(
            "status",
            nb(
                "Status (beskrivelse av nåværende situasjon)",
                "Nuläge (beskrivning av den nuvarande situationen)",
                "Status (beskrivelse af den nuværende situation)",
            ),
            "002: 1279",
        ),
        GuideItem("main_goal", nb("Hovedmål", "Huvudmål", "Hovedmål"), "002: 1285"),
        GuideItem("sub_goal", nb("Delmål", "Delmål", "Delmål"), "002: 1289"),
        GuideItem("measure", nb("Tiltak", "Insats", "Indsats"), "002: 1289"),
        GuideItem("responsible", nb("Ansvar", "Ansvar", "Ansvar"), "002: 1289"),
        GuideItem("deadline", nb("Frist", "Tidsfrist", "Frist"), "002: 1289"),
        GuideItem(
            "period",
            nb(
                "Avtalen gjelder i perioden",
                "Avtalet gäller under perioden",
                "Aftalen gælder i perioden",
            ),
            "002: 1313",
        ),
    ),
)
