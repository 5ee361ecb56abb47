"""Workbooks built to break a reader: each must be read, or refused in one sentence, by a caller that survives.

Many of them ask a dense-grid reader for hundreds of gigabytes; open them only through loaders.load_workbook
(or the CLI), whose reading runs in a worker with a memory limit, never through open_workbook in a test process.
"""

from __future__ import annotations

import base64
import io
import os
import zipfile

from openpyxl import Workbook

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
WORKSHEET_TYPE = REL + "/worksheet"
# Two cells at opposite corners: a dense grid between them is 17 billion cells.
FAR_CELL = '<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
RISK_HEADERS = ["Risk ID", "Risk title", "Owner", "Likelihood", "Consequence", "Current score"]


def _zip(parts: dict[str, bytes | str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def _sheet(body: str, head: str = "") -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">{head}<sheetData>{body}</sheetData></worksheet>'


def _package(sheets: list[tuple[str, str]], rels: list[tuple[str, str]], entries: dict[str, str]) -> bytes:
    """A workbook of `sheets` (name, relationship id), relationships (id, target) and worksheet zip entries."""
    overrides = "".join(
        f'<Override PartName="/{entry}" ContentType="application/vnd.openxmlformats-officedocument.'
        f'spreadsheetml.worksheet+xml"/>'
        for entry in entries
    )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        f"{overrides}</Types>"
    )
    root_rels = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL}">'
        f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    sheet_tags = "".join(
        f'<sheet name="{name}" sheetId="{n}" r:id="{rid}"/>' for n, (name, rid) in enumerate(sheets, 1)
    )
    workbook = (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">'
        f"<sheets>{sheet_tags}</sheets></workbook>"
    )
    rel_tags = "".join(f'<Relationship Id="{rid}" Type="{WORKSHEET_TYPE}" Target="{target}"/>' for rid, target in rels)
    workbook_rels = f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL}">{rel_tags}</Relationships>'
    return _zip(
        {
            "[Content_Types].xml": content_types,
            "_rels/.rels": root_rels,
            "xl/workbook.xml": workbook,
            "xl/_rels/workbook.xml.rels": workbook_rels,
            **entries,
        }
    )


def letter_case_relationship() -> bytes:
    """The relationship names `Worksheets/Sheet1.xml`; the zip entry is `xl/worksheets/sheet1.xml`."""
    return _package(
        [("Risks", "rId1")], [("rId1", "Worksheets/Sheet1.xml")], {"xl/worksheets/sheet1.xml": _sheet(FAR_CELL)}
    )


def duplicate_relationship_ids() -> bytes:
    return _package(
        [("Risks", "rId1")],
        [("rId1", "worksheets/sheet1.xml"), ("rId1", "worksheets/sheet2.xml")],
        {
            "xl/worksheets/sheet1.xml": _sheet('<row r="1"><c r="A1"><v>1</v></c></row>'),
            "xl/worksheets/sheet2.xml": _sheet(FAR_CELL),
        },
    )


def backslash_target() -> bytes:
    return _package(
        [("Risks", "rId1")], [("rId1", "worksheets\\sheet1.xml")], {"xl/worksheets/sheet1.xml": _sheet(FAR_CELL)}
    )


def percent_encoded_target() -> bytes:
    return _package(
        [("Risks", "rId1")], [("rId1", "worksheets/sheet%31.xml")], {"xl/worksheets/sheet1.xml": _sheet(FAR_CELL)}
    )


def unreferenced_sheet() -> bytes:
    """A worksheet in the zip that the workbook never names."""
    return _package(
        [("Risks", "rId1")],
        [("rId1", "worksheets/sheet1.xml")],
        {
            "xl/worksheets/sheet1.xml": _sheet('<row r="1"><c r="A1"><v>1</v></c></row>'),
            "xl/worksheets/sheet9.xml": _sheet(FAR_CELL),
        },
    )


def sheet_referenced_twice() -> bytes:
    """Two sheets whose relationships both lead to one worksheet, far cell included."""
    return _package(
        [("Risks", "rId1"), ("Copy", "rId2")],
        [("rId1", "worksheets/sheet1.xml"), ("rId2", "/xl/worksheets/sheet1.xml")],
        {"xl/worksheets/sheet1.xml": _sheet(FAR_CELL)},
    )


def _plain(body: str, head: str = "") -> bytes:
    return _package(
        [("Risks", "rId1")], [("rId1", "worksheets/sheet1.xml")], {"xl/worksheets/sheet1.xml": _sheet(body, head)}
    )


def many_col_attributes(count: int = 10_000) -> bytes:
    """A hidden <col> tag with thousands of min= attributes and no max= (a regular expression that looks, from each
    min=, for a max= further on goes quadratic)."""
    attributes = " ".join(f'min="{n}"' for n in range(1, count + 1))
    return _plain('<row r="1"><c r="A1"><v>1</v></c></row>', f'<cols><col hidden="1" {attributes}/></cols>')


def many_reference_attributes(count: int = 10_000) -> bytes:
    """A cell tag with thousands of r= attributes and no type, beside an error cell (a regular expression that
    looks, from each r=, for an error type further on goes quadratic)."""
    attributes = " ".join(f'r="A{n}"' for n in range(1, count + 1))
    return _plain(f'<row r="1"><c {attributes}><v>1</v></c><c r="B1" t="e"><v>#REF!</v></c></row>')


def repeating_ods() -> bytes:
    """A spreadsheet of under a kilobyte whose one row and one cell repeat to 96 million cells."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Risks">'
        '<table:table-row table:number-rows-repeated="40000"><table:table-cell '
        'table:number-columns-repeated="2400" office:value-type="float" office:value="1"><text:p>1</text:p>'
        "</table:table-cell></table:table-row>"
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
        archive.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
            'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.'
            'spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            "</manifest:manifest>",
        )
    return out.getvalue()


def _text(length: int) -> str:
    """Text that compresses as ordinary writing does (about 4 to 3), so no compression limit refuses it."""
    return base64.b64encode(os.urandom(length * 3 // 4 + 3)).decode("ascii")[:length]


def amplified_shared_string(length: int = 20 * 2**20, references: int = 400) -> bytes:
    """One long shared string referenced by many cells: small on disk, huge once each cell holds a copy."""
    strings = f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>{_text(length)}</t></si></sst>'
    rows = "".join(f'<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>' for r in range(1, references + 1))
    data = _plain(rows)
    source = zipfile.ZipFile(io.BytesIO(data))
    parts = {name: source.read(name) for name in source.namelist()}
    parts["xl/sharedStrings.xml"] = strings
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        f'<Relationship Id="rId9" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'.encode(),
    )
    return _zip(parts)


def long_title(length: int = 50 * 2**20) -> bytes:
    """A risk register whose one risk has a title of `length` characters (written inline, as openpyxl would cut it)."""
    rows = "".join(
        f'<row r="{r}">'
        + "".join(f'<c r="{chr(65 + c)}{r}" t="inlineStr"><is><t>{v}</t></is></c>' for c, v in enumerate(values))
        + "</row>"
        for r, values in enumerate((RISK_HEADERS, ["1.1", "TITLE", "Chief Nurse"]), 1)
    )
    numbers = "".join(f'<c r="{chr(68 + c)}2"><v>{v}</v></c>' for c, v in enumerate((3, 4, 12)))
    rows = rows.replace("</row>" + "", "</row>", 1)
    rows = rows[: -len("</row>")] + numbers + "</row>"
    return _plain(rows.replace("TITLE", _text(length)))


def getting_data() -> bytes:
    """A risk register whose score cell holds #GETTING_DATA, an error value in Excel's own specification."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Risks"
    sheet.append(RISK_HEADERS)
    sheet.append(["1.1", "Quality", "Chief Nurse", 3, 4, 12])
    sheet.append(["1.2", "Finance", "CFO", 2, 2, "#GETTING_DATA"])
    sheet["F3"].data_type = "e"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


ALL = {
    "letter-case-relationship.xlsx": letter_case_relationship,
    "duplicate-relationship-ids.xlsx": duplicate_relationship_ids,
    "backslash-target.xlsx": backslash_target,
    "percent-encoded-target.xlsx": percent_encoded_target,
    "unreferenced-sheet.xlsx": unreferenced_sheet,
    "sheet-referenced-twice.xlsx": sheet_referenced_twice,
    "many-col-attributes.xlsx": many_col_attributes,
    "many-reference-attributes.xlsx": many_reference_attributes,
    "repeating-ods.xlsx": repeating_ods,
    "amplified-shared-string.xlsx": amplified_shared_string,
    "long-title.xlsx": long_title,
    "getting-data.xlsx": getting_data,
}
