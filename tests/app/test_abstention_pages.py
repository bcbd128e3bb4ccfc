"""'Cannot judge' on the pages the council reads: the debate's scores and spread, and the
overview's progress, say it in words, apart from the scores."""

from __future__ import annotations

import math

import pandas as pd
from streamlit.testing.v1 import AppTest

from prioritize.store import ScoreCell, Store
from prioritize.store.example import ExampleImport
from tests.app.test_pages import signed_in


def frame_with(at: AppTest, column: str) -> pd.DataFrame:
    """The one table on the page with this column (AppTest finds tables by content)."""
    found = [pd.DataFrame(d.value) for d in at.dataframe if column in d.value.columns]
    assert len(found) == 1, column
    return found[0]


def _abstain(store: Store, example: ExampleImport, member: str) -> tuple[str, str]:
    session = store.session(member, f"{member}-demo")
    mine = session.scores(example.round.id)
    row = mine[mine["member"] == member].iloc[0]
    session.submit_scores(
        example.round.id,
        [
            ScoreCell(
                str(row["requirement_id"]),
                str(row["criterion"]),
                math.nan,
                "outside what I know",
                version=int(row["version"]),
                abstain=True,
            )
        ],
    )
    return str(row["requirement_id"]), str(row["criterion"])


def test_the_debate_shows_cannot_judge_and_counts_it(
    council: tuple[Store, ExampleImport],
) -> None:
    store, example = council
    requirement, criterion = _abstain(store, example, "m02")
    at = signed_in(store, "m01", "debate")
    at.selectbox(key="debate-requirement").set_value(requirement).run()
    assert not at.exception
    grid = frame_with(at, "Jonas Weber (Sales)")  # a column per member, by name
    name = store.session("m01", "m01-demo").criteria(example.round.id)[criterion].name
    assert (grid.loc[name] == "cannot judge").sum() == 1
    reasons = frame_with(at, "reason")
    said = reasons[reasons["reason"] == "outside what I know"]
    assert said["score"].tolist() == ["cannot judge"]
    spread = frame_with(at, "how many scored").set_index("criterion")
    assert spread.at[name, "cannot judge"] == 1
    assert spread["cannot judge"].sum() == 1


def test_the_overview_counts_cannot_judge_as_answered(
    council: tuple[Store, ExampleImport],
) -> None:
    store, example = council
    _abstain(store, example, "m03")
    at = signed_in(store, "m01", "overview")
    assert not at.exception
    table = frame_with(at, "to answer").set_index("name")
    assert table["cannot judge"].sum() == 1
    assert table["answered"].sum() == table["to answer"].sum()  # the example is complete
