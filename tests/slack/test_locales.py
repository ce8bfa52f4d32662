"""`SlackLocales`, the scheduler's port to Slack's `users.info`: over real HTTP to the fake Slack
API, paced under Slack's limit, and telling an answer, a failure and a rate limit apart."""

from __future__ import annotations

from datetime import timedelta

from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.locales import SlackLocales
from routine.ports import LocaleAnswer
from tests.scheduler.support import FakeTime
from tests.slack.fake_slack_api import FakeSlackApi


def locales(client: AsyncWebClient, time: FakeTime) -> SlackLocales:
    return SlackLocales(client, pause=0.7, monotonic=time.monotonic, sleep=time.sleep)


async def test_each_answer_as_slack_gives_it_and_the_calls_paced(
    slack_api: FakeSlackApi, slack_client: AsyncWebClient
) -> None:
    slack_api.locales |= {"U1": "nb-NO", "U2": "da-DK"}
    time = FakeTime()
    asking = locales(slack_client, time)

    answers = [await asking.locale_of(user) for user in ("U1", "U2", "U3")]

    assert answers == [LocaleAnswer("nb-NO"), LocaleAnswer("da-DK"), LocaleAnswer("en-US")]
    assert all(answer.answered for answer in answers)
    # The first call at once, each later one 0.7 s after the one before it.
    assert time.sleeps == [0.7, 0.7]
    assert [c.params["include_locale"] for c in slack_api.calls_of("users.info")] == ["1"] * 3


async def test_a_rate_limit_a_failure_and_someone_gone_are_told_apart(
    slack_api: FakeSlackApi, slack_client: AsyncWebClient
) -> None:
    asking = locales(slack_client, FakeTime())
    slack_api.rate_limit_next("users.info", retry_after=20)
    limited = await asking.locale_of("U1")
    slack_api.fail_next("users.info", "internal_error")
    failed = await asking.locale_of("U1")
    slack_api.fail_next("users.info", "user_not_found")
    gone = await asking.locale_of("U1")

    assert (limited.wait, limited.answered) == (timedelta(seconds=20), False)
    assert (failed.failed, failed.answered) == ("internal_error", False)
    assert (gone, gone.answered) == (LocaleAnswer(None), True)


async def test_slack_out_of_reach_is_a_failure_to_ask_again() -> None:
    unreachable = AsyncWebClient(token="xoxb-x", base_url="http://127.0.0.1:9/api/")
    answer = await locales(unreachable, FakeTime()).locale_of("U1")
    assert answer.failed and not answer.answered
