"""No text a council could type leaves any output as a formula or a link (issue 10,
deliverable 3).

Hypothesis writes any text -- any unicode, with ``= + - @``, tabs, CR, LF, ``;``, ``,``,
quotes and control characters embedded anywhere -- into every user field (requirement ids,
titles, descriptions, evidence, requested by, member names, reasons, rationale, dissent,
decided by, the criteria set's name and description, criterion names and descriptions, gate
reasons, scale anchors), evaluates, and reads every output back:

* the ranking CSV and the sensitivity CSV with ``csv.reader`` using ``,`` (quotes
  honoured) and using ``;`` and tab on each physical line (a reader in another locale, or
  one that splits rows first): no cell starts with ``=``, ``+``, ``-``, ``@``, a tab or a
  CR unless it is a number, and ``csv_unquote`` of each text gives the held text back;
* the ranking JSON: text is data, so every text comes back exactly as held, and the file
  holds no character that drives a terminal;
* the workbook with openpyxl: it opens, every part is well-formed XML, no cell is a formula
  (``data_type`` ``'f'``), every text that starts like a formula carries ``quotePrefix``,
  and there is no hyperlink or external relationship.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import warnings
import zipfile
from typing import Any
from xml.etree import ElementTree

import openpyxl
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import prioritize as pz
from prioritize.cli import sensitivity as cli_sensitivity
from prioritize.export import csv_unquote, export_ranking, is_formula_like, portfolio_xlsx
from prioritize.load.identity import comparable
from tests.conftest import tiny_criteria_mapping

#: Pieces that split a CSV cell, start a formula, or drive a terminal.
PIECES = st.sampled_from(
    [
        "=",
        "+",
        "-",
        "@",
        "\t",
        "\r",
        "\n",
        "\r\n",
        ";",
        ",",
        '"',
        "'",
        " ",
        "＝",
        "\x00",
        "\x1b[2J",
        "\x1b]8;;http://evil.example\x07",
        "\x9b",
        "\u202e",
        "\u2028",
        '=HYPERLINK("http://evil.example","x")',
        "cmd|' /C calc'!A0",
        "1",
    ]
)
HOSTILE = st.lists(st.one_of(PIECES, st.text(max_size=4)), max_size=10).map("".join)
NONBLANK = HOSTILE.filter(lambda t: t.strip() != "")
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
#: Characters that may not appear raw in the JSON file (C0 controls, DEL, C1, bidi).
TERMINAL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: Characters a workbook cannot hold (replaced with U+FFFD).
ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
SETTINGS = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
REQUIREMENTS, MEMBERS = ("R1", "R2"), ("m1", "m2")


@st.composite
def councils(draw: st.DrawFn) -> dict[str, Any]:
    # two ids the loader tells apart (it refuses look-alikes: same text once stripped,
    # format characters removed, NFC and case folded)
    ids = draw(
        st.lists(
            NONBLANK,
            min_size=2,
            max_size=2,
            unique_by=(lambda t: comparable(t.strip()), lambda t: comparable(t).strip()),
        )
    )
    return {
        "ids": ids,
        "titles": [draw(NONBLANK) for _ in ids],
        "descriptions": [draw(HOSTILE) for _ in ids],
        "evidence": [draw(HOSTILE) for _ in ids],
        "requested_by": [draw(HOSTILE) for _ in ids],
        "names": [draw(NONBLANK) for _ in MEMBERS],
        "reasons": [draw(HOSTILE) for _ in range(12)],
        "rationale": draw(HOSTILE),
        "dissent": draw(HOSTILE),
        "decided_by": draw(HOSTILE),
        "set_name": draw(NONBLANK),
        "set_description": draw(HOSTILE),
        "criterion_names": [draw(NONBLANK) for _ in range(3)],
        "criterion_description": draw(HOSTILE),
        "gate_reason": draw(HOSTILE),
        "anchor": draw(NONBLANK),
    }


def evaluate(texts: dict[str, Any]) -> pz.Evaluation:
    mapping = tiny_criteria_mapping(name=texts["set_name"], description=texts["set_description"])
    for criterion, name in zip(mapping["criteria"], texts["criterion_names"], strict=True):
        criterion["name"] = name
    mapping["criteria"][0]["description"] = texts["criterion_description"]
    mapping["criteria"][0]["scale"]["levels"] = {1: texts["anchor"], 5: "huge"}
    mapping["criteria"][1]["gate"] = {"at_least": 5, "reason": texts["gate_reason"]}
    criteria = pz.load_criteria(mapping)
    requirements = pd.DataFrame(
        {
            "id": texts["ids"],
            "title": texts["titles"],
            "description": texts["descriptions"],
            "evidence": texts["evidence"],
            "requested_by": texts["requested_by"],
        }
    )
    members = pd.DataFrame(
        {
            "id": list(MEMBERS),
            "name": texts["names"],
            "department": ["Legal", "Finance"],
            "role": "member",
        }
    )
    held = pz.load_requirements(requirements).ids  # the ids as the loader keeps them
    keys = pd.MultiIndex.from_product(
        [list(held), list(MEMBERS), list(criteria.ids)],
        names=["requirement_id", "member", "criterion"],
    )
    scores = keys.to_frame(index=False)
    scores["score"] = [5, 4, 3, 2, 1, 0, 3, 3, 2, 2, 5, 9]
    scores["reason"] = texts["reasons"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pz.evaluate(criteria, requirements, scores, members=members)


def assert_no_formula_cell(text: str, where: str) -> None:
    """No cell a ``,``, ``;`` or tab reader sees starts like a formula, unless a number."""
    readings = {",": list(csv.reader(io.StringIO(text, newline="")))}
    lines = re.split(r"\r\n|\r|\n", text)
    for separator in (";", "\t"):
        readings[separator] = [next(csv.reader([line], delimiter=separator), []) for line in lines]
    for separator, rows in readings.items():
        for row in rows:
            for cell in row:
                if cell.startswith(TRIGGERS):
                    try:
                        float(cell)
                    except ValueError:
                        raise AssertionError((where, separator, cell)) from None


def csv_outputs(ev: pz.Evaluation) -> dict[str, str]:
    ranking = io.StringIO()
    export_ranking(ev, ranking, "csv")
    parser = argparse.ArgumentParser()
    cli_sensitivity.add_arguments(parser)
    sensitivity = io.StringIO()
    args = parser.parse_args(["--format", "csv", "--samples", "50", "--top-k", "1"])
    cli_sensitivity.run(ev, args, sensitivity)
    return {"ranking": ranking.getvalue(), "sensitivity": sensitivity.getvalue()}


def held_texts(ev: pz.Evaluation) -> dict[str, list[str]]:
    """Every user text of the ranking, as the evaluation holds it."""
    return {
        "id": [str(i) for i in ev.table.index],
        "title": [str(t) for t in ev.table["title"]],
        "explanation": [str(t) for t in ev.table["explanation"]],
    }


@SETTINGS
@given(councils())
def test_no_text_in_any_field_leaves_an_output_as_a_formula(texts: dict[str, Any]) -> None:
    ev = evaluate(texts)
    held = held_texts(ev)
    replaced = {k: [ILLEGAL.sub("\ufffd", t) for t in v] for k, v in held.items()}

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # replaced characters are announced, not tested here
        outputs = csv_outputs(ev)
    for where, text in outputs.items():
        assert_no_formula_cell(text, where)
    rows = list(csv.DictReader(io.StringIO(outputs["ranking"], newline="")))
    for column, expected in replaced.items():
        assert [csv_unquote(r[column]) for r in rows] == expected, column
        # a text field never starts like a formula, not even when it looks like a number
        assert not any(r[column].startswith(TRIGGERS) for r in rows), column
    rows = list(csv.DictReader(io.StringIO(outputs["sensitivity"], newline="")))
    assert [csv_unquote(r["title"]) for r in rows] == replaced["title"]
    for column in ("id", "title", "category", "flip_criterion", "reason"):
        assert not any(r[column].startswith(TRIGGERS) for r in rows), column

    document = io.StringIO()
    export_ranking(ev, document, "json", generated_at="2026-01-01T00:00:00Z")
    assert TERMINAL.search(document.getvalue().replace("\n", "")) is None
    records = json.loads(document.getvalue())["requirements"]
    for column, expected in held.items():
        assert [r[column] for r in records] == expected  # JSON: the text exactly as held

    decisions = pd.DataFrame(
        {
            "requirement_id": list(ev.requirements.ids),
            "outcome": ["approve", "reject"],
            "rationale": [texts["rationale"]] * 2,
            "decided_by": [texts["decided_by"]] * 2,
            "dissent": [texts["dissent"]] * 2,
        }
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        stability = pz.stability_intervals(ev, scope="ranking")
        acceptability = pz.smaa(ev, samples=50, seed=1, pairwise=False)
        data = portfolio_xlsx(
            ev,
            decisions=decisions,
            stability=stability,
            acceptability=acceptability,
            generated_at="2026-01-01T00:00:00Z",
        )
    assert_workbook_is_safe(data, ev, texts)


def assert_workbook_is_safe(data: bytes, ev: pz.Evaluation, texts: dict[str, Any]) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for part in archive.namelist():
            body = archive.read(part)
            ElementTree.fromstring(body)  # well-formed, metadata included
            assert b"<f>" not in body and b"<f " not in body, part
            assert b"<hyperlink" not in body and b"/hyperlink" not in body, part
            assert b'TargetMode="External"' not in body, part
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.properties.title == "Portfolio: " + ILLEGAL.sub("\ufffd", ev.criteria.name)
    seen = set()
    for sheet in book:
        assert not sheet._hyperlinks, sheet.title
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type not in ("f", "e"), (sheet.title, cell.coordinate)
                if isinstance(cell.value, str):
                    seen.add(cell.value)
                    if cell.value.lstrip().startswith(TRIGGERS) or is_formula_like(cell.value):
                        assert cell.quotePrefix, (sheet.title, cell.coordinate, cell.value)
    # the user's text is in the workbook (as held, with what XML cannot hold replaced)
    names = ev.members.frame["name"] if ev.members is not None else []
    for text in (
        *ev.requirements.frame["title"],
        *names,
        *(c.name for c in ev.criteria),
        texts["rationale"],
        texts["dissent"],
    ):
        shown = ILLEGAL.sub("\ufffd", str(text)).strip()
        if shown and "x005f_" not in shown.lower():
            assert any(shown in value for value in seen), text
