"""The school file's [[staff]]: each member's id, name, Slack user, roles (in the countries' own
words too), classes and language, checked with their lines; ids and Slack users unique."""

from __future__ import annotations

import re
from typing import Any

from bot.files.checked_toml import CheckedToml
from bot.files.toml_lines import KeyPath
from routine.model import Role, StaffMember

_STAFF_KEYS = ("id", "name", "slack_user_id", "roles", "classes", "language")
_SLACK_USER_ID = re.compile(r"[UW][A-Z0-9]{2,}")

# The countries' own words for the roles (domain guide §1), so a file can say "tovholder".
ROLE_WORDS: dict[str, Role] = {
    **{role.value: role for role in Role},
    "pupil_health": Role.PUPIL_HEALTH,
    "närvarosamordnare": Role.COORDINATOR,
    "nærværskoordinator": Role.COORDINATOR,
    "tovholder": Role.COORDINATOR,
    "kontaktlærer": Role.MENTOR,
    "rektor": Role.PRINCIPAL,
    "skoleleder": Role.PRINCIPAL,
    "elevhälsa": Role.PUPIL_HEALTH,
    "eht": Role.PUPIL_HEALTH,
    "ppt": Role.PUPIL_HEALTH,
    "helsesykepleier": Role.PUPIL_HEALTH,
    "ppr": Role.PUPIL_HEALTH,
    "kom_i_skole_team": Role.PUPIL_HEALTH,
}


class StaffTables(CheckedToml):
    """The [[staff]] tables of a school file."""

    def _staff(self, school_key: str | None, classes: set[str]) -> list[StaffMember]:
        tables = self._array_of_tables(self.data, ("staff",))
        members = [
            self._member(school_key or "", index, table, classes)
            for index, table in enumerate(tables)
        ]
        self._check_unique(tables, "id", "staff id")
        self._check_unique(tables, "slack_user_id", "Slack user")
        return [member for member in members if member is not None]

    def _member(
        self, school_key: str, index: int, table: dict[str, Any], classes: set[str]
    ) -> StaffMember | None:
        path: KeyPath = ("staff", index)
        self._unknown_keys(table, path, _STAFF_KEYS)
        before = len(self.problems)
        staff_id = self._string(table, path, "id")
        name = self._string(table, path, "name")
        slack_user_id = self._slack_user_id(table, path)
        roles = self._roles(table, path)
        member_classes = self._member_classes(table, path, classes)
        language = self._language(table, path, None)
        if roles and Role.MENTOR in roles and not member_classes:
            self._report((*path, "roles"), "a mentor needs the classes they mentor in 'classes'")
        if len(self.problems) > before:
            return None
        return StaffMember(
            school_key=school_key,
            staff_id=staff_id,
            name=name,
            roles=roles,
            classes=tuple(sorted(set(member_classes))),
            language=language,
            slack_user_id=slack_user_id,
        )

    def _slack_user_id(self, table: dict[str, Any], path: KeyPath) -> str | None:
        value = self._string(table, path, "slack_user_id")
        if value is not None and not _SLACK_USER_ID.fullmatch(value):
            self._report(
                (*path, "slack_user_id"),
                f"{value!r} is not a Slack user id; they look like U012AB3CD",
            )
        return value

    def _roles(self, table: dict[str, Any], path: KeyPath) -> frozenset[Role] | None:
        words = self._strings(table, path, "roles", required=True)
        if words is None:
            return None
        if not words:
            self._report((*path, "roles"), "list at least one role")
        roles = set()
        for index, word in enumerate(words):
            role = ROLE_WORDS.get(word.casefold().replace(" ", "_").replace("-", "_"))
            if role is None:
                choices = ", ".join(role.value for role in Role)
                self._report(
                    (*path, "roles", index),
                    f"unknown role {word!r}; use {choices} or a word from docs/school-file.md",
                )
            else:
                roles.add(role)
        return frozenset(roles)

    def _member_classes(
        self, table: dict[str, Any], path: KeyPath, classes: set[str]
    ) -> list[str] | None:
        names = self._strings(table, path, "classes", required=False)
        if names is None:
            return [] if "classes" not in table else None
        known = ", ".join(sorted(classes))
        for index, name in enumerate(names):
            if name not in classes and classes:
                self._report(
                    (*path, "classes", index),
                    f"class {name!r} is not in the school's classes: {known}",
                )
        return names

    def _check_unique(self, tables: list[dict[str, Any]], key: str, what: str) -> None:
        # Checked on the raw tables, so a duplicate is found even next to other problems.
        first: dict[str, int] = {}
        for index, table in enumerate(tables):
            value = table.get(key)
            if not isinstance(value, str) or not value.strip():
                continue
            value = value.strip()
            if value in first:
                line = self.locator.line_of(("staff", first[value], key))
                self._report(
                    ("staff", index, key), f"{what} {value!r} is already used on line {line}"
                )
            first.setdefault(value, index)
