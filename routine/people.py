"""The people of a school: pupils, their guardians and staff, as the school's own ids know them.

Each keeps what they chose in the chat when a file describes them again. Re-exported by
`routine.model`, the one import for the routine's nouns.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from routine.school import Language, Role, School


@dataclass(frozen=True)
class Pupil:
    school_key: str
    pupil_id: str
    name: str
    class_name: str
    active: bool = True


@dataclass(frozen=True)
class Guardian:
    school_key: str
    guardian_id: str
    name: str
    # The roster's language; `chosen_language` is the one they chose in the chat, which wins.
    language: Language
    phone: str = ""
    email: str = ""
    pupil_ids: tuple[str, ...] = ()
    chosen_language: Language | None = None

    @property
    def speaks(self) -> Language:
        """The language every message to them is written in, scheduled or in answer."""
        return self.chosen_language or self.language

    def keeping_preferences_of(self, stored: Guardian | None) -> Guardian:
        """This guardian as the roster describes them, with what they chose in the chat kept."""
        if stored is None:
            return self
        return replace(self, chosen_language=stored.chosen_language)


@dataclass(frozen=True)
class StaffMember:
    school_key: str
    staff_id: str
    name: str
    roles: frozenset[Role]
    classes: tuple[str, ...] = ()
    # The school file's language for them, if it gives one: the school's record of them.
    language: Language | None = None
    slack_user_id: str = ""
    # Chosen in the chat (/language): wins over everything, and a re-applied file keeps it.
    chosen_language: Language | None = None
    # Their platform's locale (Slack's), remembered from their last event or from `users.info`;
    # None also when it is a language we do not write.
    platform_language: Language | None = None
    # When their Slack account was asked for its locale (`users.info`), whatever it answered:
    # asked once per account, and an event tells any change since.
    platform_locale_asked: datetime | None = None

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    def speaks(self, school: School) -> Language:
        """The one function that decides the language of every message to them, scheduled or
        in answer, on any platform: their own choice, then their platform's locale, then the
        language the school file gives them, then the school's (README: "Languages")."""
        return self.chosen_language or self.platform_language or self.language or school.language

    def needs_platform_locale(self) -> bool:
        """A Slack account whose locale nobody knows yet, and that was never asked."""
        return bool(self.slack_user_id) and (
            self.platform_language is None and self.platform_locale_asked is None
        )

    def keeping_preferences_of(self, stored: StaffMember | None) -> StaffMember:
        """This member as a file describes them, with what they chose in the chat kept, and
        what their platform said while it is the same account."""
        if stored is None:
            return self
        kept = replace(self, chosen_language=stored.chosen_language)
        if stored.slack_user_id != self.slack_user_id:
            return kept
        return replace(
            kept,
            platform_language=stored.platform_language,
            platform_locale_asked=stored.platform_locale_asked,
        )
