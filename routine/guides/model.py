"""The guides' data model: wordings in three languages, checklist items and question sets.

Plain frozen data, no I/O: the content lives in `se.py`, `no.py` and `dk.py`, one module per
country (with the modules beside them that they draw on), and `routine.guides` puts it together."""

from __future__ import annotations

import re
from dataclasses import dataclass

from routine.model import Language, Role

# "002: 1090–1092", "000: 361", "002: 114, 643–675": a seed file's number, then line numbers
# or ranges (en dash), comma-separated.
SOURCE = re.compile(r"^(\d{3}): (\d+(?:–\d+)?(?:, \d+(?:–\d+)?)*)$")


def source_lines(source: str) -> tuple[str, tuple[int, ...]]:
    """The seed file number and every line a `source` names, in order.

    Raises ValueError for anything that is not "NNN: a–b" or a comma-separated list of lines
    and ranges."""
    match = SOURCE.match(source)
    if match is None:
        raise ValueError(f"not a source reference: {source!r}")
    lines: list[int] = []
    for part in match.group(2).split(", "):
        first, _, last = part.partition("–")
        start, end = int(first), int(last or first)
        if end < start:
            raise ValueError(f"a range runs backwards: {source!r}")
        lines.extend(range(start, end + 1))
    return match.group(1), tuple(lines)


@dataclass(frozen=True)
class Text:
    """One wording in the three languages; `original` is the language the source is in, whose
    text is the source's verbatim."""

    sv: str
    nb: str
    da: str
    original: Language

    def in_language(self, language: Language) -> str:
        return {Language.SV: self.sv, Language.NB: self.nb, Language.DA: self.da}[language]

    @property
    def verbatim(self) -> str:
        """The source's own wording."""
        return self.in_language(self.original)


@dataclass(frozen=True)
class GuideItem:
    id: str  # stable, unique within its stage or set (stored in logged ticks)
    text: Text
    source: str  # "002: 1090–1092"
    covered_only: bool = False  # health, home, feelings: a "covered" tick, never an answer field
    principal_only: bool = False  # e.g. a report to social services (000: 482–496; domain §6)
    advice: bool = False  # a statement of the source to keep in mind, not a question to ask


@dataclass(frozen=True)
class QuestionSet:
    id: str  # "pupil", "guardian", "preparation", "mapping", "closing", ...
    title: Text
    source: str
    items: tuple[GuideItem, ...]


@dataclass(frozen=True)
class StageGuide:
    stage: str  # an id of routine.stages.STAGES
    name: Text  # the sources' name of the stage, e.g. "Steg 2 – Upprepad frånvaro"
    owner: Role  # who owns the stage
    source: str
    checklist: tuple[GuideItem, ...]
    questions: tuple[QuestionSet, ...]


def wording(original: Language):
    """A constructor of `Text` for content whose source is in `original`: the source's verbatim
    first, then the two translations in the order sv, nb, da without it."""
    others = [language for language in Language if language is not original]

    def make(verbatim: str, first: str, second: str) -> Text:
        texts = {original: verbatim, others[0]: first, others[1]: second}
        return Text(
            sv=texts[Language.SV], nb=texts[Language.NB], da=texts[Language.DA], original=original
        )

    return make
