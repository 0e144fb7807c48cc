"""Read a survey export (xlsx, xlsm, xls, ods, csv, tsv, parquet, sav) into a :class:`Table`.

Every cell is first read as text — workbooks with fastexcel (calamine, in Rust), CSV and
TSV with pyarrow's CSV reader — and then the same cell rules apply, so a file gives the
same table whatever it was saved as:

- Text is stripped of surrounding whitespace; an empty or blank cell is missing (NaN).
- A number is a number (float64), and so is text that is a plain decimal number (``5``,
  ``-2``, ``4.5``; no leading zeros, thousands separators, exponents or ``%``): ``"5"`` in
  a CSV and ``5`` in a workbook read alike, while a code such as ``"007"`` stays text.
- A column holding only numbers is float64. Only text: a pandas ``Categorical``
  (categories sorted, ``str``) when its texts repeat — at most half as many distinct texts
  as filled cells, and at most 32 767 of them: answer labels, segments — else pandas
  ``str``; either way a cell is a Python ``str`` (``frame[h].tolist()``, ``.iloc[i]``).
  Both numbers and text: a ``Categorical`` (the numbers ascending as floats, then the texts
  sorted) when the cells repeat by the same measure (a 0–10 question with "(跳过)"), else
  ``object`` holding floats and strs; either way a cell is a float or a str.
- A date or time cell reads as text ``"YYYY-MM-DD HH:MM:SS"`` (a time-only cell as
  ``"1899-12-31 HH:MM:SS"``, as Excel stores it), true/false as ``"true"``/``"false"``,
  an error cell as its text (``"#DIV/0!"``, ``"#N/A"``), and — in a sheet up to 16 MB — a
  formula that was never calculated as ``"=FORMULA(…)"``: none of them is an answer, so each
  is reported as an invalid one rather than passing for a blank. A formula Excel calculated
  reads as its result.

Why text first (measured on fastexcel 0.21): its per-column type guess, besides dropping
text below the rows it samples, makes ``"N/A"``, ``"NA"``, ``"null"``, ``"None"``,
``"nan"`` missing in a column that is otherwise numeric, so an answer the model does not
know would pass as "no answer" instead of being reported invalid. As text, though,
fastexcel rounds a number to 9 decimal places (1/3 → ``"0.333333333"``). That text is the
number itself when the sheet writes none with more decimals or an exponent (an xlsx sheet
is searched for such numbers in the background while calamine reads it); otherwise a
column with any fractional number is read a second time as floats (only then: ratings,
codes and seconds are whole numbers). Every number is exact except that one within 5e-10
of a whole number reads as that whole number.

Speed and memory (DESIGN.md §12): a UTF-8 CSV streams once through pyarrow's reader, which
validates the UTF-8; the SHA-256, the NUL and quote checks are taken from the same read,
and the columns of repeating answers are dictionary-encoded as they are parsed. Any other
text file (GB18030, UTF-16, odd quotes, ragged rows) is read whole and checked step by
step, with the same results. The cell rules then run once per distinct text of a column
(row by row for ids and times; a column of plain whole numbers by a digits check), two or
more columns at a time, only for the columns the caller keeps (``columns``), and each
column read is let go as soon as it is converted. ``progress`` (:func:`read_survey`) names
each stage.

Before calamine reads an xlsx sheet, its size is checked (:func:`_xlsx_scan`): calamine
allocates memory for every cell between the first and the last used one, so one stray value
in XFD1048576 would ask for 550 GB and abort the process; such a sheet is refused with
``sheet-too-large``. A header row that is not one — a title above it, merged header cells —
is refused with the row it seems to be on. A CSV that mixes encodings, holds NUL bytes or
leaves a quote open is refused with the line.

Rows keep their spreadsheet numbers: frame row ``i`` is row ``first_row + i``; blank rows
inside the data are kept (as all-missing rows), blank rows at the end are dropped. Columns
keep their letters (:meth:`Table.letter`). A column without a header but with data is
named ``"Unnamed: C"`` after its letter; one with neither is dropped.

Exports with several header rows (Qualtrics, SurveyMonkey; :mod:`csi.survey.presets`) are
recognised from their first three rows; the preset makes one header per column from them
(Qualtrics: the question text, its field id ``Q5`` and ImportId ``QID5`` kept as
:attr:`Table.aliases`; SurveyMonkey: ``"question - row label"`` over a matrix), and the
data start below them (``first_row`` 4 and 3).

Typed files keep their types and go through the same rules. A Parquet column of numbers is
numbers, of text is text (a column holding only plain decimal text reads as numbers, as in a
CSV); dates and times read as text like a workbook's. An SPSS ``.sav`` file (read with
pyreadstat) is named by its variable names (``Q5_1``: what SPSS users know), its variable
labels (question texts) are aliases, values declared missing are missing, and a value with
a value label reads as that label (``非常满意``), so that a model's ``labels:`` decide the
scale point, as for a 问卷星 按文本 download, and segments show names rather than codes; the
codes stay in :attr:`Table.value_labels` for an item without labels of its own
(:func:`csi.survey.prepare.convert_column`). Rows of a typed file are numbered from 1, as
SPSS numbers its cases.

>>> question_number("5、请评价—账务处理准确性"), question_stem("5、请评价—账务处理准确性")
(5, '请评价—账务处理准确性')
>>> parse_duration("2分3秒"), parse_duration("95秒"), parse_duration("0:02:03")
(123.0, 95.0, 123.0)
"""

from __future__ import annotations

import codecs
import csv
import difflib
import hashlib
import io
import itertools
import logging
import os
import queue
import re
import sys
import threading
import zipfile
import zlib
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree

from csi.background import Background
from csi.errors import DataError, InputError, Issue, column_letter
from csi.survey.presets import HeaderColumn, Preset, detect_preset, forms, get_preset
from csi.survey.presets import _text as _plain  # a header cell as text, stripped

if TYPE_CHECKING:  # pandas, numpy and pyarrow are imported when a file is read, not before
    import numpy as np
    import pandas as pd

__all__ = [
    "SUPPORTED_SUFFIXES",
    "Table",
    "read_survey",
    "durations_seconds",
    "parse_duration",
    "find_column",
    "question_number",
    "question_stem",
]

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
TEXT_SUFFIXES = (".csv", ".tsv")
TYPED_SUFFIXES = (".parquet", ".sav", ".zsav")
SUPPORTED_SUFFIXES = WORKBOOK_SUFFIXES + TEXT_SUFFIXES + TYPED_SUFFIXES

# fastexcel logs a warning for every column it cannot type (an all-empty question);
# keep Python's last-resort handler from printing them on stderr. An application that
# configures logging still receives them.
logging.getLogger("fastexcel").addHandler(logging.NullHandler())

_NUMBER = r"^[+-]?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?$"
# "5、题干", "5.题干", "5．题干", "Q5.题干", "Q5：题干" — but not "1.5倍".
_QUESTION = re.compile(r"^\s*(?:[Qq]\s*)?(\d+)\s*[、.．:：](?!\d)\s*")
_QSPEC = re.compile(r"^[Qq](\d+)$")
_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_PARQUET = b"PAR1"
_SAV = (b"$FL2", b"$FL3")  # uncompressed / bytecode-compressed .sav, and .zsav


@dataclass(frozen=True, slots=True, eq=False)
class Table:
    """One sheet of a survey export: the data rows and where they came from.

    ``frame`` holds the data rows only, its columns are the headers (stripped, unique).
    ``first_row`` is the spreadsheet row of frame row 0 (2 under a one-row header, 4 under
    a Qualtrics CSV's three; 1 in a Parquet or SPSS file, whose rows count from 1);
    ``column_indexes`` the 0-based spreadsheet column of each frame column (empty: the
    frame's own positions). The ``*_column`` fields, ``pii_columns`` and
    ``missing_codes`` come from the preset. ``aliases`` maps other names of a column to its
    header (Qualtrics field ids and ImportIds, SPSS variable labels): :func:`find_column`
    accepts them. ``value_labels`` maps an SPSS column's header to its value labels
    (code → label; its labelled cells hold the labels).

    >>> import pandas as pd
    >>> t = Table(pd.DataFrame({"a": [1.0], "b": ["x"]}), "s.csv", None, "plain", 2,
    ...           None, None, None, (), (), (), "", column_indexes=(0, 2))
    >>> t.letter("b"), t.row_number(0)
    ('C', 2)
    """

    frame: pd.DataFrame
    path: str
    sheet: str | None
    preset: str
    first_row: int
    id_column: str | None
    submitted_column: str | None
    duration_column: str | None
    pii_columns: tuple[str, ...]
    missing_codes: tuple[str, ...]
    sheets: tuple[str, ...]
    sha256: str
    column_indexes: tuple[int, ...] = ()
    aliases: Mapping[str, str] = field(default_factory=dict)
    value_labels: Mapping[str, Mapping[Any, str]] = field(default_factory=dict)

    def letter(self, column: str) -> str:
        """Spreadsheet column letter of a header (``KeyError`` if there is no such header)."""
        position = self.frame.columns.get_loc(column)
        if not isinstance(position, int):
            raise KeyError(column)
        return column_letter(self.column_indexes[position] if self.column_indexes else position)

    def row_number(self, i: int) -> int:
        """Spreadsheet row of frame row ``i``."""
        return self.first_row + int(i)


@dataclass(frozen=True, slots=True)
class _Grid:
    """A sheet as read, before the cell rules: one Arrow array per column."""

    names: tuple[str | None, ...]  # header cell text, None when blank
    indexes: tuple[int, ...]  # 0-based spreadsheet column
    columns: tuple[Any, ...]  # pyarrow string Array / ChunkedArray of the data rows
    header_row: int  # 1-based spreadsheet row of the header
    header_rows: int
    numbers: tuple[Any, ...] = ()  # per column: exact float64 values of its numeric cells, or None
    merged: tuple[str, ...] = ()  # merged cell ranges of the sheet ("B1:D1")
    typed: bool = False  # a Parquet or SPSS file: names are its only header, rows count from 1
    keys: tuple[str | None, ...] = ()  # per column: what the preset's roles name it by (default: its name)
    aliases: tuple[tuple[str, ...], ...] = ()  # per column: other names that find it
    labels: tuple[Any, ...] = ()  # per column: SPSS value labels {code: label}, or None
    # a workbook's exact numbers, worked out when asked for the columns kept: column position →
    # float64 values of its numeric cells (only columns whose text rounds a number)
    exact: Callable[[Sequence[int]], Mapping[int, Any]] | None = None


class FileLabels(Mapping[str, Mapping[Any, str]]):
    """Value labels of a file's columns (header → {code: label}), read-only.

    A frame carries them in ``frame.attrs["value_labels"]``, so that a column taken from it
    still knows its labels. pandas deep-copies ``attrs`` on every operation; this one copies
    as itself, for nothing.
    """

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Mapping[Any, str]]) -> None:
        self._data = {str(k): dict(v) for k, v in data.items()}

    def __getitem__(self, key: str) -> Mapping[Any, str]:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"FileLabels({self._data!r})"

    def __copy__(self) -> FileLabels:
        return self

    def __deepcopy__(self, memo: dict) -> FileLabels:
        return self

    def __reduce__(self) -> tuple:
        return (FileLabels, (self._data,))


# ---------------------------------------------------------------- reading


def read_survey(path: str | os.PathLike[str], sheet: str | int | None = None,
                preset: str | None = None, *, progress: Callable[[str], None] | None = None,
                columns: Callable[[Table], Collection[str] | None] | None = None) -> Table:
    """Read one sheet of a survey export.

    Parameters
    ----------
    path : the file; its suffix picks the reader (:data:`SUPPORTED_SUFFIXES`).
    sheet : a sheet name or 0-based index; default the first sheet. Not allowed for CSV,
        Parquet or SPSS files.
    preset : ``"wjx"``, ``"tencent"``, ``"qualtrics"``, ``"surveymonkey"``, ``"plain"``;
        default: detected from the top rows (:func:`~csi.survey.presets.detect_preset`).
        A forced preset the file does not fit is ``preset-mismatch``, saying what it expected.
    progress : called with a short description of each stage as it starts (``"reading
        sheet Sheet1"``, ``"checking cells"``), for a status line while a large file is read.
        The stage in which the parser (pyarrow, calamine) reads the cells, letting go of the
        GIL, is the one whose text begins with ``"reading"``.
    columns : which columns to put through the cell rules, asked once the headers are known:
        called with the table as it will be but without rows (its frame has every header and
        no data), it returns the headers to keep, or None for all of them
        (:func:`csi.survey.prepare.columns_used` says which ones :func:`~csi.survey.prepare.prepare`
        reads). The returned table has only those columns; rows are what they would be with
        all of them (a row holding a value only in a column left out is still a row).

    Raises
    ------
    InputError
        The file cannot be read: ``file-not-found``, ``not-a-file``, ``file-unreadable``,
        ``unsupported-format``, ``wrong-format``, ``html-not-spreadsheet``,
        ``corrupt-file``, ``encrypted-file``, ``bad-encoding``, ``mixed-encoding``,
        ``nul-bytes``, ``unclosed-quote``, ``empty-file``, ``sheet-not-found``,
        ``sheet-too-large``, ``no-sheets``, ``unknown-preset``.
    DataError
        It was read but cannot be used: ``no-data-rows``, ``duplicate-header``,
        ``header-not-first-row``, ``merged-header``, ``preset-mismatch``.
    """
    shown = os.fspath(path)
    say = progress or _silent
    forced = get_preset(preset) if preset is not None else None
    file = Path(shown)
    suffix = _checked_suffix(file, shown)

    if suffix in TEXT_SUFFIXES or suffix in TYPED_SUFFIXES:
        if sheet is not None:
            raise InputError(Issue("no-sheets", f"a {suffix} file has no sheets; drop the sheet option "
                                   f"(got {sheet!r})", file=shown, value=sheet))
        say(f"reading {file.name}")
        if suffix in TEXT_SUFFIXES:
            load, digest = _text_loader(file, suffix, shown)
        else:
            data = _read_bytes(file, shown)
            digest = hashlib.sha256(data).hexdigest()
            load = _typed_loader(data, suffix, shown)
            del data
        sheet_name, sheets = None, ()
    else:
        data = _read_bytes(file, shown)
        digest = hashlib.sha256(data).hexdigest()
        load, sheet_name, sheets = _workbook_loader(data, suffix, shown, sheet, say)
        del data

    grid = load(1)
    # The preset is chosen from the top three rows as read: row 1 and the two below it
    # (none in a typed file), before any of them is taken for a header or for data.
    top = [_plain(n) for n in grid.names]
    below = None if grid.typed else _rows_below(grid, 2)
    if forced is not None:
        chosen = _fitting_form(forced, top, below, shown, sheet_name, grid.header_row)
    else:
        chosen = detect_preset(top, below)
    composed = dict(zip(grid.indexes, chosen.columns([top, *(below or ())]), strict=True))
    if chosen.header_rows != grid.header_rows:  # a multi-row-header export: data start lower
        grid = load(chosen.header_rows)
    grid = _named(grid, composed)
    headers, keep = _headers(grid, shown, sheet_name)
    if not grid.typed:
        _check_header_row(grid, keep, shown, sheet_name)

    keys = [grid.keys[i] or h for h, i in zip(headers, keep, strict=True)]
    by_key: dict[str, str] = {}
    for h, k in zip(headers, keys, strict=True):
        by_key.setdefault(k, h)
    value_labels = FileLabels({h: grid.labels[i] for h, i in zip(headers, keep, strict=True)
                               if grid.labels and grid.labels[i]})
    pii = tuple(h for h, k in zip(headers, keys, strict=True) if chosen.is_pii(k) or chosen.is_pii(h))

    def table(frame: pd.DataFrame, headers: Sequence[str], keep: Sequence[int]) -> Table:
        return Table(
            frame=frame,
            path=shown,
            sheet=sheet_name,
            preset=chosen.name,
            first_row=grid.header_row + grid.header_rows,
            id_column=by_key.get(chosen.id_column or ""),
            submitted_column=by_key.get(chosen.submitted_column or ""),
            duration_column=by_key.get(chosen.duration_column or ""),
            pii_columns=pii,
            missing_codes=chosen.missing_codes,
            sheets=sheets,
            sha256=digest,
            column_indexes=tuple(grid.indexes[i] for i in keep),
            aliases=_aliases(grid, headers, keep),
            value_labels=value_labels,
        )

    others: list[int] = []  # columns left out, whose cells still tell where the rows end
    if columns is not None:
        import pandas as pd

        wanted = columns(table(pd.DataFrame(columns=list(headers)), headers, keep))
        if wanted is not None:
            chosen_columns = [(h, i) for h, i in zip(headers, keep, strict=True) if h in wanted]
            others = [i for h, i in zip(headers, keep, strict=True) if h not in wanted]
            headers, keep = [h for h, _ in chosen_columns], [i for _, i in chosen_columns]
            value_labels = FileLabels({h: v for h, v in value_labels.items() if h in wanted})

    # The loader holds the whole sheet as read: let it go, and each column as soon as it
    # is converted, so that the file is never in memory twice over.
    del load
    data_columns, numbers = list(grid.columns), list(grid.numbers or (None,) * len(grid.columns))
    if grid.exact is not None:
        for position, values in grid.exact(keep).items():
            numbers[position] = values
    grid = replace(grid, columns=(), numbers=(), exact=None)
    say("checking cells")
    frame = _frame(data_columns, numbers, headers, keep, others)
    del data_columns, numbers
    if len(frame) == 0:
        where = "sheet" if sheet_name is not None else "file"
        raise DataError(Issue("no-data-rows", f"the {where} has a header row but no answers below it"
                              + _other_sheets(sheets, sheet_name),
                              file=shown, sheet=sheet_name, row=grid.header_row + grid.header_rows))
    if value_labels:
        frame.attrs["value_labels"] = value_labels
    return table(frame, headers, keep)


def _silent(stage: str) -> None:
    """The default ``progress``: says nothing."""


def _rows_below(grid: _Grid, n: int) -> list[tuple[str, ...]]:
    """The first ``n`` rows under the header row as stripped text, ``""`` for blank."""
    rows = []
    for i in range(n):
        row = []
        for column in grid.columns:
            value = column[i].as_py() if i < len(column) else None
            row.append(_plain(value))
        rows.append(tuple(row))
    return rows


def _fitting_form(preset: Preset, top: Sequence[str], below: Sequence[Sequence[str]] | None, shown: str,
                  sheet: str | None, row: int) -> Preset:
    """The form of a forced preset that the file has, or ``preset-mismatch`` saying what was expected."""
    problems = []
    for form in forms(preset):
        problem = form.problem(top, below)
        if problem is None:
            return form
        problems.append((form, problem))
    first, problem = problems[0]
    message = f"preset {preset.name} ({first.title}) {problem}"
    for form, other in problems[1:]:
        message += f"; nor is it a {form.title}: that {other}"
    names = [" ".join(h.split()) for h in top[: min(preset.look_within, 12)] if h]
    listed = ", ".join(_clip(n, 40) for n in names) or "(none)"
    raise DataError(Issue("preset-mismatch", f"{message}. The first columns are: {listed}. Leave the preset out to "
                          "detect it, or use --preset plain", file=shown, sheet=sheet, row=row or None))


def _named(grid: _Grid, composed: Mapping[int, HeaderColumn]) -> _Grid:
    """The grid with the preset's names, keys and aliases (matched by spreadsheet column)."""
    columns = [composed.get(index, HeaderColumn(None)) for index in grid.indexes]
    aliases = [(*c.aliases, *(grid.aliases[p] if grid.aliases else ())) for p, c in enumerate(columns)]
    return replace(grid, names=tuple(c.name for c in columns), keys=tuple(c.key for c in columns),
                   aliases=tuple(aliases))


def _aliases(grid: _Grid, headers: Sequence[str], keep: Sequence[int]) -> dict[str, str]:
    """Other names → header; a name that is a header itself, or names two columns, is left out."""
    taken = set(headers)
    found: dict[str, set[str]] = {}
    for h, i in zip(headers, keep, strict=True):
        for alias in grid.aliases[i] if grid.aliases else ():
            alias = alias.strip()
            if alias and alias not in taken:
                found.setdefault(alias, set()).add(h)
    return {a: next(iter(hs)) for a, hs in found.items() if len(hs) == 1}


def _fail(code: str, message: str, file: str, **where: Any) -> InputError:
    return InputError(Issue(code, message, file=file, **where))


def _checked_suffix(path: Path, shown: str) -> str:
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
        raise _fail("file-not-found", f"no such file{hint}", shown)
    if path.is_dir():
        inside = sorted(p.name for p in path.iterdir() if p.suffix.lower() in SUPPORTED_SUFFIXES)[:5]
        hint = f"; survey files in it: {', '.join(inside)}" if inside else ""
        raise _fail("not-a-file", f"is a directory, not a survey file{hint}", shown)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        what = f'"{suffix}" files' if suffix else "files without a suffix"
        raise _fail("unsupported-format",
                    f"cannot read {what}; supported: {' '.join(SUPPORTED_SUFFIXES)}", shown)
    return suffix


def _read_bytes(path: Path, shown: str) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise _unreadable(e, shown) from e
    if _EMPTY.match(data):  # scans only up to the first real byte
        raise _fail("empty-file", "the file is empty", shown)
    return data


_EMPTY = re.compile(rb"(?:\xef\xbb\xbf)?[\s\x00]*\Z")


def _unreadable(e: OSError, shown: str) -> InputError:
    return _fail("file-unreadable", f"cannot be read: {e.strerror or e}", shown)


def _named_workbook(what: str, shown: str) -> InputError:
    """The error for an Excel workbook named like ``what`` (``".csv text"``, ``"a Parquet file"``)."""
    return _fail("wrong-format", f"is an Excel workbook, not {what}; rename it to .xlsx (or .xls)", shown)


def _sniff_not_workbook(data: bytes, shown: str, suffix: str) -> InputError:
    """The error for a file named like a workbook that is neither a ZIP nor an OLE2 file."""
    head = data[:4096].lstrip(codecs.BOM_UTF8).lstrip().lower()
    if head.startswith(b"<"):
        if b"urn:schemas-microsoft-com:office:spreadsheet" in data[:65536]:
            return _fail("unsupported-format",
                         f"is an Excel 2003 XML spreadsheet saved as {suffix}; open it in Excel and "
                         "save it as Excel Workbook (.xlsx)", shown)
        return _fail("html-not-spreadsheet",
                     f"is an HTML page saved with an {suffix} name, not a spreadsheet (some systems "
                     "export HTML tables as \"Excel\"); open it in Excel and save it as Excel "
                     "Workbook (.xlsx), or download the export as .xlsx or .csv", shown)
    if b"\x00" not in head and (b"," in head or b"\t" in head):
        return _fail("wrong-format", f"is text (CSV?), not an {suffix} workbook; if it is CSV, "
                     "rename it to .csv", shown)
    return _fail("corrupt-file", f"is not a spreadsheet (not an xlsx/ods ZIP archive nor an xls "
                 f"file; it starts with {data[:8]!r}); re-download or re-save it", shown)


def _workbook_loader(data: bytes, suffix: str, shown: str, sheet: str | int | None,
                     say: Callable[[str], None]):
    import fastexcel

    archive = None
    if data.startswith(_ZIP):
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, ValueError, OSError) as e:
            raise _fail("corrupt-file", "is damaged or truncated (its ZIP directory cannot be read); "
                        "re-download the export or open and re-save it in Excel", shown) from e
        names = set(archive.namelist())
        if "[Content_Types].xml" not in names and "mimetype" not in names:
            raise _fail("corrupt-file", "is a ZIP archive but not an xlsx or ods workbook", shown)
    elif data.startswith(_OLE2):
        for stream, what in (("WordDocument", "a Word document"), ("PowerPoint Document", "a PowerPoint file")):
            if stream.encode("utf-16-le") in data and "Workbook".encode("utf-16-le") not in data:
                raise _fail("wrong-format", f"is {what} with a {suffix} name, not a spreadsheet; open the survey "
                            "export itself (.xlsx, .xls or .csv)", shown)
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise _fail("encrypted-file", "is password-protected; open it in Excel, remove the "
                        "password (File → Info → Protect Workbook → Encrypt with Password) and save "
                        "it again", shown)
    else:
        raise _sniff_not_workbook(data, shown, suffix)

    try:
        reader = fastexcel.read_excel(data)  # from bytes: calamine goes by content, not suffix
        sheets = tuple(reader.sheet_names)
    except fastexcel.FastExcelError as e:
        raise _calamine_error(e, shown) from e
    if not sheets:
        raise _fail("empty-file", "the workbook has no sheets", shown)

    if sheet is None:
        index = 0
    elif isinstance(sheet, int) and not isinstance(sheet, bool):
        index = sheet if 0 <= sheet < len(sheets) else -1
    else:
        index = sheets.index(sheet) if sheet in sheets else -1
    if index < 0:
        listing = ", ".join(f'{i}: "{s}"' for i, s in enumerate(sheets))
        close = difflib.get_close_matches(str(sheet), sheets, n=1, cutoff=0.6)
        hint = f'; did you mean "{close[0]}"?' if close else ""
        raise _fail("sheet-not-found", f"no sheet {sheet!r}; the sheets are (0-based index: name) "
                    f"{listing}{hint}", shown, value=sheet)
    name = sheets[index]
    part = _xlsx_sheet_part(archive, name) if archive is not None and "xl/workbook.xml" in names else None
    header_row = _xlsx_first_row(archive, part)

    def damaged(e: Exception) -> InputError:
        return _fail("corrupt-file", f"the sheet's data is damaged ({e}); re-download the export or open and "
                     "re-save it in Excel", shown, sheet=name)

    scan = _SheetScan()
    if archive is not None and part is not None:
        say(f"checking sheet {name}")
        # A workbook Excel calculated has a calcChain; one a program wrote may hold bare
        # formulas. Looking for them costs a pass over the sheet, so only small sheets get it.
        formulas = "xl/calcChain.xml" not in names and archive.getinfo(part).file_size <= _FORMULA_SCAN_BYTES
        try:
            scan = _xlsx_scan(archive, part, formulas)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as e:
            raise damaged(e) from e
        assert scan.extent is not None
        _check_extent(scan.extent, shown, name)
    plain_numbers: bool | None = None
    pending: Background | None = None
    if archive is not None and part is not None:
        # How the sheet writes its numbers matters only if a column holds fractional ones;
        # it is looked at in the background, on another core while calamine reads the sheet.
        sheet_part = part  # (for the type checker: a str from here on)
        pending = Background(lambda stop: _scan_sheet(archive, sheet_part, None, False, numbers=True, stop=stop,
                                                      ahead=False),
                             name="csi-scan")

    def numbers_as_written() -> bool:
        """Whether no number in the sheet is written with more than 9 decimals or an exponent."""
        nonlocal plain_numbers, pending
        if pending is not None:
            try:
                plain_numbers = pending.result().plain_numbers
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as e:
                raise damaged(e) from e
            finally:
                pending = None
        return bool(plain_numbers)

    def stop_looking() -> None:
        nonlocal pending
        if pending is not None:
            pending.cancel()
            pending = None

    def load(header_rows: int) -> _Grid:
        try:
            return read(header_rows)
        except BaseException:
            stop_looking()
            raise

    def read(header_rows: int) -> _Grid:
        # Every cell as text, in one pass: fastexcel's type guessing would turn "N/A",
        # "NA", "null", "None", "nan" into missing in a column that is otherwise numeric.
        # Blank text stays text here (the cell rules make it missing): fastexcel's
        # whitespace_as_null made the conversion a third slower (0.59 s instead of 0.39 s
        # for 100 000 rows × 37 columns).
        say(f"reading sheet {name}")
        options = {"header_row": 0, "skip_rows": header_rows - 1 if header_rows > 1 else None,
                   "skip_whitespace_tail_rows": False}
        try:
            sheet_ = reader.load_sheet(index, dtypes="string", **options)
            columns = sheet_.selected_columns
            arrow, errors = sheet_.to_arrow_with_errors()
        except fastexcel.FastExcelError as e:
            raise _calamine_error(e, shown, name) from e
        del sheet_
        if not columns:
            raise _fail("empty-file", "the sheet is empty" + _other_sheets(sheets, name), shown, sheet=name)
        texts = [arrow.column(i) for i in range(arrow.num_columns)]
        if errors is not None and header_rows == 1:  # (fastexcel shifts their rows when it skips rows)
            texts = _with_cell_errors(texts, errors)
        if scan.uncalculated:
            texts = _with_formulas(texts, [c.absolute_index for c in columns], header_row + header_rows,
                                   scan.uncalculated)
        rows = arrow.num_rows
        del arrow

        def exact(positions: Sequence[int]) -> dict[int, Any]:
            # As text, a number is rounded to 9 decimal places (1/3 → "0.333333333"): exact
            # when the sheet writes no number with more decimals (nor an exponent), as survey
            # exports do. Otherwise the columns kept that hold a fractional number are read
            # again as floats, so every value is exact; an integer-looking text is within
            # 5e-10 of the number stored.
            fractional = [i for i in positions if _has_fraction(texts[i])]
            if not fractional or numbers_as_written():
                stop_looking()
                return {}
            say(f"reading the numbers of sheet {name}")
            try:
                floats = reader.load_sheet(index, dtypes="float", use_columns=[columns[i].index for i in fractional],
                                           **options).to_arrow()
            except fastexcel.FastExcelError as e:
                raise _calamine_error(e, shown, name) from e
            if floats.num_rows != rows:  # same sheet, same rows; anything else keeps the text
                return {}
            return {i: floats.column(j) for j, i in enumerate(fractional)}

        names = _workbook_headers(reader, index, columns)
        merged: tuple[str, ...] = ()
        if archive is not None and part is not None and None in names:  # blank header cells: merged?
            try:
                merged = _xlsx_merged(archive, part)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as e:
                raise damaged(e) from e
        return _Grid(names, tuple(c.absolute_index for c in columns), tuple(texts), header_row, header_rows,
                     merged=merged, exact=exact)

    return load, name, sheets


def _workbook_headers(reader: Any, index: int, columns: Sequence[Any]) -> tuple[str | None, ...]:
    names: list[str | None] = [c.name if c.column_name_from == "looked_up" else None for c in columns]
    # fastexcel renames a repeated header "h" to "h_1"; read the header row itself when a
    # name looks like that, so a real duplicate is reported and a real "h_1" is kept
    seen: set[str] = set()
    suspect = False
    for n in names:
        if n is not None:
            m = re.fullmatch(r"(.*)_\d+", n)
            suspect |= bool(m and m.group(1) in seen)
            seen.add(n)
    if suspect:
        top = reader.load_sheet(index, header_row=None, n_rows=1, dtypes="string", whitespace_as_null=True)
        raw = top.to_arrow()
        by_index = {c.absolute_index: raw.column(i)[0].as_py() for i, c in enumerate(top.selected_columns)}
        names = [by_index.get(c.absolute_index) if n is not None else None for c, n in zip(columns, names, strict=True)]
    return tuple(n if n and n.strip() else None for n in names)  # (a header of spaces is no header)


def _has_fraction(text: Any) -> bool:
    import pyarrow.compute as pc

    if not pc.any(pc.match_substring(text, ".")).as_py():  # cheap test first: most columns have no "."
        return False
    return bool(pc.any(pc.match_substring_regex(text, r"^\s*[+-]?[0-9]+\.[0-9]+\s*$")).as_py())


def _other_sheets(sheets: Sequence[str], current: str | None) -> str:
    others = [s for s in sheets if s != current]
    if not others:
        return ""
    return "; the workbook's other sheets: " + ", ".join(f'"{s}"' for s in others) + " (choose one with --sheet)"


def _calamine_error(e: Exception, shown: str, sheet: str | None = None) -> InputError:
    detail = str(e).splitlines()[0] if str(e) else type(e).__name__
    if re.search(r"password|encrypt", str(e), re.IGNORECASE):
        return _fail("encrypted-file", "is password-protected; remove the password in Excel and "
                     "save it again", shown, sheet=sheet)
    return _fail("corrupt-file", f"cannot be read as a workbook ({detail}); re-download the export "
                 "or open and re-save it in Excel", shown, sheet=sheet)


def _xlsx_sheet_part(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The ZIP member holding an xlsx sheet's XML (``xl/worksheets/sheet1.xml``), or None."""
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rid = next(s.get(rel + "id") for s in book.iter(main + "sheet") if s.get("name") == sheet)
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        target = next(r.get("Target") for r in rels if r.get("Id") == rid)
    except (KeyError, StopIteration, ElementTree.ParseError, ValueError, zipfile.BadZipFile, OSError, EOFError, zlib.error):
        return None
    if not target:
        return None
    part = target.lstrip("/") if target.startswith("/") else "xl/" + target
    return part if part in archive.namelist() else None


def _xlsx_first_row(archive: zipfile.ZipFile, part: str | None) -> int:
    """1-based row of the first non-empty cell of an xlsx sheet (calamine starts there).

    Reads only the start of the sheet. Falls back to 1.
    """
    if part is None:
        return 1
    try:
        row = 0
        with archive.open(part) as stream:
            for event, element in ElementTree.iterparse(stream, events=("start", "end")):
                tag = element.tag.rpartition("}")[2]
                if event == "start" and tag == "row":
                    row = int(element.get("r") or row + 1)
                elif event == "end" and tag == "c":
                    for child in element:
                        kind = child.tag.rpartition("}")[2]
                        if (kind == "v" and child.text) or (kind == "is" and "".join(child.itertext())):
                            return max(row, 1)
                elif event == "end" and tag == "sheetData":
                    break
    except (KeyError, ElementTree.ParseError, ValueError, zipfile.BadZipFile, OSError, EOFError, zlib.error):
        pass  # calamine will say what is wrong with it
    return 1


# ---------------------------------------------------------------- xlsx sheet size

#: The most cells a worksheet may span, from its first to its last used row and column.
#: calamine (fastexcel 0.21) allocates 32 bytes for every cell of that rectangle, filled or
#: not, and aborts the whole process when the allocation fails: a single stray value in
#: XFD1048576 asks for 550 GB. 50 million cells are 1.6 GB.
MAX_SHEET_CELLS = 50_000_000
_SCAN_CHUNK = 1 << 22
#: Sheets up to this size (uncompressed XML, about 15 000 rows × 40 columns) are searched
#: for formulas without a stored result; it costs about 30 ms there.
_FORMULA_SCAN_BYTES = 16 << 20
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})([0-9]+)(?::([A-Z]{1,3})([0-9]+))?"')
# calamine's names of the error values, and how Excel shows them
_CELL_ERRORS = {"Div0": "#DIV/0!", "NA": "#N/A", "Name": "#NAME?", "Null": "#NULL!", "Num": "#NUM!",
                "Ref": "#REF!", "Value": "#VALUE!", "GettingData": "#GETTING_DATA"}


@dataclass(frozen=True, slots=True)
class _Extent:
    """How far an xlsx worksheet's used cells reach.

    ``bound`` × ``columns`` bounds the rectangle calamine would allocate: ``columns`` is the
    last used column, ``last_row`` the last used row seen and ``bound`` at most 10 % above
    the true last row. ``far`` says which cells set them.
    """

    bound: int
    last_row: int
    columns: int
    far: tuple[str, ...] = ()


def _column_number(letters: bytes | str) -> int:
    """1-based column of spreadsheet letters: ``A`` → 1, ``XFD`` → 16384."""
    n = 0
    for ch in letters.encode() if isinstance(letters, str) else letters:
        n = n * 26 + ch - 64
    return n


def _greater_letters(column: int) -> bytes:
    """A regex for column letters after ``column`` (1-based; 0: any letters)."""
    if column == 0:
        return b"[A-Z]"
    s = column_letter(column - 1).encode()
    alternatives = [b"[A-Z]{%d,}" % (len(s) + 1)]
    for i in range(len(s)):
        if s[i] != ord("Z"):
            alternatives.append(s[:i] + b"[" + bytes([s[i] + 1]) + b"-Z]" + b"[A-Z]" * (len(s) - i - 1))
    return b"(?:" + b"|".join(alternatives) + b")"


def _greater_rows(row: int) -> tuple[bytes, int]:
    """A regex for row numbers past ``row``'s bucket, and the bucket's last row.

    A bucket is the numbers sharing ``row``'s length and first two digits (100000–109999),
    so a sheet read top to bottom matches a few hundred times, not once a row.
    """
    if row == 0:
        return b"[1-9][0-9]*", 0
    s = str(row).encode()
    lead = s[:2]
    alternatives = [b"[1-9][0-9]{%d,}" % len(s)]
    for i in range(len(lead)):
        if lead[i] != ord("9"):
            alternatives.append(lead[:i] + b"[" + bytes([lead[i] + 1]) + b"-9]" + b"[0-9]" * (len(s) - i - 1))
    return b"(?:" + b"|".join(alternatives) + b")", (int(lead) + 1) * 10 ** (len(s) - len(lead)) - 1


def _extent_pattern(column: int, row: int) -> tuple[re.Pattern[bytes], int]:
    """A cell reference past the last column, or a row number past the last row's bucket."""
    rows, last = _greater_rows(row)
    return re.compile(rb'r="(?:(' + _greater_letters(column) + rb")[0-9]|(" + rows + rb')")'), last


@dataclass(frozen=True, slots=True)
class _SheetScan:
    """What a pass over an xlsx sheet's XML found (nothing, when there was none).

    ``plain_numbers``: no number is written with more than 9 decimals or an exponent, so
    that the reader's text of every number (rounded to 9 decimals) is exact; None: not
    looked at.
    """

    extent: _Extent | None = None
    uncalculated: Mapping[tuple[int, int], str] = field(default_factory=dict)
    plain_numbers: bool | None = None


def _xlsx_scan(archive: zipfile.ZipFile, part: str, formulas: bool) -> _SheetScan:
    """How far a worksheet reaches, checked before calamine reads it (it cannot be stopped
    once it allocates), and — when ``formulas`` — its formulas that were never calculated.

    The ``<dimension ref="A1:AN4001"/>`` that Excel, WPS and openpyxl write at the top of a
    sheet is taken at its word when it is within :data:`MAX_SHEET_CELLS`: reading it costs
    nothing. A sheet without one (openpyxl's write-only mode) or with a larger one is
    scanned: one decompression, in a second thread, and a regular expression that matches
    only references past the furthest seen so far (about 0.3 s for 100 000 rows × 40
    columns of inline text). Cells that hold only formatting (``<c r="XFD1048576" s="1"/>``)
    do not count: calamine skips them. Limits: a sheet that declares a small dimension but
    holds cells outside it, or cells whose references disagree with their rows, is not
    caught — Excel writes neither.

    A formula cell without a stored result (``<c r="B3"><f>AVERAGE(B2:B2)</f></c>``, as
    written by a program that never calculated it) reads as empty; its formula is returned,
    by (row, 0-based column), so that it is reported instead of passing for a blank (only
    for sheets up to ``_FORMULA_SCAN_BYTES``: a formula in a larger one still reads as blank).
    """
    with archive.open(part) as stream:
        dimension = _DIMENSION.search(stream.read(65536))
    if dimension and dimension.group(3):
        first_col, first_row, last_col, last_row = dimension.groups()
        rows = int(last_row) - int(first_row) + 1
        columns = _column_number(last_col) - _column_number(first_col) + 1
        if 0 < rows and 0 < columns and rows * columns <= MAX_SHEET_CELLS:
            extent = _Extent(int(last_row), int(last_row), _column_number(last_col))
            if not formulas:
                return _SheetScan(extent)
            return replace(_scan_sheet(archive, part, None, formulas), extent=extent)
    # Small sheets never come near the limit: references inside the first 52 columns and
    # 9 999 rows are not even looked at, so a normal export costs one pass without a match.
    found = _scan_sheet(archive, part, (52, 9999), formulas)
    assert found.extent is not None
    if found.extent.bound * found.extent.columns > MAX_SHEET_CELLS:  # measure it without the floors
        found = replace(found, extent=_scan_sheet(archive, part, (0, 0), False).extent)
    return found


def _pieces(archive: zipfile.ZipFile, part: str, size: int) -> Iterator[bytes]:
    """The bytes of a ZIP member in pieces of ``size``, inflated on the caller's thread."""
    with archive.open(part) as stream:
        while piece := stream.read(size):
            yield piece


def _inflated(archive: zipfile.ZipFile, part: str, size: int = 1 << 22) -> Iterator[bytes]:
    """The bytes of a ZIP member in pieces of ``size``, inflated one piece ahead in a second
    thread: zlib lets go of the GIL, so that the next piece is inflated while the caller
    searches this one."""
    pieces: queue.Queue[bytes | BaseException] = queue.Queue(maxsize=2)
    stop = threading.Event()

    def inflate() -> None:
        try:
            with archive.open(part) as stream:
                while not stop.is_set():
                    piece = stream.read(size)
                    pieces.put(piece)
                    if not piece:
                        return
        except BaseException as e:  # handed over to the reading thread
            pieces.put(e)

    worker = threading.Thread(target=inflate, name="csi-inflate", daemon=True)
    worker.start()
    _HANDOFF.enter()
    try:
        while True:
            piece = pieces.get()
            if isinstance(piece, BaseException):
                raise piece
            if not piece:
                return
            yield piece
    finally:
        stop.set()
        while worker.is_alive():  # make room for a piece it may be waiting to hand over
            try:
                pieces.get(timeout=0.05)
            except queue.Empty:
                pass
        worker.join()
        _HANDOFF.leave()


class _Handoff:
    """A short GIL switch interval while a sheet is inflated in one thread and searched in
    another. zlib lets go of the GIL while it inflates, but takes it back for every block
    of output; with the default interval (5 ms) it then waits on the searching thread that
    long each time, and the two threads take turns instead of running side by side (0.38 s
    instead of 0.26 s for a 193 MB sheet). Nested and concurrent users share one setting;
    the last to leave restores the interval it found."""

    def __init__(self, interval: float) -> None:
        self._interval = interval
        self._lock = threading.Lock()
        self._users = 0
        self._saved = 0.0

    def enter(self) -> None:
        with self._lock:
            if self._users == 0:
                self._saved = sys.getswitchinterval()
                sys.setswitchinterval(min(self._saved, self._interval))
            self._users += 1

    def leave(self) -> None:
        with self._lock:
            self._users -= 1
            if self._users == 0:
                sys.setswitchinterval(self._saved)


_HANDOFF = _Handoff(0.0002)


def _scan_sheet(archive: zipfile.ZipFile, part: str, floors: tuple[int, int] | None,
                formulas: bool, numbers: bool = False, stop: threading.Event | None = None,
                ahead: bool = True) -> _SheetScan:
    """One streaming pass: the extent (when ``floors`` are given), uncalculated formulas
    (when ``formulas``), whether every number is written plainly (when ``numbers``); it
    ends early, with nothing known, when ``stop`` is set. ``ahead``: inflate the next piece
    on a second thread while this one is searched (else one thread does both, for a pass
    in the background that should leave the other core to calamine)."""
    column = row = 0
    far_column = far_row = ""
    column_floor, row_floor = floors or (0, 0)
    pattern, last = _extent_pattern(column_floor, row_floor)
    uncalculated: dict[tuple[int, int], str] = {}
    plain: bool | None = True if numbers else None
    prefix: bytes | None = None
    tail = b""
    pieces = _inflated(archive, part, _SCAN_CHUNK) if ahead else _pieces(archive, part, _SCAN_CHUNK)
    try:
        for data in itertools.chain(pieces, (b"",)):
            if stop is not None and stop.is_set():
                return _SheetScan()
            buf = tail + data if tail else data
            if prefix is None:
                root = re.search(rb"<(\w+:)?worksheet\b", buf)
                prefix = (root.group(1) or b"") if root else b""
                row_end, cell_open, cell_end = b"</" + prefix + b"row>", b"<" + prefix + b"c ", b"</" + prefix + b"c>"
                formula, value = b"<" + prefix + b"f", b"<" + prefix + b"v>"
                has_value = (value, b"<" + prefix + b"is>")
                long_number = re.compile(re.escape(value) + rb"\s*[-+]?[0-9]*(?:\.[0-9]{10}|(?:\.[0-9]*)?[eE])")
            if data:  # whole rows only; the rest waits for the next piece
                cut = buf.rfind(row_end)
                cut = cut + len(row_end) if cut >= 0 else 0
            else:
                cut = len(buf)
            position = 0
            while floors is not None and (match := _search(pattern, buf, position, cut)):
                position = match.end()
                close = buf.find(b">", position)
                if close > 0 and buf[close - 1] == ord("/"):
                    continue  # an empty cell or row, there for its formatting
                if match.group(2) is not None:  # a row counts when a cell in it has a value
                    end = buf.find(row_end, close, cut)
                    inside = buf[close:end if end >= 0 else cut]
                    if not any(v in inside for v in has_value):
                        continue
                    if int(match.group(2)) > row:
                        row, far_row = int(match.group(2)), f"a value in row {int(match.group(2))}"
                else:
                    ref = re.match(rb"([A-Z]+)([0-9]+)", buf[match.start() + 3:match.start() + 16])
                    if ref is None:
                        continue
                    cell = ref.group(0).decode()
                    if _column_number(ref.group(1)) > column:
                        column, far_column = _column_number(ref.group(1)), f"a value in {cell}"
                    if int(ref.group(2)) >= row:
                        row, far_row = int(ref.group(2)), f"a value in {cell}"
                pattern, last = _extent_pattern(max(column, column_floor), max(row, row_floor))
            if plain and _search(long_number, buf, 0, cut):
                plain = False
            at = buf.find(formula, 0, cut) if formulas else -1
            while at >= 0:
                shut = buf.find(cell_end, at, cut)
                shut = cut if shut < 0 else shut
                if buf[at + len(formula):at + len(formula) + 1] in (b">", b" ", b"/") and buf.find(value, at, shut) < 0:
                    start = buf.rfind(cell_open, 0, at)
                    ref = re.search(rb'\sr="([A-Z]{1,3})([0-9]+)"', buf[start:buf.find(b">", start) + 1]) if start >= 0 else None
                    text = re.match(rb"<[^>]*?(?:/>|>([^<]*)<)", buf[at:shut])
                    if ref is not None:
                        shown = _unescape(text.group(1)) if text and text.group(1) else "…"
                        uncalculated[(int(ref.group(2)), _column_number(ref.group(1)) - 1)] = \
                            "=" + _clip(shown, 40)
                at = buf.find(formula, shut, cut)
            tail = buf[cut:]
    finally:
        pieces.close()
    if floors is None:
        return _SheetScan(None, uncalculated, plain)
    far = tuple(dict.fromkeys(f for f in (far_column, far_row) if f))
    extent = _Extent(max(row, last, row_floor), max(row, 1), max(column, column_floor), far)
    return _SheetScan(extent, uncalculated, plain)


def _search(pattern: re.Pattern[bytes], buf: bytes, start: int, end: int) -> re.Match[bytes] | None:
    """``pattern.search(buf, start, end)`` a quarter megabyte at a time, for a pattern whose
    matches hold no ``<`` after their first byte: each piece ends before a ``<`` (in a run of
    text without one, at the quarter megabyte), so no match in the sheet's markup is cut in
    two. A search holds the GIL; in short pieces it lets the thread that inflates the next
    piece of the sheet take it between them instead of waiting out a whole chunk."""
    while start < end:
        stop = min(start + _SEARCH_PIECE, end)
        if stop < end:
            tag = buf.rfind(b"<", start + 1, stop)
            stop = tag if tag > start else stop
        match = pattern.search(buf, start, stop)
        if match is not None:
            return match
        start = stop
    return None


_SEARCH_PIECE = 1 << 18


def _unescape(raw: bytes) -> str:
    text = raw.decode("utf-8", errors="replace")
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'").replace("&amp;", "&")


def _check_extent(extent: _Extent, shown: str, sheet: str) -> None:
    if extent.bound * extent.columns <= MAX_SHEET_CELLS:
        return
    cells = extent.last_row * extent.columns
    letter = column_letter(extent.columns - 1)
    raise _fail("sheet-too-large",
                f"the sheet's used range reaches column {letter} and row {extent.last_row:,} ({', '.join(extent.far)}): "
                f"{extent.last_row:,} rows × {extent.columns:,} columns are {cells:,} cells, about "
                f"{cells * 32 / 1e9:,.1f} GB of memory to read; the limit is {MAX_SHEET_CELLS:,} cells. A stray value "
                "far from the answers is the usual cause: in Excel, Ctrl+End jumps to the last used cell; delete the "
                "rows and columns after the answers and save again, or save the sheet as CSV",
                shown, sheet=sheet, row=extent.last_row, letter=letter)


def _xlsx_merged(archive: zipfile.ZipFile, part: str) -> tuple[str, ...]:
    """The merged ranges of a worksheet (``B1:D1``); they follow its cells, so this reads it all."""
    merged: list[str] = []
    tail = b""
    pieces = _inflated(archive, part, _SCAN_CHUNK)
    try:
        for data in itertools.chain(pieces, (b"",)):
            buf = tail + data
            for ref in re.finditer(rb'<(?:\w+:)?mergeCell\s[^>]*?\bref="([A-Z]{1,3}[0-9]+:[A-Z]{1,3}[0-9]+)"', buf):
                merged.append(ref.group(1).decode())
            tail = buf[-200:] if b"mergeCell" not in buf[-200:] else b""
    finally:
        pieces.close()
    return tuple(dict.fromkeys(merged))


def _with_formulas(texts: list[Any], indexes: Sequence[int], first_data_row: int,
                   formulas: Mapping[tuple[int, int], str]) -> list[Any]:
    """Put formulas that were never calculated (``=AVERAGE(B2:B9)``) where the reader saw blanks."""
    import pyarrow as pa

    position = {index: i for i, index in enumerate(indexes)}
    by_column: dict[int, list[tuple[int, str]]] = {}
    for (row, col), text in formulas.items():
        if col in position and 0 <= row - first_data_row < len(texts[position[col]]):
            by_column.setdefault(position[col], []).append((row - first_data_row, text))
    for p, cells in by_column.items():
        values = texts[p].to_pylist()
        for i, text in cells:
            if values[i] is None or not str(values[i]).strip():
                values[i] = text
        texts[p] = pa.array(values, pa.string())
    return texts


def _with_cell_errors(texts: list[Any], errors: Any) -> list[Any]:
    """Put the text of error cells (``#DIV/0!``), which the reader leaves empty, back in place.

    An error is not an answer: kept as text, it is reported as an invalid answer with its
    row, instead of passing for a blank.
    """
    import pyarrow as pa

    by_column: dict[int, list[tuple[int, str]]] = {}
    for error in errors.errors:
        name = re.search(r"Error\((\w+)\)", error.detail)
        row, col = error.offset_position
        if name and 0 <= col < len(texts) and 0 <= row < len(texts[col]):
            by_column.setdefault(col, []).append((row, _CELL_ERRORS.get(name.group(1), f"#{name.group(1).upper()}!")))
    for col, cells in by_column.items():
        values = texts[col].to_pylist()
        for row, text in cells:
            values[row] = text
        texts[col] = pa.array(values, pa.string())
    return texts


def _line_of(data: bytes, position: int) -> int:
    """1-based line of a byte position."""
    return data.count(b"\n", 0, position) + 1


def _decode(data: bytes, shown: str) -> tuple[bytes, str]:
    """UTF-8 bytes of a text file, and the encoding it was in."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as e:
            raise _mixed(data, e.start, "UTF-8", shown) from e
        return data, "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel's "Unicode Text"
        try:
            return data.decode("utf-16").encode("utf-8"), "utf-16"
        except UnicodeDecodeError as e:
            raise _fail("bad-encoding", f"starts like UTF-16 but is not ({e.reason}); save it from "
                        "Excel as CSV UTF-8", shown) from e
    try:
        data.decode("utf-8")
        return data, "utf-8"
    except UnicodeDecodeError as e:
        bad = e.start
    if re.search(rb"[\x80-\xff]", data[:bad]):  # UTF-8 text above, something else from here on
        raise _mixed(data, bad, "UTF-8", shown)
    try:  # Chinese Excel saves "CSV (逗号分隔)" in GBK, a subset of GB18030
        text = data.decode("gb18030")
    except UnicodeDecodeError as e:
        start = data.rfind(b"\n", 0, e.start) + 1
        end = data.find(b"\n", e.start)
        try:  # GBK above, and this line is UTF-8?
            data[start:len(data) if end < 0 else end].decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            raise _mixed(data, start, "GBK (GB18030)", shown) from e
        raise _fail("bad-encoding", f"is neither UTF-8 nor GB18030 (GBK) text (line {_line_of(data, e.start)} "
                    "has bytes that are neither); save it from Excel as \"CSV UTF-8\" or as .xlsx", shown) from e
    # GBK above, and a line that is UTF-8: two Chinese characters in a row as UTF-8 are the
    # tell (a lead byte E0–EF and two continuation bytes, twice), then the whole line must decode
    shape = data.translate(_UTF8_SHAPE)
    at = shape.find(b"LccLcc")
    while at >= 0:
        start = data.rfind(b"\n", 0, at) + 1
        end = data.find(b"\n", at)
        end = len(data) if end < 0 else end
        try:
            data[start:end].decode("utf-8")
        except UnicodeDecodeError:
            at = shape.find(b"LccLcc", end)
            continue
        raise _mixed(data, start, "GBK (GB18030)", shown)
    return text.encode("utf-8"), "gb18030"


# Each byte as its part in UTF-8: L leads a three-byte character, c continues one, . anything else.
_UTF8_SHAPE = bytes(ord("L") if 0xE0 <= b <= 0xEF else ord("c") if 0x80 <= b <= 0xBF else ord(".") for b in range(256))


def _mixed(data: bytes, position: int, above: str, shown: str) -> InputError:
    line = _line_of(data, position)
    here = "in another encoding (GBK?)" if above.startswith("UTF") else "UTF-8"
    return _fail("mixed-encoding",
                 f"mixes text encodings: the lines above line {line} are {above}, line {line} is {here}, so some "
                 "rows would read as garbage; the file was probably put together from exports saved differently. "
                 "Open the parts in Excel and save each as \"CSV UTF-8\" (or .xlsx) before joining them",
                 shown, line=line)


def _utf16_without_bom(data: bytes) -> bytes | None:
    """The BOM that UTF-16 text without one is missing (NUL in every other byte), else None."""
    sample = data[: min(len(data), 4096) // 2 * 2]
    half = len(sample) // 2
    if half < 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    for nuls, clean, codec, bom in ((odd, even, "utf-16-le", codecs.BOM_UTF16_LE), (even, odd, "utf-16-be", codecs.BOM_UTF16_BE)):
        if nuls >= 0.3 * half and clean <= 0.02 * half:
            try:
                data[: len(data) // 2 * 2].decode(codec)
            except UnicodeDecodeError:
                return None
            return bom
    return None


def _nul_error(data: bytes, nul: int, shown: str, suffix: str) -> InputError:
    head = data[:min(nul, 4096)]  # text, up to the first NUL?
    controls = sum(head.count(bytes([c])) for c in range(32) if c not in (9, 10, 13))
    if b"\n" not in head or controls > 0.01 * len(head):
        return _fail("corrupt-file", f"is binary, not {suffix} text (it starts with {data[:8]!r}); "
                     "re-download the export", shown)
    line = _line_of(data, nul)
    if not data[nul:].strip(b"\x00"):
        count = len(data) - nul
        return _fail("nul-bytes", f"ends with {count} NUL bytes on line {line}: the file was not completely written "
                     "(a full disk, a crash, an interrupted copy?) and its last rows may be missing; export it again",
                     shown, line=line)
    return _fail("nul-bytes", f"has NUL bytes on line {line}, which text never holds: the file is damaged; export it "
                 "again, or delete them in a text editor", shown, line=line)


def _unclosed_quote(body: bytes, delimiter: str) -> int | None:
    """Line where a quoted cell opens that never closes, or None.

    Called only when the file has an odd number of quote characters; Python's strict CSV
    reader then tells a quote left open at the end (which would swallow every later row into
    one cell) from a quote inside an unquoted cell (taken as is, like Excel does).
    """
    limit = csv.field_size_limit(1 << 30)
    reader = csv.reader(io.StringIO(body.decode("utf-8", errors="replace"), newline=""), delimiter=delimiter,
                        strict=True)
    start = 1
    try:
        for _ in reader:
            start = reader.line_num + 1
    except csv.Error as e:
        return start if "unexpected end of data" in str(e) else None
    finally:
        csv.field_size_limit(limit)
    return None


def _text_loader(path: Path, suffix: str, shown: str) -> tuple[Callable[[int], _Grid], str]:
    """A loader for a CSV or TSV file, and the file's SHA-256.

    The file is parsed once. A UTF-8 file (with or without BOM) streams through pyarrow's
    reader, which checks that it is UTF-8; its hash and the counts that the checks below need
    are taken from the same read, so that neither the bytes nor a decoded copy are kept.
    Anything else — another encoding, NUL bytes, an odd number of quotes, rows pyarrow
    refuses — is read whole and checked step by step (:func:`_text_checked`).
    """
    parsed = _text_streamed(path, suffix, shown)
    columns, digest = parsed if parsed is not None else _text_checked(path, suffix, shown)

    def load(header_rows: int) -> _Grid:
        names: list[str | None] = []
        data_columns = []
        for column in columns:
            cell = column[0].as_py() if len(column) else None
            names.append(cell if cell and cell.strip() else None)
            data_columns.append(column.slice(header_rows))
        return _Grid(tuple(names), tuple(range(len(columns))), tuple(data_columns), 1, header_rows)

    return load, digest


class _Tap:
    """A binary file read once, front to back: its SHA-256, and whether it holds NUL bytes
    and how many quote characters, taken on the way (pyarrow calls :meth:`read`)."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.sha256 = hashlib.sha256()
        self.quotes = 0
        self.nul = False
        self.closed = False

    def read(self, size: int = -1) -> bytes:
        import numpy as np

        chunk = self._stream.read(size)
        self.sha256.update(chunk)
        self.quotes += int(np.count_nonzero(np.frombuffer(chunk, dtype=np.uint8) == ord('"')))  # 8× bytes.count
        self.nul = self.nul or b"\x00" in chunk
        return chunk

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def close(self) -> None:
        self.closed = True


def _text_streamed(path: Path, suffix: str, shown: str) -> tuple[list[Any], str] | None:
    """The columns and SHA-256 of a plain UTF-8 CSV/TSV file, parsed as it is read; None
    for any file that needs :func:`_text_checked` to say what is wrong with it or to decode it.

    What :func:`_text_checked` would find first is looked for in the first 64 KB, the rest
    during the read: the file is UTF-8 (pyarrow validates every cell), has no NUL byte and an
    even number of quote characters. A file that passes would pass there too, and read the same.
    """
    try:
        with path.open("rb") as stream:
            head = stream.read(_HEAD + len(codecs.BOM_UTF8))
            if _EMPTY.match(head):  # blank so far: empty, or something for the careful path
                if len(head) < _HEAD + len(codecs.BOM_UTF8):
                    raise _fail("empty-file", "the file is empty", shown)
                return None
            if head.startswith((_ZIP, _OLE2)):
                raise _named_workbook(f"{suffix} text", shown)
            if b"\x00" in head or head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                return None
            body_head = (head[len(codecs.BOM_UTF8):] if head.startswith(codecs.BOM_UTF8) else head)[:_HEAD]
            try:  # another encoding shows in the first lines (a character cut at the end is fine)
                codecs.getincrementaldecoder("utf-8")().decode(body_head)
            except UnicodeDecodeError:
                return None
            try:
                dialect = _dialect(body_head, suffix)
            except csv.Error:
                return None
            stream.seek(0)
            tap = _Tap(stream)
            columns = _arrow_csv(tap, dialect)
            while tap.read(_SCAN_CHUNK):  # (pyarrow reads to the end; the hash must cover it all)
                pass
    except OSError as e:
        raise _unreadable(e, shown) from e
    if columns is None or tap.nul or tap.quotes % 2:
        return None
    return columns, tap.sha256.hexdigest()


_HEAD = 65536


@dataclass(frozen=True, slots=True)
class _Dialect:
    """How a CSV/TSV file is laid out, as its first 64 KB show it."""

    delimiter: str
    width: int  # cells in the header row
    repeats: tuple[bool, ...]  # per column: do its first rows repeat their texts?


def _dialect(head: bytes, suffix: str) -> _Dialect:
    """The delimiter, the number of header cells and which columns repeat their texts,
    from the first 64 KB of UTF-8 text."""
    first_line = head.split(b"\n", 1)[0]
    delimiter = "\t" if suffix == ".tsv" else ","
    if delimiter.encode() not in first_line:  # a European Excel CSV uses ';', some tools tabs
        for other in ("\t", ";", ","):
            if other.encode() in first_line:
                delimiter = other
                break
    text_head = head.decode("utf-8", errors="ignore")
    rows = csv.reader(io.StringIO(text_head, newline=""), delimiter=delimiter)
    header = next(rows, [])
    width = max(len(header), 1)
    sample = list(itertools.islice(rows, 1000))[:-1]  # (the last row may be cut off)
    repeats = []
    for i in range(width):
        cells = [row[i] for row in sample if i < len(row)]
        repeats.append(len(cells) < 16 or 2 * len(set(cells)) <= len(cells))
    return _Dialect(delimiter, width, tuple(repeats))


def _text_checked(path: Path, suffix: str, shown: str) -> tuple[list[Any], str]:
    """The columns and SHA-256 of a CSV/TSV file read whole: encodings detected and
    transcoded, NUL bytes, unclosed quotes and ragged rows dealt with."""
    import pyarrow as pa

    data = _read_bytes(path, shown)
    digest = hashlib.sha256(data).hexdigest()
    if data.startswith((_ZIP, _OLE2)):
        raise _named_workbook(f"{suffix} text", shown)
    nul = data.find(b"\x00")
    if nul >= 0 and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        bom = _utf16_without_bom(data)
        if bom is None:
            raise _nul_error(data, nul, shown, suffix)
        data = bom + data
    body, _ = _decode(data, shown)
    del data
    try:
        dialect = _dialect(body[:_HEAD], suffix)
    except csv.Error as e:
        raise _fail("corrupt-file", f"cannot be parsed as {suffix} ({e})", shown) from e
    delimiter = dialect.delimiter
    if body.count(b'"') % 2:
        line = _unclosed_quote(body, delimiter)
        if line is not None:
            raise _fail("unclosed-quote", f'a quoted cell opens on line {line} and is never closed, so every row after '
                        'it would read as one cell; close the quote (a " inside a cell is written "") or export the '
                        "file again", shown, line=line)
    columns = _arrow_csv(pa.BufferReader(pa.py_buffer(body)), dialect)
    if columns is None:  # ragged rows: read as Excel shows them, padded with blanks
        try:
            columns = _python_csv(body, delimiter)
        except csv.Error as e:
            raise _fail("corrupt-file", f"cannot be parsed as {suffix} ({e})", shown) from e
    return columns, digest


def _arrow_csv(source: Any, dialect: _Dialect) -> list[Any] | None:
    """Every cell of a UTF-8 CSV as text, one column per header cell; None when pyarrow
    refuses the file (rows of another width, text that is not UTF-8)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    names = [f"c{i}" for i in range(dialect.width)]
    # A column of answers holds a handful of distinct labels: dictionary-encoded while it is
    # parsed, it takes a fraction of the memory, and the cell rules look at each label once.
    # Columns of ids, phone numbers and times are read as plain text.
    labels = pa.dictionary(pa.int32(), pa.string())
    types = {n: labels if repeats else pa.string() for n, repeats in zip(names, dialect.repeats, strict=True)}
    try:
        table = pacsv.read_csv(
            source,
            read_options=pacsv.ReadOptions(column_names=names, block_size=_CSV_BLOCK),
            parse_options=pacsv.ParseOptions(delimiter=dialect.delimiter, newlines_in_values=True,
                                             ignore_empty_lines=False,
                                             invalid_row_handler=lambda row: "error"),
            convert_options=pacsv.ConvertOptions(column_types=types, strings_can_be_null=False,
                                                 quoted_strings_can_be_null=False),
        )
    except pa.ArrowInvalid:
        return None
    return table.columns


_CSV_BLOCK = 1 << 22


def _python_csv(body: bytes, delimiter: str):
    import pyarrow as pa

    limit = csv.field_size_limit(1 << 30)  # a long free-text answer is not an error
    try:
        rows = list(csv.reader(io.StringIO(body.decode("utf-8"), newline=""), delimiter=delimiter))
    finally:
        csv.field_size_limit(limit)
    width = max((len(r) for r in rows), default=0)
    return [pa.array([r[i] if i < len(r) else "" for r in rows], pa.string()) for i in range(width)]


# ---------------------------------------------------------------- Parquet and SPSS


def _typed_loader(data: bytes, suffix: str, shown: str):
    """A loader for a file whose cells have types: Parquet, SPSS .sav / .zsav.

    Its column names are its only header; ``header_rows`` is ignored (a preset with more
    header rows never fits one: :meth:`Preset.problem`).
    """
    grid = _parquet_grid(data, shown) if suffix == ".parquet" else _sav_grid(data, shown, suffix)

    def load(header_rows: int) -> _Grid:
        return grid

    return load


def _not_typed(data: bytes, shown: str, suffix: str, what: str) -> InputError:
    """The error for a file named .parquet/.sav that is something else."""
    if data.startswith((_ZIP, _OLE2)):
        return _named_workbook(what, shown)
    if data.startswith(_PARQUET):
        return _fail("wrong-format", f"is a Parquet file, not {what}; rename it to .parquet", shown)
    if data.startswith(_SAV):
        return _fail("wrong-format", f"is an SPSS data file, not {what}; rename it to .sav", shown)
    head = data[:4096]
    if b"\x00" not in head and (b"," in head or b"\t" in head or b";" in head):
        return _fail("wrong-format", f"is text (CSV?), not {what}; if it is CSV, rename it to .csv", shown)
    return _fail("corrupt-file", f"is not {what} (it starts with {data[:8]!r}); export it again", shown)


def _parquet_grid(data: bytes, shown: str) -> _Grid:
    import pyarrow as pa
    import pyarrow.parquet as pq

    if not data.startswith(_PARQUET):
        raise _not_typed(data, shown, ".parquet", "a Parquet file")
    if not data.endswith(_PARQUET):
        raise _fail("corrupt-file", "is a truncated Parquet file (its footer is missing); write or download it again", shown)
    try:
        table = pq.read_table(io.BytesIO(data))
    except (pa.ArrowException, OSError, ValueError) as e:
        detail = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise _fail("corrupt-file", f"cannot be read as a Parquet file ({detail}); write or download it again",
                    shown) from e
    names, texts, numbers = [], [], []
    for name, column in zip(table.column_names, table.columns, strict=True):
        if re.fullmatch(r"__index_level_\d+__", name):  # a pandas index written beside the data
            continue
        text, exact = _arrow_cells(column)
        names.append(name)
        texts.append(text)
        numbers.append(exact)
    if not names:
        raise _fail("empty-file", "the Parquet file has no columns", shown)
    return _Grid(tuple(names), tuple(range(len(names))), tuple(texts), 0, 1, tuple(numbers), typed=True)


def _arrow_cells(column: Any) -> tuple[Any, Any]:
    """A typed Arrow column as (text, exact numbers or None), ready for :func:`_cells`."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    kind = column.type
    if pa.types.is_dictionary(kind):
        column = column.dictionary_decode()
        kind = column.type
    if _is_text(kind):
        return column, None
    if pa.types.is_null(kind):
        return pa.nulls(len(column), pa.string()), None
    if pa.types.is_boolean(kind):
        return pc.if_else(column, "true", "false"), None
    if pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_decimal(kind):
        values = np.asarray(pc.cast(column, pa.float64()).to_numpy(zero_copy_only=False), dtype=np.float64)
        return _number_cells(values)
    if pa.types.is_timestamp(kind) or pa.types.is_date(kind):  # to the second, as a workbook's dates read
        seconds = pa.timestamp("s", kind.tz if pa.types.is_timestamp(kind) else None)
        return pc.strftime(pc.cast(column, seconds, safe=False), format="%Y-%m-%d %H:%M:%S"), None
    if pa.types.is_time(kind):
        clock = pc.cast(pc.cast(column, pa.time32("s"), safe=False), pa.string())
        return pc.binary_join_element_wise("1899-12-31", clock, " "), None
    try:
        return pc.cast(column, pa.string()), None
    except (pa.ArrowNotImplementedError, pa.ArrowInvalid):
        return pa.array([None if v is None else str(v) for v in column.to_pylist()], pa.string()), None


def _number_cells(values: np.ndarray, skip: np.ndarray | None = None) -> tuple[Any, Any]:
    """Numbers as (plain decimal text, exact float64 values): ``5.0`` → ``"5"``, 1e-05 → ``"0.00001"``.

    The text is what :func:`_cells` recognises as a number; it then takes the exact value.
    NaN (and ``skip``) cells are null in both.
    """
    import numpy as np
    import pyarrow as pa

    missing = np.isnan(values) if skip is None else np.isnan(values) | skip
    distinct, inverse = np.unique(np.where(missing, 0.0, values), return_inverse=True)
    shown = np.array([np.format_float_positional(v, trim="-") for v in distinct.tolist()] or [""], dtype=object)
    text = shown[inverse.reshape(-1)] if len(values) else np.array([], dtype=object)
    return pa.array(text, pa.string(), mask=missing), pa.array(values, pa.float64(), mask=missing)


# pyreadstat runs in a child process: readstat (C) crashes the whole process on some damaged
# files — measured with pyreadstat 1.3.7: 5 of 200 copies of a good .sav with 5 random bytes
# changed end in a segmentation fault, metadata-only reads too. A crash of the child is an
# error message; the child costs about 0.15 s (it imports pyreadstat, not pandas).
_SAV_CHILD = r"""
import io, pickle, sys
data = sys.stdin.buffer.read()
try:
    import pyreadstat
    try:
        values, meta = pyreadstat.read_sav(io.BytesIO(data), output_format="dict")
    except Exception as first:
        # SPSS files written before Unicode mode hold text in the writer's code page, GBK
        # for a Chinese one; tried only when the file cannot be read as it says
        try:
            values, meta = pyreadstat.read_sav(io.BytesIO(data), output_format="dict", encoding="GB18030")
        except Exception:
            raise first from None
    out = ("ok", values, list(meta.column_names), list(meta.column_labels or []),
           dict(meta.variable_value_labels), dict(meta.readstat_variable_types))
except ImportError as e:
    out = ("missing", str(e))
except Exception as e:
    out = ("error", (str(e).splitlines() or [type(e).__name__])[0])
sys.stdout.buffer.write(pickle.dumps(out))
"""


def _sav_grid(data: bytes, shown: str, suffix: str) -> _Grid:
    """An SPSS file: variables by name, labelled values as their labels, declared missing values missing."""
    import pickle
    import subprocess
    import sys

    if not data.startswith(_SAV):
        raise _not_typed(data, shown, suffix, "an SPSS data file")
    again = "save it again from SPSS (File → Save As → SPSS Statistics .sav)"
    try:
        done = subprocess.run([sys.executable, "-c", _SAV_CHILD], input=data, capture_output=True, check=False)
    except OSError as e:  # pragma: no cover - no interpreter to run
        raise _fail("file-unreadable", f"cannot start the SPSS reader: {e}", shown) from e
    try:
        result = pickle.loads(done.stdout) if done.returncode == 0 else None
    except (pickle.UnpicklingError, EOFError, ValueError):
        result = None
    if result is None:
        raise _fail("corrupt-file", f"is a damaged SPSS data file: the SPSS reader stopped on it (exit code "
                    f"{done.returncode}); {again}", shown)
    if result[0] == "missing":  # pragma: no cover - a dependency of csi
        raise _fail("unsupported-format", "reading SPSS files needs the pyreadstat package: pip install pyreadstat",
                    shown)
    if result[0] != "ok":
        raise _fail("corrupt-file", f"cannot be read as an SPSS data file ({result[1]}); {again}", shown)
    _, values, column_names, column_labels, value_labels, kinds = result
    names, texts, numbers, aliases, labels = [], [], [], [], []
    for position, name in enumerate(column_names):
        coded = dict(value_labels.get(name) or {})
        text, exact = _sav_cells(values[name], kinds.get(name) == "string", coded)
        label = str(column_labels[position] or "").strip() if position < len(column_labels) else ""
        names.append(name)
        texts.append(text)
        numbers.append(exact)
        aliases.append((label,) if label and label != name else ())
        labels.append(coded or None)
    if not names:
        raise _fail("empty-file", "the SPSS file has no variables", shown)
    return _Grid(tuple(names), tuple(range(len(names))), tuple(texts), 0, 1, tuple(numbers), typed=True,
                 aliases=tuple(aliases), labels=tuple(labels))


def _sav_cells(values: Sequence[Any], is_string: bool, coded: Mapping[Any, str]) -> tuple[Any, Any]:
    """One SPSS variable as (text, exact numbers or None); a labelled value is its label.

    Dates and times (pyreadstat turns date-formatted variables into them) read as text like a
    workbook's dates.
    """
    import datetime as dt

    import numpy as np
    import pyarrow as pa

    if not is_string and not any(isinstance(v, (dt.date, dt.time)) for v in values):
        numbers = np.array([np.nan if v is None else v for v in values], dtype=np.float64)
        codes = [c for c in coded if isinstance(c, (int, float)) and not isinstance(c, bool)]
        labelled = np.isin(numbers, np.asarray(codes, dtype=np.float64)) if codes else np.zeros(len(numbers), dtype=bool)
        text, exact = _number_cells(numbers, labelled)
        if labelled.any():
            cells = np.array(text.to_pylist(), dtype=object)
            cells[labelled] = [coded[v] for v in numbers[labelled].tolist()]
            text = pa.array(cells, pa.string())
        return text, exact

    def cell(v: object) -> str | None:
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return None
        if isinstance(v, dt.datetime):
            return v.strftime("%Y-%m-%d %H:%M:%S")
        if isinstance(v, dt.date):
            return v.strftime("%Y-%m-%d 00:00:00")
        if isinstance(v, dt.time):
            return "1899-12-31 " + v.strftime("%H:%M:%S")
        if isinstance(v, float):
            return np.format_float_positional(v, trim="-")
        text = str(v)
        return coded.get(text, text) if coded else text

    return pa.array([cell(v) for v in values], pa.string()), None


# ---------------------------------------------------------------- headers and cells


def _headers(grid: _Grid, shown: str, sheet: str | None) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """Final header names, and the positions of the grid columns that are kept."""
    headers: list[str] = []
    keep: list[int] = []
    first_letter: dict[str, str] = {}
    issues: list[Issue] = []
    for position, (raw, index, column) in enumerate(zip(grid.names, grid.indexes, grid.columns, strict=True)):
        name = _plain(raw)
        letter = column_letter(index)
        if not name:
            if not _has_data(column):
                continue
            name = f"Unnamed: {letter}"
        if name in first_letter:
            issues.append(Issue("duplicate-header",
                                f'the header "{name}" is in columns {first_letter[name]} and {letter}; '
                                "every column needs its own header: rename one of them",
                                file=shown, sheet=sheet, row=grid.header_row or None, column=name, letter=letter))
            continue
        first_letter[name] = letter
        headers.append(name)
        keep.append(position)
    if issues:
        raise DataError(issues)
    if not headers:
        raise _fail("empty-file", "has no header row and no data", shown, sheet=sheet)
    return tuple(headers), tuple(keep)


def _check_header_row(grid: _Grid, keep: Sequence[int], shown: str, sheet: str | None) -> None:
    """Refuse a header row that is not one: a title above the header, or merged header cells.

    Both leave columns with answers but no header of their own, so a model cannot name them.
    Only then is anything looked at: a complete header row costs nothing.
    """
    blank = [p for p in keep if not _plain(grid.names[p])]
    if not blank:
        return
    named = [p for p in keep if p not in blank]
    letters = [column_letter(grid.indexes[p]) for p in blank]
    if len(named) <= 1 and len(blank) >= 2:
        found = _header_below(grid, keep)
        if found is not None:
            row, cells = found
            title = f'only "{_clip(str(grid.names[named[0]]))}"' if named else "nothing"
            listed = ", ".join(f'"{_clip(c)}"' for c in cells[:4]) + (", …" if len(cells) > 4 else "")
            raise DataError(Issue(
                "header-not-first-row",
                f"row {grid.header_row} holds {title} and columns {_letter_span(letters)} have no header there; "
                f"the header seems to be row {row} ({listed}). Delete the rows above the header (a title, a "
                "note) and save again", file=shown, sheet=sheet, row=grid.header_row))
    last_header_row = grid.header_row + grid.header_rows - 1
    issues = []
    for ref in grid.merged:
        a, b = ref.split(":")
        col_a, row_a = _split_ref(a)
        col_b, row_b = _split_ref(b)
        if row_a <= last_header_row and row_b >= grid.header_row and col_b > col_a:
            first = column_letter(col_a - 1)
            others = [column_letter(c - 1) for c in range(col_a + 1, col_b + 1)]
            header = next((str(grid.names[p]) for p in keep if grid.indexes[p] == col_a - 1 and grid.names[p]), None)
            issues.append(Issue(
                "merged-header",
                f"the header cells {ref} are merged, so column{'s' if len(others) > 1 else ''} {_letter_span(others)} "
                f"{'have' if len(others) > 1 else 'has'} no header of {'their' if len(others) > 1 else 'its'} own (a header "
                "over two rows?); unmerge them and give every column its own header in one row — e.g. "
                '"请评价以下方面—准确性" — or download the export with one header row',
                file=shown, sheet=sheet, row=row_a, column=header, letter=first))
    if issues:
        raise DataError(issues)


def _header_below(grid: _Grid, keep: Sequence[int], look: int = 10) -> tuple[int, list[str]] | None:
    """The first of the next rows whose cells are all distinct text, none a number: a header."""
    height = min((len(grid.columns[p]) for p in keep), default=0)
    for i in range(min(look, height)):
        cells = []
        for p in keep:
            value = grid.columns[p][i].as_py() if _is_text(grid.columns[p].type) else None
            cells.append(_plain(value))
        if all(cells) and len(set(cells)) == len(cells) and not any(re.match(_NUMBER, c) for c in cells):
            return grid.header_row + grid.header_rows + i, cells
    return None


def _split_ref(ref: str) -> tuple[int, int]:
    """``"B12"`` → (2, 12): 1-based column and row."""
    letters = ref.rstrip("0123456789")
    return _column_number(letters), int(ref[len(letters):])


def _letter_span(letters: Sequence[str]) -> str:
    return letters[0] if len(letters) == 1 else f"{letters[0]}–{letters[-1]}" if len(letters) > 3 else ", ".join(letters)


def _clip(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _is_text(kind: Any) -> bool:
    """A string type, or a dictionary of strings (how a CSV's columns are read)."""
    import pyarrow as pa

    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind))


def _has_data(column: Any) -> bool:
    import numpy as np
    import pyarrow.compute as pc

    if _is_text(column.type):
        values, codes = _distinct(column)
        filled = pc.not_equal(pc.utf8_trim_whitespace(values), "").fill_null(False).to_numpy(zero_copy_only=False)
        return bool(np.append(filled, False)[codes].any())
    return len(column) - column.null_count > 0


def _frame(columns: list[Any], numbers: list[Any], headers: Sequence[str], keep: Sequence[int],
           others: Sequence[int] = ()) -> pd.DataFrame:
    """The data frame of the kept columns; each source column is let go once converted.
    The cells of ``others`` (columns not kept) count only for where the rows end."""
    from concurrent.futures import ThreadPoolExecutor

    import numpy as np
    import pandas as pd
    import pyarrow as pa

    height = len(columns[keep[0]]) if keep else 0

    def convert(p: int) -> tuple[Any, np.ndarray]:
        column, exact = columns[p], numbers[p]
        columns[p] = numbers[p] = None
        return _cells(column, exact)

    cells: dict[str, Any] = {}
    # blank rows at the end are not respondents (a CSV's trailing blank lines, a formatted range)
    filled = np.zeros(height, dtype=bool)
    # Arrow and numpy let go of the GIL: a large sheet converts two or more columns at a time.
    workers = min(4, os.cpu_count() or 1) if height * len(keep) >= _PARALLEL_CELLS else 1
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for header, (values, given) in zip(headers, pool.map(convert, keep), strict=True):
            cells[header] = values
            filled |= given
    end = int(np.flatnonzero(filled)[-1]) + 1 if filled.any() else 0
    for p in others:
        if end < height:
            end = max(end, _last_given(columns[p]) + 1)
        columns[p] = numbers[p] = None
    frame = pd.DataFrame(cells, index=pd.RangeIndex(height), copy=False)
    # Arrow's allocator keeps what the sheet as read used; what comes next (numpy) cannot use it
    pa.default_memory_pool().release_unused()
    return frame.iloc[:end] if end < height else frame


_PARALLEL_CELLS = 1_000_000


def _last_given(column: Any) -> int:
    """The last row holding a value under the cell rules (-1: none), from the end backwards:
    in a sheet whose last row is filled, one small slice is looked at."""
    import numpy as np

    stop, size = len(column), 1024
    while stop > 0:
        start = max(0, stop - size)
        _, given = _cells(column.slice(start, stop - start))
        if given.any():
            return start + int(np.flatnonzero(given)[-1])
        stop, size = start, min(size * 8, 1 << 20)
    return -1


def _distinct(column: Any) -> tuple[Any, np.ndarray]:
    """The distinct cells of a text column (an Arrow string array) and, per row, the
    position of its cell among them (int32; -1 where the cell is null)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if not pa.types.is_dictionary(column.type):
        column = pc.dictionary_encode(_string_array(column))
    chunks = column.unify_dictionaries().chunks if isinstance(column, pa.ChunkedArray) else [column]
    if not chunks:
        return pa.array([], pa.string()), np.empty(0, dtype=np.int32)
    codes = [(c.indices if c.null_count == 0 else pc.fill_null(c.indices, -1)).to_numpy(zero_copy_only=False)
             for c in chunks]
    return chunks[0].dictionary, (codes[0] if len(codes) == 1 else np.concatenate(codes)).astype(np.int32, copy=False)


def _string_array(column: Any) -> Any:
    """A column as one Arrow array of text (chunks combined, other types cast)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    return column if _is_text(column.type) else pc.cast(column, pa.string())


def _cells(column: Any, exact: Any = None) -> tuple[Any, np.ndarray]:
    """One column of text under the cell rules, and which of its rows hold a value.

    The cells: float64 when every value is a number; when every value is text, a pandas
    ``Categorical`` if the texts repeat (:func:`_repeats`: answer labels, segments) and a
    ``str`` Series if not; with both, an object array holding floats and strs. ``exact``
    holds the column's numeric cells as float64 (null elsewhere); it replaces the parse of
    the text where the text is a number.

    A column gets the rules once per distinct text (hashed), unless rows sampled across it
    are nearly all distinct (ids, phone numbers, times): then row by row. Both give the same.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_null(column.type):
        return np.full(len(column), np.nan), np.zeros(len(column), dtype=bool)
    if not pa.types.is_dictionary(column.type):
        column = _string_array(column)
        if len(column) > _SAMPLE_ROWS:  # rows spread over the column: nearly all distinct?
            sample = column.take(np.linspace(0, len(column) - 1, _SAMPLE_ROWS).astype(np.int64))
            if len(pc.unique(sample)) > 0.95 * _SAMPLE_ROWS:
                return _cells_by_row(column, exact)
    return _cells_by_value(column, exact)


#: How many rows of a column tell whether its texts repeat (see :func:`_cells`).
_SAMPLE_ROWS = 4096


def _cells_by_value(column: Any, exact: Any) -> tuple[Any, np.ndarray]:
    """:func:`_cells` applying the rules to each distinct text, then spreading the results
    over the rows: an index of -1 (a null cell) picks the "missing" appended at the end."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    values, codes = _distinct(column)
    del column
    text = pc.utf8_trim_whitespace(values)
    null = pa.scalar(None, text.type)
    text = pc.if_else(pc.equal(text, ""), null, text)
    blank = np.append(text.is_null().to_numpy(zero_copy_only=False), True)
    given = ~blank[codes]
    used = np.zeros(len(text) + 1, dtype=bool)
    used[codes] = True
    counted = used[:-1] & ~blank[:-1]  # a value some row holds (a sliced-off header row's may linger)
    numeric = pc.match_substring_regex(text, _NUMBER)
    is_number = numeric.fill_null(False).to_numpy(zero_copy_only=False)
    if not (is_number & counted).any():
        return _text_cells(text, codes, counted, int(given.sum())), given
    every = not (counted & ~is_number).any()
    parsed = np.append(_floats(pc.cast(pc.if_else(numeric, text, null), pa.float64())), np.nan)
    exact_rows = None
    if exact is not None:  # where a number's text is rounded, its exact value replaces the parse
        exact_rows = np.append(is_number, False)[codes] & exact.is_valid().to_numpy(zero_copy_only=False)
    if every:
        numbers = parsed[codes]
        if exact_rows is not None:
            numbers[exact_rows] = _floats(exact)[exact_rows]
        return numbers, given
    if exact_rows is None or not exact_rows.any():  # (an exact value is per row, not per text)
        mixed = _mixed_categorical(text, parsed[:-1], is_number, counted, codes, int(given.sum()))
        if mixed is not None:
            return mixed, given
    cells = np.append(text.to_numpy(zero_copy_only=False).astype(object), np.nan)
    cells[:-1][is_number] = parsed[:-1][is_number]
    cells[blank] = np.nan
    cells = cells[codes]
    if exact_rows is not None:
        cells[exact_rows] = _floats(exact)[exact_rows]
    return cells, given


def _mixed_categorical(text: Any, parsed: np.ndarray, is_number: np.ndarray, counted: np.ndarray,
                       codes: np.ndarray, count: int) -> pd.Categorical | None:
    """Rows of a column of numbers and text whose cells repeat (:func:`_repeats`) as a
    ``Categorical``: its categories the numbers (ascending, float) then the texts (sorted,
    str), so that a cell is what the object array would hold and the rows share codes into
    their distinct cells. None when they do not repeat, or when the column holds both 0 and
    -0 (pandas takes them for one category, the rules for two cells).

    ``text`` holds distinct texts, ``parsed`` their numbers, ``is_number`` which are numbers,
    ``counted`` which some row holds, ``codes`` each row's position among them (-1:
    missing), ``count`` how many rows hold a value.
    """
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    held = np.flatnonzero(counted)
    as_number, as_text = held[is_number[held]], held[~is_number[held]]
    values = parsed[as_number]
    numbers = np.unique(values)
    if numbers.size and numbers[0] <= 0 <= numbers[-1] and np.unique(np.signbit(values[values == 0])).size > 1:
        return None
    words = text.take(pa.array(as_text, type=pa.int64())).to_pylist()
    ordered = sorted(set(words))
    if not _repeats(numbers.size + len(ordered), count):
        return None
    category = np.full(len(text) + 1, -1, dtype=np.int32)  # (-1 picks the last: a missing cell)
    category[as_number] = np.searchsorted(numbers, values)
    position = {word: i for i, word in enumerate(ordered, start=numbers.size)}
    category[as_text] = [position[w] for w in words]
    dtype = pd.CategoricalDtype(pd.Index([*numbers.tolist(), *ordered], dtype=object))
    return pd.Categorical.from_codes(category[codes].astype(_code_type(dtype.categories.size)), dtype=dtype,
                                     validate=False)


def _cells_by_row(column: Any, exact: Any) -> tuple[Any, np.ndarray]:
    """:func:`_cells` applying the rules to every row of a string Array (with as few
    copies of a column of a million texts as the rules allow)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    whole = _whole_numbers(column)
    if whole is not None:  # ids, phone numbers, seconds: digits only, as the rules read them
        given, numbers = whole
        if exact is not None:
            exact_rows = given & exact.is_valid().to_numpy(zero_copy_only=False)
            numbers[exact_rows] = _floats(exact)[exact_rows]
        return numbers, given
    text = pc.utf8_trim_whitespace(column)
    del column
    given = pc.not_equal(text, "").fill_null(False).to_numpy(zero_copy_only=False)
    numeric = pc.match_substring_regex(text, _NUMBER).fill_null(False)
    is_number = numeric.to_numpy(zero_copy_only=False)
    count = int(is_number.sum())
    if count == 0:
        return _sorted_text_cells(text, given), given
    numbers = np.full(len(text), np.nan)
    numbers[is_number] = _floats(pc.cast(text.filter(numeric), pa.float64()))
    if exact is not None:
        exact_rows = is_number & exact.is_valid().to_numpy(zero_copy_only=False)
        numbers[exact_rows] = _floats(exact)[exact_rows]
    if count == int(given.sum()):
        return numbers, given
    cells = text.to_numpy(zero_copy_only=False).astype(object)
    cells[is_number] = numbers[is_number]
    cells[~given] = np.nan
    return cells, given


def _whole_numbers(column: Any) -> tuple[np.ndarray, np.ndarray] | None:
    """Which rows hold a value and their float64 values, for a string Array of plain whole
    numbers ("0", "13800138000") and empty cells; None if any cell is anything else (spaces,
    a sign, a leading zero, a decimal point, text): :func:`_cells_by_row` then applies the
    full rules. Checking the digits is several times faster than the rules' regular
    expression over a million texts, and reads the same numbers."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    digits = pc.ascii_is_decimal(column)  # (false for "")
    length = pc.binary_length(column)
    if not pc.all(pc.or_kleene(digits, pc.equal(length, 0)), skip_nulls=True).as_py():
        return None
    if pc.any(pc.and_(pc.starts_with(column, "0"), pc.greater(length, 1))).as_py():  # "007" is a code
        return None
    given = digits.fill_null(False).to_numpy(zero_copy_only=False)
    if not given.all():
        column = pc.if_else(digits, column, pa.scalar(None, column.type))
    return given, np.where(given, _floats(pc.cast(column, pa.float64())), np.nan)


def _sorted_text_cells(text: Any, given: np.ndarray) -> Any:
    """:func:`_text_cells` for the rows of a string Array, mostly distinct texts; ``given``
    marks the rows holding one. Distinct texts are counted by sorting, which Arrow does
    several times faster than it hashes a million distinct texts (pyarrow 26)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    order = pc.array_sort_indices(text).to_numpy(zero_copy_only=False)
    order = order[given[order]]
    count = len(order)
    ordered = text.take(pa.array(order))
    first = _first_of_runs(ordered)
    if not _repeats(int(first.sum()), count):
        if count < len(text) - text.null_count:  # blank texts: missing
            text = pc.if_else(pa.array(given), text, pa.scalar(None, text.type))
        return text.cast(pa.large_string()).to_pandas()
    codes = np.full(len(text), -1, dtype=_code_type(int(first.sum())))
    codes[order] = np.cumsum(first) - 1
    return _categorical(ordered, first, codes)


def _text_cells(text: Any, codes: np.ndarray, counted: np.ndarray, count: int) -> Any:
    """Rows of a column of text only: ``Categorical`` with sorted categories when its
    texts repeat (:func:`_repeats`), else ``str``.

    ``text`` holds distinct texts (null for a blank), ``codes`` each row's position among
    them (-1: missing), ``counted`` which of them some row holds, ``count`` how many rows
    hold a value.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    held = np.flatnonzero(counted)
    order = held[pc.array_sort_indices(text.take(pa.array(held))).to_numpy(zero_copy_only=False)]
    ordered = text.take(pa.array(order))
    first = _first_of_runs(ordered)  # (texts that differed only in spaces are equal now)
    if not _repeats(int(first.sum()), count):
        return pc.take(text.cast(pa.large_string()), pa.array(codes, mask=codes < 0)).to_pandas()
    category = np.full(len(text) + 1, -1, dtype=_code_type(int(first.sum())))  # (-1 picks the last)
    category[order] = np.cumsum(first) - 1
    return _categorical(ordered, first, category[codes])


def _first_of_runs(ordered: Any) -> np.ndarray:
    """Of a sorted string Array without nulls: which elements start a run of equal texts."""
    import numpy as np
    import pyarrow.compute as pc

    n = len(ordered)
    first = np.ones(n, dtype=bool)
    if n > 1:
        first[1:] = pc.not_equal(ordered.slice(1), ordered.slice(0, n - 1)).to_numpy(zero_copy_only=False)
    return first


def _repeats(distinct: int, count: int) -> bool:
    """Whether ``count`` texts with ``distinct`` different ones make a categorical column:
    at most half as many distinct texts as texts, and at most 32 767 of them (answer labels,
    segments, names — not ids or times)."""
    return 2 * distinct <= count and distinct <= _MAX_CATEGORIES


_MAX_CATEGORIES = 32767


def _code_type(categories: int) -> Any:
    import numpy as np

    return np.int8 if categories < 127 else np.int16


def _categorical(ordered: Any, first: np.ndarray, codes: np.ndarray) -> pd.Categorical:
    import pandas as pd
    import pyarrow as pa

    dtype = pd.CategoricalDtype(pd.Index(ordered.filter(pa.array(first)).to_pandas()))
    return pd.Categorical.from_codes(codes, dtype=dtype, validate=False)


def _floats(column: Any) -> np.ndarray:
    import numpy as np

    return np.asarray(column.to_numpy(zero_copy_only=False), dtype=np.float64)


# ---------------------------------------------------------------- durations


_UNITS = re.compile(
    r"^(?:(?P<d>\d+(?:\.\d+)?)\s*(?:天|days?|d))?\s*"
    r"(?:(?P<h>\d+(?:\.\d+)?)\s*(?:小时|时|hours?|hrs?|h))?\s*"
    r"(?:(?P<m>\d+(?:\.\d+)?)\s*(?:分钟|分|minutes?|mins?|m))?\s*"
    r"(?:(?P<s>\d+(?:\.\d+)?)\s*(?:秒钟|秒|seconds?|secs?|s)?)?$",
    re.IGNORECASE,
)
# "1:02:03", "2:03" (minutes:seconds), and a time-only Excel cell "1899-12-31 00:02:03"
_CLOCK = re.compile(r"^(?:1899-12-3[01][ T])?(?:(\d+):)?([0-5]?\d):([0-5]?\d(?:\.\d+)?)$")


def parse_duration(value: object) -> float:
    """Seconds in one duration cell, NaN when it is missing or not a duration.

    Numbers are seconds. Text: ``"123秒"``, ``"2分3秒"``, ``"1小时2分"``, ``"1h 2m 3s"``,
    ``"1:02:03"`` (h:mm:ss), ``"2:03"`` (m:ss).

    >>> parse_duration(123), parse_duration("1小时2分3秒"), parse_duration(""), parse_duration("abc")
    (123.0, 3723.0, nan, nan)
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
        return number if number >= 0 else float("nan")
    if not isinstance(value, str):
        return float("nan")
    text = value.strip()
    match = _UNITS.match(text)
    if text and match and any(match.groups()):
        d, h, m, s = (float(g) if g else 0.0 for g in match.group("d", "h", "m", "s"))
        return ((d * 24 + h) * 60 + m) * 60 + s
    match = _CLOCK.match(text)
    if match:
        h, m, s = match.groups()
        return (float(h or 0) * 60 + float(m)) * 60 + float(s)
    return float("nan")


def durations_seconds(table: Table) -> np.ndarray | None:
    """Seconds taken per respondent (NaN where missing or unparseable), or None.

    None when the table has no duration column (the ``plain`` preset). Distinct texts are
    parsed once, so a 100 000-row column costs a few milliseconds.
    """
    import numpy as np
    import pandas as pd

    if table.duration_column is None:
        return None
    column = table.frame[table.duration_column]
    if isinstance(column.dtype, pd.CategoricalDtype):  # each category parsed once
        per = [parse_duration(c) for c in column.cat.categories.tolist()]
        seconds = np.array([*per, np.nan], dtype=np.float64)[column.cat.codes.to_numpy()]
        seconds[seconds < 0] = np.nan
        return seconds
    if isinstance(column.dtype, pd.StringDtype):
        seconds = np.full(len(column), np.nan)
        is_text = column.notna().to_numpy(dtype=bool)
    elif column.dtype == object:
        seconds = np.fromiter((float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else np.nan
                               for v in column), dtype=np.float64, count=len(column))
        is_text = np.fromiter((isinstance(v, str) for v in column), dtype=bool, count=len(column))
    else:
        seconds = np.array(column, dtype=np.float64)
        is_text = np.zeros(len(column), dtype=bool)
    if is_text.any():
        codes, distinct = pd.factorize(column[is_text])
        seconds[is_text] = np.array([parse_duration(t) for t in distinct], dtype=np.float64)[codes]
    seconds[seconds < 0] = np.nan
    return seconds


# ---------------------------------------------------------------- columns


def question_number(header: str) -> int | None:
    """Question number of a header: ``"5、题干"``, ``"5.题干"``, ``"Q5.题干"`` → 5.

    >>> question_number("12、题干—行"), question_number("Q3. Overall"), question_number("1.5倍")
    (12, 3, None)
    """
    match = _QUESTION.match(header)
    return int(match.group(1)) if match else None


def question_stem(header: str) -> str:
    """The header without its question-number prefix (``"2、部门"`` → ``"部门"``)."""
    match = _QUESTION.match(header)
    return header[match.end():].strip() if match else header.strip()


def find_column(table: Table, column: str | None = None, match: str | None = None,
                what: str = "") -> str:
    """The one header a model item is bound to.

    ``column`` is tried as (1) the exact header, (2) another name of it that the file
    gives (:attr:`Table.aliases`: a Qualtrics field id ``Q5_1`` or ImportId ``QID5``, an
    SPSS variable label), (3) ``Q5``: the header of question 5 (``"5、…"``, ``"5.…"``; in a
    file whose headers carry no numbers, the columns whose field id or name is ``Q5_…``),
    (4) the header's text after its question number (``部门`` finds ``"2、部门"``).
    ``match`` is a regular expression searched in every header. Anything but exactly one
    header is a :class:`DataError` (``missing-column``, ``ambiguous-column``,
    ``bad-regex``) that names ``what`` (e.g. ``quality.children[0] (accuracy)``) and lists
    the closest or the matching headers.
    """
    if (column is None) == (match is None):
        raise ValueError("find_column needs exactly one of column= or match=")
    headers = [str(h) for h in table.frame.columns]
    spec = f'column: "{column}"' if column is not None else f'match: "{match}"'
    label = f"{what} ({spec})" if what else spec
    where = {"file": table.path, "sheet": table.sheet, "value": column if column is not None else match}

    number: int | None = None
    aliases = table.aliases
    if column is not None:
        wanted = column.strip()
        if wanted in headers:
            return wanted
        if wanted in aliases:
            return aliases[wanted]
        q = _QSPEC.match(wanted)
        if q:
            number = int(q.group(1))
            hits = [h for h in headers if question_number(h) == number]
            if not hits:  # field ids Q5_1, Q5_2 … of a matrix question (Qualtrics aliases, SPSS names)
                ids = rf"[Qq]{number}_\w+"
                named = {h for h in headers if re.fullmatch(ids, h)} | {aliases[a] for a in aliases if re.fullmatch(ids, a)}
                hits = [h for h in headers if h in named]
        else:
            hits = [h for h in headers if question_stem(h) == wanted]
        target = wanted
    else:
        try:
            pattern = re.compile(match)  # type: ignore[arg-type]
        except re.error as e:
            raise DataError(Issue("bad-regex", f"{label}: invalid regular expression: {e}", **where)) from e
        hits = [h for h in headers if pattern.search(h)]
        target = re.sub(r"[\\^$.*+?()\[\]{}|]", "", match or "")

    if len(hits) == 1:
        return hits[0]
    if hits:
        listed = _listing(table, hits, limit=12)
        if number is not None:
            separator, example = _row_label(hits[0])
            advice = (f"question {number} is a matrix question with one column per row; bind each row "
                      f"with match:, e.g. match: \"{separator}{re.escape(example)}$\"")
        elif match is not None:
            advice = "make the regular expression match only one (anchor it with ^ or $)"
        else:
            advice = "give the full header, or use match:"
        raise DataError(Issue("ambiguous-column",
                              f"{label} matches {len(hits)} headers: {listed}; {advice}", **where))

    if number is not None:
        numbers = sorted({n for h in headers if (n := question_number(h)) is not None})
        found = f"the questions here are numbered {_ranges(numbers)}" if numbers else \
            "no header here starts with a question number (\"5、…\")"
        close = [h for h in headers if h.lower() == wanted.lower()] or _closest(wanted, headers, aliases=aliases)
        if close:
            found += f"; closest headers: {_listing(table, close)}"
        raise DataError(Issue("missing-column", f"{label}: there is no question {number}; {found}. "
                              "Use the exact header or match: with a regular expression", **where))
    close = _closest(target, headers, aliases=aliases)
    shown = f"closest headers: {_listing(table, close)}" if close else \
        f"the headers are: {_listing(table, headers, limit=10)}"
    raise DataError(Issue("missing-column",
                          f"{label}: no header matches; {shown}. Give the exact header, Q<n> for "
                          "question n, the text after the number, or match: with a regular expression",
                          **where))


def _row_label(header: str) -> tuple[str, str]:
    """The separator and row label of a matrix column: 问卷星 "…—行", Qualtrics and
    SurveyMonkey "… - row", 腾讯问卷 "…:行"; else ``("", question stem)``."""
    for separator in ("—", " - ", ":", "："):
        if separator in header:
            return separator, header.rpartition(separator)[2].strip()
    return "", question_stem(header)


def _closest(target: str, headers: Sequence[str], n: int = 3, aliases: Mapping[str, str] | None = None) -> list[str]:
    best: dict[str, float] = {}
    names = [(h, h) for h in headers] + [(a, h) for a, h in (aliases or {}).items()]
    for name, h in names:
        ratio = max(difflib.SequenceMatcher(None, target, name).ratio(),
                    difflib.SequenceMatcher(None, target, question_stem(name)).ratio())
        if ratio >= 0.4 and ratio > best.get(h, 0.0):
            best[h] = ratio
    return [h for h, _ in sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


def _listing(table: Table, headers: Sequence[str], limit: int = 5) -> str:
    items = [f'"{h}" ({table.letter(h)})' for h in headers[:limit]]
    if len(headers) > limit:
        items.append(f"… {len(headers) - limit} more")
    return ", ".join(items)


def _ranges(numbers: Sequence[int]) -> str:
    """``[1, 2, 3, 5]`` → ``"1–3, 5"``."""
    parts: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(str(start) if start == prev else f"{start}–{prev}")
        if n is not None:
            start = prev = n
    return ", ".join(parts)
