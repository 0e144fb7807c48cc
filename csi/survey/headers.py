"""From the top rows of a sheet to its headers: the preset's names, and the checks on them.

A column without a header but with data is named ``"Unnamed: C"`` after its letter; one
with neither is dropped; two columns with one header are ``duplicate-header``. A header row
that is not one — a title above it, merged header cells — is refused with the row it seems
to be on (``header-not-first-row``, ``merged-header``). A forced preset the top rows do not
fit is ``preset-mismatch``, saying what it expected.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

from csi.errors import DataError, Issue, column_letter
from csi.survey.cells import NUMBER, has_data, is_text
from csi.survey.files import fail
from csi.survey.presets import HeaderColumn, Preset, cell_text, forms
from csi.survey.table import Grid, clip, column_number

__all__ = ["rows_below", "fitting_form", "named", "other_names", "header_names", "check_header_row"]


def rows_below(grid: Grid, n: int) -> list[tuple[str, ...]]:
    """The first ``n`` rows under the header row as stripped text, ``""`` for blank."""
    rows = []
    for i in range(n):
        row = []
        for column in grid.columns:
            value = column[i].as_py() if i < len(column) else None
            row.append(cell_text(value))
        rows.append(tuple(row))
    return rows


def fitting_form(preset: Preset, top: Sequence[str], below: Sequence[Sequence[str]] | None, shown: str,
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
    listed = ", ".join(clip(n, 40) for n in names) or "(none)"
    raise DataError(Issue("preset-mismatch", f"{message}. The first columns are: {listed}. Leave the preset out to "
                          "detect it, or use --preset plain", file=shown, sheet=sheet, row=row or None))


def named(grid: Grid, composed: Mapping[int, HeaderColumn]) -> Grid:
    """The grid with the preset's names, keys and aliases (matched by spreadsheet column)."""
    columns = [composed.get(index, HeaderColumn(None)) for index in grid.indexes]
    aliases = [(*c.aliases, *(grid.aliases[p] if grid.aliases else ())) for p, c in enumerate(columns)]
    return replace(grid, names=tuple(c.name for c in columns), keys=tuple(c.key for c in columns),
                   aliases=tuple(aliases))


def other_names(grid: Grid, headers: Sequence[str], keep: Sequence[int]) -> dict[str, str]:
    """Other names → header; a name that is a header itself, or names two columns, is left out."""
    taken = set(headers)
    found: dict[str, set[str]] = {}
    for h, i in zip(headers, keep, strict=True):
        for alias in grid.aliases[i] if grid.aliases else ():
            alias = alias.strip()
            if alias and alias not in taken:
                found.setdefault(alias, set()).add(h)
    return {a: next(iter(hs)) for a, hs in found.items() if len(hs) == 1}


def header_names(grid: Grid, shown: str, sheet: str | None) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """Final header names, and the positions of the grid columns that are kept."""
    headers: list[str] = []
    keep: list[int] = []
    first_letter: dict[str, str] = {}
    issues: list[Issue] = []
    for position, (raw, index, column) in enumerate(zip(grid.names, grid.indexes, grid.columns, strict=True)):
        name = cell_text(raw)
        letter = column_letter(index)
        if not name:
            if not has_data(column):
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
        raise fail("empty-file", "has no header row and no data", shown, sheet=sheet)
    return tuple(headers), tuple(keep)


def check_header_row(grid: Grid, keep: Sequence[int], shown: str, sheet: str | None) -> None:
    """Refuse a header row that is not one: a title above the header, or merged header cells.

    Both leave columns with answers but no header of their own, so a model cannot name them.
    Only then is anything looked at: a complete header row costs nothing.
    """
    blank = [p for p in keep if not cell_text(grid.names[p])]
    if not blank:
        return
    named = [p for p in keep if p not in blank]
    letters = [column_letter(grid.indexes[p]) for p in blank]
    if len(named) <= 1 and len(blank) >= 2:
        found = _header_below(grid, keep)
        if found is not None:
            row, cells = found
            title = f'only "{clip(str(grid.names[named[0]]))}"' if named else "nothing"
            listed = ", ".join(f'"{clip(c)}"' for c in cells[:4]) + (", …" if len(cells) > 4 else "")
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


def _header_below(grid: Grid, keep: Sequence[int], look: int = 10) -> tuple[int, list[str]] | None:
    """The first of the next rows whose cells are all distinct text, none a number: a header."""
    height = min((len(grid.columns[p]) for p in keep), default=0)
    for i in range(min(look, height)):
        cells = []
        for p in keep:
            value = grid.columns[p][i].as_py() if is_text(grid.columns[p].type) else None
            cells.append(cell_text(value))
        if all(cells) and len(set(cells)) == len(cells) and not any(re.match(NUMBER, c) for c in cells):
            return grid.header_row + grid.header_rows + i, cells
    return None


def _split_ref(ref: str) -> tuple[int, int]:
    """``"B12"`` → (2, 12): 1-based column and row."""
    letters = ref.rstrip("0123456789")
    return column_number(letters), int(ref[len(letters):])


def _letter_span(letters: Sequence[str]) -> str:
    return letters[0] if len(letters) == 1 else f"{letters[0]}–{letters[-1]}" if len(letters) > 3 else ", ".join(letters)
