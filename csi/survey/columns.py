"""Finding the column a model item is bound to among a table's headers.

A model column is found by exact header, by another name of it (a Qualtrics field id, an
SPSS variable label), by question number (``column: Q5`` finds "5、…" in a wjx export), by
the text after the number, or by a ``match`` regular expression. Zero or several matches is
an error that lists the closest headers.

>>> question_number("5、请评价—账务处理准确性"), question_stem("5、请评价—账务处理准确性")
(5, '请评价—账务处理准确性')
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from csi.errors import DataError, Issue
from csi.survey.patterns import UnsupportedPattern, search_headers
from csi.survey.presets import row_separators
from csi.survey.table import Table

__all__ = ["ColumnMatch", "find_column", "locate_column", "question_number", "question_part", "question_stem"]

# A question number in front of a header, in the styles exports and hand-made sheets use:
# "5、题干", "5.题干", "5．题干", "5) 题干", "第5题 题干", "Q5 题干", "Q5. 题干", "Q5：题干",
# "Q5_2 题干" (row 2 of question 5) — but not "1.5倍" nor "2024年".
_QUESTION = re.compile(
    r"^\s*(?:第\s*(?P<cn>\d+)\s*题\s*[、.．:：)）]?"
    r"|[Qq]\s*(?P<q>\d+)(?:_(?P<sub>[0-9A-Za-z]+))?(?:\s*[、.．:：)）](?!\d)|(?=\s)|$)"
    r"|(?P<n>\d+)\s*[、.．:：)）](?!\d))\s*")
# A model's question-number column spec: "Q5", "Q5_2", "第5题"
_QSPEC = re.compile(r"^(?:[Qq]\s*(\d+)(?:_([0-9A-Za-z]+))?|第\s*(\d+)\s*题)$")


@dataclass(frozen=True, slots=True)
class ColumnMatch:
    """The header a column spec found, and how: ``"header"``, ``"question text"``, ``"field id"``,
    ``"variable label"``, ``"question number"``, ``"text after the number"``, or one of those after
    ``match: `` (for example ``"match: variable label"``)."""

    header: str
    how: str


def question_number(header: str) -> int | None:
    """Question number of a header: ``"5、题干"``, ``"5.题干"``, ``"Q5.题干"``, ``"第5题"`` → 5.

    >>> question_number("12、题干—行"), question_number("Q3. Overall"), question_number("1.5倍")
    (12, 3, None)
    >>> question_number("Q5_2 Friendliness"), question_number("5) 速度"), question_number("第7题 态度")
    (5, 5, 7)
    """
    match = _QUESTION.match(header)
    if not match:
        return None
    return int(match.group("cn") or match.group("q") or match.group("n"))


def question_part(header: str) -> str | None:
    """The row of a matrix question in a ``Q5_2`` style header (``"2"``), else None.

    >>> question_part("Q5_2 Friendliness"), question_part("Q5 Overall")
    ('2', None)
    """
    match = _QUESTION.match(header)
    return match.group("sub") if match else None


def question_stem(header: str) -> str:
    """The header without its question-number prefix (``"2、部门"`` → ``"部门"``)."""
    match = _QUESTION.match(header)
    return header[match.end():].strip() if match else header.strip()


def find_column(table: Table, column: str | None = None, match: str | None = None,
                what: str = "") -> str:
    """The one header a model item is bound to (:func:`locate_column`'s header)."""
    return locate_column(table, column=column, match=match, what=what).header


def locate_column(table: Table, column: str | None = None, match: str | None = None,
                  what: str = "") -> ColumnMatch:
    """The one header a model item is bound to, and how it was found.

    ``column`` is tried as (1) the exact header, (2) another name of it that the file
    gives (:attr:`Table.aliases`: a Qualtrics field id ``Q5_1`` or ImportId ``QID5``, an
    SPSS variable label), (3) a question number — ``Q5``, ``Q5_2`` or ``第5题`` — finds the
    header of that question in any style :func:`question_number` knows (``"5、…"``,
    ``"Q5. …"``, ``"第5题…"``; in a file whose headers carry no numbers, the columns whose
    field id or name is ``Q5_…``), (4) the text after a header's question number (``部门``
    finds ``"2、部门"``), then after that of another name (an SPSS label ``"2、部门"``).
    ``match`` is a regular expression searched in every header, and, when no header has it,
    in the other names (SPSS variable labels, Qualtrics field ids). Anything but exactly one
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
    header_kind, alias_kind = _kinds(table)
    if column is not None:
        target = column.strip()
        hits, how, number = _by_name(headers, table.aliases, target, header_kind, alias_kind)
    else:
        try:
            re.compile(match)  # type: ignore[arg-type]
        except re.error as e:
            raise DataError(Issue("bad-regex", f"{label}: invalid regular expression: {e}", **where)) from e
        try:  # (in linear time: no pattern can hang the run, csi.survey.patterns)
            hits = [h for h, hit in zip(headers, search_headers(match, headers), strict=True) if hit]  # type: ignore[arg-type]
            how = f"match: {header_kind}"
            if not hits:
                names = list(table.aliases)
                hits = list(dict.fromkeys(table.aliases[a] for a, hit in zip(names, search_headers(match, names), strict=True)  # type: ignore[arg-type]
                                          if hit))
                how = f"match: {alias_kind}"
        except UnsupportedPattern as e:
            raise DataError(Issue("bad-regex", f"{label}: this regular expression needs a backtracking engine ({e}); "
                                  "match: patterns may not use look-around such as (?=…) or (?<!…), back-references "
                                  "such as \\1, or repeats over 1000, so that no pattern can make the search take "
                                  "minutes: write it without them", **where)) from None
        target = re.sub(r"[\\^$.*+?()\[\]{}|]", "", match or "")

    if len(hits) == 1:
        return ColumnMatch(hits[0], how)
    if hits:
        listed = _listing(table, hits, limit=12)
        if number is not None:
            separator, example = _row_label(hits[0], table.preset)
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
        close = [h for h in headers if h.lower() == target.lower()] or _closest(target, headers, aliases=table.aliases)
        if close:
            found += f"; closest headers: {_listing(table, close)}"
        raise DataError(Issue("missing-column", f"{label}: there is no question {number}; {found}. "
                              "Use the exact header or match: with a regular expression", **where))
    close = _closest(target, headers, aliases=table.aliases)
    shown = f"closest headers: {_listing(table, close)}" if close else \
        f"the headers are: {_listing(table, headers, limit=10)}"
    raise DataError(Issue("missing-column",
                          f"{label}: no header matches; {shown}. Give the exact header, Q<n> for "
                          "question n, the text after the number, or match: with a regular expression",
                          **where))


def _by_name(headers: Sequence[str], aliases: Mapping[str, str], wanted: str, header_kind: str,
             alias_kind: str) -> tuple[list[str], str, int | None]:
    """The headers a ``column:`` name finds, how, and the question number it asked for."""
    if wanted in headers:
        return [wanted], header_kind, None
    if wanted in aliases:
        return [aliases[wanted]], alias_kind, None
    q = _QSPEC.match(wanted)
    if q:
        number = int(q.group(1) or q.group(3))
        hits = _numbered(headers, aliases, number, q.group(2))
        labelled = bool(hits) and question_number(hits[0]) != number
        return hits, f"question number ({alias_kind})" if labelled else "question number", number
    hits = [h for h in headers if question_stem(h) == wanted]
    if hits:
        return hits, "text after the number", None
    hits = list(dict.fromkeys(h for a, h in aliases.items() if question_stem(a) == wanted))
    return hits, f"text after the number ({alias_kind})", None


def _numbered(headers: Sequence[str], aliases: Mapping[str, str], number: int, part: str | None) -> list[str]:
    """The headers of question ``number`` (its row ``part`` when given); in a file whose
    headers carry no numbers, the columns whose other name (an SPSS variable label) has it,
    else those whose field id or name is ``Q5_…`` (``Q5_2``)."""
    def numbered(name: str) -> bool:
        return question_number(name) == number and (part is None or question_part(name) == part)

    hits = [h for h in headers if numbered(h)]
    if hits:
        return hits
    labelled = {aliases[a] for a in aliases if numbered(a)}  # an SPSS label "8、…" over a variable v8
    if labelled:
        return [h for h in headers if h in labelled]
    ids = rf"[Qq]{number}_{re.escape(part)}" if part is not None else rf"[Qq]{number}_\w+"
    named = {h for h in headers if re.fullmatch(ids, h)} | {aliases[a] for a in aliases if re.fullmatch(ids, a)}
    return [h for h in headers if h in named]


def _kinds(table: Table) -> tuple[str, str]:
    """What a table's headers and its other names are, as the mapping table says."""
    if table.path.lower().endswith((".sav", ".zsav")):
        return "header", "variable label"
    if table.preset == "qualtrics":
        return "question text", "field id"
    if table.preset == "surveymonkey":
        return "question text", "row label"
    return "header", "other name"


def _row_label(header: str, preset: str) -> tuple[str, str]:
    """The separator and row label of a matrix column (问卷星 "…—行", Qualtrics and
    SurveyMonkey "… - row", 腾讯问卷 "…:行": :func:`~csi.survey.presets.row_separators`, the
    table's preset's first); else ``("", question stem)``."""
    for separator in row_separators(preset):
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
