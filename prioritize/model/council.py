"""The council's vocabulary as frozen types: criteria, criteria sets, the value matrix,
requirements, members, scores and the result of an evaluation.

Everything here is immutable. Collections of many rows (requirements, scores, members) are
validated frozen wrappers around a pandas DataFrame, so that ten thousand requirements or a
million scores stay fast; ``.table`` hands out a copy, and iterating yields the frozen
per-row types (:class:`Requirement`, :class:`Member`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

ROLES: tuple[str, ...] = ("member", "facilitator", "observer")

#: A requirement's optional estimates (``cost`` in money, ``effort`` in person-days, both
#: floats, NaN when not estimated) and relations (``requires`` and ``excludes``: ids joined
#: by ``;``; ``alternatives``: a group name, "" for none), in this order.
ESTIMATE_COLUMNS: tuple[str, ...] = ("cost", "effort", "requires", "excludes", "alternatives")
#: The estimates that are numbers; the other estimate columns are text.
ESTIMATE_NUMBERS: tuple[str, ...] = ("cost", "effort")


@dataclass(frozen=True, slots=True)
class Requirement:
    """A proposed business requirement."""

    id: str
    title: str
    description: str = ""
    requested_by: str = ""
    personas: tuple[str, ...] = ()
    scenario: str = ""
    evidence: str = ""
    status: str = ""
    #: Money, None when not estimated.
    cost: float | None = None
    #: Person-days, None when not estimated.
    effort: float | None = None
    #: Ids of requirements that must be funded too.
    requires: tuple[str, ...] = ()
    #: Ids of requirements that cannot be funded with this one.
    excludes: tuple[str, ...] = ()
    #: A group of which at most one requirement may be funded ("" for none).
    alternatives: str = ""


def id_list(text: object) -> tuple[str, ...]:
    """The ids of a ``;``-separated cell (``requires``, ``excludes``), spaces around each id
    and empty items left out.

    Examples
    --------
    >>> id_list(" REQ-1 ; REQ-2;")
    ('REQ-1', 'REQ-2')
    """
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return ()
    return tuple(item.strip() for item in str(text).split(";") if item.strip())


def keep_estimates(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its estimate columns (:data:`ESTIMATE_COLUMNS`) all kept when at least
    one requirement carries an estimate or a relation, all left out otherwise: one rule for
    a file and for the store, so that a council that estimates nothing sees no empty
    columns, and a round read back from the store has the columns its file had."""
    present = [c for c in ESTIMATE_COLUMNS if c in frame.columns]
    if not present:
        return frame
    used = any(
        frame[c].notna().any() if c in ESTIMATE_NUMBERS else (frame[c] != "").any() for c in present
    )
    if used:
        return frame
    return frame.drop(columns=present)


@dataclass(frozen=True, slots=True)
class Member:
    """A council member. ``role`` is ``member``, ``facilitator`` or ``observer``."""

    id: str
    name: str
    department: str
    role: str = "member"


def readonly_copy(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.copy(deep=True)


def _text_index(values: pd.Series) -> pd.Index:
    index: pd.Index = pd.Index(values.to_numpy(dtype=object), name="id", dtype=object)
    return index


def _text_columns(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    # object dtype on purpose (as the loaders): pandas would otherwise convert to Arrow
    return pd.DataFrame({c: _shared_text(frame[c])[0] for c in columns})


def _shared_text(values: pd.Series) -> tuple[pd.Series, tuple[np.ndarray, np.ndarray]]:
    """A text column whose equal values are one object each, and its ``(codes, labels)``.

    Rows read from a database are a new string object per cell; sharing them (as the file
    loaders do) makes a table of a million scores several times faster to pickle, which
    the page's cache does on every rerun.
    """
    codes, uniques = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=False)
    labels = np.asarray(uniques, dtype=object)
    return pd.Series(labels[codes], dtype=object), (codes.astype(np.intp), labels)


@dataclass(frozen=True, slots=True)
class Requirements:
    """Validated requirements: a DataFrame indexed by ``id``.

    Columns: ``title, description, requested_by, personas, scenario, evidence, status``
    (``personas`` is a ``;``-separated text), other columns of the file as text, and, when
    any requirement is estimated or related, ``cost`` and ``effort`` (floats, NaN when not
    estimated) and ``requires``, ``excludes`` (ids joined by ``;``) and ``alternatives``
    (a group name, "" for none) as text. :attr:`estimates` reads them in every case.
    """

    frame: pd.DataFrame = field(repr=False)
    source: str = "<DataFrame>"

    @classmethod
    def trusted(cls, rows: pd.DataFrame, source: str) -> Requirements:
        """Requirements from rows that were validated when they were written (our own
        store): an ``id`` column and text columns, in order, the estimate numbers as
        numbers or None (not estimated), estimate texts as text or None (none). Nothing is
        checked again; anything else goes through :func:`prioritize.load_requirements`."""
        columns = [c for c in rows.columns if c != "id"]
        texts = rows[[c for c in columns if c not in ESTIMATE_NUMBERS]].fillna("")
        frame = _text_columns(texts, list(texts.columns))
        for column in ESTIMATE_NUMBERS:
            if column in rows.columns:
                values = pd.to_numeric(rows[column], errors="raise")
                frame[column] = values.to_numpy(dtype=float, na_value=np.nan)
        frame = keep_estimates(frame[columns])
        frame.index = _text_index(rows["id"])
        return cls(frame, source)

    def __len__(self) -> int:
        return len(self.frame)

    def __iter__(self) -> Iterator[Requirement]:
        records = self.frame.to_dict(orient="records")
        for rid, row in zip(self.frame.index, records, strict=True):
            yield _requirement(str(rid), {str(k): v for k, v in row.items()})

    def __getitem__(self, requirement_id: str) -> Requirement:
        row = self.frame.loc[requirement_id]
        return _requirement(requirement_id, {str(k): v for k, v in row.items()})

    @property
    def ids(self) -> pd.Index:
        """Requirement ids, in file order."""
        return self.frame.index

    @property
    def table(self) -> pd.DataFrame:
        """A copy of the requirements as a DataFrame indexed by id."""
        return readonly_copy(self.frame)

    @property
    def estimates(self) -> pd.DataFrame:
        """Each requirement's estimates and relations, indexed by id in file order.

        Columns: ``cost`` and ``effort`` (float, NaN when not estimated), ``requires`` and
        ``excludes`` (tuples of ids; "A excludes B" means "not both", whichever row says
        it), ``alternatives`` (a group name, "" for none). Requirements without estimates
        (an old round or file) give all NaN and empty values.

        Examples
        --------
        >>> import pandas as pd
        >>> import prioritize as pz
        >>> reqs = pz.load_requirements(
        ...     pd.DataFrame({"id": ["A", "B"], "title": ["a", "b"], "cost": ["10", ""],
        ...                   "requires": ["B", ""]}))
        >>> reqs.estimates.loc["A", "requires"], float(reqs.estimates.loc["A", "cost"])
        (('B',), 10.0)
        >>> reqs["B"].cost is None
        True
        """
        n = len(self.frame)
        out: dict[str, pd.Series] = {}
        for column in ESTIMATE_COLUMNS:
            if column in ESTIMATE_NUMBERS:
                values: np.ndarray = (
                    self.frame[column].to_numpy(dtype=float, na_value=np.nan)
                    if column in self.frame.columns
                    else np.full(n, np.nan)
                )
            elif column == "alternatives":
                values = np.asarray(
                    [str(v) for v in self.frame[column].fillna("")]
                    if column in self.frame.columns
                    else [""] * n,
                    dtype=object,
                )
            else:
                values = np.empty(n, dtype=object)
                cells = self.frame[column] if column in self.frame.columns else [None] * n
                for position, cell in enumerate(cells):
                    values[position] = id_list(cell)
            out[column] = pd.Series(values, index=self.frame.index, dtype=values.dtype)
        return pd.DataFrame(out, index=self.frame.index)


def _number(value: object) -> float | None:
    """An estimate as a float, None when not estimated (NaN, None or blank)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number = float(value) if isinstance(value, int | float) else float(str(value))
    return None if np.isnan(number) else number


def _text(value: object) -> str:
    """A text cell, "" for a missing one (None or NaN)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return str(value)


def _requirement(rid: str, row: Mapping[str, object]) -> Requirement:
    personas = str(row.get("personas") or "")
    return Requirement(
        id=rid,
        title=str(row.get("title") or ""),
        description=str(row.get("description") or ""),
        requested_by=str(row.get("requested_by") or ""),
        personas=tuple(p.strip() for p in personas.split(";") if p.strip()),
        scenario=str(row.get("scenario") or ""),
        evidence=str(row.get("evidence") or ""),
        status=str(row.get("status") or ""),
        cost=_number(row.get("cost")),
        effort=_number(row.get("effort")),
        requires=id_list(row.get("requires")),
        excludes=id_list(row.get("excludes")),
        alternatives=_text(row.get("alternatives")),
    )


@dataclass(frozen=True, slots=True)
class Members:
    """Validated council members: a DataFrame indexed by ``id`` with ``name, department,
    role``."""

    frame: pd.DataFrame = field(repr=False)
    source: str = "<DataFrame>"

    @classmethod
    def trusted(cls, rows: pd.DataFrame, source: str) -> Members:
        """Members from rows that were validated when they were written (our own store):
        ``id, name, department, role``. Nothing is checked again; anything else goes through
        :func:`prioritize.load_members`."""
        frame = _text_columns(rows, ["name", "department", "role"])
        frame.index = _text_index(rows["id"])
        return cls(frame, source)

    def __len__(self) -> int:
        return len(self.frame)

    def __iter__(self) -> Iterator[Member]:
        columns = (
            self.frame.index,
            self.frame["name"],
            self.frame["department"],
            self.frame["role"],
        )
        for mid, name, department, role in zip(*columns, strict=True):
            yield Member(id=str(mid), name=str(name), department=str(department), role=str(role))

    def __getitem__(self, member_id: str) -> Member:
        row = self.frame.loc[member_id]
        return Member(
            id=member_id,
            name=str(row["name"]),
            department=str(row["department"]),
            role=str(row["role"]),
        )

    @property
    def ids(self) -> pd.Index:
        """Member ids, in file order."""
        return self.frame.index

    @property
    def table(self) -> pd.DataFrame:
        """A copy of the members as a DataFrame indexed by id."""
        return readonly_copy(self.frame)

    @property
    def departments(self) -> pd.Series:
        """Each member's department, indexed by member id."""
        return self.frame["department"].copy()


@dataclass(frozen=True, slots=True)
class Scores:
    """Validated scores in long ("tidy") form.

    Columns: ``requirement_id, member, criterion, score, reason`` (and ``time`` when
    given); one row per member x requirement x criterion.
    """

    frame: pd.DataFrame = field(repr=False)
    source: str = "<DataFrame>"
    #: Row number in the source file = position + row_base (None: the index label).
    row_base: int | None = None
    #: Per key column, ``(codes, labels)`` with ``labels[codes]`` equal to the column, kept
    #: from loading so that lookups cost the distinct values, not the rows.
    keys: Mapping[str, tuple[np.ndarray, np.ndarray]] | None = field(
        default=None, repr=False, compare=False
    )

    @classmethod
    def trusted(cls, rows: pd.DataFrame, source: str) -> Scores:
        """Scores from rows that were validated when they were written (our own store):
        ``requirement_id, member, criterion, score, reason, time``. Nothing is checked
        again; anything else goes through :func:`prioritize.load_scores`."""
        keys = {}
        columns = {}
        for column in ("requirement_id", "member", "criterion"):
            columns[column], keys[column] = _shared_text(rows[column])
        frame = pd.DataFrame(columns)
        frame["score"] = rows["score"].to_numpy(dtype=float)
        for column in ("reason", "time"):
            frame[column] = _shared_text(rows[column])[0]
        return cls(frame, source, keys=keys)

    def __len__(self) -> int:
        return len(self.frame)

    @property
    def table(self) -> pd.DataFrame:
        """A copy of the scores as a DataFrame."""
        return readonly_copy(self.frame)

    @property
    def members(self) -> tuple[str, ...]:
        """Ids of the members who scored, sorted."""
        return tuple(sorted(self.frame["member"].unique()))
