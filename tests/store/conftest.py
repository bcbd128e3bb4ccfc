"""The store's tests run on both engines: every test that takes ``council_db``,
``example_council`` or ``fresh_location`` runs once on a SQLite file and once on a real
PostgreSQL database (a copy of a template database built once per run)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from prioritize.store import Store, connection, import_example
from prioritize.store.portable import ENGINES
from tests.conftest import ExampleCouncil, postgres_server
from tests.databases import PostgresServer
from tests.store.council import Council, build_council


@pytest.fixture(params=ENGINES)
def backend(request: pytest.FixtureRequest) -> str:
    """The engine a store test runs on."""
    return str(request.param)


@pytest.fixture(scope="session")
def pg_council_template(request: pytest.FixtureRequest) -> Council:
    server = postgres_server(request)
    url = server.create(name="council_template")
    council = build_council(url)
    connection.dispose_engines()  # a template database must have no open connections
    return council


@pytest.fixture(scope="session")
def pg_example_template(request: pytest.FixtureRequest) -> ExampleCouncil:
    server = postgres_server(request)
    url = server.create(name="example_template")
    example = ExampleCouncil(url, import_example(Store(url)))
    connection.dispose_engines()
    return example


def _pg_copy(request: pytest.FixtureRequest, template: str) -> Iterator[tuple[PostgresServer, str]]:
    server = postgres_server(request)
    url = server.create(template=template)
    try:
        yield server, url
    finally:
        server.drop(url)


@pytest.fixture
def council_db(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Council]:
    """A fresh copy of the small council for one test, on each engine."""
    if backend == "sqlite":
        yield request.getfixturevalue("council_template").copy(tmp_path)
        return
    template: Council = request.getfixturevalue("pg_council_template")
    for _, url in _pg_copy(request, "council_template"):
        yield Council(url, template.draft, template.scoring, template.debate)


@pytest.fixture
def example_council(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[ExampleCouncil]:
    """A fresh copy of the example council for one test, on each engine."""
    if backend == "sqlite":
        yield request.getfixturevalue("example_template").copy(tmp_path)
        return
    template: ExampleCouncil = request.getfixturevalue("pg_example_template")
    for _, url in _pg_copy(request, "example_template"):
        yield ExampleCouncil(url, template.example)


@pytest.fixture
def fresh_location(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Path | str]:
    """Where a new, empty council database goes, on each engine."""
    if backend == "sqlite":
        yield tmp_path / "council.db"
        return
    server = postgres_server(request)
    url = server.create()
    try:
        yield url
    finally:
        server.drop(url)
