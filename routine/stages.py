"""The routine's stages after step 1, per country, in order: the stage ids a case moves through.

Step 1 (the same-day contact) is the follow-up of the daily loop; a case begins where the
sources' next stage begins. Each id names its country; `routine.guides` holds each stage's
owner, checklist and conversation questions in the sources' own wording.

- Sweden, Närvaromodellen: step 2, repeated absence (mentor, 000: 319–379), then step 3,
  continued absence (principal, with pupil health's investigation, 000: 465–504).
- Norway, Drammen: concern (002: 647–663), early effort with a quick plan and the
  conversations of appendices 1 and 2 (002: 708–742), the multidisciplinary meeting
  (002: 373–387), referral to services outside the school.
- Denmark, the national model: detection, mapping, measures (004: 260–300), with a
  *tovholder* appointed from the start (004: 774–775, 993–1020, 1740).
"""

from __future__ import annotations

from routine.model import Country, Role

STAGES: dict[Country, tuple[str, ...]] = {
    Country.SE: ("se.step2", "se.step3"),
    Country.NO: ("no.concern", "no.early_effort", "no.meeting", "no.referral"),
    Country.DK: ("dk.detection", "dk.mapping", "dk.measures"),
}

# Who owns each stage, from the sources; `routine.guides` names the same owner with the
# stage's checklist. Denmark: after the review of absence data "de relevante kontaktlærere
# kontaktes med henblik på at gå i dialog med barn og forældre" (004: 1220–1225); the
# tovholder, "skolelederen eller dén fagprofessionelle, der er mest relevant" (004: 1005–1008),
# coordinates the mapping and the measures (004: 993–1020).
OWNERS: dict[str, Role] = {
    "se.step2": Role.MENTOR,
    "se.step3": Role.PRINCIPAL,
    # "Skolen bør ha et nærværsteam som følger opp ... oppfølging ved bekymring rundt trinn og
    # enkeltelever" (002: 598–600).
    "no.concern": Role.COORDINATOR,
    "no.early_effort": Role.MENTOR,
    # "Skolens ledelse har ansvar for å initiere og koordinere det tverrfaglige møtet"
    # (002: 737–738).
    "no.meeting": Role.PRINCIPAL,
    "no.referral": Role.PRINCIPAL,
    "dk.detection": Role.MENTOR,
    "dk.mapping": Role.COORDINATOR,
    "dk.measures": Role.COORDINATOR,
}


def stage_owner(stage: str) -> Role:
    return OWNERS[stage]


def first_stage(country: Country) -> str:
    return STAGES[country][0]


def next_stage(country: Country, stage: str) -> str | None:
    """The stage after `stage`, or None at the last."""
    order = STAGES[country]
    index = order.index(stage)
    return order[index + 1] if index + 1 < len(order) else None


def country_of(stage: str) -> Country:
    return Country(stage.split(".", 1)[0].upper())
