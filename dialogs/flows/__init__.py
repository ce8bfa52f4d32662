"""The flows, one module each, with a Mermaid diagram beside every flow of more than 3 states."""

from __future__ import annotations

from dialogs.flow import Flow
from dialogs.flows import (
    case,
    case_plan,
    concern,
    contact,
    contact_requests,
    correction,
    family_update,
    guardian_contact,
    hand_over,
    language,
    learning_environment,
    leave_decision,
    leave_request,
    manage_reports,
    report_absence,
    roll_call,
    staff_concern,
    task_done,
    todays_absences,
    welcome,
)


def all_flows() -> list[Flow]:
    """In menu order."""
    return [
        report_absence.FLOW,
        manage_reports.FLOW,
        leave_request.FLOW,
        contact.FLOW,
        concern.FLOW,
        roll_call.FLOW,
        todays_absences.FLOW,
        contact_requests.FLOW,
        case.FLOW,
        correction.FLOW,
        case_plan.FLOW,
        family_update.FLOW,
        leave_decision.FLOW,
        staff_concern.FLOW,
        task_done.FLOW,
        hand_over.FLOW,
        learning_environment.FLOW,
        language.FLOW,
        welcome.FLOW,
        guardian_contact.FLOW,
    ]
