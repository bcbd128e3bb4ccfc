"""Debate flags: what is flagged, with its reason in words (disagreement, polarisation,
viewpoint flips, low acceptability), and nothing for a unanimous council."""

from __future__ import annotations

import pandas as pd

import prioritize as pz
from prioritize.council.flags import FLAG_COLUMNS, debate_flags
from tests.conftest import make_council, tiny_criteria_mapping
from tests.council.support import score_frame

MEMBERS = pd.DataFrame(
    {
        "id": [f"m{i}" for i in range(6)],
        "name": list("ABCDEF"),
        "department": ["Sales", "Sales", "Sales", "IT", "IT", "IT"],
    }
)


def _flag_council() -> tuple[pz.CriteriaSet, pd.DataFrame, pd.DataFrame]:
    mapping = tiny_criteria_mapping()
    for item in mapping["criteria"]:
        item.pop("owners", None)
    criteria = pz.load_criteria(mapping)
    agreed = {"impact": [3] * 6, "legal": [2] * 6, "cost": [5] * 6}
    cells: dict[tuple[str, str], list[float]] = {}
    for rid in ("R1", "R2", "R3", "R4"):
        for cid, values in agreed.items():
            cells[(rid, cid)] = list(values)
    cells[("R1", "impact")] = [1, 1, 1, 5, 5, 5]  # two camps on the heaviest criterion
    cells[("R2", "impact")] = [1, 2, 3, 3, 4, 5]  # a wide spread, one camp
    cells[("R3", "legal")] = [1, 1, 1, 5, 5, 5]  # two camps on a light criterion
    cells[("R4", "impact")] = [5, 5, 5, 1, 1, 1]  # Sales and IT see R4 differently
    cells[("R4", "cost")] = [0, 0, 0, 10, 10, 10]
    scores = score_frame(cells)
    requirements = pd.DataFrame({"id": ["R1", "R2", "R3", "R4"], "title": list("abcd")})
    return criteria, requirements, scores


def test_debate_flags_name_their_reasons() -> None:
    criteria, requirements, scores = _flag_council()
    evaluation = pz.evaluate(criteria, requirements, scores, members=MEMBERS)
    flags = debate_flags(evaluation)
    assert list(flags.columns) == list(FLAG_COLUMNS)
    found = set(zip(flags["requirement_id"], flags["flag"], flags["criterion"], strict=True))
    assert ("R1", "disagreement", "impact") in found
    assert ("R1", "polarised", "impact") in found
    assert ("R2", "disagreement", "impact") in found
    assert ("R2", "polarised", "impact") not in found
    assert ("R3", "polarised", "legal") in found
    assert ("R3", "disagreement", "legal") not in found  # 0.2 < the equal share 1/3
    reason = flags[(flags["requirement_id"] == "R1") & (flags["flag"] == "polarised")]
    assert (
        reason["reason"].iloc[0] == "two camps on Impact: 3 score low, 3 score high "
        "(polarisation 1.00)"
    )
    assert flags["rank"].is_monotonic_increasing


def test_viewpoint_flips_and_low_acceptability() -> None:
    criteria, requirements, scores = _flag_council()
    evaluation = pz.evaluate(criteria, requirements, scores, members=MEMBERS)
    views = {}
    for department in ("Sales", "IT"):  # each department's own evaluation
        ids = MEMBERS.loc[MEMBERS["department"] == department, "id"]
        own = pz.evaluate(criteria, requirements, scores[scores["member"].isin(ids)])
        views[department] = own.table["category"].astype(str)
    viewpoints = pd.DataFrame(views).reindex(evaluation.table.index)
    council = evaluation.table["category"].astype(str)
    differs = viewpoints.apply(lambda row: len({*row, council[row.name]}) > 1, axis=1)
    assert differs["R4"], "the test council should split on R4"
    acceptability = pd.DataFrame(0.0, index=evaluation.table.index, columns=pz.CATEGORIES)
    for rid, category in council.items():
        acceptability.loc[rid, category] = 0.9
    acceptability.loc["R2", council["R2"]] = 0.3
    other = next(c for c in pz.CATEGORIES if c != council["R2"])
    acceptability.loc["R2", other] = 0.6
    flags = debate_flags(evaluation, viewpoints=viewpoints, acceptability=acceptability)
    flips = flags[flags["flag"] == "viewpoint flip"]
    assert set(flips["requirement_id"]) == set(differs[differs].index)
    r4 = flips.loc[flips["requirement_id"] == "R4", "reason"].iloc[0]
    assert f"Sales: {viewpoints.loc['R4', 'Sales']}" in r4
    assert f"IT: {viewpoints.loc['R4', 'IT']}" in r4
    low = flags[flags["flag"] == "low acceptability"]
    assert list(low["requirement_id"]) == ["R2"]
    assert low["reason"].iloc[0] == (
        f"{council['R2']} in only 30% of the sampled cases "
        f"(threshold 50%); otherwise most often {other} (60%)"
    )


def test_a_unanimous_council_has_nothing_to_debate() -> None:
    requirements, scores, members = make_council(5, 4, seed=2)
    first = scores.groupby(["requirement_id", "criterion"])["score"].transform("first")
    evaluation = pz.evaluate(
        "customer-operations", requirements, scores.assign(score=first), members=members
    )
    flags = debate_flags(evaluation)
    assert flags.empty and list(flags.columns) == list(FLAG_COLUMNS)
