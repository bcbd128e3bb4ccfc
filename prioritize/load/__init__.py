"""Files in: criteria sets, requirements, members and scores from CSV, XLSX, YAML or a
DataFrame, validated all-or-nothing.

- :mod:`~prioritize.load.files` — reading a file (or upload, DataFrame, records) into a table;
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
from prioritize.load.matrix import DEFAULT_RULES, default_matrix
from prioritize.load.members import load_members
from prioritize.load.requirements import load_requirements
from prioritize.load.scores import check_scores, key_codes, load_scores

__all__ = [
    "ALIASES",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_RULES",
    "MEMBER_COLUMNS",
    "REQUIREMENT_COLUMNS",
    "SCORE_COLUMNS",
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
