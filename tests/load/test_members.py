"""Loading council members: roles and where errors point."""

from __future__ import annotations

from pathlib import Path

import pytest

import prioritize as pz
from tests.load.tables import write


class TestMembers:
    def test_roles(self, tmp_path: Path) -> None:
        path = write(
            tmp_path, "id,name,department,role\na,Ann,Sales,Facilitator\nb,Bob,IT,member\n", "m.csv"
        )
        members = pz.load_members(path)
        assert [m.role for m in members] == ["facilitator", "member"]
        assert members["b"].department == "IT"

    def test_role_column_optional(self, tmp_path: Path) -> None:
        members = pz.load_members(write(tmp_path, "id,name,department\na,Ann,Sales\n", "m.csv"))
        assert members["a"].role == "member"

    def test_unknown_role(self, tmp_path: Path) -> None:
        path = write(tmp_path, "id,name,department,role\na,Ann,Sales,boss\n", "m.csv")
        with pytest.raises(pz.ValidationError) as exc:
            pz.load_members(path)
        assert (exc.value.first.row, exc.value.first.column, exc.value.first.value) == (
            2,
            "role",
            "boss",
        )
