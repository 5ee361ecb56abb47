"""The file guard: refuse a hostile or unreadable file in one sentence before any parser sees it.

Every check here is linear in the file's size and runs in the calling process: file type sniffing,
the zip's entry count, sizes and compression ratios, each part decompressed once (so a part producing
more than it declares is refused) and searched for XML document type and entity declarations.
Everything else, the parsers included, runs in a contained worker (loaders.contained).
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import PurePosixPath

import config

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
CHUNK = 1 << 20
DTD_SEAM = 32  # bytes either side of a chunk boundary searched again for a declaration split by it
SMALL_PART = 1 << 20  # parts smaller than this are not judged by their compression ratio

_DTD_MARKS = (b"<!", b"<\x00!\x00")
_DTD_RE = re.compile(
    rb"<!\s*(?:DOCTYPE|ENTITY)|<\x00!\x00(?:D\x00O\x00C\x00T\x00Y\x00P\x00E|E\x00N\x00T\x00I\x00T\x00Y)", re.IGNORECASE
)


class BadFile(Exception):
    """A file that cannot be read at all; str() is one sentence for a person, naming the file."""


def limits() -> dict[str, int]:
    """The [limits] of config/assurance.toml (sized there for a 2-core, 4 GB server)."""
    return dict(vars(config.settings().limits))


def _size(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if n < 1024 or unit == "TB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}".replace(".0 ", " ")
        n /= 1024


def file_name(filename: str) -> str:
    """The name a person knows the file by, without any directories (never used as a path)."""
    return PurePosixPath(str(filename).replace("\\", "/")).name or "the file"


def check(data: bytes, name: str) -> str:
    """The workbook's kind ("xlsx" or "ods"), or BadFile with one sentence saying why it is refused."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise BadFile(f"'{name}' could not be read as a file.")
    data = bytes(data)
    if not data:
        raise BadFile(f"'{name}' is empty.")
    limit = limits()
    if len(data) > limit["max_file_bytes"]:
        raise BadFile(f"'{name}' is {_size(len(data))}, larger than the limit of {_size(limit['max_file_bytes'])}.")
    _refuse_by_signature(data, name)
    with _open_zip(data, name) as archive:
        kind = _kind(archive, name)
        budget = [limit["max_uncompressed_bytes"]]
        for member in archive.infolist():
            if not member.is_dir():
                _refuse_declarations(_stream(data, member, name, budget), member.filename, name)
    return kind


def _refuse_by_signature(data: bytes, name: str) -> None:
    head = data[:8]
    if head.startswith(OLE2_SIGNATURE):
        if "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data:
            raise BadFile(f"'{name}' is password-protected; remove the password in Excel and upload it again.")
        raise BadFile(f"'{name}' is an old .xls workbook; save it as .xlsx in Excel and upload it again.")
    if head.startswith(ZIP_SIGNATURES):
        return
    if head.startswith(b"%PDF"):
        raise BadFile(f"'{name}' is a PDF, not an Excel workbook.")
    if re.match(rb"\s*<(?:!doctype\s+html|html|table)\b", data[:1024], re.IGNORECASE):
        raise BadFile(
            f"'{name}' is a web page (HTML) saved with a spreadsheet name; open it in Excel and save it as .xlsx."
        )
    if _looks_like_text(data[:4096]):
        suffix = PurePosixPath(name).suffix or "a workbook"
        raise BadFile(
            f"'{name}' is a CSV/text file renamed {suffix}, not an Excel workbook; open it in Excel and save it as .xlsx."
        )
    raise BadFile(f"'{name}' is not an Excel workbook (.xlsx, .xlsm or .ods).")


def _looks_like_text(sample: bytes) -> bool:
    for encoding in ("utf-8", "utf-16", "cp1252"):
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not text:
            return False
        printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
        return printable / len(text) > 0.95
    return False


def _open_zip(data: bytes, name: str) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise _damaged(name) from exc
    limit = limits()
    if len(members) > limit["max_zip_members"]:
        raise BadFile(f"'{name}' holds {len(members):,} parts, more than the limit of {limit['max_zip_members']:,}.")
    total = sum(member.file_size for member in members)
    if total > limit["max_uncompressed_bytes"]:
        raise BadFile(
            f"'{name}' expands to {_size(total)}, more than the limit of {_size(limit['max_uncompressed_bytes'])}."
        )
    for member in members:
        if member.flag_bits & 0x1:
            raise BadFile(f"'{name}' is password-protected; remove the password in Excel and upload it again.")
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > SMALL_PART and ratio > limit["max_compression_ratio"]:
            raise BadFile(
                f"'{name}' has a part compressed {ratio:,.0f} to 1, beyond the limit of "
                f"{limit['max_compression_ratio']} to 1, so it was not opened (it may be a zip bomb)."
            )
    return archive


def _kind(archive: zipfile.ZipFile, name: str) -> str:
    names = set(archive.namelist())
    if "mimetype" in names:
        try:
            with archive.open("mimetype") as fh:
                mimetype = fh.read(200).strip()
        except Exception as exc:
            raise _damaged(name) from exc
        if mimetype == ODS_MIMETYPE and "content.xml" in names:
            return "ods"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        raise BadFile(f"'{name}' is a binary .xlsb workbook; save it as .xlsx in Excel and upload it again.")
    if "EncryptionInfo" in names:
        raise BadFile(f"'{name}' is password-protected; remove the password in Excel and upload it again.")
    if "word/document.xml" in names:
        raise BadFile(f"'{name}' is a Word document, not an Excel workbook.")
    if "ppt/presentation.xml" in names:
        raise BadFile(f"'{name}' is a PowerPoint presentation, not an Excel workbook.")
    raise BadFile(f"'{name}' is a zip archive but not an Excel workbook.")


def _damaged(name: str) -> BadFile:
    return BadFile(f"'{name}' is damaged or incomplete and cannot be opened; save it again from Excel.")


def _stream(data: bytes, member: zipfile.ZipInfo, name: str, budget: list[int]) -> Iterator[bytes]:
    """A part's bytes in chunks, decompressed here so that a part producing more than it declares
    (which zipfile would quietly cut short, but other readers would not) is refused."""
    offset = member.header_offset
    header = data[offset : offset + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise _damaged(name)
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    start = offset + 30 + name_length + extra_length
    compressed = memoryview(data)[start : start + member.compress_size]
    if len(compressed) < member.compress_size:
        raise _damaged(name)
    if member.compress_type == zipfile.ZIP_STORED:
        decompressor = None
    elif member.compress_type == zipfile.ZIP_DEFLATED:
        decompressor = zlib.decompressobj(-zlib.MAX_WBITS)
    else:
        raise BadFile(f"'{name}' uses a compression method Excel does not, so it was not opened.")
    produced, crc = 0, 0
    for position in range(0, len(compressed), CHUNK):
        piece = bytes(compressed[position : position + CHUNK])
        while piece:
            if decompressor is None:
                chunk, piece = piece, b""
            else:
                try:
                    chunk = decompressor.decompress(piece, CHUNK)
                except zlib.error as exc:
                    raise _damaged(name) from exc
                piece = decompressor.unconsumed_tail
            produced += len(chunk)
            budget[0] -= len(chunk)
            if produced > member.file_size or budget[0] < 0:
                raise BadFile(f"'{name}' expands to more than its parts declare, so it was not opened.")
            crc = zlib.crc32(chunk, crc)
            if chunk:
                yield chunk
    if decompressor is not None and not decompressor.eof or produced != member.file_size or crc != member.CRC:
        raise _damaged(name)


def _refuse_dtd(buffer: bytes, part: str, name: str) -> None:
    if b"!" in buffer and any(mark in buffer for mark in _DTD_MARKS) and _DTD_RE.search(buffer):
        raise BadFile(
            f"'{name}' contains an XML document type declaration (in {part}), which workbooks never need, "
            "so it was not opened."
        )


def _refuse_declarations(chunks: Iterator[bytes], part: str, name: str) -> None:
    tail = b""
    for chunk in chunks:
        _refuse_dtd(tail + chunk[:DTD_SEAM], part, name)
        _refuse_dtd(chunk, part, name)
        tail = (tail + chunk)[-DTD_SEAM:] if len(chunk) < DTD_SEAM else chunk[-DTD_SEAM:]
