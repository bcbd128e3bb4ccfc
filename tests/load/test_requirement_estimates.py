"""Estimates and relations on requirements: cost, effort, requires, excludes, alternatives
(SPEC "Estimates and relations", "Bad input")."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import prioritize as pz
from prioritize.load.relations import unfundable
from prioritize.model.council import Requirement
from tests.load.tables import write

ESTIMATED = """id,title,cost,effort,requires,excludes,alternatives
R1,Fix order entry,12000,15.5, R2 ; R3 ,,
R2,Catalogue,,,,,catalogue
R3,Rules,0,2,,R4,
R4,Portal,3.25e4,,,,
"""


def load(tmp_path: Path, text: str) -> pz.Requirements:
    return pz.load_requirements(write(tmp_path, text, "r.csv"))


def problems(tmp_path: Path, text: str) -> list[pz.Problem]:
    with pytest.raises(pz.ValidationError) as exc:
        load(tmp_path, text)
    return list(exc.value.problems)


class TestLoaded:
    def test_values_and_their_types(self, tmp_path: Path) -> None:
        reqs = load(tmp_path, ESTIMATED)
        estimates = reqs.estimates
        assert list(estimates.columns) == ["cost", "effort", "requires", "excludes", "alternatives"]
        assert list(estimates.index) == ["R1", "R2", "R3", "R4"]
        assert estimates["cost"].dtype == float and estimates["effort"].dtype == float
        assert estimates.loc["R1", "cost"] == 12000.0 and estimates.loc["R1", "effort"] == 15.5
        assert estimates.loc["R4", "cost"] == 32500.0  # as typed, never rounded
        assert math.isnan(estimates.loc["R2", "cost"]) and math.isnan(estimates.loc["R4", "effort"])
        assert estimates.loc["R1", "requires"] == ("R2", "R3")
        assert estimates.loc["R3", "excludes"] == ("R4",)
        assert estimates.loc["R4", "excludes"] == ()  # "not both" is not written twice
        assert estimates.loc["R2", "alternatives"] == "catalogue"
        assert estimates.loc["R1", "alternatives"] == ""

    def test_the_frame_keeps_numbers_as_floats_and_relations_normalised(
        self, tmp_path: Path
    ) -> None:
        frame = load(tmp_path, ESTIMATED).frame
        assert frame["cost"].dtype == float and frame["effort"].dtype == float
        assert frame.loc["R1", "requires"] == "R2;R3"
        assert frame.loc["R2", "requires"] == ""
        assert frame["title"].dtype == object

    def test_the_frozen_record(self, tmp_path: Path) -> None:
        reqs = load(tmp_path, ESTIMATED)
        assert reqs["R1"].cost == 12000.0 and reqs["R1"].requires == ("R2", "R3")
        assert reqs["R2"].cost is None and reqs["R2"].alternatives == "catalogue"
        assert [r.excludes for r in reqs] == [(), (), ("R4",), ()]
        plain = Requirement("X", "t")  # constructions without estimates keep working
        assert (plain.cost, plain.effort, plain.requires, plain.excludes, plain.alternatives) == (
            None,
            None,
            (),
            (),
            "",
        )

    @pytest.mark.parametrize(
        "text",
        ["id,title\nR1,a\nR2,b\n", "id,title,cost,requires,alternatives\nR1,a,,,\nR2,b,,,\n"],
    )
    def test_without_estimates_every_value_is_empty(self, tmp_path: Path, text: str) -> None:
        reqs = load(tmp_path, text)
        assert "cost" not in reqs.frame.columns  # no empty columns for a council that
        estimates = reqs.estimates  # estimates nothing
        assert estimates["cost"].isna().all() and estimates["effort"].isna().all()
        assert list(estimates["requires"]) == [(), ()] and list(estimates["alternatives"]) == [
            "",
            "",
        ]
        assert reqs["R1"].cost is None

    def test_other_names_for_the_columns(self, tmp_path: Path) -> None:
        reqs = load(tmp_path, "id,title,Estimated Cost,Person-Days,Depends On\nA,a,5,1,B\nB,b,,,\n")
        assert reqs["A"].cost == 5.0 and reqs["A"].effort == 1.0 and reqs["A"].requires == ("B",)

    def test_numbers_from_a_dataframe_and_a_workbook(self, tmp_path: Path) -> None:
        frame = pd.DataFrame(
            {"id": ["A", "B"], "title": ["a", "b"], "cost": [1500.5, np.nan], "effort": [3, 4]}
        )
        reqs = pz.load_requirements(frame)
        assert reqs["A"].cost == 1500.5 and reqs["B"].cost is None and reqs["B"].effort == 4.0
        frame.to_excel(tmp_path / "r.xlsx", index=False)
        pd.testing.assert_frame_equal(
            pz.load_requirements(tmp_path / "r.xlsx").estimates, reqs.estimates
        )

    def test_requirements_that_require_each_other_are_a_bundle(self, tmp_path: Path) -> None:
        reqs = load(tmp_path, "id,title,requires\nA,a,B\nB,b,A\nC,c,A\n")
        assert reqs["A"].requires == ("B",) and reqs["B"].requires == ("A",)

    def test_the_bundled_example_is_estimated(self) -> None:
        reqs = pz.load_requirements(pz.example_dir() / "requirements.csv")
        estimates = reqs.estimates
        assert len(estimates) == 28
        assert (estimates["cost"] > 0).all() and (estimates["effort"] > 0).all()
        required = {r: ids for r, ids in estimates["requires"].items() if ids}
        assert required == {
            "REQ-008": ("REQ-028",),
            "REQ-016": ("REQ-009",),
            "REQ-018": ("REQ-002", "REQ-008"),
        }
        assert {r: ids for r, ids in estimates["excludes"].items() if ids} == {
            "REQ-017": ("REQ-024",)
        }
        groups = estimates.loc[estimates["alternatives"] != "", "alternatives"]
        assert list(groups.index) == ["REQ-003", "REQ-022"] and groups.nunique() == 1


class TestBadInput:
    def test_every_problem_is_listed_with_its_row(self, tmp_path: Path) -> None:
        text = (
            "id,title,cost,effort,requires,excludes,alternatives\n"
            "R1,a,-5,1,R1,,\n"  # row 2: negative cost; requires itself
            "R2,b,12k,inf,R9,,\n"  # row 3: not a number; not finite; unknown id
            "R3,c,,,R1;R1,r2,\n"  # row 4: listed twice; id typed in another case
            'R4,d,1e16,,,,"two\nlines"\n'  # row 5: too large; a group on two lines
            "R5,e,true,-0.5,,,\n"  # row 6: a yes/no value; negative effort
        )
        found = {(p.row, p.column, p.value) for p in problems(tmp_path, text)}
        assert found == {
            (2, "cost", "-5"),
            (2, "requires", "R1"),
            (3, "cost", "12k"),
            (3, "effort", "inf"),
            (3, "requires", "R9"),
            (4, "requires", "R1;R1"),
            (4, "excludes", "r2"),
            (5, "cost", "1e16"),
            (5, "alternatives", "two\nlines"),
            (6, "cost", "true"),
            (6, "effort", "-0.5"),
        }
        listed = problems(tmp_path, text)
        assert all(p.file == str(tmp_path / "r.csv") and p.expected for p in listed)
        by_value = {p.value: p for p in listed}
        assert "cannot require itself" in by_value["R1"].message
        assert "R9 is not a requirement of this file" in by_value["R9"].message
        assert by_value["r2"].expected is not None and by_value["r2"].expected.startswith("R2")
        assert by_value["1e16"].limit == "max_estimate"

    def test_a_requirement_that_can_never_be_funded_names_the_ids(self, tmp_path: Path) -> None:
        text = (
            "id,title,requires,excludes,alternatives\n"
            "REQ-004,a,REQ-005,REQ-007,\n"
            "REQ-005,b,REQ-007,,\n"
            "REQ-006,c,REQ-008;REQ-009,,\n"
            "REQ-007,d,,,\n"
            "REQ-008,e,,,g\n"
            "REQ-009,f,,,g\n"
            "REQ-010,h,REQ-008,,g\n"
        )
        messages = {p.row: p.message for p in problems(tmp_path, text)}
        assert messages == {
            2: "REQ-004 can never be funded: it requires REQ-007 (through REQ-005), "
            "which it excludes",
            4: "REQ-006 can never be funded: it requires REQ-008 and REQ-009, both in "
            "alternatives group 'g'",
            8: "REQ-010 can never be funded: it requires REQ-008, and both are in "
            "alternatives group 'g'",
        }

    def test_two_it_requires_that_exclude_each_other(self, tmp_path: Path) -> None:
        text = "id,title,requires,excludes\nA,a,B;C,\nB,b,,\nC,c,,B\n"
        (problem,) = problems(tmp_path, text)
        assert problem.message == "A can never be funded: it requires B and C, and C excludes B"
        assert (problem.row, problem.column, problem.value) == (2, "requires", "B;C")

    def test_following_requires_is_bounded(self, tmp_path: Path) -> None:
        n = 300
        frame = pd.DataFrame(
            {
                "id": [f"R{i}" for i in range(n)],
                "title": ["t"] * n,
                "requires": [f"R{i + 1}" if i + 1 < n else "" for i in range(n)],
                "excludes": ["R0" if i == n - 1 else "" for i in range(n)],
            }
        )
        with pytest.raises(pz.ValidationError) as exc:
            pz.load_requirements(frame, limits=pz.DEFAULT_LIMITS.replace(max_requires_steps=1000))
        assert exc.value.first.limit == "max_requires_steps"
        with pytest.raises(pz.ValidationError, match="R0 can never be funded"):
            pz.load_requirements(frame)  # within the default: the chain is followed


# --- every requirement the relations make impossible, against a brute force -----------------


def fundable_by_brute_force(
    n: int, requires: list[set[int]], excludes: list[set[int]], groups: list[str]
) -> set[int]:
    """The requirements in at least one set that respects every relation."""
    out: set[int] = set()
    for size in range(1, n + 1):
        for chosen in itertools.combinations(range(n), size):
            funded = set(chosen)
            if any(not requires[r] <= funded for r in funded):
                continue
            if any(excludes[r] & funded for r in funded):
                continue
            named = [groups[r] for r in funded if groups[r]]
            if len(named) != len(set(named)):
                continue
            out |= funded
    return out


@st.composite
def relations(draw: st.DrawFn) -> tuple[int, list[set[int]], list[set[int]], list[str]]:
    n = draw(st.integers(1, 7))
    others = [
        st.sets(st.sampled_from([j for j in range(n) if j != i]), max_size=3) for i in range(n)
    ]
    requires = [draw(s) if n > 1 else set() for s in others]
    excludes = [draw(st.sets(st.sampled_from(range(n)), max_size=2)) - {i} for i in range(n)]
    groups = [draw(st.sampled_from(["", "", "x", "y"])) for _ in range(n)]
    return n, requires, excludes, groups


@settings(max_examples=300, deadline=None)
@given(relations())
def test_refused_exactly_when_no_funded_set_can_hold_it(
    case: tuple[int, list[set[int]], list[set[int]], list[str]],
) -> None:
    n, requires, excludes, groups = case
    ids = [f"R{i}" for i in range(n)]
    refused = unfundable(
        ids,
        [tuple(ids[j] for j in sorted(row)) for row in requires],
        [tuple(ids[j] for j in sorted(row)) for row in excludes],
        groups,
        max_steps=10_000,
    )
    assert set(refused) == set(range(n)) - fundable_by_brute_force(n, requires, excludes, groups)
    for position, message in refused.items():
        assert message.startswith(f"{ids[position]} can never be funded: it requires ")
    frame = pd.DataFrame(
        {
            "id": ids,
            "title": ids,
            "requires": [";".join(ids[j] for j in sorted(row)) for row in requires],
            "excludes": [";".join(ids[j] for j in sorted(row)) for row in excludes],
            "alternatives": groups,
        }
    )
    if refused:
        with pytest.raises(pz.ValidationError) as exc:
            pz.load_requirements(frame)
        assert {p.row for p in exc.value.problems} == {str(p) for p in refused}
    else:
        assert len(pz.load_requirements(frame)) == n
