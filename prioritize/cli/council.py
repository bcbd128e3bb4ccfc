"""The council commands of the ``prioritize`` command line, one module per group:
:mod:`~prioritize.cli.db`, :mod:`~prioritize.cli.rounds` and :mod:`~prioritize.cli.log`;
what they share (``--db``, ``--as``, passcodes) is in :mod:`~prioritize.cli.acting`."""

from __future__ import annotations

from typing import Any

from prioritize.cli import db, log, rounds

__all__ = ["register"]


def register(subparsers: Any) -> None:
    """Add the ``db``, ``round`` and ``log`` commands to the ``prioritize`` parser."""
    db.register(subparsers)
    rounds.register(subparsers)
    log.register(subparsers)
