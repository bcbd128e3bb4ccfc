"""Shared, seeded factories for tests: small councils with known scores, and council
databases built once per test run and copied per test (:func:`copy_database`)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pytest

import prioritize as pz
from prioritize.store import Store, connection, import_example
from prioritize.store.example import ExampleImport
from tests.databases import PostgresServer, start_server, unavailable

if TYPE_CHECKING:
    from tests.store.council import Council

DEPARTMENTS = ("Legal", "Finance", "IT", "Operations", "Sales", "Customer Service")


def tiny_criteria_mapping(**overrides: Any) -> dict[str, Any]:
    """A three-criterion set whose arithmetic is easy to follow by hand."""
    data: dict[str, Any] = {
        "version": 1,
        "name": "Tiny",
        "criteria": [
            {
                "id": "impact",
                "name": "Impact",
                "group": "customer impact",
                "direction": "benefit",
                "weight": 0.5,
                "scale": {"min": 1, "max": 5, "levels": {1: "none", 5: "huge"}},
            },
            {
                "id": "legal",
                "name": "Legal",
                "group": "risk",
                "direction": "benefit",
                "weight": 0.2,
                "owners": ["Legal"],
                "gate": {"at_least": 5},
                "scale": {"min": 1, "max": 5},
            },
            {
                "id": "cost",
                "name": "Cost",
                "group": "cost",
                "direction": "cost",
                "weight": 0.3,
                "owners": ["Finance"],
                "scale": {"min": 0, "max": 10},
            },
        ],
    }
    data.update(overrides)
    return data


def make_council(
    n_requirements: int = 12,
    n_members: int = 6,
    *,
    seed: int = 0,
    criteria: pz.CriteriaSet | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Requirements, scores (long form) and members of a random council, seeded."""
    criteria = criteria or pz.load_criteria("customer-operations")
    rng = np.random.default_rng(seed)
    rids = [f"R{i:04d}" for i in range(n_requirements)]
    mids = [f"m{i:02d}" for i in range(n_members)]
    members = pd.DataFrame(
        {
            "id": mids,
            "name": [f"Member {i}" for i in range(n_members)],
            "department": [DEPARTMENTS[i % len(DEPARTMENTS)] for i in range(n_members)],
            "role": ["facilitator"] + ["member"] * (n_members - 1),
        }
    )
    requirements = pd.DataFrame({"id": rids, "title": [f"Requirement {i}" for i in rids]})
    lows = np.array([c.scale.min for c in criteria])
    highs = np.array([c.scale.max for c in criteria])
    centre = rng.uniform(lows, highs, size=(n_requirements, len(criteria)))
    noise = rng.normal(0, 0.8, size=(n_requirements, len(criteria), n_members))
    values = np.clip(np.rint(centre[:, :, None] + noise), lows[None, :, None], highs[None, :, None])
    r, c, m = np.meshgrid(
        np.arange(n_requirements), np.arange(len(criteria)), np.arange(n_members), indexing="ij"
    )
    scores = pd.DataFrame(
        {
            "requirement_id": np.array(rids, dtype=object)[r.ravel()],
            "member": np.array(mids, dtype=object)[m.ravel()],
            "criterion": np.array(criteria.ids, dtype=object)[c.ravel()],
            "score": values.ravel(),
        }
    )
    return requirements, scores, members


@pytest.fixture
def council() -> Callable[..., tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]]:
    return make_council


@pytest.fixture
def example_dir() -> Path:
    return pz.example_dir()


@pytest.fixture
def tiny() -> pz.CriteriaSet:
    return pz.load_criteria(tiny_criteria_mapping())


# --- council databases: built once per run, copied per test ---------------------------------


def copy_database(source: Path, target: Path) -> Path:
    """Copy a council database with SQLite's backup API.

    The store runs in WAL mode, so the main file alone may lack the latest commits; the
    backup API copies what a reader sees (main file and WAL together), whatever state the
    template's journal is in.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
    return target


@dataclass(frozen=True)
class ExampleCouncil:
    """The bundled example council in a database file: 13 members with the demo passcodes
    (``<id>-demo``), one revealed round, and what :func:`import_example` reported."""

    path: Path | str  # a SQLite file, or a PostgreSQL database's URL
    example: ExampleImport

    def store(self) -> Store:
        return Store(self.path)

    def copy(self, folder: Path) -> ExampleCouncil:
        """The same council in ``folder``, a file of its own (the import report holds only
        frozen data, no store, so it is shared as it is)."""
        assert isinstance(self.path, Path), "a PostgreSQL council is copied by its template"
        return ExampleCouncil(copy_database(self.path, folder / self.path.name), self.example)


@pytest.fixture(scope="session")
def example_template(tmp_path_factory: pytest.TempPathFactory) -> ExampleCouncil:
    """Built once per run: registering 13 members hashes 13 passcodes with scrypt, which is
    slow on purpose. Never written to; tests get a copy (:func:`example_council`)."""
    path = tmp_path_factory.mktemp("example-template") / "council.db"
    return ExampleCouncil(path, import_example(Store(path)))


@pytest.fixture
def example_council(example_template: ExampleCouncil, tmp_path: Path) -> ExampleCouncil:
    """A fresh copy of the example council for one test."""
    return example_template.copy(tmp_path)


@pytest.fixture(scope="session")
def council_template(tmp_path_factory: pytest.TempPathFactory) -> Council:
    """The small council of tests/store/council.py (a draft, a blind and a revealed round),
    built once per run. Never written to; tests get a copy (:func:`council_db`)."""
    from tests.store.council import build_council  # it imports this module's helpers

    return build_council(tmp_path_factory.mktemp("council-template") / "council.db")


@pytest.fixture
def council_db(council_template: Council, tmp_path: Path) -> Council:
    """A fresh copy of the small council for one test."""
    return council_template.copy(tmp_path)


# --- PostgreSQL: one real server per run (tests/databases.py) ---------------------------------


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer | str]:
    """The PostgreSQL server of this run, or why there is none (see tests/databases.py)."""
    found = start_server()
    yield found
    if isinstance(found, PostgresServer):
        connection.dispose_engines()
        found.stop()


def postgres_server(request: pytest.FixtureRequest) -> PostgresServer:
    """The run's server, or the case skipped (failed where PostgreSQL is required)."""
    found = request.getfixturevalue("postgres")
    if isinstance(found, str):
        unavailable(found)
    assert isinstance(found, PostgresServer)
    return found
