"""Whether every requirement can be funded at all, given the relations between them.

Funding a requirement means funding everything it requires, directly or through others
(its *closure*). It can never be funded when its closure holds two requirements of which
one excludes the other ("A excludes B" means "not both", whichever of the two says it), or
two requirements of the same alternatives group. Requirements that require each other (a
``requires`` cycle) are a *bundle*: funded together or not at all, which is allowed.

The check follows ``requires`` from each requirement that has any, within
:attr:`~prioritize.load.limits.Limits.max_requires_steps`, and only when some requirement
excludes another or belongs to a group (otherwise nothing can conflict).
"""

from __future__ import annotations

from collections.abc import Sequence

from prioritize.load.limits import exceeded

#: At most this many reasons are given per requirement (the count says the rest).
_REASONS = 3


def unfundable(
    ids: Sequence[str],
    requires: Sequence[tuple[str, ...]],
    excludes: Sequence[tuple[str, ...]],
    groups: Sequence[str],
    *,
    max_steps: int,
    label: str = "<DataFrame>",
) -> dict[int, str]:
    """The requirements that can never be funded, by position, each with why in words
    (``"R4 can never be funded: it requires R7 (through R5), which it excludes"``).

    ``requires`` and ``excludes`` hold ids of ``ids`` (checked before), ``groups`` a group
    name per requirement ("" for none).

    Raises
    ------
    ValidationError
        Following ``requires`` took more than ``max_steps`` steps (``max_requires_steps``).

    Examples
    --------
    >>> unfundable(["A", "B"], [("B",), ()], [("B",), ()], ["", ""], max_steps=100)
    {0: 'A can never be funded: it requires B, which it excludes'}
    >>> unfundable(["A", "B"], [("B",), ("A",)], [(), ()], ["", ""], max_steps=100)
    {}
    """
    position = {rid: p for p, rid in enumerate(ids)}
    needs = [[position[q] for q in row] for row in requires]
    said = [{position[q] for q in row} for row in excludes]
    partners: list[set[int]] = [set(row) for row in said]
    for p, row in enumerate(said):
        for q in row:
            partners[q].add(p)
    if not any(partners) and not any(groups):
        return {}
    steps = 0
    out: dict[int, str] = {}
    for r in range(len(ids)):
        if not needs[r]:
            continue  # alone, a requirement conflicts with nothing (it cannot name itself)
        parent: dict[int, int] = {r: r}
        order = [r]
        for node in order:  # breadth first: the shortest way to each requirement
            for nxt in needs[node]:
                steps += 1
                if nxt not in parent:
                    parent[nxt] = node
                    order.append(nxt)
            steps += len(partners[node])  # looked at when the closure is checked
            if steps > max_steps:
                raise exceeded(
                    "max_requires_steps",
                    "the requires relations are too long to check",
                    file=label,
                    found=f"more than {max_steps:,} steps",
                    expected=f"requires that reach all they need within {max_steps:,} steps",
                    column="requires",
                )
        reasons = _conflicts(r, order, parent, ids, said, partners, groups)
        if reasons:
            shown = "; ".join(reasons[:_REASONS])
            more = len(reasons) - _REASONS
            out[r] = f"{ids[r]} can never be funded: {shown}" + (
                f"; and {more} more" if more > 0 else ""
            )
    return out


def _conflicts(
    r: int,
    order: list[int],
    parent: dict[int, int],
    ids: Sequence[str],
    said: Sequence[set[int]],
    partners: Sequence[set[int]],
    groups: Sequence[str],
) -> list[str]:
    def way(node: int) -> str:
        """A required requirement and the ones it is required through."""
        through = []
        step = parent[node]
        while step != r:
            through.append(ids[step])
            step = parent[step]
        return ids[node] + (f" (through {', '.join(reversed(through))})" if through else "")

    reasons: list[str] = []
    seen_pairs: set[tuple[int, int]] = set()
    first_of_group: dict[str, int] = {}
    for a in order:
        for b in sorted(partners[a]):
            if b not in parent or (min(a, b), max(a, b)) in seen_pairs:
                continue
            seen_pairs.add((min(a, b), max(a, b)))
            if r in (a, b):
                other = b if a == r else a
                whose = "which it excludes" if other in said[r] else "which excludes it"
                reasons.append(f"it requires {way(other)}, {whose}")
            else:
                first, second = (a, b) if b in said[a] else (b, a)
                reasons.append(
                    f"it requires {way(a)} and {way(b)}, and {ids[first]} excludes {ids[second]}"
                )
        group = groups[a]
        if not group:
            continue
        if group not in first_of_group:
            first_of_group[group] = a
            continue
        f = first_of_group[group]
        if f == r:
            reasons.append(f"it requires {way(a)}, and both are in alternatives group {group!r}")
        else:
            reasons.append(
                f"it requires {way(f)} and {way(a)}, both in alternatives group {group!r}"
            )
    return reasons
