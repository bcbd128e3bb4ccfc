"""A round's budget in the store: set by the facilitator, read by everyone in the round;
the optimal portfolio under it follows the council's decisions (rejected ones out, approved
ones kept in), and approving a requirement outside it is an override that needs a
rationale."""

from __future__ import annotations

import pytest

from prioritize.council.decisions import AGREEING_OUTCOMES
from prioritize.errors import PermissionDenied, ValidationError
from prioritize.store import Session
from tests.conftest import ExampleCouncil


def _facilitator(example_council: ExampleCouncil) -> Session:
    return example_council.store().session("m01", "m01-demo")


def test_the_facilitator_sets_a_budget_everyone_reads(example_council: ExampleCouncil) -> None:
    facilitator = _facilitator(example_council)
    round_id = example_council.example.round.id
    assert facilitator.budget(round_id) is None
    set_ = facilitator.set_budget(round_id, 1_500_000, capacity=900, value="benefit")
    member = example_council.store().session("m02", "m02-demo")
    read = member.budget(round_id)
    assert read is not None and read.budget == 1_500_000 and read.capacity == 900
    assert read.value == "benefit" and read.set_by == "m01" and read == set_
    with pytest.raises(PermissionDenied):
        member.set_budget(round_id, 10)
    with pytest.raises(ValidationError, match="budget must be a number of 0 or more"):
        facilitator.set_budget(round_id, -5)
    with pytest.raises(ValidationError, match="value"):
        facilitator.set_budget(round_id, 5, value="score")


def test_approving_outside_the_optimal_portfolio_needs_a_rationale(
    example_council: ExampleCouncil,
) -> None:
    facilitator = _facilitator(example_council)
    round_id = example_council.example.round.id
    assert facilitator.optimal_portfolio(round_id) is None  # no budget yet
    facilitator.set_budget(round_id, 2_000_000)
    optimal = facilitator.optimal_portfolio(round_id)
    assert optimal is not None and optimal.feasible
    assert optimal.total_cost <= 2_000_000
    table = facilitator.evaluation(round_id).table
    cost = optimal.table["cost"]
    outside = sorted(
        (r for r in table.index if r not in optimal.selected and not table.at[r, "mandatory"]),
        key=lambda r: float(cost[r]),
    )  # the cheapest first: approving it must still leave a portfolio that fits
    inside = [
        r for r in optimal.selected if "approve" in AGREEING_OUTCOMES[str(table.at[r, "category"])]
    ]
    assert outside and inside
    with pytest.raises(ValidationError, match="outside the optimal portfolio"):
        facilitator.record_decision(round_id, outside[0], "approve")
    entry = facilitator.record_decision(
        round_id, outside[0], "approve", rationale="the regulator asked for it by name"
    )
    assert entry.override
    assert not facilitator.record_decision(round_id, inside[0], "approve").override
    # the approved one is now kept in; a rejected one leaves the next portfolio
    after = facilitator.optimal_portfolio(round_id)
    assert after is not None and outside[0] in after.selected
    facilitator.record_decision(round_id, inside[0], "reject", rationale="changed our minds")
    again = facilitator.optimal_portfolio(round_id)
    assert again is not None and inside[0] not in again.selected
    assert example_council.store().verify_log().ok


def test_the_portfolio_is_hidden_until_the_reveal(example_council: ExampleCouncil) -> None:
    facilitator = _facilitator(example_council)
    blind = facilitator.start_from(example_council.example.round.id, "Blind")
    facilitator.set_budget(blind.id, 1_000_000)
    with pytest.raises(PermissionDenied, match="reveals"):
        facilitator.optimal_portfolio(blind.id)
