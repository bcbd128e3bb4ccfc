"""How the council reads the outcomes at a glance: each status's colour, and the triggers
grouped by requirement (each flagged requirement once, with everything that flagged it),
beside the measures that moved with nobody linked. The page, the overview and the workbook
call these; the rules that produce the rows are in
:mod:`~prioritize.outcomes.realisation` and :mod:`~prioritize.outcomes.triggers`.
"""

from __future__ import annotations

import re
import types
from collections.abc import Mapping

import pandas as pd

from prioritize.model.categories import text_colour
from prioritize.outcomes import realisation
from prioritize.outcomes.realisation import STATUSES
from prioritize.outcomes.triggers import Triggers

__all__ = [
    "FLAGGED_COLUMNS",
    "STATUS_COLOURS",
    "STATUS_TEXT_COLOURS",
    "UNLINKED_COLUMNS",
    "flagged_requirements",
    "stated_rule",
    "unlinked_triggers",
]

#: Each status's fill colour (colour-blind safe, the categories' palette): delivering
#: green, not yet delivering orange, too early to tell grey.
STATUS_COLOURS: Mapping[str, str] = types.MappingProxyType(
    dict(zip(STATUSES, ("#009E73", "#E69F00", "#BBBBBB"), strict=True))
)
#: The text colour readable on each status's fill.
STATUS_TEXT_COLOURS: Mapping[str, str] = types.MappingProxyType(
    {status: text_colour(fill) for status, fill in STATUS_COLOURS.items()}
)
#: Columns of :func:`flagged_requirements`.
FLAGGED_COLUMNS: tuple[str, ...] = ("requirement_id", "triggers", "flagged_by", "evidence")
#: Columns of :func:`unlinked_triggers`.
UNLINKED_COLUMNS: tuple[str, ...] = ("kind", "measure", "on", "evidence")


def flagged_requirements(found: Triggers, names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Each flagged requirement once, in the triggers' order: how many triggers flag it,
    what flags it (``threshold complaints``, ``regulatory event``, ..., ``; ``-joined, each
    once; ``names`` maps measure ids to the names shown) and the evidence
    (:meth:`Triggers.evidence`, one line per trigger).

    >>> import datetime as dt, pandas as pd
    >>> table = pd.DataFrame({"kind": ["threshold", "event"], "measure": ["complaints", ""],
    ...     "on": pd.to_datetime(["2026-11-01", "2026-10-15"]), "evidence": ["high", "law"],
    ...     "requirement_id": ["REQ-1", "REQ-1"], "link": ["criterion c", "legal event"]})
    >>> flagged_requirements(Triggers(table)).iloc[0].to_dict()["flagged_by"]
    'threshold: complaints; legal event'
    """
    rows = []
    table = found.table
    for requirement_id in found.requirements:
        mine = table[table["requirement_id"] == requirement_id]
        what = dict.fromkeys(
            f"{kind}: {(names or {}).get(measure, measure)}" if measure else str(link)
            for kind, measure, link in zip(mine["kind"], mine["measure"], mine["link"], strict=True)
        )
        rows.append(
            {
                "requirement_id": requirement_id,
                "triggers": len(mine),
                "flagged_by": "; ".join(what),
                "evidence": found.evidence(requirement_id),
            }
        )
    return pd.DataFrame(rows, columns=list(FLAGGED_COLUMNS)).astype({"triggers": int})


def unlinked_triggers(found: Triggers) -> pd.DataFrame:
    """The triggers that flag no requirement (a measure moved, nobody is linked to it)."""
    table = found.table
    alone = table[table["requirement_id"] == ""]
    return alone[list(UNLINKED_COLUMNS)].reset_index(drop=True).copy()


def stated_rule(name: str) -> str:
    """One of benefit realisation's rules (``"Before and after"``, ``"Status"``,
    ``"Attribution"``) in words, as :mod:`~prioritize.outcomes.realisation` states it: the
    page and the workbook quote the rule's one home.

    >>> stated_rule("Attribution")[:44]
    'A measure moves for many reasons; the whole '
    """
    found = re.search(
        rf"^- \*\*{re.escape(name)}\.\*\*(.*?)(?=^- \*\*|\Z)",
        realisation.__doc__ or "",
        re.S | re.M,
    )
    if found is None:
        raise KeyError(name)
    return " ".join(found.group(1).replace("*", "").replace("``", "").split())
