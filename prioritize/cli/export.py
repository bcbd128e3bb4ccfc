"""``prioritize export``: the portfolio workbook (xlsx), or the ranking as CSV or JSON.

The lead's ``prioritize.cli`` adds the common input options, evaluates, and hands the
:class:`~prioritize.model.Evaluation` to :func:`run`; this module owns the export options.
An existing output file -- normally the previous export of the same kind -- is overwritten,
atomically (written to a temporary file in the same folder, then moved into place), so a
failure never leaves a half-written file. Two destinations are refused, naming the path
(:func:`prioritize.export.files.check_destination`): a SQLite database (``-o council.db``
would replace the council's store), and any file this export reads (the criteria,
requirements, scores, members or decisions file: ``-o scores.csv`` would replace its own
input). A workbook is not written to a terminal (``-o -`` needs a file or a pipe).
"""

from __future__ import annotations

import argparse
import io
import os
import warnings
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

import pandas as pd

from prioritize.cli.terminal import for_stream, printable
from prioritize.errors import Problem, ValidationError
from prioritize.export import export_portfolio, export_ranking, portfolio_table, portfolio_xlsx
from prioritize.export.files import check_destination
from prioritize.export.workbook.benefits import Outcomes
from prioritize.load.files import read_table
from prioritize.load.scorecard import load_deliveries, load_readings, load_scorecard
from prioritize.model.evaluation import Evaluation
from prioritize.outcomes import benefit_realisation

__all__ = ["FORMATS", "add_arguments", "run"]

FORMATS = ("xlsx", "csv", "json")
#: The options naming files the export reads (those of ``evaluate``, and ``--decisions``).
_INPUT_OPTIONS = (
    "criteria",
    "requirements",
    "scores",
    "members",
    "decisions",
    "readings",
    "deliveries",
)
_DEFAULT_NAMES = {"xlsx": "portfolio.xlsx", "csv": "ranking.csv", "json": "ranking.json"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the export options to the ``export`` sub-command's parser."""
    parser.add_argument(
        "-o",
        "--output",
        help="file to write; an existing file is replaced, but never a database nor "
        "one of this command's input files (default: portfolio.xlsx, ranking.csv or "
        "ranking.json by format; '-': standard output)",
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        help="xlsx: the portfolio workbook; csv or json: the ranking "
        "(default: from the output's suffix, else xlsx)",
    )
    parser.add_argument(
        "--decisions",
        type=Path,
        metavar="FILE",
        help="decision log (CSV, XLSX or YAML with requirement_id, outcome, "
        "rationale, ...): the Portfolio sheet then lists the approved "
        "requirements, and a Decisions sheet is added",
    )
    parser.add_argument(
        "--readings",
        type=Path,
        metavar="FILE",
        help="the scorecard's readings (CSV/XLSX: date, measure, value, ...): with "
        "--deliveries, the workbook gets Benefits and Readings sheets",
    )
    parser.add_argument(
        "--deliveries",
        type=Path,
        metavar="FILE",
        help="go-live dates and expected effects (CSV/XLSX: requirement_id, title, live_on, "
        "measure, expected_change, by, rationale)",
    )
    parser.add_argument(
        "--scorecard",
        default="customer-operations",
        metavar="NAME|FILE",
        help="the scorecard the readings belong to (default: the bundled customer-operations)",
    )
    parser.add_argument(
        "--generated-at",
        metavar="TIME",
        help="generation time recorded in the file, ISO 8601 (default: "
        "$SOURCE_DATE_EPOCH when set, else now): the same inputs and "
        "time give the same file",
    )


def _format(args: argparse.Namespace) -> str:
    output = args.output
    suffix = Path(output).suffix.lower().lstrip(".") if output and output != "-" else ""
    if args.format is None:
        return suffix if suffix in FORMATS else "xlsx"
    if suffix in FORMATS and suffix != args.format:
        raise ValidationError(
            Problem(
                f"the --output suffix does not match --format {args.format}",
                value=output,
                expected=f"a .{args.format} file for --format {args.format}",
            )
        )
    return str(args.format)


def _generated_at(args: argparse.Namespace) -> str | datetime | None:
    if args.generated_at:
        return str(args.generated_at)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), UTC)
        except ValueError as exc:
            raise ValidationError(
                Problem(
                    "SOURCE_DATE_EPOCH is not a number of seconds",
                    value=epoch,
                    expected="an integer (seconds since 1970)",
                )
            ) from exc
    return None


def _decisions(path: Path | None) -> pd.DataFrame | None:
    if path is None:
        return None
    frame = read_table(path, key="decisions").frame
    if "rank" in frame.columns:
        frame["rank"] = pd.to_numeric(frame["rank"].replace("", None), errors="coerce")
    return frame


def _outcomes(args: argparse.Namespace) -> Outcomes | None:
    """The Benefits and Readings sheets' data, from --readings and --deliveries."""
    readings, deliveries = getattr(args, "readings", None), getattr(args, "deliveries", None)
    if readings is None and deliveries is None:
        return None
    if readings is None or deliveries is None:
        raise ValidationError(
            Problem(
                "--readings and --deliveries go together",
                column="--readings" if readings is None else "--deliveries",
                expected="both files, for the Benefits and Readings sheets",
            )
        )
    card = load_scorecard(args.scorecard)
    loaded = load_readings(readings, card)
    return Outcomes(
        card, loaded, benefit_realisation(card, loaded, load_deliveries(deliveries, card))
    )


def _inputs(evaluation: Evaluation, args: argparse.Namespace) -> list[str | os.PathLike[str]]:
    """Every file this export was made from: the paths given (``--criteria``,
    ``--requirements``, ``--scores``, ``--members``, ``--decisions``) and the files the
    evaluation was read from (the bundled example's when no path was given)."""
    given = [getattr(args, name, None) for name in _INPUT_OPTIONS]
    read = [evaluation.criteria.source, evaluation.requirements.source, evaluation.scores.source]
    if evaluation.members is not None:
        read.append(evaluation.members.source)
    candidates = [*given, *read]
    return [c for c in candidates if isinstance(c, str | os.PathLike) and os.path.exists(c)]


def run(evaluation: Evaluation, args: argparse.Namespace, out: TextIO) -> int:
    """Write the export the options ask for; report what was written on ``out``."""
    fmt = _format(args)
    when = _generated_at(args)
    output = args.output or _DEFAULT_NAMES[fmt]
    if output != "-":
        check_destination(output, _inputs(evaluation, args))
    if fmt == "xlsx":
        decisions = _decisions(args.decisions)
        outcomes = _outcomes(args)
        if output == "-":
            binary = getattr(out, "buffer", None)
            if binary is None or out.isatty():
                raise ValidationError(
                    Problem(
                        "cannot write a workbook to this output (--output -)"
                        + (": it is a terminal" if binary is not None else ""),
                        expected="a file name, or standard output redirected to a file or pipe",
                    )
                )
            binary.write(
                portfolio_xlsx(
                    evaluation, decisions=decisions, generated_at=when, outcomes=outcomes
                )
            )
            binary.flush()
            return 0
        path = export_portfolio(
            evaluation, output, decisions=decisions, generated_at=when, outcomes=outcomes
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # export_portfolio has told them already
            chosen = len(portfolio_table(evaluation, decisions))
        out.write(
            f"wrote {printable(str(path), one_line=True)}: portfolio of {chosen} "
            f"requirement(s), {len(evaluation.table)} ranked\n"
        )
        return 0
    if args.decisions is not None:
        raise ValidationError(
            Problem(
                "--decisions applies to the xlsx workbook only",
                value=str(args.decisions),
                expected="--format xlsx",
            )
        )
    if output == "-":
        buffer = io.StringIO()
        export_ranking(
            evaluation,
            buffer,
            fmt,  # type: ignore[arg-type]
            generated_at=when,
        )
        out.write(for_stream(buffer.getvalue(), out))
        return 0
    written = export_ranking(
        evaluation,
        output,
        fmt,  # type: ignore[arg-type]
        generated_at=when,
    )
    out.write(
        f"wrote {printable(str(written), one_line=True)}: "
        f"{len(evaluation.table)} ranked requirement(s)\n"
    )
    return 0
