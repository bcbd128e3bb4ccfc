"""Our exception and warning types.

Every problem with user input is reported as a :class:`Problem` that names the file, the
row, the column, the offending value and what was expected (and, for a file too large or
too complex to read, the :class:`~prioritize.load.limits.Limits` field it passed). A
:class:`ValidationError` carries all the problems found in one pass, so that ``prioritize
validate`` can print every one of them and a loader can refuse the whole file
(all-or-nothing).

A problem's texts are cut when it is built (:data:`VALUE_CHARS`, :data:`TEXT_CHARS`), so a
hostile file can never make an error message huge; :func:`bounded_repr` shows a value of
any size or nesting in bounded time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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
    "bounded_repr",
]

#: How many problems ``str(ValidationError)`` lists before summarising the rest.
_SHOWN = 20
#: A problem's value, column and (text) row are cut to this many characters.
VALUE_CHARS = 200
#: A problem's message, file and expected text are cut to this many characters.
TEXT_CHARS = 1000
#: What :func:`bounded_repr` puts at the end of a cut representation.
_CUT = "… (cut)"


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text):,} characters)"


class _Full(Exception):
    """The representation reached its length: stop walking the value."""


def bounded_repr(value: object, limit: int = VALUE_CHARS) -> str:
    """``repr(value)`` cut to at most ``limit`` characters, built without ever formatting
    more than that: safe for a value of any size, nesting or sharing (a YAML "billion
    laughs" whose repr would take gigabytes), and for self-referencing containers.

    Examples
    --------
    >>> bounded_repr({"min": 5, "max": 1})
    "{'min': 5, 'max': 1}"
    >>> laughs = [[[0] * 10] * 10] * 10          # each level ten times the one below;
    >>> for _ in range(6):                       # 10**10 zeros once expanded, a few
    ...     laughs = [laughs] * 10               # kilobytes as built
    >>> len(bounded_repr(laughs, limit=40))
    40
    """
    parts: list[str] = []
    room = limit

    def emit(text: str) -> None:
        nonlocal room
        parts.append(text[: room + 1])
        room -= len(text)
        if room < 0:
            raise _Full

    def walk(item: object, open_ids: frozenset[int]) -> None:
        if isinstance(item, str):
            emit(repr(item[: limit + 1]))
        elif isinstance(item, Mapping | list | tuple | set | frozenset):
            if id(item) in open_ids:
                emit("{...}" if isinstance(item, Mapping) else "[...]")
                return
            inner = open_ids | {id(item)}
            if isinstance(item, Mapping):
                emit("{")
                for i, (key, sub) in enumerate(item.items()):
                    emit(", " if i else "")
                    walk(key, inner)
                    emit(": ")
                    walk(sub, inner)
                emit("}")
                return
            brackets = {list: "[]", tuple: "()"}.get(type(item), "{}")
            left, right = brackets[0], brackets[1]
            emit(left if item or isinstance(item, list | tuple) else f"{type(item).__name__}(")
            for i, sub in enumerate(item):
                emit(", " if i else "")
                walk(sub, inner)
            if isinstance(item, tuple) and len(item) == 1:
                emit(",")
            emit(right if item or isinstance(item, list | tuple) else ")")
        else:
            try:
                text = repr(item)
            except ValueError:  # an int too long to print
                text = f"<{type(item).__name__}>"
            emit(text)

    try:
        walk(value, frozenset())
    except _Full:
        return "".join(parts)[: max(limit - len(_CUT), 0)] + _CUT
    return "".join(parts)


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
    limit
        The :class:`~prioritize.load.limits.Limits` field the input passed (``max_rows``,
        ``max_yaml_depth``, ...), when the problem is a limit.

    Every text is cut when the problem is built (the value to :data:`VALUE_CHARS`
    characters, with the full length said), so no caller can put a huge value in a message.
    """

    message: str
    file: str | None = None
    row: int | str | None = None
    column: str | None = None
    value: str | None = None
    expected: str | None = None
    limit: str | None = None

    def __post_init__(self) -> None:
        for name, size in (
            ("message", TEXT_CHARS),
            ("file", TEXT_CHARS),
            ("expected", TEXT_CHARS),
            ("value", VALUE_CHARS),
            ("column", VALUE_CHARS),
            ("row", VALUE_CHARS),
        ):
            text = getattr(self, name)
            if isinstance(text, str) and len(text) > size:
                object.__setattr__(self, name, _clip(text, size))

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
        if self.limit is not None:
            text += f" [limit {self.limit}]"
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
