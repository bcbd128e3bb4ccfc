"""The input limits (``prioritize/load/limits.py``): their defaults, each one applied by every
loader it concerns (small limits here, so that the files stay small), errors that name the
file and the limit, and messages that never hold an unbounded value."""

from __future__ import annotations

import dataclasses
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import prioritize as pz
from prioritize.errors import VALUE_CHARS, Problem, bounded_repr
from prioritize.load import DEFAULT_LIMITS, Limits
from prioritize.model.criteria import MAX_WEIGHT
from tests.conftest import tiny_criteria_mapping
from tests.load import hostile
from tests.load.tables import write


def limit_of(action: Any, *args: Any, **kwargs: Any) -> Problem:
    with pytest.raises(pz.ValidationError) as caught:
        action(*args, **kwargs)
    return caught.value.first


class TestDefaults:
    def test_defaults_are_far_above_a_real_council(self) -> None:
        limits = DEFAULT_LIMITS
        assert limits.max_file_bytes == 20 * 1024 * 1024 == pz.load.DEFAULT_MAX_BYTES
        assert limits.max_rows >= 1_000_000 and limits.max_columns >= 1_000
        assert limits.max_cells >= 10_000_000 and limits.max_cell_chars > 32_767
        assert limits.max_yaml_depth >= 32 and limits.max_weight == MAX_WEIGHT == 1e6
        assert limits.max_scale_magnitude == 1e9

    def test_limits_are_frozen_and_replaced_by_copy(self) -> None:
        with pytest.raises(dataclasses.FrozenInstanceError):
            DEFAULT_LIMITS.max_rows = 5  # type: ignore[misc]
        lower = DEFAULT_LIMITS.replace(max_rows=5)
        assert (lower.max_rows, DEFAULT_LIMITS.max_rows) == (5, 1_000_000)

    def test_max_bytes_overrides_the_limits_file_size(self, tmp_path: Path) -> None:
        path = write(tmp_path, "id,title\nR1,a\n", "r.csv")
        small = Limits(max_file_bytes=5)
        assert limit_of(pz.load_requirements, path, limits=small).limit == "max_file_bytes"
        assert len(pz.load_requirements(path, limits=small, max_bytes=None)) == 1
        assert len(pz.load_requirements(path, limits=Limits(max_file_bytes=None))) == 1


class TestTables:
    """Rows, columns, cells and text per cell, for CSV, XLSX and YAML alike."""

    CSV = "id,title,notes\nR1,a,xxxxxxxxxx\nR2,b,\nR3,c,\n"

    def sheet(self, tmp_path: Path) -> Path:
        rows = "".join(
            f'<row r="{n}">'
            + "".join(hostile.text_cell(f"{c}{n}", t) for c, t in zip("ABC", texts, strict=True))
            + "</row>"
            for n, texts in enumerate(
                [("id", "title", "notes"), ("R1", "a", "x" * 10), ("R2", "b", ""), ("R3", "c", "")],
                start=1,
            )
        )
        return hostile.write_xlsx(tmp_path / "r.xlsx", rows)

    def sources(self, tmp_path: Path) -> list[Path]:
        yaml_text = "- {id: R1, title: a, notes: xxxxxxxxxx}\n- {id: R2, title: b}\n"
        yaml_text += "- {id: R3, title: c}\n"
        return [
            write(tmp_path, self.CSV, "r.csv"),
            self.sheet(tmp_path),
            write(tmp_path, yaml_text, "r.yaml"),
        ]

    @pytest.mark.parametrize(
        ("limit", "value"),
        [("max_rows", 2), ("max_columns", 2), ("max_cells", 8), ("max_cell_chars", 9)],
    )
    def test_each_table_limit_in_each_format(self, tmp_path: Path, limit: str, value: int) -> None:
        limits = Limits(**{limit: value})
        for path in self.sources(tmp_path):
            problem = limit_of(pz.load_requirements, path, limits=limits)
            assert problem.limit == limit, path
            assert problem.file is not None and problem.file.startswith(str(path))
            assert f"{value:,}" in str(problem.expected)
            assert len(pz.load_requirements(path)) == 3  # the defaults let it through

    def test_at_the_limit_is_allowed(self, tmp_path: Path) -> None:
        limits = Limits(max_rows=3, max_columns=3, max_cells=9, max_cell_chars=10)
        for path in self.sources(tmp_path):
            assert len(pz.load_requirements(path, limits=limits)) == 3

    def test_a_long_csv_header_name(self, tmp_path: Path) -> None:
        path = write(tmp_path, f"id,title,{'n' * 20}\nR1,a,b\n", "r.csv")
        problem = limit_of(pz.load_requirements, path, limits=Limits(max_cell_chars=10))
        assert (problem.limit, problem.row) == ("max_cell_chars", 1)

    def test_a_header_name_longer_than_the_csv_module_reads(self, tmp_path: Path) -> None:
        path = write(tmp_path, f"id,{'n' * 200_000}\nR1,a\n", "r.csv")
        problem = limit_of(pz.load_requirements, path)
        assert (problem.limit, problem.value) == ("max_cell_chars", "more than 131,072 characters")

    def test_a_long_shared_string(self, tmp_path: Path) -> None:
        rows = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
        sst = f'<sst xmlns="{hostile.MAIN}"><si><t>id</t></si><si><t>{"t" * 50}</t></si></sst>'
        path = hostile.write_xlsx(
            tmp_path / "r.xlsx", rows, extra=[("xl/sharedStrings.xml", sst)], shared_strings=True
        )
        assert limit_of(pz.load_requirements, path, limits=Limits(max_cell_chars=20)).limit == (
            "max_cell_chars"
        )

    def test_records_and_dataframes_are_already_in_memory(self) -> None:
        tiny = Limits(max_rows=1, max_columns=1, max_cells=1)
        records = [{"id": "R1", "title": "a"}, {"id": "R2", "title": "b"}]
        assert len(pz.load_requirements(records, limits=tiny)) == 2


class TestWorkbookZip:
    def test_too_many_parts_from_the_end_record(self, tmp_path: Path) -> None:
        path = hostile.many_parts_xlsx(tmp_path / "parts.xlsx", 30)
        problem = limit_of(pz.load_requirements, path, limits=Limits(max_zip_entries=20))
        assert (problem.limit, problem.value) == ("max_zip_entries", "35 parts")

    def test_unzipped_total_and_ratio(self, tmp_path: Path) -> None:
        path = hostile.shared_string_bomb(tmp_path / "bomb.xlsx", megabytes=3)
        ratio = limit_of(pz.load_requirements, path, limits=Limits(max_compression_ratio=50))
        assert ratio.limit == "max_compression_ratio" and "to 1" in str(ratio.value)
        limits = Limits(max_unzipped_bytes=2_000_000, max_compression_ratio=10_000)
        total = limit_of(pz.load_requirements, path, limits=limits)
        assert total.limit == "max_unzipped_bytes"

    def test_a_part_that_lies_about_its_size_is_unreadable(self, tmp_path: Path) -> None:
        path = hostile.write_xlsx(tmp_path / "r.xlsx", hostile.HEADER_ROW)
        data = bytearray(path.read_bytes())
        with zipfile.ZipFile(path) as archive:
            size = archive.getinfo("xl/worksheets/sheet1.xml").file_size
        # the sheet's entry in the central directory: 46 bytes, then its name; the
        # uncompressed size is at 24
        name = data.find(b"xl/worksheets/sheet1.xml", data.find(b"PK\x01\x02"))
        field = name - 46 + 24
        assert int.from_bytes(data[field : field + 4], "little") == size
        data[field : field + 4] = (size // 2).to_bytes(4, "little")
        path.write_bytes(bytes(data))
        problem = limit_of(pz.load_requirements, path)
        assert "not a readable XLSX workbook" in problem.message


class TestYaml:
    def test_aliases(self, tmp_path: Path) -> None:
        text = "s: &s {min: 1, max: 5}\nrequirements:\n" + "".join(
            f"- {{id: R{i}, title: t, scale: *s}}\n" for i in range(5)
        )
        path = write(tmp_path, text, "r.yaml")
        assert limit_of(pz.load_requirements, path, limits=Limits(max_yaml_aliases=4)).limit == (
            "max_yaml_aliases"
        )

    def test_an_alias_inside_its_own_anchor(self, tmp_path: Path) -> None:
        path = write(tmp_path, "requirements: &r [*r]\n", "r.yaml")
        problem = limit_of(pz.load_requirements, path)
        assert problem.value == "*r" and problem.limit == "max_yaml_depth"

    def test_aliases_count_their_depth(self, tmp_path: Path) -> None:
        text = "a: &a [[[[x]]]]\nrequirements: [[[*a]]]\n"
        path = write(tmp_path, text, "r.yaml")
        assert limit_of(pz.load_requirements, path, limits=Limits(max_yaml_depth=7)).limit == (
            "max_yaml_depth"
        )
        with pytest.raises(pz.ValidationError, match="list of mappings"):
            pz.load_requirements(path, limits=Limits(max_yaml_depth=9))

    def test_anchors_for_shared_scales_still_work(self, tmp_path: Path) -> None:
        text = (
            "version: 1\nlikert: &likert {min: 1, max: 5}\ncriteria:\n"
            "- {id: impact, name: Impact, group: risk, direction: benefit, weight: 0.5, "
            "scale: *likert}\n"
            "- {id: cost, name: Cost, group: cost, direction: cost, weight: 0.5, scale: *likert}\n"
        )
        criteria = pz.load_criteria(write(tmp_path, text, "c.yaml"))
        assert [c.scale.max for c in criteria] == [5, 5]


class TestCriteria:
    def test_file_size(self, tmp_path: Path) -> None:
        path = write(tmp_path, "version: 1\n" + "#" * 100 + "\n", "c.yaml")
        problem = limit_of(pz.load_criteria, path, limits=Limits(max_file_bytes=50))
        assert (problem.file, problem.limit) == (str(path), "max_file_bytes")

    @pytest.mark.parametrize(("low", "high"), [(-2e9, 5), (1, 1e10), (1, 1e308)])
    def test_scale_bounds(self, tmp_path: Path, low: float, high: float) -> None:
        data = tiny_criteria_mapping()
        data["criteria"][0]["scale"] = {"min": low, "max": high}
        problem = limit_of(pz.load_criteria, data)
        assert (problem.column, problem.limit) == ("scale", "max_scale_magnitude")

    def test_weight_limit_can_be_raised(self) -> None:
        data = tiny_criteria_mapping()
        data["criteria"][0]["weight"] = 5e6
        assert limit_of(pz.load_criteria, data).limit == "max_weight"
        with pytest.warns(pz.WeightsNormalisedWarning):
            raised = pz.load_criteria(data, limits=Limits(max_weight=1e7))
        assert raised.criteria[0].weight == 5e6

    def test_number_of_criteria(self) -> None:
        data = tiny_criteria_mapping()
        problem = limit_of(pz.load_criteria, data, limits=Limits(max_columns=1))
        assert (problem.column, problem.limit) == ("criteria", "max_columns")


class TestMessages:
    def test_a_problem_cuts_its_value_when_built(self) -> None:
        problem = Problem("bad", file="f" * 5_000, value="v" * 10_000, column="c" * 300)
        assert problem.value is not None and problem.column is not None
        assert problem.value.endswith("… (10,000 characters)")
        assert len(problem.value) < VALUE_CHARS + 30 and len(problem.column) < VALUE_CHARS + 30
        assert len(str(pz.ValidationError([problem] * 100))) < 40_000

    def test_a_criteria_problem_shows_a_huge_value_cut(self, tmp_path: Path) -> None:
        data = tiny_criteria_mapping()
        data["criteria"][0]["group"] = ["x" * 1_000] * 1_000
        problem = limit_of(pz.load_criteria, data)
        assert problem.column == "group"
        assert problem.value is not None and len(problem.value) <= VALUE_CHARS

    @settings(max_examples=200, deadline=None)
    @given(
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
            lambda inner: (
                st.lists(inner, max_size=6)
                | st.tuples(inner, inner)
                | st.dictionaries(st.text(max_size=5), inner, max_size=5)
            ),
            max_leaves=40,
        ),
        st.integers(min_value=10, max_value=300),
    )
    def test_bounded_repr_is_repr_cut(self, value: object, limit: int) -> None:
        shown = bounded_repr(value, limit)
        full = repr(value)
        if len(full) <= limit:
            assert shown == full
        else:
            assert len(shown) == limit and shown.endswith("… (cut)")
            assert full.startswith(shown.removesuffix("… (cut)"))

    def test_bounded_repr_of_a_billion_laughs_and_a_loop(self) -> None:
        value: list[Any] = ["lol"] * 9
        for _ in range(9):
            value = [value] * 9
        assert len(bounded_repr(value)) == VALUE_CHARS
        loop: list[Any] = [1]
        loop.append(loop)
        assert bounded_repr(loop) == "[1, [...]]"
