"""Result JSON files written by ``csi score -o result.json`` (schema ``csi.result/1``), read back
for ``csi compare``, and checked as strictly as a model file (:mod:`csi.survey.result_rules`)."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

from csi.errors import InputError, Issue
from csi.result import SCHEMA, Result
from csi.survey.result_rules import depth_issue, result_issues, too_deep

__all__ = ["read_result"]


class _NotFinite(ValueError):
    """A number in a result JSON that is not finite (``1e999``, ``NaN``, ``Infinity``) or
    larger than :data:`_LARGEST` (whose squares and sums would overflow when compared)."""


#: Larger than any score, standard error, count or weight a result holds.
_LARGEST = 1e15


def _finite(text: str) -> float:
    value = float(text)
    if not (math.isfinite(value) and abs(value) <= _LARGEST):
        raise _NotFinite(text if len(text) <= 40 else text[:30] + "…")
    return value


def _whole(text: str) -> int:
    if len(text.lstrip("-")) > 15:
        raise _NotFinite(text if len(text) <= 40 else text[:30] + "…")
    return int(text)


def _no_constant(text: str) -> float:
    raise _NotFinite(text)


def read_result(path: str | os.PathLike[str]) -> Result:
    """A result JSON written by ``csi score`` (schema ``csi.result/1``), or an InputError saying what it is instead."""
    shown = os.fspath(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(Issue("input-not-found", "no such file", file=shown)) from None
    except IsADirectoryError:
        raise InputError(Issue("input-not-file", "is a directory; give a result .json file or a survey export", file=shown)) from None
    except OSError as e:
        raise InputError(Issue("input-unreadable", f"cannot read: {e.strerror or e}", file=shown)) from None
    try:
        doc: Any = json.loads(raw.decode("utf-8-sig"), parse_float=_finite, parse_int=_whole,
                               parse_constant=_no_constant)
    except RecursionError:  # (the parser's own recursion, thousands of levels deep)
        raise InputError(too_deep(shown)) from None
    except _NotFinite as e:
        raise InputError(Issue("result-not-finite", f"holds the number {e}, which no result written by `csi score` "
                               "holds (its numbers are finite: scores 0–100, standard errors, counts of respondents); "
                               "write the result again with `csi score`", file=shown)) from None
    except UnicodeDecodeError:
        raise InputError(Issue("result-not-json", "is not UTF-8 text, so not a result written by `csi score -o result.json`",
                               file=shown)) from None
    except json.JSONDecodeError as e:
        raise InputError(Issue("result-not-json", f"is not valid JSON (line {e.lineno}, column {e.colno}: {e.msg}); a result "
                               "file is the JSON written by `csi score -o result.json`", file=shown)) from None
    nested = depth_issue(doc, shown)
    if nested is not None:
        raise InputError(nested)
    schema = doc.get("schema") if isinstance(doc, dict) else None
    if schema != SCHEMA:
        if schema == "csi.comparison/1":
            msg = "is a comparison written by `csi compare`, not a result; compare the results or exports it was made from"
        else:
            msg = (f"is not a result written by `csi score` (schema {schema!r}, expected {SCHEMA!r}); "
                   "write one with `csi score DATA -o result.json`")
        raise InputError(Issue("result-schema", msg, file=shown))
    overall = doc.get("overall")
    if not isinstance(overall, dict) or not isinstance(overall.get("score"), (int, float)) or not isinstance(doc.get("nodes"), list):
        raise InputError(Issue("result-malformed", f"a {SCHEMA} document without an overall score or a node list; "
                               "write it again with `csi score`", file=shown))
    issues = result_issues(doc, shown)
    if issues:
        raise InputError(issues)
    try:
        return Result.from_dict(doc)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as e:
        raise InputError(Issue("result-malformed", f"a {SCHEMA} document with a missing or malformed field ({e!r}); "
                               "write it again with `csi score`", file=shown)) from None
