"""Score: my scores in an editable grid (requirements x criteria), the anchored level
descriptions as help, and a reason per score. Blind while the round is scoring.

Edits are written to the store in the editor's on_change callback; the editor is then
rebuilt from the store (its key changes), never fed its own edited frame back."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import streamlit as st

from prioritize.app import state
from prioritize.app.text import plain
from prioritize.errors import PrioritizeError
from prioritize.model.criteria import CriteriaSet
from prioritize.store import ScoreCell, Session

current = state.require_session()
info = state.require_round(current)
me = state.member(current)
state.show_flashes()

st.title("Score")
if me.role == "observer":
    st.info("Observers follow the round but do not score.")
    st.stop()
editable = info.state in ("scoring", "debate")
if info.state == "draft":
    st.info("Scoring opens when the facilitator opens the round.")
elif info.state == "scoring":
    st.info(
        "Blind scoring: only you see your scores until the facilitator reveals them. "
        "Score each requirement on each criterion and say why.",
        icon=":material/visibility_off:",
    )
elif info.state == "debate":
    st.info(
        "Scores are revealed. You may still revise yours during the debate; every change "
        "is kept with its time.",
        icon=":material/forum:",
    )
else:
    st.info(
        "The round is decided and locked: your scores are shown read-only.", icon=":material/lock:"
    )

criteria: CriteriaSet = current.criteria(info.id)
requirements = current.requirements(info.id).table
scores = current.scores(info.id)
mine = scores[scores["member"] == me.id].set_index(["requirement_id", "criterion"])
done = len(mine)
expected = len(requirements) * len(criteria)
st.progress(done / max(expected, 1), text=f"You have scored {done} of {expected}.")


def anchors(criterion_id: str) -> str:
    criterion = criteria[criterion_id]
    lines = [f"{level}: {text}" for level, text in criterion.scale.levels.items()]
    direction = "higher is better" if criterion.direction == "benefit" else "higher is worse"
    # the criteria file's texts, shown as typed (a help tooltip renders Markdown)
    return f"{plain(criterion.description)} ({direction})  \n" + "  \n".join(
        plain(line) for line in lines
    )


Cell = tuple[str, str, Any]


def save_grid(session: Session, round_id: int, cells: list[Cell], nonce_key: str) -> None:
    """Write the grid's edited cells in one transaction: all of them, or none with a message
    naming each cell that is wrong (outside the scale, not a number). Nothing is clamped or
    rounded; an emptied cell keeps its stored score and says so."""
    block, problems = [], []
    for rid, cid, value in cells:
        known = (rid, cid) in mine.index
        if value is None or (isinstance(value, float) and math.isnan(value)):
            if known:
                kept = float(str(mine.at[(rid, cid), "score"]))
                problems.append(
                    f"{rid} / {criteria[cid].name}: a score cannot be emptied, only changed; "
                    f"it stays {kept:g}"
                )
            continue
        version = int(str(mine.at[(rid, cid), "version"])) if known else None
        number = value if isinstance(value, int | float) and not isinstance(value, bool) else None
        block.append(ScoreCell(rid, cid, math.nan if number is None else number, None, version))
    st.session_state[nonce_key] = st.session_state.get(nonce_key, 0) + 1
    if block:
        try:
            session.submit_scores(round_id, block)
        except PrioritizeError as exc:
            state.flash(f"Nothing was saved: {exc}", "error")
        else:
            state.flash(f"Saved {len(block)} score{'s' if len(block) != 1 else ''}.")
    for problem in problems:
        state.flash(problem, "warning")


# --- the grid ------------------------------------------------------------------------------
st.subheader("My scores")
grid = pd.DataFrame(index=requirements.index, columns=list(criteria.ids), dtype=float)
if not mine.empty:
    values = mine["score"].unstack("criterion").reindex(index=grid.index, columns=grid.columns)
    grid.loc[:, :] = values.to_numpy()
grid.insert(0, "title", requirements["title"])
grid_nonce = state.key("grid-nonce", info.id)
grid_key = state.key("score-grid", info.id, st.session_state.get(grid_nonce, 0))
config: dict[str, Any] = {
    "title": st.column_config.TextColumn("requirement", disabled=True, width="large")
}
for criterion in criteria:
    config[criterion.id] = st.column_config.NumberColumn(
        criterion.name,
        help=anchors(criterion.id),
        # no min, max or step here: the editor would clamp 7 to 5 and round 3.5 silently;
        # the store refuses what is off the scale and the page names the cell
    )


def on_grid_change() -> None:
    edits = st.session_state[grid_key].get("edited_rows", {})
    cells: list[Cell] = [
        (str(grid.index[int(row)]), str(column), value)
        for row, changes in edits.items()
        for column, value in changes.items()
        if column in criteria.ids
    ]
    save_grid(current, info.id, cells, grid_nonce)


st.data_editor(
    grid,
    key=grid_key,
    column_config=config,
    disabled=not editable,
    on_change=on_grid_change,
    width="stretch",
    num_rows="fixed",
    height=min(38 + 35 * len(grid), 600),
)
st.caption(
    "Hover a column header for what each level means. Changes are saved as you make them; "
    "a value off the criterion's scale is refused and named, never clamped."
)

# --- one requirement, with reasons -----------------------------------------------------------
st.subheader("Scores and reasons for one requirement")
labels = {str(rid): f"{rid} — {title}" for rid, title in requirements["title"].items()}
chosen = st.selectbox(
    "Requirement",
    list(labels),
    format_func=labels.__getitem__,
    key=state.key("score-requirement", info.id),
)
row = requirements.loc[chosen]
with st.expander("What is asked, by whom, and the evidence", expanded=True):
    st.markdown(
        f"**{plain(row['title'])}** — requested by {plain(row['requested_by'] or 'n/a')}  \n"
        f"{plain(row['description'])}  \n*Evidence:* {plain(row['evidence'] or 'none given')}"
    )
st.caption(
    "Each criterion on its own scale: hover the score for what each level means. "
    "Save writes the whole requirement at once, or nothing if a cell is wrong."
)
# reasons typed before their score, kept for this tab until the score comes
drafts: dict[tuple[int, str, str], str] = st.session_state.setdefault("score-drafts", {})
with st.form(state.key("score-form", info.id, chosen), border=True):
    entered: list[tuple[str, float | None, str]] = []
    for criterion in criteria:
        known = (chosen, criterion.id) in mine.index
        current_score = float(str(mine.at[(chosen, criterion.id), "score"])) if known else None
        current_reason = drafts.get(
            (info.id, chosen, criterion.id),
            str(mine.at[(chosen, criterion.id), "reason"]) if known else "",
        )
        left, right = st.columns([1, 3])
        value = left.number_input(
            f"{plain(criterion.name)} ({criterion.scale.min:g}–{criterion.scale.max:g})",
            min_value=float(criterion.scale.min),
            max_value=float(criterion.scale.max),
            value=current_score,
            step=float(criterion.scale.step or 1.0),
            format="%g",
            help=anchors(criterion.id),
            disabled=not editable,
            key=state.key("score-value", info.id, chosen, criterion.id),
        )
        reason = right.text_input(
            "Reason",
            value=current_reason,
            max_chars=2000,
            placeholder="Why this score? Facts beat opinions.",
            disabled=not editable,
            key=state.key("score-reason", info.id, chosen, criterion.id),
        )
        if value is not None:
            right.caption(plain(criterion.scale.describe(float(value))))
        entered.append((criterion.id, value, reason))
    submitted = st.form_submit_button(
        "Save scores and reasons", disabled=not editable, type="primary"
    )
if submitted:
    cells = []
    for cid, value, reason in entered:
        known = (chosen, cid) in mine.index
        if value is None:
            if str(reason).strip():
                drafts[(info.id, chosen, cid)] = str(reason)
                state.flash(
                    f"{chosen} / {criteria[cid].name}: your reason is kept as a draft; it is "
                    "saved with the score when you give one.",
                    "info",
                )
            continue
        same = (
            known
            and float(str(mine.at[(chosen, cid), "score"])) == float(value)
            and str(mine.at[(chosen, cid), "reason"]) == str(reason).strip()
        )
        if same:
            continue
        version = int(str(mine.at[(chosen, cid), "version"])) if known else None
        cells.append(ScoreCell(chosen, cid, float(value), str(reason), version))
    if not cells:
        state.flash("Nothing changed.", "info")
        st.rerun()
    elif state.attempt(lambda: current.submit_scores(info.id, cells)) is not None:
        for cell in cells:
            drafts.pop((info.id, cell.requirement_id, cell.criterion), None)
        state.flash(f"Saved {len(cells)} score{'s' if len(cells) != 1 else ''} of {chosen}.")
        st.rerun()

history = current.score_history(info.id)
own = history[(history["member"] == me.id) & (history["requirement_id"] == chosen)]
with st.expander(f"Every change of my scores of {chosen} ({len(own)})"):
    if own.empty:
        st.caption("No scores yet.")
    else:
        st.dataframe(
            own.assign(criterion=own["criterion"].map({c.id: c.name for c in criteria}))[
                ["time", "criterion", "score", "reason", "version"]
            ],
            hide_index=True,
            width="stretch",
            key=state.key("score-history", info.id, chosen),
        )
