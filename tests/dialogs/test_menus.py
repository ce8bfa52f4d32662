"""The menu offers each member of staff only what they can use: the roll call to the mentors
who take one, a class's day and its contact requests to those who see a class, the tasks of
cases to mentors, coordinators and principals. Elsewhere a flow could only say there is
nothing for them."""

from __future__ import annotations

import pytest

from dialogs.flow import Actor
from dialogs.flows import all_flows
from routine.model import Role, StaffMember
from tests.dialogs.conftest import SCHOOLS

MENTOR = {"roll_call", "todays_absences", "contact_requests", "case", "correction"} | {
    "staff_concern",
    "task_done",
    "hand_over",
    "language",
}


def menu(roles: set[Role], classes: tuple[str, ...] = ()) -> set[str]:
    member = StaffMember("se", "X1", "Test Person", frozenset(roles), classes)
    actor = Actor(SCHOOLS["se"], staff=member)
    return {flow.name for flow in all_flows() if flow.offered_to(actor)}


@pytest.mark.parametrize(
    ("roles", "classes", "expected"),
    [
        ({Role.MENTOR}, ("7A",), MENTOR),
        # A mentor with no class in the school file: nothing to take, see or worry about.
        (
            {Role.MENTOR},
            (),
            {"case", "correction", "staff_concern", "task_done", "hand_over", "language"},
        ),
        ({Role.COORDINATOR}, (), {"case", "correction", "task_done", "hand_over", "language"}),
        (
            {Role.PRINCIPAL},
            (),
            {"todays_absences", "contact_requests", "case", "correction", "leave_decision"}
            | {"task_done", "hand_over", "language"},
        ),
        ({Role.PUPIL_HEALTH}, (), {"case", "language"}),
    ],
)
def test_each_role_is_offered_what_it_can_use(roles, classes, expected) -> None:
    assert menu(roles, classes) == expected
