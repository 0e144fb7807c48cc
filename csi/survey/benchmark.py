"""Read a benchmark file (YAML or CSV) for ``csi compare --benchmark``.

A benchmark gives scores on the 0–100 scale per node id — an industry average, a competitor —
to set the last period against. The id ``overall`` stands for the overall index. Standard
errors are optional; without one a gap is shown but not tested.

YAML (``.yaml``, ``.yml``)::

    label: 行业平均                       # shown in reports; default: the file name
    source: 2026 代理记账行业满意度调查      # optional: where the numbers come from
    scores:
      overall: 76.5
      quality: {score: 80.1, se: 0.9}
      efficiency: 78

CSV (``.csv``; UTF-8 with or without BOM, or GB18030 as Chinese Excel saves it): a header
row with ``id`` and ``score``, optionally ``se``, ``label`` (the same on every row that has
one) and ``name`` (for the reader, ignored)::

    id,score,se,label
    overall,76.5,0.8,竞争对手甲
    quality,80.1,0.9,

Every problem of a file is collected and raised at once, naming the file, the row (header =
row 1) or YAML line, and the column.

>>> b = parse_benchmark_yaml("label: 行业平均\\nscores: {overall: 76.5, quality: {score: 80, se: 1.5}}", "b.yaml")
>>> b.label, [(s.id, s.score, s.se) for s in b.scores]
('行业平均', [('overall', 76.5, None), ('quality', 80.0, 1.5)])
"""

from __future__ import annotations

import csv
import difflib
import io
import math
import os
from pathlib import Path
from typing import Any

from csi.compare import Benchmark, BenchmarkScore
from csi.errors import DataError, InputError, Issue
from csi.model import _number
from csi.survey.files import read_side_file

__all__ = ["Benchmark", "BenchmarkScore", "read_benchmark", "parse_benchmark_yaml", "parse_benchmark_csv", "MAX_BENCHMARK_BYTES"]

#: A benchmark is a short list of scores; anything bigger is not one.
MAX_BENCHMARK_BYTES = 1_000_000
_YAML_KEYS = ("label", "source", "scores")
_ENTRY_KEYS = ("score", "se", "name")
_CSV_COLUMNS = ("id", "score", "se", "label", "name")


def read_benchmark(path: str | os.PathLike[str]) -> Benchmark:
    """Read a benchmark file; the format follows the suffix (.yaml/.yml or .csv).

    Raises
    ------
    InputError
        The file is missing, too large, not UTF-8/GB18030 text, has another suffix, or is not
        valid YAML/CSV.
    DataError
        It was read, but a score is missing, not a number, outside 0–100, an se is negative,
        an id repeats, or a key/column is unknown.
    """
    p = Path(path)
    shown = str(path)
    suffix = p.suffix.lower()
    if suffix not in (".yaml", ".yml", ".csv"):
        raise InputError(Issue("benchmark-format", f"cannot tell the format from the suffix {suffix or '(none)'!r}; "
                               "a benchmark is a .yaml, .yml or .csv file", file=shown))
    data = read_side_file(p, shown, "benchmark", MAX_BENCHMARK_BYTES, "a .yaml or .csv file")
    text = _decode(data, shown)
    if suffix == ".csv":
        return parse_benchmark_csv(text, shown, default_label=p.stem)
    return parse_benchmark_yaml(text, shown, default_label=p.stem)


def _decode(data: bytes, shown: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(Issue("benchmark-encoding", "is neither UTF-8 nor GB18030 text; save it as UTF-8", file=shown))



def _check_score(value: Any, what: str, problems: list[Issue], **where: Any) -> float | None:
    x = _number(value)
    if x is None or not math.isfinite(x) or not 0.0 <= x <= 100.0:
        problems.append(Issue("benchmark-score", f"{what}: expected a score from 0 to 100, got {_shown(value)}", value=value, **where))
        return None
    return x


def _check_se(value: Any, what: str, problems: list[Issue], **where: Any) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    x = _number(value)
    if x is None or not math.isfinite(x) or x < 0.0:
        problems.append(Issue("benchmark-se", f"{what}: expected a standard error ≥ 0 (or nothing), got {_shown(value)}",
                              value=value, **where))
        return None
    return x


def _shown(value: Any) -> str:
    """A value as a message quotes it: a very long one cut short."""
    text = repr(value)
    return text if len(text) <= 60 else text[:40] + "…"


def _unknown(key: str, allowed: tuple[str, ...]) -> str:
    guess = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    return f"did you mean {guess[0]!r}?" if guess else "valid: " + ", ".join(allowed)


def parse_benchmark_yaml(text: str, file: str = "<benchmark>", default_label: str = "benchmark") -> Benchmark:
    """A benchmark from YAML text (see the module docstring for the layout)."""
    import yaml

    lines: dict[str, int] = {}
    try:
        _check_shape(text, file)
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        raw = yaml.safe_load(text)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        what = (e.problem or e.context or "syntax error").strip()
        raise InputError(Issue("benchmark-yaml", f"YAML syntax error: {what}", file=file,
                               line=None if mark is None else mark.line + 1)) from None
    except yaml.YAMLError as e:
        raise InputError(Issue("benchmark-yaml", f"YAML syntax error: {e}", file=file)) from None
    if not isinstance(raw, dict):
        raise DataError(Issue("benchmark-layout", "expected a mapping with `scores:` (node id → score or {score, se}) and "
                              "optionally `label:` and `source:`", file=file))
    # line numbers of the ids under `scores:`, for messages
    if isinstance(root, yaml.MappingNode):
        for k, v in root.value:
            if getattr(k, "value", None) == "scores" and isinstance(v, yaml.MappingNode):
                lines = {str(kk.value): kk.start_mark.line + 1 for kk, _ in v.value}
    problems: list[Issue] = []
    for key in raw:
        if key not in _YAML_KEYS:
            problems.append(Issue("benchmark-key", f"unknown key {key!r}; {_unknown(str(key), _YAML_KEYS)}", file=file))
    label = raw.get("label", default_label)
    source = raw.get("source", file)
    if not isinstance(label, (str, int, float)) or not str(label).strip():
        problems.append(Issue("benchmark-label", f"`label` must be a short text such as 行业平均, got {label!r}", file=file))
        label = default_label
    scores_raw = raw.get("scores")
    if not isinstance(scores_raw, dict) or not scores_raw:
        problems.append(Issue("benchmark-layout", "`scores:` must map node ids to scores, e.g. `overall: 76.5` or "
                              "`quality: {score: 80.1, se: 0.9}`", file=file))
        raise DataError(problems)
    scores: list[BenchmarkScore] = []
    for key, entry in scores_raw.items():
        nid = str(key).strip()
        where = {"file": file, "line": lines.get(str(key))}
        what = f"scores.{nid}"
        if isinstance(entry, dict):
            for k in entry:
                if k not in _ENTRY_KEYS:
                    problems.append(Issue("benchmark-key", f"{what}: unknown key {k!r}; {_unknown(str(k), _ENTRY_KEYS)}", **where))
            score = _check_score(entry.get("score"), what + ".score", problems, **where)
            se = _check_se(entry.get("se"), what + ".se", problems, **where)
        else:
            score = _check_score(entry, what, problems, **where)
            se = None
        if score is not None:
            scores.append(BenchmarkScore(nid, score, se))
    if problems:
        raise DataError(problems)
    return Benchmark(str(label).strip(), tuple(scores), str(source))


#: Deepest nesting of a benchmark file: ``scores:`` → id → ``{score, se}`` is three levels.
_MAX_DEPTH = 16


def _check_shape(text: str, file: str) -> None:
    """Refuse aliases (``*name``) and deep nesting before the document is built: an alias
    bomb (a list of ten aliases of a list of ten aliases …) is a few hundred bytes that
    expand to billions of values, and a benchmark needs neither."""
    import yaml

    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            raise InputError(Issue("benchmark-yaml", f"an alias (*{event.anchor}) at column {event.start_mark.column + 1}; "
                                   "a benchmark file lists scores, so aliases (*name) and anchors (&name) are not "
                                   "allowed: write each value out", file=file, line=event.start_mark.line + 1))
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > _MAX_DEPTH:
                raise InputError(Issue("benchmark-yaml", f"mappings and lists nested more than {_MAX_DEPTH} levels "
                                       "deep; a benchmark is `scores:`, an id and a score (with its se)", file=file,
                                       line=event.start_mark.line + 1))
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


def parse_benchmark_csv(text: str, file: str = "<benchmark>", default_label: str = "benchmark") -> Benchmark:
    """A benchmark from CSV text: columns ``id``, ``score``, optional ``se``, ``label``, ``name``."""
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as e:
        raise InputError(Issue("benchmark-csv", f"not a readable CSV file: {e}", file=file)) from None
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise DataError(Issue("benchmark-empty", "the file is empty; expected a header row `id,score[,se][,label]`", file=file))
    header = [h.strip().lower() for h in rows[0]]
    problems: list[Issue] = []
    for i, h in enumerate(header):
        if h not in _CSV_COLUMNS:
            problems.append(Issue("benchmark-column", f"unknown column {rows[0][i]!r}; {_unknown(h, _CSV_COLUMNS)}", file=file,
                                  row=1, column=rows[0][i]))
    for need in ("id", "score"):
        if need not in header:
            problems.append(Issue("benchmark-column", f"no {need!r} column; the header must have id and score "
                                  "(and optionally se, label, name)", file=file, row=1))
    if problems:
        raise DataError(problems)
    col = {h: header.index(h) for h in _CSV_COLUMNS if h in header}
    scores: list[BenchmarkScore] = []
    labels: set[str] = set()
    seen: dict[str, int] = {}
    for rownum, row in enumerate(rows[1:], start=2):
        def cell(name: str, row: list[str] = row) -> str:
            i = col.get(name)
            return row[i].strip() if i is not None and i < len(row) else ""
        nid = cell("id")
        if not nid:
            problems.append(Issue("benchmark-id", "empty id; give the node id from the model (or overall)", file=file, row=rownum,
                                  column="id"))
            continue
        if nid in seen:
            problems.append(Issue("benchmark-duplicate", f"id {nid!r} also on row {seen[nid]}; keep one of them", file=file,
                                  row=rownum, column="id", value=nid))
            continue
        seen[nid] = rownum
        score = _check_score(cell("score"), nid, problems, file=file, row=rownum, column="score")
        se = _check_se(cell("se"), nid, problems, file=file, row=rownum, column="se")
        if cell("label"):
            labels.add(cell("label"))
        if score is not None:
            scores.append(BenchmarkScore(nid, score, se))
    if len(labels) > 1:
        problems.append(Issue("benchmark-label", f"the label column holds {len(labels)} different labels "
                              f"({', '.join(sorted(labels))}); one file is one benchmark", file=file, column="label"))
    if not scores and not problems:
        problems.append(Issue("benchmark-empty", "no scores below the header", file=file))
    if problems:
        raise DataError(problems)
    return Benchmark(labels.pop() if labels else default_label, tuple(scores), file)
