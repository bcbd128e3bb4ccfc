"""``prioritize log``: show the hash-chained decision log, or verify it."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from prioritize.cli.acting import acting_session, command, open_store

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
    verify.add_argument("--head", help="the head hash noted earlier: the log must end there")
    show = command(ls, "show", _log_show, "print the decision log")
    show.add_argument("--round", type=int)


# --- log -----------------------------------------------------------------------------------


def _log_verify(args: argparse.Namespace, out: TextIO) -> int:
    check = open_store(args).verify_log(expected_head=args.head)
    out.write(f"{check}\n")
    return 0 if check.ok else 1


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
    out.write(frame[columns].to_string(index=False) + "\n")
    return 0
