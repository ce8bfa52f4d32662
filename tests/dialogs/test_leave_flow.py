# ruff: noqa: E501 - transcripts show each message on one line, as the person sees it.
"""Leave requests in the chat: the guardian asks (sv, nb, da), withdraws, and in Denmark is
told what "Anden årsag" means.

The clock stands at Monday 23 November 2026, 08:30; see conftest.py for the people.
"""

from __future__ import annotations

from datetime import date

from dialogs.events import Reply
from dialogs.i18n import _, use_locale
from routine.leave import LeaveStatus
from routine.model import ChatAccount, Guardian, Language
from tests.dialogs.transcript import Chat

MENU_SV = (
    "[Anmäl frånvaro] [Tillbaka i skolan, eller återkalla en anmälan] [Ansök om ledighet] "
    "[Be skolan kontakta mig] [Det är svårt att få mitt barn till skolan] [Språk]"
)


async def test_swedish_guardian_asks_for_leave_and_withdraws_it(chat_as, world) -> None:
    await chat_as("se-G1").verify(
        f"""
    > hej
    < Hej Anna Berg! Vad vill du göra?
    {MENU_SV}
    > [Ansök om ledighet]
    < Vilket barn gäller det?
    [Elsa Berg] [Olle Berg] [Avbryt]
    > [Elsa Berg]
    < Vilken är första lediga dagen? Välj en dag eller skriv ett datum, till exempel 24/11.
    [I dag (mån 23 nov.)] [tis 24 nov.] [ons 25 nov.] [tors 26 nov.] [fre 27 nov.] [mån 30 nov.] [tis 1 dec.] [Avbryt]
    > [tis 24 nov.]
    < Vilken är sista lediga dagen? Välj en dag eller skriv ett datum.
    [tis 24 nov.] [ons 25 nov.] [tors 26 nov.] [fre 27 nov.] [mån 30 nov.] [tis 1 dec.] [ons 2 dec.] [Avbryt]
    > 20/11
    < Sista dagen kan inte vara före första dagen.
    <<
    < Vilken är sista lediga dagen? Välj en dag eller skriv ett datum.
    [tis 24 nov.] [ons 25 nov.] [tors 26 nov.] [fre 27 nov.] [mån 30 nov.] [tis 1 dec.] [ons 2 dec.] [Avbryt]
    > [tors 26 nov.]
    < Skriv kort varför du ansöker om ledighet, högst 200 tecken. Skriv inget om hälsa eller diagnoser.
    [Avbryt]
    > Farmors 90-årsdag i Umeå
    < Titta igenom din ansökan:
    < Barn: Elsa Berg
    < Dagar: tisdag 24 november 2026 till torsdag 26 november 2026 (3 skoldagar)
    < Orsak: Farmors 90-årsdag i Umeå
    [Skicka ansökan] [Börja om] [Avbryt]
    > [Skicka ansökan]
    < Tack. Skolan har tagit emot din ansökan. Rektor beslutar, och du får besked.
    < Barn: Elsa Berg
    < Dagar: tisdag 24 november 2026 till torsdag 26 november 2026 (3 skoldagar)
    < Orsak: Farmors 90-årsdag i Umeå
    <<
    < Vad mer kan jag hjälpa dig med?
    {MENU_SV}
    > [Ansök om ledighet]
    < Dina ansökningar som väntar på skolans svar:
    < • Elsa Berg: tisdag 24 november 2026 till torsdag 26 november 2026
    [Ny ansökan om ledighet] [Återkalla: Elsa Berg, tis 24 nov.] [Avbryt]
    > [Återkalla: Elsa Berg, tis 24 nov.]
    < Din ansökan är återkallad.
    <<
    < Vad mer kan jag hjälpa dig med?
    {MENU_SV}
        """
    )
    (request,) = world.store.leave_requests.values()
    assert (request.pupil_id, request.first_day, request.last_day, request.status) == (
        "P1",
        date(2026, 11, 24),
        date(2026, 11, 26),
        LeaveStatus.WITHDRAWN,
    )


async def test_norwegian_guardian_asks_for_leave_with_typed_dates(chat_as, world) -> None:
    menu = (
        "[Meld fravær] [Tilbake på skolen, eller trekk en fraværsmelding] [Søk om permisjon] "
        "[Be skolen ta kontakt med meg] [Det er vanskelig å få barnet mitt på skolen] [Språk]"
    )
    await chat_as("no-G1").verify(
        f"""
    > hei
    < Hei Kari Nordmann! Hva vil du gjøre?
    {menu}
    > [Søk om permisjon]
    < Hva er første permisjonsdag? Velg en dag eller skriv en dato (for eksempel 24.11.).
    [I dag (man. 23. nov.)] [tir. 24. nov.] [ons. 25. nov.] [tor. 26. nov.] [fre. 27. nov.] [man. 30. nov.] [tir. 1. des.] [Avbryt]
    > 30.11
    < Hva er siste permisjonsdag? Velg en dag eller skriv en dato.
    [man. 30. nov.] [tir. 1. des.] [ons. 2. des.] [tor. 3. des.] [fre. 4. des.] [man. 7. des.] [tir. 8. des.] [Avbryt]
    > 2.12
    < Skriv kort hvorfor du søker om permisjon, høyst 200 tegn. Ikke skriv noe om helse eller diagnoser.
    [Avbryt]
    > Familiebesøk i Tromsø
    < Se over søknaden din:
    < Barn: Ola Nordmann
    < Dager: mandag 30. november 2026 til onsdag 2. desember 2026 (3 skoledager)
    < Årsak: Familiebesøk i Tromsø
    [Send søknaden] [Begynn på nytt] [Avbryt]
    > [Send søknaden]
    < Takk. Skolen har mottatt søknaden din. Rektor avgjør den, og du får beskjed.
    < Barn: Ola Nordmann
    < Dager: mandag 30. november 2026 til onsdag 2. desember 2026 (3 skoledager)
    < Årsak: Familiebesøk i Tromsø
    <<
    < Hva annet kan jeg hjelpe deg med?
    {menu}
        """
    )
    assert [r.status for r in world.store.leave_requests.values()] == [LeaveStatus.PENDING]


async def test_danish_guardian_is_asked_again_for_a_weekend_and_a_long_reason(
    chat_as, world
) -> None:
    long_reason = "Familiefest i Aarhus " * 10
    await chat_as("dk-G1").verify(
        f"""
    > hej
    < Hej Mette Hansen! Hvad vil du gerne gøre?
    [Meld fravær] [Tilbage i skolen, eller træk en fraværsmelding tilbage] [Søg om ekstraordinær frihed] [Bed skolen om at kontakte mig] [Det er svært at få mit barn i skole] [Sprog]
    > [Søg om ekstraordinær frihed]
    < Hvad er den første dag med ekstraordinær frihed? Vælg en dag, eller skriv en dato, for eksempel 24.11.
    [I dag (man. 23. nov.)] [tirs. 24. nov.] [ons. 25. nov.] [tors. 26. nov.] [fre. 27. nov.] [man. 30. nov.] [tirs. 1. dec.] [Annuller]
    > 28.11
    < Der er ikke skole lørdag den 28. november 2026. Vælg en skoledag.
    <<
    < Hvad er den første dag med ekstraordinær frihed? Vælg en dag, eller skriv en dato, for eksempel 24.11.
    [I dag (man. 23. nov.)] [tirs. 24. nov.] [ons. 25. nov.] [tors. 26. nov.] [fre. 27. nov.] [man. 30. nov.] [tirs. 1. dec.] [Annuller]
    > [ons. 25. nov.]
    < Hvad er den sidste dag med ekstraordinær frihed? Vælg en dag, eller skriv en dato.
    [ons. 25. nov.] [tors. 26. nov.] [fre. 27. nov.] [man. 30. nov.] [tirs. 1. dec.] [ons. 2. dec.] [tors. 3. dec.] [Annuller]
    > [fre. 27. nov.]
    < Skriv kort, hvorfor du søger om ekstraordinær frihed, højst 200 tegn. Skriv ikke noget om helbred eller diagnoser.
    [Annuller]
    > {long_reason}
    < Begrundelsen er for lang: højst 200 tegn.
    <<
    < Skriv kort, hvorfor du søger om ekstraordinær frihed, højst 200 tegn. Skriv ikke noget om helbred eller diagnoser.
    [Annuller]
    > Familiefest
    < Tjek din ansøgning:
    < Barn: Emil Hansen
    < Dage: onsdag den 25. november 2026 til fredag den 27. november 2026 (3 skoledage)
    < Årsag: Familiefest
    [Send ansøgningen] [Start forfra] [Annuller]
    > [Send ansøgningen]
    < Tak. Skolen har modtaget din ansøgning. Skolelederen træffer afgørelsen, og du får besked.
    < Barn: Emil Hansen
    < Dage: onsdag den 25. november 2026 til fredag den 27. november 2026 (3 skoledage)
    < Årsag: Familiefest
    <<
    < Hvad kan jeg ellers hjælpe dig med?
    [Meld fravær] [Tilbage i skolen, eller træk en fraværsmelding tilbage] [Søg om ekstraordinær frihed] [Bed skolen om at kontakte mig] [Det er svært at få mit barn i skole] [Sprog]
        """
    )
    (request,) = world.store.leave_requests.values()
    assert request.reason == "Familiefest"


async def test_a_danish_other_reason_is_explained_kindly_and_leave_offered(chat_as) -> None:
    """004: 2446–2460: absence for another reason than illness is unlawful without the
    school's permission (ekstraordinær frihed)."""
    await chat_as("dk-G1").verify(
        """
    > hej
    < Hej Mette Hansen! Hvad vil du gerne gøre?
    [Meld fravær] [Tilbage i skolen, eller træk en fraværsmelding tilbage] [Søg om ekstraordinær frihed] [Bed skolen om at kontakte mig] [Det er svært at få mit barn i skole] [Sprog]
    > [Meld fravær]
    < Hvorfor er Emil Hansen fraværende?
    [Syg] [Læge- eller tandlægebesøg] [Anden årsag] [Annuller]
    > [Anden årsag]
    < Hvornår?
    [I dag] [I dag og i morgen] [Andre dage] [Annuller]
    > [I dag]
    < Hele dagen eller en del af dagen?
    [Hele dagen] [Kommer senere] [Går tidligere] [Annuller]
    > [Hele dagen]
    < Vil du tilføje en kort besked til skolen? Skriv ikke noget om helbred eller diagnoser. Skriv beskeden, eller vælg »Ingen besked«.
    [Ingen besked] [Annuller]
    > [Ingen besked]
    < Tjek din fraværsmelding:
    < Barn: Emil Hansen
    < Årsag: Anden årsag
    < Hvornår: mandag den 23. november 2026, hele dagen
    <
    < Godt at vide: Fravær af andre grunde end sygdom eller læge-/tandlægebesøg er ulovligt fravær, medmindre skolen har bevilget ekstraordinær frihed. Vil du gerne have skolens tilladelse, kan du søge om ekstraordinær frihed i stedet.
    [Send fraværsmeldingen] [Søg om ekstraordinær frihed i stedet] [Start forfra] [Annuller]
    > [Søg om ekstraordinær frihed i stedet]
    < Hvad er den første dag med ekstraordinær frihed? Vælg en dag, eller skriv en dato, for eksempel 24.11.
    [I dag (man. 23. nov.)] [tirs. 24. nov.] [ons. 25. nov.] [tors. 26. nov.] [fre. 27. nov.] [man. 30. nov.] [tirs. 1. dec.] [Annuller]
        """
    )


async def _confirm_other_reason(chat: Chat, labels: dict[str, str]) -> Reply:
    await chat.send("/start")
    for step in ("report", "other", "today", "whole", "no_note"):
        replies = await chat.send(f"[{labels[step]}]")
    return replies[-1]


def _labels(locale: str) -> dict[str, str]:
    with use_locale(locale):
        return {
            "report": _("Report an absence"),
            "other": _("Other reason"),
            "today": _("Today"),
            "whole": _("The whole day"),
            "no_note": _("No note"),
            "leave": _("Ask for leave instead"),
        }


async def test_a_swedish_speaking_guardian_of_a_danish_school_reads_it_in_swedish(
    chat_as, world
) -> None:
    async with world() as uow:
        await uow.guardians.save(
            Guardian("dk", "G2", "Astrid Lund", Language.SV, pupil_ids=("P1",))
        )
        await uow.accounts.save(ChatAccount("test", "dk-G2", "dk", "guardian", "G2"))
        await uow.commit()
    confirm = await _confirm_other_reason(chat_as("dk-G2"), _labels("sv"))
    assert "olovlig frånvaro" in confirm.text
    assert _labels("sv")["leave"] in [b.label for b in confirm.buttons]


async def test_outside_denmark_other_reason_gets_no_such_warning(chat_as) -> None:
    confirm = await _confirm_other_reason(chat_as("no-G1"), _labels("nb"))
    assert _labels("nb")["leave"] not in [b.label for b in confirm.buttons]
    assert "ulovlig" not in confirm.text
