"""One person, one language: one function decides the language of every message to a person
(`StaffMember.speaks`, `Guardian.speaks`, through `dialogs.notices.staff_language` and the
engine's `Actor.language`), and no module picks one by itself. Read from the source, so that a
new kind of message that reads `member.language` or the school's language directly fails here,
even before a scenario test produces it (`tests/scheduler/test_staff_language_everywhere.py`)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("dialogs", "scheduler", "bot")
# use_locale(...) arguments that name the person's language as the one function decided it.
DECIDED = ("staff_language(", ".speaks.value", "ctx.locale")
# The places that write in a language no person has decided yet, and why.
UNDECIDED = {
    # The apology for an error, in the platform's hint: the person may not be known.
    ("dialogs/engine.py", "incoming.locale or ''"),
    # Each guardian's language (`g.speaks`), for the ready message a coordinator sends on.
    ("dialogs/family_updates.py", "language"),
    # The welcome offers the hinted language for the guardian to choose.
    ("dialogs/flows/welcome.py", "proposed"),
    # Someone not linked yet: the hint's language, or all three.
    ("dialogs/linking.py", "code"),
    # Telegram's command descriptions, one set per language.
    ("bot/telegram/commands.py", "locale"),
    # The roll call rendered once per language, each mentor's taken from `staff_language`.
    ("dialogs/live.py", "language"),
}
# Who may read a person's stored languages: the model decides, linking remembers the locale.
LANGUAGE_FIELDS = {"chosen_language", "platform_language"}
MAY_READ_FIELDS = {"dialogs/linking.py"}


def sources() -> list[tuple[str, ast.AST]]:
    return [
        (path.relative_to(ROOT).as_posix(), ast.parse(path.read_text()))
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
    ]


def test_every_message_is_written_in_the_language_the_one_function_decided() -> None:
    picked = [
        (name, ast.unparse(node.args[0]))
        for name, tree in sources()
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "use_locale"
    ]
    assert len(picked) > 30
    undecided = {
        (name, argument)
        for name, argument in picked
        if not any(part in argument for part in DECIDED)
    }
    assert undecided == UNDECIDED


def test_no_module_reads_a_person_s_languages_but_the_model() -> None:
    read = [
        (name, node.lineno, ast.unparse(node))
        for name, tree in sources()
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and (
            (node.attr in LANGUAGE_FIELDS and name not in MAY_READ_FIELDS)
            # `.language` of anything but a school (a person's file language) or the actor
            or (
                node.attr == "language"
                and not ast.unparse(node.value).endswith(("school", "actor"))
            )
        )
    ]
    assert read == []
