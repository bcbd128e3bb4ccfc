"""``prioritize scorecard``: the council's shared scorecard, its readings, what the approved
requirements delivered, and what should go back to the council.

``show`` prints the measures with their latest reading and the benefit realisation;
``import`` adds readings from a CSV/XLSX file (facilitator); ``triggers`` prints what the
readings and events flag; ``go-live`` and ``event`` record when an approved requirement
went live and a legal, regulatory, market or operational event (facilitator). An approval's
expected effects are stated with ``prioritize round decide ... approve --expect``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
from pathlib import Path
from typing import Any, TextIO

from prioritize.cli.acting import acting_session, command
from prioritize.errors import Problem, ValidationError
from prioritize.model.scorecard import EVENT_KINDS, ExpectedEffect

__all__ = ["parse_expectations", "register"]

_EXPECT = re.compile(r"^\s*([A-Za-z0-9_.-]+)\s*=\s*([+-]?[0-9]+(?:\.[0-9]+)?)\s*(?:@\s*(\S+))?\s*$")


def parse_expectations(texts: list[str], rationale: str) -> tuple[ExpectedEffect, ...]:
    """``--expect first_time_right=+8@2026-09-30`` (the date optional), each with the
    shared ``--expect-rationale``.

    >>> parse_expectations(["first_time_right=+8@2026-09-30"], "fewer re-keys")[0].change
    8.0
    """
    effects = []
    problems = []
    for text in texts:
        match = _EXPECT.match(text)
        by = None
        if match and match.group(3):
            try:
                by = dt.date.fromisoformat(match.group(3))
            except ValueError:
                match = None
        if match is None:
            problems.append(
                Problem(
                    "not an expected effect",
                    column="--expect",
                    value=text,
                    expected="MEASURE=CHANGE or MEASURE=CHANGE@YYYY-MM-DD, "
                    "e.g. first_time_right=+8@2026-09-30",
                )
            )
            continue
        effects.append(ExpectedEffect(match.group(1), float(match.group(2)), by, rationale))
    if problems:
        raise ValidationError(problems)
    return tuple(effects)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def register(subparsers: Any) -> None:
    """Add the ``scorecard`` commands to the ``prioritize`` parser."""
    parser = subparsers.add_parser(
        "scorecard",
        help="the shared scorecard: readings, benefits, triggers",
        description="The council's shared scorecard of outcome measures: readings over "
        "time, expected against actual effect of what was approved, and what should go "
        "back to the council.",
    )
    sub = parser.add_subparsers(dest="scorecard_command", metavar="ACTION")
    sub.required = True
    show = command(sub, "show", _show, "the measures, their latest readings and the benefits")
    show.add_argument("--window", type=int, default=3, help="readings before/after go-live")
    imp = command(sub, "import", _import, "add readings from a CSV/XLSX file (facilitator)")
    imp.add_argument("path", type=Path, help="columns date, measure, value[, source, note]")
    imp.add_argument("--replace", action="store_true", help="correct readings already stored")
    trig = command(sub, "triggers", _triggers, "what the readings and events send back")
    trig.add_argument("--round", type=int, help="link the round's requirements by criterion")
    trig.add_argument("--since", type=_date, help="only what happened after this day")
    live = command(sub, "go-live", _go_live, "when an approved requirement went live")
    live.add_argument("round", type=int)
    live.add_argument("requirement")
    live.add_argument("date", type=_date)
    event = command(sub, "event", _event, "record a legal, regulatory, market or operational event")
    event.add_argument("date", type=_date)
    event.add_argument("kind", choices=EVENT_KINDS)
    event.add_argument("title")
    event.add_argument("--criteria", default="", help="criterion ids it may change, ';'-separated")
    event.add_argument(
        "--requirements",
        default="",
        help="ids of the requirements it concerns, ';'-separated (default: every requirement "
        "scored on its criteria)",
    )


def _show(args: argparse.Namespace, out: TextIO) -> int:
    session = acting_session(args)
    scorecard = session.scorecard()
    readings = session.readings()
    out.write(
        f"scorecard {scorecard.name} (version {scorecard.version}): {len(scorecard)} "
        f"measures, {len(readings.frame)} readings\n"
    )
    latest = readings.latest()
    values = latest["value"].astype(float).to_dict()
    days = latest["date"].dt.strftime("%Y-%m-%d").to_dict()
    for measure in scorecard:
        now = f"{values[measure.id]:g} on {days[measure.id]}" if measure.id in values else "none"
        out.write(
            f"  {measure.id} ({measure.unit}, {measure.direction} is better, "
            f"{measure.owner}): {now}\n"
        )
    out.write(f"\n{session.benefit_realisation(window=args.window)}\n")
    return 0


def _import(args: argparse.Namespace, out: TextIO) -> int:
    count = acting_session(args).import_readings(args.path, replace=args.replace)
    out.write(f"{count} readings stored from {args.path}\n")
    return 0


def _triggers(args: argparse.Namespace, out: TextIO) -> int:
    found = acting_session(args).triggers(args.round, since=args.since)
    out.write(f"{found}\n")
    return 0


def _go_live(args: argparse.Namespace, out: TextIO) -> int:
    acting_session(args).record_go_live(args.round, args.requirement, args.date)
    out.write(f"{args.requirement} of round {args.round} live since {args.date:%Y-%m-%d}\n")
    return 0


def _event(args: argparse.Namespace, out: TextIO) -> int:
    criteria = [c.strip() for c in args.criteria.split(";") if c.strip()]
    concerned = [r.strip() for r in args.requirements.split(";") if r.strip()]
    event = acting_session(args).add_event(args.date, args.kind, args.title, criteria, concerned)
    out.write(f"{event.kind} event on {event.on:%Y-%m-%d} recorded: {event.title}\n")
    return 0
