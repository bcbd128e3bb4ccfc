"""'Cannot judge': an explicit abstention is an answer, stored as such, left out of the
aggregation (as if that member gave no score) and counted as answered in the progress."""

from __future__ import annotations

import math

import numpy as np
import pytest

from prioritize.errors import ValidationError
from prioritize.store import ScoreCell
from prioritize.store.snapshots import judged
from tests.store.council import Council


def test_an_abstention_is_stored_with_its_reason_and_counted_as_answered(
    council_db: Council,
) -> None:
    m02 = council_db.session("m02")
    record = m02.submit_scores(
        council_db.scoring,
        [ScoreCell("R1", "legal", math.nan, "not my field", abstain=True)],
    )[0]
    assert record.abstained and math.isnan(record.score) and record.version == 1
    mine = m02.scores(council_db.scoring)
    row = mine[(mine["requirement_id"] == "R1") & (mine["criterion"] == "legal")].iloc[0]
    assert bool(row["abstained"]) and math.isnan(row["score"]) and row["reason"] == "not my field"
    progress = m02.progress(council_db.scoring)
    assert progress.at["m02", "abstained"] == 1
    assert progress.at["m02", "scored"] >= 1
    # a score may replace the abstention (and back), each change in the history
    m02.submit_scores(council_db.scoring, [ScoreCell("R1", "legal", 3, "read up", version=1)])
    history = m02.score_history(council_db.scoring)
    cell = history[(history["requirement_id"] == "R1") & (history["criterion"] == "legal")]
    assert cell["abstained"].tolist() == [True, False]
    assert cell["score"].iloc[1] == 3


def test_revealing_a_round_with_only_abstentions_is_refused(council_db: Council) -> None:
    facilitator = council_db.session("f01")
    info = facilitator.start_scoring(council_db.draft)
    council_db.session("m01").submit_scores(
        info.id, [ScoreCell("R1", "impact", math.nan, "no idea", abstain=True)]
    )
    with pytest.raises(ValidationError, match="has no scores yet"):
        facilitator.reveal(info.id)


def test_the_evaluation_leaves_abstentions_out_exactly(council_db: Council) -> None:
    """Oracle: the same round evaluated from the scores without the abstaining rows."""
    m01 = council_db.session("m01")
    round_id = council_db.debate
    before = m01.scores(round_id)
    target = before[(before["member"] == "m01")].iloc[0]
    m01.submit_scores(
        round_id,
        [
            ScoreCell(
                str(target["requirement_id"]),
                str(target["criterion"]),
                math.nan,
                "on reflection I cannot judge this",
                version=int(target["version"]),
                abstain=True,
            )
        ],
    )
    after = m01.scores(round_id)
    assert int(after["abstained"].sum()) == 1
    kept = judged(after)
    assert len(kept) == len(before) - 1 and "abstained" not in kept.columns
    evaluation = m01.evaluation(round_id)
    assert len(evaluation.scores.table) == len(kept)
    # the aggregate of the changed cell is the mean of the other members' scores
    others = before[
        (before["requirement_id"] == target["requirement_id"])
        & (before["criterion"] == target["criterion"])
        & (before["member"] != "m01")
    ]["score"]
    aggregated = evaluation.aggregated.loc[str(target["requirement_id"]), str(target["criterion"])]
    assert aggregated == pytest.approx(float(np.mean(others)), abs=1e-12)
