"""``prioritize db``: create, inspect the council database (or import the example into it)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from prioritize.cli.acting import NEW_PASSCODE_ENV, command, open_store, secret
from prioritize.errors import Problem, ValidationError
from prioritize.store import import_example
from prioritize.store.example import DEMO_SUFFIX
from prioritize.store.transfer import copy_council

__all__ = ["register"]


def register(subparsers: Any) -> None:
    """Add the ``db`` commands to the ``prioritize`` parser."""
    db_parser = subparsers.add_parser(
        "db",
        help="create the council database",
        description="Create or inspect the council database.",
    )
    db_sub = db_parser.add_subparsers(dest="db_command", metavar="ACTION")
    db_sub.required = True
    init = command(
        db_sub,
        "init",
        _db_init,
        "create (or migrate) the database; with "
        "--facilitator, register the council's first facilitator "
        f"(passcode from ${NEW_PASSCODE_ENV} or a prompt)",
        acting=False,
    )
    init.add_argument("--facilitator", metavar="ID", help="the first facilitator's member id")
    init.add_argument("--name", help="the facilitator's name")
    init.add_argument("--department", help="the facilitator's department")
    command(
        db_sub,
        "import-example",
        _db_import_example,
        "create the example council and its "
        f"revealed round in a new database (passcodes: <member id>{DEMO_SUFFIX})",
        acting=False,
    )
    command(db_sub, "status", _db_status, "schema version, council and rounds", acting=False)
    backup = command(
        db_sub,
        "backup",
        _db_backup,
        "a consistent copy of the database in a new file, safe while the app runs (SQLite's "
        "online backup), then checked; restore: stop the app, 'db check' the copy, start "
        "the app on it with --db (docs/operations.md)",
        acting=False,
    )
    backup.add_argument("target", type=Path, metavar="OUT", help="the new backup file")
    migrate = command(
        db_sub,
        "migrate",
        _db_migrate,
        "copy a whole council, with its history and decision log, into a new SQLite file "
        "or an empty PostgreSQL database (e.g. --from council.db --to "
        "postgresql://app@db-host/council); the copy's log must verify with the source's "
        "head, or nothing is kept",
        acting=False,
    )
    migrate.add_argument(
        "--from",
        dest="source",
        required=True,
        metavar="DB",
        help="the council to copy: a SQLite file or a PostgreSQL URL",
    )
    migrate.add_argument(
        "--to",
        dest="target",
        required=True,
        metavar="DB",
        help="a new SQLite file or an empty PostgreSQL database",
    )
    command(
        db_sub,
        "check",
        _db_check,
        "the engine's checks (SQLite: integrity and foreign keys) and the decision "
        "record's verification "
        "(exit 1 when anything is wrong)",
        acting=False,
    )


# --- db ------------------------------------------------------------------------------------


def _db_init(args: argparse.Namespace, out: TextIO) -> int:
    store = open_store(args)
    version = store.init()
    out.write(f"database {store.label} ready (schema version {version})\n")
    if args.facilitator:
        if not args.name or not args.department:
            raise ValidationError(
                Problem(
                    "--facilitator needs --name and --department",
                    column="--name",
                    expected="both given",
                )
            )
        passcode = secret(NEW_PASSCODE_ENV, f"new passcode for {args.facilitator}: ")
        member = store.create_facilitator(args.facilitator, args.name, args.department, passcode)
        out.write(f"facilitator {member.id} ({member.name}, {member.department}) registered\n")
    return 0


def _db_import_example(args: argparse.Namespace, out: TextIO) -> int:
    result = import_example(open_store(args))
    out.write(
        f"example imported into {open_store(args).label}: round {result.round.id} "
        f"'{result.round.name}', {result.round.requirements} requirements, "
        f"{len(result.members)} members, {result.scores} scores, state "
        f"{result.round.state}\n{result.passcode_hint}\n"
    )
    return 0


def _db_migrate(args: argparse.Namespace, out: TextIO) -> int:
    out.write(f"{copy_council(args.source, args.target)}\n")
    return 0


def _db_status(args: argparse.Namespace, out: TextIO) -> int:
    store = open_store(args)
    council = store.council()
    out.write(f"database {store.label}, schema version {store.schema_version}\n")
    out.write(
        f"council: {len(council)} members ("
        + ", ".join(f"{n} {r}" for r, n in council["role"].value_counts().items())
        + ")\n"
    )
    out.write(f"decision log: {len(store.log_entries())} entries\n")
    return 0


def _db_backup(args: argparse.Namespace, out: TextIO) -> int:
    result = open_store(args).backup(args.target)
    out.write(f"backup written to {args.target}\n{result}\n")
    return 0 if result.ok else 1


def _db_check(args: argparse.Namespace, out: TextIO) -> int:
    result = open_store(args).check()
    out.write(f"{result}\n")
    return 0 if result.ok else 1
