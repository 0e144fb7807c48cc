"""Errors that carry their position in a file as data.

Every problem a user can cause is a :class:`CsiError`. It holds one or more
:class:`Issue` records, each naming where the problem is (file, sheet, spreadsheet
row, column header and letter, or the path in the model tree and the YAML line)
and a stable kebab-case ``code`` that tests and scripts can rely on.

>>> issue = Issue("invalid-answer", 'expected 1–5 or a label, got "很好"',
...               file="survey.xlsx", sheet="2026Q3", row=14, column="7、响应速度", letter="H")
>>> str(issue)
'survey.xlsx, sheet "2026Q3", row 14, column "7、响应速度" (H): expected 1–5 or a label, got "很好"'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Issue", "CsiError", "ModelError", "InputError", "DataError", "OutputError", "column_letter"]


def column_letter(index: int) -> str:
    """Spreadsheet letter of a 0-based column index.

    >>> column_letter(0), column_letter(25), column_letter(26), column_letter(701)
    ('A', 'Z', 'AA', 'ZZ')
    """
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem, with its position as data.

    ``row`` is the spreadsheet row (the header is row 1 in a one-row-header file);
    ``path`` is the position in the model tree (``children[1].weight``) and
    ``line`` the 1-based line of the model file, when known.
    """

    code: str
    message: str
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    letter: str | None = None
    value: object = None
    path: str | None = None
    line: int | None = None

    def location(self) -> str:
        parts: list[str] = []
        if self.file:
            parts.append(self.file if self.line is None else f"{self.file}, line {self.line}")
        elif self.line is not None:
            parts.append(f"line {self.line}")
        if self.sheet:
            parts.append(f'sheet "{self.sheet}"')
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            col = f'column "{self.column}"'
            if self.letter:
                col += f" ({self.letter})"
            parts.append(col)
        elif self.letter:
            parts.append(f"column {self.letter}")
        if self.path:
            parts.append(self.path)
        return ", ".join(parts)

    def __str__(self) -> str:
        r"""One paragraph: where, then what and how to fix it (line breaks in the message are folded).

        >>> str(Issue("x", "first line\n  second", file="a.csv", letter="C"))
        'a.csv, column C: first line second'
        """
        from csi.printable import printable

        where = self.location()
        message = re.sub(r"\s*\n\s*", " ", self.message) if "\n" in self.message else self.message
        return printable(f"{where}: {message}" if where else message)


class CsiError(Exception):
    """Base of every error a user can cause; carries one or more :class:`Issue`."""

    default_code = "error"

    def __init__(self, issues: Issue | str | Iterable[Issue], **where: object) -> None:
        if isinstance(issues, str):
            issues = [Issue(self.default_code, issues, **where)]  # type: ignore[arg-type]
        elif isinstance(issues, Issue):
            issues = [issues]
        self.issues: tuple[Issue, ...] = tuple(issues)
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """All issues, one per line (at most 20, then a count of the rest)."""
        lines = [str(i) for i in self.issues[:20]]
        if len(self.issues) > 20:
            lines.append(f"… and {len(self.issues) - 20} more problems of the same kind")
        return "\n".join(lines)

    @property
    def codes(self) -> list[str]:
        return [i.code for i in self.issues]


class ModelError(CsiError):
    """The model file (indicators.yaml) is wrong."""

    default_code = "model-invalid"


class InputError(CsiError):
    """A file cannot be read as a survey export."""

    default_code = "input-unreadable"


class DataError(CsiError):
    """The file was read but its contents cannot be used."""

    default_code = "data-invalid"


class OutputError(CsiError):
    """An output cannot be written where it was asked for."""

    default_code = "output-unwritable"
