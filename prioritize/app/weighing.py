"""The parts of the Weights page that ask a member for their weights: one form per method
(points, SWING, rank order, AHP pairwise), each returning the answer as
:func:`prioritize.weights.elicit` reads it. Nothing here turns answers into weights: the
core does (one rule, one home); the page only shows what the core returns.

Widget keys: ``weights-method``, ``weights-points-<criterion>``,
``weights-swing-<criterion>``, ``weights-rank-<criterion>``, ``weights-ahp-more-<i>-<j>``
and ``weights-ahp-much-<i>-<j>`` (``i < j`` positions of the criteria), ``weights-reason``,
``weights-save``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from prioritize.app.text import plain
from prioritize.model.criteria import CriteriaSet
from prioritize.weights import CONSISTENCY_LIMIT, METHODS, pairs

__all__ = [
    "EQUAL",
    "INTENSITY_WORDS",
    "METHOD_LABELS",
    "answer_form",
    "consistency_words",
    "prefill",
    "swing_table",
]

#: Each method in the council's words.
METHOD_LABELS: Mapping[str, str] = {
    "points": "Points: spread 100 over the criteria",
    "swing": "SWING: rate each swing against the one you value most",
    "rank": "Rank order: put the swings in order",
    "ahp": "Pairwise (AHP): compare the swings two at a time",
}
#: Saaty's words for the odd intensities (the even ones lie between).
INTENSITY_WORDS: Mapping[int, str] = {
    2: "2 · a little more",
    3: "3 · moderately more",
    4: "4 · moderately to strongly",
    5: "5 · strongly more",
    6: "6 · strongly to very strongly",
    7: "7 · very strongly more",
    8: "8 · very to extremely",
    9: "9 · extremely more",
}
EQUAL = "Equal"


def swing_table(criteria: CriteriaSet) -> pd.DataFrame:
    """What each weight is worth: every criterion's swing from its worst to its best level."""
    rows = []
    for c in criteria:
        (worst, worst_text), (best, best_text) = c.swing()
        rows.append(
            {
                "criterion": c.name,
                "from (worst)": f"{worst:g} · {worst_text}" if worst_text else f"{worst:g}",
                "to (best)": f"{best:g} · {best_text}" if best_text else f"{best:g}",
            }
        )
    return pd.DataFrame(rows)


def prefill(criteria: CriteriaSet, method: str, answer_text: str, version: int) -> None:
    """Put a saved proposal's answer into the form, once per version (so a member's edits
    in progress are not overwritten on every run)."""
    marker = f"weights-prefilled-{version}-{method}"
    if st.session_state.get(marker):
        return
    st.session_state[marker] = True
    answer = json.loads(answer_text)
    st.session_state["weights-method"] = method
    ids = list(criteria.ids)
    if method in ("points", "swing", "rank"):
        field = {"points": "points", "swing": "ratings", "rank": "ranks"}[method]
        for cid, value in answer[field].items():
            st.session_state[f"weights-{method}-{cid}"] = (
                int(value) if method == "rank" else float(value)
            )
    elif method == "ahp":
        for more, less, intensity in answer["judgements"]:
            i, j = sorted((ids.index(more), ids.index(less)))
            if float(intensity) == 1:
                st.session_state[f"weights-ahp-more-{i}-{j}"] = EQUAL
            else:
                st.session_state[f"weights-ahp-more-{i}-{j}"] = more
                st.session_state[f"weights-ahp-much-{i}-{j}"] = round(float(intensity))


def answer_form(criteria: CriteriaSet, method: str) -> tuple[dict[str, Any], str | None]:
    """Draw the form of ``method``; returns the answer and, when it is not complete yet,
    what is missing in words (None when complete)."""
    if method not in METHODS:
        raise ValueError(method)
    if method == "ahp":
        return _pairwise(criteria)
    names = {c.id: c.name for c in criteria}
    columns = st.columns(min(3, len(names)))
    values: dict[str, float | None] = {}
    for position, (cid, name) in enumerate(names.items()):
        column = columns[position % len(columns)]
        if method == "points":
            values[cid] = column.number_input(
                plain(name), 0.0, 100.0, value=None, step=1.0, key=f"weights-points-{cid}"
            )
        elif method == "swing":
            values[cid] = column.number_input(
                plain(name), 0.0, 100.0, value=None, step=5.0, key=f"weights-swing-{cid}"
            )
        else:
            values[cid] = column.number_input(
                plain(name), 1, len(names), value=None, step=1, key=f"weights-rank-{cid}"
            )
    missing = [names[c] for c, v in values.items() if v is None]
    field = {"points": "points", "swing": "ratings", "rank": "ranks"}[method]
    answer = {field: {c: v for c, v in values.items() if v is not None}}
    if method == "points":
        total = sum(v for v in values.values() if v is not None)
        st.caption(f"Total: {total:g} of 100 points.")
    return answer, (f"Not answered yet: {', '.join(missing)}." if missing else None)


def _pairwise(criteria: CriteriaSet) -> tuple[dict[str, Any], str | None]:
    ids = list(criteria.ids)
    names = {c.id: c.name for c in criteria}
    judgements: list[list[object]] = []
    open_pairs = 0
    asked = pairs(ids)
    st.caption(
        f"{len(asked)} comparisons. For each pair: which swing, from worst to best, is "
        "worth more to the company, and how much more (Saaty's 1-9 scale)."
    )
    for a, b in asked:
        i, j = ids.index(a), ids.index(b)
        left, right = st.columns([3, 2])
        more = left.radio(
            f"{plain(names[a])} or {plain(names[b])}?",
            [a, EQUAL, b],
            index=None,
            horizontal=True,
            format_func=lambda v: EQUAL if v == EQUAL else plain(names[v]),
            key=f"weights-ahp-more-{i}-{j}",
        )
        if more is None:
            open_pairs += 1
            continue
        if more == EQUAL:
            judgements.append([a, b, 1])
            continue
        much_key = f"weights-ahp-much-{i}-{j}"
        if much_key not in st.session_state:
            st.session_state[much_key] = 3  # "moderately": a neutral start, moved at will
        much = right.select_slider(
            "How much more?",
            list(INTENSITY_WORDS),
            format_func=INTENSITY_WORDS.__getitem__,
            key=much_key,
        )
        judgements.append([more, b if more == a else a, int(much)])
    missing = f"{open_pairs} of {len(asked)} comparisons not answered yet." if open_pairs else None
    return {"judgements": judgements}, missing


def consistency_words(ratio: float) -> str:
    """The consistency ratio in words (Saaty's limit of 0.10)."""
    if ratio <= CONSISTENCY_LIMIT:
        return f"Consistency ratio {ratio:.3f}: consistent (at most {CONSISTENCY_LIMIT:.2f})."
    return (
        f"Consistency ratio {ratio:.3f}: above {CONSISTENCY_LIMIT:.2f}, so the judgements "
        "contradict one another. Look again at the ones listed below."
    )
