"""Closing the loop, as part of :class:`~prioritize.store.session.Session`: the council's
scorecard, its readings, go-live dates and events (the facilitator records them; every
member reads them), and what they say: benefit realisation and the triggers that send a
requirement back to the council. The SQL is in :mod:`~prioritize.store.outcomes`; the
rules in :mod:`prioritize.outcomes`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from prioritize.council.decisions import latest_decisions
from prioritize.load.files import Source, Upload
from prioritize.load.scorecard import load_events, load_readings
from prioritize.model.scorecard import Delivery, Event, Readings, Scorecard
from prioritize.outcomes import BenefitRealisation, Triggers, benefit_realisation, triggers
from prioritize.store import connection, outcomes
from prioritize.store import requirements as draft_requirements
from prioritize.store import rounds as rounds_module
from prioritize.store.connection import Db
from prioritize.store.log import log_entries, log_frame
from prioritize.store.parts import SessionPart
from prioritize.store.permissions import require_role, require_round
from prioritize.store.records import RoundInfo
from prioritize.store.snapshots import round_evaluation, round_requirements

__all__ = ["CouncilOutcomes"]

_FACILITATOR = ("facilitator",)


class CouncilOutcomes(SessionPart):
    """The scorecard and what it says; a part of :class:`Session`."""

    __slots__ = ()

    def scorecard(self) -> Scorecard:
        """The council's scorecard (the bundled one until the facilitator sets another)."""
        with self._read() as (conn, _):
            return outcomes.current_scorecard(conn)

    def set_scorecard(self, source: str | Path | Upload) -> Scorecard:
        """Make a scorecard (a bundled name, a YAML file or an upload) the council's
        (facilitator). Stored readings of measures it lacks stay, unused."""
        with self._write() as (conn, actor):
            require_role(actor, _FACILITATOR, "set the scorecard")
            return outcomes.set_scorecard(conn, source, connection.now())

    def readings(self) -> Readings:
        """Every reading of the council's measures (every member may read them)."""
        with self._read() as (conn, _):
            return outcomes.readings(conn)

    def import_readings(self, source: Source, *, replace: bool = False) -> int:
        """Add readings from a CSV/XLSX file, an upload or a frame (facilitator), checked
        all or nothing against the council's scorecard; a measure's day already stored is
        refused unless ``replace``. Returns how many were written."""
        with self._write() as (conn, actor):
            require_role(actor, _FACILITATOR, "import readings")
            loaded = load_readings(source, outcomes.current_scorecard(conn))
            return outcomes.write_readings(conn, loaded, actor.id, replace=replace)

    def add_reading(
        self,
        measure: str,
        on: dt.date,
        value: float,
        *,
        source: str = "",
        note: str = "",
        replace: bool = False,
    ) -> None:
        """Add one reading (facilitator), checked as an imported one is."""
        frame = pd.DataFrame(
            {
                "date": [on.isoformat()],
                "measure": [measure],
                "value": [value],
                "source": [source],
                "note": [note],
            }
        )
        self.import_readings(frame, replace=replace)

    def record_go_live(self, round_id: int, requirement_id: str, live_on: dt.date) -> None:
        """Record when an approved requirement went live (facilitator): the day its
        measures' before and after are split on."""
        with self._write() as (conn, actor):
            require_role(actor, _FACILITATOR, "record go-live dates")
            info = require_round(conn, actor, round_id)
            outcomes.record_go_live(conn, info, requirement_id, live_on, actor.id)

    def deliveries(self) -> tuple[Delivery, ...]:
        """Approved requirements that went live, with the effects their approval stated."""
        with self._read() as (conn, _):
            return outcomes.deliveries(conn)

    def add_event(
        self,
        on: dt.date,
        kind: str,
        title: str,
        criteria: Iterable[str] = (),
        requirements: Iterable[str] = (),
    ) -> Event:
        """Record a legal, regulatory, market or operational event (facilitator); naming
        the ``requirements`` it concerns flags only those."""
        # checked as a row of an events file is: one rule for the page, the CLI and files
        (event,) = load_events(
            pd.DataFrame(
                {
                    "on": [on.isoformat()],
                    "kind": [kind],
                    "title": [title],
                    "criteria": [";".join(criteria)],
                    "requirements": [";".join(requirements)],
                }
            )
        )
        with self._write() as (conn, actor):
            require_role(actor, _FACILITATOR, "record events")
            outcomes.add_event(conn, event, actor.id)
        return event

    def events(self) -> tuple[Event, ...]:
        """Every recorded event, oldest first."""
        with self._read() as (conn, _):
            return outcomes.events(conn)

    def benefit_realisation(self, *, window: int = 3) -> BenefitRealisation:
        """Expected against actual, per delivered requirement and measure."""
        with self._read() as (conn, _):
            return benefit_realisation(
                outcomes.current_scorecard(conn),
                outcomes.readings(conn),
                outcomes.deliveries(conn),
                window=window,
            )

    def start_from_triggers(
        self, round_id: int, *, since: dt.date | None = None, name: str | None = None
    ) -> tuple[RoundInfo, Triggers]:
        """A new draft round from ``round_id`` (as :meth:`start_from`) whose flagged
        requirements carry what flagged them in their evidence, in one transaction
        (facilitator). Returns the new round and the triggers it was started from."""
        with self._write() as (conn, actor):
            require_role(actor, _FACILITATOR, "create rounds")
            previous = require_round(conn, actor, round_id)
            found = self._triggers(conn, previous, since)
            created = rounds_module.start_from(conn, actor.id, previous, name)
            present = set(round_requirements(conn, created).frame.index)
            today = dt.date.today().isoformat()
            for requirement_id in found.requirements:
                if requirement_id in present:
                    draft_requirements.add_evidence(
                        conn,
                        created,
                        requirement_id,
                        f"Scorecard, {today}:\n{found.evidence(requirement_id)}",
                    )
            return created, found

    def triggers(self, round_id: int | None = None, *, since: dt.date | None = None) -> Triggers:
        """What the readings and events say should go back to the council: measures past
        their alert or trending the wrong way, and events; with ``round_id`` (a revealed
        round), the round's requirements linked by criterion too."""
        with self._read() as (conn, actor):
            info = None if round_id is None else require_round(conn, actor, round_id)
            return self._triggers(conn, info, since)

    @staticmethod
    def _triggers(conn: Db, info: RoundInfo | None, since: dt.date | None) -> Triggers:
        evaluation = decided = None
        if info is not None and info.revealed:  # a blind round's scores are nobody's yet
            evaluation = round_evaluation(conn, info)
            decided = latest_decisions(log_frame(log_entries(conn, info.id)))
        return triggers(
            outcomes.current_scorecard(conn),
            outcomes.readings(conn),
            deliveries=outcomes.deliveries(conn),
            evaluation=evaluation,
            decided=decided,
            events=outcomes.events(conn),
            since=since,
        )
