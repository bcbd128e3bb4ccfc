"""``prioritize weights``: proposing (blind until the reveal), showing, adopting, and AHP
from a matrix file, through ``prioritize.cli.main`` as a user runs them."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

import prioritize.cli
from tests.store.council import Council, passcode


def run(monkeypatch: pytest.MonkeyPatch, member: str | None, *argv: str) -> tuple[int, str]:
    """One command as ``member`` (passcode from the environment, as the CLI reads it)."""
    if member is not None:
        monkeypatch.setenv("PRIORITIZE_MEMBER", member)
        monkeypatch.setenv("PRIORITIZE_PASSCODE", passcode(member))
    out = io.StringIO()
    code = prioritize.cli.main(list(argv), out)
    return code, out.getvalue()


def propose_points(
    monkeypatch: pytest.MonkeyPatch, council: Council, member: str, round_id: int, **points: int
) -> tuple[int, str]:
    sets = [item for c, p in points.items() for item in ("--set", f"{c}={p}")]
    return run(
        monkeypatch,
        member,
        "weights",
        "propose",
        "--db",
        str(council.path),
        "--round",
        str(round_id),
        "--method",
        "points",
        "--reason",
        f"{member}'s view",
        *sets,
    )


def test_a_proposal_is_printed_and_blind_to_another_member(
    council_db: Council, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, round_id = str(council_db.path), str(council_db.scoring)
    code, out = propose_points(
        monkeypatch, council_db, "m01", council_db.scoring, impact=20, legal=60, cost=20
    )
    assert code == 0
    assert "version 1 (new)" in out
    assert "impact 20.0%, legal 60.0%, cost 20.0%" in out
    code, out = run(monkeypatch, "m01", "weights", "show", "--db", db, "--round", round_id)
    assert code == 0 and "m01" in out and "m01's view" in out and "60.0" in out
    code, out = run(monkeypatch, "m02", "weights", "show", "--db", db, "--round", round_id)
    assert code == 0 and "0 weight proposal(s) (only your own until the reveal)" in out
    assert "m01" not in out and "60.0" not in out


def test_proposing_again_replaces_the_proposal(
    council_db: Council, monkeypatch: pytest.MonkeyPatch
) -> None:
    propose_points(monkeypatch, council_db, "m01", council_db.scoring, impact=20, legal=60, cost=20)
    code, out = run(
        monkeypatch,
        "m01",
        "weights",
        "propose",
        "--db",
        str(council_db.path),
        "--round",
        str(council_db.scoring),
        "--method",
        "rank",
        "--reason",
        "changed my mind",
        "--set",
        "impact=1",
        "--set",
        "legal=2",
        "--set",
        "cost=2",
    )
    assert code == 0 and "rank, version 2 (replaced version 1)" in out
    # rank order centroid with a tie (Barron & Barrett 1996): 11/18, then 7/36 each
    assert "impact 61.1%, legal 19.4%, cost 19.4%" in out
    proposals = council_db.session("m01").weight_proposals(council_db.scoring)
    assert proposals.table.at["m01", "method"] == "rank"
    assert proposals.table.at["m01", "reason"] == "changed my mind"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--set", "impact=20", "--set", "legal=60", "--set", "cost=19"), "add up to 99, not 100"),
        (("--set", "impact=20", "--set", "legal=eighty"), "'legal'"),
        (("--set", "impact=100"), "missing for some criteria"),
        (("--judge", "impact>cost=5"), "given with --set, not with --judge"),
    ],
)
def test_a_bad_answer_is_refused_with_a_clear_message(
    council_db: Council,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    extra: tuple[str, ...],
    message: str,
) -> None:
    code, out = run(
        monkeypatch,
        "m01",
        "weights",
        "propose",
        "--db",
        str(council_db.path),
        "--round",
        str(council_db.scoring),
        "--method",
        "points",
        "--reason",
        "why not",
        *extra,
    )
    err = capsys.readouterr().err
    assert code == 2 and out == ""
    assert err.startswith("error: ") and message in err and "Traceback" not in err
    assert len(council_db.session("m01").weight_proposals(council_db.scoring)) == 0


def test_an_ahp_proposal_prints_its_consistency(
    council_db: Council, monkeypatch: pytest.MonkeyPatch
) -> None:
    judgements = ["impact>legal=3", "impact>cost=5", "legal>cost=3"]
    code, out = run(
        monkeypatch,
        "m02",
        "weights",
        "propose",
        "--db",
        str(council_db.path),
        "--round",
        str(council_db.scoring),
        "--method",
        "ahp",
        "--reason",
        "pairwise",
        *[item for j in judgements for item in ("--judge", j)],
    )
    assert code == 0
    # the matrix [[1, 3, 5], [1/3, 1, 3], [1/5, 1/3, 1]]: weights 0.637, 0.258, 0.105 and
    # CR 0.033 (the same matrix as prioritize.weights.ahp_weights' doctest)
    assert "impact 63.7%, legal 25.8%, cost 10.5%" in out
    assert "CR = 0.033, at most 0.10: consistent enough" in out
    assert "worst judgements" in out


def test_the_facilitator_adopts_the_mean_and_the_log_verifies(
    council_db: Council, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, round_id = str(council_db.path), str(council_db.debate)
    propose_points(monkeypatch, council_db, "m01", council_db.debate, impact=20, legal=60, cost=20)
    propose_points(monkeypatch, council_db, "m02", council_db.debate, impact=30, legal=10, cost=60)
    code, out = run(monkeypatch, "o01", "weights", "show", "--db", db, "--round", round_id)
    assert code == 0 and "m01's view" in out and "m02's view" in out
    assert "council (mean of 2 proposal(s)): impact 25.0%, legal 35.0%, cost 40.0%" in out
    assert re.search(r"Kendall's W = \d\.\d{3}", out)
    assert "wider" in out
    code, out = run(
        monkeypatch,
        "f01",
        "weights",
        "adopt",
        "--db",
        db,
        "--round",
        round_id,
        "--aggregate",
        "mean",
    )
    assert code == 0, out
    assert "weights adopted: impact 25.0%, legal 35.0%, cost 40.0%" in out
    assert re.search(
        r"log entry \d+: category mean, override no, 2 proposal\(s\); hash [0-9a-f]{64}", out
    )
    assert council_db.session("f01").criteria(council_db.debate).weights.to_dict() == pytest.approx(
        {"impact": 0.25, "legal": 0.35, "cost": 0.4}
    )
    code, out = run(monkeypatch, None, "log", "verify", "--db", db)
    assert code == 0 and out.startswith("ok: ")


def test_a_member_cannot_adopt(
    council_db: Council, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(council_db.path)
    propose_points(monkeypatch, council_db, "m01", council_db.debate, impact=20, legal=60, cost=20)
    weights_before = council_db.session("f01").criteria(council_db.debate).weights.to_dict()
    code, _ = run(
        monkeypatch,
        "m01",
        "weights",
        "adopt",
        "--db",
        db,
        "--round",
        str(council_db.debate),
        "--aggregate",
        "mean",
    )
    assert code == 2 and "facilitator" in capsys.readouterr().err
    assert council_db.session("f01").criteria(council_db.debate).weights.to_dict() == weights_before
    assert (
        council_db.session("f01")
        .decisions(council_db.debate)["outcome"]
        .tolist()
        .count("adopt weights")
        == 0
    )


# Saaty, T. L. (2008) "Decision making with the analytic hierarchy process", Int. J.
# Services Sciences 1(1):83-98, "Relative consumption of drinks": the matrix and the
# published priorities (3 digits) and consistency ratio.
DRINKS_CSV = """\
,Coffee,Wine,Tea,Beer,Soda,Milk,Water
Coffee,1,9,5,2,1,1,1/2
Wine,1/9,1,1/3,1/9,1/9,1/9,1/9
Tea,1/5,3,1,1/3,1/4,1/3,1/9
Beer,1/2,9,3,1,1/2,1,1/3
Soda,1,9,4,2,1,2,1/2
Milk,1,9,3,1,1/2,1,1/3
Water,2,9,9,3,2,3,1
"""
DRINKS_PRIORITIES = {
    "Coffee": "0.177",
    "Wine": "0.019",
    "Tea": "0.042",
    "Beer": "0.116",
    "Soda": "0.190",
    "Milk": "0.129",
    "Water": "0.327",
}


def test_ahp_on_saatys_drinks_matrix_prints_the_published_numbers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PRIORITIZE_DB", raising=False)
    path = tmp_path / "drinks.csv"
    path.write_text(DRINKS_CSV)
    code, out = run(monkeypatch, None, "weights", "ahp", str(path))
    assert code == 0
    for drink, weight in DRINKS_PRIORITIES.items():
        assert re.search(rf"^{drink}\s+{weight}\s", out, re.MULTILINE), drink
    assert "CR = 0.022, at most 0.10: consistent enough" in out
    assert "RI = 1.32" in out and "λmax = 7.1" in out
    assert not (tmp_path / "prioritize.db").exists()
    code, out = run(monkeypatch, None, "weights", "ahp", str(path), "--format", "csv")
    rows = out.splitlines()
    assert rows[0] == "criterion,weight" and rows[1].startswith('"Coffee",0.177')


@pytest.mark.parametrize(
    ("cell", "named"),
    [
        ("=1+1", "row 4, column 'Wine': a judgement must be a number or a fraction (got '=1+1')"),
        ("2", "row 'Wine', column 'Tea': the matrix is not reciprocal"),
        ("__import__('os')", "row 4, column 'Wine'"),
    ],
)
def test_ahp_refuses_a_bad_cell_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cell: str, named: str
) -> None:
    path = tmp_path / "drinks.csv"
    # Tea's row (row 4 of the file), Wine's column: 3 in the published matrix
    path.write_text(DRINKS_CSV.replace("Tea,1/5,3,", f'Tea,1/5,"{cell}",'))
    code = prioritize.cli.main(["weights", "ahp", str(path)], io.StringIO())
    err = capsys.readouterr().err
    assert code == 2 and str(path) in err and named in err


def test_ahp_refuses_a_matrix_whose_rows_and_columns_differ(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "drinks.csv"
    path.write_text(DRINKS_CSV.replace("\nWater,", "\nJuice,"))
    code = prioritize.cli.main(["weights", "ahp", str(path)], io.StringIO())
    assert code == 2 and "must name the same criteria" in capsys.readouterr().err


def test_ahp_judgements_from_a_file_and_a_reason_on_one_line(
    council_db: Council, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("more,less,intensity\nimpact,legal,3\nimpact,cost,5\nlegal,cost,3\n")
    db, round_id = str(council_db.path), str(council_db.scoring)
    code, out = run(
        monkeypatch,
        "m02",
        "weights",
        "propose",
        "--db",
        db,
        "--round",
        round_id,
        "--method",
        "ahp",
        "--reason",
        "two\nlines \x1b[2J",
        "--file",
        str(pairs),
    )
    assert code == 0 and "impact 63.7%, legal 25.8%, cost 10.5%" in out
    code, out = run(monkeypatch, "m02", "weights", "show", "--db", db, "--round", round_id)
    row = next(line for line in out.splitlines() if line.startswith("m02"))
    assert "two lines" in row and "0.033" in row and "\x1b" not in out
