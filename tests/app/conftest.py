"""Fixtures for the page tests: a real SQLite council (the bundled example) per test, a
copy of the template built once per run (tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from prioritize.store import DB_ENV, Store
from prioritize.store.example import ExampleImport
from tests.conftest import ExampleCouncil

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def council(
    example_council: ExampleCouncil, monkeypatch: pytest.MonkeyPatch
) -> tuple[Store, ExampleImport]:
    monkeypatch.setenv(DB_ENV, str(example_council.path))
    return example_council.store(), example_council.example
