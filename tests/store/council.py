"""A small council in a database, built once and copied per test (scrypt makes members
slow to register on purpose, so tests share one template file)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from prioritize.store import Session, Store
from tests.conftest import copy_database, tiny_criteria_mapping

#: id -> (name, department, role); x01 belongs to no round.
MEMBERS = {
    "f01": ("Fay Facilitator", "Operations", "facilitator"),
    "m01": ("Lea Legal", "Legal", "member"),
    "m02": ("Finn Finance", "Finance", "member"),
    "o01": ("Otto Observer", "Internal Audit", "observer"),
    "x01": ("Xena Outsider", "Sales", "member"),
}
IN_ROUNDS = ("f01", "m01", "m02", "o01")
SCORERS = ("f01", "m01", "m02")
REQUIREMENTS = pd.DataFrame(
    {
        "id": ["R1", "R2", "R3", "R4"],
        "title": ["Fix order entry", "New CRM", "Report colours", "Audit trail"],
    }
)
#: Scores of round B (revealed): requirement -> criterion -> per scorer (f01, m01, m02).
B_SCORES = {
    "R1": {"impact": (5, 5, 4), "legal": (3, 4, 3), "cost": (2, 3, 2)},
    "R2": {"impact": (4, 2, 5), "legal": (2, 2, 2), "cost": (8, 9, 7)},
    "R3": {"impact": (1, 2, 1), "legal": (1, 1, 1), "cost": (6, 5, 6)},
    "R4": {"impact": (3, 3, 4), "legal": (5, 5, 5), "cost": (4, 4, 5)},
}


def passcode(member_id: str) -> str:
    """The passcode each member chose at first sign-in."""
    return f"{member_id}-passcode"


def one_time_passcode(member_id: str) -> str:
    """The one-time passcode the facilitator gave each member when registering them."""
    return f"{member_id}-from-the-facilitator"


def scores_frame(
    member: str, table: dict[str, dict[str, tuple[int, ...]]] | None = None
) -> pd.DataFrame:
    """One member's scores of round B's table, long form."""
    table = table or B_SCORES
    position = SCORERS.index(member)
    rows = [
        (rid, member, cid, values[position], f"{member} on {rid}/{cid}")
        for rid, criteria in table.items()
        for cid, values in criteria.items()
    ]
    return pd.DataFrame(rows, columns=["requirement_id", "member", "criterion", "score", "reason"])


@dataclass(frozen=True)
class Council:
    """A council database with a draft round, a blind round and a revealed round.

    ``path`` is where it is: a SQLite file, or a PostgreSQL database's URL."""

    path: Path | str
    draft: int
    scoring: int
    debate: int

    def store(self) -> Store:
        return Store(self.path)

    def session(self, member_id: str) -> Session:
        return Store(self.path).session(member_id, passcode(member_id))

    def copy(self, folder: Path) -> Council:
        assert isinstance(self.path, Path), "a PostgreSQL council is copied by its template"
        target = copy_database(self.path, folder / "council.db")
        return Council(target, self.draft, self.scoring, self.debate)


def build_council(path: Path | str) -> Council:
    store = Store(path)
    store.init()
    store.create_facilitator("f01", *MEMBERS["f01"][:2], passcode("f01"))
    fac = store.session("f01", passcode("f01"))
    for mid, (name, dept, role) in MEMBERS.items():
        if mid != "f01":
            fac.register_member(mid, name, dept, role, one_time_passcode(mid))
            first = store.session(mid, one_time_passcode(mid))
            first.change_passcode(one_time_passcode(mid), passcode(mid))
    criteria = tiny_criteria_mapping()
    debate = fac.create_round("Revealed round", criteria, REQUIREMENTS, members=IN_ROUNDS)
    fac.start_scoring(debate.id)
    for mid in SCORERS:
        store.session(mid, passcode(mid)).import_scores(debate.id, scores_frame(mid))
    fac.reveal(debate.id)
    scoring = fac.create_round("Blind round", criteria, REQUIREMENTS, members=IN_ROUNDS)
    fac.start_scoring(scoring.id)
    for mid in ("f01", "m01"):
        store.session(mid, passcode(mid)).import_scores(scoring.id, scores_frame(mid).iloc[:4])
    draft = fac.create_round("Draft round", criteria, REQUIREMENTS, members=IN_ROUNDS)
    return Council(path, draft.id, scoring.id, debate.id)
