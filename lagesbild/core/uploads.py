"""Uploaded files are checked before they are opened.

Every upload goes through `upload_read` (size from settings, checked before a byte is read
into memory). An XLSX is then checked by `xlsx_check` *before* openpyxl sees it: an old or
encrypted file (OLE), a package that is not a zip, a macro-enabled workbook (`.xlsm`, a
`vbaProject.bin`, a macro-enabled content type in `[Content_Types].xml`), too many members,
too much uncompressed data in total, or a member compressed more than a ratio (a zip bomb).
`xlsx_open` does the check and then opens the workbook in openpyxl's read-only mode.

The budget for opening a workbook is set by these checks rather than by a timer: openpyxl
parses at most LAGESBILD_XLSX_MAX_UNCOMPRESSED bytes of XML (default 20 MB, which the
real templates are far below: a reporting workbook of 400 rows is 60 KB), so time and memory
are bounded by that number; read-only mode streams rows instead of building every cell, and
`rows_capped` stops after LAGESBILD_UPLOAD_MAX_ROWS rows. openpyxl reads XML through
defusedxml when it is installed (it is a dependency; `openpyxl.xml.DEFUSEDXML` is true), so
entity expansion and external entities are refused too.

CSV is read line by line through `csv_rows`, with the same row limit and a limit on the length
of one cell. Error messages quote a value through `shorten`, so an oversized cell is never
echoed back. Every refusal is an `UploadRefused` with one Swedish sentence; nothing is stored.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator

from django.conf import settings

CFB_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")  # OLE compound file: encrypted xlsx, old xls
MACRO_CONTENT_TYPES = (
    "application/vnd.ms-excel.sheet.macroenabled",
    "application/vnd.ms-excel.template.macroenabled",
    "application/vnd.ms-excel.addin.macroenabled",
    "application/vnd.ms-office.vbaproject",
    "application/vnd.ms-excel.sheet.binary.macroenabled",
)
MACRO_SUFFIXES = (".xlsm", ".xltm", ".xlam", ".xlsb", ".xls")


class UploadRefused(Exception):
    """A file refused before it was opened; `message` is one Swedish sentence."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def limit(name: str) -> int:
    """An upload limit from settings (see settings.py, "Uploads")."""
    return int(getattr(settings, name))


def shorten(value, length: int | None = None) -> str:
    """A value as it may appear in an error message: at most `length` characters."""
    length = length or limit("LAGESBILD_UPLOAD_ECHO_CHARS")
    text = "" if value is None else str(value)
    if len(text) <= length:
        return text
    return f"{text[:length]}… ({len(text)} tecken)"


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".removesuffix(".0").replace(".", ",")


def upload_read(upload, *, max_bytes: int | None = None) -> bytes:
    """The bytes of an uploaded file (an UploadedFile or bytes), refused when too large.

    The declared size is checked first, then at most one byte more than the limit is read, so
    a lying size never makes the whole file land in memory."""
    max_bytes = max_bytes or limit("LAGESBILD_UPLOAD_MAX_BYTES")
    if isinstance(upload, bytes | bytearray):
        data = bytes(upload)
    else:
        size = getattr(upload, "size", None)
        if size is not None and size > max_bytes:
            raise UploadRefused(
                f"filen är {_megabytes(size)} MB; den får vara högst {_megabytes(max_bytes)} MB"
            )
        if hasattr(upload, "seek"):
            upload.seek(0)
        data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UploadRefused(
            f"filen är större än {_megabytes(max_bytes)} MB; den får vara högst "
            f"{_megabytes(max_bytes)} MB"
        )
    if not data:
        raise UploadRefused("filen är tom")
    return data


def xlsx_check(data: bytes, file_name: str = "") -> None:
    """Refuse a file that is not a plain, reasonably sized .xlsx package, before parsing it."""
    if file_name.lower().endswith(MACRO_SUFFIXES):
        raise UploadRefused(
            "filer med makron eller i äldre Excelformat (.xlsm, .xlsb, .xls) tas inte emot. "
            "Spara som Excel-arbetsbok (.xlsx)"
        )
    if data[:8] == CFB_SIGNATURE:
        raise UploadRefused(
            "filen är lösenordsskyddad (krypterad) eller i det gamla .xls-formatet. "
            "Ta bort lösenordet och spara som Excel-arbetsbok (.xlsx)"
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise UploadRefused("filen är inte en Excel-arbetsbok (.xlsx)") from None
    if len(members) > limit("LAGESBILD_XLSX_MAX_MEMBERS"):
        raise UploadRefused(
            f"filen innehåller {len(members)} delar; en Excel-arbetsbok från Lägesbild har "
            f"högst {limit('LAGESBILD_XLSX_MAX_MEMBERS')}"
        )
    total = sum(m.file_size for m in members)
    max_total = limit("LAGESBILD_XLSX_MAX_UNCOMPRESSED")
    if total > max_total:
        raise UploadRefused(
            f"filen packas upp till {_megabytes(total)} MB; högst {_megabytes(max_total)} MB "
            "tas emot"
        )
    ratio = limit("LAGESBILD_XLSX_MAX_RATIO")
    for m in members:
        if m.file_size > 1024 * 1024 and m.file_size > ratio * max(m.compress_size, 1):
            raise UploadRefused(
                f"filen är packad ovanligt hårt (delen {shorten(m.filename, 60)} är mer än "
                f"{ratio} gånger större uppackad) och tas inte emot"
            )
    names = {m.filename.lower() for m in members}
    if any(n.endswith("vbaproject.bin") or n.endswith(".bin") for n in names):
        raise UploadRefused(
            "filen innehåller makron (vbaProject.bin) och tas inte emot. "
            "Spara som Excel-arbetsbok utan makron (.xlsx)"
        )
    if "[content_types].xml" not in names:
        raise UploadRefused("filen är inte en Excel-arbetsbok (.xlsx) som går att läsa")
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    try:
        root = ElementTree.fromstring(archive.read("[Content_Types].xml"))
    except (ElementTree.ParseError, DefusedXmlException, KeyError):
        raise UploadRefused("filen är inte en Excel-arbetsbok (.xlsx) som går att läsa") from None
    for element in root.iter():
        content_type = (element.get("ContentType") or "").lower()
        if content_type.startswith(MACRO_CONTENT_TYPES):
            raise UploadRefused(
                "filen är en arbetsbok med makron och tas inte emot. "
                "Spara som Excel-arbetsbok utan makron (.xlsx)"
            )


def xlsx_open(data: bytes, file_name: str = "", *, read_only: bool = True, data_only=True):
    """`xlsx_check`, then the workbook (read-only by default); a broken package is refused."""
    xlsx_check(data, file_name)
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(data), read_only=read_only, data_only=data_only)
    except Exception:  # openpyxl raises many kinds for a broken package
        raise UploadRefused("filen är inte en Excel-arbetsbok (.xlsx) som går att läsa") from None


def rows_capped(rows, *, what: str = "bladet") -> Iterator:
    """Rows of a sheet or reader, refused past LAGESBILD_UPLOAD_MAX_ROWS rows."""
    max_rows = limit("LAGESBILD_UPLOAD_MAX_ROWS")
    for n, row in enumerate(rows, start=1):
        if n > max_rows:
            raise UploadRefused(f"{what} har fler än {max_rows} rader; dela upp filen")
        yield row


def cell_check(value, *, where: str) -> None:
    """Refuse a cell longer than LAGESBILD_UPLOAD_MAX_CELL_CHARS (without echoing it)."""
    max_chars = limit("LAGESBILD_UPLOAD_MAX_CELL_CHARS")
    if isinstance(value, str) and len(value) > max_chars:
        raise UploadRefused(f"{where}: cellen har {len(value)} tecken; högst {max_chars} tas emot")


def csv_rows(text: str, *, delimiter: str, first_line: int = 1) -> Iterator[list[str]]:
    """Rows of CSV text, streamed, with the row and cell limits."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for row in rows_capped(reader, what="filen"):
            for i, cell in enumerate(row, start=1):
                cell_check(cell, where=f"rad {first_line + reader.line_num - 1}, kolumn {i}")
            yield row
    except csv.Error as exc:
        raise UploadRefused(
            f"rad {first_line + reader.line_num - 1}: filen går inte att läsa som CSV "
            f"({shorten(exc, 80)})"
        ) from None
