"""The decision log: what the council decided about each requirement, and why.

Every entry holds the outcome, the model's category and rank at that moment, the
rationale, who decided, the dissent, the time, the hash of the weights and scores the
evaluation rested on (:func:`evaluation_fingerprint`) and an ``override`` flag when the
outcome departs from the category's usual response (:data:`AGREEING_OUTCOMES`).

Entries are hash-chained: each entry's hash covers its own content and the previous
entry's hash, so editing, removing or reordering any entry breaks the chain at that entry,
which :func:`verify_chain` finds and names. This module is pure (no database); the store
appends entries and ``prioritize.store.verify_log`` reads a database file for it.
"""

# Longer than 400 lines because the entry, its canonical hash, the fingerprints it records
# and the chain's verification are one contract: changing one without the others breaks
# every log in the field.

from __future__ import annotations

import hashlib
import json
import types
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

import numpy as np
import pandas as pd

from prioritize.errors import Problem, ValidationError
from prioritize.model.categories import CATEGORIES
from prioritize.model.evaluation import Evaluation

__all__ = [
    "ADOPT_WEIGHTS",
    "AGREEING_OUTCOMES",
    "GENESIS_HASH",
    "OUTCOMES",
    "DecisionEntry",
    "LogCheck",
    "chain_entry",
    "entry_hash",
    "evaluation_fingerprint",
    "is_override",
    "latest_decisions",
    "verify_chain",
    "weights_fingerprint",
]

#: What the council can decide about a requirement.
OUTCOMES: tuple[str, ...] = ("approve", "postpone", "reject", "remove")

#: The outcomes that agree with each category's usual response (``USUAL_RESPONSE``); any
#: other outcome is an override and needs a rationale. "Plan and fund" and "when capacity
#: allows" are met by approving now or postponing to a later budget; "reject or postpone"
#: by either; "remove from the process" by removing it or, for a requirement that is only
#: proposed, by rejecting it.
AGREEING_OUTCOMES: Mapping[str, frozenset[str]] = types.MappingProxyType(
    {
        "Immediate control": frozenset({"approve"}),
        "High-value improvement": frozenset({"approve"}),
        "Strategic investment": frozenset({"approve", "postpone"}),
        "Limited enhancement": frozenset({"approve", "postpone"}),
        "Low-value request": frozenset({"reject", "postpone"}),
        "Harmful requirement": frozenset({"remove", "reject"}),
    }
)

#: The outcome of a log entry that adopts the round's weights (it names no requirement).
ADOPT_WEIGHTS = "adopt weights"

#: The ``previous_hash`` of the first entry.
GENESIS_HASH = "0" * 64


def latest_decisions(log: pd.DataFrame) -> pd.DataFrame:
    """The decision in force for each requirement: its latest entry in the log.

    A later entry supersedes an earlier one (the log keeps both). ``log`` has a
    ``requirement_id`` column and is in the log's order; with a ``seq`` column, the order of
    ``seq`` is used instead. Entries adopting weights (:data:`ADOPT_WEIGHTS`) decide no
    requirement and are left out.

    Returns
    -------
    pandas.DataFrame
        One row per decided requirement, indexed by ``requirement_id``.

    Examples
    --------
    >>> log = pd.DataFrame({"seq": [1, 2, 3], "requirement_id": ["R1", "R2", "R1"],
    ...                     "outcome": ["approve", "reject", "postpone"]})
    >>> latest_decisions(log)["outcome"].to_dict()
    {'R2': 'reject', 'R1': 'postpone'}
    """
    ordered = log.sort_values("seq", kind="stable") if "seq" in log.columns else log
    if "outcome" in ordered.columns:
        ordered = ordered[ordered["outcome"] != ADOPT_WEIGHTS]
    return ordered.drop_duplicates("requirement_id", keep="last").set_index("requirement_id")


def is_override(
    outcome: str, category: str, *, mandatory: bool = False, outside_portfolio: bool = False
) -> bool:
    """Whether ``outcome`` departs from the usual response to ``category``.

    A mandatory requirement (one that passes a gate, e.g. required by law) is only ever
    approved by the model's reading; anything else is an override. Under a budget,
    approving a requirement outside the optimal portfolio (``outside_portfolio``) is an
    override too: the money it takes is missing elsewhere.

    Examples
    --------
    >>> is_override("approve", "High-value improvement"), is_override("reject", "Immediate control")
    (False, True)
    >>> is_override("postpone", "Limited enhancement", mandatory=True)
    True
    >>> is_override("approve", "High-value improvement", outside_portfolio=True)
    True
    """
    if outcome not in OUTCOMES:
        raise ValidationError(
            Problem(
                "unknown outcome",
                column="outcome",
                value=str(outcome),
                expected=f"one of {', '.join(OUTCOMES)}",
            )
        )
    if category not in AGREEING_OUTCOMES:
        raise ValidationError(
            Problem(
                "unknown category",
                column="category",
                value=category,
                expected=f"one of {', '.join(CATEGORIES)}",
            )
        )
    if mandatory:
        return outcome != "approve"
    if outside_portfolio and outcome == "approve":
        return True
    return outcome not in AGREEING_OUTCOMES[category]


@dataclass(frozen=True, slots=True)
class DecisionEntry:
    """One entry of the decision log.

    ``seq`` is the position in the log (1 = first); it is not hashed, the chain itself
    fixes the order. ``entry_hash`` is the SHA-256 of the canonical JSON of every other
    field but ``seq``, ``previous_hash`` included (:func:`entry_hash`).
    """

    seq: int
    round_id: int
    requirement_id: str
    outcome: str
    category: str
    rank: int
    rationale: str
    decided_by: str
    dissent: str
    decided_at: str
    basis_sha256: str
    override: bool
    previous_hash: str
    entry_hash: str
    #: How far the store's score and weight histories reached when the decision was taken
    #: (None in entries written before the histories existed): the basis can be rebuilt.
    scores_upto: int | None = None
    weights_upto: int | None = None
    #: For an entry adopting weights: how far the weight-proposal history reached.
    proposals_upto: int | None = None
    #: For an approval: the effects it expects on the scorecard's measures, as the
    #: canonical JSON of :func:`effects_text` (None: none stated).
    expected_effects: str | None = None

    @property
    def adopts_weights(self) -> bool:
        """Whether the entry adopts the round's weights (rather than deciding a requirement)."""
        return self.outcome == ADOPT_WEIGHTS

    def describe(self) -> str:
        """The entry in words, to name it in a report."""
        if self.adopts_weights:
            return (
                f"entry {self.seq} (round {self.round_id}: weights adopted "
                f"by {self.decided_by} at {self.decided_at})"
            )
        return (
            f"entry {self.seq} (round {self.round_id}, {self.requirement_id}: "
            f"{self.outcome}, by {self.decided_by} at {self.decided_at})"
        )


_HASHED = tuple(f.name for f in fields(DecisionEntry) if f.name not in ("seq", "entry_hash"))
#: Fields added later: hashed when set, left out when None, so older entries keep their hash.
_OPTIONAL_COUNTS = frozenset({"scores_upto", "weights_upto", "proposals_upto"})
_OPTIONAL = _OPTIONAL_COUNTS | {"expected_effects"}


def _canonical(payload: Mapping[str, Any]) -> bytes:
    # Sorted keys, no spaces, UTF-8: the same bytes in any language that writes JSON.
    return json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def entry_hash(entry: DecisionEntry | Mapping[str, Any]) -> str:
    """SHA-256 (hex) of an entry's canonical JSON: every field but ``seq`` and ``entry_hash``."""
    data = asdict(entry) if isinstance(entry, DecisionEntry) else dict(entry)
    payload: dict[str, Any] = {
        name: data.get(name)
        for name in _HASHED
        if not (name in _OPTIONAL and data.get(name) is None)
    }
    for name in _OPTIONAL_COUNTS & payload.keys():
        payload[name] = int(payload[name])
    payload["round_id"] = int(payload["round_id"])
    payload["rank"] = int(payload["rank"])
    payload["override"] = bool(payload["override"])
    return hashlib.sha256(_canonical(payload)).hexdigest()


def chain_entry(previous: DecisionEntry | None, **content: Any) -> DecisionEntry:
    """A new entry appended after ``previous`` (None: the first entry), hashed.

    ``content`` holds every field of :class:`DecisionEntry` but ``seq``,
    ``previous_hash`` and ``entry_hash``.
    """
    seq = 1 if previous is None else previous.seq + 1
    prev = GENESIS_HASH if previous is None else previous.entry_hash
    data = {**content, "seq": seq, "previous_hash": prev, "entry_hash": ""}
    provisional = DecisionEntry(**data)
    return DecisionEntry(**{**data, "entry_hash": entry_hash(provisional)})


def evaluation_fingerprint(evaluation: Evaluation) -> str:
    """SHA-256 (hex) of what an evaluation rests on: criteria, weights and scores.

    The canonical serialisation is JSON with sorted keys of: the criteria set's name and
    file hash, each criterion's id, direction and scale, the aggregation, the normalised
    weights, and every score as ``[requirement_id, member, criterion, score]`` sorted by
    those keys. Reasons and times are left out: they do not move the result. Floats are
    written in their shortest round-trip form, so equal inputs give equal hashes whatever
    the order of the rows.

    Examples
    --------
    >>> import prioritize as pz
    >>> len(evaluation_fingerprint(pz.evaluate_example()))
    64
    """
    frame = evaluation.scores.frame
    keys = ["requirement_id", "member", "criterion"]
    ordered = frame[[*keys, "score"]].sort_values(keys, kind="stable")
    rows = [ordered[k].astype(str).to_numpy(dtype=object) for k in keys]
    values = ordered["score"].to_numpy(dtype=float)
    scores = np.column_stack([*rows, values.astype(object)]).tolist() if len(ordered) else []
    criteria = evaluation.criteria
    payload = {
        "criteria": {
            "name": criteria.name,
            "sha256": criteria.sha256,
            "scales": [
                [c.id, c.direction, float(c.scale.min), float(c.scale.max)] for c in criteria
            ],
        },
        "aggregation": evaluation.aggregation,
        "weights": {str(k): float(v) for k, v in evaluation.weights.items()},
        "scores": scores,
    }
    return hashlib.sha256(_canonical(payload)).hexdigest()


def weights_fingerprint(weights: Mapping[str, float], proposals: pd.DataFrame) -> str:
    """SHA-256 (hex) of what an adoption of weights rests on: the adopted weights and the
    proposals in force, each as ``[member, method, answer, weights, reason]`` (``answer``
    and ``weights`` as the canonical JSON texts the store keeps), sorted by member.

    ``proposals`` has the columns ``member, method, answer, weights, reason``.

    Examples
    --------
    >>> empty = pd.DataFrame(columns=["member", "method", "answer", "weights", "reason"])
    >>> len(weights_fingerprint({"a": 0.5, "b": 0.5}, empty))
    64
    """
    columns = ["member", "method", "answer", "weights", "reason"]
    rows = proposals[columns].astype(str).sort_values("member", kind="stable").to_numpy().tolist()
    payload = {"weights": {str(k): float(v) for k, v in weights.items()}, "proposals": rows}
    return hashlib.sha256(_canonical(payload)).hexdigest()


@dataclass(frozen=True, slots=True)
class LogCheck:
    """The result of verifying a decision log.

    Attributes
    ----------
    ok
        True when every entry matches its hash and the chain is unbroken.
    entries
        How many entries were read.
    head
        The last entry's hash: note it down (or print it in a report) to detect later
        truncation of the log.
    bad_seq, bad_entry
        The first entry that fails (None when ``ok``); ``bad_entry`` is None when what is
        missing is an entry at the end of the log.
    reason
        Why it fails, in words, naming the entry.
    problems
        Every problem found (the chain's first, then the record's: criteria snapshots,
        scores and weights changed outside the store, decisions whose basis no longer
        matches).
    """

    ok: bool
    entries: int
    head: str
    bad_seq: int | None = None
    bad_entry: DecisionEntry | None = None
    reason: str = ""
    problems: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return self.ok

    def __str__(self) -> str:
        if self.ok:
            return f"ok: {self.entries} entries, chain intact, head {self.head}"
        shown = self.problems or (self.reason,)
        return "tampered: " + "; ".join(shown)


def verify_chain(
    entries: Iterable[DecisionEntry],
    *,
    expected_head: str | None = None,
    expected_count: int | None = None,
) -> LogCheck:
    """Check a decision log: every entry's hash, the chain, and optionally the head.

    Parameters
    ----------
    entries
        The log in its stored order (by ``seq``).
    expected_head, expected_count
        The last entry's hash and the number of entries as recorded elsewhere (the store
        keeps them; a printed report is better still). A chain alone cannot tell that its
        last entries were cut off; these can.

    Returns
    -------
    LogCheck
        ``ok`` and, when not, the first bad entry and why: its content no longer matches
        its hash (edited), its ``previous_hash`` belongs to a later entry (reordered) or to
        no entry at all (an entry before it was removed), or the log ends early.
    """
    log = list(entries)
    own = [e.entry_hash for e in log]
    position = {h: i for i, h in enumerate(own)}
    previous = GENESIS_HASH
    for i, entry in enumerate(log):
        if entry_hash(entry) != entry.entry_hash:
            return LogCheck(
                False,
                len(log),
                own[-1],
                entry.seq,
                entry,
                f"{entry.describe()} was edited: its content no longer matches its hash",
            )
        if entry.previous_hash != previous:
            later = position.get(entry.previous_hash)
            if later is not None and later > i:
                why = (
                    f"{entry.describe()} is out of order: it was chained after "
                    f"{log[later].describe()}, which now comes after it"
                )
            elif entry.previous_hash == GENESIS_HASH:
                why = (
                    f"{entry.describe()} was the first entry of the log, but now follows "
                    f"another entry (reordered)"
                )
            else:
                before = "the start of the log" if i == 0 else log[i - 1].describe()
                why = (
                    f"{entry.describe()} does not follow {before}: an entry between "
                    f"them was removed, or the entry before it was edited and re-hashed"
                )
            return LogCheck(False, len(log), own[-1], entry.seq, entry, why)
        previous = entry.entry_hash
    head = own[-1] if own else GENESIS_HASH
    if expected_count is not None and expected_count != len(log):
        return LogCheck(
            False,
            len(log),
            head,
            len(log) + 1 if expected_count > len(log) else None,
            None,
            f"the log holds {len(log)} entries but {expected_count} were recorded: "
            f"entries after entry {len(log)} were removed"
            if expected_count > len(log)
            else f"the log holds {len(log)} entries but only {expected_count} were recorded",
        )
    if expected_head is not None and expected_head != head:
        return LogCheck(
            False,
            len(log),
            head,
            log[-1].seq if log else None,
            log[-1] if log else None,
            f"the log ends at hash {head}, not at the recorded head "
            f"{expected_head}: entries were removed or replaced at its end",
        )
    return LogCheck(True, len(log), head)
