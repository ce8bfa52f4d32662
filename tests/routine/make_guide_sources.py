"""Write `guide_sources.txt`: the seed lines that `routine.guides` cites, for its tests.

The seeds are not part of a clone, so the test reads this copy of the lines it needs. Run it
again after changing a guide's sources:

    .venv/bin/python -m tests.routine.make_guide_sources ../shared/seeds
"""

from __future__ import annotations

import sys
from pathlib import Path

from routine.guides import CLOSING, GUIDES, source_lines

FIXTURE = Path(__file__).with_name("guide_sources.txt")


def cited() -> dict[str, set[int]]:
    """Every line each seed file is cited for, by file number."""
    sources = []
    for guide in GUIDES.values():
        sources.append(guide.source)
        sources.extend(entry.source for entry in guide.checklist)
        for question_set in (*guide.questions, *CLOSING.values()):
            sources.append(question_set.source)
            sources.extend(entry.source for entry in question_set.items)
    lines: dict[str, set[int]] = {}
    for source in sources:
        number, numbers = source_lines(source)
        lines.setdefault(number, set()).update(numbers)
    return lines


def main(seeds: Path) -> None:
    out = [
        "# The seed lines routine.guides cites: 'NNN:line<TAB>text'. Written by",
        "# tests/routine/make_guide_sources.py from the seeds in ../shared/seeds.",
    ]
    for number, wanted in sorted(cited().items()):
        (path,) = seeds.glob(f"{number}_*.txt")
        text = path.read_text(encoding="utf-8").splitlines()
        out.extend(f"{number}:{line}\t{text[line - 1].rstrip()}" for line in sorted(wanted))
    FIXTURE.write_text("\n".join(out) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
