"""The fixed parts of an xlsx package (Office Open XML, ECMA-376): cell formats, content
types, relationships, document properties, the workbook part, and deterministic zip entries.
:mod:`prioritize.export.xlsx` writes the sheets and shared strings around them.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

__all__ = [
    "MAIN",
    "REL",
    "XML_DECL",
    "Style",
    "StyleTable",
    "column_letter",
    "package_parts",
    "xml_attr",
    "zip_entry",
]

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
#: Number formats every spreadsheet knows by number; others are declared from 164 on.
BUILTIN_FORMATS = {"General": 0, "0": 1, "0.00": 2, "0%": 9, "0.00%": 10, "@": 49}


@dataclass(frozen=True, slots=True)
class Style:
    """How a cell looks. Colours are ``"#RRGGBB"``; ``number_format`` is an Excel code."""

    bold: bool = False
    fill: str | None = None
    font_colour: str | None = None
    number_format: str | None = None
    wrap: bool = False
    quote_prefix: bool = False


def column_letter(index: int) -> str:
    """Spreadsheet letters of a 0-based column index (0 -> ``A``, 26 -> ``AA``)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def xml_attr(text: str) -> str:
    """``text`` escaped for an XML attribute value or element text (tab and line breaks as
    character references, which a parser keeps as they are). The caller has replaced the
    characters XML cannot hold (:func:`prioritize.export.text.sanitize_text`)."""
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("\r", "&#13;")
        .replace("\n", "&#10;")
        .replace("\t", "&#9;")
    )


class StyleTable:
    """The workbook's cell formats (``cellXfs``), numbered in order of first use."""

    def __init__(self) -> None:
        self.xfs: dict[Style, int] = {Style(): 0}

    def id(self, style: Style) -> int:
        """The format number of ``style`` (registered on first use)."""
        if style not in self.xfs:
            self.xfs[style] = len(self.xfs)
        return self.xfs[style]

    def xml(self) -> str:
        """The ``styles.xml`` part."""
        formats: dict[str, int] = {}
        fonts: dict[tuple[bool, str | None], int] = {(False, None): 0}
        fills: dict[str | None, int] = {None: 0}
        xfs = []
        for style in self.xfs:
            code = style.number_format or "General"
            if code in BUILTIN_FORMATS:
                fmt = BUILTIN_FORMATS[code]
            else:
                fmt = formats.setdefault(code, 164 + len(formats))
            font = fonts.setdefault((style.bold, style.font_colour), len(fonts))
            # fills 0 and 1 are reserved by the format (none, gray125)
            fill = fills.setdefault(style.fill, len(fills) + 1) if style.fill else 0
            attrs = (
                f'numFmtId="{fmt}" fontId="{font}" fillId="{fill}" borderId="0" xfId="0"'
                + (' applyNumberFormat="1"' if fmt else "")
                + (' applyFont="1"' if font else "")
                + (' applyFill="1"' if fill else "")
                + (' quotePrefix="1"' if style.quote_prefix else "")
            )
            if style.wrap:
                xfs.append(
                    f'<xf {attrs} applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>'
                )
            else:
                xfs.append(f"<xf {attrs}/>")
        parts = [XML_DECL, f'<styleSheet xmlns="{MAIN}">']
        if formats:
            parts.append(f'<numFmts count="{len(formats)}">')
            parts += [
                f'<numFmt numFmtId="{i}" formatCode="{xml_attr(c)}"/>' for c, i in formats.items()
            ]
            parts.append("</numFmts>")
        parts.append(f'<fonts count="{len(fonts)}">')
        for bold, colour in fonts:
            parts.append(
                "<font>"
                + ("<b/>" if bold else "")
                + '<sz val="11"/>'
                + (f'<color rgb="FF{colour[1:].upper()}"/>' if colour else "")
                + '<name val="Calibri"/><family val="2"/></font>'
            )
        parts.append(
            f'</fonts><fills count="{len(fills) + 1}">'
            '<fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill>'
        )
        for colour in list(fills)[1:]:
            assert colour is not None
            parts.append(
                f'<fill><patternFill patternType="solid"><fgColor '
                f'rgb="FF{colour[1:].upper()}"/><bgColor indexed="64"/>'
                "</patternFill></fill>"
            )
        parts.append(
            '</fills><borders count="1"><border><left/><right/><top/><bottom/>'
            '<diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" '
            'fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            f'<cellXfs count="{len(xfs)}">'
        )
        parts += xfs
        parts.append(
            '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" '
            'builtinId="0"/></cellStyles><dxfs count="0"/><tableStyles count="0"/>'
            "</styleSheet>"
        )
        return "".join(parts)


def zip_entry(name: str, when: datetime) -> zipfile.ZipInfo:
    """A deflated zip entry stamped ``when``, the same bytes whatever system writes it."""
    info = zipfile.ZipInfo(
        name,
        date_time=(max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second),
    )
    info.compress_type = zipfile.ZIP_DEFLATED
    # Level 1: a quarter of the default's time for a file about 20% larger.
    setattr(info, "compress_level" if hasattr(info, "compress_level") else "_compresslevel", 1)
    info.create_system = 0  # the same bytes whatever system wrote them
    info.external_attr = 0
    return info


def package_parts(
    names: Sequence[str],
    filters: Sequence[tuple[str, int, int] | None],
    styles_xml: str,
    *,
    created: datetime,
    title: str,
    creator: str,
) -> dict[str, str]:
    """Every part but the sheets and the shared strings, by part name.

    ``filters`` gives, per sheet, ``(name, columns, last row)`` of its autofilter, or None.
    """
    stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ")
    sheet_rels = "".join(
        f'<Relationship Id="rId{i + 1}" Type="{REL}/worksheet" '
        f'Target="worksheets/sheet{i + 1}.xml"/>'
        for i in range(len(names))
    )
    n = len(names)
    # Excel keeps each autofilter's range in a hidden defined name as well.
    defined = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
        + xml_attr(
            "'" + f[0].replace("'", "''") + "'!$A$1:$" + column_letter(f[1] - 1) + f"${f[2]}"
        )
        + "</definedName>"
        for i, f in enumerate(filters)
        if f is not None
    )
    parts = {
        "[Content_Types].xml": (
            f'{XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
            'main+xml"/>'
            + "".join(
                f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" ContentType="'
                "application/vnd.openxmlformats-officedocument.spreadsheetml."
                'worksheet+xml"/>'
                for i in range(n)
            )
            + '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override '
            'PartName="/xl/sharedStrings.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override '
            'PartName="/docProps/core.xml" ContentType="application/'
            'vnd.openxmlformats-package.core-properties+xml"/><Override '
            'PartName="/docProps/app.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'{XML_DECL}<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" '
            f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/><Relationship Id="rId2" '
            'Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
            'core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" '
            f'Type="{REL}/extended-properties" Target="docProps/app.xml"/></Relationships>'
        ),
        "docProps/app.xml": (
            f'{XML_DECL}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/'
            '2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/'
            'officeDocument/2006/docPropsVTypes"><Application>prioritize</Application>'
            "</Properties>"
        ),
        "docProps/core.xml": (
            f'{XML_DECL}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/'
            'package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/'
            'dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{xml_attr(title)}</dc:title><dc:creator>{xml_attr(creator)}"
            f'</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">{stamp}'
            f'</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}'
            "</dcterms:modified></cp:coreProperties>"
        ),
        "xl/workbook.xml": (
            f'{XML_DECL}<workbook xmlns="{MAIN}" xmlns:r="{REL}"><workbookPr/><bookViews>'
            '<workbookView activeTab="0"/></bookViews><sheets>'
            + "".join(
                f'<sheet name="{xml_attr(name)}" sheetId="{i + 1}" r:id="rId{i + 1}"/>'
                for i, name in enumerate(names)
            )
            + "</sheets>"
            + (f"<definedNames>{defined}</definedNames>" if defined else "")
            + "</workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            f'{XML_DECL}<Relationships xmlns="{PKG_REL}">{sheet_rels}'
            f'<Relationship Id="rId{n + 1}" Type="{REL}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId{n + 2}" Type="{REL}/sharedStrings" '
            'Target="sharedStrings.xml"/></Relationships>'
        ),
        "xl/styles.xml": styles_xml,
    }
    return parts
