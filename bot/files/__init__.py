"""Reading the operator's files: the school file (TOML) and the roster (CSV).

Both readers collect every problem before giving up, each with the line it is on, so that the
operator can fix a file in one go. The formats are documented in docs/school-file.md and
docs/roster.md; applying the parsed values is the job of `routine.school_file` and
`routine.roster`.
"""

from bot.files.roster_csv import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, parse_roster_csv
from bot.files.school_file import parse_school_file

__all__ = ["OPTIONAL_COLUMNS", "REQUIRED_COLUMNS", "parse_roster_csv", "parse_school_file"]
