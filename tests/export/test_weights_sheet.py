"""The Weights sheet of the portfolio workbook (prioritize/export/workbook/weights.py): the
members' weight proposals, the council's aggregate and spread, and the adopted weights with
the log entry that adopted them -- read back with openpyxl; entries adopting weights stay
off the Decisions sheet."""

from __future__ import annotations

import io
import json
import warnings
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
import pytest
from openpyxl.worksheet.worksheet import Worksheet

import prioritize as pz
from prioritize.council.decisions import ADOPT_WEIGHTS, chain_entry
from prioritize.council.weighing import PROPOSAL_COLUMNS, Proposals
from prioritize.export import ExportWarning, portfolio_xlsx
from tests.export.council import DECISIONS, EVALUATION, STAMP
from tests.store.council import Council

CRITERIA = list(EVALUATION.criteria.ids)
#: Rows before the weights in force: one per proposal, the council, min, median, max.
SPREAD = ["min of proposals", "median of proposals", "max of proposals"]


def _weights(seed: int) -> dict[str, float]:
    raw = np.random.default_rng(seed).dirichlet(np.ones(len(CRITERIA)))
    return {c: float(w) for c, w in zip(CRITERIA, raw, strict=True)}


def _proposals() -> Proposals:
    """Three proposals, listed out of the council's order; zz9 is not in the council."""
    rows = [
        ("zz9", "Audit", "points", 0.0, "an outsider's view", 1),
        ("m02", "Finance", "ahp", 0.04, "+cost first", 2),
        ("m00", "Legal", "swing", np.nan, "=law first", 1),
    ]
    frame = pd.DataFrame(
        [
            {
                "member": member,
                "department": department,
                "method": method,
                "answer": "{}",
                "weights": json.dumps(_weights(seed)),
                "consistency_ratio": ratio if method == "ahp" else np.nan,
                "reason": reason,
                "time": f"2026-02-0{seed}T09:00:00Z",
                "version": version,
            }
            for seed, (member, department, method, ratio, reason, version) in enumerate(rows, 1)
        ],
        columns=list(PROPOSAL_COLUMNS),
    )
    return Proposals.trusted(frame, CRITERIA)


PROPOSALS = _proposals()


def _adoption(category: str, seq: int, rationale: str = "") -> dict[str, Any]:
    """A log row adopting weights, as :meth:`prioritize.store.Session.decisions` gives it."""
    return {
        "seq": seq,
        "round_id": 1,
        "requirement_id": "",
        "outcome": ADOPT_WEIGHTS,
        "category": category,
        "rank": len(PROPOSALS),
        "override": category == "other",
        "rationale": rationale,
        "dissent": "",
        "decided_by": "f01",
        "decided_at": f"2026-02-2{seq % 10}T10:00:00Z",
        "basis_sha256": "ab" * 32,
        "previous_hash": f"{seq - 1:064x}",
        "entry_hash": f"{seq:064x}",
    }


def _log(adoptions: list[dict[str, Any]]) -> pd.DataFrame:
    """The test council's log (tests/export/council.py) in store columns, with adoptions
    appended; seq orders them (the second adoption sits in the middle of the log)."""
    log = DECISIONS.rename(
        columns={"time": "decided_at", "hash": "entry_hash", "prev_hash": "previous_hash"}
    )
    log.insert(0, "seq", [2 * i + 1 for i in range(len(log))])
    return pd.concat([log, pd.DataFrame(adoptions)], ignore_index=True)


def _book(**kwargs: Any) -> openpyxl.Workbook:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ExportWarning)  # DECISIONS names an unknown requirement
        data = portfolio_xlsx(EVALUATION, generated_at=STAMP, **kwargs)
    return openpyxl.load_workbook(io.BytesIO(data))


def rows(ws: Worksheet) -> list[dict[str, Any]]:
    header = [c.value for c in ws[1]]
    return [dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)]


def about(book: openpyxl.Workbook) -> dict[str, Any]:
    return {r["item"]: r["value"] for r in rows(book["About"])}


def reason_cell(ws: Worksheet, member: str) -> Any:
    """The cell (not the value) of a member's reason."""
    position = [c.value for c in ws[1]].index("reason")
    return next(row[position] for row in ws.iter_rows(min_row=2) if row[1].value == member)


def weights_of(row: dict[str, Any]) -> list[float]:
    return [row[c] for c in CRITERIA]


def test_proposals_council_and_spread() -> None:
    book = _book(proposals=PROPOSALS)
    names = book.sheetnames
    assert names.index("Weights") == names.index("Criteria") + 1
    ws = book["Weights"]
    assert [c.value for c in ws[1]] == [
        "what",
        "member",
        "department",
        "method",
        "consistency ratio",
        *CRITERIA,
        "proposals",
        "reason",
        "time",
        "version",
        "decided by",
        "dissent",
        "seq",
        "previous hash",
        "entry hash",
    ]
    assert ws.freeze_panes == "C2"
    got = rows(ws)
    assert [r["what"] for r in got] == [
        *["proposal"] * 3,
        "council",
        *SPREAD,
        "current (not adopted)",
    ]
    # the council's order (m00, m02), then a member it does not know
    assert [r["member"] for r in got[:3]] == ["m00", "m02", "zz9"]
    for row in got[:3]:
        member = row["member"]
        assert weights_of(row) == pytest.approx(PROPOSALS.weights.loc[member].tolist(), abs=1e-15)
        assert row["department"] == PROPOSALS.table.at[member, "department"]
        assert row["reason"] == PROPOSALS.table.at[member, "reason"]
        assert row["time"] == PROPOSALS.table.at[member, "time"]
        assert row["version"] == PROPOSALS.table.at[member, "version"]
    assert [r["consistency ratio"] for r in got[:3]] == [None, 0.04, None]  # AHP only
    council = PROPOSALS.aggregate("mean")
    assert (got[3]["method"], got[3]["proposals"]) == ("mean", 3)
    assert weights_of(got[3]) == pytest.approx(council.weights.reindex(CRITERIA).tolist())
    for row, statistic in zip(got[4:7], ("min", "median", "max"), strict=True):
        assert weights_of(row) == pytest.approx(council.spread[statistic].reindex(CRITERIA))
    assert weights_of(got[-1]) == pytest.approx(EVALUATION.weights.reindex(CRITERIA).tolist())
    assert got[-1]["entry hash"] is None
    weight_cells = [row[5] for row in ws.iter_rows(min_row=2) if row[5].value is not None]
    assert {c.number_format for c in weight_cells} == {"0.0%"}
    # a reason that looks like a formula stays text
    reason = reason_cell(ws, "m00")
    assert (reason.value, reason.data_type) == ("=law first", "s")
    info = about(book)
    assert "how to read: Weights" in info
    assert "weight adoptions" not in info


def test_adoptions_leave_the_decisions_sheet_for_the_weights_sheet() -> None:
    log = _log([_adoption("other", 6, "the board's =strategy"), _adoption("median", 99)])
    book = _book(decisions=log, proposals=PROPOSALS)
    decisions = rows(book["Decisions"])
    assert len(decisions) == len(DECISIONS)
    assert ADOPT_WEIGHTS not in {r["outcome"] for r in decisions}
    assert "" not in {r["requirement id"] for r in decisions}
    # the portfolio is the one the requirement decisions give
    alone = _book(decisions=DECISIONS)
    assert rows(book["Portfolio"]) == rows(alone["Portfolio"])
    got = rows(book["Weights"])
    assert [r["what"] for r in got[-2:]] == ["adopted earlier", "adopted"]
    earlier, adopted = got[-2:]
    # the latest adoption names the median: the council row shows that aggregation
    council = next(r for r in got if r["what"] == "council")
    assert council["method"] == "median"
    assert weights_of(council) == pytest.approx(
        PROPOSALS.aggregate("median").weights.reindex(CRITERIA).tolist()
    )
    assert (adopted["method"], adopted["decided by"], adopted["proposals"]) == ("median", "f01", 3)
    assert adopted["time"] == "2026-02-29T10:00:00Z"
    assert (adopted["seq"], adopted["entry hash"]) == (99, f"{99:064x}")
    assert adopted["previous hash"] == f"{98:064x}"
    assert weights_of(adopted) == pytest.approx(EVALUATION.weights.reindex(CRITERIA).tolist())
    assert earlier["method"] == "other" and earlier["reason"] == "the board's =strategy"
    assert weights_of(earlier) == [None] * len(CRITERIA)  # the log keeps no replaced weights
    info = about(book)
    assert info["decisions"] == len(DECISIONS)
    assert info["weight adoptions"] == 2
    assert info["decision log head (last entry's hash)"] == f"{99:064x}"
    assert "Weights sheet" in info["how to read: Decisions"]


def test_a_log_of_adoptions_only_decides_no_requirement() -> None:
    book = _book(decisions=pd.DataFrame([_adoption("mean", 1)]))
    assert "Decisions" not in book.sheetnames
    undecided = _book()
    assert rows(book["Portfolio"]) == rows(undecided["Portfolio"])
    # without proposals the sheet still shows the adoption, the only place it is listed
    got = rows(book["Weights"])
    assert [(r["what"], r["entry hash"]) for r in got] == [("adopted", f"{1:064x}")]
    assert about(book)["decision log head (last entry's hash)"] == f"{1:064x}"


def test_entries_from_the_decision_module_go_in_as_they_are() -> None:
    first = chain_entry(
        None,
        round_id=1,
        requirement_id="",
        outcome=ADOPT_WEIGHTS,
        category="mean",
        rank=3,
        rationale="",
        decided_by="f01",
        dissent="",
        decided_at="2026-02-01T10:00:00Z",
        basis_sha256="0" * 64,
        override=False,
    )
    rid = str(EVALUATION.table.index[0])
    second = chain_entry(
        first,
        round_id=1,
        requirement_id=rid,
        outcome="approve",
        category=str(EVALUATION.table.loc[rid, "category"]),
        rank=1,
        rationale="agreed",
        decided_by="f01",
        dissent="",
        decided_at="2026-02-01T11:00:00Z",
        basis_sha256="0" * 64,
        override=False,
    )
    assert first.adopts_weights
    book = _book(decisions=[first, second], proposals=PROPOSALS)
    assert [r["entry hash"] for r in rows(book["Decisions"])] == [second.entry_hash]
    adopted = rows(book["Weights"])[-1]
    assert (adopted["what"], adopted["entry hash"]) == ("adopted", first.entry_hash)
    assert about(book)["decision log head (last entry's hash)"] == second.entry_hash


def test_without_proposals_or_adoptions_the_workbook_is_unchanged() -> None:
    empty = Proposals.trusted(pd.DataFrame(columns=list(PROPOSAL_COLUMNS)), CRITERIA)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ExportWarning)
        before = portfolio_xlsx(EVALUATION, decisions=DECISIONS, generated_at=STAMP)
        for proposals in (None, empty):
            after = portfolio_xlsx(
                EVALUATION, decisions=DECISIONS, proposals=proposals, generated_at=STAMP
            )
            assert after == before


def test_proposals_over_other_criteria_are_refused() -> None:
    frame = pd.DataFrame(
        [["m00", "Legal", "points", "{}", '{"impact": 1.0}', np.nan, "r", "t", 1]],
        columns=list(PROPOSAL_COLUMNS),
    )
    with pytest.raises(pz.ValidationError, match="other criteria than the evaluation"):
        portfolio_xlsx(EVALUATION, proposals=Proposals.trusted(frame, ["impact"]))


def test_through_the_store(council_db: Council) -> None:
    """Members propose in the debate, the facilitator adopts the mean, the export shows
    both proposals, the council's mean and the adoption with its hash."""
    round_id = council_db.debate
    council_db.session("m01").propose_weights(
        round_id, "points", {"points": {"impact": 20, "legal": 60, "cost": 20}}, "=law first"
    )
    council_db.session("m02").propose_weights(
        round_id, "points", {"points": {"impact": 30, "legal": 10, "cost": 60}}, "cost matters"
    )
    facilitator = council_db.session("f01")
    proposals = facilitator.weight_proposals(round_id)
    mean = proposals.aggregate("mean").weights
    entry = facilitator.adopt_weights(round_id, mean.to_dict())
    facilitator.record_decision(round_id, "R1", "approve")
    evaluation = facilitator.evaluation(round_id)
    log = facilitator.decisions(round_id)
    assert log["outcome"].tolist() == [ADOPT_WEIGHTS, "approve"]
    data = portfolio_xlsx(
        evaluation,
        decisions=log,
        proposals=facilitator.weight_proposals(round_id),
        generated_at=STAMP,
    )
    book = openpyxl.load_workbook(io.BytesIO(data))
    criteria = ["impact", "legal", "cost"]
    got = {r["what"] if r["what"] != "proposal" else r["member"]: r for r in rows(book["Weights"])}
    assert list(got) == ["m01", "m02", "council", *SPREAD, "adopted"]
    assert [got["m01"][c] for c in criteria] == pytest.approx([0.2, 0.6, 0.2])
    assert [got["m02"][c] for c in criteria] == pytest.approx([0.3, 0.1, 0.6])
    assert (got["m01"]["department"], got["m02"]["department"]) == ("Legal", "Finance")
    assert got["council"]["method"] == "mean"
    assert [got["council"][c] for c in criteria] == pytest.approx([0.25, 0.35, 0.4])
    adopted = got["adopted"]
    assert [adopted[c] for c in criteria] == pytest.approx([0.25, 0.35, 0.4])
    assert (adopted["method"], adopted["decided by"]) == ("mean", "f01")
    assert (adopted["entry hash"], adopted["time"]) == (entry.entry_hash, entry.decided_at)
    assert [r["requirement id"] for r in rows(book["Decisions"])] == ["R1"]
    ws = book["Weights"]
    reason = reason_cell(ws, "m01")
    assert (reason.value, reason.data_type) == ("=law first", "s")
    assert not [c.coordinate for row in ws.iter_rows() for c in row if c.data_type == "f"]


def test_the_portfolio_table_reads_a_log_holding_adoptions() -> None:
    """A log exported from the store holds adoptions of weights too (the CLI's
    ``--decisions`` file): they decide no requirement, so the portfolio is the same."""
    log = pd.DataFrame(DECISIONS)
    adoption = _adoption("mean", 1)
    row = {c: adoption.get(c, log[c].iloc[0]) for c in log.columns}
    with_adoption = pd.concat([log, pd.DataFrame([row])], ignore_index=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = pz.portfolio_table(EVALUATION, pd.DataFrame(DECISIONS))
        got = pz.portfolio_table(EVALUATION, with_adoption)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
