"""The unreported-absences job on the fakes: guardians asked in their language, each mentor's
list, what a report takes off it, and that twice is once."""

from __future__ import annotations

from dialogs.i18n import _, format_day, use_locale
from dialogs.labels import REASONS, mid_sentence
from routine.model import ReasonCategory
from tests.scheduler.jobs.support import MONDAY, anna_reports_elsa, queued, run


async def test_guardians_of_unreported_absences_are_asked_in_their_language(factory) -> None:
    await run(factory, "unreported-absences")
    prompts = [m for m in queued(factory) if m.kind == "unreported-prompt"]
    assert [(m.platform, m.recipient) for m in prompts] == [
        ("telegram", "1001"),
        ("telegram", "1003"),
    ]
    with use_locale("da"):
        day_in_danish = format_day(MONDAY)
    assert prompts[0].text.startswith("Elsa Berg ")
    assert prompts[1].text.startswith("Maja Lind ") and day_in_danish in prompts[1].text


async def test_each_mentor_gets_the_list_for_their_classes(factory) -> None:
    await run(factory, "unreported-absences")
    lists = {m.recipient: m for m in queued(factory) if m.kind == "follow-up-list"}
    assert list(lists) == ["U1"]  # Olle (7B) is reported ill, so Jonas gets no list
    lines = lists["U1"].text.splitlines()
    with use_locale("sv"):
        asked = _("asked the guardians in chat; no answer yet.")
        contact = _("Contact the guardian of {name}")
    # Maja's guardians: Per has no chat account, but Sara is on Telegram.
    assert lines[1:3] == [f"• Elsa Berg (7A): {asked}", f"• Maja Lind (7A): {asked}"]
    assert len(lines) == 4
    follow_ups = sorted(factory.store.follow_ups.values(), key=lambda f: f.pupil_id)
    assert [(f.pupil_id, f.day, f.reachable) for f in follow_ups] == [
        ("P1", MONDAY, True),
        ("P2", MONDAY, True),
    ]
    assert [(b.id, b.label) for b in lists["U1"].buttons] == [
        (f"f.{follow_ups[0].id}.contact", contact.format(name="Elsa Berg")),
        (f"f.{follow_ups[1].id}.contact", contact.format(name="Maja Lind")),
    ]
    assert lists["U1"].slot == "follow-up:2026-11-23"


async def test_the_mentor_is_told_to_phone_when_no_guardian_is_in_chat(factory) -> None:
    async with factory() as uow:
        await uow.accounts.delete("telegram", "1003")
        await uow.commit()
    await run(factory, "unreported-absences")
    (mentor_list,) = [m.text for m in queued(factory) if m.kind == "follow-up-list"]
    with use_locale("sv"):
        phone = _("no guardian can be reached in chat: please phone.")
    assert mentor_list.splitlines()[2] == f"• Maja Lind (7A): {phone}"
    maja = next(f for f in factory.store.follow_ups.values() if f.pupil_id == "P2")
    assert maja.reachable is False


async def test_running_the_job_twice_queues_nothing_twice(factory) -> None:
    first = await run(factory, "unreported-absences")
    second = await run(factory, "unreported-absences")
    assert first == (
        "0 roll call(s) not answered, 2 unreported absence(s); "
        "3 message(s) queued, 0 already queued"
    )
    # The mentor's list shows nothing new, so it is not queued again.
    assert second == (
        "0 roll call(s) not answered, 2 unreported absence(s); "
        "0 message(s) queued, 3 already queued"
    )
    assert len(queued(factory)) == 3
    assert len(factory.store.follow_ups) == 2


async def test_a_report_arriving_later_takes_the_pupil_off_the_list(factory) -> None:
    await anna_reports_elsa(factory, ReasonCategory.ILLNESS)
    summary = await run(factory, "unreported-absences")
    assert summary.startswith("0 roll call(s) not answered, 1 unreported absence(s)")


async def test_another_reason_stays_on_the_list_for_staff_to_judge(factory) -> None:
    # Valid absence is illness, an appointment or granted leave (000: 783–788): "other reason"
    # is judged by staff, and the guardian who reported is not asked again.
    await anna_reports_elsa(factory, ReasonCategory.OTHER)
    summary = await run(factory, "unreported-absences")
    assert summary.startswith("0 roll call(s) not answered, 2 unreported absence(s)")
    prompts = [m for m in queued(factory) if m.kind == "unreported-prompt"]
    assert [m.recipient for m in prompts] == ["1003"]
    (mentor_list,) = [m.text for m in queued(factory) if m.kind == "follow-up-list"]
    with use_locale("sv"):
        judge = _(
            "the guardian has reported: {reason}. Valid only if the school judges so: contact "
            "the guardian and record whether it is valid."
        ).format(reason=mid_sentence(REASONS[ReasonCategory.OTHER]))
    assert f"• Elsa Berg (7A): {judge}" in mentor_list.splitlines()
    await run(factory, "end-of-day")
    elsa = next(m for m in factory.store.marks.values() if m.pupil_id == "P1")
    assert (elsa.explained, elsa.valid, elsa.code) == (False, None, "other")


async def test_each_prompt_carries_its_answers_as_buttons_and_is_stored_once(factory) -> None:
    await run(factory, "unreported-absences")
    await run(factory, "unreported-absences")
    prompts = sorted(factory.store.prompts.values(), key=lambda p: p.pupil_id)
    assert [(p.pupil_id, p.guardian_id, p.day) for p in prompts] == [
        ("P1", "G1", MONDAY),
        ("P2", "G3", MONDAY),
    ]
    elsa = next(m for m in queued(factory) if m.recipient == "1001")
    assert [b.id for b in elsa.buttons] == [
        f"p.{prompts[0].token}.{answer}" for answer in ("ill", "other", "call_me", "mistake")
    ]
    assert [b.label for b in elsa.buttons][:2] == ["Sjuk", "Annan orsak"]
