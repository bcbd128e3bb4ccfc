"""Input limits, in one place: how large and how complex a file the loaders read.

Every loader (CSV, XLSX and YAML tables in :mod:`~prioritize.load.files`, criteria sets in
:mod:`~prioritize.load.criteria`) checks its input against a :class:`Limits` before the
expensive work, so a hostile file (a zip bomb, a sparse sheet that claims a million rows, a
YAML "billion laughs") is refused in seconds and bounded memory with a
:class:`~prioritize.errors.ValidationError` naming the file, the limit, what was found and
what is accepted. The defaults are far above anything a real council writes; raise one for
a single call with ``limits=DEFAULT_LIMITS.replace(max_rows=...)``.
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass
from typing import Any, TypeAlias

from prioritize.errors import Problem, ValidationError
from prioritize.model.criteria import MAX_WEIGHT

__all__ = ["DEFAULT_LIMITS", "FROM_LIMITS", "Limits", "MaxBytes", "exceeded", "file_limit"]

_MiB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """How large and how complex an input file may be.

    Every field is a ceiling a real council never meets (its sheets have hundreds of
    requirements, tens of members, a dozen criteria), set where a file beyond it is a
    mistake or an attack. ``None`` lifts a limit (only ``max_file_bytes``).

    Attributes
    ----------
    max_file_bytes
        Bytes on disk (or in an upload): 20 MiB. The loaders' ``max_bytes`` argument
        overrides it for one call (``max_bytes=None``: no limit).
    max_unzipped_bytes
        An XLSX is a zip: the sum of its parts' uncompressed sizes, read from the zip's
        directory before anything is decompressed: 250 MB (a 20 MB workbook unzips to
        about 150 MB: real sheets compress 5 to 10 times).
    max_part_bytes
        One part of an XLSX uncompressed (a sheet, the shared-string table): 200 MB.
    max_zip_entries
        Parts in an XLSX (a workbook has a dozen or so): 1,000.
    max_compression_ratio
        Uncompressed / compressed size of one XLSX part larger than 1 MiB: 100 (real
        sheets compress 5 to 10 times; a zip bomb about 1,000 times).
    max_rows
        Data rows of a table, below the header (for a sheet: its used range, down to the
        last row with a value, whatever range the file claims): 1,000,000.
    max_columns
        Columns of a table (for a sheet: up to the last column with a value): 1,000.
    max_cells
        Data rows x columns of a table, the size of the frame it becomes: 10,000,000.
    max_cell_chars
        Characters in one cell or column name: 100,000 (Excel holds at most 32,767).
    max_yaml_aliases
        Alias references (``*name``) in a YAML file: 1,000.
    max_yaml_nodes
        Nodes of a YAML document counted as if every alias were expanded (a "billion
        laughs" of 367 bytes expands to a billion): 5,000,000.
    max_yaml_depth
        Nesting depth of a YAML document (a criteria set needs 7): 64.
    max_weight
        Largest criterion weight: 1e6 (weights are relative; only their ratios matter, and
        a weight near 1e308 makes every score overflow). The model's own bound,
        :data:`prioritize.model.criteria.MAX_WEIGHT`.
    max_scale_magnitude
        Largest absolute value of a scale's ``min`` or ``max``: 1e9.
    max_estimate
        Largest requirement ``cost`` or ``effort``: 1e15 (a hundred million euros in the
        weakest currency; a total of a million such estimates stays a finite float).
    max_requires_steps
        Steps of following ``requires`` while checking that every requirement can be
        funded (the sum over requirements of how many others each needs, directly or
        through others): 5,000,000 (a council's few hundred requirements take thousands; a
        chain of a million requirements each needing the next would take 10^12).
    """

    max_file_bytes: int | None = 20 * _MiB
    max_unzipped_bytes: int = 250_000_000
    max_part_bytes: int = 200_000_000
    max_zip_entries: int = 1_000
    max_compression_ratio: float = 100.0
    max_rows: int = 1_000_000
    max_columns: int = 1_000
    max_cells: int = 10_000_000
    max_cell_chars: int = 100_000
    max_yaml_aliases: int = 1_000
    max_yaml_nodes: int = 5_000_000
    max_yaml_depth: int = 64
    max_weight: float = MAX_WEIGHT
    max_scale_magnitude: float = 1e9
    max_estimate: float = 1e15
    max_requires_steps: int = 5_000_000

    def replace(self, **changes: Any) -> Limits:
        """A copy with some limits changed (``DEFAULT_LIMITS.replace(max_rows=2_000_000)``)."""
        return dataclasses.replace(self, **changes)


#: The limits every loader applies unless given others.
DEFAULT_LIMITS = Limits()


class _FromLimits(enum.Enum):
    FROM_LIMITS = "limits.max_file_bytes"

    def __repr__(self) -> str:
        return "FROM_LIMITS"


#: The loaders' ``max_bytes`` when not given: ``limits.max_file_bytes`` applies.
FROM_LIMITS = _FromLimits.FROM_LIMITS
#: A loader's ``max_bytes``: a size, None (no limit) or :data:`FROM_LIMITS`.
MaxBytes: TypeAlias = int | _FromLimits | None


def file_limit(max_bytes: MaxBytes, limits: Limits) -> int | None:
    """The size limit on disk: ``max_bytes`` when given, else the limits'."""
    return limits.max_file_bytes if max_bytes is FROM_LIMITS else max_bytes


#: Compression ratios are only judged on parts larger than this (tiny parts compress
#: badly or absurdly well by chance).
RATIO_FLOOR_BYTES = _MiB


def exceeded(
    limit: str,
    message: str,
    *,
    file: str,
    found: str,
    expected: str,
    row: int | str | None = None,
    column: str | None = None,
) -> ValidationError:
    """The error for an input that passes one limit: names the file, the limit (a
    :class:`Limits` field), what was found and what is accepted."""
    return ValidationError(
        Problem(
            message,
            file=file,
            row=row,
            column=column,
            value=found,
            expected=expected,
            limit=limit,
        )
    )
