"""A round's life cycle: its states in order, which step leads where, what each state
allows, and what each means in the council's words. The store enforces these rules; the
pages and the command line show them; nobody else writes the lists again.

>>> STATES
('draft', 'scoring', 'debate', 'decided')
>>> next_state("scoring")
'debate'
>>> next_state("decided") is None
True
"""

from __future__ import annotations

import types
from collections.abc import Mapping

__all__ = [
    "REVEALED",
    "SCORING_STATES",
    "STATES",
    "STATE_MEANING",
    "TRANSITIONS",
    "next_state",
]

#: A round's states, in order: draft -> scoring (blind) -> debate (revealed) -> decided.
STATES: tuple[str, ...] = ("draft", "scoring", "debate", "decided")

#: The one step forward from each state (a decided round is locked: no step).
TRANSITIONS: Mapping[str, str] = types.MappingProxyType(
    {"draft": "scoring", "scoring": "debate", "debate": "decided"}
)

#: States in which every member of the round reads every score with its reason.
REVEALED: frozenset[str] = frozenset({"debate", "decided"})

#: States in which members write scores and comments (scores stay editable in the debate).
SCORING_STATES: tuple[str, ...] = ("scoring", "debate")

#: What each state means, in the council's words.
STATE_MEANING: Mapping[str, str] = types.MappingProxyType(
    {
        "draft": "The facilitator is preparing the round.",
        "scoring": "Members score blind: each sees only their own scores until the reveal.",
        "debate": "Scores are revealed: everyone sees every score with its reason. Debate the "
        "flagged items, then the facilitator records decisions.",
        "decided": "The round is decided and locked.",
    }
)


def next_state(state: str) -> str | None:
    """The state a round moves to from ``state``; None once it is decided."""
    return TRANSITIONS.get(state)
