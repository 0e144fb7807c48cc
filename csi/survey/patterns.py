"""A model's ``match:`` regular expressions, searched in the headers in linear time.

Python's ``re`` backtracks: ``(a+)+$`` or ``(.*a){20}`` against a 41-character header that
almost matches tries every way to split it — about 2⁴⁰ steps, minutes — and cannot be
interrupted. A model file is a thing people share and copy, so ``match:`` patterns are run by
RE2 (through pyarrow, already the CSV reader), which never backtracks: its time grows with
the length of the header and the pattern, whatever they hold. The price is RE2's syntax:
no look-around (``(?=…)``, ``(?<!…)``) and no back-references (``\\1``); such a pattern is
refused with a message saying so (there is always a way without them for a header).

Python's ``\\d``, ``\\w``, ``\\s`` match any script's digits, letters and spaces, RE2's ASCII
ones only; they are given their Unicode meaning here (``\\w`` matches 满 as in Python).

>>> search_headers(r"—报税及时性$", ["5、请评价—报税及时性", "6、请评价—服务态度"])
[True, False]
>>> search_headers(r"^\\d+、\\w+$", ["12、满意度", "Q5 满意度"])
[True, False]
>>> search_headers("(a+)+$", ["a" * 40 + "!"])  # no backtracking: at once
[False]
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["search_headers", "UnsupportedPattern"]

# Python's Unicode classes in RE2's syntax, outside a [...] set and inside one
_OUTSIDE = {"d": r"\p{Nd}", "w": r"[\p{L}\p{N}\p{Mn}_]", "s": r"[\s\p{Z}]",
            "D": r"\P{Nd}", "W": r"[^\p{L}\p{N}\p{Mn}_]", "S": r"[^\s\p{Z}]"}
_INSIDE = {"d": r"\p{Nd}", "w": r"\p{L}\p{N}\p{Mn}_", "s": r"\s\p{Z}"}


class UnsupportedPattern(ValueError):
    """A pattern RE2 cannot run (look-around, a back-reference, a repeat over 1000)."""


def search_headers(pattern: str, headers: Sequence[str]) -> list[bool]:
    """Which headers ``pattern`` is found in (as ``re.search`` would, in RE2's linear time)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        found = pc.match_substring_regex(pa.array(list(headers), pa.string()), _unicode_classes(pattern))
    except pa.ArrowInvalid as e:
        raise UnsupportedPattern(str(e).rpartition(":")[2].strip() or str(e)) from None
    return [bool(x) for x in found.fill_null(False).to_pylist()]


def _unicode_classes(pattern: str) -> str:
    """``\\d``, ``\\w``, ``\\s`` (and ``\\D`` ``\\W`` ``\\S`` outside a set) in Python's Unicode meaning."""
    out: list[str] = []
    inside = False
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            code = pattern[i + 1]
            table = _INSIDE if inside else _OUTSIDE
            out.append(table.get(code, c + code))
            i += 2
            continue
        if c == "[" and not inside:
            inside = True
            out.append(c)
            if pattern[i + 1:i + 2] == "^":
                out.append("^")
                i += 1
            if pattern[i + 1:i + 2] == "]":  # a "]" first in a set is a character
                out.append("\\]")
                i += 1
        elif c == "]" and inside:
            inside = False
            out.append(c)
        else:
            out.append(c)
        i += 1
    return "".join(out)
