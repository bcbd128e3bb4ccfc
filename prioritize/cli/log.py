"""``prioritize log``: show the hash-chained decision log, or verify it."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from prioritize.cli.acting import acting_session, command, one_line_cells, open_store

__all__ = ["register"]


def register(subparsers: Any) -> None:
    """Add the ``log`` commands to the ``prioritize`` parser."""
    log_parser = subparsers.add_parser(
        "log", help="the decision log", description="Show or verify the hash-chained decision log."
    )
    ls = log_parser.add_subparsers(dest="log_command", metavar="ACTION")
    ls.required = True
    verify = command(
        ls,
        "verify",
        _log_verify,
        "check every entry and the chain (exit 1 when tampered)",
        acting=False,
    )
    verify.add_argument(
        "--head",
        help="the head hash noted earlier, outside the file (prioritize log head): the log "
        "must end there; the defence against someone who can rewrite the whole file",
    )
    command(
        ls,
        "head",
        _log_head,
        "print the log's head hash: keep it outside the database (a minute, an e-mail) and "
        "check against it later with 'log verify --head'",
        acting=False,
    )
    show = command(ls, "show", _log_show, "print the decision log")
    show.add_argument("--round", type=int)


# --- log -----------------------------------------------------------------------------------


def _log_verify(args: argparse.Namespace, out: TextIO) -> int:
    check = open_store(args).verify_log(expected_head=args.head)
    if check.ok:
        out.write(
            f"ok: {check.entries} entries, the chain intact, every decision's basis, every "
            f"score, weight and criteria snapshot as recorded\nhead {check.head}\n"
        )
        return 0
    out.write("the record does not verify:\n")
    for problem in check.problems or (check.reason,):
        out.write(f"  - {problem}\n")
    return 1


def _log_head(args: argparse.Namespace, out: TextIO) -> int:
    check = open_store(args).verify_log()
    out.write(f"{check.head}\n")
    if not check.ok:
        out.write("warning: the record does not verify; run 'prioritize log verify'\n")
        return 1
    return 0


def _log_show(args: argparse.Namespace, out: TextIO) -> int:
    frame = acting_session(args).decisions(args.round)
    if frame.empty:
        out.write("the decision log is empty\n")
        return 0
    columns = [
        "seq",
        "round_id",
        "requirement_id",
        "outcome",
        "category",
        "rank",
        "override",
        "decided_by",
        "decided_at",
        "rationale",
    ]
    out.write(one_line_cells(frame[columns]).to_string(index=False) + "\n")
    return 0
