"""Fixtures of the store tests: a council template built once per run, copied per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.store.council import Council, build_council


@pytest.fixture(scope="session")
def council_template(tmp_path_factory: pytest.TempPathFactory) -> Council:
    return build_council(tmp_path_factory.mktemp("template") / "council.db")


@pytest.fixture
def council_db(council_template: Council, tmp_path: Path) -> Council:
    return council_template.copy(tmp_path)
