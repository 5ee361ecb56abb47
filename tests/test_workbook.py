"""Safe workbook reading: values, merged ranges, hidden sheets/rows/columns, styles, and refusals."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from datetime import date, datetime, time

import openpyxl
import pytest
import python_calamine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.styles import PatternFill
from openpyxl.styles.colors import Color

import loaders
from loaders import contained, guard, styles
from loaders.workbook import BadFile, cell_ref, open_workbook

# --- building test files -----------------------------------------------------------------------


def xlsx(build) -> bytes:
    book = openpyxl.Workbook()
    build(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def simple() -> bytes:
    def build(book):
        sheet = book.active
        sheet.title = "Risks"
        sheet.append(["Ref", "Title", "Score"])
        sheet.append(["1.1", "Quality", 12])

    return xlsx(build)


def zipped(parts: dict[str, bytes | str], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def with_part(data: bytes, part: str, content: bytes | str) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    parts = {name: source.read(name) for name in source.namelist()}
    parts[part] = content
    return zipped(parts)


def sheet_xml(body: str, dimension: str | None = None) -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{dim}'
        f"<sheetData>{body}</sheetData></worksheet>"
    )


def refusal(data: bytes, filename: str = "upload.xlsx") -> str:
    """The one sentence loaders.load_workbook gives for a file it refuses (it reads in a contained worker)."""
    result = loaders.load_workbook(data, filename)
    assert result.datasets == [] and len(result.errors) == 1, result.errors
    message = result.errors[0]
    assert filename.rsplit("/", 1)[-1] in message
    assert "\n" not in message and message.endswith(".")
    assert message.count(". ") == 0, "one sentence"
    return message


@pytest.fixture
def set_limits(monkeypatch):
    original = guard.limits

    def apply(**changes):
        values = original() | changes
        monkeypatch.setattr(guard, "limits", lambda: values)

    return apply


@pytest.fixture
def small_limits(set_limits):
    set_limits(max_rows=50, max_cols=20)


@pytest.fixture
def calamine_forbidden(monkeypatch):
    """The file guard refuses the file: no reader is started."""

    def refuse(*args, **kwargs):
        raise AssertionError("the reader must not be reached")

    monkeypatch.setattr(contained, "run", refuse)
    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", refuse)


# --- cell references ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sheet", "r", "c", "expected"),
    [
        ("Sheet", 11, 2, "Sheet!C12"),
        ("Risks", 0, 0, "Risks!A1"),
        ("Risk_Register.2019", 4, 27, "Risk_Register.2019!AB5"),
        ("My Sheet", 11, 2, "'My Sheet'!C12"),
        ("It's", 0, 0, "'It''s'!A1"),
        ("Q3-2018", 0, 701, "'Q3-2018'!ZZ1"),
        ("2019", 0, 0, "'2019'!A1"),
        ("A1", 0, 702, "'A1'!AAA1"),
        ("R1C1", 0, 0, "'R1C1'!A1"),
        ("Finance & Risk", 9, 0, "'Finance & Risk'!A10"),
    ],
)
def test_cell_ref(sheet, r, c, expected):
    assert cell_ref(sheet, r, c) == expected


# --- values ------------------------------------------------------------------------------------


def test_values_types_and_blank_cells():
    def build(book):
        sheet = book.active
        sheet.title = "Values"
        sheet["A1"] = "text"
        sheet["B1"] = 12
        sheet["C1"] = 1.5
        sheet["D1"] = True
        sheet["A2"] = datetime(2019, 1, 23)
        sheet["B2"] = datetime(2019, 1, 23, 15, 30)
        sheet["C2"] = time(10, 30)
        sheet["E3"] = "far"

    book = open_workbook(xlsx(build), "values.xlsx")
    rows = book.sheets[0].rows
    assert rows[0][:4] == ["text", 12, 1.5, True]
    assert rows[1][0] == date(2019, 1, 23)
    assert rows[1][1] == datetime(2019, 1, 23, 15, 30)
    assert rows[1][2] == time(10, 30)
    assert rows[1][3] is None and rows[0][4] is None
    assert rows[2] == [None, None, None, None, "far"]
    assert {len(row) for row in rows} == {5}


def test_rows_are_indexed_from_a1_when_data_starts_later():
    def build(book):
        book.active["C3"] = "first"
        book.active["D5"] = 2

    rows = open_workbook(xlsx(build), "offset.xlsx").sheets[0].rows
    assert rows[2][2] == "first"
    assert rows[4][3] == 2
    assert rows[0] == [None, None, None, None]


def test_sheets_in_order_with_visibility_merges_and_hidden_rows_and_columns():
    def build(book):
        first = book.active
        first.title = "Cover"
        first["A1"] = "Organisation"
        first.merge_cells("A3:C4")
        first["A3"] = "merged"
        first.row_dimensions[2].hidden = True
        first.column_dimensions["B"].hidden = True
        hidden = book.create_sheet("Lookups")
        hidden["A1"] = "x"
        hidden.sheet_state = "hidden"
        very = book.create_sheet("Secret")
        very["A1"] = "y"
        very.sheet_state = "veryHidden"
        book.create_sheet("Empty")

    book = open_workbook(xlsx(build), "book.xlsx")
    assert [(s.name, s.visible) for s in book.sheets] == [
        ("Cover", True),
        ("Lookups", False),
        ("Secret", False),
        ("Empty", True),
    ]
    cover = book.sheets[0]
    assert cover.merged == [(2, 0, 3, 2)]
    assert cover.rows[2][0] == "merged"
    assert cover.hidden_rows == {1}
    assert cover.hidden_cols == {1}
    assert book.sheets[3].rows == []
    assert book.filename == "book.xlsx"


def test_progress_is_reported_per_sheet():
    def build(book):
        book.active.title = "One"
        for n in range(7):
            book.active.append([n])
        book.create_sheet("Two").append(["a"])

    seen = []
    open_workbook(xlsx(build), "progress.xlsx", progress=lambda name, rows: seen.append((name, rows)))
    assert seen == [("One", 7), ("Two", 1)]


def test_xlsm_is_accepted():
    assert open_workbook(simple(), "macros.xlsm").sheets[0].rows[1] == ["1.1", "Quality", 12]


def test_ods_is_accepted():
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        "<office:body><office:spreadsheet>"
        '<table:table table:name="Risks"><table:table-row>'
        '<table:table-cell office:value-type="string"><text:p>Ref</text:p></table:table-cell>'
        '<table:table-cell office:value-type="float" office:value="12"><text:p>12</text:p></table:table-cell>'
        "</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    data = zipped(
        {
            "mimetype": "application/vnd.oasis.opendocument.spreadsheet",
            "META-INF/manifest.xml": manifest,
            "content.xml": content,
        }
    )
    book = open_workbook(data, "register.ods")
    assert book.sheets[0].name == "Risks"
    assert book.sheets[0].rows[0] == ["Ref", 12]
    assert book.sheets[0].fill(0, 0) is None and book.sheets[0].number_format(0, 1) is None


# --- styles ------------------------------------------------------------------------------------


def styled() -> bytes:
    def build(book):
        sheet = book.active
        sheet.title = "RAG"
        sheet["A1"] = "red"
        sheet["A1"].fill = PatternFill("solid", fgColor="FFFF0000")
        sheet["A2"] = "theme"
        sheet["A2"].fill = PatternFill("solid", fgColor=Color(theme=5, tint=-0.25))
        sheet["A3"] = "theme plain"
        sheet["A3"].fill = PatternFill("solid", fgColor=Color(theme=9))
        sheet["A4"] = "lighter"
        sheet["A4"].fill = PatternFill("solid", fgColor=Color(theme=9, tint=0.4))
        sheet["A5"] = "indexed"
        sheet["A5"].fill = PatternFill("solid", fgColor=Color(indexed=10))
        sheet["A6"] = "hatched"
        sheet["A6"].fill = PatternFill("lightGray", fgColor="FFFF0000")
        sheet["A7"] = "none"
        sheet["B1"] = 1.1
        sheet["B1"].number_format = "0.00"
        sheet["B2"] = 0.25
        sheet["B2"].number_format = "0%"
        sheet["B3"] = 3

    return xlsx(build)


def test_fills_resolve_rgb_theme_tint_and_indexed_colours():
    sheet = open_workbook(styled(), "rag.xlsx").sheets[0]
    assert sheet.fill(0, 0) == "FF0000"
    # openpyxl's default theme: accent2 C0504D, accent6 F79646; Excel shows these tints as below.
    assert sheet.fill(1, 0) == "953735"
    assert sheet.fill(2, 0) == "F79646"
    assert sheet.fill(3, 0) == "FAC090"
    assert sheet.fill(4, 0) == "FF0000"
    assert sheet.fill(5, 0) is None
    assert sheet.fill(6, 0) is None
    assert sheet.fill(500, 500) is None
    assert sheet.fill(-1, 0) is None


def test_number_formats():
    sheet = open_workbook(styled(), "rag.xlsx").sheets[0]
    assert sheet.number_format(0, 1) == "0.00"
    assert sheet.number_format(1, 1) == "0%"
    assert sheet.number_format(2, 1) == "General"
    assert sheet.number_format(900, 900) is None


def test_openpyxl_is_loaded_lazily_and_once(monkeypatch):
    calls = []
    real = styles._StyleReader.read

    def counting(self, *args, **kwargs):
        calls.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(styles._StyleReader, "read", counting)
    book = open_workbook(styled(), "rag.xlsx")
    assert calls == []
    sheet = book.sheets[0]
    sheet.fill(0, 0)
    sheet.number_format(0, 1)
    sheet.fill(1, 0)
    assert calls == [1]


def test_unreadable_styles_give_none_and_a_problem_not_an_exception(monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("bad styles.xml")

    monkeypatch.setattr(styles._StyleReader, "read", broken)
    book = open_workbook(styled(), "rag.xlsx")
    assert book.sheets[0].fill(0, 0) is None
    assert book.sheets[0].number_format(0, 1) is None
    assert "styles could not be read" in book.style_problem


def test_openpyxl_parses_through_defusedxml():
    assert openpyxl.DEFUSEDXML is True


# --- refusals ----------------------------------------------------------------------------------

BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
    '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol2;</t></si></sst>'
)
EXTERNAL_ENTITY = (
    '<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&xxe;</t></si></sst>'
)


def test_empty_file():
    assert "is empty" in refusal(b"")


def test_csv_renamed():
    assert "CSV/text file renamed .xlsx" in refusal(b"Ref,Title,Score\n1.1,Quality,12\n")


def test_html_renamed():
    assert "HTML" in refusal(b"<html><body><table><tr><td>1</td></tr></table></body></html>", "export.xls")


def test_old_xls():
    data = bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 504 + "Workbook".encode("utf-16-le") + b"\0" * 1024
    assert "old .xls workbook; save it as .xlsx" in refusal(data, "old.xls")


def test_password_protected():
    data = bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 504 + "EncryptionInfo".encode("utf-16-le") + b"\0" * 1024
    assert "password-protected" in refusal(data)


def test_binary_junk():
    assert "not an Excel workbook" in refusal(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)


def test_truncated_zip():
    data = simple()
    assert "damaged or incomplete" in refusal(data[: len(data) // 2])


def test_corrupt_compressed_part():
    data = bytearray(simple())
    start = data.find(b"PK\x03\x04", 1000)
    data[start + 60 : start + 200] = b"\xff" * 140
    assert "damaged" in refusal(bytes(data))


@pytest.mark.parametrize(
    ("parts", "words"),
    [
        ({"junk.bin": b"x" * 100}, "zip archive but not an Excel workbook"),
        ({"word/document.xml": "<w:document/>"}, "Word document"),
        ({"xl/workbook.bin": b"\0" * 10}, ".xlsb"),
    ],
)
def test_zip_that_is_not_a_workbook(parts, words):
    assert words in refusal(zipped(parts))


def test_zip_bomb_by_ratio(calamine_forbidden):
    data = zipped({"xl/workbook.xml": "<workbook/>", "xl/worksheets/sheet1.xml": b"<c><v>0</v></c>" * 200_000})
    assert "zip bomb" in refusal(data)


def test_zip_bomb_by_total_size(set_limits, calamine_forbidden):
    set_limits(max_uncompressed_bytes=1000)
    assert "expands to" in refusal(simple())


def test_file_too_large(set_limits):
    set_limits(max_file_bytes=100)
    assert "larger than the limit" in refusal(simple())


@pytest.mark.parametrize(
    ("part", "payload"),
    [
        ("xl/sharedStrings.xml", BILLION_LAUGHS),
        ("xl/sharedStrings.xml", EXTERNAL_ENTITY),
        ("xl/worksheets/sheet1.xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]>' + sheet_xml("")[21:]),
        ("xl/styles.xml", "<!DOCTYPE styleSheet>\n<styleSheet/>"),
        ("docProps/custom.xml", BILLION_LAUGHS.encode("utf-16")),
    ],
)
def test_xml_declarations_are_refused_before_parsing(part, payload, calamine_forbidden):
    message = refusal(with_part(simple(), part, payload))
    assert "document type declaration" in message and part in message


def test_a_stated_dimension_is_not_trusted_the_cells_are(small_limits):
    data = with_part(
        simple(), "xl/worksheets/sheet1.xml", sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>', "A1:U51")
    )
    assert open_workbook(data, "stated.xlsx").sheets[0].rows == [[1]]


def test_too_many_rows_in_the_data_without_dimension(small_limits):
    body = '<row r="1"><c r="A1"><v>1</v></c></row><row r="900"><c r="A900"><v>1</v></c></row>'
    message = refusal(with_part(simple(), "xl/worksheets/sheet1.xml", sheet_xml(body)))
    assert "Sheet 'Risks'" in message and "900 rows" in message


def test_unnumbered_rows_are_counted(small_limits):
    body = "<row><c><v>1</v></c></row>" * 60
    assert "60 rows" in refusal(with_part(simple(), "xl/worksheets/sheet1.xml", sheet_xml(body)))


def test_a_distant_cell_is_refused_before_calamine_allocates_the_range():
    body = '<row r="1"><c r="A1"><v>1</v></c><c r="XFD1"><v>2</v></c></row>'
    data = with_part(simple(), "xl/worksheets/sheet1.xml", sheet_xml(body, "A1"))
    assert "16,384 columns" in refusal(data)


def test_rows_under_the_limit_are_read(small_limits):
    def build(book):
        book.active.title = "Rows"
        for n in range(50):
            book.active.append([n])

    assert len(open_workbook(xlsx(build), "ok.xlsx").sheets[0].rows) == 50


def test_corrupt_sheet_xml_names_the_sheet():
    data = with_part(simple(), "xl/worksheets/sheet1.xml", "<worksheet><sheetData><row>")
    assert "Sheet 'Risks'" in refusal(data)


def test_workbook_without_sheets():
    data = with_part(
        simple(),
        "xl/workbook.xml",
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>',
    )
    message = refusal(data)
    assert "no sheets" in message or "could not be read" in message


def test_the_filename_is_named_without_its_directories():
    with pytest.raises(BadFile, match="^'report.xlsx' is empty.$"):
        open_workbook(b"", "C:\\Users\\someone\\report.xlsx")


# --- never raising anything but BadFile --------------------------------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_random_bytes_only_ever_raise_badfile(data):
    try:
        open_workbook(data, "random.xlsx")
    except BadFile as exc:
        assert str(exc)


VALID = simple()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, len(VALID) - 1), st.integers(0, 255)), min_size=1, max_size=8))
def test_damaged_workbooks_only_ever_raise_badfile(flips):
    data = bytearray(VALID)
    for position, byte in flips:
        data[position] = byte
    try:
        book = open_workbook(bytes(data), "damaged.xlsx")
    except BadFile as exc:
        assert str(exc)
    else:
        for sheet in book.sheets:
            sheet.fill(0, 0)
            sheet.number_format(0, 0)


def test_a_part_that_expands_beyond_its_declared_size_is_refused(calamine_forbidden):
    content = b"<c><v>0</v></c>" * 1000
    data = bytearray(zipped({"xl/workbook.xml": "<workbook/>", "xl/sharedStrings.xml": content}))
    local = data.find(b"PK\x03\x04", 1)
    central = data.find(b"PK\x01\x02", data.find(b"PK\x01\x02") + 1)
    crc_of_prefix = zlib.crc32(content[:100])
    for crc_at, size_at in ((local + 14, local + 22), (central + 16, central + 24)):
        struct.pack_into("<I", data, crc_at, crc_of_prefix)
        struct.pack_into("<I", data, size_at, 100)
    assert "more than its parts declare" in refusal(bytes(data))


def test_an_unusual_compression_method_is_refused():
    assert "compression method" in refusal(zipped({"xl/workbook.xml": "<workbook/>" * 50}, zipfile.ZIP_BZIP2))


def test_excel_error_cells_are_read_as_their_error_text():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "Line"
    for ref, text in (("A2", "#DIV/0!"), ("B2", "#REF!")):
        sheet[ref] = text
        sheet[ref].data_type = "e"
    out = io.BytesIO()
    book.save(out)
    rows = open_workbook(out.getvalue(), "errors.xlsx").sheets[0].rows
    assert rows[1] == ["#DIV/0!", "#REF!"]


# --- what calamine leaves out, and sheets beyond the limits ----------------------------------------

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def rows_with_hidden_rows_and_errors() -> bytes:
    def build(book):
        sheet = book.active
        sheet.title = "Rows"
        for n in range(1, 301):
            sheet.append([f"line {n}", n, "x" * (n % 37)])
        for row in (7, 150, 299):
            sheet.row_dimensions[row].hidden = True
        for ref in ("B10", "C150", "A300"):
            sheet[ref] = "#REF!"
            sheet[ref].data_type = "e"

    return xlsx(build)


def test_hidden_rows_and_error_cells_are_found():
    sheet = open_workbook(rows_with_hidden_rows_and_errors(), "rows.xlsx").sheets[0]
    assert sheet.hidden_rows == {6, 149, 298}
    assert [sheet.rows[r][c] for r, c in ((9, 1), (149, 2), (299, 0))] == ["#REF!"] * 3


@pytest.mark.parametrize("chunk", [3, 7, 50])
def test_declarations_split_between_chunks_are_refused(monkeypatch, chunk, calamine_forbidden):
    monkeypatch.setattr(guard, "CHUNK", chunk)
    for part, payload in (
        ("xl/sharedStrings.xml", EXTERNAL_ENTITY),
        ("xl/worksheets/sheet1.xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]>' + sheet_xml("")[21:]),
    ):
        assert "document type declaration" in refusal(with_part(simple(), part, payload))


def test_rows_out_of_order_are_judged_by_their_highest_number(small_limits):
    body = '<row r="900"><c r="A900"><v>1</v></c></row><row r="2"><c r="A2"><v>1</v></c></row>'
    assert "900 rows" in refusal(with_part(simple(), "xl/worksheets/sheet1.xml", sheet_xml(body)))


@pytest.mark.parametrize(
    "row",
    [
        f'<x:row xmlns:x="{MAIN_NS}" r="900"><x:c><x:v>1</x:v></x:c></x:row>',
        "<row r='900'><c><v>1</v></c></row>",
        '<row r = "900"><c><v>1</v></c></row>',
        '<row\tr="900"><c><v>1</v></c></row>',
    ],
    ids=["namespace prefix", "single quotes", "spaces", "tab"],
)
def test_a_row_number_written_unusually_among_plain_rows_is_counted(row, small_limits):
    body = '<row r="1"><c r="A1"><v>1</v></c></row>' + row + '<row r="3"><c r="A3"><v>1</v></c></row>'
    assert "900 rows" in refusal(with_part(simple(), "xl/worksheets/sheet1.xml", sheet_xml(body)))


def test_hidden_rows_without_numbers_or_with_a_prefix_are_found():
    body = (
        '<row r="1"><c r="A1"><v>1</v></c></row><row hidden="1"><c><v>2</v></c></row>'
        f'<x:row xmlns:x="{MAIN_NS}" r="4" hidden="true"><x:c><x:v>4</x:v></x:c></x:row>'
    )
    sheet = open_workbook(with_part(simple(), "xl/worksheets/sheet1.xml", sheet_xml(body)), "rows.xlsx").sheets[0]
    assert sheet.hidden_rows == {1, 3}
    assert [row[0] for row in sheet.rows] == [1, 2, None, 4]


def test_the_last_rows_of_a_sheet_are_scanned(small_limits):
    body = '<row r="1"><c r="A1"><v>1</v></c></row><row r="51"><c r="A51"><v>1</v></c></row>'
    assert "51 rows" in refusal(with_part(simple(), "xl/worksheets/sheet1.xml", sheet_xml(body)))


@pytest.mark.parametrize("cell", ["<c r='XFD1'>", '<c r="xfd1">', '<c\tr="XFD1">'], ids=["quotes", "case", "tab"])
def test_a_distant_column_written_unusually_is_refused_before_calamine(cell):
    body = f'<row r="1"><c r="A1"><v>1</v></c>{cell}<v>2</v></c></row>'
    assert "16,384 columns" in refusal(with_part(simple(), "xl/worksheets/sheet1.xml", sheet_xml(body, "A1")))


# --- the grid calamine would build: each cell placed by its own reference, out to the furthest ---------


def with_sheet(body: str, dimension: str | None = "A1") -> bytes:
    return with_part(simple(), "xl/worksheets/sheet1.xml", sheet_xml(body, dimension))


@pytest.mark.parametrize(
    ("cell", "words"),
    [
        ('<c r="ZZ1048576"><v>2</v></c>', "more memory than a workbook of this size needs"),
        ('<c r="A600000"><v>2</v></c>', "600,000 rows"),
        ('<c r="B5000000"><v>2</v></c>', "5,000,000 rows"),
        ("<c r='a600001'><v>2</v></c>", "600,001 rows"),
        ('<c r="A0600000"><v>2</v></c>', "600,000 rows"),
        ('<c r="ZZ40000"><v>2</v></c>', "40,000 rows by 702 columns (28,080,000 cells)"),
    ],
)
def test_a_cell_further_down_than_its_row_is_refused(cell, words):
    body = f'<row r="1"><c r="A1"><v>1</v></c>{cell}</row>'
    assert words in refusal(with_sheet(body))


@pytest.mark.parametrize("cells", ['<c r="ZZ1048576"/>', "<c/>" * 2000], ids=["distant", "unreferenced"])
def test_cells_without_a_value_take_no_place(cells):
    result = loaders.load_workbook(with_sheet(f'<row r="1"><c r="A1"><v>1</v></c>{cells}</row>'), "empty.xlsx")
    assert result.errors == []


def test_the_row_limit_itself_is_allowed():
    at_limit = loaders.load_workbook(
        with_sheet('<row r="1"><c r="A1"><v>1</v></c><c r="B500000"><v>2</v></c></row>'), "a.xlsx"
    )
    assert at_limit.errors == []
    assert "500,001 rows" in refusal(with_sheet('<row r="1"><c r="B500001"><v>2</v></c></row>'))


@pytest.mark.parametrize(
    "cell",
    ['<c r = "XFD1">', '<c r= "XFD1">', '<c r ="XFD1">', '<c\nr\n=\n"XFD1">', "<c r = 'xfd1'>", '<c t="n" r="XFD1">'],
    ids=["spaces", "space after", "space before", "newlines", "single quotes", "after another attribute"],
)
def test_a_reference_written_with_spaces_or_late_is_read(cell):
    body = f'<row r="1"><c r="A1"><v>1</v></c>{cell}<v>2</v></c></row>'
    assert "16,384 columns" in refusal(with_sheet(body))


@pytest.mark.parametrize(
    "cell",
    [
        '<c r="A1" r="XFD1">',
        '<c r="A1" t="str" r = "XFD1">',
        '<c r="A1" x=">" r="XFD1">',
        '<c r="A1" x=\'>\' r="XFD1">',
    ],
    ids=["plain", "after a value with r", "after a quoted >", "after a single-quoted >"],
)
def test_a_cell_with_two_references_is_placed_by_the_last_as_calamine_does(cell):
    assert "16,384 columns" in refusal(with_sheet(f'<row r="1">{cell}<v>2</v></c></row>'))


def test_a_prefixed_cell_is_placed_by_its_reference():
    body = f'<row r="1"><c r="A1"><v>1</v></c><x:c xmlns:x="{MAIN_NS}" r="XFD1"><x:v>2</x:v></x:c></row>'
    assert "16,384 columns" in refusal(with_sheet(body))


@pytest.mark.parametrize(
    ("body", "columns"),
    [
        ('<row r="1">' + "<c><v>1</v></c>" * 2001 + "</row>", 2001),
        ('<row r="1"><c r="BXX1"><v>1</v></c><c><v>2</v></c><c t="n"><v>3</v></c></row>', 2002),
        ("<c><v>1</v></c>" * 2001, 2001),
        (f'<x:row xmlns:x="{MAIN_NS}" r="1">' + "<x:c><x:v>1</x:v></x:c>" * 2001 + "</x:row>", 2001),
    ],
    ids=["unreferenced", "after a distant reference", "outside any row", "prefixed"],
)
def test_cells_without_a_reference_widen_their_row(body, columns):
    assert f"{columns:,} columns" in refusal(with_sheet(body))


def test_cells_without_a_reference_in_a_distant_row_count_all_their_cells():
    body = '<row r="1"><c r="A1"><v>1</v></c></row><row r="30000">' + "<c><v>1</v></c>" * 1000 + "</row>"
    assert "30,000 rows by 1,000 columns (30,000,000 cells)" in refusal(with_sheet(body))


def test_cells_without_a_reference_follow_on_from_a_distant_one():
    text = "y" * 1000
    body = f'<row r="1"><c r="BXX1" t="inlineStr"><is><t>{text}</t></is></c><c><v>2</v></c></row>'
    assert "2,001 columns" in refusal(with_sheet(body))


def test_a_plain_cell_far_down_counts_once_a_wide_column_is_found():
    body = '<row r="1"><c r="A40000"><v>1</v></c></row><row r="2"><c r="ZZ2"><v>1</v></c></row>'
    assert "40,000 rows by 702 columns (28,080,000 cells)" in refusal(with_sheet(body))


def test_rows_and_columns_within_their_limits_can_still_be_too_many_cells(set_limits):
    set_limits(max_cells=1000)
    body = '<row r="1"><c r="A1"><v>1</v></c><c r="AN1"><v>1</v></c></row><row r="30"><c r="A30"><v>1</v></c></row>'
    message = refusal(with_sheet(body))
    assert "30 rows by 40 columns (1,200 cells), more than the limit of 1,000 cells" in message


def test_with_a_small_cell_limit_plain_cells_far_down_are_counted(set_limits):
    set_limits(max_cells=1000)
    assert "1,001 rows" in refusal(with_sheet('<row r="1"><c r="A1001"><v>1</v></c></row>'))


def test_the_default_cell_limit_is_twenty_million():
    assert guard.limits()["max_cells"] == 20_000_000


def test_a_sheet_wider_than_z_is_read_whole():
    def build(book):
        book.active.title = "Wide"
        for r in range(1, 61):
            book.active.append([r * 100 + c for c in range(45)])

    rows = open_workbook(xlsx(build), "wide.xlsx").sheets[0].rows
    assert len(rows) == 60 and {len(row) for row in rows} == {45}
    assert rows[59][44] == 6044


def test_a_cell_tag_with_a_long_attribute_before_a_distant_reference_is_refused():
    body = '<row r="1"><c r="A1"><v>1</v></c><c foo="' + "x" * 100_000 + '" r="XFD1"><v>2</v></c></row>'
    assert "16,384 columns" in refusal(with_sheet(body))


def test_a_row_tag_holding_a_quoted_angle_bracket_is_read_whole(small_limits):
    body = '<row r="1"><c r="A1"><v>1</v></c></row><row s=">" r="900"><c><v>1</v></c></row>'
    assert "900 rows" in refusal(with_sheet(body))
