"""Pure computations for the pages, cached with ``st.cache_data`` on the round's revision.

A revision changes with every score, weight or state change of the round, so a cached
result is never stale, and a rerun that changed nothing recomputes nothing. Mutable council
state (who is signed in, the round's state) is never cached here. Arguments starting with
an underscore are not part of the cache key (the session is only a way to read the store).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from prioritize.engine.evaluate import evaluate
from prioritize.model.evaluation import Evaluation
from prioritize.store import Session


def revision(current: Session, round_id: int) -> str:
    """The round's revision (changes whenever anything the results rest on changes)."""
    return current.revision(round_id)


def round_key(current: Session, round_id: int) -> tuple[str, str]:
    """``(database, revision)``: with the round id, what every cached result of a round is
    keyed on."""
    from prioritize.app import state

    return str(state.store().path), revision(current, round_id)


@st.cache_data(show_spinner=False, max_entries=64)
def evaluation(
    _session: Session, db: str, round_id: int, revision: str, aggregation: str | None = None
) -> Evaluation:
    """The round's evaluation (only once revealed: the store refuses before)."""
    return _session.evaluation(round_id, aggregation=aggregation)


@st.cache_data(show_spinner=False, max_entries=256)
def reweighted(
    _session: Session, db: str, round_id: int, revision: str, weights: tuple[tuple[str, float], ...]
) -> Evaluation:
    """The round's evaluation under other weights (the sensitivity sliders)."""
    base = evaluation(_session, db, round_id, revision)
    return evaluate(
        base.criteria.with_weights(dict(weights)),
        base.requirements,
        base.scores,
        members=base.members,
        aggregation=base.aggregation,
    )


@st.cache_data(show_spinner=False, max_entries=64)
def visible_scores(
    _session: Session, db: str, round_id: int, revision: str, member: str
) -> pd.DataFrame:
    """The scores this member may read (own only while scoring; everyone's after)."""
    return _session.scores(round_id)


def weights_key(weights: Mapping[str, float]) -> tuple[tuple[str, float], ...]:
    """Weights as a hashable, order-independent cache key."""
    return tuple(sorted((k, round(float(v), 12)) for k, v in weights.items()))


#: SMAA used for debate flags: weights drawn around the council's own (a Dirichlet centred
#: on them), so a flag means "fragile under weights close to ours", not "under any weights".
FLAG_SMAA = {"samples": 2_000, "weights": "council", "seed": 0}


@st.cache_data(show_spinner=False, max_entries=64)
def disagreement(_session: Session, db: str, round_id: int, revision: str) -> pd.DataFrame:
    """Spread, rwg and polarisation per requirement x criterion."""
    from prioritize.council.agreement import disagreement as compute

    return compute(evaluation(_session, db, round_id, revision))


@st.cache_data(show_spinner=False, max_entries=64)
def viewpoints(_session: Session, db: str, round_id: int, revision: str) -> pd.DataFrame:
    """Each department's view: category and rank per requirement x department."""
    from prioritize.sensitivity import viewpoints as compute

    return compute(evaluation(_session, db, round_id, revision)).table


@st.cache_data(show_spinner=False, max_entries=32)
def smaa(
    _session: Session,
    db: str,
    round_id: int,
    revision: str,
    *,
    samples: int,
    weights: str,
    seed: int,
    resample_members: bool = False,
    weights_override: tuple[tuple[str, float], ...] | None = None,
) -> object:
    """SMAA of the round (optionally under the sliders' weights)."""
    from prioritize.sensitivity import smaa as compute

    ev = (
        reweighted(_session, db, round_id, revision, weights_override)
        if weights_override
        else evaluation(_session, db, round_id, revision)
    )
    return compute(
        ev,
        samples=samples,
        weights=weights,
        seed=seed,  # type: ignore[arg-type]
        resample_members=resample_members,
    )


@st.cache_data(show_spinner=False, max_entries=64)
def debate_flags(_session: Session, db: str, round_id: int, revision: str) -> pd.DataFrame:
    """What the council should talk about, with the reason in words."""
    from prioritize.council.flags import debate_flags as compute

    ev = evaluation(_session, db, round_id, revision)
    views = viewpoints(_session, db, round_id, revision)
    by_department = views.reset_index().pivot(
        index=views.index.names[0], columns=views.index.names[1], values="category"
    )
    result = smaa(_session, db, round_id, revision, **FLAG_SMAA)  # type: ignore[arg-type]
    acceptability = result.category_acceptability  # type: ignore[attr-defined]
    return compute(
        ev,
        viewpoints=by_department,
        acceptability=acceptability,
        spread=disagreement(_session, db, round_id, revision),
    )


@st.cache_data(show_spinner=False, max_entries=64)
def stability(
    _session: Session,
    db: str,
    round_id: int,
    revision: str,
    scope: str,
    k: int | None,
    weights: tuple[tuple[str, float], ...] | None = None,
) -> pd.DataFrame:
    """Exact stability intervals under the council's (or the sliders') weights."""
    from prioritize.sensitivity import stability_intervals

    ev = (
        reweighted(_session, db, round_id, revision, weights)
        if weights
        else evaluation(_session, db, round_id, revision)
    )
    return stability_intervals(ev, scope=scope, k=k)  # type: ignore[arg-type]


@st.cache_data(show_spinner=False, max_entries=64)
def tornado(
    _session: Session,
    db: str,
    round_id: int,
    revision: str,
    weights: tuple[tuple[str, float], ...] | None = None,
) -> pd.DataFrame:
    """The tornado table (per criterion x requirement: score and rank along the sweep)."""
    from prioritize.sensitivity import tornado as compute

    ev = (
        reweighted(_session, db, round_id, revision, weights)
        if weights
        else evaluation(_session, db, round_id, revision)
    )
    return compute(ev)


#: The SMAA behind the workbook's Sensitivity sheet.
WORKBOOK_SMAA = {"samples": 10_000, "weights": "council", "seed": 0}


@st.cache_data(show_spinner=False, max_entries=16)
def workbook(_session: Session, db: str, round_id: int, revision: str) -> bytes:
    """The portfolio workbook of the round (the revision changes with every decision too)."""
    from prioritize.export import portfolio_xlsx

    ev = evaluation(_session, db, round_id, revision)
    result = smaa(_session, db, round_id, revision, **WORKBOOK_SMAA)  # type: ignore[arg-type]
    decisions = _session.decisions(round_id)
    return portfolio_xlsx(
        ev,
        decisions=None if decisions.empty else decisions,
        stability=stability(_session, db, round_id, revision, "category", None),
        acceptability=result.category_acceptability,  # type: ignore[attr-defined]
        smaa_info=WORKBOOK_SMAA,
    )
