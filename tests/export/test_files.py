"""Files are written atomically: a failure or an interruption leaves the old file (or
nothing) and no temporary behind; new files follow the umask."""

from __future__ import annotations

import os
import sqlite3
import warnings
from contextlib import closing
from pathlib import Path

import pandas as pd
import pytest

import prioritize as pz
from prioritize.export import (
    ExportWarning,
    export_portfolio,
    export_ranking,
    portfolio_xlsx,
)
from prioritize.export.files import atomic_write, check_destination, is_database
from tests.export.council import DECISIONS, EVALUATION, IDS, STAMP


class TestAtomicWrite:
    def test_overwrites_an_existing_file(self, tmp_path: Path) -> None:
        target = tmp_path / "portfolio.xlsx"
        target.write_bytes(b"old")
        export_portfolio(EVALUATION, target, generated_at=STAMP)
        assert target.read_bytes() == portfolio_xlsx(EVALUATION, generated_at=STAMP)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["portfolio.xlsx"]

    def test_a_failure_leaves_the_old_file_and_no_temporary(self, tmp_path: Path) -> None:
        target = tmp_path / "portfolio.xlsx"
        target.write_bytes(b"old")
        bad = pd.DataFrame({"requirement_id": [IDS[0]], "outcome": ["perhaps"]})
        with pytest.raises(pz.ValidationError):
            export_portfolio(EVALUATION, target, decisions=bad, generated_at=STAMP)
        assert target.read_bytes() == b"old"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["portfolio.xlsx"]
        with pytest.raises(pz.ValidationError):
            export_ranking(EVALUATION, tmp_path / "ranking.csv", "yaml")  # type: ignore[arg-type]
        assert not (tmp_path / "ranking.csv").exists()

    def test_an_interrupted_write_leaves_nothing(self, tmp_path: Path) -> None:
        target = tmp_path / "out.bin"
        with pytest.raises(RuntimeError), atomic_write(target) as stream:
            stream.write(b"half")
            raise RuntimeError("disk full")
        assert list(tmp_path.iterdir()) == []

    def test_a_warning_turned_error_aborts_the_write(self, tmp_path: Path) -> None:
        target = tmp_path / "portfolio.xlsx"
        with warnings.catch_warnings():
            warnings.simplefilter("error", ExportWarning)
            with pytest.raises(ExportWarning):
                export_portfolio(EVALUATION, target, decisions=DECISIONS)
        assert list(tmp_path.iterdir()) == []

    def test_missing_folder_is_an_os_error(self, tmp_path: Path) -> None:
        with pytest.raises(FileNotFoundError):
            export_portfolio(EVALUATION, tmp_path / "nope" / "p.xlsx")

    def test_new_file_permissions_follow_the_umask(self, tmp_path: Path) -> None:
        old = os.umask(0o027)
        try:
            path = export_ranking(EVALUATION, tmp_path / "r.csv", "csv")
        finally:
            os.umask(old)
        assert path is not None
        assert path.stat().st_mode & 0o777 == 0o640


class TestDestination:
    def test_a_database_is_never_overwritten(self, tmp_path: Path) -> None:
        database = tmp_path / "council.db"
        with closing(sqlite3.connect(database)) as connection:
            connection.execute("create table kept (x)")
            connection.commit()
        before = database.read_bytes()
        for write in (
            lambda: export_portfolio(EVALUATION, database, generated_at=STAMP),
            lambda: export_ranking(EVALUATION, database, "csv"),
        ):
            with pytest.raises(pz.ValidationError, match="refusing to overwrite a SQLite database"):
                write()
        assert database.read_bytes() == before
        assert sorted(p.name for p in tmp_path.iterdir()) == ["council.db"]

    def test_nor_its_write_ahead_log_or_shared_memory(self, tmp_path: Path) -> None:
        database = tmp_path / "council.db"
        with closing(sqlite3.connect(database)) as connection:
            connection.execute("pragma journal_mode=wal")
            connection.execute("create table kept (x)")
            connection.commit()
            for sidecar in ("council.db-wal", "council.db-shm"):
                assert is_database(tmp_path / sidecar)
                with pytest.raises(pz.ValidationError, match=sidecar):
                    export_ranking(EVALUATION, tmp_path / sidecar, "json")

    def test_an_input_is_refused_by_any_name(self, tmp_path: Path) -> None:
        scores = tmp_path / "scores.csv"
        scores.write_text("requirement_id,member,criterion,score\n", encoding="utf-8")
        (tmp_path / "sub").mkdir()
        os.link(scores, tmp_path / "hard.csv")
        (tmp_path / "soft.csv").symlink_to(scores)
        for spelling in (
            scores,
            tmp_path / "sub" / ".." / "scores.csv",
            tmp_path / "hard.csv",
            tmp_path / "soft.csv",
        ):
            with pytest.raises(pz.ValidationError, match="an input of this export"):
                check_destination(spelling, [scores])
        check_destination(tmp_path / "ranking.csv", [scores])  # a new file is fine
        (tmp_path / "ranking.csv").write_text("old export", encoding="utf-8")
        check_destination(tmp_path / "ranking.csv", [scores])  # so is a previous export
