"""Score: one requirement at a time with every criterion of the round at once, each level
with its meaning in words, a reason beside each answer, and "cannot judge" as an answer of
its own. Blind while the round is scoring, editable in the debate, read-only once decided.

The form keeps what the member types (no rerun per keystroke). What each answer was drawn
from -- the stored version, level and reason -- is remembered per cell while its widgets
live, so a save writes only the answers that changed and names the version the member
saw: an answer changed elsewhere in the meantime is a conflict, never overwritten."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from prioritize.app import state, words
from prioritize.app.answers import (
    CANNOT_JUDGE,
    NOT_ANSWERED,
    SAVE_CONFLICT_KEY,
    SAVE_ERROR_KEY,
    TOASTS_KEY,
    TOP,
    UPLOAD_ERROR_KEY,
    Choice,
    answer_words,
    answered,
    answers_of,
    choice_label,
    choices,
    direction_words,
    drawn_answers,
    go_to,
    import_file,
    level_key,
    next_open,
    next_unscored,
    reason_key,
    save,
    stored_answers,
    template_csv,
)
from prioritize.app.text import plain
from prioritize.app.uploads import UPLOAD_MB, show_problems
from prioritize.errors import PrioritizeError

# --- the page ----------------------------------------------------------------------------------

current = state.require_session()
st.title("Score")
info = state.require_round(current)
me = state.member(current)
state.show_flashes()
for message, icon in st.session_state.pop(TOASTS_KEY, []):
    st.toast(message, icon=icon)

if me.role == "observer":
    st.info("Observers follow the round but do not score.")
    st.stop()
if info.state == "draft":
    st.info("Scoring opens when the facilitator opens the round.")
    st.stop()
editable = info.state in ("scoring", "debate")
if info.state == "scoring":
    st.info(
        "Blind scoring: only you see your answers until the facilitator reveals them.",
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
        "The round is decided and locked: your answers are shown read-only.", icon=":material/lock:"
    )

criteria = current.criteria(info.id)
criterion_ids = list(criteria.ids)
names = {c.id: c.name for c in criteria}
requirements = current.requirements(info.id).table
order = [str(r) for r in requirements.index]
titles = {str(r): str(t) for r, t in requirements["title"].items()}
mine = stored_answers(current, info.id, me.id)
counts = answered(mine, order, criterion_ids)
needed = len(criterion_ids)
in_round = mine[mine["requirement_id"].isin(order) & mine["criterion"].isin(criterion_ids)]
done, expected = int(counts.sum()), len(order) * needed
abstained = int(in_round["abstained"].sum())
progress_text = f"You have answered {done} of {expected}"
progress_text += f" ({abstained} cannot judge)." if abstained else "."
st.progress(done / max(expected, 1), text=progress_text)

complete = int((counts >= needed).sum())
partly = int(((counts > 0) & (counts < needed)).sum())
untouched = len(order) - complete - partly
# keyed: it stays open while its label's counts change
with st.expander(
    f"By requirement: {complete} complete, {partly} partly answered, {untouched} open",
    key=state.key("score-overview-box", info.id),
):
    st.dataframe(
        pd.DataFrame(
            {
                # the count first: a phone shows it, and the title as far as it fits
                "answered": [
                    f"✓ all {needed}" if n >= needed else (f"{n} of {needed}" if n else "—")
                    for n in counts.tolist()
                ],
                "requirement": [f"{rid} — {titles[rid]}" for rid in order],
            }
        ),
        hide_index=True,
        width="stretch",
        key=state.key("score-overview", info.id),
    )

if not order:
    st.info("The round has no requirements yet.")
    st.stop()


def status(rid: str) -> str:
    n = int(counts[rid])
    return " ✓" if n >= needed else (f" ({n} of {needed})" if n else "")


select = state.key("score-requirement", info.id)
if st.session_state.get(select) not in order:
    st.session_state[select] = next_open(order, counts, needed, order[-1]) or order[0]
chosen = str(
    st.selectbox(
        "Requirement",
        order,
        format_func=lambda rid: f"{rid} — {titles[rid]}{status(rid)}",
        key=select,
    )
)
position = order.index(chosen)
with st.container(horizontal=True):
    st.button(
        "Previous",
        icon=":material/arrow_back:",
        disabled=position == 0,
        on_click=go_to,
        args=(select, order[max(position - 1, 0)]),
        key="score-previous",
    )
    st.button(
        "Next",
        icon=":material/arrow_forward:",
        disabled=position == len(order) - 1,
        on_click=go_to,
        args=(select, order[min(position + 1, len(order) - 1)]),
        key="score-next",
    )
    if editable:
        st.button(
            "Next unscored",
            icon=":material/skip_next:",
            on_click=next_unscored,
            args=(current, info.id, me.id, order, criterion_ids, select),
            key="score-next-unscored",
            help="Moves on without saving what you typed in the form below.",
        )

row = requirements.loc[chosen]
st.subheader(f"{plain(chosen)} · {plain(row['title'])}", anchor=TOP)
st.markdown(plain(row["description"]))
st.caption(
    f"Requested by {plain(row['requested_by'] or 'nobody named')}  \n"
    f"Evidence: {plain(row['evidence'] or 'none given')}"
)

stored = answers_of(mine, chosen)

if editable:
    drawn = drawn_answers()
    # no border round the form: each criterion has its own, and a phone keeps the width
    with st.form(state.key("score-form", info.id, chosen), enter_to_submit=False, border=False):
        for criterion in criteria:
            cell = (info.id, chosen, criterion.id)
            fresh = (
                level_key(cell) not in st.session_state or reason_key(cell) not in st.session_state
            )
            if fresh:
                # drawn afresh from the store: remember what the member is shown
                for name in (level_key(cell), reason_key(cell)):
                    st.session_state.pop(name, None)
                drawn[cell] = stored.get(criterion.id, NOT_ANSWERED)
            _, choice, reason = drawn.get(cell, NOT_ANSWERED)
            level = choice if isinstance(choice, float) else None
            options: list[Choice] = [*choices(criterion.scale, level), CANNOT_JUDGE]
            with st.container(border=True):
                st.markdown(f"**{plain(criterion.name)}** · {direction_words(criterion)}")
                if criterion.description:
                    st.caption(plain(criterion.description))
                # side by side on a wide screen, one under the other on a phone
                left, right = st.columns([3, 2])
                left.radio(
                    plain(criterion.name),
                    options,
                    # a widget that lives shows its own value: no default then
                    index=options.index(choice) if fresh and choice in options else None,
                    format_func=choice_label(criterion.scale),
                    label_visibility="collapsed",
                    key=level_key(cell),
                )
                right.text_area(
                    f"Why? (reason for {plain(criterion.name)})",
                    value=reason if fresh else "",
                    height=68,
                    max_chars=2000,
                    placeholder="What you know that led to this answer",
                    key=reason_key(cell),
                )
        with st.container(horizontal=True):
            st.form_submit_button(
                "Save and go to the next unscored",
                type="primary",
                icon=":material/save:",
                on_click=save,
                args=(current, info.id, me.id, chosen, order, criterion_ids, select, True),
                shortcut="Mod+Enter",
                key="score-save-next",
            )
            st.form_submit_button(
                "Save",
                on_click=save,
                args=(current, info.id, me.id, chosen, order, criterion_ids, select, False),
                key="score-save",
            )
    error = st.session_state.pop(SAVE_ERROR_KEY, None)
    if isinstance(error, PrioritizeError):
        state.show_error(error)
    conflict = st.session_state.pop(SAVE_CONFLICT_KEY, None)
    if conflict:
        st.error(plain(conflict), icon=":material/warning:")
    st.markdown(f"[↑ Back to the top of {plain(chosen)}](#{TOP})")
    st.caption(
        "A criterion you leave open is not saved and stays open; answers you do not change "
        "are not written again. Moving to another requirement without saving drops what you "
        "typed."
    )
else:
    for criterion in criteria:
        _, choice, reason = stored.get(criterion.id, NOT_ANSWERED)
        if choice is None:
            answer = "not answered"
        elif isinstance(choice, str):
            answer = "cannot judge"
        else:
            answer = choice_label(criterion.scale)(choice)
        st.markdown(
            f"**{plain(criterion.name)}** ({direction_words(criterion)}): {answer}"
            + (f"  \nWhy: {plain(reason)}" if reason else "")
        )

if editable:
    upload = state.key("score-upload", info.id)
    replace = state.key("score-upload-replace", info.id)
    problem = st.session_state.pop(UPLOAD_ERROR_KEY, None)
    with st.expander(
        "Upload my scores from a file",
        expanded=problem is not None,
        key=state.key("score-upload-box", info.id),
    ):
        st.caption(
            "A CSV or Excel file with the columns requirement_id, member, criterion, score "
            "and reason: one row per answer, your member id on every row, each score on its "
            "criterion's scale. The file is checked as the command line checks it: if "
            "anything is wrong, nothing is imported and every problem is listed. "
            "In the template, fill in the score of each row you answer and delete the rows "
            "you leave open (a row without a score is refused). "
            f"“{CANNOT_JUDGE}” is answered in the form above, not in a file."
        )
        st.download_button(
            "Download my scores as a template (CSV)",
            data=lambda: template_csv(mine, order, criterion_ids, me.id),
            file_name=f"my-scores-round-{info.id}.csv",
            mime="text/csv",
            icon=":material/download:",
            on_click="ignore",  # nothing changes on the page: no rerun
            key=state.key("score-template", info.id),
        )
        st.file_uploader(
            "My scores file", type=["csv", "xlsx"], max_upload_size=UPLOAD_MB, key=upload
        )
        st.checkbox("Replace the answers I have already given", key=replace)
        st.button(
            "Import my scores",
            on_click=import_file,
            args=(current, info.id, upload, replace),
            disabled=st.session_state.get(upload) is None,
            key="score-upload-import",
        )
        if isinstance(problem, PrioritizeError):
            show_problems(problem, "Nothing was imported", state.key("score-problems", info.id))

# the history is read only while its expander is open (in the debate it holds everyone's)
with st.expander(
    f"Every change of my answers for {plain(chosen)}",
    key=state.key("score-history", info.id),
    on_change="rerun",
) as history_box:
    history = current.score_history(info.id) if history_box.open else None
    changes = (
        None
        if history is None
        else history[(history["member"] == me.id) & (history["requirement_id"] == chosen)]
    )
    if changes is not None and changes.empty:
        st.caption("No answers yet.")
    elif changes is not None:
        # a list, not a table: it fits a phone without scrolling sideways
        zone = words.browser_timezone()
        newest_first = changes.iloc[::-1]
        when = words.readable_times(newest_first["time"], zone)
        st.markdown(
            "\n".join(
                f"- {moment} · **{plain(names.get(c, c))}**: {answer_words(float(v), bool(a))}"
                + (f" — {plain(r)}" if r else "")
                for moment, c, v, a, r in zip(
                    when,
                    newest_first["criterion"],
                    newest_first["score"],
                    newest_first["abstained"],
                    newest_first["reason"],
                    strict=True,
                )
            )
        )
