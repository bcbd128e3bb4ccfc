"""Files in: criteria sets, requirements, members and scores from CSV, XLSX, YAML or a
DataFrame, validated all-or-nothing.

- :mod:`~prioritize.load.limits` — how large and complex an input file may be (one place);
- :mod:`~prioritize.load.files` — reading a file (or upload, DataFrame, records) into a table,
  with :mod:`~prioritize.load.csvfile` (the header read before pandas parses),
  :mod:`~prioritize.load.xlsx` (a sheet, streamed within the limits) on
  :mod:`~prioritize.load.xlsx_parts` (the zip checked from its directory, the workbook's
  parts) and :mod:`~prioritize.load.bounded_yaml` (YAML, aliases and depth counted before
  anything is built);
- :mod:`~prioritize.load.identity` — when two ids or column names are the same to a reader;
- :mod:`~prioritize.load.columns` — the columns of each kind of table and their aliases;
- :mod:`~prioritize.load.problems` — cleaning cells and collecting problems with their place;
- :mod:`~prioritize.load.criteria` and :mod:`~prioritize.load.matrix` — criteria sets (YAML);
- :mod:`~prioritize.load.requirements`, :mod:`~prioritize.load.members`,
  :mod:`~prioritize.load.scores` — one loader per kind of table.
"""

from __future__ import annotations

from prioritize.load.columns import ALIASES, MEMBER_COLUMNS, REQUIREMENT_COLUMNS, SCORE_COLUMNS
from prioritize.load.criteria import load_criteria
from prioritize.load.files import DEFAULT_MAX_BYTES, Source, Table, Upload, read_table
from prioritize.load.limits import DEFAULT_LIMITS, Limits
from prioritize.load.matrix import DEFAULT_RULES, default_matrix
from prioritize.load.members import load_members
from prioritize.load.requirements import load_requirements
from prioritize.load.scores import check_scores, key_codes, load_scores

__all__ = [
    "ALIASES",
    "DEFAULT_LIMITS",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_RULES",
    "MEMBER_COLUMNS",
    "REQUIREMENT_COLUMNS",
    "SCORE_COLUMNS",
    "Limits",
    "Source",
    "Table",
    "Upload",
    "check_scores",
    "default_matrix",
    "key_codes",
    "load_criteria",
    "load_members",
    "load_requirements",
    "load_scores",
    "read_table",
]
