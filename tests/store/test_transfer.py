"""``prioritize db migrate``: a whole council copied between SQLite and PostgreSQL, its
decision log verifying with the same head, nothing kept when anything is wrong."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from prioritize.cli import main
from prioritize.errors import ValidationError
from prioritize.store import Store
from prioritize.store.transfer import copy_council
from tests.conftest import ExampleCouncil, postgres_server
from tests.databases import raw

TABLES = (
    "members",
    "rounds",
    "requirements",
    "scores",
    "score_history",
    "weight_history",
    "decisions",
    "log_head",
    "criteria_sets",
)


def _rows(location: Path | str, table: str) -> list[tuple[object, ...]]:
    with raw(location) as conn:
        rows = conn.execute(f"SELECT * FROM {table}").tuples()
    return sorted(rows, key=repr)


def _decide(example: ExampleCouncil) -> None:
    """Two decisions and an adoption of weights: the log has entries to carry over."""
    store = example.store()
    council = store.council()
    chair = str(council.index[council["role"] == "facilitator"][0])
    session = store.session(chair, f"{chair}-demo")
    round_id = example.example.round.id
    ranked = session.evaluation(round_id).table.index
    session.record_decision(round_id, str(ranked[0]), "approve")
    session.record_decision(round_id, str(ranked[-1]), "reject", rationale="least value")


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_council_goes_to_postgresql_and_back_row_for_row(
    example_council: ExampleCouncil, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    _decide(example_council)
    server = postgres_server(request)
    url = server.create()
    try:
        out = io.StringIO()
        assert (
            main(["db", "migrate", "--from", str(example_council.path), "--to", url], out=out) == 0
        )
        report = out.getvalue()
        assert "decisions: 2" in report, report
        source = Store(example_council.path)
        copied = Store(url)
        assert copied.verify_log().head == source.verify_log().head
        assert copied.verify_log().entries == source.verify_log().entries > 0
        for table in TABLES:
            assert _rows(url, table) == _rows(example_council.path, table), table
        back = tmp_path / "back.db"
        copy_council(url, back)
        for table in TABLES:
            assert _rows(back, table) == _rows(example_council.path, table), table
        # the copy works as a council: new ids follow the copied ones
        pd.testing.assert_frame_equal(copied.council(), source.council())
    finally:
        server.drop(url)


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_target_that_holds_a_council_is_refused(
    example_council: ExampleCouncil, tmp_path: Path
) -> None:
    other = tmp_path / "other.db"
    copy_council(example_council.path, other)
    before = other.read_bytes()
    with pytest.raises(ValidationError, match="already"):
        copy_council(example_council.path, other)
    assert other.read_bytes() == before
