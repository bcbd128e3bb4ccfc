"""The Score page's parts: how a criterion's levels read as choices, what each answer's
widgets were drawn from (kept while they live, so a save writes only what changed and names
the version the member saw), the member's answers read once per revision, the template
file, and the actions the page's buttons run as callbacks. Drawn by ``views/score.py``."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st

from prioritize.app import state, words
from prioritize.app.text import plain
from prioritize.errors import PrioritizeError, ValidationError
from prioritize.export.text import csv_table
from prioritize.model.criteria import CriteriaSet, Criterion, Scale
from prioritize.store import ConflictError, ScoreCell, Session

#: The answer that says "I cannot judge this" (an abstention, not a missing score).
CANNOT_JUDGE = "Cannot judge"
#: A scale with more steps than this offers its anchors, ends and even parts (see choices).
MOST_CHOICES = 21

Choice = float | str
#: What an answer's widgets were drawn from: (stored version, choice, reason).
Drawn = tuple[int | None, Choice | None, str]
Cell = tuple[int, str, str]
NOT_ANSWERED: Drawn = (None, None, "")

DRAWN_KEY = "score-drawn"
ANSWERS_KEY = "score-answers"
TOASTS_KEY = "score-toasts"
SAVE_ERROR_KEY = "score-save-error"
SAVE_CONFLICT_KEY = "score-save-conflict"
UPLOAD_ERROR_KEY = "score-upload-error"
#: The anchor of the requirement's heading (a save does not scroll the page back up).
TOP = "the-requirement"


# --- small pure helpers (what the page shows; no council rule) -------------------------------


def choices(scale: Scale, stored: float | None = None) -> list[float]:
    """The levels a criterion offers: every step of its scale (whole numbers when it has no
    step); when that is too many, its anchored levels and ends (and, with fewer than three
    anchors, ten even parts of the scale on its steps); and a stored score that is none of
    these (a score imported from a file may lie between levels).

    >>> choices(Scale(0, 10)), choices(Scale(1, 5, {1: "none", 5: "huge"}), 2.5)
    ([0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0], [1.0, 2.0, 2.5, 3.0, 4.0, 5.0])
    >>> choices(Scale(0, 100, step=2))
    [0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 100.0]
    """
    values = {float(level) for level in scale.levels}
    step = scale.step or 1.0
    count = math.floor(scale.span / step + 1e-9) + 1
    first = scale.min if scale.step else float(math.ceil(scale.min))
    if count <= MOST_CHOICES:
        values |= {
            round(float(first + i * step), 10)
            for i in range(count)
            if first + i * step <= scale.max
        }
    else:
        points = [scale.min, scale.max]
        if len(scale.levels) < 3:
            points += [scale.min + scale.span * k / 10 for k in range(1, 10)]
        if scale.step:
            points = [scale.min + round((p - scale.min) / scale.step) * scale.step for p in points]
        values |= {round(float(p), 10) for p in points}
    if stored is not None and math.isfinite(stored):
        values.add(float(stored))
    return sorted(v for v in values if scale.min <= v <= scale.max or v == stored)


def meaning(scale: Scale, value: float) -> str:
    """A level in words: its anchor, or the anchors it lies between."""
    if value in scale.levels:
        return scale.levels[int(value)]
    below = [k for k in scale.levels if k < value]
    above = [k for k in scale.levels if k > value]
    if below and above:
        return f"between {max(below):g} and {min(above):g}"
    return ""


def choice_label(scale: Scale) -> Callable[[Choice], str]:
    """How a choice reads in the radio: "3 · Noticeable improvement for one team"."""

    def label(choice: Choice) -> str:
        if isinstance(choice, str):
            return choice
        text = meaning(scale, choice)
        return plain(f"{choice:g} · {text}" if text else f"{choice:g}")

    return label


def direction_words(criterion: Criterion) -> str:
    """Which way the criterion's scale runs, in words."""
    return "higher is better" if criterion.direction == "benefit" else "higher is worse"


def answer_words(score: float, abstained: bool) -> str:
    """One answer in words: its score, or "cannot judge"."""
    return words.CANNOT_JUDGE if abstained or not math.isfinite(score) else f"{score:g}"


def answered(
    mine: pd.DataFrame, requirement_ids: Sequence[str], criterion_ids: Sequence[str]
) -> pd.Series:
    """How many criteria of each requirement the member has answered (a level or "cannot
    judge"), in the requirements' order."""
    known = mine[
        mine["requirement_id"].isin(requirement_ids) & mine["criterion"].isin(criterion_ids)
    ]
    return known.groupby("requirement_id").size().reindex(list(requirement_ids), fill_value=0)


def next_open(order: Sequence[str], counts: pd.Series, needed: int, after: str) -> str | None:
    """The first requirement after ``after`` (going round) not fully answered; ``after``
    itself last; None when every one is."""
    start = order.index(after) + 1 if after in order else 0
    for rid in [*order[start:], *order[:start]]:
        if int(counts.get(rid, 0)) < needed:
            return rid
    return None


# --- what the widgets were drawn from, kept while they live ----------------------------------


def level_key(cell: Cell) -> str:
    """The key of a cell's level choice."""
    return state.key("score-level", *cell)


def reason_key(cell: Cell) -> str:
    """The key of a cell's reason."""
    return state.key("score-reason", *cell)


def drawn_answers() -> dict[Cell, Drawn]:
    found = st.session_state.setdefault(DRAWN_KEY, {})
    assert isinstance(found, dict)
    return found


def redraw(cell: Cell, answer: Drawn) -> None:
    """Show ``answer`` (as stored now) in the cell's widgets on the next run. Set, not
    deleted: the browser keeps a widget's value when only the server forgets it."""
    _, choice, reason = answer
    st.session_state[level_key(cell)] = choice
    st.session_state[reason_key(cell)] = reason
    drawn_answers()[cell] = answer


def toast(message: str, icon: str = ":material/check_circle:") -> None:
    """A message for the next run, shown as a toast (it does not move the page)."""
    st.session_state.setdefault(TOASTS_KEY, []).append((message, icon))


def stored_answers(session: Session, round_id: int, member: str) -> pd.DataFrame:
    """The member's stored answers, read again only when the round changed (its revision
    moves with every score written anywhere): once revealed, the round's scores are
    everyone's, and a rerun or a save need not read them twice."""
    revision = session.revision(round_id)  # first: a write after it only makes it stale
    kept = st.session_state.get(ANSWERS_KEY)
    if isinstance(kept, tuple) and kept[0] == (round_id, member, revision):
        frame: pd.DataFrame = kept[1]
        return frame
    scores = session.scores(round_id)
    frame = scores[scores["member"] == member]
    st.session_state[ANSWERS_KEY] = ((round_id, member, revision), frame)
    return frame


def answers_of(mine: pd.DataFrame, requirement: str) -> dict[str, Drawn]:
    """The member's stored answers to one requirement, by criterion: (version, choice,
    reason)."""
    own = mine[mine["requirement_id"] == requirement]
    return {
        str(criterion): (
            int(version),
            CANNOT_JUDGE if bool(abstained) else float(score),
            str(reason or ""),
        )
        for criterion, version, score, abstained, reason in zip(
            own["criterion"],
            own["version"],
            own["score"],
            own["abstained"],
            own["reason"],
            strict=True,
        )
    }


def template_csv(mine: pd.DataFrame, order: list[str], criteria: list[str], member: str) -> str:
    """The member's answers as a scores file to fill in offline: a row per requirement and
    criterion, the score blank where there is none yet (or "cannot judge"); formula-safe."""
    index = pd.MultiIndex.from_product([order, criteria], names=["requirement_id", "criterion"])
    known = mine.set_index(["requirement_id", "criterion"]).reindex(index)
    frame = known[["score", "reason"]].reset_index()
    frame.insert(1, "member", member)
    frame["reason"] = frame["reason"].fillna("")
    return csv_table(
        frame[["requirement_id", "member", "criterion", "score", "reason"]], what="scores file"
    )


# --- actions (run as callbacks, before the page draws) ----------------------------------------


def conflict_words(criteria: CriteriaSet, now: dict[str, Drawn], changed: list[str]) -> str:
    """Which answers changed elsewhere since the form showed them, and what they are now."""
    shown = []
    for cid in changed:
        criterion = criteria[cid]
        _, choice, _ = now.get(cid, NOT_ANSWERED)
        if choice is None:
            value = "no answer"
        elif isinstance(choice, str):
            value = "cannot judge"
        else:
            value = f"{choice:g} · {meaning(criterion.scale, choice)}".rstrip(" ·")
        shown.append(f"{criterion.name} (now: {value})")
    return (
        "Nothing was saved: "
        + ("your answer to " if len(shown) == 1 else "your answers to ")
        + "; ".join(shown)
        + " changed in another tab or session after this page showed "
        + ("it" if len(shown) == 1 else "them")
        + ". The form now shows the answers as they are; check them and save again."
    )


def go_to(select: str, requirement: str) -> None:
    st.session_state[select] = requirement


def go_to_next_open(
    session: Session, round_id: int, member: str, order: list[str], criteria: list[str], select: str
) -> str | None:
    """Show the next requirement not fully answered; None (and a toast) when there is none."""
    counts = answered(stored_answers(session, round_id, member), order, criteria)
    target = next_open(order, counts, len(criteria), str(st.session_state.get(select, "")))
    if target is None:
        toast("You have answered every criterion of every requirement.", ":material/task_alt:")
    else:
        st.session_state[select] = target
    return target


def next_unscored(
    session: Session, round_id: int, member: str, order: list[str], criteria: list[str], select: str
) -> None:
    go_to_next_open(session, round_id, member, order, criteria, select)


def save(
    session: Session,
    round_id: int,
    member: str,
    requirement: str,
    order: list[str],
    criteria: list[str],
    select: str,
    then_next: bool,
) -> None:
    """Write the form's answers that changed, all or none; then (``then_next``) move on to
    the next requirement not fully answered."""
    drawn = drawn_answers()
    now = answers_of(stored_answers(session, round_id, member), requirement)
    cells: list[ScoreCell] = []
    open_reasons: list[str] = []
    elsewhere = 0
    still_open = 0
    for criterion in criteria:
        cell = (round_id, requirement, criterion)
        choice = st.session_state.get(level_key(cell))
        reason = str(st.session_state.get(reason_key(cell)) or "").strip()
        version, was, was_reason = drawn.get(cell, NOT_ANSWERED)
        latest = now.get(criterion, NOT_ANSWERED)
        if choice == was and reason == was_reason.strip():
            if latest[0] != version:
                # changed in another tab since it was drawn: show it, never save over it
                redraw(cell, latest)
                elsewhere += 1
            still_open += latest[1] is None
            continue
        if choice is None:  # a reason typed without an answer
            still_open += 1
            if reason:
                open_reasons.append(criterion)
            continue
        if choice == CANNOT_JUDGE:
            cells.append(ScoreCell(requirement, criterion, math.nan, reason, version, abstain=True))
        else:
            cells.append(ScoreCell(requirement, criterion, float(choice), reason, version))
    if cells:
        try:
            records = session.submit_scores(round_id, cells)
        except PrioritizeError as exc:
            toast("Nothing was saved: see the message below the form.", ":material/error:")
            changed = []
            if isinstance(exc, ConflictError):
                # show the answers that changed elsewhere as they are now; keep the rest
                now = answers_of(stored_answers(session, round_id, member), requirement)
                for criterion in criteria:
                    cell = (round_id, requirement, criterion)
                    answer = now.get(criterion, NOT_ANSWERED)
                    if answer[0] != drawn.get(cell, NOT_ANSWERED)[0]:
                        redraw(cell, answer)
                        changed.append(criterion)
            if changed:
                st.session_state[SAVE_CONFLICT_KEY] = conflict_words(
                    session.criteria(round_id), now, changed
                )
            else:
                st.session_state[SAVE_ERROR_KEY] = exc
            return
        for record in records:
            choice_now: Choice = CANNOT_JUDGE if record.abstained else record.score
            drawn[(round_id, requirement, record.criterion)] = (
                record.version,
                choice_now,
                record.reason,
            )
    if open_reasons:
        named = session.criteria(round_id)
        st.session_state[SAVE_ERROR_KEY] = ValidationError(
            f"a reason is kept only with an answer: choose a level or “{CANNOT_JUDGE}” for "
            + ", ".join(named[c].name for c in open_reasons)
            + " and save again (the reasons you typed are still in the form)"
        )
    opened = words.count(still_open, "criterion", "criteria")
    rest = "every criterion answered" if not still_open else f"{opened} still open"
    target = None
    if then_next and not open_reasons:
        target = go_to_next_open(session, round_id, member, order, criteria, select)
    # the page keeps its scroll position: say where the member is now
    moved = f" Now on {plain(target)}." if target not in (None, requirement) else ""
    if elsewhere:
        moved = (
            f" {words.count(elsewhere, 'answer')} had changed in another tab or session; "
            f"the newer is kept.{moved}"
        )
    if cells:
        toast(f"Saved {words.count(len(cells), 'answer')} of {plain(requirement)}; {rest}.{moved}")
    else:
        toast(f"Nothing changed in {plain(requirement)}; {rest}.{moved}", ":material/info:")


def import_file(session: Session, round_id: int, upload: str, replace: str) -> None:
    """Import the uploaded scores file, all or nothing; the form then shows what it wrote."""
    source = st.session_state.get(upload)
    if source is None:
        return
    try:
        count = session.import_scores(round_id, source, replace=bool(st.session_state.get(replace)))
    except PrioritizeError as exc:
        st.session_state[UPLOAD_ERROR_KEY] = exc
        toast("Nothing was imported: see the problems under the upload.", ":material/error:")
        return
    # the answers on screen show what the file wrote
    frame = stored_answers(session, round_id, str(session.member_id))
    for cell in [
        c for c in drawn_answers() if c[0] == round_id and level_key(c) in st.session_state
    ]:
        redraw(cell, answers_of(frame, cell[1]).get(cell[2], NOT_ANSWERED))
    toast(f"Imported {words.count(count, 'score')} from {plain(source.name)}.")
