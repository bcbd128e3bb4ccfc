"""Load requirements, scores and members from CSV, XLSX, YAML or a DataFrame.

Every loader validates the whole input and raises one :class:`ValidationError` listing every
problem (file, row, column, value, what was expected); nothing is loaded when anything is
wrong. Column names are matched case-insensitively, ignoring surrounding spaces, with
spaces and hyphens read as underscores. Cells are read as text and converted here, so no
spreadsheet value is ever interpreted as anything but data.

Row numbers: for CSV and XLSX the line as a spreadsheet shows it (the header is row 1, the
first data row is row 2); for YAML the item number (1 = first); for a DataFrame the index
label.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from prioritize.errors import Problem, ValidationError
from prioritize.model import ROLES, CriteriaSet, Members, Requirements, Scores

__all__ = [
    "MEMBER_COLUMNS",
    "REQUIREMENT_COLUMNS",
    "SCORE_COLUMNS",
    "check_scores",
    "load_members",
    "load_requirements",
    "load_scores",
    "read_table",
]

REQUIREMENT_COLUMNS = ("id", "title", "description", "requested_by", "personas", "scenario",
                       "evidence", "status")
_REQUIREMENT_REQUIRED = ("id", "title")
SCORE_COLUMNS = ("requirement_id", "member", "criterion", "score", "reason", "time")
_SCORE_REQUIRED = ("requirement_id", "member", "criterion", "score")
MEMBER_COLUMNS = ("id", "name", "department", "role")
_MEMBER_REQUIRED = ("id", "name", "department")

#: At most this many problems of one kind are listed per column (the count says the rest).
_MAX_LISTED = 50

Source = str | Path | pd.DataFrame | Sequence[Mapping[str, Any]]


@dataclass(frozen=True, slots=True)
class Table:
    """A table read from a file, all cells as text, with where it came from."""

    frame: pd.DataFrame
    label: str
    row_base: int | None  # row number = position + row_base; None: use the index label

    def row(self, position: int) -> int | str:
        if self.row_base is None:
            return str(self.frame.index[position])
        return position + self.row_base


def read_table(source: Source, *, key: str | None = None, sheet: str | int | None = None) -> Table:
    """Read a CSV, XLSX or YAML file (or a DataFrame, or a list of mappings) as text cells.

    Parameters
    ----------
    source
        The file, DataFrame or records.
    key
        For YAML: the top-level key holding the list (``requirements``, ``scores``,
        ``members``) when the file is a mapping rather than a list.
    sheet
        For XLSX: the sheet name or number (default: the first sheet).
    """
    if isinstance(source, pd.DataFrame):
        frame = source.copy()
        if frame.index.name is not None and frame.index.name not in frame.columns:
            frame = frame.reset_index()
        return Table(_as_text(frame), "<DataFrame>", None if _labelled(frame) else 2)
    if isinstance(source, list | tuple):
        return Table(_as_text(pd.DataFrame(list(source))), "<records>", 1)
    path = Path(source)
    label = str(source)
    if not path.is_file():
        raise ValidationError(Problem("no such file", file=label, expected="an existing file"))
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        frame = _read_csv(path, label)
        base = 2
    elif suffix in (".xlsx", ".xlsm"):
        frame = _read_xlsx(path, label, sheet)
        base = 2
    elif suffix in (".yaml", ".yml"):
        frame = _read_yaml(path, label, key)
        base = 1
    else:
        raise ValidationError(Problem("unsupported file type", file=label, value=suffix,
                                      expected=".csv, .xlsx or .yaml"))
    if frame.empty:
        raise ValidationError(Problem("the file has no data rows", file=label,
                                      expected="a header and at least one row"))
    return Table(_as_text(frame), label, base)


def _labelled(frame: pd.DataFrame) -> bool:
    return not isinstance(frame.index, pd.RangeIndex) or frame.index.start != 0


def _read_csv(path: Path, label: str) -> pd.DataFrame:
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig",
                           skipinitialspace=False)
    except pd.errors.EmptyDataError as exc:
        raise ValidationError(Problem("the file is empty", file=label,
                                      expected="a header and at least one row")) from exc
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise ValidationError(Problem(f"malformed CSV: {exc}".strip(), file=label,
                                      expected="comma-separated values, UTF-8")) from exc


def _read_xlsx(path: Path, label: str, sheet: str | int | None) -> pd.DataFrame:
    try:
        frame = pd.read_excel(path, sheet_name=0 if sheet is None else sheet, dtype=object,
                              engine="openpyxl")
    except ValueError as exc:
        raise ValidationError(Problem(f"cannot read the sheet: {exc}", file=label,
                                      value=None if sheet is None else str(sheet),
                                      expected="an existing sheet")) from exc
    except Exception as exc:  # openpyxl raises a zoo of types for a broken file
        raise ValidationError(Problem(f"not a readable XLSX workbook: {exc}", file=label,
                                      expected="an .xlsx file saved by Excel or openpyxl")) from exc
    assert isinstance(frame, pd.DataFrame)
    return frame


def _read_yaml(path: Path, label: str, key: str | None) -> pd.DataFrame:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ValidationError(Problem(f"malformed YAML: {getattr(exc, 'problem', exc)}",
                                      file=label, row=None if mark is None else mark.line + 1,
                                      expected="a YAML list of mappings")) from exc
    except UnicodeDecodeError as exc:
        raise ValidationError(Problem("not a UTF-8 text file", file=label,
                                      expected="a YAML list of mappings")) from exc
    if data is None:
        raise ValidationError(Problem("the file is empty", file=label,
                                      expected="a YAML list of mappings"))
    if isinstance(data, Mapping) and key is not None and key in data:
        data = data[key]
    if not isinstance(data, list) or not all(isinstance(item, Mapping) for item in data):
        raise ValidationError(Problem("expected a list of mappings", file=label,
                                      value=type(data).__name__,
                                      expected=f"a list of mappings, or a mapping with a "
                                               f"'{key}' list"))
    return pd.DataFrame(data)


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Normalise column names and turn every cell into text ('' for a missing cell)."""
    columns = [str(c).strip().lower().replace(" ", "_").replace("-", "_") for c in frame.columns]
    frame = frame.copy()
    frame.columns = pd.Index(columns)
    out = {}
    for position, column in enumerate(columns):
        values = frame.iloc[:, position]
        out[column] = _text(values)
    return pd.DataFrame(out, index=frame.index)


def _text(values: pd.Series) -> pd.Series:
    if pd.api.types.is_string_dtype(values.dtype) and not pd.api.types.is_object_dtype(
            values.dtype):
        return values.fillna("").astype(object)
    if pd.api.types.is_integer_dtype(values.dtype) or pd.api.types.is_bool_dtype(values.dtype):
        return values.astype(str).astype(object)
    if pd.api.types.is_float_dtype(values.dtype):
        array = values.to_numpy(dtype=float)
        text = np.where(np.isnan(array), "", np.char.mod("%.15g", np.nan_to_num(array)))
        return pd.Series(text, index=values.index, dtype=object)

    def one(value: object) -> str:
        if value is None or (isinstance(value, float) and np.isnan(value)):
            return ""
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        if value is pd.NaT:
            return ""
        return str(value)

    return values.map(one).astype(object)


def _missing_columns(table: Table, required: Sequence[str]) -> None:
    missing = [c for c in required if c not in table.frame.columns]
    if missing:
        raise ValidationError(Problem(
            f"missing required column{'s' if len(missing) > 1 else ''} {', '.join(missing)}",
            file=table.label, row=1 if table.row_base == 2 else None,
            value=", ".join(map(str, table.frame.columns)),
            expected=f"columns {', '.join(required)}"))


def _blank_problems(table: Table, column: str, what: str) -> list[Problem]:
    values = table.frame[column].to_numpy(dtype=object)
    blank = np.flatnonzero(pd.Series(values).str.strip().to_numpy() == "")
    return [Problem(f"missing {what}", file=table.label, row=table.row(int(p)), column=column,
                    value="", expected=f"a non-empty {what}") for p in blank[:_MAX_LISTED]] + (
        [Problem(f"{len(blank) - _MAX_LISTED} more rows with a missing {what}",
                 file=table.label, column=column)] if len(blank) > _MAX_LISTED else [])


def _duplicate_problems(table: Table, columns: Sequence[str], what: str) -> list[Problem]:
    keys = table.frame[list(columns)].apply(lambda s: s.str.strip())
    dup = keys.duplicated(keep=False).to_numpy()
    if not dup.any():
        return []
    positions = np.flatnonzero(dup)
    first_of: dict[tuple[str, ...], int] = {}
    problems = []
    for p in positions:
        key = tuple(keys.iloc[p])
        if key not in first_of:
            first_of[key] = int(p)
            continue
        if len(problems) < _MAX_LISTED:
            problems.append(Problem(
                f"duplicate {what} (first at row {table.row(first_of[key])})",
                file=table.label, row=table.row(int(p)), column=", ".join(columns),
                value=" / ".join(key), expected=f"each {what} once"))
    return problems


def load_requirements(source: Source, *, sheet: str | int | None = None) -> Requirements:
    """Load and validate requirements.

    Parameters
    ----------
    source
        A CSV, XLSX or YAML file, or a DataFrame. Columns: ``id`` and ``title`` (required),
        ``description, requested_by, personas`` (``;``-separated), ``scenario, evidence,
        status``. Other columns are kept.
    sheet
        For XLSX: the sheet (default: the first).

    Returns
    -------
    Requirements
        Indexed by id, in file order.

    Raises
    ------
    ValidationError
        Missing columns, empty ids or titles, duplicate ids, an empty file.

    Examples
    --------
    >>> import pandas as pd
    >>> reqs = load_requirements(pd.DataFrame({"id": ["R1", "R2"], "title": ["A", "B"]}))
    >>> list(reqs.ids)
    ['R1', 'R2']
    """
    if isinstance(source, Requirements):
        return source
    table = read_table(source, key="requirements", sheet=sheet)
    _missing_columns(table, _REQUIREMENT_REQUIRED)
    problems = _blank_problems(table, "id", "id") + _blank_problems(table, "title", "title")
    problems += _duplicate_problems(table, ["id"], "requirement id")
    if problems:
        raise ValidationError(problems)
    frame = table.frame.copy()
    for column in REQUIREMENT_COLUMNS:
        if column not in frame.columns:
            frame[column] = ""
        frame[column] = frame[column].str.strip()
    extra = [c for c in frame.columns if c not in REQUIREMENT_COLUMNS]
    frame = frame[list(REQUIREMENT_COLUMNS) + extra].set_index("id")
    frame.index = pd.Index(frame.index.to_numpy(dtype=object), name="id", dtype=object)
    return Requirements(frame, table.label)


def load_members(source: Source, *, sheet: str | int | None = None) -> Members:
    """Load and validate council members.

    Columns: ``id, name, department`` (required) and ``role`` (``member``, ``facilitator``
    or ``observer``; when the column is absent every member is a ``member``).

    Raises
    ------
    ValidationError
        Missing columns or values, duplicate ids, an unknown role.
    """
    if isinstance(source, Members):
        return source
    table = read_table(source, key="members", sheet=sheet)
    _missing_columns(table, _MEMBER_REQUIRED)
    frame = table.frame.copy()
    if "role" not in frame.columns:
        frame["role"] = "member"
    problems = (_blank_problems(table, "id", "member id") + _blank_problems(table, "name", "name")
                + _blank_problems(table, "department", "department"))
    problems += _duplicate_problems(table, ["id"], "member id")
    roles = frame["role"].str.strip().str.lower()
    for p in np.flatnonzero(~roles.isin(ROLES).to_numpy())[:_MAX_LISTED]:
        problems.append(Problem("unknown role", file=table.label, row=table.row(int(p)),
                                column="role", value=str(frame["role"].iloc[p]),
                                expected=f"one of {', '.join(ROLES)}"))
    if problems:
        raise ValidationError(problems)
    frame["role"] = roles
    for column in ("id", "name", "department"):
        frame[column] = frame[column].str.strip()
    extra = [c for c in frame.columns if c not in MEMBER_COLUMNS]
    frame = frame[list(MEMBER_COLUMNS) + extra].set_index("id")
    frame.index = pd.Index(frame.index.to_numpy(dtype=object), name="id", dtype=object)
    return Members(frame, table.label)


def load_scores(
    source: Source,
    *,
    criteria: CriteriaSet | None = None,
    requirements: Requirements | None = None,
    members: Members | None = None,
    sheet: str | int | None = None,
) -> Scores:
    """Load and validate scores in long form.

    Columns: ``requirement_id, member, criterion, score`` (required), ``reason`` and
    ``time`` (optional). One row per member x requirement x criterion.

    Parameters
    ----------
    source
        A CSV, XLSX or YAML file, or a DataFrame.
    criteria, requirements, members
        When given, every score is also checked against them: known criterion, known
        requirement, known member who may score, score inside the criterion's scale. (The
        same checks run in :func:`prioritize.evaluate`.)

    Raises
    ------
    ValidationError
        Missing columns, blank keys, a score that is not a number, duplicate scores (the
        same member, requirement and criterion twice), and the checks above.
    """
    if isinstance(source, Scores):
        scores = source
    else:
        table = read_table(source, key="scores", sheet=sheet)
        _missing_columns(table, _SCORE_REQUIRED)
        frame = table.frame
        problems: list[Problem] = []
        keys = {}
        for column in ("requirement_id", "member", "criterion"):
            keys[column] = frame[column].str.strip()
            problems += _blank_problems(table, column, column.replace("_", " "))
        text = frame["score"].str.strip()
        numbers = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)
        bad = np.flatnonzero(~np.isfinite(numbers))
        for p in bad[:_MAX_LISTED]:
            value = str(frame["score"].iloc[p])
            problems.append(Problem("missing score" if not value.strip() else
                                    "score is not a number", file=table.label,
                                    row=table.row(int(p)), column="score", value=value,
                                    expected="a number on the criterion's scale"))
        if len(bad) > _MAX_LISTED:
            problems.append(Problem(f"{len(bad) - _MAX_LISTED} more rows with a score that is "
                                    "not a number", file=table.label, column="score"))
        if not problems:
            problems += _duplicate_problems(table, ["requirement_id", "member", "criterion"],
                                            "score")
        if problems:
            raise ValidationError(problems)
        out = pd.DataFrame({
            "requirement_id": keys["requirement_id"],
            "member": keys["member"],
            "criterion": keys["criterion"],
            "score": numbers,
            "reason": frame["reason"].str.strip() if "reason" in frame.columns else "",
        }, index=frame.index)
        if "time" in frame.columns:
            out["time"] = frame["time"].str.strip()
        scores = Scores(out, table.label, row_base=table.row_base)
    if criteria is not None or requirements is not None or members is not None:
        check_scores(scores, criteria=criteria, requirements=requirements, members=members)
    return scores


def check_scores(
    scores: Scores,
    *,
    criteria: CriteriaSet | None = None,
    requirements: Requirements | None = None,
    members: Members | None = None,
) -> None:
    """Check scores against criteria, requirements and members; raise every problem found.

    Raises
    ------
    ValidationError
        A score for an unknown criterion, requirement or member, a score by an observer,
        or a score outside the criterion's scale.
    """
    frame = scores.frame
    problems: list[Problem] = []

    def row(position: int) -> int | str:
        if scores.row_base is None:
            return str(frame.index[position])
        return position + scores.row_base

    def report(mask: np.ndarray, column: str, message: str, expected: str,
               values: pd.Series | None = None) -> None:
        positions = np.flatnonzero(mask)
        shown = frame[column] if values is None else values
        for p in positions[:_MAX_LISTED]:
            value = shown.iloc[p]
            text = f"{value:g}" if isinstance(value, float) else str(value)
            problems.append(Problem(message, file=scores.source, row=row(int(p)), column=column,
                                    value=text, expected=expected))
        if len(positions) > _MAX_LISTED:
            problems.append(Problem(f"{len(positions) - _MAX_LISTED} more rows: {message}",
                                    file=scores.source, column=column))

    if criteria is not None:
        ids = list(criteria.ids)
        code = pd.Index(ids).get_indexer(frame["criterion"])
        report(code < 0, "criterion", "unknown criterion", f"one of {', '.join(ids)}")
        known = code >= 0
        low = np.array([c.scale.min for c in criteria])[np.where(known, code, 0)]
        high = np.array([c.scale.max for c in criteria])[np.where(known, code, 0)]
        values = frame["score"].to_numpy(dtype=float)
        outside = known & ((values < low) | (values > high))
        if outside.any():
            positions = np.flatnonzero(outside)
            for p in positions[:_MAX_LISTED]:
                problems.append(Problem(
                    "score outside the criterion's scale", file=scores.source, row=row(int(p)),
                    column="score", value=f"{values[p]:g}",
                    expected=f"a number from {low[p]:g} to {high[p]:g} for "
                             f"{frame['criterion'].iloc[p]}"))
            if len(positions) > _MAX_LISTED:
                problems.append(Problem(f"{len(positions) - _MAX_LISTED} more scores outside "
                                        "their scale", file=scores.source, column="score"))
    if requirements is not None:
        unknown = pd.Index(requirements.ids).get_indexer(frame["requirement_id"]) < 0
        report(unknown, "requirement_id", "score for an unknown requirement",
               f"a requirement id from {requirements.source}")
    if members is not None:
        code = pd.Index(members.ids).get_indexer(frame["member"])
        report(code < 0, "member", "score by an unknown member",
               f"a member id from {members.source}")
        roles = members.frame["role"].to_numpy(dtype=object)
        observer = (code >= 0) & (roles[np.where(code >= 0, code, 0)] == "observer")
        report(observer, "member", "an observer cannot score", "a member or facilitator")
    if problems:
        raise ValidationError(problems)
