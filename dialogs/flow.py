"""How a flow is declared: states and transitions in one table, a step per state.

A step *asks* (renders a prompt, or moves on by itself with `Go`) and *answers* (turns what the
person did into an outcome, or a `Retry` with a translated explanation). The table maps each
state's outcomes to the next state, so the whole shape of a flow is readable in one place and
checked against the Mermaid diagram beside it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from dialogs.events import Form, Reply
from dialogs.i18n import LazyString
from routine.model import Guardian, Pupil, ReportingRules, School, StaffMember
from routine.ports import UnitOfWork
from routine.reporting import guardian_children

END = "end"


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Prompt:
    text: str
    choices: tuple[Choice, ...] = ()
    accepts_text: bool = False
    form: Form | None = None


@dataclass(frozen=True)
class StartFlow:
    """What a press outside a flow asks for: start this flow with this data."""

    flow: str
    data: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Go:
    outcome: str
    # Where the outcome ends the flow: the flow to start next (a case's card hands over to the
    # plan's form), as a press outside a flow would.
    then: StartFlow | None = None


@dataclass(frozen=True)
class Retry:
    message: str


@dataclass(frozen=True)
class Answer:
    choice: str | None = None
    text: str | None = None
    form: Mapping[str, str] | None = None


@dataclass(frozen=True)
class Actor:
    """The person behind a conversation, as the school's records know them."""

    school: School
    guardian: Guardian | None = None
    staff: StaffMember | None = None

    @property
    def kind(self) -> str:
        return "guardian" if self.guardian else "staff"

    @property
    def name(self) -> str:
        person = self.guardian or self.staff
        assert person is not None
        return person.name

    @property
    def language(self) -> str:
        """The one language of everything they read (routine.model: `speaks`)."""
        if self.guardian is not None:
            return self.guardian.speaks.value
        assert self.staff is not None
        return self.staff.speaks(self.school).value


@dataclass
class Context:
    """What a step works with during one incoming event."""

    uow: UnitOfWork
    actor: Actor
    data: dict
    now: datetime
    today: date
    rules: ReportingRules
    locale: str
    replies: list[Reply] = field(default_factory=list)

    def say(self, text: str) -> None:
        self.replies.append(Reply(text=text))

    def say_shown_in_place(self, text: str) -> None:
        """An outcome the message it is about shows too, once the outbox has edited it."""
        self.replies.append(Reply(text=text, shown_in_place=True))

    async def children(self) -> list[Pupil]:
        guardian = self.actor.guardian
        if guardian is None:
            return []
        pupils = [await self.uow.pupils.get(guardian.school_key, i) for i in guardian.pupil_ids]
        found = [pupil for pupil in pupils if pupil is not None]
        return sorted(guardian_children(guardian, found), key=lambda p: p.name)


Ask = Callable[[Context], Awaitable[Prompt | Go]]
Respond = Callable[[Context, Answer], Awaitable[Go | Retry]]


async def _never_answered(ctx: Context, answer: Answer) -> Go | Retry:
    raise AssertionError("this step moves on by itself")


@dataclass(frozen=True)
class Step:
    ask: Ask
    answer: Respond = _never_answered


@dataclass(frozen=True)
class Flow:
    name: str
    title: LazyString
    audience: frozenset[str]
    start: str
    steps: dict[str, Step]
    transitions: dict[str, dict[str, str]]
    cancellable: bool = True
    # What cancelling says, for a flow that saves as it goes (a case's ticks and notes); None:
    # "Cancelled. Nothing was sent."
    cancel_text: LazyString | None = None
    # Which of the audience the menu offers it to (e.g. by role); None: all of them.
    offered: Callable[[Actor], bool] | None = None
    # False for a flow that does nothing for the person yet (the welcome after linking): the
    # menu after it asks what they would like to do, not what *else*.
    does_a_task: bool = True

    def __post_init__(self) -> None:
        undeclared = set(self.steps) ^ set(self.transitions)
        targets = {t for outcomes in self.transitions.values() for t in outcomes.values()}
        unknown = targets - set(self.steps) - {END}
        if undeclared or unknown or self.start not in self.steps:
            raise ValueError(f"flow {self.name}: inconsistent states {undeclared | unknown}")

    def offered_to(self, actor: Actor) -> bool:
        return actor.kind in self.audience and (self.offered is None or self.offered(actor))

    def next_state(self, state: str, outcome: str) -> str:
        try:
            return self.transitions[state][outcome]
        except KeyError:
            raise LookupError(f"flow {self.name}: no transition {state} --{outcome}-->") from None
