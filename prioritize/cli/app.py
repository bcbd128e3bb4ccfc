"""``prioritize app``: start the council page on a local SQLite database.

Settings reach the page as flags of ``streamlit run`` and the ``PRIORITIZE_DB`` environment
variable; the launcher writes no file (the page creates the database, with the bundled
example council in it, when it does not exist yet).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path
from typing import TextIO

from prioritize.app import DEMO_ENV, ENTRY, IDLE_ENV
from prioritize.cli.terminal import printable
from prioritize.store import DB_ENV
from prioritize.store.connection import default_location, locate


def streamlit_command(
    port: int,
    *,
    address: str = "localhost",
    headless: bool = True,
    secrets: Path | None = None,
) -> list[str]:
    """The ``streamlit run`` command line for the page (``secrets``: the one secrets file
    to read instead of Streamlit's usual places)."""
    chosen = ["--secrets.files", str(secrets)] if secrets is not None else []
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ENTRY),
        "--server.port",
        str(port),
        "--server.address",
        address,
        "--server.headless",
        "true" if headless else "false",
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "minimal",
        "--global.developmentMode",
        "false",
        *chosen,
    ]


def _positive_minutes(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of minutes") from None
    if not 1 <= value <= 60 * 24 * 90:
        raise argparse.ArgumentTypeError(
            f"{value} minutes is outside 1 to {60 * 24 * 90} (90 days)"
        )
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``prioritize app``."""
    parser.add_argument(
        "--db",
        default=None,
        metavar="DB",
        help=f"council database (default: ${DB_ENV}, else ./prioritize.db, the demo council): "
        "a SQLite file or postgresql://user@host/dbname (docs/deploy.md). "
        "A --db that does not exist yet (or an empty PostgreSQL database) becomes an empty "
        "council: the first visitor sets up its first facilitator",
    )
    parser.add_argument(
        "--example",
        action="store_true",
        help="create the demo council (the bundled example, public passcodes) when the "
        "database does not exist yet (implied without --db)",
    )
    parser.add_argument("--port", type=int, default=8501, help="port (default: %(default)s)")
    parser.add_argument(
        "--address", default="localhost", help="address to listen on (default: %(default)s)"
    )
    parser.add_argument(
        "--idle-minutes",
        type=_positive_minutes,
        default=None,
        help="minutes a signed-in browser may stay unused before its member signs in "
        f"again (default: ${IDLE_ENV}, else 480, a working day)",
    )
    parser.add_argument(
        "--secrets",
        type=Path,
        default=None,
        metavar="FILE",
        help="the secrets file with company sign-in ([auth] and [prioritize.sign_in], see "
        "docs/sign-in.md); default: Streamlit's usual places, .streamlit/secrets.toml in "
        "the current folder and in your home folder",
    )
    parser.add_argument(
        "--browser",
        action="store_true",
        help="open a browser window (default: just print the address)",
    )


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Start the page; it runs until stopped (Ctrl+C, or a signal to this process).

    On POSIX the launcher *becomes* the Streamlit server (``exec``), so a process manager
    or a test that stops this process stops the server too, with no orphan left behind.
    """
    chosen = args.db is not None or bool(os.environ.get(DB_ENV))
    given = args.db if args.db is not None else default_location()
    place = locate(given)
    # the demo council only where the user asked for it: no database named, or --example
    demo = args.example or not chosen
    # a file by its absolute path (the server may change folder); a URL as it was given
    value = str(place.path.resolve()) if place.path is not None else str(given)
    env = {**os.environ, DB_ENV: value, DEMO_ENV: "1" if demo else "0"}
    if args.idle_minutes is not None:
        env[IDLE_ENV] = str(args.idle_minutes)
    secrets = Path(args.secrets).resolve() if args.secrets is not None else None
    if secrets is not None and not secrets.is_file():
        out.write(f"no secrets file at {printable(str(secrets), one_line=True)}\n")
        return 2
    new = place.path is not None and not place.path.exists()
    kind = " - the demo council" if demo and new else ""
    where = printable(place.label, one_line=True)
    out.write(f"council page on http://{args.address}:{args.port}  (database: {where}{kind})\n")
    out.flush()
    command = streamlit_command(
        args.port, address=args.address, headless=not args.browser, secrets=secrets
    )
    if os.name == "posix":
        os.execve(command[0], command, env)  # does not return
    try:  # elsewhere exec would spawn and return: wait for the child instead
        return subprocess.call(command, env=env)
    except KeyboardInterrupt:
        return 0
