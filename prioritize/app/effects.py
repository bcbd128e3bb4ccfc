"""The expected effects an approval may state on the Decide page: a few rows, each a
measure of the council's scorecard, the change expected in its unit, by when, and why. The
store checks them (:func:`prioritize.council.effects.check_effects`) when the decision is
recorded and says what is missing (a change, a rationale)."""

from __future__ import annotations

import datetime as dt
import math

import streamlit as st

from prioritize.app import state
from prioritize.model.scorecard import ExpectedEffect
from prioritize.store import Session

__all__ = ["expected_effects"]


def expected_effects(current: Session, form: tuple[object, ...]) -> list[ExpectedEffect]:
    """The effects typed for this approval (``form`` keys the widgets: a fresh form per
    requirement and recording)."""
    card = current.scorecard()
    with st.expander("Expected effects on the scorecard (optional)"):
        st.caption(
            "Improvement is not assumed: say what this approval should change, in the "
            "measure's unit (e.g. first-time-right +8 points by the end of Q3), and why. "
            "The Scorecard page compares it with the readings once it goes live."
        )
        count = st.number_input(
            "Measures it should move",
            min_value=0,
            max_value=len(card),
            value=0,
            step=1,
            key=state.key("decide-effects", *form),
        )
        effects = []
        for row in range(int(count)):
            left, middle, right = st.columns([2, 1, 1])
            measure = left.selectbox(
                f"Measure {row + 1}",
                card.ids,
                index=min(row, len(card) - 1),
                format_func=lambda m: (
                    f"{card[m].name} ({card[m].unit}, {card[m].direction} is better)"
                ),
                key=state.key("decide-effect-measure", *form, row),
            )
            change = middle.number_input(
                "Change expected",
                value=None,
                step=0.5,
                key=state.key("decide-effect-change", *form, row),
                help="Signed, in the measure's unit: +8 for 8 points up, -1.5 for 1.5 down.",
            )
            by = right.date_input(
                "By",
                value=None,
                # an approval recorded late may name a date already past
                min_value=dt.date(2000, 1, 1),
                max_value=dt.date.today() + dt.timedelta(days=3653),
                key=state.key("decide-effect-by", *form, row),
            )
            rationale = st.text_input(
                "Why the council expects it",
                max_chars=2000,
                key=state.key("decide-effect-rationale", *form, row),
            )
            effects.append(
                ExpectedEffect(
                    str(measure),
                    math.nan if change is None else float(change),
                    by if isinstance(by, dt.date) else None,
                    str(rationale),
                )
            )
    return effects
