"""The council whose evaluation every export test writes: 12 requirements, 6 members, a
tie, a mandatory and an unranked requirement, a formula-like title, and a decision log."""

from __future__ import annotations

import warnings

import pandas as pd

import prioritize as pz
from tests.conftest import make_council

STAMP = "2026-03-01T09:30:00Z"
FORMULA_TITLE = '=HYPERLINK("http://example.invalid","click")'


def _council() -> pz.Evaluation:
    """12 requirements scored by 6 members on the customer-operations criteria, with a tie,
    a mandatory requirement, an unranked one, and a title that looks like a formula."""
    criteria = pz.load_criteria("customer-operations")
    requirements, scores, members = make_council(12, 6, seed=3, criteria=criteria)
    requirements["title"] = requirements["title"].astype(object)
    requirements.loc[0, "title"] = FORMULA_TITLE
    requirements["requested_by"] = ["Sales", "IT", "Legal"] * 4
    rid = requirements["id"].to_numpy()
    scores = scores.copy()
    # R0003 gets exactly R0002's scores: a tie.
    same = scores.loc[scores["requirement_id"] == rid[2]].copy()
    scores = scores.loc[scores["requirement_id"] != rid[3]]
    same["requirement_id"] = rid[3]
    scores = pd.concat([scores, same], ignore_index=True)
    # R0004 is required by law: legal necessity 5 from everybody (Legal's score counts).
    legal = (scores["requirement_id"] == rid[4]) & (scores["criterion"] == "legal_necessity")
    scores.loc[legal, "score"] = 5.0
    # R0011 lacks its cost scores: left unranked.
    scores = scores.loc[
        ~((scores["requirement_id"] == rid[11]) & (scores["criterion"] == "implementation_cost"))
    ]
    scores["reason"] = "because " + scores["member"] + " sees " + scores["criterion"]
    scores.loc[scores.index[:3], "reason"] = ["-5% returns", "@risk", "  +1 for this"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pz.IncompleteScoresWarning)
        return pz.evaluate(criteria, requirements, scores, members=members)


EVALUATION = _council()
IDS = list(EVALUATION.table.index)


def _decisions() -> pd.DataFrame:
    """A log: a superseded decision, an approval of the unranked requirement, a rejected
    mandatory requirement, an override, and a decision about an unknown requirement."""
    table = EVALUATION.table
    mandatory = next(r for r in table.index[table["mandatory"]] if r not in IDS[:7])
    rows = [
        (IDS[0], "postpone", "first look", False),
        (IDS[1], "approve", "=clear win", False),
        (IDS[0], "approve", "second look: approve", False),
        (mandatory, "reject", "no budget", True),
        (IDS[5], "approve", "override: sponsor", True),
        (IDS[6], "approve", "approved, then", False),
        (IDS[6], "remove", "withdrawn", False),
        (EVALUATION.unscored.index[0], "approve", "urgent anyway", True),
        ("NOPE-1", "approve", "not ours", False),
    ]
    frame = pd.DataFrame(rows, columns=["requirement_id", "outcome", "rationale", "override"])
    frame["category"] = frame["requirement_id"].map(table["category"].astype(object))
    frame["rank"] = frame["requirement_id"].map(table["rank"]).astype("Int64")
    frame["decided_by"] = "facilitator"
    frame["dissent"] = ["", "Finance", "", "", "", "", "", "", ""]
    frame["time"] = [f"2026-02-0{i + 1}T10:00:00Z" for i in range(len(frame))]
    frame["hash"] = [f"{i:064x}" for i in range(1, len(frame) + 1)]
    frame["prev_hash"] = [f"{i:064x}" for i in range(len(frame))]
    frame["basis_hash"] = "ab" * 32
    return frame


DECISIONS = _decisions()
