"""Charts show user text as typed: plotly renders a subset of HTML (links included) in
labels and hover text, so a title can never become a link or markup there."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

import prioritize as pz
from prioritize import charts


def _strings(figure: Any) -> list[str]:
    found: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)

    walk(figure.to_plotly_json())
    return found


def test_a_hostile_title_is_no_link_in_any_chart() -> None:
    example = pz.example_dir()
    requirements = pd.read_csv(example / "requirements.csv", dtype=str, keep_default_na=False)
    hostile = '<a href="http://evil.example">re-enter your passcode</a><img src=x>'
    requirements.loc[0, "title"] = hostile
    evaluation = pz.evaluate(
        "customer-operations",
        requirements,
        example / "scores.csv",
        members=example / "members.csv",
    )
    first = str(requirements.loc[0, "id"])
    figures = [
        charts.value_matrix(evaluation, highlight=first),
        charts.contribution_waterfall(evaluation, first),
    ]
    texts = [s for f in figures for s in _strings(f)]
    assert any("re-enter your passcode" in s for s in texts)  # the title is shown
    assert not any("<a " in s or "<img" in s for s in texts)
    assert any("&lt;a href=" in s for s in texts)


def test_the_round_diff_chart_escapes_titles_and_splits_each_move() -> None:
    example = pz.example_dir()
    requirements = pd.read_csv(example / "requirements.csv", dtype=str, keep_default_na=False)
    requirements["title"] = '<a href="http://evil.example">re-enter your passcode</a>'
    before = pz.evaluate(
        "customer-operations", requirements, example / "scores.csv", members=example / "members.csv"
    )
    after = pz.evaluate(
        before.criteria.with_weights({"customer_impact": 0.5}),
        before.requirements,
        before.scores,
        members=before.members,
    )
    diff = pz.round_diff(before, after)
    figure = charts.round_diff_chart(diff)
    texts = _strings(figure)
    assert any("re-enter your passcode" in s for s in texts)
    assert not any("<a " in s for s in texts)
    assert any("&lt;a href=" in s for s in texts)
    weights_bar, scores_bar = figure.data
    assert len(weights_bar.y) == min(20, len(diff.moved)) > 0
    assert list(weights_bar.x) == pytest.approx(
        list(diff.table.loc[[s.split()[0] for s in weights_bar.y], "score_change"])
    )  # only the weights changed: the whole change is theirs
    assert list(scores_bar.x) == pytest.approx([0.0] * len(scores_bar.x))
