"""What every council command shares: ``--db``, who is acting (``--as``) and where
passcodes come from.

Enough to run a round without the page: create the database (or import the example),
create a round, add members, import each member's scores, reveal, decide, close, and
verify the decision log. Every command takes ``--db`` (default: ``$PRIORITIZE_DB``, else
``./prioritize.db``). Commands acting as a member take ``--as`` (default:
``$PRIORITIZE_MEMBER``); the passcode is read from ``$PRIORITIZE_PASSCODE`` or asked for
in the terminal, never taken as an argument (arguments show in the process list and in
shell history). Errors are raised as our own exceptions; ``prioritize.cli`` prints them.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from typing import Any, TextIO, cast

import pandas as pd

from prioritize.cli.terminal import printable
from prioritize.errors import Problem, ValidationError
from prioritize.store import DB_ENV, Session, Store

__all__ = [
    "MEMBER_ENV",
    "NEW_PASSCODE_ENV",
    "PASSCODE_ENV",
    "acting_session",
    "add_common",
    "command",
    "open_store",
    "secret",
]

MEMBER_ENV = "PRIORITIZE_MEMBER"
PASSCODE_ENV = "PRIORITIZE_PASSCODE"
#: The passcode of a member being registered (``db init``, ``round add-member``).
NEW_PASSCODE_ENV = "PRIORITIZE_NEW_PASSCODE"

Handler = Callable[[argparse.Namespace, TextIO], int]


def secret(env: str, prompt: str) -> str:
    value = os.environ.get(env)
    if value:
        return value
    if sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass(prompt)
    raise ValidationError(
        Problem(
            f"no passcode given: set {env}, or run in a terminal to be asked",
            column="passcode",
            expected=f"the passcode in ${env}",
        )
    )


def open_store(args: argparse.Namespace) -> Store:
    return Store(args.db)


def acting_session(args: argparse.Namespace) -> Session:
    member = args.member or os.environ.get(MEMBER_ENV)
    if not member:
        raise ValidationError(
            Problem(
                "who is acting? give --as MEMBER",
                column="--as",
                expected=f"a member id (or set {MEMBER_ENV})",
            )
        )
    return open_store(args).session(member, secret(PASSCODE_ENV, f"passcode for {member}: "))


def add_common(parser: argparse.ArgumentParser, *, acting: bool = True) -> None:
    parser.add_argument(
        "--db",
        default=None,
        metavar="DB",
        help="the council database: a SQLite file or postgresql://user@host/dbname "
        f"(default: ${DB_ENV}, else ./prioritize.db)",
    )
    if acting:
        parser.add_argument(
            "--as",
            dest="member",
            default=None,
            metavar="MEMBER",
            help=f"the member acting (default: ${MEMBER_ENV}); the passcode "
            f"comes from ${PASSCODE_ENV} or a prompt",
        )


class PrintableOutput:
    """A text stream that writes everything through
    :func:`~prioritize.cli.terminal.printable`: council commands print titles, names,
    reasons and rationales, none of which may drive the terminal. (Their JSON output
    escapes control characters itself, so it passes unchanged.)"""

    def __init__(self, out: TextIO) -> None:
        self._out = out

    def write(self, text: str) -> int:
        return self._out.write(printable(text))

    def flush(self) -> None:
        self._out.flush()


def one_line_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """A table whose text cells are on one line each (a title with a line break would
    otherwise break the printed table's columns); the frame itself is not changed."""
    shown = frame.copy()
    for column in shown.columns:
        if shown[column].dtype == object or pd.api.types.is_string_dtype(shown[column]):
            shown[column] = shown[column].map(
                lambda v: printable(v, one_line=True) if isinstance(v, str) else v
            )
    return shown


def command(
    sub: Any, name: str, handler: Handler, help_text: str, *, acting: bool = True
) -> argparse.ArgumentParser:
    """A council subcommand: ``--db`` (and ``--as`` when ``acting``), its output printable."""
    parser: argparse.ArgumentParser = sub.add_parser(name, help=help_text, description=help_text)
    add_common(parser, acting=acting)

    def run(args: argparse.Namespace, out: TextIO) -> int:
        return handler(args, cast(TextIO, PrintableOutput(out)))

    parser.set_defaults(func=run)
    return parser
