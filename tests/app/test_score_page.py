"""The Score page (issue 11, item 2): one requirement at a time with every criterion and its
levels in words, "cannot judge" stored as an abstention, only changed answers written with
the version read, next unscored, the upload of one's own scores file, and the states and
roles that do not score. Everything written is read back through the store."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from prioritize.app import PAGES, state
from prioritize.app.text import plain
from prioritize.store import ScoreCell, Session, Store
from prioritize.store.example import ExampleImport
from tests.app.test_pages import app, keys, signed_in, texts

CRITERIA = (
    "customer_impact",
    "error_reduction",
    "revenue_retention",
    "legal_necessity",
    "operational_feasibility",
    "implementation_cost",
    "time_required",
    "data_security_risk",
    "employee_effort",
    "strategic_alignment",
)


@pytest.fixture
def blind(council: tuple[Store, ExampleImport]) -> tuple[Store, int]:
    """The example council with a second round open for blind scoring (no scores yet)."""
    store, example = council
    facilitator = store.session("m01", "m01-demo")
    opened = facilitator.start_from(example.round.id, "Blind")
    facilitator.start_scoring(opened.id)
    return store, opened.id


def member(store: Store, member_id: str = "m02") -> Session:
    return store.session(member_id, f"{member_id}-demo")


def score_page(store: Store, round_id: int, member_id: str = "m02") -> AppTest:
    at = app()
    at.session_state[state.SESSION_KEY] = member(store, member_id)
    at.session_state[state.ROUND_KEY] = round_id
    at.switch_page(str(PAGES / "score.py"))
    at.run()
    assert not at.exception, at.exception
    return at


def level(at: AppTest, round_id: int, requirement: str, criterion: str) -> Any:
    return at.radio(key=f"score-level-{round_id}-{requirement}-{criterion}")


def reason(at: AppTest, round_id: int, requirement: str, criterion: str) -> Any:
    return at.text_area(key=f"score-reason-{round_id}-{requirement}-{criterion}")


def chosen(at: AppTest, round_id: int) -> str:
    return str(at.selectbox(key=f"score-requirement-{round_id}").value)


def toasts(at: AppTest) -> list[str]:
    """The toasts' texts as the member reads them (the Markdown escapes taken off)."""
    return [re.sub(r"\\(.)", r"\1", str(t.value)) for t in at.toast]


def mine(store: Store, round_id: int, member_id: str = "m02") -> pd.DataFrame:
    scores = member(store, member_id).scores(round_id)
    return (
        scores[scores["member"] == member_id]
        .sort_values(["requirement_id", "criterion"])
        .reset_index(drop=True)
    )


def answer_all(session: Session, round_id: int, requirement: str, score: float = 3) -> None:
    session.submit_scores(round_id, [ScoreCell(requirement, c, score, "", None) for c in CRITERIA])


def test_every_criterion_is_shown_with_each_level_in_words(blind: tuple[Store, int]) -> None:
    store, round_id = blind
    at = score_page(store, round_id)
    assert chosen(at, round_id) == "REQ-001"  # the first requirement not answered
    criteria = member(store).criteria(round_id)
    for criterion in criteria:
        radio = level(at, round_id, "REQ-001", criterion.id)
        assert radio.options == [
            plain(f"{value} · {text}") for value, text in criterion.scale.levels.items()
        ] + ["Cannot judge"]
        assert radio.value is None  # nothing chosen for the member
        assert reason(at, round_id, "REQ-001", criterion.id).value == ""
    shown = texts(at) + "\n".join(str(h.value) for h in at.subheader)
    assert "higher is better" in shown and "higher is worse" in shown
    requirement = member(store).requirements(round_id).table.loc["REQ-001"]
    for field in ("title", "description", "evidence", "requested_by"):
        assert plain(requirement[field]) in shown, field
    assert at.get("progress")[0].proto.text == "You have answered 0 of 280."


def test_levels_cannot_judge_and_reasons_are_saved_exactly(blind: tuple[Store, int]) -> None:
    store, round_id = blind
    at = score_page(store, round_id)
    level(at, round_id, "REQ-001", "customer_impact").set_value(4.0)
    reason(at, round_id, "REQ-001", "customer_impact").set_value("Fewer wrong orders")
    level(at, round_id, "REQ-001", "implementation_cost").set_value(2.0)
    level(at, round_id, "REQ-001", "legal_necessity").set_value("Cannot judge")
    reason(at, round_id, "REQ-001", "legal_necessity").set_value("Not my field")
    reason(at, round_id, "REQ-001", "time_required").set_value("")
    at.button(key="score-save").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    stored = mine(store, round_id)
    assert stored[["requirement_id", "criterion", "reason", "abstained", "version"]].to_dict(
        "records"
    ) == [
        {
            "requirement_id": "REQ-001",
            "criterion": c,
            "reason": r,
            "abstained": a,
            "version": 1,
        }
        for c, r, a in [
            ("customer_impact", "Fewer wrong orders", False),
            ("implementation_cost", "", False),
            ("legal_necessity", "Not my field", True),
        ]
    ]
    assert stored["score"].tolist()[:2] == [4.0, 2.0] and math.isnan(stored["score"].iloc[2])
    assert toasts(at) == ["Saved 3 answers of REQ-001; 7 criteria still open."]
    assert chosen(at, round_id) == "REQ-001"  # Save stays
    assert at.get("progress")[0].proto.text == "You have answered 3 of 280 (1 cannot judge)."
    # the form shows what was saved, and the history names criteria and the abstention
    assert level(at, round_id, "REQ-001", "legal_necessity").value == "Cannot judge"
    at.session_state[f"score-history-{round_id}"] = True  # open "Every change of my answers"
    at.run()
    history = "\n".join(str(m.value) for m in at.markdown)
    assert "**Legal and regulatory necessity**: cannot judge — Not my field" in history
    assert "**Customer impact**: 4 — Fewer wrong orders" in history


def test_a_reason_without_an_answer_is_not_dropped(blind: tuple[Store, int]) -> None:
    store, round_id = blind
    at = score_page(store, round_id)
    level(at, round_id, "REQ-001", "customer_impact").set_value(4.0)
    reason(at, round_id, "REQ-001", "error_reduction").set_value("Typos at entry")
    at.button(key="score-save-next").click().run()
    assert mine(store, round_id)["criterion"].tolist() == ["customer_impact"]
    assert "a reason is kept only with an answer" in texts(at)
    assert "for Error reduction and save again" in texts(at)
    assert chosen(at, round_id) == "REQ-001"  # stays, with the reason still typed
    assert reason(at, round_id, "REQ-001", "error_reduction").value == "Typos at entry"


def test_next_unscored_skips_the_requirements_fully_answered(blind: tuple[Store, int]) -> None:
    store, round_id = blind
    answer_all(member(store), round_id, "REQ-002")
    answer_all(member(store), round_id, "REQ-004")
    member(store).submit_score(round_id, "REQ-001", "customer_impact", 4)
    at = score_page(store, round_id)
    assert chosen(at, round_id) == "REQ-001"  # partly answered is not complete
    for criterion in CRITERIA[1:]:
        level(at, round_id, "REQ-001", criterion).set_value("Cannot judge")
    at.button(key="score-save-next").click().run()
    assert toasts(at) == ["Saved 9 answers of REQ-001; every criterion answered. Now on REQ-003."]
    assert chosen(at, round_id) == "REQ-003"  # REQ-002 is complete
    at.button(key="score-next-unscored").click().run()
    assert chosen(at, round_id) == "REQ-005"  # REQ-004 is complete
    at.button(key="score-previous").click().run()
    assert chosen(at, round_id) == "REQ-004"
    at.button(key="score-next").click().run()
    assert chosen(at, round_id) == "REQ-005"
    # the values of one requirement never carry over to another
    assert level(at, round_id, "REQ-005", "customer_impact").value is None
    at.selectbox(key=f"score-requirement-{round_id}").set_value("REQ-002").run()
    assert level(at, round_id, "REQ-002", "customer_impact").value == 3.0


def test_an_unchanged_save_writes_nothing(blind: tuple[Store, int]) -> None:
    store, round_id = blind
    member(store).submit_score(round_id, "REQ-001", "customer_impact", 4, "as before")
    at = score_page(store, round_id)
    at.button(key="score-save").click().run()
    assert toasts(at) == ["Nothing changed in REQ-001; 9 criteria still open."]
    assert mine(store, round_id)[["score", "reason", "version"]].values.tolist() == [
        [4.0, "as before", 1]
    ]
    assert len(member(store).score_history(round_id)) == 1
    # a changed reason alone is a change
    reason(at, round_id, "REQ-001", "customer_impact").set_value("as before, and more")
    at.button(key="score-save").click().run()
    assert mine(store, round_id)[["score", "reason", "version"]].values.tolist() == [
        [4.0, "as before, and more", 2]
    ]


def test_a_change_made_elsewhere_is_a_conflict_then_shown(blind: tuple[Store, int]) -> None:
    store, round_id = blind
    member(store).submit_score(round_id, "REQ-001", "customer_impact", 4, "first")
    at = score_page(store, round_id)
    # the member changes the answer in another tab after this page was drawn
    member(store).submit_score(round_id, "REQ-001", "customer_impact", 2, "other tab", version=1)
    level(at, round_id, "REQ-001", "customer_impact").set_value(5.0)
    level(at, round_id, "REQ-001", "error_reduction").set_value(3.0)
    at.button(key="score-save").click().run()
    assert (
        "Nothing was saved: your answer to Customer impact (now: 2 · No noticeable effect for "
        "customers) changed in another tab or session after this page showed it."
    ) in re.sub(r"\\(.)", r"\1", texts(at))
    stored = mine(store, round_id)
    assert stored[["criterion", "score", "version"]].values.tolist() == [
        ["customer_impact", 2.0, 2]
    ]  # all or nothing: the other answer was not written either
    # the form now shows the answer as it is, and keeps what was not in conflict
    assert level(at, round_id, "REQ-001", "customer_impact").value == 2.0
    assert reason(at, round_id, "REQ-001", "customer_impact").value == "other tab"
    assert level(at, round_id, "REQ-001", "error_reduction").value == 3.0
    level(at, round_id, "REQ-001", "customer_impact").set_value(5.0)
    at.button(key="score-save").click().run()
    assert not at.error
    assert mine(store, round_id)[["criterion", "score", "version"]].values.tolist() == [
        ["customer_impact", 5.0, 3],
        ["error_reduction", 3.0, 1],
    ]


def upload(at: AppTest, round_id: int, name: str, content: bytes, replace: bool = False) -> None:
    at.file_uploader(key=f"score-upload-{round_id}").set_value((name, content, "text/csv"))
    at.run()
    if replace:
        at.checkbox(key=f"score-upload-replace-{round_id}").check()
    at.button(key="score-upload-import").click().run()
    assert not at.exception, at.exception


def test_a_good_scores_file_is_imported(blind: tuple[Store, int]) -> None:
    store, round_id = blind
    at = score_page(store, round_id)
    upload(
        at,
        round_id,
        "mine.csv",
        b"requirement_id,member,criterion,score,reason\n"
        b"REQ-001,m02,customer_impact,4,offline\n"
        b"REQ-003,m02,time_required,5,\n",
    )
    assert toasts(at) == ["Imported 2 scores from mine.csv."]
    stored = mine(store, round_id)
    assert stored[["requirement_id", "criterion", "score", "reason"]].values.tolist() == [
        ["REQ-001", "customer_impact", 4.0, "offline"],
        ["REQ-003", "time_required", 5.0, ""],
    ]
    assert level(at, round_id, "REQ-001", "customer_impact").value == 4.0  # the form shows it


def test_a_malformed_scores_file_lists_every_problem_and_writes_nothing(
    blind: tuple[Store, int],
) -> None:
    store, round_id = blind
    at = score_page(store, round_id)
    upload(
        at,
        round_id,
        "mine.csv",
        b"requirement_id,member,criterion,score,reason\n"
        b"REQ-001,m02,customer_impact,7,too high\n"
        b"REQ-002,m02,no_such_criterion,3,\n"
        b"REQ-003,m02,time_required,4,fine\n",
    )
    assert "Nothing was imported: 2 problems listed below" in texts(at)
    listed = next(pd.DataFrame(d.value) for d in at.dataframe if "expected" in d.value.columns)
    assert listed["row"].tolist() == ["2", "3"]  # in reading order, each with its place
    assert listed["found"].tolist() == ["7", "no_such_criterion"]
    assert set(listed["file"]) == {"mine.csv"}
    assert mine(store, round_id).empty


def test_scores_that_exist_are_kept_unless_replaced(blind: tuple[Store, int]) -> None:
    store, round_id = blind
    member(store).submit_score(round_id, "REQ-001", "customer_impact", 2, "typed")
    at = score_page(store, round_id)
    file = b"requirement_id,member,criterion,score,reason\nREQ-001,m02,customer_impact,4,file\n"
    upload(at, round_id, "mine.csv", file)
    assert "import with replace to overwrite them" in texts(at)
    assert mine(store, round_id)["score"].tolist() == [2.0]
    upload(at, round_id, "mine.csv", file, replace=True)
    assert mine(store, round_id)[["score", "reason"]].values.tolist() == [[4.0, "file"]]


def test_the_template_holds_my_answers_and_imports_back(
    blind: tuple[Store, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, round_id = blind
    member(store).submit_scores(
        round_id,
        [
            ScoreCell("REQ-001", "customer_impact", 4, "=1+1 is a formula", None),
            ScoreCell("REQ-001", "legal_necessity", math.nan, "not mine", None, abstain=True),
        ],
    )
    made: dict[str, Callable[[], Any]] = {}
    deferred = MediaFileManager.add_deferred

    def keep(self: MediaFileManager, data: Callable[[], Any], *args: Any, **kw: Any) -> str:
        made[str(kw.get("file_name"))] = data
        return deferred(self, data, *args, **kw)

    monkeypatch.setattr(MediaFileManager, "add_deferred", keep)
    at = score_page(store, round_id)
    text = made[f"my-scores-round-{round_id}.csv"]()
    lines = text.splitlines()
    assert lines[0] == "requirement_id,member,criterion,score,reason"
    assert len(lines) == 1 + 28 * 10
    assert lines[1] == '"REQ-001","m02","customer_impact",4.0,"\'=1+1 is a formula"'
    assert '"REQ-001","m02","legal_necessity",,"not mine"' in lines  # cannot judge: no score
    assert '"REQ-002","m02","customer_impact",,""' in lines
    # filled in offline (the rows left open deleted) and uploaded again
    filled = [lines[0]] + [
        line.replace(",,", ",3,") for line in lines[1:] if line.startswith('"REQ-002"')
    ]
    upload(at, round_id, "template.csv", "\n".join(filled).encode())
    assert toasts(at) == ["Imported 10 scores from template.csv."]
    assert len(mine(store, round_id)) == 12


def test_observers_do_not_score(council: tuple[Store, ExampleImport]) -> None:
    store, _ = council
    at = signed_in(store, "m13", "score")
    assert "Observers follow the round but do not score." in texts(at)
    assert not [k for k in keys(at) if k.startswith("score-")]


def test_a_draft_round_cannot_be_scored(council: tuple[Store, ExampleImport]) -> None:
    store, example = council
    draft = store.session("m01", "m01-demo").start_from(example.round.id, "Draft")
    at = score_page(store, draft.id)
    assert "Scoring opens when the facilitator opens the round." in texts(at)
    assert not at.radio and not at.get("file_uploader")
    assert not [k for k in keys(at) if k.startswith("score-save")]


def test_a_decided_round_is_read_only(council: tuple[Store, ExampleImport]) -> None:
    store, example = council
    store.session("m01", "m01-demo").close(example.round.id)
    before = mine(store, example.round.id)
    at = score_page(store, example.round.id)
    assert "decided and locked" in texts(at)
    assert not at.radio and not at.text_area and not at.get("file_uploader")
    assert not [k for k in keys(at) if k.startswith(("score-save", "score-next-unscored"))]
    first = before[before["requirement_id"] == chosen(at, example.round.id)].iloc[0]
    assert f"{first['score']:g} · " in texts(at)  # my answer, with its meaning
    assert mine(store, example.round.id).equals(before)


def test_scores_stay_editable_in_the_debate(council: tuple[Store, ExampleImport]) -> None:
    store, example = council
    round_id = example.round.id
    at = score_page(store, round_id)
    requirement = chosen(at, round_id)
    before = mine(store, round_id).set_index(["requirement_id", "criterion"])
    old = float(before.at[(requirement, "customer_impact"), "score"])
    new = 1.0 if old != 1.0 else 2.0
    level(at, round_id, requirement, "customer_impact").set_value(new)
    reason(at, round_id, requirement, "customer_impact").set_value("changed in the debate")
    at.button(key="score-save").click().run()
    after = mine(store, round_id).set_index(["requirement_id", "criterion"])
    assert after.at[(requirement, "customer_impact"), "score"] == new
    assert len(after) == len(before)  # only that answer changed, none added
    history = member(store).score_history(round_id)
    kept = history[
        (history["member"] == "m02")
        & (history["requirement_id"] == requirement)
        & (history["criterion"] == "customer_impact")
    ]
    assert kept["score"].tolist() == [old, new]  # the revision is kept with its time


def test_a_score_between_levels_is_shown_as_it_is(blind: tuple[Store, int]) -> None:
    # the example's scales have no step: 3.5 is a valid score (from a file, say)
    store, round_id = blind
    member(store).submit_score(round_id, "REQ-001", "customer_impact", 3.5, "in between")
    at = score_page(store, round_id)
    radio = level(at, round_id, "REQ-001", "customer_impact")
    assert radio.value == 3.5
    assert plain("3.5 · between 3 and 4") in radio.options
    at.button(key="score-save").click().run()  # shown as stored, so nothing to write
    assert mine(store, round_id)["version"].tolist() == [1]


def test_an_answer_changed_elsewhere_is_never_saved_over(blind: tuple[Store, int]) -> None:
    store, round_id = blind
    member(store).submit_score(round_id, "REQ-001", "customer_impact", 4, "first")
    at = score_page(store, round_id)
    member(store).submit_score(round_id, "REQ-001", "customer_impact", 2, "other tab", version=1)
    level(at, round_id, "REQ-001", "error_reduction").set_value(3.0)  # another criterion
    at.button(key="score-save").click().run()
    assert toasts(at) == [
        "Saved 1 answer of REQ-001; 8 criteria still open. 1 answer had changed in another "
        "tab or session; the newer is kept."
    ]
    assert mine(store, round_id)[["criterion", "score", "version"]].values.tolist() == [
        ["customer_impact", 2.0, 2],
        ["error_reduction", 3.0, 1],
    ]
    assert level(at, round_id, "REQ-001", "customer_impact").value == 2.0
