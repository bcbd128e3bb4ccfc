"""The decision log's pure part: overrides, entry hashes, the chain and its verification,
and the evaluation fingerprint."""

from __future__ import annotations

import hashlib
import itertools
import json
from dataclasses import replace

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import prioritize as pz
from prioritize.council.decisions import (
    AGREEING_OUTCOMES,
    GENESIS_HASH,
    OUTCOMES,
    DecisionEntry,
    chain_entry,
    entry_hash,
    evaluation_fingerprint,
    is_override,
    verify_chain,
)
from prioritize.errors import ValidationError
from tests.conftest import make_council


def _log(n: int) -> list[DecisionEntry]:
    entries: list[DecisionEntry] = []
    for i in range(n):
        entries.append(
            chain_entry(
                entries[-1] if entries else None,
                round_id=1,
                requirement_id=f"R{i}",
                outcome=OUTCOMES[i % 4],
                category=pz.CATEGORIES[i % 6],
                rank=i + 1,
                rationale=f"because {i}",
                decided_by="f01",
                dissent="",
                decided_at=f"2025-01-0{i % 9 + 1}T00:00:00+00:00",
                basis_sha256="ab" * 32,
                override=False,
            )
        )
    return entries


# --- overrides ---------------------------------------------------------------------------


def test_every_category_has_an_agreeing_outcome() -> None:
    assert set(AGREEING_OUTCOMES) == set(pz.CATEGORIES) == set(pz.USUAL_RESPONSE)
    assert all(outcomes and outcomes <= set(OUTCOMES) for outcomes in AGREEING_OUTCOMES.values())


@pytest.mark.parametrize(
    ("category", "agreeing"),
    [
        ("Immediate control", {"approve"}),
        ("High-value improvement", {"approve"}),
        ("Strategic investment", {"approve", "postpone"}),
        ("Limited enhancement", {"approve", "postpone"}),
        ("Low-value request", {"reject", "postpone"}),
        ("Harmful requirement", {"remove", "reject"}),
    ],
)
def test_override_follows_the_usual_response(category: str, agreeing: set[str]) -> None:
    for outcome in OUTCOMES:
        assert is_override(outcome, category) == (outcome not in agreeing)
        assert is_override(outcome, category, mandatory=True) == (outcome != "approve")


def test_unknown_outcome_or_category() -> None:
    with pytest.raises(ValidationError, match="unknown outcome"):
        is_override("maybe", "Immediate control")
    with pytest.raises(ValidationError, match="unknown category"):
        is_override("approve", "Urgent")


# --- hashes and the chain ------------------------------------------------------------------


def test_entry_hash_is_sha256_of_the_canonical_json() -> None:
    entry = _log(1)[0]
    payload = {
        "round_id": 1,
        "requirement_id": "R0",
        "outcome": "approve",
        "category": "Immediate control",
        "rank": 1,
        "rationale": "because 0",
        "decided_by": "f01",
        "dissent": "",
        "decided_at": "2025-01-01T00:00:00+00:00",
        "basis_sha256": "ab" * 32,
        "override": False,
        "previous_hash": GENESIS_HASH,
    }
    brute = hashlib.sha256(
        json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    ).hexdigest()
    assert entry.entry_hash == brute == entry_hash(entry)
    assert entry.previous_hash == GENESIS_HASH and entry.seq == 1


def test_a_chain_links_every_entry_to_the_previous_one() -> None:
    log = _log(5)
    assert [e.seq for e in log] == [1, 2, 3, 4, 5]
    assert all(b.previous_hash == a.entry_hash for a, b in itertools.pairwise(log))
    check = verify_chain(log)
    assert check.ok and check.entries == 5 and check.head == log[-1].entry_hash
    assert verify_chain([]).ok


@settings(max_examples=60, deadline=None)
@given(n=st.integers(2, 8), data=st.data())
def test_any_single_edit_is_found_at_that_entry(n: int, data: st.DataObject) -> None:
    log = _log(n)
    i = data.draw(st.integers(0, n - 1))
    field = data.draw(
        st.sampled_from(
            [
                "outcome",
                "rationale",
                "decided_by",
                "dissent",
                "rank",
                "override",
                "basis_sha256",
                "category",
            ]
        )
    )
    old = getattr(log[i], field)
    new = (not old) if isinstance(old, bool) else old + 1 if isinstance(old, int) else old + "x"
    tampered = [*log[:i], replace(log[i], **{field: new}), *log[i + 1 :]]
    check = verify_chain(tampered)
    assert not check.ok and check.bad_seq == log[i].seq and "edited" in check.reason


@settings(max_examples=60, deadline=None)
@given(n=st.integers(2, 8), data=st.data())
def test_any_deletion_or_swap_is_found(n: int, data: st.DataObject) -> None:
    log = _log(n)
    i = data.draw(st.integers(0, n - 1))
    removed = [*log[:i], *log[i + 1 :]]
    check = verify_chain(removed, expected_count=n)
    assert not check.ok
    j = data.draw(st.integers(0, n - 2))
    swapped = [*log[:j], log[j + 1], log[j], *log[j + 2 :]]
    check = verify_chain(swapped)
    assert not check.ok and check.bad_seq == log[j + 1].seq


def test_a_truncated_log_needs_its_head_to_tell() -> None:
    log = _log(4)
    assert verify_chain(log[:3]).ok  # a chain alone cannot see its cut-off end
    check = verify_chain(log[:3], expected_count=4)
    assert not check.ok and "after entry 3" in check.reason
    assert not verify_chain(log[:3], expected_head=log[-1].entry_hash).ok


# --- the fingerprint -----------------------------------------------------------------------


def _evaluation(scores: pd.DataFrame) -> pz.Evaluation:
    requirements, _, members = make_council(6, 4, seed=3)
    return pz.evaluate("customer-operations", requirements, scores, members=members)


def test_fingerprint_ignores_row_order_and_reasons() -> None:
    _, scores, _ = make_council(6, 4, seed=3)
    base = evaluation_fingerprint(_evaluation(scores))
    shuffled = scores.sample(frac=1.0, random_state=7).reset_index(drop=True)
    assert evaluation_fingerprint(_evaluation(shuffled)) == base
    assert evaluation_fingerprint(_evaluation(scores.assign(reason="why not"))) == base


def test_fingerprint_moves_with_any_score_or_weight() -> None:
    _, scores, _ = make_council(6, 4, seed=3)
    evaluation = _evaluation(scores)
    base = evaluation_fingerprint(evaluation)
    nudged = scores.copy()
    nudged.loc[11, "score"] = 1.0 if nudged.loc[11, "score"] != 1.0 else 2.0
    assert evaluation_fingerprint(_evaluation(nudged)) != base
    reweighted = pz.evaluate(
        evaluation.criteria.with_weights({"customer_impact": 0.3}),
        evaluation.requirements,
        evaluation.scores,
        members=evaluation.members,
    )
    assert evaluation_fingerprint(reweighted) != base
    median = pz.evaluate(
        evaluation.criteria,
        evaluation.requirements,
        evaluation.scores,
        members=evaluation.members,
        aggregation="median",
    )
    assert evaluation_fingerprint(median) != base
