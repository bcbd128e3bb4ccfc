"""The columns of each kind of table (requirements, scores, members), the required ones,
and the other names accepted for each (:data:`ALIASES`).
"""

from __future__ import annotations

from collections.abc import Mapping

from prioritize.errors import Problem, ValidationError
from prioritize.load.files import Table
from prioritize.model.council import ESTIMATE_COLUMNS

REQUIREMENT_COLUMNS = (
    "id",
    "title",
    "description",
    "requested_by",
    "personas",
    "scenario",
    "evidence",
    "status",
)
REQUIREMENT_REQUIRED = ("id", "title")
#: A requirement's optional estimates and relations (see
#: :data:`prioritize.model.council.ESTIMATE_COLUMNS`): checked, not kept as typed text.
REQUIREMENT_ESTIMATES = ESTIMATE_COLUMNS
SCORE_COLUMNS = ("requirement_id", "member", "criterion", "score", "reason", "time")
SCORE_REQUIRED = ("requirement_id", "member", "criterion", "score")
MEMBER_COLUMNS = ("id", "name", "department", "role")
MEMBER_REQUIRED = ("id", "name", "department")

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
        "cost": ("estimated_cost", "cost_estimate"),
        "effort": ("estimated_effort", "effort_estimate", "person_days"),
        "requires": ("depends_on", "dependencies", "needs"),
        "excludes": ("conflicts_with", "incompatible_with"),
        "alternatives": ("alternative_group", "alternatives_group"),
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


def apply_aliases(table: Table, kind: str) -> Table:
    columns = list(table.frame.columns)
    renames: dict[str, str] = {}
    for canonical, alternatives in ALIASES[kind].items():
        if canonical in columns:
            continue
        present = [a for a in alternatives if a in columns and a not in renames]
        if len(present) > 1:
            raise ValidationError(
                Problem(
                    f"columns {', '.join(present)} all mean {canonical!r}",
                    file=table.label,
                    row=1 if table.row_base == 2 else None,
                    value=", ".join(present),
                    expected=f"one column for {canonical}",
                )
            )
        if present:
            renames[present[0]] = canonical
    if not renames:
        return table
    return Table(table.frame.rename(columns=renames), table.label, table.row_base)
