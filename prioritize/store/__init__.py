"""The council workspace's store: one SQLite file holding criteria-set snapshots, members
and roles, rounds, requirements, scores with reasons, comments and the hash-chained
decision log, with permissions enforced inside the store API.

>>> import tempfile, pathlib
>>> from prioritize.store import Store, import_example
>>> example = import_example(Store(pathlib.Path(tempfile.mkdtemp()) / "council.db"))
>>> example.round.state
'debate'

Modules: :mod:`~prioritize.store.db` (connections and transactions),
:mod:`~prioritize.store.schema` (versioned migrations), :mod:`~prioritize.store.database`
(:class:`Store`), :mod:`~prioritize.store.session` (:class:`Session`: what a member may
do), :mod:`~prioritize.store.records` (result types, permission checks),
:mod:`~prioritize.store.rounds`, :mod:`~prioritize.store.scores`,
:mod:`~prioritize.store.log`, :mod:`~prioritize.store.snapshots` and
:mod:`~prioritize.store.example`.
"""

from __future__ import annotations

from prioritize.council.rounds import STATES
from prioritize.store.connection import DB_ENV, default_location, default_path
from prioritize.store.example import DEMO_SUFFIX, ExampleImport, import_example
from prioritize.store.log import verify_log
from prioritize.store.records import ConflictError, RoundInfo, ScoreCell, ScoreRecord
from prioritize.store.schema import MIGRATIONS, SCHEMA_VERSION
from prioritize.store.session import Session
from prioritize.store.store import Store

__all__ = [
    "DB_ENV",
    "DEMO_SUFFIX",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "STATES",
    "ConflictError",
    "ExampleImport",
    "RoundInfo",
    "ScoreCell",
    "ScoreRecord",
    "Session",
    "Store",
    "default_location",
    "default_path",
    "import_example",
    "verify_log",
]
