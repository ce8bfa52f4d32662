"""Whole conversations, as the person sees them, in Swedish, Norwegian and Danish: guardians
reporting, shortening and withdrawing absences, changing language, and staff seeing them.

The clock stands at Monday 23 November 2026, 08:30; see conftest.py for the people.
"""

import dataclasses


async def test_swedish_guardian_reports_two_days_and_only_that_class_s_mentor_sees_it(
    chat_as,
) -> None:
    """Anna has two children in different classes; a date she types wrong is asked again."""
    await chat_as("se-G1").verify(
        """
    > hej
    < Hej Anna Berg! Vad vill du göra?
    [Anmäl frånvaro] [Tillbaka i skolan, eller återkalla en anmälan] [Ansök om ledighet] [Be skolan kontakta mig] [Det är svårt att få mitt barn till skolan] [Språk]
    > [Anmäl frånvaro]
    < Vilket barn gäller det?
    [Elsa Berg] [Olle Berg] [Avbryt]
    > [Olle Berg]
    < Varför är Olle Berg frånvarande?
    [Sjuk] [Läkar- eller tandläkarbesök] [Annan orsak] [Avbryt]
    > [Sjuk]
    < När?
    [I dag] [I dag och i morgon] [Andra dagar] [Avbryt]
    > [Andra dagar]
    < Vilken är första dagen? Välj en dag eller skriv ett datum, till exempel 24/11.
    [I dag (mån 23 nov.)] [tis 24 nov.] [ons 25 nov.] [tors 26 nov.] [fre 27 nov.] [mån 30 nov.] [tis 1 dec.] [Avbryt]
    > nästa vecka
    < Jag kunde inte läsa datumet. Skriv det så här: 24/11.
    <<
    < Vilken är första dagen? Välj en dag eller skriv ett datum, till exempel 24/11.
    [I dag (mån 23 nov.)] [tis 24 nov.] [ons 25 nov.] [tors 26 nov.] [fre 27 nov.] [mån 30 nov.] [tis 1 dec.] [Avbryt]
    > [I dag (mån 23 nov.)]
    < Vilken är sista frånvarodagen? Välj en dag eller skriv ett datum.
    [I dag (mån 23 nov.)] [tis 24 nov.] [ons 25 nov.] [tors 26 nov.] [fre 27 nov.] [mån 30 nov.] [tis 1 dec.] [Avbryt]
    > [tis 24 nov.]
    < Vill du lägga till ett kort meddelande till skolan? Skriv inte något om hälsa eller diagnoser. Skriv ditt meddelande eller välj ”Inget meddelande”.
    [Inget meddelande] [Avbryt]
    > Tandläkare kl 10
    < Titta igenom din anmälan:
    < Barn: Olle Berg
    < Orsak: Sjuk
    < När: måndag 23 november 2026 till tisdag 24 november 2026
    < Meddelande: Tandläkare kl 10
    [Skicka anmälan] [Börja om] [Avbryt]
    > [Skicka anmälan]
    < Tack! Skolan har fått din anmälan. Referensnummer: 1.
    < Barn: Olle Berg
    < Orsak: Sjuk
    < När: måndag 23 november 2026 till tisdag 24 november 2026
    < Meddelande: Tandläkare kl 10
    <<
    < Vad mer kan jag hjälpa dig med?
    [Anmäl frånvaro] [Tillbaka i skolan, eller återkalla en anmälan] [Ansök om ledighet] [Be skolan kontakta mig] [Det är svårt att få mitt barn till skolan] [Språk]
        """
    )
    await chat_as("se-S2").verify(
        """
    > hej
    < Hej Jonas Ahl! Vad vill du göra?
    [Upprop] [Dagens anmälda frånvaro] [Kontaktförfrågningar] [Mina ärenden] [Rätta närvaron] [Jag är orolig för en elev] [Mina uppföljningsuppgifter] [Lämna över mina uppgifter] [Språk]
    > [Dagens anmälda frånvaro]
    < Anmäld frånvaro måndag 23 november 2026
    <
    < Klass 7B
    < • Olle Berg: Sjuk, hela dagen — meddelande: Tandläkare kl 10
    <<
    < Vad mer kan jag hjälpa dig med?
    [Upprop] [Dagens anmälda frånvaro] [Kontaktförfrågningar] [Mina ärenden] [Rätta närvaron] [Jag är orolig för en elev] [Mina uppföljningsuppgifter] [Lämna över mina uppgifter] [Språk]
        """
    )
    await chat_as("se-S1").verify(
        """
    > hej
    < Hej Karin Ek! Vad vill du göra?
    [Upprop] [Dagens anmälda frånvaro] [Kontaktförfrågningar] [Mina ärenden] [Rätta närvaron] [Jag är orolig för en elev] [Mina uppföljningsuppgifter] [Lämna över mina uppgifter] [Språk]
    > [Dagens anmälda frånvaro]
    < Anmäld frånvaro måndag 23 november 2026
    <
    < Klass 7A
    < Ingen anmäld frånvaro.
    <<
    < Vad mer kan jag hjälpa dig med?
    [Upprop] [Dagens anmälda frånvaro] [Kontaktförfrågningar] [Mina ärenden] [Rätta närvaron] [Jag är orolig för en elev] [Mina uppföljningsuppgifter] [Lämna över mina uppgifter] [Språk]
        """
    )


async def test_norwegian_guardian_reports_leaving_early_and_the_mentor_sees_it(chat_as) -> None:
    """One child, so no child question; an impossible time is asked again."""
    await chat_as("no-G1").verify(
        """
    > hei
    < Hei Kari Nordmann! Hva vil du gjøre?
    [Meld fravær] [Tilbake på skolen, eller trekk en fraværsmelding] [Søk om permisjon] [Be skolen ta kontakt med meg] [Det er vanskelig å få barnet mitt på skolen] [Språk]
    > [Meld fravær]
    < Hvorfor har Ola Nordmann fravær?
    [Syk] [Lege- eller tannlegetime] [Annen årsak] [Avbryt]
    > [Annen årsak]
    < Når?
    [I dag] [I dag og i morgen] [Andre dager] [Avbryt]
    > [I dag]
    < Hele dagen eller en del av dagen?
    [Hele dagen] [Kommer senere] [Går tidligere] [Avbryt]
    > [Går tidligere]
    < Når må Ola Nordmann gå fra skolen? Skriv et klokkeslett, for eksempel 13:15.
    [Avbryt]
    > 25:00
    < Jeg klarte ikke å lese klokkeslettet. Skriv det slik: 10:30.
    <<
    < Når må Ola Nordmann gå fra skolen? Skriv et klokkeslett, for eksempel 13:15.
    [Avbryt]
    > 13.15
    < Vil du legge til en kort beskjed til skolen? Ikke skriv noe om helse eller diagnoser. Skriv beskjeden, eller velg «Ingen beskjed».
    [Ingen beskjed] [Avbryt]
    > [Ingen beskjed]
    < Se over fraværsmeldingen din:
    < Barn: Ola Nordmann
    < Årsak: Annen årsak
    < Når: mandag 23. november 2026, går kl. 13:15
    [Send fraværsmeldingen] [Begynn på nytt] [Avbryt]
    > [Send fraværsmeldingen]
    < Takk! Skolen har mottatt fraværsmeldingen din. Referansenummer: 1.
    < Barn: Ola Nordmann
    < Årsak: Annen årsak
    < Når: mandag 23. november 2026, går kl. 13:15
    <<
    < Hva annet kan jeg hjelpe deg med?
    [Meld fravær] [Tilbake på skolen, eller trekk en fraværsmelding] [Søk om permisjon] [Be skolen ta kontakt med meg] [Det er vanskelig å få barnet mitt på skolen] [Språk]
        """
    )
    await chat_as("no-S1").verify(
        """
    > hei
    < Hei Lise Berg! Hva vil du gjøre?
    [Opprop] [Dagens meldte fravær] [Kontaktforespørsler] [Mine saker] [Rett fraværsføringen] [Jeg er bekymret for en elev] [Oppfølgingsoppgavene mine] [Overlat oppgavene mine] [Språk]
    > [Dagens meldte fravær]
    < Meldt fravær mandag 23. november 2026
    <
    < Klasse 8A
    < • Ola Nordmann: Annen årsak, går kl. 13:15
    <<
    < Hva annet kan jeg hjelpe deg med?
    [Opprop] [Dagens meldte fravær] [Kontaktforespørsler] [Mine saker] [Rett fraværsføringen] [Jeg er bekymret for en elev] [Oppfølgingsoppgavene mine] [Overlat oppgavene mine] [Språk]
        """
    )


async def test_danish_guardian_reports_arriving_late_then_withdraws_it(chat_as) -> None:
    """A withdrawn report no longer shows for the mentor."""
    await chat_as("dk-G1").verify(
        """
    > hej
    < Hej Mette Hansen! Hvad vil du gerne gøre?
    [Meld fravær] [Tilbage i skolen, eller træk en fraværsmelding tilbage] [Søg om ekstraordinær frihed] [Bed skolen om at kontakte mig] [Det er svært at få mit barn i skole] [Sprog]
    > [Meld fravær]
    < Hvorfor er Emil Hansen fraværende?
    [Syg] [Læge- eller tandlægebesøg] [Anden årsag] [Annuller]
    > [Syg]
    < Hvornår?
    [I dag] [I dag og i morgen] [Andre dage] [Annuller]
    > [I dag]
    < Hele dagen eller en del af dagen?
    [Hele dagen] [Kommer senere] [Går tidligere] [Annuller]
    > [Kommer senere]
    < Hvornår kommer Emil Hansen i skole? Skriv et klokkeslæt, for eksempel 10.30.
    [Annuller]
    > kl 10
    < Jeg kunne ikke læse klokkeslættet. Skriv det sådan her: 10.30.
    <<
    < Hvornår kommer Emil Hansen i skole? Skriv et klokkeslæt, for eksempel 10.30.
    [Annuller]
    > 10.30
    < Vil du tilføje en kort besked til skolen? Skriv ikke noget om helbred eller diagnoser. Skriv beskeden, eller vælg »Ingen besked«.
    [Ingen besked] [Annuller]
    > [Ingen besked]
    < Tjek din fraværsmelding:
    < Barn: Emil Hansen
    < Årsag: Syg
    < Hvornår: mandag den 23. november 2026, kommer kl. 10.30
    [Send fraværsmeldingen] [Start forfra] [Annuller]
    > [Send fraværsmeldingen]
    < Tak! Skolen har modtaget din fraværsmelding. Referencenummer: 1.
    < Barn: Emil Hansen
    < Årsag: Syg
    < Hvornår: mandag den 23. november 2026, kommer kl. 10.30
    <<
    < Hvad kan jeg ellers hjælpe dig med?
    [Meld fravær] [Tilbage i skolen, eller træk en fraværsmelding tilbage] [Søg om ekstraordinær frihed] [Bed skolen om at kontakte mig] [Det er svært at få mit barn i skole] [Sprog]
    > [Tilbage i skolen, eller træk en fraværsmelding tilbage]
    < Hvilken fraværsmelding?
    [Emil Hansen: man. 23. nov.] [Annuller]
    > [Emil Hansen: man. 23. nov.]
    < Emil Hansen, mandag den 23. november 2026, kommer kl. 10.30. Hvad vil du gerne gøre?
    [Træk fraværsmeldingen tilbage] [Behold fraværsmeldingen] [Annuller]
    > [Træk fraværsmeldingen tilbage]
    < Fraværsmeldingen for Emil Hansen (mandag den 23. november 2026) er trukket tilbage.
    <<
    < Hvad kan jeg ellers hjælpe dig med?
    [Meld fravær] [Tilbage i skolen, eller træk en fraværsmelding tilbage] [Søg om ekstraordinær frihed] [Bed skolen om at kontakte mig] [Det er svært at få mit barn i skole] [Sprog]
        """
    )
    await chat_as("dk-S1").verify(
        """
    > hej
    < Hej Søren Madsen! Hvad vil du gerne gøre?
    [Fremmøde] [Dagens meldte fravær] [Kontakthenvendelser] [Mine sager] [Ret fraværsregistreringen] [Jeg er bekymret for en elev] [Mine opfølgningsopgaver] [Overdrag mine opgaver] [Sprog]
    > [Dagens meldte fravær]
    < Meldt fravær mandag den 23. november 2026
    <
    < Klasse 6A
    < Intet meldt fravær.
    <<
    < Hvad kan jeg ellers hjælpe dig med?
    [Fremmøde] [Dagens meldte fravær] [Kontakthenvendelser] [Mine sager] [Ret fraværsregistreringen] [Jeg er bekymret for en elev] [Mine opfølgningsopgaver] [Overdrag mine opgaver] [Sprog]
        """
    )


async def test_back_at_school_shortens_a_report_and_then_only_withdrawal_is_left(chat_as) -> None:
    """Back on Tuesday leaves Monday reported; a one-day report can only be withdrawn or kept."""
    await chat_as("se-G1").verify(
        """
    > hej
    < Hej Anna Berg! Vad vill du göra?
    [Anmäl frånvaro] [Tillbaka i skolan, eller återkalla en anmälan] [Ansök om ledighet] [Be skolan kontakta mig] [Det är svårt att få mitt barn till skolan] [Språk]
    > [Anmäl frånvaro]
    < Vilket barn gäller det?
    [Elsa Berg] [Olle Berg] [Avbryt]
    > [Elsa Berg]
    < Varför är Elsa Berg frånvarande?
    [Sjuk] [Läkar- eller tandläkarbesök] [Annan orsak] [Avbryt]
    > [Annan orsak]
    < När?
    [I dag] [I dag och i morgon] [Andra dagar] [Avbryt]
    > [I dag och i morgon]
    < Vill du lägga till ett kort meddelande till skolan? Skriv inte något om hälsa eller diagnoser. Skriv ditt meddelande eller välj ”Inget meddelande”.
    [Inget meddelande] [Avbryt]
    > [Inget meddelande]
    < Titta igenom din anmälan:
    < Barn: Elsa Berg
    < Orsak: Annan orsak
    < När: måndag 23 november 2026 till tisdag 24 november 2026
    [Skicka anmälan] [Börja om] [Avbryt]
    > [Skicka anmälan]
    < Tack! Skolan har fått din anmälan. Referensnummer: 1.
    < Barn: Elsa Berg
    < Orsak: Annan orsak
    < När: måndag 23 november 2026 till tisdag 24 november 2026
    <<
    < Vad mer kan jag hjälpa dig med?
    [Anmäl frånvaro] [Tillbaka i skolan, eller återkalla en anmälan] [Ansök om ledighet] [Be skolan kontakta mig] [Det är svårt att få mitt barn till skolan] [Språk]
    > [Tillbaka i skolan, eller återkalla en anmälan]
    < Vilken anmälan?
    [Elsa Berg: mån 23 nov. – tis 24 nov.] [Avbryt]
    > [Elsa Berg: mån 23 nov. – tis 24 nov.]
    < Elsa Berg, måndag 23 november 2026 till tisdag 24 november 2026. Vad vill du göra?
    [Tillbaka tidigare] [Återkalla anmälan] [Behåll anmälan] [Avbryt]
    > [Tillbaka tidigare]
    < Vilken dag är Elsa Berg tillbaka i skolan?
    [tis 24 nov.] [Avbryt]
    > [tis 24 nov.]
    < Noterat: Elsa Berg är tillbaka i skolan tisdag 24 november 2026.
    <<
    < Vad mer kan jag hjälpa dig med?
    [Anmäl frånvaro] [Tillbaka i skolan, eller återkalla en anmälan] [Ansök om ledighet] [Be skolan kontakta mig] [Det är svårt att få mitt barn till skolan] [Språk]
    > [Tillbaka i skolan, eller återkalla en anmälan]
    < Vilken anmälan?
    [Elsa Berg: mån 23 nov.] [Avbryt]
    > [Elsa Berg: mån 23 nov.]
    < Elsa Berg, måndag 23 november 2026, hela dagen. Vad vill du göra?
    [Återkalla anmälan] [Behåll anmälan] [Avbryt]
        """
    )


async def test_a_guardian_changes_language_and_keeps_it(chat_as) -> None:
    """Kari chooses Danish; the next greeting is Danish too."""
    await chat_as("no-G1").verify(
        """
    > hei
    < Hei Kari Nordmann! Hva vil du gjøre?
    [Meld fravær] [Tilbake på skolen, eller trekk en fraværsmelding] [Søk om permisjon] [Be skolen ta kontakt med meg] [Det er vanskelig å få barnet mitt på skolen] [Språk]
    > [Språk]
    < Hvilket språk vil du bruke?
    [Svenska] [Norsk bokmål] [Dansk] [Avbryt]
    > [Dansk]
    < Fra nu af skriver jeg til dig på dansk.
    <<
    < Hvad kan jeg ellers hjælpe dig med?
    [Meld fravær] [Tilbage i skolen, eller træk en fraværsmelding tilbage] [Søg om ekstraordinær frihed] [Bed skolen om at kontakte mig] [Det er svært at få mit barn i skole] [Sprog]
    > /menu
    < Hej Kari Nordmann! Hvad vil du gerne gøre?
    [Meld fravær] [Tilbage i skolen, eller træk en fraværsmelding tilbage] [Søg om ekstraordinær frihed] [Bed skolen om at kontakte mig] [Det er svært at få mit barn i skole] [Sprog]
        """
    )


async def test_a_principal_sees_every_class_and_a_coordinator_without_classes_is_not_offered(
    chat_as, world
) -> None:
    """Nothing reported today: every class says so. The principal takes no roll call; the
    coordinator, with no class, is offered neither the roll call nor a class's day; a mentor
    whose class is gone from the school file is told to ask the administrator."""
    await chat_as("se-S3").verify(
        """
    > hej
    < Hej Eva Rydberg! Vad vill du göra?
    [Dagens anmälda frånvaro] [Kontaktförfrågningar] [Mina ärenden] [Rätta närvaron] [Ansökningar om ledighet] [Mina uppföljningsuppgifter] [Lämna över mina uppgifter] [Språk]
    > [Dagens anmälda frånvaro]
    < Anmäld frånvaro måndag 23 november 2026
    <
    < Klass 7A
    < Ingen anmäld frånvaro.
    <
    < Klass 7B
    < Ingen anmäld frånvaro.
    <<
    < Vad mer kan jag hjälpa dig med?
    [Dagens anmälda frånvaro] [Kontaktförfrågningar] [Mina ärenden] [Rätta närvaron] [Ansökningar om ledighet] [Mina uppföljningsuppgifter] [Lämna över mina uppgifter] [Språk]
        """
    )
    await chat_as("se-S4").verify(
        """
    > hej
    < Hej Nils Holm! Vad vill du göra?
    [Mina ärenden] [Rätta närvaron] [Mina uppföljningsuppgifter] [Lämna över mina uppgifter] [Språk]
        """
    )
    async with world() as uow:
        karin = await uow.staff.get("se", "S1")
        await uow.staff.save(dataclasses.replace(karin, classes=("9Z",)))
        await uow.commit()
    karin_chat = chat_as("se-S1")
    await karin_chat.send("hej")
    replies = await karin_chat.send("[Dagens anmälda frånvaro]")
    assert replies[0].text == (
        "Du har inga klasser i skolans inställningar. Fråga skolans administratör."
    )
