"""Fixtures for the page tests: a real SQLite council (the bundled example) per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from prioritize.store import DB_ENV, Store, import_example
from prioritize.store.example import ExampleImport

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def council(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Store, ExampleImport]:
    path = tmp_path / "council.db"
    store = Store(path)
    example = import_example(store)
    monkeypatch.setenv(DB_ENV, str(path))
    return store, example
