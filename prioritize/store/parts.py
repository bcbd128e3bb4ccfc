"""What a part of :class:`~prioritize.store.session.Session` relies on: the units of work
the session provides (a write or read transaction with the acting member, a facilitator's
action on a round in given states, a read of a round the member may see). The parts
(:mod:`~prioritize.store.administration`, :mod:`~prioritize.store.weighting`) inherit
these declarations; :class:`Session` implements them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from typing import TypeVar

from prioritize.store.connection import Db
from prioritize.store.records import Actor, RoundInfo

__all__ = ["SessionPart"]

T = TypeVar("T")


class SessionPart:
    """The units of work a part of :class:`Session` calls (implemented by Session)."""

    __slots__ = ()

    def _write(self, *, pending_ok: bool = False) -> AbstractContextManager[tuple[Db, Actor]]:
        raise NotImplementedError

    def _read(self, *, pending_ok: bool = False) -> AbstractContextManager[tuple[Db, Actor]]:
        raise NotImplementedError

    def _facilitate(
        self,
        round_id: int,
        action: str,
        states: Iterable[str],
        work: Callable[[Db, Actor, RoundInfo], T],
    ) -> T:
        raise NotImplementedError

    def _round_read(self, round_id: int, work: Callable[[Db, Actor, RoundInfo], T]) -> T:
        raise NotImplementedError
