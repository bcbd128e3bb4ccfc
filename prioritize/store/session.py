"""An authenticated member acting on the store: every method checks the role and the round's
state inside its own unit of work and raises :class:`~prioritize.errors.PermissionDenied`
for what the role does not allow (see :mod:`prioritize.store.records` for the model).

A session holds no connection, only the database path and the member id, so a page may
keep it across reruns and threads; the member's role is re-read in every unit of work, so
a change of role takes effect at once.
"""

# Longer than 400 lines because Session is the store's one permission boundary: every
# action a member may take, each a few lines, read in one place (the facilitator's set-up
# actions are in administration.py, the weights in weighting.py, the budget in
# budgeting.py).

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import fields
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from prioritize.council.decisions import DecisionEntry
from prioritize.council.effects import check_effects, effects_text
from prioritize.council.round_diff import RoundDiff, round_diff
from prioritize.errors import PermissionDenied, Problem, ValidationError
from prioritize.load.files import Source, Upload
from prioritize.model.council import Member, Members, Requirements
from prioritize.model.criteria import CriteriaSet
from prioritize.model.evaluation import Evaluation
from prioritize.model.scorecard import ExpectedEffect
from prioritize.store import (
    connection,
    history,
    log,
    outcomes,
    scores,
    settings,
    signin,
    snapshots,
    websessions,
)
from prioritize.store import rounds as rounds_module
from prioritize.store.administration import CouncilAdministration
from prioritize.store.budgeting import CouncilBudget
from prioritize.store.connection import Db
from prioritize.store.passcodes import check_passcode, hash_passcode, verify_passcode
from prioritize.store.permissions import require_role, require_round, require_state
from prioritize.store.records import Actor, RoundInfo, ScoreCell, ScoreRecord
from prioritize.store.tracking import CouncilOutcomes
from prioritize.store.weighting import CouncilWeighting

__all__ = ["Session"]

T = TypeVar("T")
_FACILITATOR = ("facilitator",)
#: Only :meth:`Store.session` holds this, after checking the passcode: a session cannot be
#: made up by calling the constructor with a member id.
AUTHENTICATED = object()


class Session(CouncilAdministration, CouncilWeighting, CouncilBudget, CouncilOutcomes):
    """What one authenticated member may do. Get one from :meth:`Store.session`."""

    __slots__ = ("_connect", "member_id")

    def __init__(self, connect: Callable[[], Any], member_id: str, token: object) -> None:
        if token is not AUTHENTICATED:
            raise PermissionDenied("a session comes from Store.session(member_id, passcode)")
        self._connect = connect
        self.member_id = member_id

    def __repr__(self) -> str:
        return f"Session(member_id={self.member_id!r})"

    # --- units of work ---------------------------------------------------------------------

    def _actor(self, conn: Db, *, pending_ok: bool = False) -> Actor:
        row = conn.execute(
            """SELECT id, name, department, role, must_change_passcode, active
               FROM members WHERE id = ?""",
            (self.member_id,),
        ).fetchone()
        if row is None:
            raise PermissionDenied(f"member {self.member_id} no longer exists")
        if not row["active"]:
            # takes effect at once, also on a page that was open when it happened
            raise PermissionDenied(f"{self.member_id} is no longer an active council member")
        if row["must_change_passcode"] and not pending_ok:
            # enforced here, not only on the page: a one-time passcode opens nothing else
            raise PermissionDenied(
                f"{self.member_id} signed in with a one-time passcode: choose your own "
                "passcode first (the page asks, or 'prioritize member passcode')"
            )
        return Actor(row["id"], row["name"], row["department"], row["role"])

    @contextmanager
    def _write(self, *, pending_ok: bool = False) -> Iterator[tuple[Db, Actor]]:
        with self._connect() as conn, connection.write(conn):
            yield conn, self._actor(conn, pending_ok=pending_ok)

    @contextmanager
    def _read(self, *, pending_ok: bool = False) -> Iterator[tuple[Db, Actor]]:
        with self._connect() as conn, connection.read(conn):
            yield conn, self._actor(conn, pending_ok=pending_ok)

    def _facilitate(
        self,
        round_id: int,
        action: str,
        states: Iterable[str],
        work: Callable[[Db, Actor, RoundInfo], T],
    ) -> T:
        with self._write() as (conn, actor):
            require_role(actor, _FACILITATOR, action)
            info = require_round(conn, actor, round_id)
            require_state(info, tuple(states), action)
            return work(conn, actor, info)

    @property
    def member(self) -> Member:
        """Who is acting, as the database says now."""
        with self._read(pending_ok=True) as (_, actor):
            return Member(actor.id, actor.name, actor.department, actor.role)

    @property
    def must_change_passcode(self) -> bool:
        """Whether the member still has the one-time passcode someone else chose."""
        with self._read(pending_ok=True) as (conn, actor):
            row = conn.execute(
                "SELECT must_change_passcode FROM members WHERE id = ?", (actor.id,)
            ).fetchone()
            return bool(row[0])

    def change_passcode(self, old: str, new: str) -> None:
        """Change one's own passcode (the old one is checked first; the new one must follow
        :func:`~prioritize.store.passcodes.check_passcode` and differ from the old)."""
        with self._write(pending_ok=True) as (conn, actor):
            row = conn.execute(
                "SELECT passcode_salt, passcode_hash FROM members WHERE id = ?", (actor.id,)
            ).fetchone()
            if not verify_passcode(old, row["passcode_salt"], row["passcode_hash"]):
                raise PermissionDenied("wrong passcode")
            if new == old:
                raise ValidationError(
                    Problem(
                        "the new passcode is the old one",
                        row=actor.id,
                        column="passcode",
                        expected="a new passcode",
                    )
                )
            check_passcode(new, actor.id, demo=settings.is_demo(conn))
            salt, hashed = hash_passcode(new)
            conn.execute(
                """UPDATE members SET passcode_salt = ?, passcode_hash = ?,
                                      must_change_passcode = 0 WHERE id = ?""",
                (salt, hashed, actor.id),
            )
            # every browser signed in with the old passcode signs in again
            websessions.revoke_member(conn, actor.id)

    def remember(self) -> str:
        """A token that lets this browser resume the session (:meth:`Store.resume`) until
        the member signs out, changes passcode, is deactivated, or leaves it idle. Keep it
        in a cookie, never in a URL; the store keeps only its hash."""
        with self._write(pending_ok=True) as (conn, actor):
            return websessions.issue(conn, actor.id)

    def sign_in_attempts(self) -> pd.DataFrame:
        """Members with wrong passcodes in a row (facilitator): ``failures, last_failure,
        locked_until`` by member id."""
        with self._read() as (conn, actor):
            require_role(actor, _FACILITATOR, "see sign-in attempts")
            return signin.attempts(conn)

    # --- facilitator -----------------------------------------------------------------------

    def register_member(
        self, member_id: str, name: str, department: str, role: str, passcode: str
    ) -> Member:
        """Add a member to the council (facilitator). The passcode is one-time: the member
        must choose their own at first sign-in."""
        with self._write() as (conn, actor):
            require_role(actor, _FACILITATOR, "register members")
            return rounds_module.register_member(
                conn, member_id, name, department, role, passcode, one_time=True
            )

    def create_round(
        self,
        name: str,
        criteria: str | Path | Mapping[str, Any] | Upload,
        requirements: Requirements | Source,
        *,
        members: Iterable[str] | None = None,
        aggregation: str = "mean",
    ) -> RoundInfo:
        """Create a round in draft (facilitator).

        Parameters
        ----------
        criteria
            A bundled criteria set's name, a YAML path, a parsed mapping or an uploaded
            YAML file; its text is kept as the round's snapshot.
        requirements
            The requirements to score (file, DataFrame or Requirements).
        members
            Council member ids taking part (default: the whole council).
        """
        with self._write() as (conn, actor):
            require_role(actor, _FACILITATOR, "create rounds")
            return rounds_module.create_round(
                conn, actor.id, name, criteria, requirements, members, aggregation
            )

    def start_from(self, previous_round_id: int, name: str | None = None) -> RoundInfo:
        """A new draft round from a previous one: same criteria, weights, requirements and
        members, new scores (facilitator)."""
        with self._write() as (conn, actor):
            require_role(actor, _FACILITATOR, "create rounds")
            previous = require_round(conn, actor, previous_round_id)
            return rounds_module.start_from(conn, actor.id, previous, name)

    def add_member(self, round_id: int, member_id: str) -> RoundInfo:
        """Add a council member to a round before the reveal (facilitator)."""

        def work(conn: Db, actor: Actor, info: RoundInfo) -> RoundInfo:
            rounds_module.add_round_member(conn, info, member_id)
            return require_round(conn, actor, info.id)

        return self._facilitate(round_id, "add members to a round", ("draft", "scoring"), work)

    def set_weights(self, round_id: int, weights: Mapping[str, float]) -> pd.Series:
        """Change the round's criteria weights (facilitator; not once decided)."""
        return self._facilitate(
            round_id,
            "change weights",
            ("draft", "scoring", "debate"),
            lambda conn, actor, info: rounds_module.set_weights(conn, info, weights, actor.id),
        )

    def start_scoring(self, round_id: int) -> RoundInfo:
        """draft -> scoring: members score blind (facilitator)."""
        return self._advance(round_id, "scoring", "open scoring")

    def reveal(self, round_id: int) -> RoundInfo:
        """scoring -> debate: everyone sees every score with its reason (facilitator)."""
        return self._advance(round_id, "debate", "reveal scores")

    def close(self, round_id: int) -> RoundInfo:
        """debate -> decided: the round is locked (facilitator)."""
        return self._advance(round_id, "decided", "close the round")

    def _advance(self, round_id: int, to_state: str, action: str) -> RoundInfo:
        with self._write() as (conn, actor):
            require_role(actor, _FACILITATOR, action)
            return rounds_module.advance(conn, require_round(conn, actor, round_id), to_state)

    def record_decision(
        self,
        round_id: int,
        requirement_id: str,
        outcome: str,
        *,
        rationale: str = "",
        dissent: str = "",
        effects: Iterable[ExpectedEffect] = (),
    ) -> DecisionEntry:
        """Append a decision to the log (facilitator, during the debate).

        The entry records the model's category and rank now, the hash of the weights and
        scores behind them, and whether the outcome overrides the category's usual
        response (then ``rationale`` is mandatory). An approval may state the ``effects``
        it expects on the council's scorecard (each with a rationale): they are part of
        the entry and its hash.
        """
        wanted = tuple(effects)

        def work(conn: Db, actor: Actor, info: RoundInfo) -> DecisionEntry:
            text = None
            if wanted:
                checked = check_effects(wanted, outcomes.current_scorecard(conn), outcome=outcome)
                text = effects_text(checked)
            return log.append_decision(
                conn, actor, info, requirement_id, outcome, rationale, dissent, text
            )

        return self._facilitate(round_id, "record decisions", ("debate",), work)

    # --- members: own scores and comments ---------------------------------------------------

    def submit_score(
        self,
        round_id: int,
        requirement_id: str,
        criterion: str,
        score: float,
        reason: str = "",
        *,
        version: int | None = None,
    ) -> ScoreRecord:
        """Write one's own score. New: ``version=None``; a change names the version read.

        Raises
        ------
        ValidationError
            Unknown requirement or criterion, or a score that is not a number inside the
            criterion's scale.
        ConflictError
            The score exists (when new) or changed since it was read (when a change).
        PermissionDenied
            Not a scoring member of the round, or the round does not take scores.
        """
        cell = ScoreCell(requirement_id, criterion, score, reason, version)
        return self.submit_scores(round_id, [cell])[0]

    def submit_scores(self, round_id: int, cells: Sequence[ScoreCell]) -> list[ScoreRecord]:
        """Write a block of one's own scores (a pasted range, a form) in one transaction:
        every cell is checked first, with the score loader's scale check, and either all are
        written or none (a :class:`ValidationError` names every bad cell; a
        :class:`ConflictError` on any cell writes nothing)."""
        with self._write() as (conn, actor):
            info = require_round(conn, actor, round_id)
            return scores.submit_scores(conn, actor, info, list(cells))

    def import_scores(self, round_id: int, source: Source, *, replace: bool = False) -> int:
        """Import one's own scores (every row must be the acting member's), all or nothing.
        Existing scores are a conflict unless ``replace``."""
        with self._write() as (conn, actor):
            info = require_round(conn, actor, round_id)
            return scores.import_scores(conn, actor, info, source, replace)

    def add_comment(self, round_id: int, requirement_id: str, body: str) -> int:
        """Comment on a requirement (members and facilitators of the round)."""
        with self._write() as (conn, actor):
            info = require_round(conn, actor, round_id)
            return scores.add_comment(conn, actor, info, requirement_id, body)

    # --- reads ------------------------------------------------------------------------------

    def rounds(self) -> pd.DataFrame:
        """The rounds this member may see, newest first."""
        with self._read() as (conn, actor):
            sql = "SELECT id FROM rounds"
            params: tuple[str, ...] = ()
            if actor.role == "member":
                sql += " WHERE id IN (SELECT round_id FROM round_members WHERE member_id = ?)"
                params = (actor.id,)
            ids = [int(r[0]) for r in conn.execute(sql + " ORDER BY id DESC", params)]
            infos = [require_round(conn, actor, i) for i in ids]
        columns = [f.name for f in fields(RoundInfo)]
        return pd.DataFrame(
            [[getattr(i, c) for c in columns] for i in infos], columns=columns
        ).set_index("id")

    def round(self, round_id: int) -> RoundInfo:
        """One round."""
        with self._read() as (conn, actor):
            return require_round(conn, actor, round_id)

    def _round_read(self, round_id: int, work: Callable[[Db, Actor, RoundInfo], T]) -> T:
        with self._read() as (conn, actor):
            return work(conn, actor, require_round(conn, actor, round_id))

    def criteria(self, round_id: int) -> CriteriaSet:
        """The round's criteria set with its current weights."""
        return self._round_read(round_id, lambda c, _, i: snapshots.round_criteria(c, i))

    def requirements(self, round_id: int) -> Requirements:
        """The round's requirements."""
        return self._round_read(round_id, lambda c, _, i: snapshots.round_requirements(c, i))

    def members(self, round_id: int) -> Members:
        """The round's members (id, name, department, role)."""
        return self._round_read(round_id, lambda c, _, i: snapshots.round_members(c, i))

    def scores(self, round_id: int) -> pd.DataFrame:
        """Scores this member may read: only their own while scoring, all once revealed.
        Columns: ``requirement_id, member, criterion, score, reason, time, version``."""
        return self._round_read(round_id, scores.visible_scores)

    def score_history(self, round_id: int) -> pd.DataFrame:
        """Every value each score ever had, oldest first, under the blind rule of
        :meth:`scores` (only one's own while scoring). Columns: ``requirement_id, member,
        criterion, score, reason, time, version``."""

        def read(conn: Db, actor: Actor, info: RoundInfo) -> pd.DataFrame:
            member = None if info.revealed else actor.id
            return history.score_history(conn, info.id, member)

        return self._round_read(round_id, read)

    def revision(self, round_id: int) -> str:
        """A key that changes whenever the round changes (scores, comments, decisions,
        weights, members, state): cache results on it."""
        return self._round_read(round_id, lambda c, _, i: snapshots.round_revision(c, i))

    def progress(self, round_id: int) -> pd.DataFrame:
        """Who has scored how many of their expected scores (counts, not values)."""
        return self._round_read(round_id, lambda c, _, i: scores.progress(c, i))

    def comments(self, round_id: int) -> pd.DataFrame:
        """Comments this member may read (the blind rule of scores applies)."""
        return self._round_read(round_id, scores.visible_comments)

    def evaluation(self, round_id: int, *, aggregation: str | None = None) -> Evaluation:
        """The round's evaluation from the database (once revealed: it shows the group's
        view, which would break the blind rule while scoring)."""

        def work(conn: Db, actor: Actor, info: RoundInfo) -> Evaluation:
            if not info.revealed:
                raise PermissionDenied(
                    f"round {info.id} is {info.state}: the group's results "
                    f"are hidden until the facilitator reveals the scores"
                )
            return snapshots.round_evaluation(conn, info, aggregation)

        return self._round_read(round_id, work)

    def round_diff(self, round_a: int, round_b: int) -> RoundDiff:
        """What moved between two revealed rounds, and which scores and weights moved it."""
        return round_diff(self.evaluation(round_a), self.evaluation(round_b))

    def decisions(self, round_id: int | None = None) -> pd.DataFrame:
        """The decision log (one round's entries, when given), in order."""
        with self._read() as (conn, actor):
            if round_id is not None:
                require_round(conn, actor, round_id)
            entries = log.log_entries(conn, round_id)
            if actor.role == "member" and round_id is None:
                mine = {
                    int(r[0])
                    for r in conn.execute(
                        "SELECT round_id FROM round_members WHERE member_id = ?", (actor.id,)
                    )
                }
                entries = [e for e in entries if e.round_id in mine]
            return log.log_frame(entries)
