"""Column names: the other names accepted for each column, and when they are ambiguous."""

from __future__ import annotations

from pathlib import Path

import pytest

import prioritize as pz
from tests.load.tables import write


class TestAliases:
    def test_aliases(self, tmp_path: Path) -> None:
        path = write(
            tmp_path, "Req ID,Scorer,Criteria,Rating,Comment\nR1,ann,impact,4,why\n", "s.csv"
        )
        table = pz.load_scores(path).table
        assert table.iloc[0][
            ["requirement_id", "member", "criterion", "score", "reason"]
        ].tolist() == ["R1", "ann", "impact", 4.0, "why"]
        members = pz.load_members(write(tmp_path, "Member ID,Full Name,Dept\na,Ann,IT\n", "m.csv"))
        assert members["a"].department == "IT"

    def test_canonical_name_wins_and_two_aliases_are_ambiguous(self, tmp_path: Path) -> None:
        reqs = pz.load_requirements(write(tmp_path, "id,key,title\nR1,K,t\n", "r.csv"))
        assert list(reqs.ids) == ["R1"]
        with pytest.raises(pz.ValidationError, match="all mean 'member'"):
            pz.load_scores(
                write(
                    tmp_path, "requirement_id,scorer,rater,criterion,score\nR1,a,b,c,1\n", "s.csv"
                )
            )
