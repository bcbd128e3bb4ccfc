"""Revealing and closing need scores: an empty round is refused by the store, whatever
face asks (issue 11); a round with some members unfinished may still be revealed."""

from __future__ import annotations

import pytest

from prioritize.errors import ValidationError
from tests.databases import raw
from tests.store.council import Council, scores_frame


def test_a_round_with_no_scores_cannot_be_revealed(council_db: Council) -> None:
    facilitator = council_db.session("f01")
    facilitator.start_scoring(council_db.draft)
    with pytest.raises(ValidationError) as refused:
        facilitator.reveal(council_db.draft)
    (problem,) = refused.value.problems
    assert problem.message.startswith(f"round {council_db.draft} has no scores yet")
    assert problem.expected == "at least one member's scores"
    assert facilitator.round(council_db.draft).state == "scoring"


def test_a_round_with_no_scores_cannot_be_closed(council_db: Council) -> None:
    # an empty round revealed before the rule existed (an older database)
    with raw(council_db.path) as conn:
        conn.execute("UPDATE rounds SET state = 'debate' WHERE id = ?", (council_db.draft,))
    facilitator = council_db.session("f01")
    with pytest.raises(ValidationError, match=f"round {council_db.draft} has no scores yet"):
        facilitator.close(council_db.draft)
    assert facilitator.round(council_db.draft).state == "debate"


def test_a_round_with_some_scores_can_be_revealed_and_closed(council_db: Council) -> None:
    facilitator = council_db.session("f01")
    progress = facilitator.progress(council_db.scoring)
    assert not progress["complete"].all()  # f01 and m01 scored 4 cells each, m02 none
    assert facilitator.reveal(council_db.scoring).state == "debate"
    assert facilitator.close(council_db.scoring).state == "decided"


def test_one_score_is_enough(council_db: Council) -> None:
    facilitator = council_db.session("f01")
    facilitator.start_scoring(council_db.draft)
    council_db.session("m02").import_scores(council_db.draft, scores_frame("m02").iloc[:1])
    assert facilitator.reveal(council_db.draft).state == "debate"
