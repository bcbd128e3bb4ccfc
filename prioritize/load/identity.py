"""When two ids (or two column names) are the same to a reader.

Ids are kept exactly as typed; they are *compared* after Unicode NFC normalisation, case
folding and the removal of format characters (category Cf: zero-width spaces and joiners,
direction marks, the byte-order mark), so that two ids which look identical in a log, a
page or a workbook (``R1`` and ``r1``, ``é`` composed and decomposed, ``R1`` and
``R\\u200b1``) can never name two different things in one file. Column names are matched
the same way, after the loaders' own normalisation (:func:`check_header`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from typing import Protocol, TypeVar

from prioritize.errors import Problem, ValidationError, bounded_repr

#: At most this many repeated column names are listed.
_LISTED = 50


def comparable(text: str) -> str:
    """``text`` as compared: format characters removed, NFC, case folded.

    Examples
    --------
    >>> comparable("Re\\u0301q\\u200b-1") == comparable("RÉQ-1")
    True
    """
    folded = unicodedata.normalize("NFC", _visible(text)).casefold()
    return unicodedata.normalize("NFC", folded)


def difference(a: str, b: str) -> str:
    """In words, how two texts with the same :func:`comparable` form differ."""
    kinds = []
    a_visible, b_visible = _visible(a), _visible(b)
    if (a_visible, b_visible) != (a, b):
        kinds.append("invisible characters")
    a_nfc, b_nfc = (unicodedata.normalize("NFC", t) for t in (a_visible, b_visible))
    if (a_nfc, b_nfc) != (a_visible, b_visible):
        kinds.append("Unicode form (an accent typed as one character or as two)")
    if a_nfc != b_nfc:
        kinds.append("case")
    return " and ".join(kinds)


def _visible(text: str) -> str:
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def column_key(name: object) -> str:
    """A column name as the loaders match it (stripped, lower case, spaces and hyphens as
    underscores), compared like an id."""
    text = str(name).strip().lower().replace(" ", "_").replace("-", "_")
    return comparable(text)


def check_header(names: Sequence[object], label: str, row: int | None) -> None:
    """Two columns whose names match as the loaders match them (case, spaces, hyphens,
    Unicode form, invisible characters) are an error naming both."""
    first: dict[str, tuple[int, str]] = {}
    problems: list[Problem] = []
    for position, name in enumerate(names, start=1):
        text = str(name)
        key = column_key(text)
        if not key:
            continue  # a blank name is no name: pandas calls it "Unnamed: n"
        if key in first:
            earlier, earlier_text = first[key]
            problems.append(
                Problem(
                    f"columns {earlier} and {position} have the same name",
                    file=label,
                    row=row,
                    column=key,
                    value=f"{bounded_repr(earlier_text, 90)} and {bounded_repr(text, 90)}",
                    expected="each column once (rename or remove one of them)",
                )
            )
        else:
            first[key] = (position, text)
    if problems:
        raise ValidationError(problems[:_LISTED])


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


Item = TypeVar("Item", bound=_HasId)


def unique_items(
    parsed: Iterable[Item | None], what: str, label: str, problems: list[Problem]
) -> list[Item]:
    """The parsed items of a YAML list (None: a problem already reported), each id once:
    a repeated id is a problem naming both positions, and the repeat is left out.

    >>> from types import SimpleNamespace as Item
    >>> found: list[Problem] = []
    >>> [i.id for i in unique_items([Item(id="a"), Item(id="a")], "measure", "x.yaml", found)]
    ['a']
    >>> found[0].message
    'duplicate measure id (also measure 1)'
    """
    kept: list[Item] = []
    seen: dict[str, int] = {}
    for number, item in enumerate(parsed, start=1):
        if item is None:
            continue
        if item.id in seen:
            problems.append(
                Problem(
                    f"duplicate {what} id (also {what} {seen[item.id]})",
                    file=label,
                    row=f"{what} {number}",
                    column="id",
                    value=item.id,
                    expected="unique ids",
                )
            )
            continue
        seen[item.id] = number
        kept.append(item)
    return kept
