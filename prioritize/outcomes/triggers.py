"""Triggers for re-prioritisation: what in the readings and the world should send
requirements back to the council, with the evidence in words and numbers.

The rules (one home; the CLI, the page and the workbook call :func:`triggers`):

- **Threshold.** A measure's latest reading is beyond its alert bound (strictly above
  ``alert.above`` or below ``alert.below``). Its date (``on``) is the crossing: the first
  reading of the run of readings beyond the bound that ends with the latest. With
  ``since``, only a crossing after ``since`` counts (one already beyond it when the last
  round was held was known then).
- **Trend.** Over the measure's last ``trend.window`` readings, the last value moved
  against the measure's direction by more than ``trend.change`` compared with the value
  ``window - 1`` readings earlier (``on`` is the last reading's date; with ``since``, it
  must be after ``since``). A flat series never triggers.
- **Event.** A legal, regulatory, market or operational event dated after ``since``.
- **Who is flagged.** For a measure: every delivered requirement that states an expected
  effect on it (link ``expected effect``), and, given the round's ``evaluation``, every
  requirement not yet done whose aggregated score on one of the measure's linked criteria
  is in the top quarter of the criterion's scale (at least 4 on 1 to 5: the council saw a
  clear effect on what the measure tells), its scores in the evidence (link ``criterion
  <id>``, several joined by ``; ``). For an event: every requirement not yet done scored
  on the event's criteria (default for legal and regulatory events: the criteria that are
  gates or in the risk group), whatever its score: a new law can make a requirement
  judged unnecessary mandatory (link ``<kind> event``); an event that names the
  requirements it concerns flags only those. *Not yet done*: its latest
  decision is not ``approve`` (postponed, rejected, removed or undecided) and it has not
  gone live (no delivery). Requirements are listed in the evaluation's rank order. A
  trigger that flags nobody is still a row, with ``requirement_id`` "".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from prioritize.council.decisions import latest_decisions
from prioritize.model.evaluation import Evaluation
from prioritize.model.scorecard import Delivery, Event, Measure, Readings, Scorecard, format_value
from prioritize.outcomes.series import measure_series, signed_change

__all__ = ["TRIGGER_COLUMNS", "TRIGGER_KINDS", "Triggers", "triggers"]

#: The kinds of trigger, in the order the table lists them.
TRIGGER_KINDS: tuple[str, ...] = ("threshold", "trend", "event")
#: The columns of :attr:`Triggers.table`, in order.
TRIGGER_COLUMNS: tuple[str, ...] = ("kind", "measure", "on", "evidence", "requirement_id", "link")
_DONE = {"approve": "approved", "postpone": "postponed", "reject": "rejected", "remove": "removed"}
_LEGAL_KINDS = ("legal", "regulatory")
_TOLERANCE = 1e-9

Decided = pd.DataFrame | pd.Series | Mapping[str, str] | None


@dataclass(frozen=True, slots=True)
class Triggers:
    """What should send requirements back to the council.

    ``table`` columns: see :data:`TRIGGER_COLUMNS`: ``kind`` (threshold, trend, event),
    ``measure`` ("" for an event), ``on`` (datetime64), ``evidence`` (a sentence with the
    numbers), ``requirement_id`` (one row per flagged requirement; "" when nobody is
    linked), ``link`` (``expected effect``, ``criterion <id>``, ``<kind> event``).
    """

    table: pd.DataFrame = field(repr=False)
    since: dt.date | None = None

    def __bool__(self) -> bool:
        return not self.table.empty

    def __len__(self) -> int:
        return len(self.table)

    @property
    def requirements(self) -> tuple[str, ...]:
        """The flagged requirements, each once, in table order."""
        ids = self.table["requirement_id"]
        return tuple(dict.fromkeys(str(i) for i in ids if i))

    def evidence(self, requirement_id: str) -> str:
        """What flagged ``requirement_id``, as the text a new round's requirement carries in
        its evidence: one line per trigger, with its date (empty when not flagged)."""
        rows = self.table[self.table["requirement_id"] == requirement_id]
        lines = dict.fromkeys(
            f"{kind} {on:%Y-%m-%d}: {text}"
            for kind, on, text in zip(rows["kind"], rows["on"], rows["evidence"], strict=True)
        )
        return "\n".join(lines)

    def __str__(self) -> str:
        after = f" since {self.since.isoformat()}" if self.since else ""
        if self.table.empty:
            return f"No trigger{after}: no measure beyond its alert or trend, no event."
        lines = [f"Triggers{after}:"]
        for kind, on, rid, link, evidence in zip(
            self.table["kind"],
            self.table["on"].dt.strftime("%Y-%m-%d"),
            self.table["requirement_id"],
            self.table["link"],
            self.table["evidence"],
            strict=True,
        ):
            who = f" -> {rid} ({link})" if rid else ""
            lines.append(f"- {kind} {on}{who}: {evidence}")
        return "\n".join(lines)


def triggers(
    scorecard: Scorecard,
    readings: Readings,
    *,
    deliveries: Iterable[Delivery] = (),
    evaluation: Evaluation | None = None,
    decided: Decided = None,
    events: Iterable[Event] = (),
    since: dt.date | None = None,
) -> Triggers:
    """Thresholds crossed, adverse trends and events, and the requirements each flags.
    The rules are the module's (threshold, trend, event, who is flagged).

    Parameters
    ----------
    deliveries
        Delivered requirements with their expected effects (flagged by ``expected effect``).
    evaluation
        The current round's :class:`~prioritize.Evaluation`: its requirements are flagged
        through the measures' criteria and the events' criteria.
    decided
        The latest outcome per requirement: the decision log (a frame with
        ``requirement_id`` and ``outcome``, reduced with
        :func:`~prioritize.council.decisions.latest_decisions`), its result (indexed by
        requirement id), or a mapping id -> outcome. Missing: undecided.
    since
        Only what happened after this day (the last round's date).

    Examples
    --------
    >>> import pandas as pd
    >>> from prioritize.load.scorecard import load_scorecard
    >>> card = load_scorecard()
    >>> readings = Readings.trusted(pd.DataFrame({
    ...     "date": pd.date_range("2026-08-01", periods=4, freq="MS"),
    ...     "measure": "complaints", "value": [4.0, 4.1, 4.8, 5.6]}))
    >>> found = triggers(card, readings)
    >>> found.table[["kind", "measure"]].values.tolist()
    [['threshold', 'complaints'], ['trend', 'complaints']]
    >>> print(found.table.loc[1, "evidence"])
    Complaints per 1,000 orders rose from 4.1 to 5.6 per 1,000 orders over the last 3 readings (2026-09-01 to 2026-11-01): +1.5 per 1,000 orders against its direction, more than the 1 per 1,000 orders that triggers (alert above 5 per 1,000 orders)
    """  # noqa: E501
    deliveries = tuple(deliveries)
    limit = None if since is None else np.datetime64(since, "ns")
    outcomes = _outcomes(decided)
    for delivery in deliveries:  # gone live: done, whatever the log says
        outcomes[delivery.requirement_id] = "approve"
    series = measure_series(readings)
    rows: list[dict[str, object]] = []
    found: list[tuple[str, Measure, np.datetime64, str]] = []
    for kind in ("threshold", "trend"):
        for measure in scorecard:  # a dozen measures; the readings stay in numpy
            dates, values = series.get(measure.id, (None, None))
            if dates is None or values is None or not len(values):
                continue
            signal = (_threshold if kind == "threshold" else _trend)(measure, dates, values)
            if signal is not None and (limit is None or signal[0] > limit):
                found.append((kind, measure, signal[0], signal[1]))
    for kind, measure, on, evidence in found:
        flagged = _by_effect(measure, deliveries) + _by_criteria(measure, evaluation, outcomes)
        rows += _rows(kind, measure.id, on, evidence, flagged)
    for event in sorted(events, key=lambda e: e.on):
        on = np.datetime64(event.on, "ns")
        if limit is not None and on <= limit:
            continue
        evidence = f"{event.kind.capitalize()} event on {event.on.isoformat()}: {event.title}"
        rows += _rows("event", "", on, evidence, _by_event(event, evaluation, outcomes))
    table = pd.DataFrame(rows, columns=list(TRIGGER_COLUMNS))
    table["on"] = pd.to_datetime(table["on"])
    return Triggers(table, since)


def _rows(
    kind: str, measure: str, on: np.datetime64, evidence: str, flagged: list[tuple[str, str, str]]
) -> list[dict[str, object]]:
    if not flagged:
        flagged = [("", "", "")]
    return [
        {
            "kind": kind,
            "measure": measure,
            "on": pd.Timestamp(on),
            "evidence": f"{evidence}{'; ' + why if why else ''}",
            "requirement_id": rid,
            "link": link,
        }
        for rid, link, why in flagged
    ]


def _threshold(
    measure: Measure, dates: np.ndarray, values: np.ndarray
) -> tuple[np.datetime64, str] | None:
    if measure.alert_above is not None:
        beyond = values > measure.alert_above + _TOLERANCE
    elif measure.alert_below is not None:
        beyond = values < measure.alert_below - _TOLERANCE
    else:
        return None
    if not beyond[-1]:
        return None
    inside = np.flatnonzero(~beyond)
    start = int(inside[-1]) + 1 if len(inside) else 0
    latest = format_value(float(values[-1]), measure.unit)
    day = _day(dates[-1])
    since = "" if start == len(values) - 1 else f" (beyond it since {_day(dates[start])})"
    return (
        dates[start],
        f"{measure.name} was {latest} on {day}, beyond its {measure.alert_text}{since}",
    )


def _trend(
    measure: Measure, dates: np.ndarray, values: np.ndarray
) -> tuple[np.datetime64, str] | None:
    window, change = measure.trend_window, measure.trend_change
    if window is None or change is None or len(values) < window:
        return None
    earlier, last = float(values[-window]), float(values[-1])
    adverse = -measure.improvement(last - earlier)
    if adverse <= change + _TOLERANCE:
        return None
    moved = "rose" if last > earlier else "fell"
    unit = measure.unit
    limit = f"{format_value(change, '')} points" if unit == "%" else format_value(change, unit)
    alert = f" ({measure.alert_text})" if measure.alert_text else ""
    return (
        dates[-1],
        f"{measure.name} {moved} from {format_value(earlier, '')} to "
        f"{format_value(last, measure.unit)} over the last {window} readings "
        f"({_day(dates[-window])} to {_day(dates[-1])}): "
        f"{signed_change(last - earlier, measure.unit)} against its direction, more than the "
        f"{limit} that triggers{alert}",
    )


def _by_effect(measure: Measure, deliveries: tuple[Delivery, ...]) -> list[tuple[str, str, str]]:
    out = []
    for delivery in deliveries:
        for effect in delivery.effects:
            if effect.measure == measure.id:
                stated = (
                    "an effect on it"
                    if np.isnan(effect.change)
                    else f"{signed_change(effect.change, measure.unit)} on it"
                )
                why = (
                    f"{delivery.requirement_id} (live since {delivery.live_on.isoformat()}) "
                    f"was expected to have {stated}"
                )
                out.append((delivery.requirement_id, "expected effect", why))
    return out


def _by_criteria(
    measure: Measure, evaluation: Evaluation | None, outcomes: Mapping[str, str]
) -> list[tuple[str, str, str]]:
    if evaluation is None:
        return []
    criteria = [c for c in measure.criteria if c in evaluation.criteria.ids]
    return _scored(evaluation, criteria, outcomes, clear_effect=True, because="")


def _by_event(
    event: Event, evaluation: Evaluation | None, outcomes: Mapping[str, str]
) -> list[tuple[str, str, str]]:
    if evaluation is None:
        return []
    criteria = list(event.criteria) or (
        [c.id for c in evaluation.criteria if c.gate is not None or c.group == "risk"]
        if event.kind in _LEGAL_KINDS
        else []
    )
    criteria = [c for c in criteria if c in evaluation.criteria.ids]
    names = " and ".join(evaluation.criteria[c].name.lower() for c in criteria)
    flagged = _scored(
        evaluation, criteria, outcomes, clear_effect=False, because=f": its {names} may change"
    )
    named = set(event.requirements)  # an event that names what it concerns flags only those
    return [
        (rid, f"{event.kind} event", why) for rid, _, why in flagged if not named or rid in named
    ]


def _scored(
    evaluation: Evaluation,
    criteria: list[str],
    outcomes: Mapping[str, str],
    *,
    clear_effect: bool,
    because: str,
) -> list[tuple[str, str, str]]:
    """Requirements not approved, scored on ``criteria`` (in the top quarter of the scale
    when ``clear_effect``), in rank order, with their scores in words."""
    if not criteria:
        return []
    scores = evaluation.aggregated.reindex(index=evaluation.table.index)[criteria]
    linked = [evaluation.criteria[c].scale for c in criteria]
    clear = np.array([scale.min + 0.75 * scale.span for scale in linked])
    values = scores.to_numpy(dtype=float)
    relevant = ~np.isnan(values) & (values >= clear - _TOLERANCE if clear_effect else True)
    out = []
    for position in np.flatnonzero(relevant.any(axis=1)):
        rid = str(scores.index[int(position)])
        outcome = outcomes.get(rid, "")
        if outcome == "approve":
            continue
        which = [c for c, hit in zip(criteria, relevant[position], strict=True) if hit]
        said = " and ".join(
            f"{values[position, criteria.index(c)]:.1f} on {evaluation.criteria[c].name}"
            for c in which
        )
        why = f"{rid} scored {said} ({_DONE.get(outcome, 'undecided')}){because}"
        out.append((rid, "; ".join(f"criterion {c}" for c in which), why))
    return out


def _outcomes(decided: Decided) -> dict[str, str]:
    """The latest outcome per requirement id, from any of the accepted forms."""
    if decided is None:
        return {}
    if isinstance(decided, pd.DataFrame):
        frame = latest_decisions(decided) if "requirement_id" in decided.columns else decided
        return {str(k): str(v) for k, v in frame["outcome"].items()}
    return {str(k): str(v) for k, v in decided.items()}


def _day(value: np.datetime64) -> str:
    return str(value)[:10]
