"""Hostile input files, written by hand so that each test (and ``benchmarks/bench_hostile.py``)
builds its own: a sparse sheet, a shared-string zip bomb, a billion laughs, a CSV of
100,000 columns, YAML nested 50,000 deep, a workbook without a sheet.

Each writer takes the path to write and returns it. A minimal XLSX is five parts
([Content_Types].xml, _rels/.rels, xl/workbook.xml, xl/_rels/workbook.xml.rels and the
sheet), assembled with :mod:`zipfile` so that nothing but these tests decides its content.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

CONTENT_TYPES = (
    _XML + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    _XML + f'<Relationships xmlns="{_PACKAGE_REL}"><Relationship Id="rId1" '
    f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)


def workbook_xml(sheets: Iterable[str] = ("Sheet1",)) -> str:
    entries = "".join(
        f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"/>' for i, name in enumerate(sheets, 1)
    )
    return _XML + f'<workbook xmlns="{MAIN}" xmlns:r="{_REL}"><sheets>{entries}</sheets></workbook>'


def workbook_rels(sheets: int = 1, shared_strings: bool = False) -> str:
    entries = "".join(
        f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, sheets + 1)
    )
    if shared_strings:
        entries += (
            f'<Relationship Id="rId{sheets + 1}" Type="{_REL}/sharedStrings" '
            'Target="sharedStrings.xml"/>'
        )
    return _XML + f'<Relationships xmlns="{_PACKAGE_REL}">{entries}</Relationships>'


def sheet_xml(rows: str) -> str:
    return _XML + f'<worksheet xmlns="{MAIN}"><sheetData>{rows}</sheetData></worksheet>'


def text_cell(reference: str, text: str) -> str:
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


def number_cell(reference: str, number: float) -> str:
    return f'<c r="{reference}"><v>{number}</v></c>'


def write_xlsx(
    path: Path,
    rows: str,
    *,
    sheets: Iterable[str] = ("Sheet1",),
    extra: Iterable[tuple[str, str | bytes]] = (),
    shared_strings: bool = False,
) -> Path:
    """A minimal workbook whose first sheet holds ``rows`` (``<row>`` elements)."""
    names = list(sheets)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", workbook_xml(names))
        archive.writestr("xl/_rels/workbook.xml.rels", workbook_rels(len(names), shared_strings))
        for i in range(1, max(len(names), 1) + 1):
            archive.writestr(f"xl/worksheets/sheet{i}.xml", sheet_xml(rows if i == 1 else ""))
        for name, data in extra:
            archive.writestr(name, data)
    return path


HEADER_ROW = '<row r="1">' + text_cell("A1", "id") + text_cell("B1", "title") + "</row>"


def sparse_xlsx(path: Path) -> Path:
    """1.5 KB: a header, one cell at XFD2 and one at A1048576. pandas' reader (openpyxl)
    fills the gaps: 5.3 GB of memory, then a MemoryError."""
    rows = (
        HEADER_ROW
        + '<row r="2">'
        + text_cell("A2", "R1")
        + number_cell("XFD2", 1)
        + "</row>"
        + '<row r="1048576">'
        + number_cell("A1048576", 1)
        + "</row>"
    )
    return write_xlsx(path, rows)


def far_row_xlsx(path: Path) -> Path:
    """One value far below the header (A1048576), nothing wide."""
    rows = HEADER_ROW + '<row r="1048576">' + text_cell("A1048576", "R1") + "</row>"
    return write_xlsx(path, rows)


def shared_string_bomb(path: Path, megabytes: int = 210) -> Path:
    """A workbook whose shared-string table is one text of ``megabytes`` MB of a single
    letter: deflate squeezes it a thousand times (about 200 KB on disk). Written in 1 MB
    pieces, so that building it costs no more memory than that."""
    write_xlsx(path, HEADER_ROW, shared_strings=True)
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part,
    ):
        part.write(f'<sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>'.encode())
        piece = b"a" * 1_000_000
        for _ in range(megabytes):
            part.write(piece)
        part.write(b"</t></si></sst>")
    return path


def many_parts_xlsx(path: Path, parts: int) -> Path:
    """A workbook padded with ``parts`` empty parts."""
    return write_xlsx(path, HEADER_ROW, extra=[(f"pad/{i}.xml", "") for i in range(parts)])


def no_sheet_xlsx(path: Path) -> Path:
    """A workbook whose sheet list is empty (pandas: IndexError)."""
    return write_xlsx(path, "", sheets=())


def billion_laughs(path: Path, criteria: bool = True) -> Path:
    """367 bytes: nine anchors, each a list of nine aliases to the one before; the last
    expands to 9**9 (387 million) strings. ``yaml.safe_load`` builds it shared and small,
    then anything that walks it (a repr in an error message, pandas) expands it."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    previous = "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
        previous = name
    lines.append("version: 1\ncriteria: *i" if criteria else "requirements: *i")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def deep_yaml(path: Path, depth: int = 50_000, key: str = "requirements") -> Path:
    """A list nested ``depth`` deep (100 KB): PyYAML's composer recurses once per level."""
    path.write_text(f"{key}: " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    return path


def wide_csv(path: Path, columns: int = 100_000) -> Path:
    """889 KB: a header of ``columns`` names and one row (pandas: 551 s)."""
    header = ",".join(f"c{i}" for i in range(columns))
    row = ",".join("1" for _ in range(columns))
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    return path


def heavy_weights_yaml(path: Path, weight: str = "1.0e+308") -> Path:
    """A criteria set whose two weights are ``weight`` (YAML 1.1: a float needs its dot,
    ``1e308`` is text): every score overflowed to NaN."""
    criteria = "".join(
        f"- {{id: {cid}, name: {cid}, group: risk, direction: benefit, weight: {weight}, "
        "scale: {min: 1, max: 5}}\n"
        for cid in ("impact", "cost")
    )
    path.write_text(f"version: 1\ncriteria:\n{criteria}", encoding="utf-8")
    return path
