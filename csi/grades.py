r"""The grade view of fuzzy comprehensive evaluation, 模糊综合评价 (docs/methods.md#grade-view).

For every node of the model: the membership vector over the grades, the grade of maximum
membership and the score B·V, each with bootstrap intervals as for the scores.

**Grades.** Either the points of the model's default ``scale`` (1–5: five grades, named by the
model's ``labels`` where every point has one), with values V on the 0–100 scale (0, 25, 50, 75,
100), or the bands of the model's ``grades:`` (e.g. 优 ≥ 90, 良 75–90, 中 60–75, 差 < 60), each
valued at its ``value`` (default its midpoint). Grades are listed best first.

**Membership of an answer.** With bands, a 0–100 value belongs wholly to the band it falls in.
With scale points, a value equal to a point belongs wholly to it; a value between two points
(an item on another scale, a measured service level) is shared between the two neighbours in
proportion to its closeness — triangular membership functions centred on the points — so that
μ·V equals the value itself.

**Membership of an indicator** (the row :math:`r_j` of the matrix R): the share of the weighted
answers per grade, :math:`r_{jg} = \sum_i w_i \mu_{ijg} / \sum_i w_i m_{ij}` (:math:`m_{ij}` = 1
when respondent i answered j). **Of a group**: the weighted-average operator
:math:`M(\cdot, \oplus)` (加权平均型, :math:`b_g = \sum_c a_c r_{cg}`), i.e. :math:`B = A \cdot R`
over its children with the node weights the scores use, applied from the indicators up to the
overall index. Rows of R and B sum to 1, so no normalisation step is needed.

**Score** :math:`B \cdot V`. With scale-point grades it equals the node's score (both are
linear in the indicators' means); with bands it is the grade-valued score, coarser than the
score. **Maximum membership** (最大隶属度原则): the grade with the largest :math:`b_g`;
``stability`` is the share of bootstrap replicates whose largest membership is that grade.

**Intervals.** The same bootstrap as the scores (:func:`csi.bootstrap.bootstrap_sums`, the
same seed and number of replicates): percentile intervals of every :math:`b_g` and of B·V, and
the score's standard error with the finite-population correction when the model or options
give a population. The node weights are those of the point estimate; with
``--bootstrap-weights`` the scores' intervals also carry the weights' uncertainty, these do not.

Checked against SPSSAU's documented worked example of 模糊综合评价 (a new garment rated on five
factors, weights A = (0.1, 0.1, 0.15, 0.3, 0.35), M(·, +): B = (0.205, 0.320, 0.390, 0.085),
grade 一般); see ``tests/test_grades.py`` and ``tests/reference/REFERENCES.md``.

>>> memberships(np.array([[100.0, 62.5, np.nan]]), np.array([100.0, 75.0, 50.0, 25.0, 0.0]), None)[0].round(2).tolist()
[[1.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.5, 0.5, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0]]
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from csi.bootstrap import bootstrap_sums, percentile_ci
from csi.errors import Issue, ModelError
from csi.model import Model
from csi.options import ScoreOptions
from csi.responses import Responses
from csi.result import Result

__all__ = ["OPERATOR", "grade_scale", "memberships", "combine", "grade_view"]

#: The composition operator, as it is named in the literature and recorded in the JSON.
OPERATOR = "M(·,⊕) weighted average"


def grade_scale(model: Model) -> tuple[list[str], np.ndarray, np.ndarray | None]:
    """The grades of ``model``, best first: their names, their 0–100 values V, and the lower
    bounds of the bands (None for scale points).

    Raises ModelError when the default scale is not whole points 1…10 apart (declare ``grades:``).
    """
    if model.grades:
        return ([g.name for g in model.grades], np.array([g.value for g in model.grades]),
                np.array([g.min for g in model.grades]))
    lo, hi = _scale_of(model)
    points = hi - lo
    if points != int(points) or not 1 <= points <= 10:
        raise ModelError(Issue("grades-scale", f"the scale {lo:g}–{hi:g} has no whole points to use as grades; declare "
                               "grade bands in the model, e.g. grades: [{name: 优, min: 90}, {name: 良, min: 75}, "
                               "{name: 中, min: 60}, {name: 差, min: 0}]", file=model.path, path="grades"))
    names_by_point = {float(v): str(k) for k, v in _labels_of(model)}
    pts = [hi - i for i in range(int(points) + 1)]
    names = [names_by_point.get(float(p), f"{p:g}") for p in pts] if all(float(p) in names_by_point for p in pts) else [
        f"{p:g}" for p in pts]
    return names, np.array([(p - lo) / (hi - lo) * 100.0 for p in pts]), None


def _scale_of(model: Model) -> tuple[float, float]:
    """The model's default scale: the scale most of its rated items use."""
    scales = [(i.scale.min, i.scale.max) for i in model.items if i.type == "rating"]
    return max(set(scales), key=scales.count) if scales else (1.0, 5.0)


def _labels_of(model: Model) -> tuple[tuple[str, float], ...]:
    rated = [i for i in model.items if i.type == "rating" and i.labels]
    return rated[0].labels if rated else ()


def memberships(x: np.ndarray, values: np.ndarray, bounds: np.ndarray | None) -> np.ndarray:
    """Each answer's membership in each grade: an (n, k, G) array from (n, k) 0–100 values
    (NaN: no answer, membership 0 everywhere); ``values`` best first, ``bounds`` the bands'
    lower bounds (None: triangular memberships between the ``values``)."""
    n, k = x.shape
    out = np.zeros((n, k, values.size))
    ok = ~np.isnan(x)
    if bounds is not None:
        # the first band (best first) whose lower bound the value reaches
        band = np.searchsorted(-bounds, -np.where(ok, x, 0.0), side="left")
        band = np.clip(band, 0, values.size - 1)
        np.put_along_axis(out, band[..., None], ok[..., None].astype(float), axis=2)
        return out
    asc = values[::-1]  # ascending points
    xc = np.clip(np.where(ok, x, asc[0]), asc[0], asc[-1])
    upper = np.clip(np.searchsorted(asc, xc, side="left"), 1, asc.size - 1)
    left, right = asc[upper - 1], asc[upper]
    share_up = (xc - left) / (right - left)
    g = values.size
    right = (g - 1 - upper)[..., None]  # the higher neighbour, in best-first order
    np.put_along_axis(out, right, (share_up * ok)[..., None], axis=2)
    np.put_along_axis(out, right + 1, ((1.0 - share_up) * ok)[..., None], axis=2)
    return out


def combine(children: Sequence[np.ndarray], weights: Sequence[float]) -> np.ndarray:
    """B = A · R: the weighted-average operator M(·, ⊕) over the children's membership rows
    (any leading replicate axes), weights normalised to sum 1.

    >>> combine([np.array([0.2, 0.5, 0.3]), np.array([0.0, 0.5, 0.5])], [3, 1]).round(3).tolist()
    [0.15, 0.5, 0.35]
    """
    a = np.asarray(weights, dtype=float)
    a = a / a.sum() if a.sum() > 0 else a
    return sum((w * r for w, r in zip(a, children, strict=True)), np.zeros_like(children[0]))


def _item_memberships(model: Model, responses: Responses, values: np.ndarray, bounds: np.ndarray | None,
                      options: ScoreOptions) -> tuple[np.ndarray, np.ndarray]:
    """Per index item: the membership row (k, G) and its bootstrap replicates (B, k, G)."""
    k, g = len(model.items), values.size
    x = responses.values[:, :k]

    def columns(rows: slice | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        xr = x[rows]
        answered = ~np.isnan(xr)
        z = np.concatenate([memberships(xr, values, bounds).reshape(xr.shape[0], k * g), answered], axis=1)
        return z, answered.astype(float)

    sums = bootstrap_sums(columns, responses.n, responses.weights, options.bootstrap, options.seed)
    with np.errstate(invalid="ignore", divide="ignore"):
        point = sums.full[:k * g].reshape(k, g) / sums.full[k * g:][:, None]
        reps = sums.reps[:, :k * g].reshape(-1, k, g) / sums.reps[:, None, k * g:].transpose(0, 2, 1)
    reps = np.where(np.isnan(reps), point[None], reps)  # a replicate that drew nobody who answered j
    return point, reps


def _fpc(n: int, population: int | None) -> float:
    return math.sqrt((population - n) / (population - 1)) if population and population > n else 1.0


def _tree(point: np.ndarray, reps: np.ndarray, model: Model, result: Result) -> dict[str | None, tuple[np.ndarray, np.ndarray]]:
    """Every node's membership and replicates (the root under the key None): items from
    ``point``/``reps``, groups by M(·,⊕) over their children with the result's weights,
    renormalised over the children that have answers in these respondents (as a segment cell's
    scores are, docs/methods.md §6.3)."""
    index = {item.id: j for j, item in enumerate(model.items)}
    kids: dict[str | None, list[Any]] = {}
    for nd in result.nodes:
        kids.setdefault(nd.parent, []).append(nd)
    memo: dict[str | None, tuple[np.ndarray, np.ndarray]] = {}

    def member(node_id: str | None) -> tuple[np.ndarray, np.ndarray]:
        if node_id in index:
            memo[node_id] = (point[index[node_id]], reps[:, index[node_id]])
            return memo[node_id]
        parts = [(c.weight, member(c.id)) for c in kids.get(node_id, []) if c.weight > 0]
        parts = [(w, m) for w, m in parts if np.isfinite(m[0]).all()]
        if not parts:
            memo[node_id] = (np.full(point.shape[1], np.nan), np.full((reps.shape[0], point.shape[1]), np.nan))
        else:
            weights = [w for w, _ in parts]
            memo[node_id] = (combine([m[0] for _, m in parts], weights), combine([m[1] for _, m in parts], weights))
        return memo[node_id]

    member(None)
    for nd in result.nodes:
        if nd.id not in memo:
            member(nd.id)
    return memo


def grade_view(model: Model, responses: Responses, result: Result, options: ScoreOptions) -> dict[str, Any]:
    """The grade view of a scored survey, as the ``grades`` section of the result JSON
    (docs/methods.md#grade-view, where its layout is documented).

    ``result`` gives the node tree and weights (those of the point estimate) and the segment
    values shown (each gets the view of its own respondents, under ``segments``); ``options``
    the bootstrap (replicates, seed, confidence) and the population of the finite-population
    correction.
    """
    names, values, bounds = grade_scale(model)
    population = options.population or model.population

    def view(rs: Responses) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        memo = _tree(*_item_memberships(model, rs, values, bounds, options), model, result)
        fpc = _fpc(rs.n, population)
        nodes = [{"id": nd.id, "name": nd.name, "parent": nd.parent, "kind": nd.kind,
                  **_node_grades(*memo[nd.id], names, values, options, fpc)} for nd in result.nodes]
        return _node_grades(*memo[None], names, values, options, fpc), nodes

    root, nodes = view(responses)
    segments = []
    for seg in result.segments:
        column = np.asarray(responses.segments[seg.by], dtype=object).astype(str)
        groups = []
        for g in seg.groups:
            overall, _ = view(responses.subset(column == g.value))
            groups.append({"value": g.value, "n": g.n, "overall": overall})
        segments.append({"by": seg.by, "groups": groups})
    return {"operator": OPERATOR, "basis": "scale_points" if bounds is None else "bands", "grades": names,
            "values": values.tolist(), "bounds": None if bounds is None else bounds.tolist(),
            "overall": {"id": "overall", "name": model.name, "parent": None, "kind": "index", **root}, "nodes": nodes,
            "segments": segments}


def _node_grades(b: np.ndarray, reps: np.ndarray, names: Sequence[str], values: np.ndarray, options: ScoreOptions,
                 fpc: float) -> dict[str, Any]:
    """Membership, grade, B·V and their intervals for one node."""
    def num(x: float) -> float | None:
        return float(x) if math.isfinite(x) else None

    if not np.isfinite(b).all():
        return {"membership": [None] * len(names), "membership_ci": [[None, None]] * len(names), "grade": None,
                "stability": None, "score": None, "se": None, "ci": [None, None]}
    score = float(b @ values)
    out: dict[str, Any] = {"membership": [float(v) for v in b], "grade": names[int(np.argmax(b))], "score": score}
    if reps.shape[0] >= 2:
        rep_scores = reps @ values
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            lo, hi = percentile_ci(reps, options.confidence)
            slo, shi = percentile_ci(rep_scores[:, None], options.confidence)
        lo, hi = b + (lo - b) * fpc, b + (hi - b) * fpc
        out["membership_ci"] = [[num(a), num(c)] for a, c in zip(lo, hi, strict=True)]
        out["stability"] = float(np.mean(np.argmax(reps, axis=1) == np.argmax(b)))
        out["se"] = num(float(np.std(rep_scores, ddof=1)) * fpc)
        out["ci"] = [num(score + (float(slo[0]) - score) * fpc), num(score + (float(shi[0]) - score) * fpc)]
    else:
        out.update(membership_ci=[[None, None]] * len(names), stability=None, se=None, ci=[None, None])
    return {k: out[k] for k in ("membership", "membership_ci", "grade", "stability", "score", "se", "ci")}
