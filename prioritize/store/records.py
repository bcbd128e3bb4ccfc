"""The store's result types (actor, round, score record) and its own conflict error."""

from __future__ import annotations

from dataclasses import dataclass

from prioritize.council.rounds import REVEALED
from prioritize.errors import PrioritizeError


class ConflictError(PrioritizeError):
    """A write based on a stale read: the score changed since it was read (optimistic
    concurrency), or a new score collides with an existing one."""


@dataclass(frozen=True, slots=True)
class Actor:
    """The member acting in a unit of work, as the database says now (roles can change)."""

    id: str
    name: str
    department: str
    role: str

    def __str__(self) -> str:
        return f"{self.id} ({self.role})"


@dataclass(frozen=True, slots=True)
class RoundInfo:
    """A round as stored: its state, criteria snapshot and size."""

    id: int
    name: str
    state: str
    criteria_name: str
    criteria_sha256: str
    aggregation: str
    previous_round_id: int | None
    created_by: str
    created_at: str
    updated_at: str
    requirements: int
    members: int

    @property
    def revealed(self) -> bool:
        """Whether every score is visible (debate or decided)."""
        return self.state in REVEALED

    @property
    def locked(self) -> bool:
        """A decided round is locked."""
        return self.state == "decided"


@dataclass(frozen=True, slots=True)
class ScoreRecord:
    """One stored score. ``version`` starts at 1 and grows by one with each change.
    ``abstained``: the member said "cannot judge" (``score`` is then NaN)."""

    round_id: int
    requirement_id: str
    member: str
    criterion: str
    score: float
    reason: str
    time: str
    version: int
    abstained: bool = False


@dataclass(frozen=True, slots=True)
class ScoreCell:
    """One score a member writes: new (``version`` None) or a change of the version read.
    ``reason`` None keeps the stored reason of a changed score (empty for a new one).
    ``abstain``: "cannot judge" -- an explicit answer without a score (``score`` is then
    ignored; give NaN). Aggregation leaves it out, progress counts it as answered."""

    requirement_id: str
    criterion: str
    score: float
    reason: str | None = None
    version: int | None = None
    abstain: bool = False
