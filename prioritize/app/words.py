"""Page-side wording: times as the council reads them, the decision log's status as a
sentence, and the few measures the pages name in words rather than in statistics."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd
import streamlit as st

from prioritize.council.decisions import LogCheck

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def browser_timezone() -> str | None:
    """The browser's IANA time zone when Streamlit knows it (a live session), else None."""
    try:
        zone = st.context.timezone
    except Exception:  # no browser behind this run (a script, a test harness)
        return None
    return zone if isinstance(zone, str) and zone else None


def _zone(timezone: str | None) -> tzinfo | None:
    if not timezone:
        return None
    try:
        return ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def readable_time(text: str, timezone: str | None, *, now: datetime | None = None) -> str:
    """An ISO 8601 time as "30 Nov 14:18": in ``timezone`` (an IANA name, the browser's)
    when it is known, else in UTC with "UTC" after it. The year is added when it is not
    this year's (``now``, default the present). Text that is not a time comes back as it
    is; a time without a zone is taken as UTC, as the store writes them."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except (AttributeError, ValueError):
        return text
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    zone = _zone(timezone)
    local = moment.astimezone(zone or UTC)
    today = (now or datetime.now(UTC)).astimezone(zone or UTC)
    year = f" {local.year}" if local.year != today.year else ""
    shown = f"{local.day} {_MONTHS[local.month - 1]}{year} {local:%H:%M}"
    return shown if zone is not None else f"{shown} UTC"


def readable_times(values: Iterable[object], timezone: str | None) -> list[str]:
    """:func:`readable_time` over a column; blanks (no time yet) stay blank."""
    return [
        readable_time(value, timezone) if isinstance(value, str) and value else ""
        for value in values
    ]


def count(n: int, one: str, many: str | None = None) -> str:
    """ "1 decision", "12 decisions"."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


def log_status(check: LogCheck, last_decided_at: str | None, timezone: str | None) -> str:
    """The log check as a sentence: "Log intact: 12 decisions, the last on 1 Dec 14:18"."""
    if not check.ok:
        return "The log does not verify: " + ("; ".join(check.problems) or check.reason)
    if check.entries == 0:
        return "Log intact: no decisions yet"
    sentence = f"Log intact: {count(check.entries, 'decision')}"
    if last_decided_at:
        sentence += f", the last on {readable_time(last_decided_at, timezone)}"
    return sentence


_SPLIT = re.compile(r"agreement rwg (\d+(?:\.\d+)?) < (\d+(?:\.\d+)?)")
_CAMPS = re.compile(r"\(polarisation (\d+(?:\.\d+)?)\)")
_WEIGHT = re.compile(r"\(weight (\d+(?:\.\d+)?)\)")
_SD = re.compile(r", sd (\d+(?:\.\d+)?),")
_SAMPLED = re.compile(r"sampled cases \(threshold (\d+)%\)")


def reason_words(reason: str) -> str:
    """A flag's reason with the statistics named in words: "agreement rwg 0.31 < 0.50"
    becomes "agreement 0.31 of 1 (weak below 0.50)", "(polarisation 0.33)" becomes
    "(two camps 0.33 of 1)", a weight share reads in points out of 100.

    >>> print(reason_words("council split on Cost (weight 0.16): scores 1 to 5, sd 1.83, "
    ...                    "agreement rwg 0.00 < 0.50").replace(", ", ",\\n"))
    council split on Cost (16 points of weight): scores 1 to 5,
    typical distance from the average 1.83,
    agreement 0.00 of 1 (weak below 0.50)
    >>> reason_words("Limited in only 35% of the sampled cases (threshold 50%)")
    'Limited in only 35% of the weightings tried (a placement is robust from 50%)'
    """
    reason = _SPLIT.sub(r"agreement \1 of 1 (weak below \2)", reason)
    reason = _WEIGHT.sub(lambda m: f"({float(m.group(1)) * 100:.0f} points of weight)", reason)
    reason = _SD.sub(r", typical distance from the average \1,", reason)
    reason = _SAMPLED.sub(r"weightings tried (a placement is robust from \1%)", reason)
    return _CAMPS.sub(r"(two camps \1 of 1)", reason)


def names(members: Mapping[str, str], ids: Iterable[object]) -> list[str]:
    """Member names for ids; an id with no name stays as it is."""
    return [members.get(str(i), str(i)) for i in ids]


#: How a "cannot judge" answer reads in a table.
CANNOT_JUDGE = "cannot judge"


def answers(scores: pd.Series, abstained: pd.Series) -> pd.Series:
    """Each answer as the council reads it: the score (``4``, ``2.5``) or "cannot judge".

    >>> answers(pd.Series([4.0, float("nan"), 2.5]), pd.Series([False, True, False])).tolist()
    ['4', 'cannot judge', '2.5']
    """
    text = scores.map(lambda v: "" if pd.isna(v) else f"{float(v):g}")
    return text.where(~abstained.astype(bool), CANNOT_JUDGE)
