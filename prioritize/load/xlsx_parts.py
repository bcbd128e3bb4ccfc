"""The parts of an XLSX workbook, read within limits with the standard library only.

An XLSX is a zip of XML parts. Before anything is decompressed, :func:`check_zip` checks
the zip's own directory against the :class:`~prioritize.load.limits.Limits` (how many
parts, their uncompressed sizes, their compression ratio), so a zip bomb is refused from
its table of contents. :class:`Workbook` then finds a sheet by name or number and reads
what its cells refer to (the shared strings, which cell styles show dates), streaming every
part so that memory stays that of one element whatever a part's size.
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from xml.etree import ElementTree as ET

from prioritize.errors import Problem, ValidationError
from prioritize.load.limits import RATIO_FLOOR_BYTES, Limits, exceeded

_OFFICE_DOCUMENT = "/officeDocument"
#: Built-in number formats that show a date or time (ECMA-376 part 1, 18.8.30).
_DATE_FORMAT_IDS = frozenset({14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 47})
_DURATION_FORMAT_IDS = frozenset({46})
#: Text in a custom format code that is not a date part: quoted text, escapes, colours.
_NOT_DATE_PART = re.compile(r'"[^"]*"|\\.|_.|\*.|\[(?!h\]|hh\]|m\]|mm\]|s\]|ss\])[^\]]*\]')
_DATE_PART = re.compile(r"[dmyhs]", re.IGNORECASE)
_DURATION_PART = re.compile(r"\[(h|hh|m|mm|s|ss)\]", re.IGNORECASE)
#: A cell style's kind in :attr:`SheetPart.dates`.
DATE, DURATION = 1, 2


@dataclass(frozen=True, slots=True)
class SheetPart:
    """One sheet of a workbook and what reading its cells needs."""

    label: str  # "file.xlsx [sheet Name]"
    path: str  # the sheet's part in the zip
    strings: list[str]  # the shared strings
    dates: bytearray  # per cell style: DATE, DURATION or 0
    date1904: bool  # serial dates count from 1904, not 1900


def check_zip(payload: Path | io.BytesIO, label: str, limits: Limits) -> zipfile.ZipFile:
    """The workbook's zip, opened once its directory is known to be within ``limits``."""
    _check_entry_count(payload, label, limits)
    try:
        archive = zipfile.ZipFile(payload)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise unreadable(label, exc) from exc
    try:
        _check_directory(archive, label, limits)
    except ValidationError:
        archive.close()
        raise
    return archive


def unreadable(label: str, exc: BaseException) -> ValidationError:
    detail = str(exc).strip()
    return ValidationError(
        Problem(
            f"not a readable XLSX workbook{': ' + detail if detail else ''}",
            file=label,
            expected="an .xlsx file saved by Excel or openpyxl",
        )
    )


def _check_entry_count(payload: Path | io.BytesIO, label: str, limits: Limits) -> None:
    """Refuse a zip that lists too many parts from its end record, before ``zipfile``
    builds an object for each of them."""
    if isinstance(payload, Path):
        with payload.open("rb") as handle:
            size = handle.seek(0, io.SEEK_END)
            handle.seek(max(size - 65_557, 0))
            tail = handle.read()
    else:
        tail = payload.getbuffer()[-65_557:].tobytes()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return  # not a zip: zipfile says so
    (entries,) = struct.unpack("<H", tail[at + 10 : at + 12])
    locator = tail.rfind(b"PK\x06\x07", 0, at)
    if entries == 0xFFFF and locator >= 0:
        # zip64: the record itself is elsewhere in the file; its count is its 8-byte field
        # at 32, but a workbook never needs zip64 for its entry count, so take the claim
        entries = limits.max_zip_entries + 1
    if entries > limits.max_zip_entries:
        raise exceeded(
            "max_zip_entries",
            "the workbook has too many parts",
            file=label,
            found=f"{entries:,} parts",
            expected=f"at most {limits.max_zip_entries:,} parts",
        )


def _check_directory(archive: zipfile.ZipFile, label: str, limits: Limits) -> None:
    """Sizes from the zip's directory, before any part is decompressed. (``zipfile`` never
    returns more bytes than the directory declares: a lie fails its CRC check.)"""
    infos = archive.infolist()
    if len(infos) > limits.max_zip_entries:
        raise exceeded(
            "max_zip_entries",
            "the workbook has too many parts",
            file=label,
            found=f"{len(infos):,} parts",
            expected=f"at most {limits.max_zip_entries:,} parts",
        )
    total = 0
    for info in infos:
        if info.file_size > limits.max_part_bytes:
            raise exceeded(
                "max_part_bytes",
                f"part {info.filename} of the workbook is too large uncompressed",
                file=label,
                found=f"{info.file_size / 1e6:,.1f} MB",
                expected=f"at most {limits.max_part_bytes / 1e6:,.0f} MB per part",
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR_BYTES and ratio > limits.max_compression_ratio:
            raise exceeded(
                "max_compression_ratio",
                f"part {info.filename} of the workbook is compressed suspiciously well "
                "(a zip bomb?)",
                file=label,
                found=f"{ratio:,.0f} to 1",
                expected=f"at most {limits.max_compression_ratio:,.0f} to 1",
            )
        total += info.file_size
    if total > limits.max_unzipped_bytes:
        raise exceeded(
            "max_unzipped_bytes",
            "the workbook is too large uncompressed",
            file=label,
            found=f"{total / 1e6:,.1f} MB",
            expected=f"at most {limits.max_unzipped_bytes / 1e6:,.0f} MB",
        )


def local(tag: str) -> str:
    return tag.rpartition("}")[2]


def iterparse(
    stream: IO[bytes], release: frozenset[str] | None = None
) -> Iterator[tuple[str, ET.Element]]:
    """A part's start and end events; at its end, an element whose local name is in
    ``release`` (every element when None) is removed from its parent once the caller has
    seen it, so memory stays that of one such element whatever the part's size."""
    parents: list[ET.Element] = []
    for event, element in ET.iterparse(stream, events=("start", "end")):
        if event == "start":
            parents.append(element)
            yield event, element
            continue
        parents.pop()
        yield event, element
        if parents and (release is None or local(element.tag) in release):
            parents[-1].remove(element)


def _attribute(element: ET.Element, name: str) -> str | None:
    """An attribute by its local name, whatever its namespace (``r:id``)."""
    for key, value in element.attrib.items():
        if local(key) == name:
            return value
    return None


class Workbook:
    """The parts of one workbook that reading a sheet needs: sheet names and paths, shared
    strings, which cell styles are dates."""

    def __init__(self, archive: zipfile.ZipFile, label: str, limits: Limits) -> None:
        self.archive = archive
        self.label = label
        self.limits = limits
        self.names = set(archive.namelist())

    def _elements(self, part: str) -> Iterator[ET.Element]:
        """Every element of a part at its end (then dropped)."""
        with self.archive.open(part) as stream:
            for event, element in iterparse(stream):
                if event == "end":
                    yield element

    def _relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationship id -> (type, target part) of ``part``'s relationships."""
        folder, name = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", f"{name}.rels")
        found: dict[str, tuple[str, str]] = {}
        if rels not in self.names:
            return found
        for element in self._elements(rels):
            if local(element.tag) != "Relationship" or element.get("TargetMode") == "External":
                continue
            target = element.get("Target") or ""
            path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            found[element.get("Id") or ""] = (element.get("Type") or "", posixpath.normpath(path))
            if len(found) > self.limits.max_zip_entries:
                raise self._too_many_parts()
        return found

    def _too_many_parts(self) -> ValidationError:
        return exceeded(
            "max_zip_entries",
            "the workbook lists too many parts",
            file=self.label,
            found=f"more than {self.limits.max_zip_entries:,}",
            expected=f"at most {self.limits.max_zip_entries:,} parts",
        )

    def sheet(self, sheet: str | int | None) -> SheetPart:
        """The chosen sheet (default: the first) and what reading its cells needs."""
        document = next(
            (
                target
                for kind, target in self._relationships("").values()
                if kind.endswith(_OFFICE_DOCUMENT)
            ),
            "xl/workbook.xml",
        )
        if document not in self.names:
            raise unreadable(self.label, KeyError(f"no workbook part {document}"))
        sheets: list[tuple[str, str]] = []  # (name, relationship id)
        date1904 = False
        for element in self._elements(document):
            tag = local(element.tag)
            if tag == "sheet":
                sheets.append((element.get("name") or "", _attribute(element, "id") or ""))
                if len(sheets) > self.limits.max_zip_entries:
                    raise self._too_many_parts()
            elif tag == "workbookPr":
                date1904 = element.get("date1904", "").lower() in ("1", "true")
        if not sheets:
            raise ValidationError(
                Problem(
                    "the workbook has no sheet",
                    file=self.label,
                    expected="a workbook with at least one sheet",
                )
            )
        names = [name for name, _ in sheets]
        if sheet is None:
            chosen = 0
        elif isinstance(sheet, int) and 0 <= sheet < len(names):
            chosen = sheet
        elif isinstance(sheet, str) and sheet in names:
            chosen = names.index(sheet)
        else:
            raise ValidationError(
                Problem(
                    "no such sheet",
                    file=self.label,
                    value=str(sheet),
                    expected=f"one of {', '.join(names)}",
                )
            )
        relationships = self._relationships(document)
        name, rid = sheets[chosen]
        label = f"{self.label} [sheet {name}]"
        path = relationships.get(rid, ("", ""))[1]
        if path not in self.names:
            raise unreadable(label, KeyError(f"no part for sheet {name}"))
        strings: list[str] = []
        dates = bytearray()
        for kind, target in relationships.values():
            if kind.endswith("/sharedStrings") and target in self.names:
                strings = self._shared_strings(target)
            elif kind.endswith("/styles") and target in self.names:
                dates = self._date_styles(target)
        return SheetPart(label, path, strings, dates, date1904)

    def _shared_strings(self, part: str) -> list[str]:
        strings: list[str] = []
        limits = self.limits
        with self.archive.open(part) as stream:
            for event, element in iterparse(stream, frozenset({"si"})):
                if event == "start" or local(element.tag) != "si":
                    continue
                text = item_text(element)
                if len(text) > limits.max_cell_chars:
                    raise exceeded(
                        "max_cell_chars",
                        f"shared text number {len(strings)} is too long",
                        file=self.label,
                        found=f"{len(text):,} characters",
                        expected=f"at most {limits.max_cell_chars:,} characters in a cell",
                    )
                strings.append(text)
                if len(strings) > limits.max_cells:
                    raise exceeded(
                        "max_cells",
                        "the workbook holds more texts than a sheet may have cells",
                        file=self.label,
                        found=f"more than {limits.max_cells:,} texts",
                        expected=f"at most {limits.max_cells:,} cells",
                    )
        return strings

    def _date_styles(self, part: str) -> bytearray:
        """For each cell style (``s`` of a cell): 1 if it shows a date, 2 a duration."""
        custom: dict[int, int] = {}
        kinds = bytearray()
        in_cell_styles = False
        with self.archive.open(part) as stream:
            for event, element in iterparse(stream):
                tag = local(element.tag)
                if tag == "cellXfs":
                    in_cell_styles = event == "start"
                if event == "start":
                    continue
                if tag == "numFmt":
                    code = element.get("formatCode") or ""
                    custom[int(element.get("numFmtId") or -1)] = _format_kind(code)
                elif tag == "xf" and in_cell_styles:
                    number = int(element.get("numFmtId") or 0)
                    if number in custom:
                        kinds.append(custom[number])
                    else:
                        kinds.append(
                            DATE
                            if number in _DATE_FORMAT_IDS
                            else DURATION * (number in _DURATION_FORMAT_IDS)
                        )
                    if len(kinds) > self.limits.max_cells:
                        raise unreadable(self.label, ValueError("too many cell styles"))
        return kinds


def item_text(item: ET.Element) -> str:
    """The text of a shared or inline string: its ``<t>``, or the ``<t>`` of each run
    (``<r>``); phonetic readings (``<rPh>``) are not part of it."""
    pieces: list[str] = []
    for part in item:
        tag = local(part.tag)
        if tag == "t":
            pieces.append(part.text or "")
        elif tag == "r":
            pieces.extend(t.text or "" for t in part if local(t.tag) == "t")
    return "".join(pieces)


def _format_kind(code: str) -> int:
    """DATE if a number format code shows a date or time, DURATION a duration
    (``[h]:mm``), else 0. Only the first section (positive numbers) counts."""
    first = code.split(";")[0]
    if _DURATION_PART.search(first):
        return DURATION
    return DATE if _DATE_PART.search(_NOT_DATE_PART.sub("", first)) else 0
