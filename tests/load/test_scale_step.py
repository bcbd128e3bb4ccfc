"""A scale's optional step: a score finer than it is refused, naming the row, by the file
loader and by the store alike (one check); without a step any number on the scale counts."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import prioritize as pz
from prioritize.errors import ValidationError
from prioritize.load import check_scores
from tests.conftest import tiny_criteria_mapping


def _stepped(step: object) -> pz.CriteriaSet:
    data = tiny_criteria_mapping()
    data["criteria"][0]["scale"]["step"] = step
    return pz.load_criteria(data)


def test_a_step_is_read_and_checked() -> None:
    assert _stepped(1).criteria[0].scale.step == 1.0
    assert _stepped(0.5).criteria[0].scale.on_step(3.5)
    assert pz.load_criteria(tiny_criteria_mapping()).criteria[0].scale.step is None
    for bad in (0, -1, 10, "one"):
        with pytest.raises(ValidationError, match="step"):
            _stepped(bad)


def test_a_score_finer_than_the_step_is_refused_naming_its_row(tmp_path: Path) -> None:
    criteria = _stepped(1)
    requirements = pd.DataFrame({"id": ["R1", "R2"], "title": ["a", "b"]})
    path = tmp_path / "scores.csv"
    pd.DataFrame(
        {
            "requirement_id": ["R1", "R2", "R1"],
            "member": ["m1", "m1", "m2"],
            "criterion": ["impact", "impact", "impact"],
            "score": [4, 3.5, 2],
        }
    ).to_csv(path, index=False)
    with pytest.raises(ValidationError) as caught:
        pz.evaluate(criteria, requirements, path)
    (problem,) = caught.value.problems
    assert problem.row == 3 and problem.value == "3.5" and "finer than its step" in problem.message
    assert "3 or 4" in str(problem.expected)
    # without a step, 3.5 is a score like any other
    check_scores(pz.load_scores(path), criteria=pz.load_criteria(tiny_criteria_mapping()))
