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

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

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
    "key_codes",
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

#: Files (and uploads) larger than this are refused; pass ``max_bytes=None`` to lift it.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


@runtime_checkable
class Upload(Protocol):
    """A binary file-like object with a name (e.g. Streamlit's ``UploadedFile``)."""

    name: str

    def read(self, size: int = -1, /) -> bytes: ...


Source = str | Path | pd.DataFrame | Sequence[Mapping[str, Any]] | Upload

#: Other names accepted for each column, per kind of table (after lower-casing and turning
#: spaces and hyphens into underscores). A canonical name always wins over an alias; two
#: aliases of the same column in one file are an error.
ALIASES: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "requirements": {
        "id": ("requirement_id", "req_id", "requirement", "key"),
        "title": ("name", "summary", "requirement_title"),
        "description": ("details", "desc"),
        "requested_by": ("requester", "requested_by_department", "department"),
        "personas": ("persona", "users"),
        "scenario": ("journey_stage", "stage", "journey"),
        "evidence": ("proof",),
        "status": ("state",),
    },
    "scores": {
        "requirement_id": ("requirement", "req_id", "req"),
        "member": ("member_id", "scorer", "rater", "voter"),
        "criterion": ("criterion_id", "criteria"),
        "score": ("rating", "points"),
        "reason": ("comment", "rationale", "why", "note"),
        "time": ("timestamp", "scored_at"),
    },
    "members": {
        "id": ("member_id", "member", "user"),
        "name": ("full_name", "member_name"),
        "department": ("dept", "team", "function"),
        "role": ("council_role",),
    },
}


@dataclass(frozen=True, slots=True)
class Table:
    """A table read from a file, with where it came from."""

    frame: pd.DataFrame
    label: str
    #: Row number = index label + row_base (the reader's RangeIndex starts at 0; a wide
    #: score sheet melted to long form keeps each cell's source row). None: the label itself.
    row_base: int | None

    def row(self, position: int) -> int | str:
        label = self.frame.index[position]
        if self.row_base is None:
            return str(label)
        return int(label) + self.row_base


def read_table(source: Source, *, key: str | None = None, sheet: str | int | None = None,
               max_bytes: int | None = DEFAULT_MAX_BYTES) -> Table:
    """Read a CSV, XLSX or YAML file (or upload, DataFrame or list of mappings).

    Parameters
    ----------
    source
        A path, a binary file-like object with a ``name`` (an upload), a DataFrame or
        records. The file type comes from the name's suffix.
    key
        For YAML: the top-level key holding the list (``requirements``, ``scores``,
        ``members``) when the file is a mapping rather than a list.
    sheet
        For XLSX: the sheet name or number (default: the first sheet).
    max_bytes
        Refuse files larger than this (default 20 MB); None: no limit.
    """
    if isinstance(source, pd.DataFrame):
        frame = source
        if frame.index.name is not None and frame.index.name not in frame.columns:
            frame = frame.reset_index()
        return Table(_normalise_columns(frame), "<DataFrame>", None)
    if isinstance(source, list | tuple):
        return Table(_normalise_columns(pd.DataFrame(list(source))), "<records>", 1)
    if isinstance(source, Upload):
        label = str(source.name)
        data = source.read() if max_bytes is None else source.read(max_bytes + 1)
        _check_size(label, len(data), max_bytes)
        payload: Path | io.BytesIO = io.BytesIO(data)
        suffix = Path(label).suffix.lower()
    else:
        assert isinstance(source, str | Path)
        path = Path(source)
        label = str(source)
        if not path.is_file():
            raise ValidationError(Problem("no such file", file=label,
                                          expected="an existing file"))
        _check_size(label, path.stat().st_size, max_bytes)
        payload = path
        suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        frame = _read_csv(payload, label)
        base = 2
    elif suffix in (".xlsx", ".xlsm"):
        frame, label = _read_xlsx(payload, label, sheet)
        base = 2
    elif suffix in (".yaml", ".yml"):
        frame = _read_yaml(payload, label, key)
        base = 1
    else:
        raise ValidationError(Problem("unsupported file type", file=label, value=suffix,
                                      expected=".csv, .xlsx or .yaml"))
    if frame.empty:
        raise ValidationError(Problem("the file has no data rows", file=label,
                                      expected="a header and at least one row"))
    frame = frame.reset_index(drop=True)
    return Table(_normalise_columns(frame), label, base)


def _check_size(label: str, size: int, max_bytes: int | None) -> None:
    if max_bytes is not None and size > max_bytes:
        raise ValidationError(Problem(
            f"the file is larger than the {max_bytes / 1e6:.0f} MB limit", file=label,
            value=f"{size / 1e6:.1f} MB" if size <= max_bytes + 1 else
            f"more than {max_bytes / 1e6:.1f} MB",
            expected=f"at most {max_bytes / 1e6:.0f} MB (split the file, or raise the limit: "
                     "max_bytes=None in the library)"))


def _apply_aliases(table: Table, kind: str) -> Table:
    columns = list(table.frame.columns)
    renames: dict[str, str] = {}
    for canonical, alternatives in ALIASES[kind].items():
        if canonical in columns:
            continue
        present = [a for a in alternatives if a in columns and a not in renames]
        if len(present) > 1:
            raise ValidationError(Problem(
                f"columns {', '.join(present)} all mean {canonical!r}", file=table.label,
                row=1 if table.row_base == 2 else None, value=", ".join(present),
                expected=f"one column for {canonical}"))
        if present:
            renames[present[0]] = canonical
    if not renames:
        return table
    return Table(table.frame.rename(columns=renames), table.label, table.row_base)


def _labelled(frame: pd.DataFrame) -> bool:
    return not isinstance(frame.index, pd.RangeIndex) or frame.index.start != 0


def _read_csv(path: Path | io.BytesIO, label: str) -> pd.DataFrame:
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig",
                           skipinitialspace=False)
    except pd.errors.EmptyDataError as exc:
        raise ValidationError(Problem("the file is empty", file=label,
                                      expected="a header and at least one row")) from exc
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise ValidationError(Problem(f"malformed CSV: {exc}".strip(), file=label,
                                      expected="comma-separated values, UTF-8")) from exc


def _read_xlsx(path: Path | io.BytesIO, label: str,
               sheet: str | int | None) -> tuple[pd.DataFrame, str]:
    try:
        workbook = pd.ExcelFile(path, engine="openpyxl")
    except Exception as exc:  # openpyxl raises a zoo of types for a broken file
        raise ValidationError(Problem(f"not a readable XLSX workbook: {exc}", file=label,
                                      expected="an .xlsx file saved by Excel or openpyxl")) from exc
    with workbook:
        names = [str(n) for n in workbook.sheet_names]
        if sheet is None:
            chosen = names[0]
        elif isinstance(sheet, int) and 0 <= sheet < len(names):
            chosen = names[sheet]
        elif isinstance(sheet, str) and sheet in names:
            chosen = sheet
        else:
            raise ValidationError(Problem("no such sheet", file=label, value=str(sheet),
                                          expected=f"one of {', '.join(names)}"))
        # no NA guessing: a title "NA" or "null" is text, not a missing value
        frame = pd.read_excel(workbook, sheet_name=chosen, dtype=object, keep_default_na=False,
                              na_values=[])
    return frame, f"{label} [sheet {chosen}]"


def _read_yaml(path: Path | io.BytesIO, label: str, key: str | None) -> pd.DataFrame:
    try:
        raw = path.read_bytes() if isinstance(path, Path) else path.getvalue()
        data = yaml.safe_load(raw.decode("utf-8"))
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


def _normalise_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Column names lower-cased, stripped, spaces and hyphens as underscores (no copy of
    the data: pandas copies on write)."""
    columns = [str(c).strip().lower().replace(" ", "_").replace("-", "_") for c in frame.columns]
    return frame.set_axis(columns, axis=1)


def _cell_text(value: object) -> str:
    if value is None or value is pd.NaT or value is pd.NA:
        return ""
    if isinstance(value, float):
        if np.isnan(value):
            return ""
        if value.is_integer():
            return str(int(value))
    return str(value).strip()


@dataclass(frozen=True, slots=True)
class Factor:
    """A column as codes into its distinct cleaned texts (``labels[codes]`` is the column).

    Cleaning (text, stripped; a missing cell is '') runs once per distinct value, not once
    per row: a million scores have a few thousand distinct keys.
    """

    codes: np.ndarray
    labels: np.ndarray

    @property
    def text(self) -> np.ndarray:
        return np.asarray(self.labels[self.codes], dtype=object)


def _factor(values: pd.Series) -> Factor:
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    cleaned = np.array([_cell_text(u) for u in np.asarray(uniques, dtype=object)] + [""],
                       dtype=object)
    codes = np.where(codes < 0, len(uniques), codes)  # a missing cell is the '' label
    # distinct raw values may clean to the same text (' R1' and 'R1'): merge them
    merged, labels = pd.factorize(cleaned)
    return Factor(merged[codes].astype(np.intp), np.asarray(labels, dtype=object))


def _numbers(values: pd.Series) -> tuple[np.ndarray, Factor | None]:
    """A column as floats (NaN where not a number) and, for text input, its factor (to quote
    offending cells)."""
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(
            values.dtype):
        return values.to_numpy(dtype=float, na_value=np.nan), None
    factor = _factor(values)
    parsed = pd.to_numeric(pd.Series(factor.labels, dtype=object), errors="coerce")
    return parsed.to_numpy(dtype=float, na_value=np.nan)[factor.codes], factor


def _missing_columns(table: Table, required: Sequence[str]) -> None:
    missing = [c for c in required if c not in table.frame.columns]
    if missing:
        raise ValidationError(Problem(
            f"missing required column{'s' if len(missing) > 1 else ''} {', '.join(missing)}",
            file=table.label, row=1 if table.row_base == 2 else None,
            value=", ".join(map(str, table.frame.columns)),
            expected=f"columns {', '.join(required)}"))


def _listed(table: Table, positions: np.ndarray, make: Any, summary: str,
            column: str) -> list[Problem]:
    problems = [make(int(p)) for p in positions[:_MAX_LISTED]]
    if len(positions) > _MAX_LISTED:
        problems.append(Problem(f"{len(positions) - _MAX_LISTED} more rows: {summary}",
                                file=table.label, column=column))
    return problems


def _blank_problems(table: Table, column: str, factor: Factor, what: str) -> list[Problem]:
    blank_labels = np.flatnonzero(factor.labels == "")
    if not len(blank_labels):
        return []
    positions = np.flatnonzero(np.isin(factor.codes, blank_labels))
    return _listed(table, positions, lambda p: Problem(
        f"missing {what}", file=table.label, row=table.row(p), column=column, value="",
        expected=f"a non-empty {what}"), f"missing {what}", column)


def _duplicate_problems(table: Table, factors: Sequence[Factor], columns: Sequence[str],
                        what: str) -> list[Problem]:
    sizes = tuple(max(len(f.labels), 1) for f in factors)
    if float(np.prod(sizes, dtype=float)) < 2.0**62:
        key = pd.Series(np.ravel_multi_index(tuple(f.codes for f in factors), sizes))
    else:  # too many distinct keys to pack in one integer
        key = pd.Series(list(zip(*(f.codes for f in factors), strict=True)))
    duplicated = key.duplicated(keep="first").to_numpy()
    if not duplicated.any():
        return []
    first_at = pd.Series(np.arange(len(key))).groupby(key.to_numpy()).transform("min")
    first = first_at.to_numpy()

    def make(p: int) -> Problem:
        value = " / ".join(str(f.labels[f.codes[p]]) for f in factors)
        return Problem(f"duplicate {what} (first at row {table.row(int(first[p]))})",
                       file=table.label, row=table.row(p), column=", ".join(columns),
                       value=value, expected=f"each {what} once")

    return _listed(table, np.flatnonzero(duplicated), make, f"duplicate {what}",
                   ", ".join(columns))


def _text_frame(table: Table, columns: Sequence[str]) -> pd.DataFrame:
    """The given columns (all of them, missing ones as '') as cleaned text."""
    out = {}
    for column in columns:
        if column in table.frame.columns:
            text = _factor(table.frame[column]).text
        else:
            text = np.full(len(table.frame), "", dtype=object)
        out[column] = pd.Series(text, index=table.frame.index, dtype=object)
    return pd.DataFrame(out, index=table.frame.index)


def load_requirements(source: Requirements | Source, *, sheet: str | int | None = None,
                      max_bytes: int | None = DEFAULT_MAX_BYTES) -> Requirements:
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
    table = _apply_aliases(read_table(source, key="requirements", sheet=sheet,
                                      max_bytes=max_bytes), "requirements")
    _missing_columns(table, _REQUIREMENT_REQUIRED)
    ids, titles = _factor(table.frame["id"]), _factor(table.frame["title"])
    problems = (_blank_problems(table, "id", ids, "id")
                + _blank_problems(table, "title", titles, "title")
                + _duplicate_problems(table, [ids], ["id"], "requirement id"))
    if problems:
        raise ValidationError(problems)
    extra = [c for c in table.frame.columns if c not in REQUIREMENT_COLUMNS]
    frame = _text_frame(table, [*REQUIREMENT_COLUMNS, *extra]).set_index("id")
    frame.index = pd.Index(frame.index.to_numpy(dtype=object), name="id", dtype=object)
    return Requirements(frame, table.label)


def load_members(source: Members | Source, *, sheet: str | int | None = None,
                 max_bytes: int | None = DEFAULT_MAX_BYTES) -> Members:
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
    table = _apply_aliases(read_table(source, key="members", sheet=sheet,
                                      max_bytes=max_bytes), "members")
    _missing_columns(table, _MEMBER_REQUIRED)
    factors = {c: _factor(table.frame[c]) for c in _MEMBER_REQUIRED}
    problems = (_blank_problems(table, "id", factors["id"], "member id")
                + _blank_problems(table, "name", factors["name"], "name")
                + _blank_problems(table, "department", factors["department"], "department")
                + _duplicate_problems(table, [factors["id"]], ["id"], "member id"))
    extra = [c for c in table.frame.columns if c not in MEMBER_COLUMNS]
    frame = _text_frame(table, [*MEMBER_COLUMNS, *extra])
    if "role" not in table.frame.columns:
        frame["role"] = "member"
    roles = frame["role"].str.lower()
    problems += _listed(table, np.flatnonzero(~roles.isin(ROLES).to_numpy()), lambda p: Problem(
        "unknown role", file=table.label, row=table.row(p), column="role",
        value=str(frame["role"].iloc[p]), expected=f"one of {', '.join(ROLES)}"),
        "unknown role", "role")
    if problems:
        raise ValidationError(problems)
    frame["role"] = roles.astype(object)
    frame = frame.set_index("id")
    frame.index = pd.Index(frame.index.to_numpy(dtype=object), name="id", dtype=object)
    return Members(frame, table.label)


def load_scores(
    source: Scores | Source,
    *,
    criteria: CriteriaSet | None = None,
    requirements: Requirements | None = None,
    members: Members | None = None,
    sheet: str | int | None = None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
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
        table = _apply_aliases(read_table(source, key="scores", sheet=sheet,
                                          max_bytes=max_bytes), "scores")
        if _is_wide(table):
            table = _melt_wide(table, criteria)
        _missing_columns(table, _SCORE_REQUIRED)
        frame = table.frame
        problems: list[Problem] = []
        keys = {}
        for column in ("requirement_id", "member", "criterion"):
            keys[column] = _factor(frame[column])
            problems += _blank_problems(table, column, keys[column], column.replace("_", " "))
        numbers, raw = _numbers(frame["score"])

        def bad_score(p: int) -> Problem:
            value = str(raw.labels[raw.codes[p]]) if raw is not None else \
                _cell_text(frame["score"].iloc[p])
            return Problem("missing score" if not value else "score is not a number",
                           file=table.label, row=table.row(p), column="score", value=value,
                           expected="a number on the criterion's scale")

        problems += _listed(table, np.flatnonzero(~np.isfinite(numbers)), bad_score,
                            "score is not a number", "score")
        if not problems:
            problems += _duplicate_problems(table, list(keys.values()), list(keys), "score")
        if problems:
            raise ValidationError(problems)
        def text(values: np.ndarray) -> pd.Series:
            # object dtype on purpose: pandas would otherwise copy every row into Arrow
            return pd.Series(values, index=frame.index, dtype=object)

        columns = {name: text(factor.text) for name, factor in keys.items()}
        columns["score"] = pd.Series(numbers, index=frame.index)
        for optional in ("reason", "time"):
            if optional in frame.columns:
                columns[optional] = text(_factor(frame[optional]).text)
            elif optional == "reason":
                columns[optional] = text(np.full(len(frame), "", dtype=object))
        out = pd.DataFrame(columns, index=frame.index)
        scores = Scores(out, table.label, row_base=table.row_base,
                        keys={name: (f.codes, f.labels) for name, f in keys.items()})
    if criteria is not None or requirements is not None or members is not None:
        check_scores(scores, criteria=criteria, requirements=requirements, members=members)
    return scores


_WIDE_KEYS = ("requirement_id", "member")
_NOT_CRITERIA = frozenset({"requirement_id", "member", "reason", "time"})


def _is_wide(table: Table) -> bool:
    columns = set(table.frame.columns)
    return set(_WIDE_KEYS) <= columns and not {"criterion", "score"} & columns


def _melt_wide(table: Table, criteria: CriteriaSet | None) -> Table:
    """Wide scores (one row per member x requirement, one column per criterion, optional
    ``<criterion>_reason`` columns) to long form. A blank cell means "not scored" and makes
    no row; every other cell keeps its source row number for error messages."""
    frame = table.frame
    columns = [c for c in frame.columns
               if c not in _NOT_CRITERIA and not str(c).endswith("_reason")]
    header_row = 1 if table.row_base == 2 else None
    if criteria is not None:
        unknown = [c for c in columns if c not in criteria.ids]
        if unknown:
            raise ValidationError([Problem("unknown criterion column", file=table.label,
                                           row=header_row, column=str(c), value=str(c),
                                           expected=f"a criterion id ({', '.join(criteria.ids)})")
                                   for c in unknown])
    if not columns:
        raise ValidationError(Problem(
            "no score columns", file=table.label, row=header_row,
            value=", ".join(map(str, frame.columns)),
            expected="long form (requirement_id, member, criterion, score) or wide form "
                     "(requirement_id, member and one column per criterion)"))
    pieces = []
    for column in columns:  # a loop over criteria, not rows
        scored = _factor(frame[column])
        keep = scored.labels[scored.codes] != ""
        reason_column = f"{column}_reason"
        if reason_column in frame.columns:
            reason = frame[reason_column]
        elif "reason" in frame.columns:
            reason = frame["reason"]
        else:
            reason = pd.Series("", index=frame.index, dtype=object)
        piece = pd.DataFrame({
            "requirement_id": frame["requirement_id"], "member": frame["member"],
            "criterion": pd.Series(column, index=frame.index, dtype=object),
            "score": frame[column], "reason": reason,
        }, index=frame.index)
        if "time" in frame.columns:
            piece["time"] = frame["time"]
        pieces.append(piece[keep])
    long = pd.concat(pieces)
    order = np.argsort(long.index.to_numpy(), kind="stable")
    return Table(long.iloc[order], table.label, table.row_base)


def key_codes(scores: Scores, column: str, ids: Sequence[str] | pd.Index) -> np.ndarray:
    """For each score row, the position of its ``column`` value (requirement_id, member or
    criterion) in ``ids``, or -1. Uses the codes kept at load time, so a million rows cost a
    lookup of their few thousand distinct values."""
    labels: Any
    if scores.keys is not None and column in scores.keys:
        codes, labels = scores.keys[column]
    else:
        codes, labels = pd.factorize(scores.frame[column])
    position = pd.Index(ids).get_indexer(pd.Index(labels, dtype=object))
    return np.asarray(position[codes], dtype=np.intp)


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
        label = frame.index[position]
        if scores.row_base is None:
            return str(label)
        return int(label) + scores.row_base

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
        code = key_codes(scores, "criterion", ids)
        report(code < 0, "criterion", "unknown criterion", f"one of {', '.join(ids)}")
        known = code >= 0
        safe = np.where(known, code, 0)
        low = np.array([c.scale.min for c in criteria])[safe]
        high = np.array([c.scale.max for c in criteria])[safe]
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
        unknown = key_codes(scores, "requirement_id", requirements.ids) < 0
        report(unknown, "requirement_id", "score for an unknown requirement",
               f"a requirement id from {requirements.source}")
    if members is not None:
        code = key_codes(scores, "member", members.ids)
        report(code < 0, "member", "score by an unknown member",
               f"a member id from {members.source}")
        is_observer = np.append(members.frame["role"].to_numpy(dtype=object) == "observer", False)
        report(is_observer[code], "member", "an observer cannot score",
               "a member or facilitator")
    if problems:
        raise ValidationError(problems)
