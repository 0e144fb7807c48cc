"""Read a survey export (xlsx, xlsm, xls, ods, csv, tsv, parquet, sav) into a :class:`Table`.

Every cell is first read as text — workbooks with fastexcel (:mod:`csi.survey.workbook`), CSV
and TSV with pyarrow's CSV reader (:mod:`csi.survey.text`) — and then the same cell rules
apply (:mod:`csi.survey.cells`), so a file gives the same table whatever it was saved as:

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
- A date, a time, true/false, an error cell or a formula never calculated reads as its text
  (:mod:`csi.survey.workbook`): none of them is an answer, so each is reported as an invalid
  one rather than passing for a blank.

Rows keep their spreadsheet numbers: frame row ``i`` is row ``first_row + i``; blank rows
inside the data are kept (as all-missing rows), blank rows at the end are dropped. Columns
keep their letters (:meth:`Table.letter`). A column without a header but with data is
named ``"Unnamed: C"`` after its letter; one with neither is dropped
(:mod:`csi.survey.headers`).

Exports with several header rows (Qualtrics, SurveyMonkey; :mod:`csi.survey.presets`) are
recognised from their first three rows; the preset makes one header per column from them
(Qualtrics: the question text, its field id ``Q5`` and ImportId ``QID5`` kept as
:attr:`Table.aliases`; SurveyMonkey: ``"question - row label"`` over a matrix), and the
data start below them (``first_row`` 4 and 3).

Typed files (:mod:`csi.survey.parquet`, :mod:`csi.survey.sav`) keep their types and go
through the same rules; their rows are numbered from 1.

Speed and memory (docs/architecture.md, "Speed"): the cell rules run once per distinct text of a column,
two or more columns at a time, only for the columns the caller keeps (``columns``), and
each column read is let go as soon as it is converted (:mod:`csi.survey.frame`).
``progress`` names each stage.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from csi.errors import DataError, Issue
from csi.limits import Limits
from csi.survey.columns import find_column, question_number, question_stem
from csi.survey.durations import durations_seconds, parse_duration
from csi.survey.files import (
    SUPPORTED_SUFFIXES,
    TEXT_SUFFIXES,
    WORKBOOK_SUFFIXES,
    checked_suffix,
    fail,
    other_sheets,
    read_bytes,
)
from csi.survey.frame import to_frame
from csi.survey.headers import check_header_row, fitting_form, header_names, named, other_names, rows_below
from csi.survey.parquet import parquet_grid
from csi.survey.presets import Preset, cell_text, detect_preset, get_preset
from csi.survey.sav import sav_grid
from csi.survey.table import FileLabels, Grid, Table
from csi.survey.text import text_loader
from csi.survey.workbook import Workbook

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


def read_survey(path: str | os.PathLike[str], sheet: str | int | None = None,
                preset: str | None = None, *, progress: Callable[[str], None] | None = None,
                columns: Callable[[Table], Collection[str] | None] | None = None,
                parsing: threading.Event | None = None, limits: Limits | None = None) -> Table:
    """Read one sheet of a survey export.

    Parameters
    ----------
    path : the file; its suffix picks the reader (:data:`SUPPORTED_SUFFIXES`).
    sheet : a sheet name or 0-based index; default the first sheet. Not allowed for CSV,
        Parquet or SPSS files.
    preset : the name of one of :data:`~csi.survey.presets.PRESETS` (``"wjx"``,
        ``"qualtrics"``, …, ``"plain"``); default: detected from the top rows
        (:func:`~csi.survey.presets.detect_preset`). A forced preset the file does not fit
        is ``preset-mismatch``, saying what it expected.
    progress : called with a short description of each stage as it starts (``"reading
        sheet Sheet1"``, ``"checking cells"``), for a status line while a large file is read.
    columns : which columns to put through the cell rules, asked once the headers are known:
        called with the table as it will be but without rows (its frame has every header and
        no data), it returns the headers to keep, or None for all of them
        (:func:`csi.survey.prepare.columns_used` says which ones :func:`~csi.survey.prepare.prepare`
        reads). The returned table has only those columns; rows are what they would be with
        all of them (a row holding a value only in a column left out is still a row).
    parsing : set when the parser (pyarrow, calamine) starts reading the cells; from then on
        the read leaves the GIL to other threads most of the time (:mod:`csi.prefetch` imports
        the engine then). Set at the latest when the call returns or raises.
    limits : what the file may ask the reader to allocate (:class:`csi.limits.Limits`; default
        2 GB's worth): checked before the parser allocates it.

    Raises
    ------
    InputError
        The file cannot be read: ``file-not-found``, ``not-a-file``, ``file-unreadable``,
        ``unsupported-format``, ``wrong-format``, ``html-not-spreadsheet``,
        ``corrupt-file``, ``encrypted-file``, ``bad-encoding``, ``mixed-encoding``,
        ``nul-bytes``, ``unclosed-quote``, ``empty-file``, ``sheet-not-found``,
        ``sheet-too-large``, ``file-too-large``, ``line-too-long``, ``too-many-columns``,
        ``extra-cells``, ``no-sheets``, ``unknown-preset``, ``file-changed``.
    DataError
        It was read but cannot be used: ``no-data-rows``, ``duplicate-header``,
        ``header-not-first-row``, ``merged-header``, ``preset-mismatch``.
    """
    try:
        return _read(os.fspath(path), sheet, preset, progress or _silent, columns, parsing or threading.Event(),
                     limits or Limits())
    finally:
        if parsing is not None:
            parsing.set()


def _read(shown: str, sheet: str | int | None, preset: str | None, say: Callable[[str], None],
          columns: Callable[[Table], Collection[str] | None] | None, parsing: threading.Event, limits: Limits) -> Table:
    forced = get_preset(preset) if preset is not None else None
    load, source = _open(Path(shown), shown, sheet, say, parsing, limits)
    grid = load(1)
    # The preset is chosen from the top three rows as read: row 1 and the two below it
    # (none in a typed file), before any of them is taken for a header or for data.
    top = [cell_text(n) for n in grid.names]
    below = None if grid.typed else rows_below(grid, 2)
    if forced is not None:
        chosen = fitting_form(forced, top, below, shown, source.sheet, grid.header_row)
        platform = detect_preset(top, below) if forced.name == "plain" and below is not None else chosen
        if platform.header_rows > 1:  # --preset plain on a platform export: row 1 names, its other header rows skipped
            chosen = replace(chosen, header_rows=platform.header_rows)
    else:
        chosen = detect_preset(top, below)
    composed = dict(zip(grid.indexes, chosen.columns([top, *(below or ())]), strict=True))
    if chosen.header_rows != grid.header_rows:  # a multi-row-header export: data start lower
        grid = load(chosen.header_rows)
    grid = named(grid, composed)
    headers, keep = header_names(grid, shown, source.sheet)
    if not grid.typed:
        check_header_row(grid, keep, shown, source.sheet)
    empty = _table(source, chosen, grid, headers, keep)
    others: Sequence[int] = ()  # columns left out, whose cells still tell where the rows end
    if columns is not None and (wanted := columns(empty)) is not None:
        headers, keep, others = _kept(headers, keep, wanted)

    # The loader holds the whole sheet as read: let it go, and each column as soon as it
    # is converted, so that the file is never in memory twice over.
    del load
    data_columns, numbers = list(grid.columns), list(grid.numbers or (None,) * len(grid.columns))
    if grid.exact is not None:
        for position, values in grid.exact(keep).items():
            numbers[position] = values
    grid = replace(grid, columns=(), numbers=(), exact=None)
    say("checking cells")
    frame = to_frame(data_columns, numbers, headers, keep, others)
    del data_columns, numbers
    if len(frame) == 0:
        where = "sheet" if source.sheet is not None else "file"
        raise DataError(Issue("no-data-rows", f"the {where} has a header row but no answers below it"
                              + other_sheets(source.sheets, source.sheet),
                              file=shown, sheet=source.sheet, row=grid.header_row + grid.header_rows))
    labels = FileLabels({h: v for h, v in empty.value_labels.items() if h in headers})
    if labels:
        frame.attrs["value_labels"] = labels
    return replace(empty, frame=frame, column_indexes=tuple(grid.indexes[i] for i in keep),
                   aliases=other_names(grid, headers, keep), value_labels=labels)


def _silent(stage: str) -> None:
    """The default ``progress``: says nothing."""


@dataclass(frozen=True, slots=True)
class _Source:
    """Where a table comes from: the file as messages show it, its sheet and sheets, its SHA-256."""

    shown: str
    sheet: str | None
    sheets: tuple[str, ...]
    sha256: str


def _open(file: Path, shown: str, sheet: str | int | None, say: Callable[[str], None],
          parsing: threading.Event, limits: Limits) -> tuple[Callable[[int], Grid], _Source]:
    """The loader of the file's format (``load(header_rows)`` → :class:`Grid`) and where it is from."""
    suffix = checked_suffix(file, shown)
    if suffix in WORKBOOK_SUFFIXES:
        data = read_bytes(file, shown)
        book = Workbook(data, suffix, shown, sheet, say, parsing, limits)
        return book.load, _Source(shown, book.sheet, book.sheets, hashlib.sha256(data).hexdigest())
    if sheet is not None:
        raise fail("no-sheets", f"a {suffix} file has no sheets; drop the sheet option (got {sheet!r})", shown,
                   value=sheet)
    say(f"reading {file.name}")
    parsing.set()
    if suffix in TEXT_SUFFIXES:
        load, digest = text_loader(file, suffix, shown, limits)
        return load, _Source(shown, None, (), digest)
    data = read_bytes(file, shown)
    # Its column names are its only header; ``header_rows`` is ignored (a preset with more
    # header rows never fits one: :meth:`Preset.problem`).
    grid = parquet_grid(data, shown, limits) if suffix == ".parquet" else sav_grid(data, shown, suffix)
    return (lambda header_rows: grid), _Source(shown, None, (), hashlib.sha256(data).hexdigest())


def _table(source: _Source, chosen: Preset, grid: Grid, headers: Sequence[str], keep: Sequence[int]) -> Table:
    """The table with every header and no rows (what ``columns`` is asked with)."""
    import pandas as pd

    keys = [grid.keys[i] or h for h, i in zip(headers, keep, strict=True)]
    by_key: dict[str, str] = {}
    for h, k in zip(headers, keys, strict=True):
        by_key.setdefault(k, h)
    return Table(
        frame=pd.DataFrame(columns=list(headers)),
        path=source.shown,
        sheet=source.sheet,
        preset=chosen.name,
        first_row=grid.header_row + grid.header_rows,
        id_column=by_key.get(chosen.id_column or ""),
        submitted_column=by_key.get(chosen.submitted_column or ""),
        duration_column=by_key.get(chosen.duration_column or ""),
        pii_columns=tuple(h for h, k in zip(headers, keys, strict=True) if chosen.is_pii(k) or chosen.is_pii(h)),
        missing_codes=chosen.missing_codes,
        sheets=source.sheets,
        sha256=source.sha256,
        column_indexes=tuple(grid.indexes[i] for i in keep),
        aliases=other_names(grid, headers, keep),
        value_labels=FileLabels({h: grid.labels[i] for h, i in zip(headers, keep, strict=True)
                                 if grid.labels and grid.labels[i]}),
    )


def _kept(headers: Sequence[str], keep: Sequence[int],
          wanted: Collection[str]) -> tuple[list[str], list[int], list[int]]:
    """The headers and grid positions of the columns wanted, and the positions of the others."""
    kept = [(h, i) for h, i in zip(headers, keep, strict=True) if h in wanted]
    others = [i for h, i in zip(headers, keep, strict=True) if h not in wanted]
    return [h for h, _ in kept], [i for _, i in kept], others
