"""Malformed and hostile workbooks, generated on demand: ``python -m tests.corpus.bad_files DIR``.

Each entry says what a user must get: ``refused`` (one sentence, nothing stored) or ``issue`` (the
workbook loads and the named issue code is reported with its cell).
"""

from __future__ import annotations

import io
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from openpyxl import Workbook

RISK_HEADERS = ["Risk ID", "Risk title", "Owner", "Likelihood", "Consequence", "Current score", "Last reviewed"]
SCHEME_HEADERS = ["Ref", "Scheme", "Area", "Stage", "RAG", "Net value £'000", "Lead"]
FINANCE_HEADERS = ["", "YTD Budget £'000", "YTD Actual £'000", "Variance Fav/(adv) £'000"]


@dataclass(frozen=True)
class BadFile:
    name: str
    expect: str  # "refused" | "issue"
    build: Callable[[], bytes]
    code: str | None = None  # the issue code expected, for "issue" entries
    words: str | None = None  # a word the refusal sentence must contain


def _book(sheets: dict[str, list[list]], hidden: tuple[str, ...] = ()) -> bytes:
    book = Workbook()
    book.remove(book.active)
    cover = book.create_sheet("Cover")
    cover.append(["Organisation:", "Corpus CCG"])
    cover.append(["As at:", date(2019, 3, 28)])
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        if title in hidden:
            sheet.sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _risks(*rows: list) -> bytes:
    return _book({"Risk register": [RISK_HEADERS, *rows]})


def _valid() -> bytes:
    return _risks(["1.1", "Quality", "Chief Nurse", 3, 4, 12, date(2019, 1, 23)])


def _zip(parts: dict[str, bytes | str], level: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", level) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def _with_part(data: bytes, part: str, content: bytes | str) -> bytes:
    """A copy of an xlsx with one part replaced."""
    source = zipfile.ZipFile(io.BytesIO(data))
    parts = {name: source.read(name) for name in source.namelist()}
    parts[part] = content
    return _zip(parts)


def _shared_strings(payload: str) -> bytes:
    return _with_part(
        _book({"Risk register": [RISK_HEADERS, ["1.1", "x", "y", 3, 4, 12, "23/01/2019"]]}),
        "xl/sharedStrings.xml",
        payload,
    )


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10))
    + ']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
    "<si><t>&lol9;</t></si></sst>"
)
EXTERNAL_ENTITY = (
    '<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
    "<si><t>&xxe;</t></si></sst>"
)


def _zip_bomb() -> bytes:
    filler = b"<c><v>0</v></c>" * (40 * 1024 * 1024 // 16)  # 40 MiB that compresses to ~40 KiB, ten times over
    parts = {f"xl/worksheets/sheet{n}.xml": filler for n in range(1, 11)}
    parts["[Content_Types].xml"] = "<Types/>"
    return _zip(parts)


def _million_rows() -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"constant_memory": True})
    sheet = book.add_worksheet("Tracker")
    sheet.write_row(0, 0, SCHEME_HEADERS)
    for row in range(1, 1_048_576):
        sheet.write_number(row, 5, row % 100)
    book.close()
    return out.getvalue()


def _wide() -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"constant_memory": True})
    sheet = book.add_worksheet("Wide")
    for col in range(16_384):
        sheet.write_number(0, col, col)
    book.close()
    return out.getvalue()


def _risk_sheet(cells: str) -> bytes:
    """The valid workbook with its risk register replaced by the given rows and cells, written by hand."""
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1"/><sheetData>{cells}</sheetData></worksheet>'
    )
    return _with_part(_valid(), "xl/worksheets/sheet2.xml", xml)


# Each asks a dense-grid reader for hundreds of millions of cells: the reader's memory limit refuses it, or the
# sheet's rows, columns or cells once they are known.
FAR_CELL = '<row r="1"><c r="A1"><v>1</v></c><c r="ZZ1048576"><v>2</v></c></row>'
SPACED_REFERENCE = (
    '<row r="1"><c r="A1"><v>1</v></c><c r = "XFD1"><v>2</v></c></row><row r="2"><c r="A400000"><v>3</v></c></row>'
)
UNREFERENCED_ROW = '<row r="1">' + "<c><v>1</v></c>" * 1900 + '<c r="A400000"><v>2</v></c></row>'
TWO_REFERENCES = '<row r="1"><c r="A1" t="n" r="ZZ400000"><v>1</v></c></row>'
TOO_MANY_CELLS = (
    '<row r="1"><c r="A1"><v>1</v></c><c r="BXX1"><v>1</v></c></row><row r="500000"><c r="A500000"><v>2</v></c></row>'
)


def _ole2(extra: bytes) -> bytes:
    return bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 504 + extra + b"\0" * 1024


def _finance(*lines: list) -> bytes:
    return _book({"Month 3": [["Month 3 Position 2018/19"], FINANCE_HEADERS, *lines]})


CORPUS: list[BadFile] = [
    BadFile("empty.xlsx", "refused", lambda: b"", words="empty"),
    BadFile("truncated.xlsx", "refused", lambda: _valid()[: len(_valid()) // 2]),
    BadFile("garbage-zip.xlsx", "refused", lambda: _zip({"junk.bin": bytes(range(256)) * 64})),
    BadFile("csv-renamed.xlsx", "refused", lambda: b"Risk ID,Title,Score\n1.1,Quality,12\n", words="CSV"),
    BadFile("old-format.xlsx", "refused", lambda: _ole2(b"Workbook"), words=".xls"),
    BadFile("old-format.xls", "refused", lambda: _ole2(b"Workbook"), words=".xls"),
    BadFile("encrypted.xlsx", "refused", lambda: _ole2("EncryptionInfo".encode("utf-16-le")), words="password"),
    BadFile("png-renamed.xlsx", "refused", lambda: b"\x89PNG\r\n\x1a\n" + b"\0" * 200),
    BadFile("html-renamed.xlsx", "refused", lambda: b"<html><body><table><tr><td>1</td></tr></table></body></html>"),
    BadFile(
        "word-document.xlsx",
        "refused",
        lambda: _zip({"word/document.xml": "<w:document/>", "[Content_Types].xml": "<Types/>"}),
    ),
    BadFile("no-workbook-part.xlsx", "refused", lambda: _zip({"[Content_Types].xml": "<Types/>"})),
    BadFile(
        "corrupt-sheet-xml.xlsx",
        "refused",
        lambda: _with_part(_valid(), "xl/worksheets/sheet2.xml", b"<worksheet><sheetData><row>"),
    ),
    BadFile("zip-bomb.xlsx", "refused", _zip_bomb),
    BadFile("billion-laughs.xlsx", "refused", lambda: _with_part(_valid(), "xl/sharedStrings.xml", BILLION_LAUGHS)),
    BadFile("external-entity.xlsx", "refused", lambda: _with_part(_valid(), "xl/sharedStrings.xml", EXTERNAL_ENTITY)),
    BadFile("million-rows.xlsx", "refused", _million_rows, words="rows"),
    BadFile("16k-columns.xlsx", "refused", _wide, words="columns"),
    BadFile("far-cell-in-row-1.xlsx", "refused", lambda: _risk_sheet(FAR_CELL), words="memory"),
    BadFile("spaced-reference.xlsx", "refused", lambda: _risk_sheet(SPACED_REFERENCE), words="memory"),
    BadFile("unreferenced-cells.xlsx", "refused", lambda: _risk_sheet(UNREFERENCED_ROW), words="cells"),
    BadFile("two-references.xlsx", "refused", lambda: _risk_sheet(TWO_REFERENCES), words="cells"),
    BadFile("billion-cells.xlsx", "refused", lambda: _risk_sheet(TOO_MANY_CELLS), words="cells"),
    BadFile("empty-workbook.xlsx", "issue", lambda: _book({"Sheet1": []}), code="no_tables"),
    BadFile("only-headers.xlsx", "issue", lambda: _risks(), code="no_rows"),
    BadFile(
        "formula-errors.xlsx",
        "issue",
        lambda: _finance(["Acute", "#REF!", 100, "#DIV/0!"], ["Total", 100, 100, 0]),
        code="unreadable_number",
    ),
    BadFile(
        "text-in-numbers.xlsx",
        "issue",
        lambda: _book({"Tracker": [SCHEME_HEADERS, ["Q1", "A", "Acute", "3 - Delivery", "Green", "lots", "CFO"]]}),
        code="unreadable_number",
    ),
    BadFile(
        "future-date.xlsx",
        "issue",
        lambda: _risks(["1.1", "Quality", "CN", 3, 4, 12, "23/01/2150"]),
        code="unreadable_date",
    ),
    BadFile(
        "before-1900.xlsx",
        "issue",
        lambda: _risks(["1.1", "Quality", "CN", 3, 4, 12, "23/01/1850"]),
        code="unreadable_date",
    ),
    BadFile(
        "negative-likelihood.xlsx",
        "issue",
        lambda: _risks(["1.1", "Quality", "CN", -3, 4, 12, date(2019, 1, 23)]),
        code="unknown_level",
    ),
    BadFile(
        "likelihood-7.xlsx",
        "issue",
        lambda: _risks(["1.1", "Quality", "CN", 7, 4, 28, date(2019, 1, 23)]),
        code="unknown_level",
    ),
    BadFile(
        "score-not-product.xlsx",
        "issue",
        lambda: _risks(["1.1", "Quality", "CN", 3, 4, 15, date(2019, 1, 23)]),
        code="score_mismatch",
    ),
    BadFile(
        "duplicate-refs.xlsx",
        "issue",
        lambda: _risks(["1.1", "A", "CN", 3, 4, 12, date(2019, 1, 23)], ["1.1", "B", "CN", 2, 2, 4, date(2019, 1, 23)]),
        code="duplicate_ref",
    ),
    BadFile(
        "unknown-rag.xlsx",
        "issue",
        lambda: _book({"Tracker": [SCHEME_HEADERS, ["Q1", "A", "Acute", "3 - Delivery", "Purple", 100, "CFO"]]}),
        code="unknown_rag",
    ),
    BadFile(
        "total-off.xlsx",
        "issue",
        lambda: _finance(["Acute", 100, 90, 10], ["Mental Health", 50, 55, -5], ["Total Expenditure", 151, 145, 5]),
        code="total_mismatch",
    ),
    BadFile(
        "two-tables-same-kind.xlsx",
        "issue",
        lambda: _book(
            {
                "Risks": [
                    RISK_HEADERS,
                    ["1.1", "A", "CN", 3, 4, 12, date(2019, 1, 23)],
                    [],
                    [],
                    RISK_HEADERS,
                    ["1.1", "B", "CN", 2, 2, 4, date(2019, 1, 23)],
                ]
            }
        ),
        code="duplicate_ref",
    ),
    BadFile(
        "hidden-sheet.xlsx",
        "issue",
        lambda: _book({"Risks": [RISK_HEADERS, ["1.1", "A", "CN", 3, 4, 12, date(2019, 1, 23)]]}, hidden=("Risks",)),
        code="hidden_sheet",
    ),
    BadFile(
        "quoted-sheet-name.xlsx",
        "issue",
        lambda: _book({'It\'s "Q" risks': [RISK_HEADERS, ["1.1", "A", "CN", 3, 4, 15, date(2019, 1, 23)]]}),
        code="score_mismatch",
    ),
]


def write_corpus(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for entry in CORPUS:
        path = directory / entry.name
        if not path.exists():
            path.write_bytes(entry.build())
        paths.append(path)
    return paths


if __name__ == "__main__":
    for written in write_corpus(Path(sys.argv[1] if len(sys.argv) > 1 else "tests/corpus/bad")):
        print(written)
