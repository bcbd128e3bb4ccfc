"""``export_ranking``: the ranked table as CSV or JSON.

Numbers are written with full precision (the shortest text that reads back as the same
float), so a reader gets exactly the evaluation's numbers. The CSV follows the one text rule
of :mod:`prioritize.export.text` (:func:`~prioritize.export.text.csv_table`): every text
field is quoted, and every place a spreadsheet could start a formula -- the start of a field,
and after a line break, ``;``, ``,`` or tab inside it -- gets an apostrophe that
:func:`~prioritize.export.text.csv_unquote` takes off again; ``formula_safe=False`` turns
the protection off for pipelines that never meet a spreadsheet. JSON is data, not a
spreadsheet: text is written as it is (:func:`~prioritize.export.text.json_text`).
"""

from __future__ import annotations

import io
import math
import os
from datetime import datetime
from pathlib import Path
from typing import IO, Any, Literal, cast

import numpy as np
import pandas as pd

from prioritize.errors import Problem, ValidationError
from prioritize.export.files import atomic_write
from prioritize.export.text import csv_table, json_text
from prioritize.export.workbook.write import utc_time
from prioritize.model.evaluation import Evaluation
from prioritize.resources import VERSION

__all__ = ["FORMATS", "export_ranking", "ranking_frame"]

FORMATS = ("csv", "json")


def ranking_frame(evaluation: Evaluation) -> pd.DataFrame:
    """The ranked table as exported: ``id`` first, the category as text.

    >>> import prioritize as pz
    >>> list(ranking_frame(pz.evaluate_example()).columns[:4])
    ['id', 'title', 'score', 'rank']
    """
    table = evaluation.table.reset_index()
    table["category"] = table["category"].astype(object)
    return table


def _csv(evaluation: Evaluation, formula_safe: bool) -> str:
    return csv_table(ranking_frame(evaluation), formula_safe=formula_safe, what="ranking CSV")


def _json(evaluation: Evaluation, generated_at: datetime) -> str:

    def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
        rows = frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
        return [{str(k): _plain(v) for k, v in row.items()} for row in rows]

    document = {
        "tool": f"prioritize {VERSION}",
        "generated_at": generated_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "criteria": evaluation.criteria.name,
        "criteria_version": evaluation.criteria.version,
        "criteria_source": evaluation.criteria.source,
        "criteria_sha256": evaluation.criteria.sha256,
        "aggregation": evaluation.aggregation,
        "weights": {str(k): float(v) for k, v in evaluation.weights.items()},
        "requirements": records(ranking_frame(evaluation)),
        "unscored": records(evaluation.unscored.reset_index()),
        "notes": list(evaluation.notes),
    }
    return json_text(document)


def _plain(value: Any) -> Any:
    """A JSON-ready Python scalar (numpy scalars unwrapped, non-finite floats as None)."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def export_ranking(
    evaluation: Evaluation,
    path_or_buffer: str | os.PathLike[str] | IO[str] | IO[bytes],
    format: Literal["csv", "json"] = "csv",
    *,
    formula_safe: bool = True,
    generated_at: datetime | str | None = None,
) -> Path | None:
    """Write the ranked table as CSV or JSON.

    Parameters
    ----------
    evaluation
        The result of :func:`prioritize.evaluate`.
    path_or_buffer
        A path (written atomically: an existing file is replaced only once the new one is
        complete) or an open text or binary stream (written as UTF-8).
    format
        ``"csv"``: one row per ranked requirement, columns ``id`` and those of
        ``Evaluation.table``. ``"json"``: an object with the tool version, the generation
        time, the criteria set, its source and SHA-256, the aggregation, the normalised
        weights, ``requirements`` (the rows, as in the CSV), ``unscored`` and ``notes``.
    formula_safe
        CSV only: protect text for spreadsheets (default): an apostrophe wherever a
        formula could start, characters a spreadsheet cannot hold replaced with U+FFFD
        (with an :class:`~prioritize.errors.ExportTextWarning`). Text is quoted either way.
    generated_at
        JSON only: the generation time recorded (default: now).

    Returns
    -------
    pathlib.Path or None
        The path written, or ``None`` when writing to a stream.

    Examples
    --------
    >>> import io, pandas as pd, prioritize as pz
    >>> ev = pz.evaluate_example()
    >>> buffer = io.StringIO()
    >>> _ = export_ranking(ev, buffer, "csv")
    >>> back = pd.read_csv(io.StringIO(buffer.getvalue()))
    >>> bool((back["score"].to_numpy() == ev.table["score"].to_numpy()).all())
    True
    """
    if format not in FORMATS:
        raise ValidationError(
            Problem(
                "unknown export format",
                column="format",
                value=str(format),
                expected=" or ".join(FORMATS),
            )
        )
    text = (
        _csv(evaluation, formula_safe)
        if format == "csv"
        else _json(evaluation, utc_time(generated_at))
    )
    if isinstance(path_or_buffer, str | os.PathLike):
        target = Path(path_or_buffer)
        with atomic_write(target) as stream:
            stream.write(text.encode("utf-8"))
        return target
    if isinstance(path_or_buffer, io.TextIOBase) or hasattr(path_or_buffer, "encoding"):
        cast(IO[str], path_or_buffer).write(text)
    else:
        cast(IO[bytes], path_or_buffer).write(text.encode("utf-8"))
    return None
