"""Readings, deliveries and events: validated all-or-nothing, each problem with its place."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

import prioritize as pz

TODAY = dt.date(2026, 12, 1)
CARD = pz.load_scorecard()


def write(tmp_path: Path, text: str, name: str = "readings.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


class TestReadings:
    def test_sorted_typed_and_day_precision(self, tmp_path: Path) -> None:
        path = write(
            tmp_path,
            "date,measure,value,note\n"
            "2026-02-01,first_time_right,72.5,\n"
            "2026-01-01 00:00:00,first_time_right,71,after the audit\n"
            "2026-01-01,complaints,6.5,\n",
        )
        readings = pz.load_readings(path, CARD, today=TODAY)
        frame = readings.frame
        assert list(frame.columns) == ["date", "measure", "value", "source", "note"]
        assert str(frame["date"].dtype) == "datetime64[ns]"
        assert frame["measure"].tolist() == ["complaints", "first_time_right", "first_time_right"]
        assert frame["value"].tolist() == [6.5, 71.0, 72.5]
        assert frame["note"].tolist() == ["", "after the audit", ""]
        assert readings.for_measure("first_time_right")["value"].tolist() == [71.0, 72.5]
        assert readings.latest().loc["first_time_right", "value"] == 72.5

    def test_every_problem_names_row_column_value_expected(self, tmp_path: Path) -> None:
        path = write(
            tmp_path,
            "date,measure,value\n"
            "2026-01-01,first_time_right,71\n"  # row 2: fine
            "2026-01-01,complaintz,6\n"  # row 3: unknown measure
            "2026-02-01,first_time_right,lots\n"  # row 4: not a number
            "01/03/2026,first_time_right,72\n"  # row 5: not an ISO date
            "2027-01-01,first_time_right,73\n"  # row 6: in the future
            "2026-04-01,first_time_right,\n",  # row 7: missing value
        )
        with pytest.raises(pz.ValidationError) as exc:
            pz.load_readings(path, CARD, today=TODAY)
        found = {(p.row, p.column, p.value) for p in exc.value.problems}
        assert found == {
            (3, "measure", "complaintz"),
            (4, "value", "lots"),
            (5, "date", "01/03/2026"),
            (6, "date", "2027-01-01"),
            (7, "value", ""),
        }
        assert all(p.file == str(path) and p.expected for p in exc.value.problems)
        future = next(p for p in exc.value.problems if p.row == 6)
        assert future.message == "date in the future" and "2026-12-01" in (future.expected or "")

    def test_duplicate_reading_of_a_measure_on_a_day(self, tmp_path: Path) -> None:
        path = write(
            tmp_path,
            "date,measure,value\n"
            "2026-01-01,first_time_right,71\n"
            "2026-01-01 00:00:00,first_time_right,72\n",
        )
        with pytest.raises(pz.ValidationError) as exc:
            pz.load_readings(path, CARD, today=TODAY)
        (problem,) = exc.value.problems
        assert problem.row == 3 and "first at row 2" in problem.message
        assert problem.column == "measure, date"

    def test_today_defaults_to_the_real_today(self) -> None:
        tomorrow = dt.date.today() + dt.timedelta(days=1)
        rows = pd.DataFrame(
            {"date": [tomorrow.isoformat()], "measure": ["complaints"], "value": [1]}
        )
        with pytest.raises(pz.ValidationError, match="future"):
            pz.load_readings(rows, CARD)

    def test_missing_column(self, tmp_path: Path) -> None:
        with pytest.raises(pz.ValidationError, match="missing required column"):
            pz.load_readings(write(tmp_path, "date,measure\n2026-01-01,x\n"), CARD)

    def test_trusted_rows_keep_their_values(self) -> None:
        rows = pd.DataFrame(
            {"date": ["2026-01-01"], "measure": ["complaints"], "value": [6.0], "note": [None]}
        )
        readings = pz.Readings.trusted(rows)
        assert readings.frame["note"].tolist() == [""] and len(readings) == 1


class TestDeliveries:
    def test_one_delivery_per_requirement_with_its_effects(self, tmp_path: Path) -> None:
        path = write(
            tmp_path,
            "requirement_id,title,live_on,measure,expected_change,by,rationale\n"
            "REQ-1,Check fields,2026-05-01,first_time_right,8,2026-09-30,fewer corrections\n"
            "REQ-1,Check fields,2026-05-01,complaints,,,\n"
            "REQ-2,Report,2026-06-01,,,,\n",
            "deliveries.csv",
        )
        first, second = pz.load_deliveries(path, CARD)
        assert first.requirement_id == "REQ-1" and first.live_on == dt.date(2026, 5, 1)
        ftr, complaints = first.effects
        assert (ftr.measure, ftr.change, ftr.by) == ("first_time_right", 8.0, dt.date(2026, 9, 30))
        assert ftr.rationale == "fewer corrections"
        assert complaints.by is None and complaints.change != complaints.change  # NaN
        assert second.effects == ()

    def test_problems(self, tmp_path: Path) -> None:
        path = write(
            tmp_path,
            "requirement_id,title,live_on,measure,expected_change,by,rationale\n"
            "REQ-1,Check fields,2026-05-01,first_time_right,eight,,\n"  # 2: change
            "REQ-1,Check fields,2026-06-01,complaints,-1,,\n"  # 3: another go-live
            "REQ-2,Other,soon,nps,1,,\n"  # 4: live_on, measure
            "REQ-3,Third,2026-06-01,first_time_right,1,2026-05-01,\n"  # 5: by before live
            "REQ-4,Fourth,2026-06-01,,2,,\n",  # 6: a change without a measure
            "deliveries.csv",
        )
        with pytest.raises(pz.ValidationError) as exc:
            pz.load_deliveries(path, CARD)
        found = {(p.row, p.column) for p in exc.value.problems}
        assert found == {
            (2, "expected_change"),
            (3, "live_on"),
            (4, "live_on"),
            (4, "measure"),
            (5, "by"),
            (6, "expected_change"),
        }

    def test_the_same_measure_twice_for_one_requirement(self, tmp_path: Path) -> None:
        path = write(
            tmp_path,
            "requirement_id,title,live_on,measure,expected_change\n"
            "REQ-1,A,2026-05-01,complaints,-1\n"
            "REQ-1,A,2026-05-01,complaints,-2\n",
            "deliveries.csv",
        )
        with pytest.raises(pz.ValidationError) as exc:
            pz.load_deliveries(path, CARD)
        assert exc.value.first.row == 3 and "duplicate" in exc.value.first.message


class TestEvents:
    def test_events_in_date_order_with_criteria(self, tmp_path: Path) -> None:
        path = write(
            tmp_path,
            "on,kind,title,criteria\n"
            "2026-10-15,regulatory,E-invoicing,legal_necessity; data_security_risk\n"
            "2026-03-01,market,Competitor quotes same day,\n",
            "events.csv",
        )
        market, regulatory = pz.load_events(path)
        assert market.kind == "market" and market.criteria == ()
        assert regulatory.criteria == ("legal_necessity", "data_security_risk")

    def test_problems(self, tmp_path: Path) -> None:
        path = write(
            tmp_path,
            "on,kind,title,criteria\n"
            "someday,regulatory,A law,\n"
            "2026-01-01,rumour,Heard,\n"
            "2026-01-02,legal,Another law,legal_necessity;nope\n",
            "events.csv",
        )
        with pytest.raises(pz.ValidationError) as exc:
            pz.load_events(path, criteria=pz.load_criteria("customer-operations"))
        found = {(p.row, p.column, p.value) for p in exc.value.problems}
        assert found == {
            (2, "on", "someday"),
            (3, "kind", "rumour"),
            (4, "criteria", "legal_necessity;nope"),
        }


class TestExample:
    def test_the_example_files_load(self) -> None:
        ex = pz.example_dir()
        readings = pz.load_readings(ex / "readings.csv", CARD)
        assert set(readings.measures) == set(CARD.ids)
        for measure in CARD.ids:
            dates = readings.for_measure(measure)["date"]
            assert len(dates) == 12 and dates.max() <= pd.Timestamp("2026-11-01")
        deliveries = pz.load_deliveries(ex / "deliveries.csv", CARD)
        requirements = pz.load_requirements(ex / "requirements.csv")
        assert {d.requirement_id for d in deliveries} <= set(requirements.ids)
        (event,) = pz.load_events(
            ex / "events.csv", criteria=pz.load_criteria("customer-operations")
        )
        assert event.kind == "regulatory"
