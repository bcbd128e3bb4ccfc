"""The pages' wording: times as the council reads them, the log's status as a sentence,
and tables with headings in words (no raw index, no thresholds)."""

from __future__ import annotations

from datetime import UTC, datetime

from prioritize.app import words
from prioritize.council.decisions import LogCheck
from prioritize.store import Store
from prioritize.store.example import ExampleImport
from tests.app.test_pages import signed_in

STAMP = "2026-11-30T14:18:52.339499+00:00"
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def test_a_time_in_the_browsers_zone() -> None:
    assert words.readable_time(STAMP, "Europe/Berlin", now=NOW) == "30 Nov 15:18"
    assert words.readable_time(STAMP, "America/New_York", now=NOW) == "30 Nov 09:18"
    # the day moves with the zone
    assert words.readable_time(STAMP, "Pacific/Kiritimati", now=NOW) == "1 Dec 04:18"


def test_without_a_zone_the_time_is_utc_and_says_so() -> None:
    assert words.readable_time(STAMP, None, now=NOW) == "30 Nov 14:18 UTC"
    assert words.readable_time(STAMP, "", now=NOW) == "30 Nov 14:18 UTC"
    assert words.readable_time(STAMP, "Not/AZone", now=NOW) == "30 Nov 14:18 UTC"
    # a stamp without an offset is UTC, as the store writes them
    assert words.readable_time("2026-11-30T14:18:52", None, now=NOW) == "30 Nov 14:18 UTC"


def test_another_years_time_names_the_year() -> None:
    assert words.readable_time(STAMP, None, now=datetime(2027, 3, 1, tzinfo=UTC)) == (
        "30 Nov 2026 14:18 UTC"
    )


def test_what_is_not_a_time_stays_as_it_is() -> None:
    assert words.readable_time("soon", "Europe/Berlin") == "soon"
    assert words.readable_time("", None) == ""
    assert words.readable_times([STAMP, None, ""], "UTC")[1:] == ["", ""]


def test_the_log_status_is_a_sentence() -> None:
    def check(entries: int) -> LogCheck:
        return LogCheck(ok=True, entries=entries, head="ab" * 32)

    assert words.log_status(check(12), STAMP, "Europe/London").startswith(
        "Log intact: 12 decisions, the last on 30 Nov 14:18"
    )
    assert words.log_status(check(1), STAMP, None).startswith("Log intact: 1 decision, the last")
    assert words.log_status(check(0), None, None) == "Log intact: no decisions yet"
    broken = LogCheck(ok=False, entries=3, head="", bad_seq=2, reason="entry 2 was changed")
    assert words.log_status(broken, STAMP, None) == "The log does not verify: entry 2 was changed"


def test_flag_reasons_name_the_statistics_in_words() -> None:
    split = "council split on Cost (weight 0.20): scores 1 to 5, sd 1.60, agreement rwg 0.31 < 0.50"
    assert words.reason_words(split).endswith("agreement 0.31 of 1 (weak below 0.50)")
    camps = "two camps on Cost: 4 score low, 8 score high (polarisation 0.33)"
    assert words.reason_words(camps).endswith("(two camps 0.33 of 1)")


def test_decide_shows_the_log_as_a_sentence(council: tuple[Store, ExampleImport]) -> None:
    store, example = council
    store.session("m01", "m01-demo").record_decision(
        example.round.id, "REQ-001", "approve", rationale="the evidence"
    )
    at = signed_in(store, "m02", "decide")
    assert not at.exception
    assert any(s.value.startswith("Log intact: 1 decision, the last on ") for s in at.success)
    log = next(d.value for d in at.dataframe if "decided at" in d.value.columns)
    assert "entry_hash" not in log.columns
    assert log["decided by"].tolist() == ["Priya Raman"]


def test_overview_flags_have_headings_in_words(council: tuple[Store, ExampleImport]) -> None:
    store, _ = council
    at = signed_in(store, "m02", "overview")
    assert not at.exception
    flags = next(d for d in at.dataframe if "what to discuss" in d.value.columns)
    columns = {str(c) for c in flags.value.columns}
    assert not columns & {"value", "threshold", "", "index", "Unnamed: 0"}
    assert '"hidden": true' in flags.proto.columns  # no raw index column
    assert '"label": "requirement"' in flags.proto.columns  # requirement_id, in words
    shown = " ".join(flags.value["what to discuss"].astype(str))
    assert "rwg" not in shown and "polarisation" not in shown
