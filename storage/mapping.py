"""Rows to domain objects and back. Repositories hand out domain objects only, never rows.

The mappings are in `mapping_*` by area (people, record, chat); this module re-exports them under
the same names.
"""

from __future__ import annotations

from storage.mapping_chat import (
    account_from_row,
    account_to_row,
    concern_from_row,
    concern_to_row,
    contact_request_from_row,
    contact_request_to_row,
    conversation_from_row,
    invite_from_row,
    invite_to_row,
    outbox_columns,
    outbox_from_row,
    prompt_from_row,
    prompt_to_row,
)
from storage.mapping_people import (
    calendar_from_json,
    calendar_to_json,
    class_from_row,
    guardian_from_row,
    guardian_to_row,
    pupil_from_row,
    pupil_to_row,
    school_from_row,
    school_to_row,
    staff_from_row,
    staff_to_row,
)
from storage.mapping_record import (
    code_from_row,
    code_to_row,
    mark_from_row,
    mark_to_row,
    mark_values,
    report_from_row,
    report_to_row,
)

__all__ = [
    "account_from_row",
    "account_to_row",
    "calendar_from_json",
    "calendar_to_json",
    "class_from_row",
    "code_from_row",
    "code_to_row",
    "concern_from_row",
    "concern_to_row",
    "contact_request_from_row",
    "contact_request_to_row",
    "conversation_from_row",
    "guardian_from_row",
    "guardian_to_row",
    "invite_from_row",
    "invite_to_row",
    "mark_from_row",
    "mark_to_row",
    "mark_values",
    "outbox_columns",
    "outbox_from_row",
    "prompt_from_row",
    "prompt_to_row",
    "pupil_from_row",
    "pupil_to_row",
    "report_from_row",
    "report_to_row",
    "school_from_row",
    "school_to_row",
    "staff_from_row",
    "staff_to_row",
]
