# ruff: noqa: E501 - transcripts show each message on one line, as the person sees it.
"""Corrections of past days (dialogs/flows/correction.py) as whole conversations, in Swedish,
Norwegian and Danish; `> {name=value | …}` submits a form.

The clock stands at Monday 23 November 2026, 08:30; see conftest.py for the people.
"""

from datetime import date

from routine.record import DayStatus


async def test_a_swedish_mentor_explains_an_absence_after_a_day_too_far_back(
    chat_as, absence_codes
) -> None:
    await chat_as("se-S1").verify(
        """
    > hej
    < Hej Karin Ek! Vad vill du göra?
    [Upprop] [Dagens anmälda frånvaro] [Kontaktförfrågningar] [Mina ärenden] [Rätta närvaron] [Jag är orolig för en elev] [Mina uppföljningsuppgifter] [Lämna över mina uppgifter] [Språk]
    > [Rätta närvaron]
    < Rätta en dag i närvaron för klass 7A. Rättelsen loggas med ditt namn, hur dagen såg ut före och efter och din motivering. Du kan rätta upp till 10 skoldagar bakåt, i dag medräknad.
    [Avbryt]
    {Rätta närvaron: Elev | Dag (till exempel 23/11) | Det här ska gälla för dagen | Frånvarokod (bara vid frånvaro) | Motivering (sparas i loggen; inga uppgifter om hälsa)}
    > {pupil=P1 | day=9/11 | status=absent | code=illness | reason=Sjukdom bekräftad}
    < Som mentor kan du rätta upp till 10 skoldagar bakåt. Be närvarosamordnaren eller rektor att rätta måndag 9 november 2026.
    <<
    < Rätta en dag i närvaron för klass 7A. Rättelsen loggas med ditt namn, hur dagen såg ut före och efter och din motivering. Du kan rätta upp till 10 skoldagar bakåt, i dag medräknad.
    [Avbryt]
    {Rätta närvaron: Elev | Dag (till exempel 23/11) | Det här ska gälla för dagen | Frånvarokod (bara vid frånvaro) | Motivering (sparas i loggen; inga uppgifter om hälsa)}
    > {pupil=P1 | day=20/11 | status=absent | code=illness | reason=Sjukdom bekräftad av vårdnadshavaren}
    < Rättat: Elsa Berg, fredag 20 november 2026: Inte registrerad → Frånvarande, giltig (Sjukdom).
    < Rättelsen är loggad med ditt namn och din motivering.
    <<
    < Vad mer kan jag hjälpa dig med?
    [Upprop] [Dagens anmälda frånvaro] [Kontaktförfrågningar] [Mina ärenden] [Rätta närvaron] [Jag är orolig för en elev] [Mina uppföljningsuppgifter] [Lämna över mina uppgifter] [Språk]
        """
    )
    (stored,) = absence_codes.store.corrections.values()
    assert (stored.pupil_id, stored.day, stored.corrected_by, stored.reason) == (
        "P1",
        date(2026, 11, 20),
        "S1",
        "Sjukdom bekräftad av vårdnadshavaren",
    )
    assert (stored.status, stored.code, stored.valid, stored.flagged) == (
        DayStatus.ABSENT,
        "illness",
        True,
        False,
    )
    assert stored.before is not None and stored.before.status is DayStatus.UNKNOWN
    assert absence_codes.store.outbox == {}


async def test_a_swedish_principal_chooses_the_class_and_corrects_any_day(
    chat_as, absence_codes
) -> None:
    await chat_as("se-S3").verify(
        """
    > hej
    < Hej Eva Rydberg! Vad vill du göra?
    [Dagens anmälda frånvaro] [Kontaktförfrågningar] [Mina ärenden] [Rätta närvaron] [Ansökningar om ledighet] [Mina uppföljningsuppgifter] [Lämna över mina uppgifter] [Språk]
    > [Rätta närvaron]
    < Vilken klass?
    [7A] [7B] [Avbryt]
    > [7B]
    < Rätta en dag i närvaron för klass 7B. Rättelsen loggas med ditt namn, hur dagen såg ut före och efter och din motivering.
    [Avbryt]
    {Rätta närvaron: Elev | Dag (till exempel 23/11) | Det här ska gälla för dagen | Frånvarokod (bara vid frånvaro) | Motivering (sparas i loggen; inga uppgifter om hälsa)}
    > {pupil=P2 | day=2026-10-26 | status=absent | code= | reason=Enligt klassens pappersjournal}
    < Rättat: Olle Berg, måndag 26 oktober 2026: Inte registrerad → Frånvarande, ännu inte förklarad.
    < Rättelsen är loggad med ditt namn och din motivering.
    <<
    < Vad mer kan jag hjälpa dig med?
    [Dagens anmälda frånvaro] [Kontaktförfrågningar] [Mina ärenden] [Rätta närvaron] [Ansökningar om ledighet] [Mina uppföljningsuppgifter] [Lämna över mina uppgifter] [Språk]
        """
    )


async def test_a_norwegian_mentor_is_told_why_a_weekend_and_the_future_cannot_be_corrected(
    chat_as, world
) -> None:
    await chat_as("no-S1").verify(
        """
    > hei
    < Hei Lise Berg! Hva vil du gjøre?
    [Opprop] [Dagens meldte fravær] [Kontaktforespørsler] [Mine saker] [Rett fraværsføringen] [Jeg er bekymret for en elev] [Oppfølgingsoppgavene mine] [Overlat oppgavene mine] [Språk]
    > [Rett fraværsføringen]
    < Rett en dag i fraværsføringen for klasse 8A. Rettelsen logges med navnet ditt, hvordan dagen så ut før og etter og begrunnelsen din. Du kan rette opptil 10 skoledager tilbake, i dag medregnet.
    [Avbryt]
    {Rett fraværsføringen: Elev | Dag (for eksempel 23.11.) | Dette skal gjelde for dagen | Begrunnelse (lagres i loggen; ingen helseopplysninger)}
    > {pupil=P1 | day=21/11 | status=present | reason=Var på skoletur}
    < Det er ikke skoledag lørdag 21. november 2026.
    <<
    < Rett en dag i fraværsføringen for klasse 8A. Rettelsen logges med navnet ditt, hvordan dagen så ut før og etter og begrunnelsen din. Du kan rette opptil 10 skoledager tilbake, i dag medregnet.
    [Avbryt]
    {Rett fraværsføringen: Elev | Dag (for eksempel 23.11.) | Dette skal gjelde for dagen | Begrunnelse (lagres i loggen; ingen helseopplysninger)}
    > {pupil=P1 | day=24/11 | status=present | reason=Var på skoletur}
    < Du kan rette i dag og tidligere dager, ikke tirsdag 24. november 2026.
    <<
    < Rett en dag i fraværsføringen for klasse 8A. Rettelsen logges med navnet ditt, hvordan dagen så ut før og etter og begrunnelsen din. Du kan rette opptil 10 skoledager tilbake, i dag medregnet.
    [Avbryt]
    {Rett fraværsføringen: Elev | Dag (for eksempel 23.11.) | Dette skal gjelde for dagen | Begrunnelse (lagres i loggen; ingen helseopplysninger)}
    > {pupil=P1 | day=i går | status=present | reason=Var på skoletur}
    < Jeg klarte ikke å lese datoen. Skriv den med tall (for eksempel 23.11.).
    <<
    < Rett en dag i fraværsføringen for klasse 8A. Rettelsen logges med navnet ditt, hvordan dagen så ut før og etter og begrunnelsen din. Du kan rette opptil 10 skoledager tilbake, i dag medregnet.
    [Avbryt]
    {Rett fraværsføringen: Elev | Dag (for eksempel 23.11.) | Dette skal gjelde for dagen | Begrunnelse (lagres i loggen; ingen helseopplysninger)}
    > {pupil=P1 | day=20/11 | status=present | reason=Var på skoletur med klassen}
    < Rettet: Ola Nordmann, fredag 20. november 2026: Ikke registrert → Til stede.
    < Rettelsen er logget med navnet ditt og begrunnelsen din.
    <<
    < Hva annet kan jeg hjelpe deg med?
    [Opprop] [Dagens meldte fravær] [Kontaktforespørsler] [Mine saker] [Rett fraværsføringen] [Jeg er bekymret for en elev] [Oppfølgingsoppgavene mine] [Overlat oppgavene mine] [Språk]
        """
    )
    assert [c.reason for c in world.store.corrections.values()] == ["Var på skoletur med klassen"]


async def test_a_danish_mentor_corrects_to_late_and_the_same_again_changes_nothing(
    chat_as, world
) -> None:
    await chat_as("dk-S1").verify(
        """
    > hej
    < Hej Søren Madsen! Hvad vil du gerne gøre?
    [Fremmøde] [Dagens meldte fravær] [Kontakthenvendelser] [Mine sager] [Ret fraværsregistreringen] [Jeg er bekymret for en elev] [Mine opfølgningsopgaver] [Overdrag mine opgaver] [Sprog]
    > [Ret fraværsregistreringen]
    < Ret en dag i fraværsregistreringen for klasse 6A. Rettelsen logges med dit navn, hvordan dagen så ud før og efter og din begrundelse. Du kan rette op til 10 skoledage tilbage, i dag medregnet.
    [Annuller]
    {Ret registreringen: Elev | Dag (for eksempel 23.11) | Dette skal gælde for dagen | Begrundelse (gemmes i loggen; ingen helbredsoplysninger)}
    > {pupil=P1 | day=20.11 | status=late | reason=Kom for sent, ikke noteret ved fremmødet}
    < Rettet: Emil Hansen, fredag den 20. november 2026: Ikke registreret → For sent.
    < Rettelsen er logget med dit navn og din begrundelse.
    <<
    < Hvad kan jeg ellers hjælpe dig med?
    [Fremmøde] [Dagens meldte fravær] [Kontakthenvendelser] [Mine sager] [Ret fraværsregistreringen] [Jeg er bekymret for en elev] [Mine opfølgningsopgaver] [Overdrag mine opgaver] [Sprog]
    > [Ret fraværsregistreringen]
    < Ret en dag i fraværsregistreringen for klasse 6A. Rettelsen logges med dit navn, hvordan dagen så ud før og efter og din begrundelse. Du kan rette op til 10 skoledage tilbage, i dag medregnet.
    [Annuller]
    {Ret registreringen: Elev | Dag (for eksempel 23.11) | Dette skal gælde for dagen | Begrundelse (gemmes i loggen; ingen helbredsoplysninger)}
    > {pupil=P1 | day=20.11 | status=late | reason=Igen}
    < Det står der allerede for den dag, så intet er ændret.
    <<
    < Ret en dag i fraværsregistreringen for klasse 6A. Rettelsen logges med dit navn, hvordan dagen så ud før og efter og din begrundelse. Du kan rette op til 10 skoledage tilbage, i dag medregnet.
    [Annuller]
    {Ret registreringen: Elev | Dag (for eksempel 23.11) | Dette skal gælde for dagen | Begrundelse (gemmes i loggen; ingen helbredsoplysninger)}
    > [Annuller]
    < Annulleret. Der blev ikke sendt noget.
    <<
    < Hvad kan jeg ellers hjælpe dig med?
    [Fremmøde] [Dagens meldte fravær] [Kontakthenvendelser] [Mine sager] [Ret fraværsregistreringen] [Jeg er bekymret for en elev] [Mine opfølgningsopgaver] [Overdrag mine opgaver] [Sprog]
        """
    )
    assert len(world.store.corrections) == 1
