"""Guardians on Telegram, end to end: the real `narvaro run` process, python-telegram-bot's real
HTTP calls to a fake Bot API on 127.0.0.1, and a real database (SQLite and PostgreSQL) with the
three demo schools. The guardians press the buttons they see, by their labels, as people do.

One `narvaro run` serves the module per backend; every test has people of its own. The clock
stands at Monday 23 November 2026, 08:30 (`MONDAY_MORNING`): a school day at all three schools.
"""

from __future__ import annotations

import asyncio
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import create_engine, text

from dialogs.engine import ONLY_PRIVATE
from dialogs.flows.welcome import privacy_notice
from dialogs.i18n import format_day, language_name, use_locale
from dialogs.linking import NOT_LINKED, REFUSALS, WRONG_CODE
from routine.invites import InviteError
from routine.outbox import DeliveryStatus, OutboxMessage, OutgoingButton
from scheduler.schedule import sync_database_url
from tests.bot.process import run_narvaro
from tests.conftest import BACKENDS
from tests.telegram.fake_bot_api import Chat, FakeBotApi, TelegramUser
from tests.telegram.people import Person, say_in
from tests.telegram.service import (
    Service,
    load_demo_schools,
    module_database,
    running_service,
)

SE, NO, DK = "se-bjorkangen", "no-furulund", "dk-egebjerg"
USER_IDS = itertools.count(610_000_001)


@pytest.fixture(scope="module", params=BACKENDS)
def service(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp(f"telegram-{request.param}")
    with module_database(request, request.param, folder) as database:
        asyncio.run(load_demo_schools(database))
        with FakeBotApi().running() as api, running_service(database, api, folder) as running:
            yield running


def person(service: Service, language_code: str | None, name: str = "Someone") -> Person:
    return Person(service.api, TelegramUser(next(USER_IDS), name, language_code))


def in_locale(locale: str, message) -> str:
    with use_locale(locale):
        return message() if callable(message) else str(message)


def linked(service: Service, school: str, guardian: str, locale: str) -> Person:
    """A guardian who has linked with their code and chosen their language: at the menu."""
    someone = person(service, locale)
    someone.say(f"/start {service.invite(school, guardian)}")
    someone.press(language_name(locale))
    return someone


@dataclass(frozen=True)
class Family:
    locale: str
    school: str
    school_name: str
    guardian: str
    guardian_name: str
    pupil: str
    pupil_name: str


FAMILIES = [
    Family("sv", SE, "Björkängsskolan", "G-SE-001", "Karin Nilsson", "P-SE-001", "Alva Nilsson"),
    Family(
        "nb", NO, "Furulund ungdomsskole", "G-NO-001", "Marte Hansen", "P-NO-001", "Nora Hansen"
    ),
    Family(
        "da", DK, "Egebjerg Skole", "G-DK-001", "Pernille Nielsen", "P-DK-001", "Freja Nielsen"
    ),
]


@pytest.mark.parametrize("family", FAMILIES, ids=lambda family: family.locale)
def test_a_guardian_links_chooses_a_language_and_reports_an_absence(
    service: Service, family: Family
) -> None:
    locale = family.locale

    def t(msgid: str) -> str:
        return say_in(locale, msgid)

    guardian = person(service, locale, family.guardian_name.split()[0])
    (welcome,) = guardian.say(f"/start {service.invite(family.school, family.guardian)}")
    assert welcome.text.splitlines()[0] == t(
        "Welcome, {name}! This chat is now linked to {school}."
    ).format(name=family.guardian_name, school=family.school_name)
    others = [language_name(code) for code in ("sv", "nb", "da") if code != locale]
    assert welcome.labels == [language_name(locale), *others]

    privacy, menu = guardian.press(language_name(locale))
    assert privacy.text == in_locale(locale, privacy_notice)
    assert t("Report an absence") in menu.labels

    (reason,) = guardian.press(t("Report an absence"))
    assert reason.text == t("Why is {name} absent?").format(name=family.pupil_name)
    (when,) = guardian.press(t("Ill"))
    assert when.text == t("When?")
    (part,) = guardian.press(t("Today"))
    assert part.text == t("The whole day, or part of it?")
    guardian.press(t("The whole day"))
    (confirm,) = guardian.press(t("No note"))
    assert confirm.text.startswith(t("Please check your report:"))

    receipt, *_more, menu_again = guardian.press(t("Send report"))
    (report,) = service.reports(family.school, family.pupil)
    assert receipt.text.startswith(
        t("Thank you. The school has received your report. Reference number: {ref}.").format(
            ref=report.id
        )
    )
    assert report.first_day == report.last_day == date(2026, 11, 23)
    assert format_in(locale, report.first_day) in receipt.text
    assert (report.reason.value, report.part.value, report.note) == ("illness", "whole_day", "")
    assert menu_again.text == t("What else can I help you with?")


def format_in(locale: str, day: date) -> str:
    with use_locale(locale):
        return format_day(day)


def test_a_forged_or_stale_button_expires_and_changes_nothing(service: Service) -> None:
    lena = linked(service, SE, "G-SE-003", "sv")
    anders = linked(service, SE, "G-SE-004", "sv")
    expired = say_in("sv", "This button has expired.")

    (why,) = lena.press(say_in("sv", "Report an absence"))
    ill_for_lena = why.data_of(say_in("sv", "Ill"))
    # Anders presses the id of Lena's button: in his chat it means nothing.
    his_menu = anders.question()
    said, menu_again = anders.press_data(ill_for_lena)
    assert (said.text, menu_again.labels) == (expired, his_menu.labels)

    # A made-up id, and Lena's own stale button "Dansk" from the welcome: still Swedish.
    for forged in ("99.9", "1.2"):
        said, asked_again = lena.press_data(forged)
        assert (said.text, asked_again.text) == (expired, why.text)

    assert service.reports(SE, "P-SE-002") == []
    assert service.reports(SE, "P-SE-003") == []


def test_a_code_that_does_not_work_is_explained_and_links_nothing(service: Service) -> None:
    wrong = person(service, "nb")
    assert [m.text for m in wrong.say("/start WRONGCODE9", replies=1)] == [
        in_locale("nb", WRONG_CODE)
    ]

    code = service.invite(NO, "G-NO-003")
    first = person(service, "nb")
    first.say(f"/start {code}")
    second = person(service, "no")  # Telegram's other code for Norwegian
    assert [m.text for m in second.say(f"/start {code}", replies=1)] == [
        in_locale("nb", REFUSALS[InviteError.USED])
    ]

    late = person(service, "da")
    expired = service.invite(DK, "G-DK-002", valid=-timedelta(hours=1))
    assert [m.text for m in late.say(f"/start {expired}", replies=1)] == [
        in_locale("da", REFUSALS[InviteError.EXPIRED])
    ]
    for nobody, locale in ((wrong, "nb"), (second, "nb"), (late, "da")):
        assert [m.text for m in nobody.say("/menu", replies=1)] == [in_locale(locale, NOT_LINKED)]


def test_in_a_group_the_bot_only_says_it_talks_in_private(service: Service) -> None:
    user = TelegramUser(next(USER_IDS), "Silje", "nb")
    in_group = Person(service.api, user, Chat(-next(USER_IDS), "group", "Foreldre 8A"))
    code = service.invite(NO, "G-NO-004")
    assert [m.text for m in in_group.say(f"/start {code}", replies=1)] == [
        in_locale("nb", ONLY_PRIVATE)
    ]
    # Nothing was linked: the code still works, in private.
    (welcome,) = Person(service.api, user).say(f"/start {code}")
    assert welcome.labels[0] == language_name("nb")


def test_stop_unlinks_the_chat(service: Service) -> None:
    anne = linked(service, DK, "G-DK-003", "da")
    (goodbye,) = anne.say("/stop", replies=1)
    assert goodbye.buttons == () and "/stop" not in goodbye.text
    assert [m.text for m in anne.say("/menu", replies=1)] == [in_locale("da", NOT_LINKED)]


def test_text_where_a_button_is_expected_is_explained_and_asked_again(service: Service) -> None:
    morten = linked(service, DK, "G-DK-004", "da")
    (question,) = morten.press(say_in("da", "Report an absence"))
    explanation, again = morten.say("banan")
    assert explanation.text == say_in("da", "Please answer with one of the choices.")
    assert (again.text, again.labels) == (question.text, question.labels)


def test_a_reply_held_back_by_flood_control_still_arrives(service: Service) -> None:
    hilde = linked(service, NO, "G-NO-005", "nb")
    service.api.fail_next("sendMessage", retry_after=1)
    (menu,) = hilde.say("/menu")
    assert menu.labels and say_in("nb", "Report an absence") in menu.labels
    assert [c.status for c in service.api.calls_of("sendMessage")].count(429) >= 1


def outbox_message(to: Person, key: str, text: str) -> OutboxMessage:
    return OutboxMessage(
        key=key,
        platform="telegram",
        recipient=str(to.user.id),
        text=text,
        kind="unreported-prompt",
        school_key=NO,
        buttons=(OutgoingButton("p.test.ill", "Syk"), OutgoingButton("p.test.call", "Ring meg")),
    )


def test_the_outbox_delivers_to_a_linked_guardian(service: Service) -> None:
    thomas = linked(service, NO, "G-NO-006", "nb")
    key = f"test:telegram:{thomas.user.id}"
    service.queue(outbox_message(thomas, key, "Sofie er borte i dag."))
    delivered = service.api.wait_until(
        lambda: [m for m in thomas.messages if m.text == "Sofie er borte i dag."]
    )
    assert delivered[0].labels == ["Syk", "Ring meg"]
    stored = service.api.wait_until(
        lambda: (m := service.outbox(key)).status is DeliveryStatus.SENT and m
    )
    assert stored.attempts == 1


def test_a_guardian_who_blocked_the_bot_makes_the_message_fail_visibly(
    service: Service,
) -> None:
    kristin = linked(service, NO, "G-NO-007", "nb")
    service.api.block(kristin.user.id)
    key = f"test:telegram:{kristin.user.id}"
    service.queue(outbox_message(kristin, key, "Lukas er borte i dag."))
    failed = service.api.wait_until(
        lambda: (m := service.outbox(key)).status is DeliveryStatus.FAILED and m
    )
    assert (failed.attempts, "blocked" in failed.last_error) == (1, True)
    status = run_narvaro(
        "outbox", "status", cwd=service.folder, NARVARO_DATABASE_URL=service.database
    )
    assert f"failed #{failed.id} unreported-prompt to telegram:{kristin.user.id}" in status.stdout
    assert "blocked" in status.stdout
    # The chat no longer counts as a way to reach her, and her child's mentor is told to phone.
    engine = create_engine(sync_database_url(service.database))
    try:
        with engine.connect() as connection:
            reachable = connection.execute(
                text("SELECT reachable FROM chat_accounts WHERE account_id = :id"),
                {"id": str(kristin.user.id)},
            ).scalar_one()
            told = connection.execute(
                text("SELECT platform, text FROM outbox WHERE kind = 'guardian-unreachable'")
            ).all()
    finally:
        engine.dispose()
    assert not reachable
    # Kristin has two children, in two classes: each class's mentor is told.
    assert [platform for platform, _text in told] == ["slack", "slack"]
    template = say_in(
        "nb",
        "{guardian} ({pupil}'s guardian) can no longer be reached in chat. "
        "Please phone instead: {phone}",
    )
    assert all(template.split(")", 1)[1].split("{phone}")[0] in body for _p, body in told)


@pytest.fixture(autouse=True)
def _no_unexpected_errors(service: Service) -> Iterator[None]:
    """Whatever a test does, the service logs no error it did not expect."""
    before = len(service.log_text())
    yield
    logged = service.log_text()[before:]
    assert not re.search(r"^(ERROR|CRITICAL) ", logged, re.MULTILINE), logged


@dataclass(frozen=True)
class OneChild:
    locale: str
    school: str
    guardian: str
    pupil: str
    pupil_name: str


# Guardians of one child each, unused by the other tests here.
PROMPTED = [
    OneChild("sv", SE, "G-SE-012", "P-SE-011", "Alice Petersson"),
    OneChild("nb", NO, "G-NO-012", "P-NO-011", "Ella Johnsen"),
    OneChild("da", DK, "G-DK-012", "P-DK-011", "Karla Petersen"),
]
CONTACTING = [
    OneChild("sv", SE, "G-SE-013", "P-SE-012", "Oscar Lindberg"),
    OneChild("nb", NO, "G-NO-013", "P-NO-012", "Aksel Pettersen"),
    OneChild("da", DK, "G-DK-013", "P-DK-012", "Elias Madsen"),
]
CONCERNED = [
    OneChild("sv", SE, "G-SE-014", "P-SE-014", "Lucas Axelsson"),
    OneChild("nb", NO, "G-NO-014", "P-NO-014", "Tiril Eriksen"),
    OneChild("da", DK, "G-DK-014", "P-DK-014", "Sofie Kristensen"),
]


@pytest.mark.parametrize("family", PROMPTED, ids=lambda family: family.locale)
def test_a_guardian_answers_the_unreported_absence_prompt_with_one_press(
    service: Service, family: OneChild
) -> None:
    def t(msgid: str) -> str:
        return say_in(family.locale, msgid)

    guardian = linked(service, family.school, family.guardian, family.locale)
    service.mark_absent(family.school, family.pupil, date(2026, 11, 23))
    job = run_narvaro(
        "jobs",
        "run",
        "unreported-absences",
        "--school",
        family.school,
        cwd=service.folder,
        NARVARO_DATABASE_URL=service.database,
    )
    assert job.returncode == 0, job.stderr
    # The guardian's prompt and the mentor's list.
    assert "1 unreported absence(s); 2 message(s) queued" in job.stdout, job.stdout
    prompt = service.api.wait_until(
        lambda: next((m for m in guardian.messages if m.text.startswith(family.pupil_name)), None)
    )
    expected_labels = [
        t(label) for label in ("Ill", "Other reason", "Please call me", "There must be a mistake")
    ]
    assert prompt.labels == expected_labels
    thanks, *_menu = guardian.press_data(prompt.data_of(t("Ill")), under=prompt)
    assert thanks.text == t("Thank you. The school now knows that {name} is ill today.").format(
        name=family.pupil_name
    )
    (report,) = service.reports(family.school, family.pupil)
    assert (report.reason.value, report.first_day) == ("illness", date(2026, 11, 23))
    again = guardian.press_data(prompt.data_of(t("Ill")), under=prompt)
    assert again[0].text == t("Thank you, we already have your answer.")


@pytest.mark.parametrize("family", CONTACTING, ids=lambda family: family.locale)
def test_a_guardian_asks_the_school_to_contact_them(service: Service, family: OneChild) -> None:
    def t(msgid: str) -> str:
        return say_in(family.locale, msgid)

    guardian = linked(service, family.school, family.guardian, family.locale)
    (topic,) = guardian.press(t("Ask the school to contact me"))
    assert topic.text == t("What is it about?")
    guardian.press(t("Wellbeing"))
    guardian.press(t("By phone"))
    (confirm,) = guardian.press(t("In the afternoon"))
    assert family.pupil_name in confirm.text
    thanks, _menu = guardian.press(t("Send request"))
    assert thanks.text == t(
        "Thank you. We will tell you when someone at the school has taken your request."
    )
    (request,) = service.contact_requests(family.school, family.pupil)
    assert (request.topic.value, request.way.value, request.time.value) == (
        "wellbeing",
        "phone",
        "afternoon",
    )


@pytest.mark.parametrize("family", CONCERNED, ids=lambda family: family.locale)
def test_a_guardian_says_it_is_hard_to_get_the_child_to_school(
    service: Service, family: OneChild
) -> None:
    def t(msgid: str) -> str:
        return say_in(family.locale, msgid)

    guardian = linked(service, family.school, family.guardian, family.locale)
    (question,) = guardian.press(t("It is hard to get my child to school"))
    assert family.pupil_name in question.text
    thanks, _menu = guardian.press(t("Yes, please tell the school"))
    assert thanks.text == t("Thank you. The school will contact you soon.")
    (concern,) = service.concerns(family.school, family.pupil)
    assert concern.guardian_id == family.guardian
    # It opened a case at once, in the guardian's name.
    (case,) = service.open_cases(family.school, family.pupil)
    assert case.opened_by == "guardian_concern"
