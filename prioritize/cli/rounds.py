"""``prioritize round``: run a scoring round from the command line, draft to decided."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, TextIO

import pandas as pd

from prioritize import resources
from prioritize.cli.acting import NEW_PASSCODE_ENV, acting_session, command, one_line_cells, secret
from prioritize.cli.scorecard import parse_expectations
from prioritize.council.analysis import flagged_requirements, round_flags
from prioritize.council.concordance import concordance
from prioritize.council.decisions import OUTCOMES
from prioritize.engine.scoring import AGGREGATIONS
from prioritize.errors import Problem, ValidationError

__all__ = ["register"]


def register(subparsers: Any) -> None:
    """Add the ``round`` commands to the ``prioritize`` parser."""
    round_parser = subparsers.add_parser(
        "round",
        help="run a scoring round",
        description="Run a scoring round: draft -> scoring "
        "(blind) -> debate (revealed) -> decided.",
    )
    rs = round_parser.add_subparsers(dest="round_command", metavar="ACTION")
    rs.required = True
    command(rs, "list", _round_list, "the rounds you may see")
    create = command(rs, "create", _round_create, "create a round in draft (facilitator)")
    create.add_argument("name")
    create.add_argument(
        "--requirements", type=Path, required=True, help="requirements file (CSV/XLSX/YAML)"
    )
    create.add_argument(
        "--criteria",
        default=resources.DEFAULT_CRITERIA,
        help="bundled criteria set or YAML path (default: %(default)s)",
    )
    create.add_argument("--members", help="comma-separated member ids (default: the council)")
    create.add_argument("--aggregation", choices=AGGREGATIONS, default="mean")
    start_from = command(
        rs,
        "start-from",
        _round_start_from,
        "a new draft round from a previous one: same requirements, criteria "
        "and members, new scores (facilitator)",
    )
    start_from.add_argument("round", type=int)
    start_from.add_argument("--name")
    add = command(
        rs,
        "add-member",
        _round_add_member,
        "add a member to a round, registering them first when --name and "
        f"--department are given (passcode from ${NEW_PASSCODE_ENV} or a prompt) "
        "(facilitator)",
    )
    add.add_argument("round", type=int)
    add.add_argument("member_id", metavar="MEMBER_ID")
    add.add_argument("--name")
    add.add_argument("--department")
    add.add_argument("--role", choices=("member", "facilitator", "observer"), default="member")
    weights = command(
        rs,
        "weights",
        _round_weights,
        "show the weights, or change them with criterion=weight pairs (facilitator)",
    )
    weights.add_argument("round", type=int)
    weights.add_argument("changes", nargs="*", metavar="CRITERION=WEIGHT")
    for name, helptext in (
        ("start", "open scoring: draft -> scoring (facilitator)"),
        ("reveal", "reveal every score: scoring -> debate (facilitator)"),
        ("close", "lock the round: debate -> decided (facilitator)"),
    ):
        command(rs, name, _round_move, helptext).add_argument("round", type=int)
    imp = command(
        rs,
        "import-scores",
        _round_import_scores,
        "import your own scores (long form: requirement_id, member, criterion, "
        "score[, reason]); all or nothing",
    )
    imp.add_argument("round", type=int)
    imp.add_argument("path", type=Path)
    imp.add_argument("--replace", action="store_true", help="overwrite scores you already gave")
    status = command(rs, "status", _round_status, "state and scoring progress")
    status.add_argument("round", type=int)
    results = command(
        rs, "results", _round_results, "ranking, concordance and debate flags (once revealed)"
    )
    results.add_argument("round", type=int)
    results.add_argument("--format", choices=("table", "json"), default="table")
    decide = command(rs, "decide", _round_decide, "record a decision (facilitator)")
    decide.add_argument("round", type=int)
    decide.add_argument("requirement")
    decide.add_argument("outcome", choices=OUTCOMES)
    decide.add_argument("--rationale", default="", help="why (mandatory for an override)")
    decide.add_argument("--dissent", default="", help="who disagrees, and why")
    decide.add_argument(
        "--expect",
        action="append",
        default=[],
        metavar="MEASURE=CHANGE[@DATE]",
        help="an approval's expected effect on a scorecard measure, e.g. "
        "first_time_right=+8@2026-09-30 (repeatable; needs --expect-rationale)",
    )
    decide.add_argument("--expect-rationale", default="", help="why those effects are expected")
    diff = command(rs, "diff", _round_diff, "what moved between two revealed rounds, and why")
    diff.add_argument("round_a", type=int)
    diff.add_argument("round_b", type=int)


# --- round ---------------------------------------------------------------------------------


def _round_list(args: argparse.Namespace, out: TextIO) -> int:
    table = acting_session(args).rounds()
    if table.empty:
        out.write("no rounds\n")
        return 0
    shown = table[
        [
            "name",
            "state",
            "criteria_name",
            "requirements",
            "members",
            "previous_round_id",
            "updated_at",
        ]
    ]
    out.write(one_line_cells(shown).to_string() + "\n")
    return 0


def _round_create(args: argparse.Namespace, out: TextIO) -> int:
    members = (
        None if args.members is None else [m.strip() for m in args.members.split(",") if m.strip()]
    )
    info = acting_session(args).create_round(
        args.name, args.criteria, args.requirements, members=members, aggregation=args.aggregation
    )
    out.write(
        f"round {info.id} '{info.name}' created in draft: {info.requirements} "
        f"requirements, {info.members} members, criteria {info.criteria_name}\n"
    )
    return 0


def _round_start_from(args: argparse.Namespace, out: TextIO) -> int:
    info = acting_session(args).start_from(args.round, args.name)
    out.write(f"round {info.id} '{info.name}' created in draft from round {args.round}\n")
    return 0


def _round_add_member(args: argparse.Namespace, out: TextIO) -> int:
    session = acting_session(args)
    if args.name or args.department:
        if not args.name or not args.department:
            raise ValidationError(
                Problem(
                    "registering a member needs --name and --department",
                    column="--department",
                    expected="both given",
                )
            )
        passcode = secret(NEW_PASSCODE_ENV, f"new passcode for {args.member_id}: ")
        member = session.register_member(
            args.member_id, args.name, args.department, args.role, passcode
        )
        out.write(f"registered {member.id} ({member.name}, {member.department}, {member.role})\n")
    info = session.add_member(args.round, args.member_id)
    out.write(f"{args.member_id} is in round {info.id} ({info.members} members)\n")
    return 0


def _round_weights(args: argparse.Namespace, out: TextIO) -> int:
    session = acting_session(args)
    if args.changes:
        changes: dict[str, float] = {}
        for pair in args.changes:
            key, sep, value = pair.partition("=")
            try:
                changes[key.strip()] = float(value) if sep else float("nan")
            except ValueError:
                changes[key.strip()] = float("nan")
        weights = session.set_weights(args.round, changes)
    else:
        weights = session.criteria(args.round).raw_weights
    normalised = weights / weights.sum()
    frame = pd.DataFrame({"weight": weights, "normalised": normalised.round(4)})
    out.write(one_line_cells(frame).to_string() + "\n")
    return 0


def _round_move(args: argparse.Namespace, out: TextIO) -> int:
    session = acting_session(args)
    move = {"start": session.start_scoring, "reveal": session.reveal, "close": session.close}[
        args.round_command
    ]
    info = move(args.round)
    out.write(f"round {info.id} is now {info.state}\n")
    return 0


def _round_import_scores(args: argparse.Namespace, out: TextIO) -> int:
    session = acting_session(args)
    count = session.import_scores(args.round, args.path, replace=args.replace)
    out.write(f"{count} scores of {session.member_id} imported into round {args.round}\n")
    return 0


def _round_status(args: argparse.Namespace, out: TextIO) -> int:
    session = acting_session(args)
    info = session.round(args.round)
    out.write(
        f"round {info.id} '{info.name}': {info.state}, {info.requirements} requirements, "
        f"{info.members} members, criteria {info.criteria_name}\n"
    )
    progress = session.progress(args.round)
    done = int(progress["complete"].sum())
    out.write(f"progress: {done} of {len(progress)} members complete\n")
    out.write(
        one_line_cells(
            progress[["name", "department", "role", "scored", "expected", "complete"]]
        ).to_string()
        + "\n"
    )
    return 0


def _round_results(args: argparse.Namespace, out: TextIO) -> int:
    session = acting_session(args)
    evaluation = session.evaluation(args.round)
    flags = round_flags(evaluation)
    agreement = concordance(evaluation) if len(evaluation.table) > 1 else None
    table = evaluation.table[["title", "score", "rank", "tied", "category"]].copy()
    table["category"] = table["category"].astype(str)
    if args.format == "json":
        json.dump(
            {
                "round": args.round,
                "ranking": json.loads(table.reset_index().to_json(orient="records")),
                "kendall_w": None if agreement is None else agreement.w,
                "flags": json.loads(flags.to_json(orient="records")),
            },
            out,
            indent=2,
        )
        out.write("\n")
        return 0
    out.write(one_line_cells(table).to_string() + "\n")
    if agreement is not None:
        out.write(
            f"\nconcordance of the members' rankings: Kendall's W = {agreement.w:.3f} "
            f"({agreement.members} members, p = {agreement.p_value:.2g})\n"
        )
    flagged = flagged_requirements(flags)
    out.write(f"\ndebate flags ({len(flags)} on {len(flagged)} requirements, most severe first):\n")
    for requirement in flagged:
        for reason in flags.loc[flags["requirement_id"] == requirement, "reason"]:
            out.write(f"  {requirement}: {reason}\n")
    return 0


def _round_decide(args: argparse.Namespace, out: TextIO) -> int:
    effects = parse_expectations(args.expect, args.expect_rationale)
    entry = acting_session(args).record_decision(
        args.round,
        args.requirement,
        args.outcome,
        rationale=args.rationale,
        dissent=args.dissent,
        effects=effects,
    )
    override = " (override)" if entry.override else ""
    out.write(
        f"decision {entry.seq}: {entry.requirement_id} {entry.outcome}{override}; model: "
        f"{entry.category}, rank {entry.rank}; hash {entry.entry_hash}\n"
    )
    return 0


def _round_diff(args: argparse.Namespace, out: TextIO) -> int:
    diff = acting_session(args).round_diff(args.round_a, args.round_b)
    moved = diff.moved
    out.write(
        f"{len(moved)} requirements moved between round {args.round_a} and round {args.round_b}\n"
    )
    if len(moved):
        columns = [
            "rank_a",
            "rank_b",
            "category_a",
            "category_b",
            "score_change",
            "due_to_weights",
            "due_to_scores",
            "main_criterion",
            "members_changed",
        ]
        out.write(
            one_line_cells(moved[columns]).to_string(float_format=lambda x: f"{x:+.3f}") + "\n"
        )
    return 0
