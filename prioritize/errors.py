"""Our exception and warning types.

Every problem with user input is reported as a :class:`Problem` that names the file, the
row, the column, the offending value and what was expected. A :class:`ValidationError`
carries all the problems found in one pass, so that ``prioritize validate`` can print every
one of them and a loader can refuse the whole file (all-or-nothing).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "ExportTextWarning",
    "ExportWarning",
    "IncompleteScoresWarning",
    "OwnersIgnoredWarning",
    "PermissionDenied",
    "PrioritizeError",
    "PrioritizeWarning",
    "Problem",
    "ValidationError",
    "WeightsNormalisedWarning",
]

#: How many problems ``str(ValidationError)`` lists before summarising the rest.
_SHOWN = 20


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input, and where.

    Parameters
    ----------
    message
        What is wrong, in plain words.
    file
        The file (or ``"<DataFrame>"``) the value came from.
    row
        Where in the file: a line number for CSV and XLSX (the header is line 1), an item
        number for YAML, an index label for a DataFrame.
    column
        The column or key.
    value
        The offending value, as text.
    expected
        What would have been accepted.
    """

    message: str
    file: str | None = None
    row: int | str | None = None
    column: str | None = None
    value: str | None = None
    expected: str | None = None

    def __str__(self) -> str:
        where = []
        if self.file is not None:
            where.append(str(self.file))
        if self.row is not None:
            where.append(f"row {self.row}" if isinstance(self.row, int) else str(self.row))
        if self.column is not None:
            where.append(f"column {self.column!r}")
        text = ", ".join(where)
        text = f"{text}: {self.message}" if text else self.message
        if self.value is not None:
            text += f" (got {self.value!r})"
        if self.expected is not None:
            text += f"; expected {self.expected}"
        return text


class PrioritizeError(Exception):
    """Base class of every error prioritize raises on purpose."""


class ValidationError(PrioritizeError, ValueError):
    """Input that cannot be used as it is. Holds every :class:`Problem` found.

    Examples
    --------
    >>> err = ValidationError([Problem("not a number", file="scores.csv", row=3,
    ...                                column="score", value="x", expected="a number from 1 to 5")])
    >>> print(err)
    scores.csv, row 3, column 'score': not a number (got 'x'); expected a number from 1 to 5
    """

    def __init__(self, problems: Iterable[Problem] | Problem | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: tuple[Problem, ...] = tuple(problems)
        if not self.problems:
            raise ValueError("a ValidationError needs at least one problem")
        super().__init__(self._text())

    def _text(self) -> str:
        lines = [str(p) for p in self.problems[:_SHOWN]]
        if len(self.problems) > _SHOWN:
            lines.append(f"... and {len(self.problems) - _SHOWN} more problems")
        if len(lines) == 1:
            return lines[0]
        return f"{len(self.problems)} problems:\n" + "\n".join(f"  - {line}" for line in lines)

    @property
    def first(self) -> Problem:
        """The first problem found."""
        return self.problems[0]


class PermissionDenied(PrioritizeError):
    """An action the acting member's role does not allow."""


class PrioritizeWarning(UserWarning):
    """Base class of prioritize's warnings: things a user may mean, told, not fixed."""


class WeightsNormalisedWarning(PrioritizeWarning):
    """Weights did not sum to 1 and were divided by their sum."""


class OwnersIgnoredWarning(PrioritizeWarning):
    """Criteria have owners but members (and so departments) are unknown."""


class ExportWarning(PrioritizeWarning):
    """Something about an export the user should know (e.g. decisions about requirements
    the evaluation does not know, which are left out of the portfolio)."""


class ExportTextWarning(ExportWarning):
    """User text was changed to fit a spreadsheet: characters a workbook cannot hold were
    replaced with U+FFFD, or text longer than a cell holds was cut."""


class IncompleteScoresWarning(PrioritizeWarning):
    """Some requirements lack scores and are left out of the ranking (see ``unscored``)."""
