"""What a result JSON (``csi.result/1``) must hold before ``csi compare`` believes it.

A result file can be edited by hand, or by anyone it was mailed to. Read back, it is checked
as strictly as a model file: every field ``csi compare`` reads has its type and range, and a
document that breaks them is refused with every problem at once, each at its JSON path
(``nodes[3].score``). The rules (docs/architecture.md, "Result files read back"):

- nested at most :data:`MAX_DEPTH` levels (a result written by ``csi score`` has 8);
- a number is a JSON number, finite (not ``NaN``, not ``1e999``), never ``true``/``false``;
  a count is a whole number ≥ 0;
- scores and interval bounds 0–100 (NPS −100–100), standard errors ≥ 0, weights, shares and
  p-values 0–1, differences −100–100; a missing number is ``null``;
- texts are texts; node ids unique, and a node's parent is another node's id.

Fields that nothing reads are not checked, so a later version may add some.

>>> issues = result_issues({"overall": {"score": -50, "se": -1, "ci": [0, 1], "n": True}, "nodes": []}, "r.json")
>>> [(i.path, i.message) for i in issues]  # doctest: +NORMALIZE_WHITESPACE
[('overall.score', 'expected a score from 0 to 100, got -50'),
 ('overall.se', 'expected a standard error of 0 or more, got -1'),
 ('overall.n', 'expected a count (a whole number, 0 or more), got true')]
"""

from __future__ import annotations

import json
import math
from typing import Any

from csi.errors import Issue

__all__ = ["MAX_DEPTH", "result_issues", "depth_issue", "too_deep"]

#: How deeply a result JSON may nest; csi writes 8 levels.
MAX_DEPTH = 32

_SCORE = (0.0, 100.0, "a score from 0 to 100")
_NPS = (-100.0, 100.0, "an NPS from -100 to 100")
_SHARE = (0.0, 1.0, "a share from 0 to 1")
_P = (0.0, 1.0, "a p-value from 0 to 1")
_DELTA = (-100.0, 100.0, "a difference from -100 to 100")
_SE = (0.0, math.inf, "a standard error of 0 or more")
_WEIGHT = (0.0, 1.0, "a weight from 0 to 1")
_ANY = (-math.inf, math.inf, "a number")


def too_deep(file: str) -> Issue:
    return Issue("result-too-deep", f"nested more than {MAX_DEPTH} levels deep; a result written by `csi score` has 8. "
                 "Write it again with `csi score`", file=file)


def depth_issue(doc: Any, file: str) -> Issue | None:
    """An issue when ``doc`` nests deeper than :data:`MAX_DEPTH` (checked without recursion)."""
    stack = [(doc, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            return too_deep(file)
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
    return None


def result_issues(doc: dict[str, Any], file: str) -> list[Issue]:
    """Every way ``doc`` (a parsed result JSON, its schema already checked) breaks the rules above."""
    c = _Checker(file)
    c.estimate(doc.get("overall"), "overall", _SCORE, required=True)
    if doc.get("outcome") is not None:
        c.estimate(doc["outcome"], "outcome", _SCORE)
    nps = doc.get("nps")
    if nps is not None and c.mapping(nps, "nps"):
        c.estimate(nps, "nps", _NPS, score_required=False)
        for key in ("promoters", "detractors"):
            c.number(nps, key, "nps", _SHARE)
    for key in ("respondents", "data_quality"):
        if key in doc and doc[key] is not None:
            c.mapping(doc[key], key)
    c.manifest(doc.get("manifest"))
    respondents = doc.get("respondents")
    if isinstance(respondents, dict):
        for key in ("rows", "used"):
            c.number(respondents, key, "respondents", None)
    ids = c.nodes(doc.get("nodes"))
    c.weak_points(doc.get("weak_points", []), ids)
    c.segments(doc.get("segments", []))
    warnings = doc.get("warnings", [])
    if c.sequence(warnings, "warnings"):
        for i, w in enumerate(warnings):
            if not isinstance(w, str):
                c.problem(f"warnings[{i}]", "a text", w)
    return c.issues


def _shown(value: Any) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=True)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


class _Checker:
    """Collects the problems of one document, each at its JSON path."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.issues: list[Issue] = []

    def problem(self, path: str, what: str, value: Any) -> None:
        self.issues.append(Issue("result-invalid", f"expected {what}, got {_shown(value)}", file=self.file, path=path))

    def mapping(self, value: Any, path: str) -> bool:
        if isinstance(value, dict):
            return True
        self.problem(path, "an object", value)
        return False

    def sequence(self, value: Any, path: str) -> bool:
        if isinstance(value, list):
            return True
        self.problem(path, "a list", value)
        return False

    def number(self, d: dict[str, Any], key: str, path: str, bounds: tuple[float, float, str] | None,
               required: bool = False) -> None:
        """``d[key]``: null (unless ``required``) or a finite number within ``bounds``; None bounds: a count."""
        where = f"{path}.{key}"
        value = d.get(key)
        if value is None:
            if required:
                self.problem(where, bounds[2] if bounds else "a count (a whole number, 0 or more)", value)
            return
        if bounds is None:
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                self.problem(where, "a count (a whole number, 0 or more)", value)
            return
        lo, hi, what = bounds
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or not lo <= value <= hi:
            self.problem(where, what, value)

    def text(self, d: dict[str, Any], key: str, path: str, required: bool = False) -> None:
        value = d.get(key)
        if (value is None and required) or (value is not None and not isinstance(value, str)):
            self.problem(f"{path}.{key}", "a text", value)

    def estimate(self, d: Any, path: str, bounds: tuple[float, float, str], required: bool = False,
                 score_required: bool | None = None) -> None:
        """A score, its standard error, its interval and its n."""
        if not self.mapping(d, path):
            return
        self.number(d, "score", path, bounds, required=required if score_required is None else score_required)
        self.number(d, "se", path, _SE)
        self.number(d, "n", path, None, required=required)
        ci = d.get("ci")
        if ci is None:
            return
        if not isinstance(ci, list) or len(ci) != 2:
            self.problem(f"{path}.ci", "a list of two bounds [low, high]", ci)
            return
        pair = {"low": ci[0], "high": ci[1]}
        self.number(pair, "low", f"{path}.ci", _ANY)
        self.number(pair, "high", f"{path}.ci", _ANY)
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in ci) and ci[0] > ci[1]:
            self.problem(f"{path}.ci", "a low bound no greater than the high bound", ci)

    def manifest(self, m: Any) -> None:
        """What produced the result: the model, the input, the options, the model's structure."""
        if m is None or not self.mapping(m, "manifest"):
            return
        for key in ("tool", "created"):
            self.text(m, key, "manifest")
        for key, texts in (("model", ("name", "path", "sha256")), ("input", ("path", "sheet", "preset", "sha256")),
                           ("options", ()), ("structure", ("basis", "sha256", "outcome"))):
            part = m.get(key)
            if part is None or not self.mapping(part, f"manifest.{key}"):
                continue
            for field in texts:
                self.text(part, field, f"manifest.{key}")
        nodes = (m.get("structure") or {}).get("nodes") if isinstance(m.get("structure"), dict) else None
        if nodes is not None:
            self.mapping(nodes, "manifest.structure.nodes")

    def nodes(self, nodes: Any) -> set[str]:
        """The node list; returns the ids seen."""
        ids: set[str] = set()
        if not self.sequence(nodes, "nodes"):
            return ids
        for i, n in enumerate(nodes):
            path = f"nodes[{i}]"
            if not self.mapping(n, path):
                continue
            self.text(n, "id", path, required=True)
            if isinstance(n.get("id"), str):
                if n["id"] in ids:
                    self.problem(f"{path}.id", "an id no other node has", n["id"])
                ids.add(n["id"])
            for key in ("name", "method", "column", "type"):
                self.text(n, key, path)
            if n.get("kind", "item") not in ("item", "group"):
                self.problem(f"{path}.kind", '"item" or "group"', n.get("kind"))
            self.estimate(n, path, _SCORE)
            for key in ("weight", "global_weight"):
                self.number(n, key, path, _WEIGHT)
            self.number(n, "target", path, _SCORE)
            self.number(n, "low_share", path, _SHARE)
            self.number(n, "alpha", path, (-math.inf, 1.0, "a Cronbach's alpha of at most 1"))
            if n.get("weighting") is not None:
                self.mapping(n["weighting"], f"{path}.weighting")
        for i, n in enumerate(nodes):
            if isinstance(n, dict) and n.get("parent") is not None and n["parent"] not in ids:
                self.problem(f"nodes[{i}].parent", "null or the id of another node", n["parent"])
        return ids

    def weak_points(self, weak: Any, ids: set[str]) -> None:
        if not self.sequence(weak, "weak_points"):
            return
        for i, w in enumerate(weak):
            path = f"weak_points[{i}]"
            if not self.mapping(w, path):
                continue
            self.number(w, "rank", path, None, required=True)
            self.text(w, "id", path, required=True)
            self.text(w, "name", path)
            self.text(w, "quadrant", path)
            self.number(w, "score", path, _SCORE)
            self.number(w, "target", path, _SCORE, required=True)
            self.number(w, "importance", path, _WEIGHT, required=True)
            self.number(w, "loss", path, (0.0, 100.0, "a loss from 0 to 100"))
            self.number(w, "low_share", path, _SHARE)
            self.number(w, "stability", path, _SHARE)
            quotes = w.get("verbatims", [])
            if not isinstance(quotes, list) or not all(isinstance(q, str) for q in quotes):
                self.problem(f"{path}.verbatims", "a list of texts", quotes)

    def segments(self, segments: Any) -> None:
        if not self.sequence(segments, "segments"):
            return
        for i, s in enumerate(segments):
            path = f"segments[{i}]"
            if not self.mapping(s, path):
                continue
            self.text(s, "by", path, required=True)
            self.number(s, "suppressed", path, None)
            self.number(s, "min_group", path, None)
            groups = s.get("groups", [])
            if not self.sequence(groups, f"{path}.groups"):
                continue
            for j, g in enumerate(groups):
                gpath = f"{path}.groups[{j}]"
                if not self.mapping(g, gpath):
                    continue
                if not isinstance(g.get("value"), (str, int, float)) or isinstance(g.get("value"), bool):
                    self.problem(f"{gpath}.value", "a text", g.get("value"))
                self.number(g, "n", gpath, None, required=True)
                self.estimate(g.get("overall"), f"{gpath}.overall", _SCORE, required=True)
                self.vs_rest(g.get("vs_rest"), f"{gpath}.vs_rest")
                nodes = g.get("nodes", [])
                if self.sequence(nodes, f"{gpath}.nodes"):
                    for k, nd in enumerate(nodes):
                        if self.mapping(nd, f"{gpath}.nodes[{k}]"):
                            self.text(nd, "id", f"{gpath}.nodes[{k}]", required=True)
                            self.estimate(nd, f"{gpath}.nodes[{k}]", _SCORE)

    def vs_rest(self, test: Any, path: str) -> None:
        if test is None or not self.mapping(test, path):
            return
        self.number(test, "rest_score", path, _SCORE)
        self.number(test, "rest_n", path, None)
        self.number(test, "delta", path, _DELTA)
        self.number(test, "se", path, _SE)
        self.number(test, "z", path, _ANY)
        self.number(test, "p", path, _P)
        self.number(test, "p_adj", path, _P)
