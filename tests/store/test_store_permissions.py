"""The permission matrix: every role x every action, enforced inside the store API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest

from prioritize.errors import PermissionDenied
from prioritize.store import ScoreCell, Session, Store
from tests.conftest import tiny_criteria_mapping
from tests.databases import raw
from tests.store.council import REQUIREMENTS, Council, passcode, scores_frame

Action = Callable[[Session, Council], Any]

#: Who acts: the role, as a member id of the template council. "outsider" is a member who
#: belongs to no round.
ROLES = {"facilitator": "f01", "member": "m01", "observer": "o01", "outsider": "x01"}
FACILITATOR = {"facilitator"}
SCORER = {"facilitator", "member"}
READER = {"facilitator", "member", "observer"}
#: Council-wide reads (the scorecard and what it says): every active council member.
COUNCIL = READER | {"outsider"}
A_DAY = dt.date(2026, 1, 1)


def _own_scores(s: Session, c: Council) -> int:
    frame = scores_frame("f01").iloc[4:6].assign(member=s.member_id)
    return s.import_scores(c.scoring, frame)


ACTIONS: dict[str, tuple[Action, set[str]]] = {
    "register a member": (
        lambda s, c: s.register_member("n01", "New", "HR", "member", "n01-passcode"),
        FACILITATOR,
    ),
    "create a round": (
        lambda s, c: s.create_round("R", tiny_criteria_mapping(), REQUIREMENTS),
        FACILITATOR,
    ),
    "invite a member": (
        lambda s, c: s.invite_member("n02", "New", "HR", "member", rounds=[c.draft]),
        FACILITATOR,
    ),
    "read the council with roles and status": (lambda s, c: s.council(), FACILITATOR),
    "reset a passcode": (lambda s, c: s.reset_passcode("m02"), FACILITATOR),
    "change a role": (lambda s, c: (s.set_role("m02", "observer"), 1)[1], FACILITATOR),
    "deactivate a member": (lambda s, c: (s.set_active("m02", False), 1)[1], FACILITATOR),
    "replace a draft's requirements": (
        lambda s, c: s.replace_requirements(c.draft, REQUIREMENTS),
        FACILITATOR,
    ),
    "add a requirement to a draft": (
        lambda s, c: s.add_requirement(c.draft, {"id": "R9", "title": "Ninth"}),
        FACILITATOR,
    ),
    "edit a draft's requirement": (
        lambda s, c: (s.edit_requirement(c.draft, "R1", {"title": "First, retitled"}), 1)[1],
        FACILITATOR,
    ),
    "withdraw a draft's requirement": (
        lambda s, c: (s.withdraw_requirement(c.draft, "R1"), 1)[1],
        FACILITATOR,
    ),
    "start a round from another": (lambda s, c: s.start_from(c.debate), FACILITATOR),
    "add a member to a round": (lambda s, c: s.add_member(c.draft, "x01"), FACILITATOR),
    "change weights": (lambda s, c: s.set_weights(c.scoring, {"impact": 0.9}), FACILITATOR),
    "open scoring": (lambda s, c: s.start_scoring(c.draft), FACILITATOR),
    "reveal scores": (lambda s, c: s.reveal(c.scoring), FACILITATOR),
    "close a round": (lambda s, c: s.close(c.debate), FACILITATOR),
    "record a decision": (lambda s, c: s.record_decision(c.debate, "R1", "approve"), FACILITATOR),
    "submit own score": (lambda s, c: s.submit_score(c.scoring, "R3", "impact", 3, "why"), SCORER),
    "submit own block of scores": (
        lambda s, c: s.submit_scores(
            c.scoring, [ScoreCell("R3", "impact", 3, "why"), ScoreCell("R4", "impact", 2)]
        ),
        SCORER,
    ),
    "import own scores": (_own_scores, SCORER),
    "comment": (lambda s, c: s.add_comment(c.scoring, "R1", "a question"), SCORER),
    "read revealed scores": (lambda s, c: s.scores(c.debate), READER),
    "read the revealed score history": (lambda s, c: s.score_history(c.debate), READER),
    "read progress": (lambda s, c: s.progress(c.scoring), READER),
    "read the evaluation": (lambda s, c: s.evaluation(c.debate), READER),
    "read decisions of a round": (lambda s, c: s.decisions(c.debate), READER),
    "read the round's criteria": (lambda s, c: s.criteria(c.scoring), READER),
    "read the round's requirements": (lambda s, c: s.requirements(c.scoring), READER),
    "read the round's members": (lambda s, c: s.members(c.scoring), READER),
    "read comments": (lambda s, c: s.comments(c.debate), READER),
    "compare two rounds": (lambda s, c: s.round_diff(c.debate, c.debate), READER),
    "read the round's revision": (lambda s, c: s.revision(c.scoring), READER),
    "propose own weights": (
        lambda s, c: s.propose_weights(
            c.scoring, "points", {"points": {"impact": 50, "legal": 30, "cost": 20}}, "why"
        ),
        SCORER,
    ),
    "read revealed weight proposals": (lambda s, c: s.weight_proposals(c.debate), READER),
    "set the budget": (lambda s, c: s.set_budget(c.scoring, 1000.0), FACILITATOR),
    "read the budget": (lambda s, c: s.budget(c.scoring) or "none", READER),
    "read the optimal portfolio": (lambda s, c: s.optimal_portfolio(c.debate) or "none", READER),
    "adopt weights": (
        lambda s, c: s.adopt_weights(c.debate, {"impact": 0.5, "legal": 0.3, "cost": 0.2}, "why"),
        FACILITATOR,
    ),
    "set the scorecard": (lambda s, c: s.set_scorecard("customer-operations"), FACILITATOR),
    "import readings": (
        lambda s, c: s.import_readings(
            pd.DataFrame({"date": ["2026-01-01"], "measure": ["complaints"], "value": [4.2]})
        ),
        FACILITATOR,
    ),
    "add a reading": (lambda s, c: (s.add_reading("complaints", A_DAY, 4.2), 1)[1], FACILITATOR),
    "record an event": (lambda s, c: s.add_event(A_DAY, "legal", "a new law"), FACILITATOR),
    "start a round from the triggers": (
        lambda s, c: s.start_from_triggers(c.debate),
        FACILITATOR,
    ),
    "read the scorecard": (lambda s, c: s.scorecard(), COUNCIL),
    "read the readings": (lambda s, c: s.readings(), COUNCIL),
    "read the deliveries": (lambda s, c: s.deliveries(), COUNCIL),
    "read the events": (lambda s, c: s.events(), COUNCIL),
    "read the benefit realisation": (lambda s, c: s.benefit_realisation(), COUNCIL),
    "read the triggers of a round": (lambda s, c: s.triggers(c.debate), READER),
}


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("action", list(ACTIONS))
def test_permission_matrix(council_db: Council, role: str, action: str) -> None:
    work, allowed = ACTIONS[action]
    session = council_db.session(ROLES[role])
    if role in allowed:
        result = work(session, council_db)
        assert result is not None
    else:
        with pytest.raises(PermissionDenied):
            work(session, council_db)


def test_the_matrix_covers_every_public_session_action() -> None:
    public = {name for name in dir(Session) if not name.startswith("_")}
    # Reads that every authenticated member may call without a round, or that the matrix
    # covers under another name.
    exempt = {
        "member",
        "member_id",
        "must_change_passcode",
        "remember",
        "change_passcode",
        "sign_in_attempts",
        "rounds",
        "round",
        "scores",
        "score_history",
        "progress",
        "evaluation",
        "decisions",
        "criteria",
        "requirements",
        "members",
        "comments",
        "round_diff",
        "revision",
        "register_member",
        "invite_member",
        "council",
        "reset_passcode",
        "set_role",
        "set_active",
        "replace_requirements",
        "add_requirement",
        "edit_requirement",
        "withdraw_requirement",
        "create_round",
        "start_from",
        "add_member",
        "set_weights",
        "start_scoring",
        "reveal",
        "close",
        "record_decision",
        "submit_score",
        "submit_scores",
        "import_scores",
        "add_comment",
        "propose_weights",
        "weight_proposals",
        "adopt_weights",
        "set_budget",
        "budget",
        "optimal_portfolio",
        "set_scorecard",
        "import_readings",
        "add_reading",
        "add_event",
        "start_from_triggers",
        "scorecard",
        "readings",
        "deliveries",
        "events",
        "benefit_realisation",
        "triggers",
        "record_go_live",  # test_only_the_facilitator_records_a_go_live
    }
    assert public == exempt, "a new Session method needs a row in the permission matrix"


def test_only_the_facilitator_records_a_go_live(council_db: Council) -> None:
    council_db.session("f01").record_decision(council_db.debate, "R1", "approve")
    for member in ("m01", "o01", "x01"):
        with pytest.raises(PermissionDenied):
            council_db.session(member).record_go_live(council_db.debate, "R1", A_DAY)
    council_db.session("f01").record_go_live(council_db.debate, "R1", A_DAY)
    assert [d.requirement_id for d in council_db.session("o01").deliveries()] == ["R1"]


def test_nobody_imports_other_members_scores(council_db: Council) -> None:
    facilitator = council_db.session("f01")
    with pytest.raises(PermissionDenied, match="only their own scores"):
        facilitator.import_scores(council_db.scoring, scores_frame("m02"))
    assert set(facilitator.scores(council_db.scoring)["member"]) == {"f01"}


def test_wrong_passcode_and_unknown_member_get_the_same_answer(council_db: Council) -> None:
    store = Store(council_db.path)
    with pytest.raises(PermissionDenied) as wrong:
        store.session("m01", "not-the-passcode")
    with pytest.raises(PermissionDenied) as unknown:
        store.session("nobody", passcode("nobody"))
    assert str(wrong.value) == str(unknown.value) == "unknown member or wrong passcode"


def test_a_session_cannot_be_forged(council_db: Council) -> None:
    with pytest.raises(PermissionDenied):
        Session(Store(council_db.path).connect, "f01", object())


def test_a_role_change_takes_effect_in_open_sessions(council_db: Council) -> None:
    member = council_db.session("m01")
    with raw(council_db.path) as conn:
        conn.execute("UPDATE members SET role = 'observer' WHERE id = 'm01'")
    with pytest.raises(PermissionDenied):
        member.submit_score(council_db.scoring, "R3", "impact", 3)


def test_first_facilitator_only_into_an_empty_council(council_db: Council) -> None:
    with pytest.raises(PermissionDenied):
        Store(council_db.path).create_facilitator("f99", "Another", "IT", "f99-passcode")


def test_members_see_only_their_rounds(council_db: Council) -> None:
    outsider = council_db.session("x01")
    assert outsider.rounds().empty
    observer = council_db.session("o01")
    assert set(observer.rounds().index) == {council_db.draft, council_db.scoring, council_db.debate}
    assert isinstance(observer.rounds(), pd.DataFrame)
