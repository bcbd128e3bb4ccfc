"""What a facilitator does from the page: invite members with a one-time passcode, reset a
passcode, change a role, deactivate; prepare a draft's requirements; and browsers that stay
signed in (tokens) until sign-out, a passcode change, deactivation or idleness."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import pytest

from prioritize.errors import PermissionDenied, ValidationError
from prioritize.store import Store
from prioritize.store.members import new_one_time_passcode
from tests.databases import raw
from tests.store.council import Council, passcode


def test_an_invited_member_signs_in_once_with_the_passcode_shown_and_then_chooses_theirs(
    council_db: Council,
) -> None:
    facilitator = council_db.session("f01")
    invitation = facilitator.invite_member(
        "n01", "Nina New", "Legal", "member", rounds=[council_db.draft, council_db.scoring]
    )
    assert invitation.member.name == "Nina New" and len(invitation.passcode) >= 12
    store = Store(council_db.path)
    nina = store.session("n01", invitation.passcode)
    assert nina.must_change_passcode
    assert "n01" in set(facilitator.members(council_db.scoring).ids)
    nina.change_passcode(invitation.passcode, "nina's own passphrase")
    assert not store.session("n01", "nina's own passphrase").must_change_passcode
    with pytest.raises(PermissionDenied):
        store.session("n01", invitation.passcode)


def test_one_time_passcodes_are_random_readable_and_long_enough() -> None:
    codes = {new_one_time_passcode() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(c) == 19 and c.count("-") == 3 for c in codes)
    assert not any(ch in "".join(codes) for ch in "01IOL")


def test_inviting_into_a_revealed_round_changes_nothing(council_db: Council) -> None:
    facilitator = council_db.session("f01")
    with pytest.raises(ValidationError, match="in debate"):
        facilitator.invite_member("n03", "Late", "IT", "member", rounds=[council_db.debate])
    assert "n03" not in facilitator.council().index  # all or nothing


def test_a_reset_passcode_replaces_the_old_one_and_signs_the_member_out(
    council_db: Council,
) -> None:
    store = Store(council_db.path)
    token = store.session("m01", passcode("m01")).remember()
    assert store.resume(token) is not None
    new = council_db.session("f01").reset_passcode("m01")
    assert store.resume(token) is None
    with pytest.raises(PermissionDenied):
        store.session("m01", passcode("m01"))
    assert store.session("m01", new).must_change_passcode


def test_roles_change_but_the_council_keeps_a_facilitator(council_db: Council) -> None:
    facilitator = council_db.session("f01")
    facilitator.set_role("m02", "observer")
    assert facilitator.council().at["m02", "role"] == "observer"
    with pytest.raises(PermissionDenied, match="only active facilitator"):
        facilitator.set_role("f01", "member")
    with pytest.raises(ValidationError, match="unknown role"):
        facilitator.set_role("m02", "king")
    facilitator.set_role("m02", "facilitator")
    facilitator.set_role("f01", "member")  # now someone else facilitates
    assert council_db.session("m02").council().at["f01", "role"] == "member"


def test_a_deactivated_member_cannot_sign_in_and_their_scores_stay(council_db: Council) -> None:
    facilitator = council_db.session("f01")
    store = Store(council_db.path)
    open_page = store.session("m02", passcode("m02"))
    token = open_page.remember()
    before = facilitator.scores(council_db.debate)
    with pytest.raises(PermissionDenied, match="yourself"):
        facilitator.set_active("f01", False)
    facilitator.set_active("m02", False)
    with pytest.raises(PermissionDenied, match="no longer an active"):
        store.session("m02", passcode("m02"))
    with pytest.raises(PermissionDenied, match="no longer an active"):
        open_page.rounds()  # at once, also on a page that was open
    assert store.resume(token) is None
    assert "m02" not in store.council(active_only=True).index
    pd.testing.assert_frame_equal(facilitator.scores(council_db.debate), before)
    facilitator.set_active("m02", True)
    assert store.session("m02", passcode("m02")).member.id == "m02"


def test_a_draft_round_s_requirements_are_added_edited_withdrawn_and_replaced(
    council_db: Council, tmp_path: pytest.TempPathFactory
) -> None:
    facilitator = council_db.session("f01")
    draft = council_db.draft
    revision = facilitator.revision(draft)
    assert facilitator.add_requirement(draft, {"id": "R9", "title": "Ninth"}) == "R9"
    assert facilitator.revision(draft) != revision
    assert list(facilitator.requirements(draft).ids)[-1] == "R9"
    facilitator.edit_requirement(draft, "R9", {"title": "Ninth, retitled", "evidence": "a memo"})
    table = facilitator.requirements(draft).table
    assert table.at["R9", "title"] == "Ninth, retitled" and table.at["R9", "evidence"] == "a memo"
    with pytest.raises(ValidationError, match="already in the round"):
        facilitator.add_requirement(draft, {"id": "R9", "title": "again"})
    with pytest.raises(ValidationError, match="cannot be changed"):
        facilitator.edit_requirement(draft, "R9", {"id": "R10", "title": "x"})
    with pytest.raises(ValidationError, match="title"):
        facilitator.add_requirement(draft, {"id": "R11", "title": ""})
    facilitator.withdraw_requirement(draft, "R9")
    assert "R9" not in facilitator.requirements(draft).ids
    # a malformed upload changes nothing, and says where each problem is
    bad = tmp_path / "bad.csv"  # type: ignore[operator]
    bad.write_text("id,title\nA1,First\nA1,Duplicate\nA3,\n", encoding="utf-8")
    before = facilitator.requirements(draft).table
    with pytest.raises(ValidationError) as refused:
        facilitator.replace_requirements(draft, bad)
    assert "bad.csv" in str(refused.value) and "A1" in str(refused.value)
    pd.testing.assert_frame_equal(facilitator.requirements(draft).table, before)
    good = tmp_path / "good.csv"  # type: ignore[operator]
    good.write_text("id,title\nA1,First\nA2,Second\n", encoding="utf-8")
    assert facilitator.replace_requirements(draft, good) == 2
    assert list(facilitator.requirements(draft).ids) == ["A1", "A2"]


def test_requirements_are_fixed_once_scoring_opened(council_db: Council) -> None:
    facilitator = council_db.session("f01")
    with pytest.raises(ValidationError, match="in scoring"):
        facilitator.add_requirement(council_db.scoring, {"id": "R9", "title": "Late"})
    with pytest.raises(ValidationError, match="in scoring"):
        facilitator.withdraw_requirement(council_db.scoring, "R1")


def test_a_remembered_browser_resumes_until_it_signs_out(council_db: Council) -> None:
    store = Store(council_db.path)
    token = store.session("m01", passcode("m01")).remember()
    other = store.session("m01", passcode("m01")).remember()
    assert token != other and len(token) >= 40
    resumed = store.resume(token)
    assert resumed is not None and resumed.member_id == "m01"
    with raw(council_db.path) as conn:  # only hashes are stored
        stored = {r[0] for r in conn.execute("SELECT token_sha256 FROM web_sessions")}
    assert token not in stored and len(stored) == 2
    store.forget(token)
    assert store.resume(token) is None
    assert store.resume(other) is not None  # another browser stays signed in
    assert store.resume("made-up") is None and store.resume("") is None


def test_a_browser_left_idle_longer_than_the_limit_signs_in_again(council_db: Council) -> None:
    store = Store(council_db.path)
    token = store.session("m01", passcode("m01")).remember()
    with raw(council_db.path) as conn:
        conn.execute("UPDATE web_sessions SET last_seen_at = '2026-01-01T08:00:00+00:00'")
    assert store.resume(token, idle=timedelta(hours=8)) is None
    # within a longer limit it resumes, and its use counts as activity from now on
    assert store.resume(token, idle=timedelta(days=3650)) is not None
    assert store.resume(token, idle=timedelta(hours=8)) is not None


def test_changing_one_s_passcode_signs_out_every_browser(council_db: Council) -> None:
    store = Store(council_db.path)
    session = store.session("m01", passcode("m01"))
    token = session.remember()
    session.change_passcode(passcode("m01"), "a brand new passphrase")
    assert store.resume(token) is None


class _Uploaded:
    """What the page hands the store: a named binary file (Streamlit's UploadedFile)."""

    def __init__(self, name: str, data: bytes) -> None:
        self.name, self._data = name, data

    def read(self, size: int = -1, /) -> bytes:
        return self._data


def test_an_uploaded_criteria_set_is_kept_word_for_word(council_db: Council) -> None:
    import hashlib

    from prioritize import resources
    from tests.store.council import REQUIREMENTS

    text = resources.criteria_dir().joinpath("customer-operations.yaml").read_text("utf-8")
    text = "# our own copy, comments kept\n" + text
    facilitator = council_db.session("f01")
    info = facilitator.create_round(
        "Uploaded", _Uploaded("ours.yaml", text.encode("utf-8")), REQUIREMENTS
    )
    assert info.criteria_sha256 == hashlib.sha256(text.encode("utf-8")).hexdigest()
    with pytest.raises(ValidationError, match=r"ours\.yaml"):
        facilitator.create_round(
            "Bad", _Uploaded("ours.yaml", b"criteria: [unclosed"), REQUIREMENTS
        )
    with pytest.raises(ValidationError, match="not a UTF-8"):
        facilitator.create_round("Bad", _Uploaded("ours.yaml", b"\xff\xfe"), REQUIREMENTS)
