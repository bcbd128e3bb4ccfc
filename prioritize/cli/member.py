"""``prioritize member``: what a member does for themselves (choose their own passcode)."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from prioritize.cli.acting import (
    NEW_PASSCODE_ENV,
    PASSCODE_ENV,
    acting_session,
    command,
    secret,
)

__all__ = ["register"]


def register(subparsers: Any) -> None:
    """Add the ``member`` commands to the ``prioritize`` parser."""
    parser = subparsers.add_parser(
        "member",
        help="your own membership: change your passcode",
        description="What a member does for themselves.",
    )
    sub = parser.add_subparsers(dest="member_command", metavar="ACTION")
    sub.required = True
    command(
        sub,
        "passcode",
        _passcode,
        f"change your passcode (the current one from ${PASSCODE_ENV} or a prompt, the new "
        f"one from ${NEW_PASSCODE_ENV} or a prompt); a one-time passcode a facilitator "
        "gave you must be changed before anything else",
    )


def _passcode(args: argparse.Namespace, out: TextIO) -> int:
    session = acting_session(args)
    new = secret(NEW_PASSCODE_ENV, f"new passcode for {session.member_id}: ")
    session.change_passcode(secret(PASSCODE_ENV, "current passcode: "), new)
    out.write(f"passcode of {session.member_id} changed\n")
    return 0
