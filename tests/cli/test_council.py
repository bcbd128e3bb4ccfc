"""The council commands: running a whole round from the command line."""

from __future__ import annotations

import argparse
import io
import json
import sqlite3
from pathlib import Path

import pytest
import yaml

import prioritize as pz
import prioritize.cli
from prioritize.cli.council import register
from prioritize.errors import PermissionDenied, ValidationError
from prioritize.store import SCHEMA_VERSION, Store
from tests.conftest import tiny_criteria_mapping
from tests.store.council import (
    REQUIREMENTS,
    SCORERS,
    one_time_passcode,
    passcode,
    scores_frame,
)


def run(*argv: str) -> tuple[int, str]:
    """Parse and run one council command the way ``prioritize.cli`` does."""
    parser = argparse.ArgumentParser(prog="prioritize")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(list(argv))
    out = io.StringIO()
    code = args.func(args, out)
    return code, out.getvalue()


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    paths = {
        "db": tmp_path / "council.db",
        "criteria": tmp_path / "tiny.yaml",
        "requirements": tmp_path / "requirements.csv",
    }
    paths["criteria"].write_text(yaml.safe_dump(tiny_criteria_mapping(), sort_keys=False))
    REQUIREMENTS.to_csv(paths["requirements"], index=False)
    for mid in SCORERS:
        paths[mid] = tmp_path / f"scores-{mid}.csv"
        scores_frame(mid).to_csv(paths[mid], index=False)
    return paths


def _as(monkeypatch: pytest.MonkeyPatch, member: str) -> None:
    monkeypatch.setenv("PRIORITIZE_MEMBER", member)
    monkeypatch.setenv("PRIORITIZE_PASSCODE", passcode(member))


def test_a_whole_round_from_the_command_line(
    files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = str(files["db"])
    monkeypatch.setenv("PRIORITIZE_NEW_PASSCODE", passcode("f01"))
    code, out = run(
        "db",
        "init",
        "--db",
        db,
        "--facilitator",
        "f01",
        "--name",
        "Fay",
        "--department",
        "Operations",
    )
    assert code == 0 and "facilitator f01" in out
    _as(monkeypatch, "f01")
    code, out = run(
        "round",
        "create",
        "Q3 round",
        "--db",
        db,
        "--criteria",
        str(files["criteria"]),
        "--requirements",
        str(files["requirements"]),
    )
    assert "round 1 'Q3 round' created in draft: 4 requirements, 1 members" in out
    for mid, department in (("m01", "Legal"), ("m02", "Finance")):
        monkeypatch.setenv("PRIORITIZE_NEW_PASSCODE", one_time_passcode(mid))
        code, out = run(
            "round",
            "add-member",
            "1",
            mid,
            "--db",
            db,
            "--name",
            mid.upper(),
            "--department",
            department,
        )
        assert f"registered {mid}" in out and f"{mid} is in round 1" in out
    for mid in ("m01", "m02"):
        # a one-time passcode opens nothing but the change of passcode
        monkeypatch.setenv("PRIORITIZE_MEMBER", mid)
        monkeypatch.setenv("PRIORITIZE_PASSCODE", one_time_passcode(mid))
        with pytest.raises(PermissionDenied, match="one-time passcode"):
            run("round", "list", "--db", db)
        monkeypatch.setenv("PRIORITIZE_NEW_PASSCODE", passcode(mid))
        assert run("member", "passcode", "--db", db) == (0, f"passcode of {mid} changed\n")
    _as(monkeypatch, "f01")
    code, out = run("round", "weights", "1", "impact=0.6", "--db", db)
    assert "0.6" in out
    assert run("round", "start", "1", "--db", db)[1] == "round 1 is now scoring\n"
    for mid in SCORERS:
        _as(monkeypatch, mid)
        code, out = run("round", "import-scores", "1", str(files[mid]), "--db", db)
        assert code == 0 and f"12 scores of {mid} imported" in out
    code, out = run("round", "status", "1", "--db", db)
    assert "3 of 3 members complete" in out
    _as(monkeypatch, "f01")
    run("round", "reveal", "1", "--db", db)
    code, out = run("round", "results", "1", "--db", db, "--format", "json")
    results = json.loads(out)
    assert next(r["id"] for r in results["ranking"]) == "R1"
    assert 0 <= results["kendall_w"] <= 1
    code, out = run("round", "decide", "1", "R1", "approve", "--db", db)
    assert "decision 1: R1 approve; model: Immediate control, rank 1" in out
    with pytest.raises(ValidationError, match="rationale is mandatory"):
        run("round", "decide", "1", "R3", "approve", "--db", db)
    code, out = run(
        "round",
        "decide",
        "1",
        "R3",
        "approve",
        "--db",
        db,
        "--rationale",
        "the board wants it",
        "--dissent",
        "m02",
    )
    assert "(override)" in out
    assert run("round", "close", "1", "--db", db)[1] == "round 1 is now decided\n"
    code, out = run("log", "show", "--db", db)
    assert "the board wants it" in out
    code, out = run("log", "verify", "--db", db)
    assert code == 0 and out.startswith("ok: 2 entries")
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TRIGGER decisions_no_update")
        conn.execute("UPDATE decisions SET outcome = 'reject' WHERE seq = 1")
    code, out = run("log", "verify", "--db", db)
    assert code == 1 and "entry 1" in out and "edited" in out


def test_members_act_only_as_themselves(
    files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = str(files["db"])
    monkeypatch.setenv("PRIORITIZE_NEW_PASSCODE", passcode("f01"))
    run(
        "db",
        "init",
        "--db",
        db,
        "--facilitator",
        "f01",
        "--name",
        "Fay",
        "--department",
        "Operations",
    )
    monkeypatch.delenv("PRIORITIZE_MEMBER", raising=False)
    monkeypatch.setenv("PRIORITIZE_PASSCODE", passcode("f01"))
    with pytest.raises(ValidationError, match="--as"):
        run("round", "list", "--db", db)
    monkeypatch.setenv("PRIORITIZE_PASSCODE", "wrong-passcode")
    with pytest.raises(PermissionDenied, match="wrong passcode"):
        run("round", "list", "--db", db, "--as", "f01")
    monkeypatch.delenv("PRIORITIZE_PASSCODE")
    with pytest.raises(ValidationError, match="PRIORITIZE_PASSCODE"):
        run("round", "list", "--db", db, "--as", "f01")


def test_db_defaults_to_the_environment(
    files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PRIORITIZE_DB", str(files["db"]))
    code, out = run("db", "init")
    assert code == 0 and str(files["db"]) in out and files["db"].is_file()
    code, out = run("db", "status")
    assert f"schema version {SCHEMA_VERSION}" in out and "0 members" in out


def test_import_example_command(tmp_path: Path) -> None:
    db = str(tmp_path / "example.db")
    code, out = run("db", "import-example", "--db", db)
    members = pz.load_members(pz.example_dir() / "members.csv")
    facilitator = next(m.id for m in members if m.role == "facilitator")
    assert code == 0 and "state debate" in out and f"{facilitator}-demo" in out
    council = Store(db).council()
    assert list(council.index) == list(members.ids)
    assert (council["role"] == members.table["role"]).all()


def test_through_prioritize_main(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """The council commands are wired into ``prioritize`` itself (argparse would exit with
    'invalid choice' if they were not): a missing database is an error message and exit
    code 2, not a traceback."""
    code = prioritize.cli.main(["log", "verify", "--db", str(files["db"])])
    assert code == 2
    assert "no such database file" in capsys.readouterr().err


def test_council_commands_never_print_terminal_escapes(
    files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = str(files["db"])
    monkeypatch.setenv("PRIORITIZE_NEW_PASSCODE", passcode("f01"))
    run("db", "init", "--db", db, "--facilitator", "f01", "--name", "Fay", "--department", "Ops")
    _as(monkeypatch, "f01")
    hostile = files["requirements"].parent / "hostile.csv"
    frame = REQUIREMENTS.copy()
    frame.loc[0, "title"] = "\x1b]52;c;ZXZpbA==\x07clipboard \x1b[2J\u202eevil"
    frame.to_csv(hostile, index=False)
    code, out = run(
        "round", "create", "\x1b[31mred round", "--db", db, "--requirements", str(hostile)
    )
    assert code == 0 and "red round" in out and "\x1b" not in out
    _code, out = run("round", "list", "--db", db)
    assert "red round" in out and "\x1b" not in out and "\u202e" not in out
