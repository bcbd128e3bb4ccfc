"""The council commands of the ``prioritize`` command line, one module per group:
:mod:`~prioritize.cli.db`, :mod:`~prioritize.cli.rounds`, :mod:`~prioritize.cli.log` and
:mod:`~prioritize.cli.member`;
what they share (``--db``, ``--as``, passcodes) is in :mod:`~prioritize.cli.acting`."""

from __future__ import annotations

from typing import Any

from prioritize.cli import db, log, member, rounds, scorecard

__all__ = ["register"]


def register(subparsers: Any) -> None:
    """Add the ``db``, ``round``, ``log`` and ``member`` commands to the parser."""
    db.register(subparsers)
    rounds.register(subparsers)
    log.register(subparsers)
    member.register(subparsers)
    scorecard.register(subparsers)
