"""``prioritize weights``: each member proposes criterion weights (points, SWING, rank order
or AHP), everyone reads the proposals they may see (blind until the reveal, like scores),
the facilitator adopts the council's weights as a log entry; ``weights ahp`` computes AHP
weights and consistency from a pairwise matrix file, with no database.

The weights are computed by :mod:`prioritize.weights`, the debate by
:func:`~prioritize.council.weighing.weights_debate` and the rules (who may propose, read,
adopt) are the store's; this module only reads arguments and prints.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO, cast

import pandas as pd

from prioritize.cli.acting import PrintableOutput, acting_session, command, one_line_cells
from prioritize.cli.terminal import for_stream, printable
from prioritize.cli.weight_answers import answer_from_args, parse_pairs, read_pairwise_matrix
from prioritize.council.weighing import Proposals, weights_debate
from prioritize.errors import ValidationError
from prioritize.export.text import csv_table
from prioritize.weights import (
    AGGREGATIONS,
    CONSISTENCY_LIMIT,
    METHODS,
    AHPResult,
    ahp_weights,
    elicit,
)

__all__ = ["register"]

#: How many of the worst AHP judgements are printed.
_WORST_SHOWN = 3
#: At most this many problems about a matrix file's cells are listed.
_LISTED = 50
_INTEGER = re.compile(r"[+-]?\d+")


def register(subparsers: Any) -> None:
    """Add the ``weights`` commands to the ``prioritize`` parser."""
    weights_parser = subparsers.add_parser(
        "weights",
        help="propose, compare and adopt criterion weights",
        description="Criterion weights: each member proposes (blind until the reveal), "
        "the council compares, the facilitator adopts; 'weights ahp' reads a pairwise "
        "matrix file without a database.",
    )
    ws = weights_parser.add_subparsers(dest="weights_command", metavar="ACTION")
    ws.required = True

    propose = command(
        ws,
        "propose",
        _propose,
        "propose your weights for a round (proposing again replaces your proposal)",
    )
    propose.add_argument("--round", type=int, required=True)
    propose.add_argument("--method", choices=METHODS, required=True)
    propose.add_argument("--reason", required=True, help="why these weights")
    propose.add_argument(
        "--set",
        dest="values",
        action="append",
        default=[],
        metavar="CRITERION=VALUE",
        help="points: numbers summing to 100; swing: ratings 0..100, the top at 100; "
        "rank: 1 = most important, ties share a number (repeat for each criterion)",
    )
    propose.add_argument(
        "--judge",
        dest="judgements",
        action="append",
        default=[],
        metavar="MORE>LESS=INTENSITY",
        help="ahp: MORE is INTENSITY (1..9) times as important as LESS (repeat for each "
        "pair; quote it in a shell, where > redirects)",
    )
    propose.add_argument(
        "--file", type=Path, help="ahp: the judgements as CSV with columns more,less,intensity"
    )

    show = command(
        ws,
        "show",
        _show,
        "the proposals you may see (only your own until the reveal), side by side; after "
        "the reveal also the council aggregate, the spread, Kendall's W and the stability",
    )
    show.add_argument("--round", type=int, required=True)
    show.add_argument(
        "--method", choices=AGGREGATIONS, default="mean", help="aggregation (default: mean)"
    )
    show.add_argument("--format", choices=("text", "csv"), default="text")

    adopt = command(
        ws,
        "adopt",
        _adopt,
        "adopt the round's weights, an aggregate of the proposals or others with a "
        "rationale, as a decision log entry (facilitator, during the debate)",
    )
    adopt.add_argument("--round", type=int, required=True)
    which = adopt.add_mutually_exclusive_group(required=True)
    which.add_argument("--aggregate", choices=AGGREGATIONS, help="the proposals' aggregate")
    which.add_argument(
        "--set",
        dest="values",
        action="append",
        metavar="CRITERION=WEIGHT",
        help="other weights (repeat for each criterion); they need a --rationale",
    )
    adopt.add_argument("--rationale", default="", help="why (mandatory for other weights)")
    adopt.add_argument("--dissent", default="", help="who disagrees, and why")

    ahp = _ahp_parser(ws)
    ahp.set_defaults(func=_ahp)


def _ahp_parser(ws: Any) -> argparse.ArgumentParser:
    # not a council command: no --db, no --as (command() would add them)
    text = (
        "AHP weights, lambda max, CI and CR of a pairwise matrix CSV (first column and "
        "header: the criteria; cells numbers or fractions such as 1/3); no database"
    )
    parser: argparse.ArgumentParser = ws.add_parser("ahp", help=text, description=text)
    parser.add_argument("file", type=Path, metavar="FILE")
    parser.add_argument("--format", choices=("text", "csv"), default="text")
    return parser


# --- reading answers ------------------------------------------------------------------------


def _cell(value: object) -> str:
    return printable(str(value), one_line=True)


def _percent(weights: Mapping[str, float] | pd.Series) -> str:
    return ", ".join(f"{_cell(c)} {100 * float(w):.1f}%" for c, w in weights.items())


def _consistency(result: AHPResult, out: TextIO) -> None:
    verdict = (
        f"above {CONSISTENCY_LIMIT:.2f}: inconsistent, revise the judgements below"
        if result.inconsistent
        else f"at most {CONSISTENCY_LIMIT:.2f}: consistent enough"
    )
    out.write(f"consistency ratio CR = {result.consistency_ratio:.3f}, {verdict}\n")
    worst = result.worst_judgements.head(_WORST_SHOWN)
    if worst.empty or float(worst["error"].max()) < 1e-9:
        out.write("every judgement agrees with the weights\n")
        return
    out.write("worst judgements (furthest from what the weights imply):\n")
    for row in worst.itertuples(index=False):
        contradicts = "; the weights say the opposite" if row.contradicts else ""
        relation = "equal to" if row.judgement == 1 else "over"
        out.write(
            f"  {_cell(row.more)} {relation} {_cell(row.less)}: judged {row.judgement:g}, the "
            f"weights imply {row.consistent:.2f} (error {row.error:.2f}){contradicts}\n"
        )


# --- propose --------------------------------------------------------------------------------


def _propose(args: argparse.Namespace, out: TextIO) -> int:
    answer = answer_from_args(args)
    session = acting_session(args)
    member = session.member_id
    current = session.weight_proposals(args.round).table
    version = int(current["version"][member]) if member in current.index else None
    stored = session.propose_weights(args.round, args.method, answer, args.reason, version=version)
    row = stored.table.to_dict("index")[member]
    replaced = "new" if version is None else f"replaced version {version}"
    out.write(
        f"weight proposal of {_cell(member)} in round {args.round}: {row['method']}, "
        f"version {int(row['version'])} ({replaced})\n"
    )
    weights = pd.Series(stored.weights.to_dict("index")[member])
    out.write(f"weights: {_percent(weights)}\n")
    if row["method"] == "ahp":
        elicited = elicit("ahp", json.loads(str(row["answer"])), stored.criteria)
        assert elicited.ahp is not None
        _consistency(elicited.ahp, out)
    return 0


# --- show -----------------------------------------------------------------------------------


def _proposal_table(proposals: Proposals) -> pd.DataFrame:
    """Members x (department, method, criteria in percent, CR, reason), for printing."""
    table = proposals.table
    shown = pd.DataFrame(index=table.index)
    shown["department"] = [_cell(d) for d in table["department"]]
    shown["method"] = [_cell(m) for m in table["method"]]
    for criterion in proposals.criteria:
        shown[criterion] = proposals.weights[criterion].map(lambda w: f"{100 * w:.1f}")
    shown["CR"] = ["" if pd.isna(cr) else f"{float(cr):.3f}" for cr in table["consistency_ratio"]]
    shown["reason"] = [_cell(r) for r in table["reason"]]
    return shown


def _show(args: argparse.Namespace, out: TextIO) -> int:
    session = acting_session(args)
    info = session.round(args.round)
    proposals = session.weight_proposals(args.round)
    if args.format == "csv":
        frame = proposals.table[["department", "method"]].copy()
        for criterion in proposals.criteria:
            frame[criterion] = proposals.weights[criterion]
        frame["consistency_ratio"] = proposals.table["consistency_ratio"].astype(float)
        frame["reason"] = proposals.table["reason"].astype(str)
        frame["version"] = proposals.table["version"].astype(int)
        out.write(csv_table(frame.reset_index(), what="weight proposals CSV"))
        return 0
    # computed before anything is printed, so that a refused --method prints only the error
    debate = (
        weights_debate(proposals, session.evaluation(args.round), args.method)
        if info.revealed and len(proposals)
        else None
    )
    seen = "" if info.revealed else " (only your own until the reveal)"
    out.write(
        f"round {info.id} '{_cell(info.name)}' ({info.state}): {len(proposals)} weight "
        f"proposal(s){seen}\n"
    )
    if len(proposals) == 0:
        return 0
    out.write("weights in percent:\n")
    out.write(_proposal_table(proposals).to_string() + "\n")
    if debate is None:
        return 0
    council = debate.council
    out.write(
        f"\ncouncil ({args.method} of {council.members} proposal(s)): {_percent(council.weights)}\n"
    )
    if council.consistency_ratio is not None:
        out.write(
            f"consistency ratio of the aggregated judgements: {council.consistency_ratio:.3f}\n"
        )
    if debate.agreement is None:
        out.write("agreement on the order of criteria: needs two proposals or more\n")
    else:
        out.write(f"agreement on the order of criteria: Kendall's W = {debate.agreement:.3f}\n")
    spread = council.spread.reindex(list(proposals.criteria))
    stability = debate.stability
    table = pd.DataFrame(
        {
            "min": spread["min"].map(lambda w: f"{100 * w:.1f}"),
            "median": spread["median"].map(lambda w: f"{100 * w:.1f}"),
            "max": spread["max"].map(lambda w: f"{100 * w:.1f}"),
            "current": stability["weight"].map(lambda w: f"{100 * w:.1f}"),
            "stable from": stability["lower"].map(lambda w: f"{100 * w:.1f}"),
            "stable to": stability["upper"].map(lambda w: f"{100 * w:.1f}"),
            "wider": ["yes" if w else "no" for w in stability["wider"]],
        },
        index=pd.Index(list(proposals.criteria), name="criterion"),
    )
    out.write(
        "\nspread of the proposals and the interval in which each weight keeps the ranking "
        "(percent; wider: the proposals reach outside it):\n"
    )
    out.write(one_line_cells(table).to_string() + "\n")
    return 0


# --- adopt ----------------------------------------------------------------------------------


def _adopt(args: argparse.Namespace, out: TextIO) -> int:
    session = acting_session(args)
    if args.aggregate is not None:
        weights = session.weight_proposals(args.round).aggregate(args.aggregate).weights
        chosen = {str(c): float(w) for c, w in weights.items()}
    else:
        chosen = {c: float(v) for c, v in parse_pairs(args.values, "--set").items()}
    entry = session.adopt_weights(args.round, chosen, args.rationale, dissent=args.dissent)
    total = sum(chosen.values())
    shown = {c: w / total for c, w in chosen.items()} if total > 0 else chosen
    out.write(f"round {args.round}: weights adopted: {_percent(shown)}\n")
    out.write(
        f"log entry {entry.seq}: category {entry.category}, "
        f"override {'yes' if entry.override else 'no'}, {entry.rank} proposal(s); "
        f"hash {entry.entry_hash}\n"
    )
    return 0


# --- ahp (no database) ----------------------------------------------------------------------


def _ahp(args: argparse.Namespace, out: TextIO) -> int:
    path: Path = args.file
    matrix = read_pairwise_matrix(path)
    try:
        result = ahp_weights(matrix)
    except ValidationError as exc:  # name the file in what the computation refused
        raise ValidationError(
            replace(p, file=str(path)) if p.file is None else p for p in exc.problems
        ) from None
    if args.format == "csv":
        frame = pd.DataFrame(
            {"criterion": [str(c) for c in result.weights.index], "weight": result.weights}
        )
        out.write(for_stream(csv_table(frame, what="AHP weights CSV"), out))
        return 0
    text = cast(TextIO, PrintableOutput(out))
    text.write(f"{_cell(path)}: {len(result.weights)} criteria\n")
    table = pd.DataFrame(
        {
            "weight": result.weights.map(lambda w: f"{w:.3f}"),
            "percent": result.weights.map(lambda w: f"{100 * w:.1f}"),
        }
    )
    table.index = pd.Index([_cell(c) for c in table.index])
    text.write(table.to_string() + "\n")
    text.write(
        f"λmax = {result.lambda_max:.3f}, CI = {result.consistency_index:.3f}, "
        f"RI = {result.random_index:.2f}\n"
    )
    _consistency(result, text)
    return 0
