"""The file itself: which suffixes are read, its bytes, and what it is when not what its name says.

Every reader error is an :class:`~csi.errors.InputError` made by :func:`fail`; the ones
shared by several formats (a workbook named ``.csv``, a CSV named ``.parquet``, a file that
is empty or cannot be opened) are here.
"""

from __future__ import annotations

import codecs
import difflib
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from csi.errors import InputError, Issue

__all__ = [
    "read_side_file",
    "WORKBOOK_SUFFIXES", "TEXT_SUFFIXES", "TYPED_SUFFIXES", "SUPPORTED_SUFFIXES", "ZIP", "OLE2", "PARQUET", "SAV",
    "EMPTY", "fail", "checked_suffix", "read_bytes", "unreadable", "named_workbook", "sniff_not_workbook",
    "not_typed", "other_sheets",
]

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
TEXT_SUFFIXES = (".csv", ".tsv")
TYPED_SUFFIXES = (".parquet", ".sav", ".zsav")
SUPPORTED_SUFFIXES = WORKBOOK_SUFFIXES + TEXT_SUFFIXES + TYPED_SUFFIXES

ZIP = b"PK\x03\x04"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PARQUET = b"PAR1"
SAV = (b"$FL2", b"$FL3")  # uncompressed / bytecode-compressed .sav, and .zsav


#: Nothing but a BOM, whitespace and NUL bytes: an empty file
EMPTY = re.compile(rb"(?:\xef\xbb\xbf)?[\s\x00]*\Z")


def fail(code: str, message: str, file: str, **where: Any) -> InputError:
    """The error for a file that cannot be read: ``code``, the message, and where (``sheet=``, ``line=`` …)."""
    return InputError(Issue(code, message, file=file, **where))


def checked_suffix(path: Path, shown: str) -> str:
    """The suffix of a file that exists and that a reader knows, else the error saying what is wrong."""
    if not path.exists():
        hint = ""
        parent = path.parent
        if parent.is_dir():
            try:
                names = [p.name for p in parent.iterdir() if p.suffix.lower() in SUPPORTED_SUFFIXES]
            except OSError:
                names = []
            close = difflib.get_close_matches(path.name, names, n=3, cutoff=0.5)
            if close:
                hint = "; did you mean " + " or ".join(f'"{parent / c}"' for c in close) + "?"
        raise fail("file-not-found", f"no such file{hint}", shown)
    if path.is_dir():
        inside = sorted(p.name for p in path.iterdir() if p.suffix.lower() in SUPPORTED_SUFFIXES)[:5]
        hint = f"; survey files in it: {', '.join(inside)}" if inside else ""
        raise fail("not-a-file", f"is a directory, not a survey file{hint}", shown)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        what = f'"{suffix}" files' if suffix else "files without a suffix"
        raise fail("unsupported-format",
                    f"cannot read {what}; supported: {' '.join(SUPPORTED_SUFFIXES)}", shown)
    return suffix


def read_bytes(path: Path, shown: str) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise unreadable(e, shown) from e
    if EMPTY.match(data):  # scans only up to the first real byte
        raise fail("empty-file", "the file is empty", shown)
    return data


def read_side_file(path: Path, shown: str, kind: str, max_bytes: int, expected: str) -> bytes:
    """The bytes of a small file beside the export (a benchmark, an actions file), or an
    InputError ``<kind>-not-file`` / ``-too-large`` / ``-not-found`` / ``-unreadable``;
    ``expected`` says what to give instead of a directory ("an actions.yaml file")."""
    try:
        if path.is_dir():
            raise InputError(Issue(f"{kind}-not-file", f"is a directory; give the path of {expected}", file=shown))
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(Issue(f"{kind}-too-large", f"{size} bytes; {'an' if kind[0] in 'aeiou' else 'a'} {kind} file "
                                   f"may have at most {max_bytes}", file=shown))
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(Issue(f"{kind}-not-found", "no such file", file=shown)) from None
    except PermissionError:
        raise InputError(Issue(f"{kind}-unreadable", "permission denied", file=shown)) from None


def unreadable(e: OSError, shown: str) -> InputError:
    return fail("file-unreadable", f"cannot be read: {e.strerror or e}", shown)


def named_workbook(what: str, shown: str) -> InputError:
    """The error for an Excel workbook named like ``what`` (``".csv text"``, ``"a Parquet file"``)."""
    return fail("wrong-format", f"is an Excel workbook, not {what}; rename it to .xlsx (or .xls)", shown)


def sniff_not_workbook(data: bytes, shown: str, suffix: str) -> InputError:
    """The error for a file named like a workbook that is neither a ZIP nor an OLE2 file."""
    head = data[:4096].lstrip(codecs.BOM_UTF8).lstrip().lower()
    if head.startswith(b"<"):
        if b"urn:schemas-microsoft-com:office:spreadsheet" in data[:65536]:
            return fail("unsupported-format",
                         f"is an Excel 2003 XML spreadsheet saved as {suffix}; open it in Excel and "
                         "save it as Excel Workbook (.xlsx)", shown)
        return fail("html-not-spreadsheet",
                     f"is an HTML page saved with an {suffix} name, not a spreadsheet (some systems "
                     "export HTML tables as \"Excel\"); open it in Excel and save it as Excel "
                     "Workbook (.xlsx), or download the export as .xlsx or .csv", shown)
    if b"\x00" not in head and (b"," in head or b"\t" in head):
        return fail("wrong-format", f"is text (CSV?), not an {suffix} workbook; if it is CSV, "
                     "rename it to .csv", shown)
    return fail("corrupt-file", f"is not a spreadsheet (not an xlsx/ods ZIP archive nor an xls "
                 f"file; it starts with {data[:8]!r}); re-download or re-save it", shown)


def not_typed(data: bytes, shown: str, suffix: str, what: str) -> InputError:
    """The error for a file named .parquet/.sav that is something else."""
    if data.startswith((ZIP, OLE2)):
        return named_workbook(what, shown)
    if data.startswith(PARQUET):
        return fail("wrong-format", f"is a Parquet file, not {what}; rename it to .parquet", shown)
    if data.startswith(SAV):
        return fail("wrong-format", f"is an SPSS data file, not {what}; rename it to .sav", shown)
    head = data[:4096]
    if b"\x00" not in head and (b"," in head or b"\t" in head or b";" in head):
        return fail("wrong-format", f"is text (CSV?), not {what}; if it is CSV, rename it to .csv", shown)
    return fail("corrupt-file", f"is not {what} (it starts with {data[:8]!r}); export it again", shown)


def other_sheets(sheets: Sequence[str], current: str | None) -> str:
    others = [s for s in sheets if s != current]
    if not others:
        return ""
    return "; the workbook's other sheets: " + ", ".join(f'"{s}"' for s in others) + " (choose one with --sheet)"
