"""Who may see what (domain guide §6): each role sees only its own."""

from __future__ import annotations

from routine.model import Role, StaffMember


def visible_classes(staff: StaffMember, school_classes: list[str]) -> list[str]:
    """A principal sees the whole school; everyone else sees the classes the school file gives
    them, and only those that exist."""
    if staff.has_role(Role.PRINCIPAL):
        return sorted(school_classes)
    return sorted(name for name in staff.classes if name in school_classes)


def sees_a_class(staff: StaffMember) -> bool:
    """Whether `visible_classes` can give them any class: what the menu offers today's
    absences and the contact requests to (pupil health, with no class, would only be told to
    ask the administrator)."""
    return staff.has_role(Role.PRINCIPAL) or bool(staff.classes)
