"""The same conversations on SQLite and PostgreSQL: stored state survives a new engine."""

from __future__ import annotations

from dialogs.engine import Engine
from dialogs.events import ConversationKey
from dialogs.flows import all_flows
from dialogs.i18n import _, use_locale
from routine.ports import UnitOfWorkFactory
from tests.dialogs.conftest import MONDAY_MORNING, FixedClock, seed
from tests.dialogs.transcript import Chat


def da(message: str) -> str:
    with use_locale("da"):
        return _(message)


async def test_a_report_survives_a_restart_and_reaches_the_mentor(
    uow_factory: UnitOfWorkFactory,
) -> None:
    await seed(uow_factory)
    clock = FixedClock(MONDAY_MORNING)
    guardian = Chat(
        Engine(uow_factory=uow_factory, flows=all_flows(), clock=clock),
        ConversationKey(platform="test", chat="dk-G1", user="dk-G1"),
    )
    await guardian.send("hej")
    for step in ["Report an absence", "Ill", "Today", "Arriving late"]:
        await guardian.send(f"[{da(step)}]")
    await guardian.send("9.45")
    # A new process: nothing but the database carries the conversation on.
    guardian.engine = Engine(uow_factory=uow_factory, flows=all_flows(), clock=clock)
    await guardian.send("Bussen er forsinket")
    receipt, *_late_and_menu = await guardian.send(f"[{da('Send report')}]")
    assert receipt.text.startswith(
        da("Thank you. The school has received your report. Reference number: {ref}.").split("{")[
            0
        ]
    )
    mentor = Chat(
        Engine(uow_factory=uow_factory, flows=all_flows(), clock=clock),
        ConversationKey(platform="test", chat="dk-S1", user="dk-S1"),
    )
    await mentor.send("hej")
    todays = da("Today's reported absences")
    (overview, _menu) = await mentor.send(f"[{todays}]")
    assert (
        overview.text.splitlines()[-1]
        == "• Emil Hansen: Syg, kommer kl. 09.45 — besked: Bussen er forsinket"
    )
