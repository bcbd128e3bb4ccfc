"""The door: wrong passcodes are throttled per member in the store, one-time passcodes
open nothing but their own change, real councils need real passcodes, only the demo
council takes the demo ones, and a new database file is its owner's alone."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from prioritize.errors import PermissionDenied, ValidationError
from prioritize.store import Store, import_example
from prioritize.store.signin import FREE_FAILURES, lockout
from tests.databases import raw
from tests.store.council import Council, passcode


def _wrong(store: Store, member: str, times: int) -> None:
    for _ in range(times):
        with pytest.raises(PermissionDenied, match="unknown member or wrong passcode"):
            store.session(member, "not the passcode at all")


def test_wrong_passcodes_lock_the_member_out_whatever_the_connection(
    council_db: Council,
) -> None:
    _wrong(council_db.store(), "m01", FREE_FAILURES - 1)
    assert council_db.session("m01").member.id == "m01"  # a right one clears the count
    _wrong(council_db.store(), "m01", FREE_FAILURES)
    # another Store object on the same file (another tab, process or the CLI) is locked too
    with pytest.raises(PermissionDenied, match=r"try again in 30 s"):
        Store(council_db.path).session("m01", passcode("m01"))
    attempts = council_db.session("f01").sign_in_attempts()
    assert int(attempts.loc["m01", "failures"]) == FREE_FAILURES
    # other members are not locked
    assert council_db.session("m02").member.id == "m02"


def test_the_lockout_grows_and_ends(council_db: Council) -> None:
    _wrong(council_db.store(), "m01", FREE_FAILURES)
    with raw(council_db.path) as conn:  # the lockout has passed
        conn.execute("UPDATE sign_in_attempts SET locked_until = '2000-01-01T00:00:00+00:00'")
    _wrong(council_db.store(), "m01", 1)
    with pytest.raises(PermissionDenied, match=r"try again in 60 s"):
        council_db.session("m01")
    assert [lockout(n) for n in range(FREE_FAILURES, FREE_FAILURES + 3)] == [30, 60, 120]


def test_only_facilitators_see_the_attempts(council_db: Council) -> None:
    with pytest.raises(PermissionDenied):
        council_db.session("m01").sign_in_attempts()


def test_a_one_time_passcode_opens_only_its_own_change(council_db: Council) -> None:
    facilitator = council_db.session("f01")
    facilitator.register_member("n01", "Nora New", "Sales", "member", "given-by-fay-01")
    newcomer = council_db.store().session("n01", "given-by-fay-01")
    assert newcomer.must_change_passcode
    with pytest.raises(PermissionDenied, match="one-time passcode"):
        newcomer.rounds()
    with pytest.raises(ValidationError, match="the new passcode is the old one"):
        newcomer.change_passcode("given-by-fay-01", "given-by-fay-01")
    newcomer.change_passcode("given-by-fay-01", "nora's own long phrase")
    assert not newcomer.must_change_passcode
    assert newcomer.rounds() is not None
    with pytest.raises(PermissionDenied):
        council_db.store().session("n01", "given-by-fay-01")


@pytest.mark.parametrize(
    ("chosen", "why"),
    [
        ("short-one", "too short"),
        ("n01", "too short"),
        ("n01-demo-demo-demo", "too easy"),
        ("  N01         ", "too easy"),
    ],
)
def test_a_real_council_refuses_weak_passcodes(council_db: Council, chosen: str, why: str) -> None:
    facilitator = council_db.session("f01")
    with pytest.raises(ValidationError, match=why) as caught:
        facilitator.register_member("n01", "Nora New", "Sales", "member", chosen)
    if len(chosen.strip()) > 3:  # (an id-like passcode is in the message as the row)
        assert chosen.strip() not in str(caught.value)  # a passcode is never echoed back


def test_only_the_demo_council_takes_demo_passcodes(tmp_path: Path) -> None:
    demo = Store(tmp_path / "demo.db")
    import_example(demo)
    assert demo.is_demo and demo.session("m01", "m01-demo").member.role == "facilitator"
    real = Store(tmp_path / "real.db")
    real.init()
    assert not real.is_demo
    with pytest.raises(ValidationError, match="too short"):
        real.create_facilitator("m01", "Fay", "Operations", "m01-demo")


def test_a_new_database_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    store = Store(tmp_path / "private.db")
    store.init()
    mode = stat.S_IMODE(store.path.stat().st_mode)
    assert mode == 0o600
