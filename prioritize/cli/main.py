"""The ``prioritize`` command line (also ``python -m prioritize``).

Bad input is reported on stderr with exit code 2, never as a traceback; ``validate`` exits 1
when it finds problems. Warnings are printed on stderr as ``warning: ...``. Every text that
came from user data (titles, ids, file names, the values in errors and warnings) is printed
through :func:`prioritize.cli.terminal.printable`, so it cannot drive the terminal.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn, TextIO

import pandas as pd

from prioritize import resources
from prioritize.cli.terminal import for_stream, printable
from prioritize.engine.evaluate import evaluate
from prioritize.engine.scoring import AGGREGATIONS
from prioritize.errors import PrioritizeError, Problem, ValidationError
from prioritize.export.ranking import export_ranking
from prioritize.load.bounded_yaml import read_yaml
from prioritize.load.criteria import load_criteria
from prioritize.load.files import read_table
from prioritize.load.limits import DEFAULT_LIMITS
from prioritize.load.members import load_members
from prioritize.load.requirements import load_requirements
from prioritize.load.scores import check_scores, load_scores
from prioritize.model.council import Members, Requirements, Scores
from prioritize.model.criteria import CriteriaSet
from prioritize.model.evaluation import Evaluation
from prioritize.resources import VERSION as __version__

__all__ = ["main"]

_FORMATS = ("table", "csv", "json")


def _add_inputs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--criteria",
        default=resources.DEFAULT_CRITERIA,
        help="bundled criteria set name or YAML path (default: %(default)s)",
    )
    parser.add_argument(
        "--requirements",
        type=Path,
        help="requirements file (CSV/XLSX/YAML; default: the bundled example)",
    )
    parser.add_argument(
        "--scores", type=Path, help="scores file, long form (default: the bundled example)"
    )
    parser.add_argument(
        "--members",
        type=Path,
        help="members file (default: the bundled example's members when the "
        "scores are the example's; otherwise none, and criterion owners "
        "are ignored with a warning)",
    )
    parser.add_argument(
        "--aggregation",
        choices=AGGREGATIONS,
        default="mean",
        help="how members' scores are combined (default: %(default)s)",
    )


class _Parser(argparse.ArgumentParser):
    """argparse, with its error messages (which quote the arguments given) made printable.
    Sub-command parsers are of the same class."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, printable(f"{self.prog}: error: {message}") + "\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="prioritize",
        description="Prioritize business requirements transparently: a council's scores on "
        "agreed criteria, a ranked value matrix, and the evidence behind it.",
    )
    parser.add_argument("--version", action="version", version=f"prioritize {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    ev = sub.add_parser(
        "evaluate",
        help="rank and categorise requirements",
        description="Rank and categorise requirements. With no paths: the "
        "bundled sales-order-errors example.",
    )
    _add_inputs(ev)
    ev.add_argument(
        "--format", choices=_FORMATS, default="table", help="output format (default: %(default)s)"
    )
    ev.set_defaults(func=_evaluate)

    va = sub.add_parser(
        "validate",
        help="check input files and print every problem",
        description="Check criteria, requirements, scores and members files. "
        "The kind of each file is told by its content. Scores are "
        "also checked against the other files given. Exit 1 when "
        "any problem is found.",
    )
    va.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    va.set_defaults(func=_validate)

    from prioritize.cli import export as cli_export
    from prioritize.cli import sensitivity as cli_sensitivity

    se = sub.add_parser(
        "sensitivity",
        help="stability intervals, SMAA acceptability, fragile placements",
        description="How robust is the ranking? Exact weight stability "
        "intervals, SMAA category acceptability and the flagged "
        "fragile placements, on the same inputs as evaluate.",
    )
    _add_inputs(se)
    cli_sensitivity.add_arguments(se)
    se.set_defaults(func=_with_evaluation(cli_sensitivity.run))

    ex = sub.add_parser(
        "export",
        help="write the portfolio workbook (xlsx), CSV or JSON",
        description="Write the portfolio workbook (or the ranking as CSV or "
        "JSON), on the same inputs as evaluate.",
    )
    _add_inputs(ex)
    cli_export.add_arguments(ex)
    ex.set_defaults(func=_with_evaluation(cli_export.run))

    from prioritize.cli import portfolio as cli_portfolio

    po = sub.add_parser(
        "portfolio",
        help="the best portfolio under a budget: selection, reasons, core index, frontier",
        description="Select the requirements that maximise the council's value within a "
        "budget (and capacity), mandatory ones in, requires and excludes respected, each "
        "requirement's reason for being in or out; on the same inputs as evaluate, whose "
        "requirements carry the estimates (cost, effort, relations). Exit 1 when nothing "
        "fits.",
    )
    _add_inputs(po)
    cli_portfolio.add_arguments(po)
    po.set_defaults(func=_with_evaluation(cli_portfolio.run))

    from prioritize.cli import council as cli_council

    cli_council.register(sub)

    from prioritize.cli import weights as cli_weights

    cli_weights.register(sub)

    from prioritize.cli import app as launcher

    ap = sub.add_parser(
        "app",
        help="start the council page (Streamlit) on the bundled example",
        description="Start the council page. With no --db it uses "
        "$PRIORITIZE_DB or ./prioritize.db, created with the "
        "bundled example council when missing.",
    )
    launcher.add_arguments(ap)
    ap.set_defaults(func=launcher.run)
    return parser


def _with_evaluation(
    run: Callable[[Evaluation, argparse.Namespace, TextIO], int],
) -> Callable[[argparse.Namespace, TextIO], int]:
    def handler(args: argparse.Namespace, out: TextIO) -> int:
        criteria, requirements, scores, members = _inputs(args)
        evaluation = evaluate(
            criteria, requirements, scores, members=members, aggregation=args.aggregation
        )
        return run(evaluation, args, out)

    return handler


def _inputs(args: argparse.Namespace) -> tuple[CriteriaSet, Requirements, Scores, Members | None]:
    example = resources.example_dir()
    criteria = load_criteria(args.criteria)
    requirements = load_requirements(args.requirements or example / "requirements.csv")
    scores = load_scores(args.scores or example / "scores.csv")
    members_path = args.members
    if members_path is None and args.scores is None:
        members_path = example / "members.csv"
    members = None if members_path is None else load_members(members_path)
    return criteria, requirements, scores, members


def _evaluate(args: argparse.Namespace, out: TextIO) -> int:
    criteria, requirements, scores, members = _inputs(args)
    evaluation = evaluate(
        criteria, requirements, scores, members=members, aggregation=args.aggregation
    )
    _write_table(evaluation, args.format, out)
    return 0


def _write_table(evaluation: Evaluation, fmt: str, out: TextIO) -> None:
    table = evaluation.table.copy()
    table["category"] = table["category"].astype(str)
    if fmt in ("csv", "json"):
        # the one ranking serializer: the same bytes as `prioritize export` and the page
        buffer = io.StringIO()
        export_ranking(evaluation, buffer, "csv" if fmt == "csv" else "json")
        out.write(for_stream(buffer.getvalue(), out))
        return

    def left(values: list[str]) -> list[str]:
        width = max((len(v) for v in values), default=0)
        return [v.ljust(width) for v in values]

    def cell(value: object) -> str:
        return printable(str(value), one_line=True)

    titles = [cell(t) for t in table["title"]]

    shown = pd.DataFrame(
        {
            "rank": [
                f"{r}=" if t else str(r) for r, t in zip(table["rank"], table["tied"], strict=True)
            ],
            "id": left([cell(i) for i in table.index]),
            "title": left([t if len(t) <= 44 else t[:43] + "…" for t in titles]),
            "category": left(list(table["category"])),
            "score": table["score"].map("{:.3f}".format),
            "value": table["value"].map("{:.2f}".format),
            "effort": table["effort"].map("{:.2f}".format),
            "urgency": table["urgency"].map("{:.2f}".format),
            "mandatory": ["yes" if m else "" for m in table["mandatory"]],
        }
    )
    out.write(
        f"{cell(evaluation.criteria.name)} (version {cell(evaluation.criteria.version)}), "
        f"{evaluation.aggregation} of {len(evaluation.scores.members)} members' scores, "
        f"{len(table)} requirements ranked\n\n"
    )
    out.write(shown.to_string(index=False))
    out.write("\n")
    counts = table["category"].value_counts()
    out.write(
        "\n" + ", ".join(f"{name}: {counts[name]}" for name in counts.index if counts[name]) + "\n"
    )
    if table["tied"].any():
        out.write("'=' marks a tie: those requirements have the same score and rank.\n")
    if len(evaluation.unscored):
        out.write(f"\nNot ranked, scores missing ({len(evaluation.unscored)}):\n")
        for rid, row in evaluation.unscored.iterrows():
            out.write(
                f"  {cell(rid)} {cell(row['title'])}: no usable score on {cell(row['missing'])}\n"
            )


def _kind(path: Path) -> str:
    if not path.exists() and not path.suffix and len(path.parts) == 1:
        return "criteria"  # a bundled criteria set's name
    if path.suffix.lower() in (".yaml", ".yml"):
        size = path.stat().st_size
        if DEFAULT_LIMITS.max_file_bytes is not None and size > DEFAULT_LIMITS.max_file_bytes:
            return "criteria"  # the loader refuses it, naming the limit
        try:  # within the input limits: a hostile YAML is refused before it is built
            data = read_yaml(path.read_bytes(), str(path), DEFAULT_LIMITS, "a YAML file")
        except ValidationError as exc:
            if any(p.limit for p in exc.problems):
                raise
            return "criteria"  # load_criteria reports the syntax error with its line
        if isinstance(data, dict):
            for key in ("criteria", "requirements", "scores", "members"):
                if key in data:
                    return key
        if isinstance(data, dict) or data is None:
            return "criteria"
    columns = set(read_table(path).frame.columns)
    if {"requirement_id", "criterion", "score"} <= columns:
        return "scores"
    if {"department"} <= columns:
        return "members"
    if {"title"} <= columns:
        return "requirements"
    raise ValidationError(
        Problem(
            "cannot tell what this file holds",
            file=str(path),
            value=", ".join(sorted(columns)),
            expected="a criteria set, or requirements (id, title), "
            "scores (requirement_id, member, criterion, score) "
            "or members (id, name, department) columns",
        )
    )


def _validate(args: argparse.Namespace, out: TextIO) -> int:
    problems: list[Problem] = []
    criteria: CriteriaSet | None = None
    requirements: Requirements | None = None
    scores: Scores | None = None
    members: Members | None = None
    for path in args.paths:
        try:
            kind = _kind(path)
            if kind == "criteria":
                criteria = load_criteria(path if path.exists() else str(path))
                count = f"{len(criteria)} criteria"
            elif kind == "requirements":
                requirements = load_requirements(path)
                count = f"{len(requirements)} requirements"
            elif kind == "scores":
                scores = load_scores(path)
                count = f"{len(scores)} scores"
            else:
                members = load_members(path)
                count = f"{len(members)} members"
        except ValidationError as exc:
            problems.extend(exc.problems)
            continue
        out.write(f"ok: {printable(str(path), one_line=True)} ({kind}, {count})\n")
    if scores is not None:
        try:
            check_scores(scores, criteria=criteria, requirements=requirements, members=members)
        except ValidationError as exc:
            problems.extend(exc.problems)
    for problem in problems:
        sys.stderr.write(f"problem: {printable(str(problem), one_line=True)}\n")
    if problems:
        sys.stderr.write(f"{len(problems)} problem(s) found\n")
        return 1
    return 0


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    stream = out or sys.stdout
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            code: int = args.func(args, stream)
        except BrokenPipeError:
            # the reader went away (``prioritize evaluate | head``): not an error
            sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - silence the interpreter's flush
            return 0
        except PrioritizeError as exc:
            _print_warnings(caught)
            sys.stderr.write(f"error: {printable(str(exc))}\n")
            return 2
        except OSError as exc:
            _print_warnings(caught)
            sys.stderr.write(f"error: {printable(str(exc))}\n")
            return 2
    _print_warnings(caught)
    return code


def _print_warnings(caught: list[warnings.WarningMessage]) -> None:
    for item in caught:
        if issubclass(item.category, DeprecationWarning):
            continue
        sys.stderr.write(f"warning: {printable(str(item.message))}\n")
