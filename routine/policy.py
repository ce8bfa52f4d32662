"""The routine's rules as data: what each rule counts, over which window, from which source.

Every rule has the sources' default for each country, and a school (or a policy file that the
municipality's schools share, 002: 640–642; 004: 1262–1266) may switch it off, or change its
threshold or window. `routine.thresholds` evaluates the counting rules over the record
(`routine.record`); rules whose measure is `event` are not counts (a pupil who leaves and does
not come back, a concern) and are evaluated elsewhere, where the event is reported.

Boundaries are the sources' words: "mer enn" / "mer end" is `over`, "eller derover" is
`at_least`. Shares are of *known* school days: unknown days are left out of the denominator.

Defaults the sources leave open, and why:

- `min_known_days` = 10 for shares: a share of very few known days means nothing (one absence
  on the second day of a quarter would be 50 %); two school weeks. Counts need no minimum.
- `no.invalid_repeated` counts per term: 002 gives no period; the other Drammen triggers count
  per month or term, and a term is the longer one, so a pattern is not missed at a month's edge.
- `dk.illness_total_15` counts per term: 004 gives no period for "frequent short illness".
- `no.oslo_share` is off in Norway by default: 003 is Oslo's framework; Drammen's triggers
  (002) are the default, and a municipality that follows Oslo switches it on in its policy file.
"""

from __future__ import annotations

import dataclasses
import enum
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from routine.calendar import is_school_day
from routine.model import Country, School


class Measure(enum.StrEnum):
    # Days counted over the known school days of the window.
    SHARE = "share"
    # School days counted.
    DAYS = "days"
    # Occurrences counted (a late arrival).
    OCCURRENCES = "occurrences"
    # School days in a row up to the evaluated day (unknown days neither count nor break it).
    IN_A_ROW = "in_a_row"
    # Not a count: reported by a person, evaluated where it is reported.
    EVENT = "event"


class Comparison(enum.StrEnum):
    OVER = "over"
    AT_LEAST = "at_least"

    def holds(self, value: float, threshold: float) -> bool:
        return value > threshold if self is Comparison.OVER else value >= threshold


class Counted(enum.StrEnum):
    """Which days of the record a rule counts."""

    # Absent, valid or invalid or not yet explained.
    ABSENCE = "absence"
    INVALID = "invalid"
    VALID = "valid"
    # An absent day whose school days before and after were not absent.
    SINGLE_DAYS = "single_days"
    LATE = "late"
    # Absent with the illness code.
    ILLNESS = "illness"
    NOTHING = "nothing"


class WindowKind(enum.StrEnum):
    SCHOOL_DAYS = "school_days"
    MONTH = "month"
    TERM = "term"
    QUARTER = "quarter"
    NONE = "none"


_ROLLING = re.compile(r"(\d+)\s*([wd])")


@dataclass(frozen=True)
class Window:
    kind: WindowKind
    # For SCHOOL_DAYS: how many, up to and including the evaluated day.
    length: int = 0

    @classmethod
    def parse(cls, text: str) -> Window:
        """ "4w" (4 weeks: 20 school days), "15d" (school days), "month", "term", "quarter"."""
        word = text.strip().lower()
        if match := _ROLLING.fullmatch(word):
            number = int(match[1])
            if number < 1:
                raise ValueError(text)
            return cls(WindowKind.SCHOOL_DAYS, number * (5 if match[2] == "w" else 1))
        if word in {k.value for k in WindowKind} - {WindowKind.SCHOOL_DAYS.value}:
            return cls(WindowKind(word))
        raise ValueError(text)

    def describe(self) -> str:
        if self.kind is WindowKind.SCHOOL_DAYS:
            return f"last {self.length} school days"
        return {
            WindowKind.MONTH: "calendar month",
            WindowKind.TERM: "term to date",
            WindowKind.QUARTER: "quarter to date",
            WindowKind.NONE: "-",
        }[self.kind]

    def span(self, school: School, day: date) -> tuple[date, date] | None:
        """The window's first and last calendar day when evaluated on `day`; None where the
        window does not exist (outside any term)."""
        if self.kind is WindowKind.SCHOOL_DAYS:
            return _rolling_start(school, day, self.length), day
        if self.kind is WindowKind.MONTH:
            return day.replace(day=1), day
        if self.kind is WindowKind.QUARTER:
            return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1), day
        if self.kind is WindowKind.TERM:
            term = next((t for t in school.calendar.terms if day in t), None)
            return None if term is None else (term.start, day)
        return None

    def longest_days(self) -> int:
        """Calendar days the window can reach back, for checking against what is kept."""
        return {
            WindowKind.SCHOOL_DAYS: self.length * 7 // 5 + 30,
            WindowKind.MONTH: 31,
            WindowKind.QUARTER: 92,
            WindowKind.TERM: 200,
            WindowKind.NONE: 0,
        }[self.kind]


def _rolling_start(school: School, day: date, length: int) -> date:
    # Back over `length` school days; a school without any gives up after a year.
    found, current = 0, day
    while current > day - timedelta(days=366):
        if is_school_day(school, current):
            found += 1
            if found == length:
                return current
        current -= timedelta(days=1)
    return current


class OriginKind(enum.StrEnum):
    DEFAULT = "country default"
    POLICY_FILE = "policy file"
    SCHOOL_FILE = "school file"


@dataclass(frozen=True)
class Origin:
    kind: OriginKind = OriginKind.DEFAULT
    line: int | None = None
    # The policy file's settings a school file changed only in part.
    under: Origin | None = None

    def describe(self) -> str:
        here = self.kind.value if self.line is None else f"{self.kind.value} line {self.line}"
        return here if self.under is None else f"{here} over {self.under.describe()}"


@dataclass(frozen=True)
class Rule:
    id: str
    enabled: bool
    counts: Counted
    measure: Measure
    comparison: Comparison
    threshold: float
    window: Window
    # Where the rule comes from in the seed documents, "file: lines".
    source: str
    min_known_days: int = 0
    origin: Origin = field(default_factory=Origin)

    def describe_threshold(self) -> str:
        if self.measure is Measure.EVENT:
            return "event"
        if self.measure is Measure.SHARE:
            value = f"{self.threshold * 100:g} % of known school days"
        else:
            value = f"{self.threshold:g} {self.measure.value.replace('_', ' ')}"
        return f"{self.counts.value} {self.comparison.value.replace('_', ' ')} {value}"


_SHARE_MINIMUM = 10


def _event(rule_id: str, source: str) -> Rule:
    return Rule(
        rule_id,
        True,
        Counted.NOTHING,
        Measure.EVENT,
        Comparison.AT_LEAST,
        1,
        Window(WindowKind.NONE),
        source,
    )


# "Hur mycket upprepad frånvaro de 4 senaste veckorna ska en elev uppvisa för att vi ska
# reagera?" (000: 396–402); "Vid frånvaro som var mer än 10 procent ringde läraren till
# vårdnadshavaren" over "en fyraveckorsperiod", "både den anmälda och den oanmälda"
# (001: 1701–1705).
SE_STEP2 = Rule(
    "se.step2",
    True,
    Counted.ABSENCE,
    Measure.SHARE,
    Comparison.OVER,
    0.10,
    Window(WindowKind.SCHOOL_DAYS, 20),
    "000: 396–402; 001: 1701–1705",
    _SHARE_MINIMUM,
)
# "Närvaromodellen steg 3 / Fortsatt frånvaro / Ansvarig: rektor" (000: 474–496): raised by
# hand; the principal is prompted at the review date if step 2 still holds (with cases).
SE_STEP3_REVIEW = _event("se.step3_review", "000: 474–496")

# Drammen (002: 649–663), "Fravær må regnes som bekymringsfullt når eleven: ..."
# "Har ugyldig fravær mer enn 1 gang" (002: 651).
NO_INVALID_REPEATED = Rule(
    "no.invalid_repeated",
    True,
    Counted.INVALID,
    Measure.DAYS,
    Comparison.OVER,
    1,
    Window(WindowKind.TERM),
    "002: 651",
)
# "Har hyppig fravær grunnet diffuse plager, f.eks. mer enn 3 enkeltdager i løpet av 1 måned"
# (002: 653). The reason ("diffuse plager") is not recorded, so every single day counts.
NO_SINGLE_DAYS = Rule(
    "no.single_days",
    True,
    Counted.SINGLE_DAYS,
    Measure.DAYS,
    Comparison.OVER,
    3,
    Window(WindowKind.MONTH),
    "002: 653",
)
# "Har gyldig fravær som overstiger 10 dager i løpet av semesteret" (002: 655).
NO_VALID_DAYS_TERM = Rule(
    "no.valid_days_term",
    True,
    Counted.VALID,
    Measure.DAYS,
    Comparison.OVER,
    10,
    Window(WindowKind.TERM),
    "002: 655",
)
# "Kommer for seint mer enn 3 ganger i løpet av 1 måned" (002: 657).
NO_LATE_MONTH = Rule(
    "no.late_month",
    True,
    Counted.LATE,
    Measure.OCCURRENCES,
    Comparison.OVER,
    3,
    Window(WindowKind.MONTH),
    "002: 657",
)
# "Forlater undervisningen gjentatte ganger uten å komme tilbake i timen" (002: 659).
NO_LEAVES_LESSONS = _event("no.leaves_lessons", "002: 659")
# "Opplever sterkt ubehag relatert til skole eller melder om at det er vanskelig å møte opp"
# (002: 649); "Eller når en foresatt: Melder om stadig strev for å få eleven på skolen" (002:
# 661–663): concerns, reported by a person.
NO_PUPIL_CONCERN = _event("no.pupil_concern", "002: 649")
NO_GUARDIAN_CONCERN = _event("no.guardian_concern", "002: 661–663")
# Oslo: "10 % fravær (dokumentert og udokumentert)" (003: 32), "færre elever med mer enn 10%
# fravær" (003: 136): over 10 %, term to date.
NO_OSLO_SHARE = Rule(
    "no.oslo_share",
    False,
    Counted.ABSENCE,
    Measure.SHARE,
    Comparison.OVER,
    0.10,
    Window(WindowKind.TERM),
    "003: 30–38, 136",
    _SHARE_MINIMUM,
)
# "ulovligt fravær på 10 pct. eller derover inden for ét kvartal, skal skolelederen orientere
# forældrene om fraværet og de mulige økonomiske sanktioner ved 15 pct." (004: 2462–2465).
DK_UNLAWFUL_10 = Rule(
    "dk.unlawful_10",
    True,
    Counted.INVALID,
    Measure.SHARE,
    Comparison.AT_LEAST,
    0.10,
    Window(WindowKind.QUARTER),
    "004: 2462–2465",
    _SHARE_MINIMUM,
)
# "skolens leder underretter kommunalbestyrelsen, når en elev har ulovligt skolefravær på
# 15 procent eller derover inden for ét kvartal" (004: 2467–2470).
DK_UNLAWFUL_15 = Rule(
    "dk.unlawful_15",
    True,
    Counted.INVALID,
    Measure.SHARE,
    Comparison.AT_LEAST,
    0.15,
    Window(WindowKind.QUARTER),
    "004: 2467–2470",
    _SHARE_MINIMUM,
)
# "kontakte forældrene senest tre uger (15 skoledage) efter, at eleven sidst deltog i
# undervisningen" (004: 2511–2513): 15 illness days in a row.
DK_ILLNESS_15 = Rule(
    "dk.illness_15",
    True,
    Counted.ILLNESS,
    Measure.IN_A_ROW,
    Comparison.AT_LEAST,
    15,
    Window(WindowKind.TERM),
    "004: 2505–2513",
)
# "Ved hyppigt, kortvarigt fravær på grund af sygdom ... når fraværet har haft en samlet
# varighed af tre uger (15 skoledage)" (004: 2515–2518).
DK_ILLNESS_TOTAL_15 = Rule(
    "dk.illness_total_15",
    True,
    Counted.ILLNESS,
    Measure.DAYS,
    Comparison.AT_LEAST,
    15,
    Window(WindowKind.TERM),
    "004: 2515–2518",
)

DEFAULTS: dict[Country, tuple[Rule, ...]] = {
    Country.SE: (SE_STEP2, SE_STEP3_REVIEW),
    Country.NO: (
        NO_INVALID_REPEATED,
        NO_SINGLE_DAYS,
        NO_VALID_DAYS_TERM,
        NO_LATE_MONTH,
        NO_LEAVES_LESSONS,
        NO_PUPIL_CONCERN,
        NO_GUARDIAN_CONCERN,
        NO_OSLO_SHARE,
    ),
    Country.DK: (DK_UNLAWFUL_10, DK_UNLAWFUL_15, DK_ILLNESS_15, DK_ILLNESS_TOTAL_15),
}


def rules_for(school: School) -> tuple[Rule, ...]:
    """The country's rules with the school's overrides applied, policy file first, then the
    school file, so the school file wins; each rule keeps where its settings came from."""
    rules = {rule.id: rule for rule in DEFAULTS[school.country]}
    for override in school.policy:
        rule = rules.get(override.rule_id)
        if rule is None:
            continue
        changes: dict[str, object] = {
            name: value
            for name in ("enabled", "threshold", "min_known_days")
            if (value := getattr(override, name)) is not None
        }
        if override.window is not None:
            changes["window"] = Window.parse(override.window)
        origin = Origin(OriginKind(override.origin), override.line)
        if rule.origin.kind is not OriginKind.DEFAULT and rule.origin != origin:
            origin = Origin(origin.kind, origin.line, rule.origin)
        rules[rule.id] = dataclasses.replace(rule, **changes, origin=origin)
    return tuple(rules.values())


def rule_key(rule_id: str) -> str:
    """The rule's key in a TOML table: `[policy.se_step2]` for `se.step2`."""
    return rule_id.replace(".", "_", 1)


def describe_rule(rule: Rule) -> str:
    """One line for `narvaro policy show`: id, on/off, threshold and measure, window, origin,
    and the seed reference."""
    parts = [f"{rule.id:<20}", "on " if rule.enabled else "off", rule.describe_threshold()]
    if rule.measure is not Measure.EVENT:
        parts.append(rule.window.describe())
    if rule.min_known_days:
        parts.append(f"at least {rule.min_known_days} known days")
    parts.append(rule.origin.describe())
    parts.append(f"[{rule.source}]")
    return " | ".join(parts)
