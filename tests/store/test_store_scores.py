"""Session.submit_scores: one transaction, the score loader's own checks, nothing of a
refused block written."""

from __future__ import annotations

from typing import Any

import pytest

from prioritize.errors import ValidationError
from prioritize.store import ScoreCell
from tests.store.council import Council


def _cells_of(council: Council, requirement: str, criterion: str) -> int:
    history = council.session("m01").score_history(council.scoring)
    mask = (history["requirement_id"] == requirement) & (history["criterion"] == criterion)
    return int(mask.sum())


def test_a_block_with_one_bad_cell_writes_nothing_and_names_each(council_db: Council) -> None:
    member = council_db.session("m01")
    block = [
        ScoreCell("R3", "impact", 4, "fine"),
        ScoreCell("R3", "legal", 7, "off the 1-5 scale"),
        ScoreCell("R4", "cost", float("nan")),
    ]
    with pytest.raises(ValidationError) as caught:
        member.submit_scores(council_db.scoring, block)
    text = str(caught.value)
    assert "R3" in text and "outside the criterion's scale" in text and "not a number" in text
    assert _cells_of(council_db, "R3", "impact") == 0  # not even the good cell


def test_a_good_block_is_written_at_once(council_db: Council) -> None:
    member = council_db.session("m01")
    written = member.submit_scores(
        council_db.scoring,
        [ScoreCell("R3", "impact", 4, "a"), ScoreCell("R3", "cost", 7.5, "b")],
    )
    assert [(r.criterion, r.score, r.version) for r in written] == [
        ("impact", 4.0, 1),
        ("cost", 7.5, 1),
    ]
    assert _cells_of(council_db, "R3", "cost") == 1


def test_complex_and_boolean_scores_are_refused(council_db: Council) -> None:
    member = council_db.session("m01")
    bad_scores: list[Any] = [complex(3, 1), True]  # what a careless caller might pass
    for bad in bad_scores:
        with pytest.raises(ValidationError, match="not a number"):
            member.submit_scores(council_db.scoring, [ScoreCell("R3", "impact", bad)])
    assert _cells_of(council_db, "R3", "impact") == 0
