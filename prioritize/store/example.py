"""Import the bundled example council into a new database in one call.

The example (``examples/sales-order-errors``: requirements, members, scores) becomes a
council whose members log in with the demo passcode ``<member id>-demo`` (``m01`` ->
``m01-demo``), and one round under the ``customer-operations`` criteria with every
member's scores. The round is left in ``debate`` (revealed): a demo should open on the
full picture (group view, disagreement, debate flags) with decisions ready to be recorded;
a blind round to try scoring in is one :meth:`Session.start_from` away.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from prioritize import resources
from prioritize.errors import Problem, ValidationError
from prioritize.load.members import load_members
from prioritize.load.requirements import load_requirements
from prioritize.load.scorecard import load_events, load_readings
from prioritize.load.scores import check_scores, load_scores
from prioritize.store import connection, history, outcomes, rounds, settings
from prioritize.store.passcodes import DEMO_SUFFIX
from prioritize.store.permissions import round_info
from prioritize.store.records import RoundInfo
from prioritize.store.snapshots import round_criteria
from prioritize.store.store import Store

__all__ = ["DEMO_SUFFIX", "ExampleImport", "import_example"]

EXAMPLE_ROUND = "Sales order errors (example)"


@dataclass(frozen=True, slots=True)
class ExampleImport:
    """What :func:`import_example` created."""

    round: RoundInfo
    facilitator: str
    members: tuple[str, ...]
    scores: int

    @property
    def passcode_hint(self) -> str:
        """How to log in (the demo passcodes are public by design)."""
        return (
            f"log in as any member with '<member id>{DEMO_SUFFIX}', e.g. "
            f"{self.facilitator} / {self.facilitator}{DEMO_SUFFIX}"
        )


def import_example(
    store: Store | str | Path | None = None,
    *,
    folder: str | Path | None = None,
    criteria: str | Path = resources.DEFAULT_CRITERIA,
) -> ExampleImport:
    """Create the example council and its round in a new (or empty) database.

    Parameters
    ----------
    store
        A :class:`Store` or a database path (default: ``$PRIORITIZE_DB`` or
        ``./prioritize.db``). It is created if missing; it must have no members yet.
    folder
        An example folder with ``requirements.csv``, ``members.csv`` and ``scores.csv``,
        and optionally the scorecard's ``readings.csv`` and ``events.csv`` (default: the
        bundled ``sales-order-errors``).
    criteria
        The criteria set (default: ``customer-operations``).

    Raises
    ------
    ValidationError
        The database already holds a council, the example has no facilitator, or its
        files do not validate.
    """
    target = store if isinstance(store, Store) else Store(store)
    source = Path(folder) if folder is not None else resources.example_dir()
    members = load_members(source / "members.csv")
    requirements = load_requirements(source / "requirements.csv")
    scores = load_scores(source / "scores.csv")
    facilitators = [m.id for m in members if m.role == "facilitator"]
    if not facilitators:
        raise ValidationError(
            Problem(
                "the example has no facilitator",
                file=str(source / "members.csv"),
                column="role",
                expected="at least one member with role facilitator",
            )
        )
    target.init()
    with target.connect() as conn, connection.write(conn):
        if conn.execute("SELECT COUNT(*) FROM members").fetchone()[0]:
            raise ValidationError(
                Problem(
                    "the database already holds a council",
                    file=target.label,
                    expected="a new database for the example",
                )
            )
        settings.mark_demo(conn)  # public passcodes: labelled demo wherever it is shown
        for member in members:  # a dozen members, once: setup, not a hot path
            rounds.register_member(
                conn,
                member.id,
                member.name,
                member.department,
                member.role,
                f"{member.id}{DEMO_SUFFIX}",
                one_time=False,
            )
        info = rounds.create_round(
            conn, facilitators[0], EXAMPLE_ROUND, criteria, requirements, list(members.ids), "mean"
        )
        check_scores(
            scores, criteria=round_criteria(conn, info), requirements=requirements, members=members
        )
        # The example's scores go in as a bulk load (the same rows each member would
        # import for themselves), then the round is revealed.
        frame = scores.frame
        stamp = connection.now()
        times = frame["time"].astype(str) if "time" in frame.columns else None
        rows = list(
            zip(
                [info.id] * len(frame),
                frame["requirement_id"],
                frame["member"],
                frame["criterion"],
                frame["score"].astype(float),
                frame["reason"].astype(str),
                times.where(times.str.strip() != "", stamp)
                if times is not None
                else [stamp] * len(frame),
                strict=True,
            )
        )
        conn.executemany(
            """INSERT INTO scores (round_id, requirement_id, member, criterion,
                                                score, reason, time, version)
                            VALUES (?, ?, ?, ?, ?, ?, ?, 1)""",
            rows,
        )
        history.record_round_scores(conn, info.id)
        conn.execute(
            "UPDATE rounds SET state = 'debate', updated_at = ? WHERE id = ?",
            (connection.now(), info.id),
        )
        # the scorecard's year of readings and the events, where the example has them
        if (source / "readings.csv").is_file():
            scorecard = outcomes.current_scorecard(conn)
            outcomes.write_readings(
                conn, load_readings(source / "readings.csv", scorecard), facilitators[0],
                replace=False,
            )  # fmt: skip
        if (source / "events.csv").is_file():
            for event in load_events(source / "events.csv"):
                outcomes.add_event(conn, event, facilitators[0])
        final = round_info(conn, info.id)
    return ExampleImport(
        round=final, facilitator=facilitators[0], members=tuple(members.ids), scores=len(rows)
    )
