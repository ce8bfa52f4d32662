"""The pacer on a fake clock: an absolute schedule whose late turns are caught up, and a window
that keeps the platform from ever seeing more than its limit in a second, however late the
event loop wakes and however long the requests travel."""

from __future__ import annotations

import random

import pytest

from scheduler.rate_limits import CATCH_UP, Pacer, RateLimit
from tests.scheduler.support import FakeTime

RATE = RateLimit(per_second=4, per_recipient_interval=0)


class LateTime(FakeTime):
    """A sleep that wakes later than asked, as a busy event loop does."""

    def __init__(self, lateness: list[float]) -> None:
        super().__init__()
        self.lateness = lateness

    async def sleep(self, seconds: float) -> None:
        await super().sleep(seconds + (self.lateness.pop(0) if self.lateness else 0.0))


def pacer(time: FakeTime, limit: RateLimit = RATE) -> Pacer:
    return Pacer(limit, monotonic=time.monotonic, sleep=time.sleep)


def most_in_any_window(moments: list[float], window: float = 1.0) -> int:
    """The most moments in a half-open window [t, t + window), the fake Bot API's count."""
    return max(sum(start <= m < start + window for m in moments) for start in moments)


async def test_turns_follow_the_schedule_without_late_wake_ups() -> None:
    time = FakeTime()
    paced = pacer(time)
    taken = []
    for _ in range(6):
        turn = await paced.wait_turn("r")
        taken.append(turn.at)
        turn.answered()
    assert taken == [0, 0.25, 0.5, 0.75, 1.0, 1.25]


async def test_a_late_wake_up_is_caught_up_by_the_turns_after_it() -> None:
    # The turn due at 0.25 wakes 0.2 late; the next ones keep their slots (0.5, 0.75, ...).
    time = LateTime([0.2])
    paced = pacer(time)
    taken = []
    for _ in range(5):
        turn = await paced.wait_turn("r")
        taken.append(round(turn.at, 9))
        turn.answered()
    assert taken == [0, 0.45, 0.5, 0.75, 1.0]


async def test_a_batch_claim_between_turns_is_caught_up() -> None:
    time = FakeTime()
    paced = pacer(time)
    taken = []
    for n in range(8):
        if n == 4:
            time.pass_time(0.4)  # claiming the next batch, at 1.0 when 0.75 was the last turn
        turn = await paced.wait_turn("r")
        taken.append(round(turn.at, 9))
        turn.answered()
    # 1.0 was due, taken at 1.15; 1.25 is due before it, 1.5 and 1.75 on time: none lost.
    assert taken == [0, 0.25, 0.5, 0.75, 1.15, 1.25, 1.5, 1.75]
    assert most_in_any_window(taken) == 4


async def test_catching_up_never_exceeds_the_limit_in_any_window() -> None:
    # A late wake-up of 0.45 s: the turns due at 0.5 and 0.75 come at once after it, as far as
    # the window allows, and every window of a second still holds no more than 4 turns.
    time = LateTime([0.45])
    paced = pacer(time)
    taken = []
    for _ in range(12):
        turn = await paced.wait_turn("r")
        taken.append(round(turn.at, 9))
        turn.answered()
    assert taken[:5] == [0, 0.7, 0.7, 0.75, 1.0]
    assert most_in_any_window(taken) == 4
    # Four turns in every second from the first on: the rate kept, not only the limit.
    assert taken[-1] <= 3


async def test_random_lateness_and_travel_times_never_exceed_the_limit_at_the_platform() -> None:
    """Turns taken on a loop that wakes late (mostly by a millisecond or two, now and then by
    30 ms); each request reaches the platform some time after its turn and is answered later
    still. The platform's arrivals never hold more than 30 in a second, and the rate stays
    above 95 % of 30 a second."""
    chance = random.Random(10)
    lateness = [chance.choice([0, 0.001, 0.002, 0.003, 0.03]) for _ in range(3000)]
    time = LateTime(lateness)
    paced = pacer(time, RateLimit(per_second=30, per_recipient_interval=0))
    arrivals = []
    for _ in range(900):
        turn = await paced.wait_turn("r")
        travel = chance.uniform(0, 0.005)
        arrivals.append(time.elapsed + travel)
        time.pass_time(travel + chance.uniform(0, 0.005))
        turn.answered()
        time.pass_time(chance.uniform(0, 0.01))  # recording the outcome
    arrivals.sort()
    assert most_in_any_window(arrivals) == 30
    rate = (len(arrivals) - 1) / (arrivals[-1] - arrivals[0])
    assert rate > 0.95 * 30


async def test_a_stalling_loop_still_never_exceeds_the_limit() -> None:
    chance = random.Random(11)
    time = LateTime([chance.choice([0, 0, 0.01, 0.3, 0.7]) for _ in range(3000)])
    paced = pacer(time, RateLimit(per_second=30, per_recipient_interval=0))
    arrivals = []
    for _ in range(600):
        turn = await paced.wait_turn("r")
        travel = chance.uniform(0, 0.05)
        arrivals.append(time.elapsed + travel)
        time.pass_time(travel + chance.uniform(0, 0.05))
        turn.answered()
    arrivals.sort()
    assert most_in_any_window(arrivals) <= 30


async def test_a_send_not_yet_answered_holds_back_the_turn_a_window_after_it() -> None:
    time = FakeTime()
    paced = pacer(time)
    first = await paced.wait_turn("r")
    for _ in range(3):
        (await paced.wait_turn("r")).answered()
    time.pass_time(0.5)  # the first is answered at 1.25: the platform may have it only then
    first.answered()
    fifth = await paced.wait_turn("r")
    assert fifth.at == 2.25


async def test_after_a_longer_stall_the_schedule_starts_anew() -> None:
    time = FakeTime()
    paced = pacer(time)
    (await paced.wait_turn("r")).answered()
    time.pass_time(0.25 + CATCH_UP + 1)  # idle: nothing to send
    taken = []
    for _ in range(3):
        turn = await paced.wait_turn("r")
        taken.append(turn.at)
        turn.answered()
    assert taken == [1.75, 2.0, 2.25]


async def test_a_pause_holds_every_turn_until_it_ends() -> None:
    time = FakeTime()
    paced = pacer(time)
    (await paced.wait_turn("r")).answered()
    paced.pause(3)
    taken = []
    for _ in range(2):
        turn = await paced.wait_turn("r")
        taken.append(turn.at)
        turn.answered()
    assert taken == [3, 3.25]


@pytest.mark.parametrize("per_second", [0.5, 2.5])
async def test_a_rate_that_is_no_whole_number_keeps_its_window(per_second: float) -> None:
    time = LateTime([0, 0.9, 0, 0, 1.3, 0, 0])
    paced = pacer(time, RateLimit(per_second=per_second, per_recipient_interval=0))
    taken = []
    for _ in range(12):
        turn = await paced.wait_turn("r")
        taken.append(turn.at)
        turn.answered()
    window_sends = max(1, int(per_second))
    assert most_in_any_window(taken, window_sends / per_second) <= window_sends
