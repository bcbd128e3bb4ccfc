"""Pure computations for the pages, cached with ``st.cache_data`` on the round's revision.

A revision changes with every score, weight or state change of the round, so a cached
result is never stale, and a rerun that changed nothing recomputes nothing. Mutable council
state (who is signed in, the round's state) is never cached here. Arguments starting with
an underscore are not part of the cache key (the session is only a way to read the store).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

import pandas as pd
import streamlit as st

from prioritize.council.analysis import (
    WORKBOOK_SMAA,
    FlagInputs,
    flag_inputs,
    reweight,
    round_flags,
)
from prioritize.council.weighing import Proposals, WeightsDebate
from prioritize.council.weighing import weights_debate as run_weights_debate
from prioritize.export.workbook import portfolio_xlsx
from prioritize.export.workbook.benefits import Outcomes
from prioritize.model.evaluation import Evaluation
from prioritize.portfolio import Portfolio
from prioritize.sensitivity.smaa import Acceptability, WeightMode
from prioritize.sensitivity.smaa import smaa as run_smaa
from prioritize.sensitivity.stability import Scope, stability_intervals
from prioritize.sensitivity.sweep import tornado as sweep_tornado
from prioritize.store import Session


def revision(current: Session, round_id: int) -> str:
    """The round's revision (changes whenever anything the results rest on changes)."""
    return current.revision(round_id)


def round_key(current: Session, round_id: int) -> tuple[str, str]:
    """``(database, revision)``: with the round id, what every cached result of a round is
    keyed on."""
    from prioritize.app import state

    return state.store().label, revision(current, round_id)


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
    """The round's evaluation under other weights (the sensitivity sliders), with the
    round's aggregation and trim kept."""
    return reweight(evaluation(_session, db, round_id, revision), dict(weights))


@st.cache_data(show_spinner=False, max_entries=64)
def visible_scores(
    _session: Session, db: str, round_id: int, revision: str, member: str
) -> pd.DataFrame:
    """The scores this member may read (own only while scoring; everyone's after)."""
    return _session.scores(round_id)


def weights_key(weights: Mapping[str, float]) -> tuple[tuple[str, float], ...]:
    """Weights as a hashable, order-independent cache key."""
    return tuple(sorted((k, round(float(v), 12)) for k, v in weights.items()))


@st.cache_data(show_spinner=False, max_entries=64)
def disagreement(_session: Session, db: str, round_id: int, revision: str) -> pd.DataFrame:
    """Spread, agreement and polarisation per requirement x criterion."""
    return flag_parts(_session, db, round_id, revision).spread


@st.cache_data(show_spinner=False, max_entries=64)
def viewpoints(_session: Session, db: str, round_id: int, revision: str) -> pd.DataFrame:
    """Each department's view: category and rank per requirement x department."""
    views = flag_parts(_session, db, round_id, revision).viewpoints
    return pd.DataFrame() if views is None else views.table


@st.cache_data(show_spinner=False, max_entries=64)
def flag_parts(_session: Session, db: str, round_id: int, revision: str) -> FlagInputs:
    """What the round's debate flags rest on (:func:`~prioritize.council.analysis.flag_inputs`)."""
    return flag_inputs(evaluation(_session, db, round_id, revision))


@st.cache_data(show_spinner=False, max_entries=32)
def smaa(
    _session: Session,
    db: str,
    round_id: int,
    revision: str,
    *,
    samples: int,
    weights: WeightMode,
    seed: int,
    resample_members: bool = False,
    weights_override: tuple[tuple[str, float], ...] | None = None,
) -> Acceptability:
    """SMAA of the round (optionally under the sliders' weights); ``weights="members"``
    resamples the members' own weight proposals."""
    ev = (
        reweighted(_session, db, round_id, revision, weights_override)
        if weights_override
        else evaluation(_session, db, round_id, revision)
    )
    members = (
        proposals(_session, db, round_id, revision, _session.member_id).weights
        if weights == "members"
        else None
    )
    return run_smaa(
        ev,
        samples=samples,
        weights=weights,
        seed=seed,
        resample_members=resample_members,
        proposals=members,
    )


@st.cache_data(show_spinner=False, max_entries=64)
def optimal_portfolio(
    _session: Session, db: str, round_id: int, revision: str, strict: bool = False
) -> Portfolio | None:
    """The optimal portfolio under the round's budget with the decisions so far (the
    revision moves with every decision and budget change), None without a budget;
    ``strict`` raises what keeps it from being selected (errors are not cached)."""
    return _session.optimal_portfolio(round_id, strict=strict)


@st.cache_data(show_spinner=False, max_entries=64)
def proposals(_session: Session, db: str, round_id: int, revision: str, member: str) -> Proposals:
    """The weight proposals this member may read (only one's own while scoring: the
    member is part of the key, so one member's cached read never reaches another)."""
    return _session.weight_proposals(round_id)


@st.cache_data(show_spinner=False, max_entries=64)
def weights_debate(
    _session: Session, db: str, round_id: int, revision: str, method: str
) -> WeightsDebate:
    """The council's weights debate (once revealed) under an aggregation."""
    return run_weights_debate(
        proposals(_session, db, round_id, revision, _session.member_id),
        evaluation(_session, db, round_id, revision),
        method,
    )


@st.cache_data(show_spinner=False, max_entries=64)
def debate_flags(_session: Session, db: str, round_id: int, revision: str) -> pd.DataFrame:
    """What the council should talk about, with the reason in words (the one recipe of
    :func:`~prioritize.council.analysis.round_flags`)."""
    return round_flags(
        evaluation(_session, db, round_id, revision), flag_parts(_session, db, round_id, revision)
    )


@st.cache_data(show_spinner=False, max_entries=64)
def stability(
    _session: Session,
    db: str,
    round_id: int,
    revision: str,
    scope: Scope,
    k: int | None,
    weights: tuple[tuple[str, float], ...] | None = None,
) -> pd.DataFrame:
    """Exact stability intervals under the council's (or the sliders') weights."""
    ev = (
        reweighted(_session, db, round_id, revision, weights)
        if weights
        else evaluation(_session, db, round_id, revision)
    )
    return stability_intervals(ev, scope=scope, k=k)


@st.cache_data(show_spinner=False, max_entries=64)
def tornado(
    _session: Session,
    db: str,
    round_id: int,
    revision: str,
    weights: tuple[tuple[str, float], ...] | None = None,
) -> pd.DataFrame:
    """The tornado table (per criterion x requirement: score and rank along the sweep)."""
    ev = (
        reweighted(_session, db, round_id, revision, weights)
        if weights
        else evaluation(_session, db, round_id, revision)
    )
    return sweep_tornado(ev)


def outcomes_key(current: Session) -> str:
    """A fingerprint of the council's scorecard, readings and go-live dates: they belong to
    the council, not to a round, so a round's revision does not move with them (a few
    hundred rows are read and hashed; cheaper than the workbook it keys)."""
    digest = hashlib.sha256(str(current.scorecard().sha256).encode())
    digest.update(current.readings().frame.to_csv(index=False).encode())
    digest.update(repr(current.deliveries()).encode())
    return digest.hexdigest()


@st.cache_data(show_spinner=False, max_entries=16)
def workbook(
    _session: Session, db: str, round_id: int, revision: str, outcomes: str | None = None
) -> bytes:
    """The portfolio workbook of the round (the revision changes with every decision too;
    ``outcomes``, :func:`outcomes_key`, with the readings and go-live dates)."""
    ev = evaluation(_session, db, round_id, revision)
    settings = WORKBOOK_SMAA
    result = smaa(
        _session,
        db,
        round_id,
        revision,
        samples=settings.samples,
        weights=settings.weights,
        seed=settings.seed,
    )
    decisions = _session.decisions(round_id)
    return portfolio_xlsx(
        ev,
        decisions=None if decisions.empty else decisions,
        history=_session.score_history(round_id),  # every earlier value, with its time
        stability=stability(_session, db, round_id, revision, "category", None),
        acceptability=result.category_acceptability,
        smaa_info=settings.as_dict(),
        proposals=proposals(_session, db, round_id, revision, _session.member_id),
        # the optimal portfolio under the round's budget (None without one): cheap; the
        # core index is left to the Portfolio page, where its cost is shown as it runs
        selection=optimal_portfolio(_session, db, round_id, revision),
        outcomes=Outcomes(
            _session.scorecard(), _session.readings(), _session.benefit_realisation()
        ),
    )
