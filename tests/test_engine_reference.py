"""The vectorised engine against a plain reference implementation of the same bootstrap.

The reference below is deliberately naive: per replicate it draws respondents with
``np.random.default_rng(seed).integers``, recomputes every item mean over the drawn rows, walks
the model tree for the group scores and the index, and scores each segment cell and its rest
by boolean filtering of the drawn rows (or, for the within-cell bootstrap, by resampling the
cell's own rows). The engine gets its replicates from matrix products of resampling counts,
group-wise sums and, above ``MULTINOMIAL_MAX_N``, a Gaussian multiplier bootstrap
(csi/bootstrap.py); both must give the same point estimates, and the same bootstrap
distribution up to Monte-Carlo error.

Monte-Carlo tolerances. With B replicates the standard error of an SE estimate is about
SE/√(2(B − 1)) (normal replicates); two independent estimates with B = 2 000 each therefore
differ by SE·√(2/(2(B − 1))) = SE/√(B − 1) ≈ 2.2 % of SE in standard deviation, and we allow 4.5
of those: 10 %. The 2.5 % and 97.5 % percentiles of B normal replicates have a standard error of
√(p(1 − p)/B)/φ(z_p) · SE ≈ 0.060 SE; for a difference of two independent ones 0.085 SE, and we
allow 4.5 of those: 0.38 SE. At 4.5 SD a single comparison fails by chance with probability
7e-6, so the few hundred comparisons here fail together by chance with probability below 0.3 %.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest

import csi.bootstrap as bs
from csi.bootstrap import Partition
from csi.model import Group, Item, Model, load_model_text, walk
from csi.scoring import ScoreOptions, score
from csi.survey.prepare import DataQuality, Responses
from csi.weighting import group_weights

MODEL = """
name: reference
scale: {min: 1, max: 5}
target: 80
method: fixed
outcome:
  items:
    - {id: sat, column: 总体满意, scale: {min: 1, max: 10}}
    - {id: again, column: 再次选择}
nps: {id: rec, column: 推荐}
children:
  - id: service
    weight: 3
    children:
      - {id: speed, column: 速度, weight: 2}
      - {id: rude, column: 态度生硬, reverse: true, weight: 1}
      - {id: clear, column: 解释清楚, weight: 1}
  - id: price
    weight: 2
    children:
      - {id: fee, column: 收费}
      - {id: value, column: 性价比}
  - {id: rare, column: 很少回答, weight: 1}
"""

B = 2000
#: Monte-Carlo tolerances, derived in the module docstring.
SE_REL = 0.10
CI_SE = 0.38


def survey(n: int, seed: int, rare: float) -> tuple[Model, Responses]:
    """n synthetic respondents: 1–5 ratings driven by one latent satisfaction, a
    negatively worded item (态度生硬, reverse: agreeing means dissatisfied), an item answered by
    a share ``rare`` only, missing answers, respondent weights, an outcome block, an NPS
    question, and two breakdowns each with a cell under ``min_group`` (5)."""
    model = load_model_text(MODEL)
    rng = np.random.default_rng(seed)
    latent = rng.normal(0.0, 1.0, n)

    def rating(shift: float, lo: int = 1, hi: int = 5) -> np.ndarray:
        mid = (lo + hi) / 2
        return np.clip(np.round(mid + 0.6 + shift + (hi - lo) / 4 * (latent + rng.normal(0, 0.8, n))), lo, hi)

    def rescaled(raw: np.ndarray, lo: float, hi: float, reverse: bool = False) -> np.ndarray:
        # what prepare does (docs/methods.md#rescaling): reverse-worded x → lo + hi − x, then (x − lo)/(hi − lo)·100
        return ((lo + hi - raw if reverse else raw) - lo) / (hi - lo) * 100.0

    columns = {
        "speed": rescaled(rating(0.2), 1, 5),
        "rude": rescaled(6 - rating(-0.3), 1, 5, reverse=True),  # raw answers run the other way
        "clear": rescaled(rating(0.0), 1, 5),
        "fee": rescaled(rating(-0.5), 1, 5),
        "value": rescaled(rating(-0.2), 1, 5),
        "rare": rescaled(rating(0.4), 1, 5),
        "sat": rescaled(rating(0.3, 1, 10), 1, 10),
        "again": rescaled(rating(0.1), 1, 5),
        "rec": rescaled(rating(0.5, 0, 10), 0, 10),
    }
    x = np.column_stack([columns[i.id] for i in model.all_items])
    missing = rng.random(x.shape) < np.array([0.08, 0.1, 0.08, 0.12, 0.08, 1 - rare, 0.05, 0.07, 0.1])
    x[missing] = np.nan
    weights = rng.uniform(0.5, 2.0, n)
    dept = rng.choice(np.array(["一部", "二部", "三部"], dtype=object), size=n, p=[0.5, 0.35, 0.15])
    dept[rng.choice(n, 3, replace=False)] = "稽核部"  # 3 respondents: suppressed
    kind = rng.choice(np.array(["小规模纳税人", "一般纳税人"], dtype=object), size=n, p=[0.6, 0.4])
    kind[rng.choice(n, 4, replace=False)] = "(missing)"  # 4 respondents: suppressed
    ids = tuple(i.id for i in model.all_items)
    cols = tuple(i.column or i.id for i in model.all_items)
    r = Responses(x, ids, cols, np.arange(2, n + 2), DataQuality(n, n, {}, {}), weights, {"部门": dept, "客户类型": kind})
    return model, r


# ---------------------------------------------------------------- the reference


@dataclass
class Scores:
    nodes: dict[str, float]  # every index item and group, the root as "overall"
    n: dict[str, int]


class Reference:
    """Plain loops over the model tree; ``rows`` are respondent indices, repeats allowed."""

    def __init__(self, model: Model, responses: Responses) -> None:
        self.model = model
        self.x = responses.values
        self.w = responses.weights if responses.weights is not None else np.ones(responses.n)
        self.k = len(model.items)
        self.col = {item.id: j for j, item in enumerate(model.items)}
        self.raw = group_weights(model, responses)  # the weights are an input, not under test

    def item_means(self, rows: np.ndarray) -> np.ndarray:
        out = np.full(self.k, np.nan)
        for j in range(self.k):
            v, ww = self.x[rows, j], self.w[rows]
            ok = ~np.isnan(v)
            if ww[ok].sum() > 0:
                out[j] = np.sum(ww[ok] * v[ok]) / np.sum(ww[ok])
        return out

    def tree(self, items: np.ndarray, available: np.ndarray) -> dict[str, float]:
        """Group score = Σ ω_c S_c over the children with data in the set (weights renormalised
        among them); ``available`` is fixed by the set's full data, so an indicator missing from
        a replicate makes its groups NaN rather than changing the weights."""
        scores: dict[str, float] = {}

        def visit(node: Group | Item) -> bool:
            if isinstance(node, Item):
                j = self.col[node.id]
                scores[node.id] = items[j]
                return bool(available[j])
            live = [visit(c) for c in node.children]
            raw = self.raw[node.id].weights
            total = sum(r for r, ok in zip(raw, live, strict=True) if ok)
            scores[node.id] = sum(r / total * scores[c.id] for c, r, ok in zip(node.children, raw, live, strict=True) if ok)
            return any(live)

        visit(self.model.root)
        return scores

    def point(self, rows: np.ndarray) -> tuple[Scores, np.ndarray, np.ndarray]:
        items = self.item_means(rows)
        available = ~np.isnan(items)
        answered = ~np.isnan(self.x[rows, :self.k])
        n = {item.id: int(answered[:, j].sum()) for j, item in enumerate(self.model.items)}
        for g in self.model.groups:
            under = [self.col[i.id] for i in walk(g) if isinstance(i, Item)]
            n[g.id] = int(answered[:, under].any(axis=1).sum())
        n["any"] = int(answered.any(axis=1).sum())
        return Scores(self.tree(items, available), n), items, available

    def replicate(self, rows: np.ndarray, available: np.ndarray, fill: np.ndarray | None) -> dict[str, float]:
        items = self.item_means(rows)
        if fill is not None:  # the whole sample: a replicate without answers to j keeps j's score
            items = np.where(np.isnan(items), fill, items)
        return self.tree(items, available)

    def outcome(self, rows: np.ndarray) -> float:
        """Equal-weight mean of the two outcome items' weighted means."""
        scores = []
        for j in (self.k, self.k + 1):
            v, ww = self.x[rows, j], self.w[rows]
            ok = ~np.isnan(v)
            scores.append(np.sum(ww[ok] * v[ok]) / np.sum(ww[ok]))
        return float(np.mean(scores))

    def nps(self, rows: np.ndarray) -> float:
        v, ww = self.x[rows, -1], self.w[rows]
        a = ~np.isnan(v)
        return 100.0 * (np.sum(ww[a & (v >= 90)]) - np.sum(ww[a & (v <= 60)])) / np.sum(ww[a])


@dataclass
class RefRun:
    whole: Scores
    whole_reps: dict[str, np.ndarray]
    outcome: float
    outcome_reps: np.ndarray
    nps: float
    nps_reps: np.ndarray
    cells: dict[tuple[str, str], Scores]  # (breakdown, value) → the cell's scores
    cell_reps: dict[tuple[str, str], dict[str, np.ndarray]]
    rest: dict[tuple[str, str], Scores]
    rest_reps: dict[tuple[str, str], np.ndarray]


def reference_run(model: Model, responses: Responses, replicates: int, seed: int, within: bool = False, min_group: int = 5) -> RefRun:
    """The reference bootstrap. Replicate b draws ``rng.integers(0, n, size=n)``; a cell's
    replicate is the drawn respondents who belong to it (``within``: its own n_g respondents
    drawn with replacement from the cell, after the whole sample's draw), the rest's those who
    do not."""
    ref = Reference(model, responses)
    n = responses.n
    everyone = np.arange(n)
    whole, items, available = ref.point(everyone)
    cells, rest, masks, avail = {}, {}, {}, {}
    for by, values in responses.segments.items():
        for value in sorted(set(values.tolist())):
            mask = values == value
            if mask.sum() < min_group:
                continue
            key = (by, value)
            masks[key] = mask
            cells[key], _, avail[key] = ref.point(np.flatnonzero(mask))
            rest[key], _, avail[key + ("rest",)] = ref.point(np.flatnonzero(~mask))
    ids = list(whole.nodes)
    whole_reps = {i: np.empty(replicates) for i in ids}
    cell_reps = {key: {i: np.empty(replicates) for i in ids} for key in cells}
    rest_reps = {key: np.empty(replicates) for key in cells}
    outcome_reps, nps_reps = np.empty(replicates), np.empty(replicates)
    rng = np.random.default_rng(seed)
    for b in range(replicates):
        drawn = rng.integers(0, n, size=n)
        s = ref.replicate(drawn, available, fill=items)
        for i in ids:
            whole_reps[i][b] = s[i]
        outcome_reps[b], nps_reps[b] = ref.outcome(drawn), ref.nps(drawn)
        for key, mask in masks.items():
            if within:
                own = np.flatnonzero(mask)
                rows = own[rng.integers(0, own.size, size=own.size)]
            else:
                rows = drawn[mask[drawn]]
            s = ref.replicate(rows, avail[key], fill=None)
            for i in ids:
                cell_reps[key][i][b] = s[i]
            rest_reps[key][b] = ref.replicate(drawn[~mask[drawn]], avail[key + ("rest",)], fill=None)["overall"]
    return RefRun(whole, whole_reps, ref.outcome(everyone), outcome_reps, ref.nps(everyone), nps_reps, cells, cell_reps, rest,
                  rest_reps)


def se_ci(reps: np.ndarray) -> tuple[float, float, float]:
    with np.errstate(invalid="ignore"):
        lo, hi = np.nanquantile(reps, [0.025, 0.975])
        return float(np.nanstd(reps, ddof=1)), float(lo), float(hi)


# ---------------------------------------------------------------- comparisons


def engine_estimates(result) -> dict[tuple, object]:
    """Every estimate of a result by key: ("node", id), ("outcome",), ("nps",),
    ("cell", by, value, id) with the cell's overall as id "overall", ("rest", by, value)."""
    out: dict[tuple, object] = {("node", n.id): n.estimate for n in result.nodes}
    out[("node", "overall")] = result.overall
    out[("outcome",)] = result.outcome
    out[("nps",)] = result.nps
    for seg in result.segments:
        for g in seg.groups:
            out[("cell", seg.by, g.value, "overall")] = g.overall
            for i, e in g.nodes:
                out[("cell", seg.by, g.value, i)] = e
            out[("rest", seg.by, g.value)] = g.vs_rest
    return out


def reference_estimates(run: RefRun) -> dict[tuple, tuple[float, np.ndarray]]:
    """(point estimate, replicates) of the reference by the keys of :func:`engine_estimates`."""
    out: dict[tuple, tuple[float, np.ndarray]] = {("node", i): (v, run.whole_reps[i]) for i, v in run.whole.nodes.items()}
    out[("outcome",)] = (run.outcome, run.outcome_reps)
    out[("nps",)] = (run.nps, run.nps_reps)
    for (by, value), cell in run.cells.items():
        for i, v in cell.nodes.items():
            out[("cell", by, value, i)] = (v, run.cell_reps[(by, value)][i])
        out[("rest", by, value)] = (run.rest[(by, value)].nodes["overall"], run.rest_reps[(by, value)])
    return out


def unpack(e: object) -> tuple[float, float, float, float]:
    """score, se, ci low, ci high of an Estimate, the NPS dict or a vs_rest dict (rest: no SE
    or interval of its own in the result; the test's SE gives se_rest² = se² − se_cell²)."""
    if isinstance(e, dict) and "rest_score" in e:
        return e["rest_score"], float("nan"), float("nan"), float("nan")
    if isinstance(e, dict):
        return e["score"], e["se"], e["ci"][0], e["ci"][1]
    return e.score, e.se, e.ci[0], e.ci[1]


def compare_points(result, run: RefRun) -> int:
    eng, ref = engine_estimates(result), reference_estimates(run)
    assert set(eng) == set(ref)
    for key, (value, _) in ref.items():
        assert unpack(eng[key])[0] == pytest.approx(value, abs=1e-9), key
    return len(ref)


def compare_bootstrap(result, run: RefRun, exact: bool) -> None:
    """SEs and interval ends: equal to 1e-9 (``exact``: the same draws) or within the
    Monte-Carlo tolerances of the module docstring."""
    eng, ref = engine_estimates(result), reference_estimates(run)
    for key, (_, reps) in ref.items():
        se, lo, hi = se_ci(reps)
        if key[0] == "rest":
            cell = eng[("cell", key[1], key[2], "overall")]
            got_se = float(np.sqrt(eng[key]["se"] ** 2 - cell.se**2))
            assert got_se == pytest.approx(se, rel=1e-6 if exact else SE_REL), key
            continue
        _, got_se, got_lo, got_hi = unpack(eng[key])
        if exact:
            assert (got_se, got_lo, got_hi) == pytest.approx((se, lo, hi), abs=1e-9), key
        else:
            assert got_se == pytest.approx(se, rel=SE_REL), key
            assert (got_lo, got_hi) == pytest.approx((lo, hi), abs=CI_SE * se), key


def floats(doc: object):
    """Every float in a JSON-like document."""
    if isinstance(doc, dict):
        for v in doc.values():
            yield from floats(v)
    elif isinstance(doc, list):
        for v in doc:
            yield from floats(v)
    elif isinstance(doc, float):
        yield doc


@pytest.fixture(scope="module")
def small():
    return survey(700, seed=3, rare=0.04)


@pytest.fixture(scope="module")
def small_reference(small):
    return reference_run(*small, replicates=B, seed=2)


def test_point_estimates_equal_the_reference(small, small_reference):
    """Items, groups, the index, outcome, NPS, every shown segment's nodes and each rest: the
    same numbers as the loops, to 1e-9; the n of every node too."""
    model, r = small
    result = score(model, r, ScoreOptions(bootstrap=50, seed=1))
    assert compare_points(result, small_reference) > 60
    run = small_reference
    for node in result.nodes:
        assert node.n == run.whole.n[node.id]
    assert result.overall.n == run.whole.n["overall"]
    for seg in result.segments:
        for g in seg.groups:
            cell = run.cells[(seg.by, g.value)]
            assert g.n == int((r.segments[seg.by] == g.value).sum())
            assert g.overall.n == cell.n["overall"]
            assert all(e.n == cell.n[i] for i, e in g.nodes)
            assert g.vs_rest["rest_n"] == run.rest[(seg.by, g.value)].n["any"]


def test_multinomial_bootstrap_is_the_reference_bootstrap(small, small_reference):
    """Below MULTINOMIAL_MAX_N the engine draws exactly the reference's respondents
    (``rng.integers(0, n, size=n)`` per replicate, same seed), so every SE and interval end —
    whole sample, segment cells by filtering the draws, and rests — is the same to 1e-9."""
    model, r = small
    result = score(model, r, ScoreOptions(bootstrap=B, seed=2))
    assert result.data_quality["bootstrap"]["kind"] == "multinomial"
    compare_bootstrap(result, small_reference, exact=True)


def test_multinomial_bootstrap_within_monte_carlo_error_of_an_independent_reference(small, small_reference):
    model, r = small
    result = score(model, r, ScoreOptions(bootstrap=B, seed=1))
    compare_bootstrap(result, small_reference, exact=False)


def test_segment_ses_match_resampling_within_each_cell(small):
    """The engine's cell SEs come from the whole sample's draws (a cell's size varies between
    replicates); the classic alternative resamples each cell's own n_g respondents. For means
    and ratios the two agree to first order, so within Monte-Carlo error."""
    model, r = small
    run = reference_run(model, r, replicates=B, seed=5, within=True)
    result = score(model, r, ScoreOptions(bootstrap=B, seed=1))
    eng = engine_estimates(result)
    compared = 0
    for (by, value), reps in run.cell_reps.items():
        for i, rep in reps.items():
            se, lo, hi = se_ci(rep)
            got = eng[("cell", by, value, i)]
            assert got.se == pytest.approx(se, rel=SE_REL), (by, value, i)
            compared += 1
    assert compared > 30


def test_a_suppressed_cell_appears_nowhere(small):
    model, r = small
    result = score(model, r, ScoreOptions(bootstrap=200, seed=1))
    segs = {s.by: s for s in result.segments}
    assert [g.value for g in segs["部门"].groups if g.value == "稽核部"] == []
    assert segs["部门"].suppressed == 1 and segs["客户类型"].suppressed == 1
    assert "(missing)" not in [g.value for g in segs["客户类型"].groups]
    ref = Reference(model, r)
    hidden = [ref.point(np.flatnonzero(r.segments["部门"] == "稽核部"))[0],
              ref.point(np.flatnonzero(r.segments["客户类型"] == "(missing)"))[0]]
    doc = result.to_dict()
    assert "稽核部" not in json.dumps(doc, ensure_ascii=False)
    numbers = np.array(list(floats(doc)))
    for cell in hidden:
        for v in cell.nodes.values():
            if np.isfinite(v) and v not in (0.0, 100.0):
                assert not np.isclose(numbers, v, rtol=0, atol=1e-9).any()
    # the suppressed respondents still count in the rests
    one = next(g for g in segs["部门"].groups if g.value == "一部")
    assert one.vs_rest["rest_n"] == Reference(model, r).point(np.flatnonzero(r.segments["部门"] != "一部"))[0].n["any"]


@pytest.fixture(scope="module")
def large():
    return survey(3000, seed=7, rare=0.3)


@pytest.fixture(scope="module")
def large_reference(large):
    return reference_run(*large, replicates=B, seed=9)


@pytest.mark.parametrize("joint_max", [4096, 1], ids=["breakdowns crossed", "second breakdown sorted per chunk"])
def test_gaussian_bootstrap_within_monte_carlo_error_of_the_reference(large, large_reference, monkeypatch, joint_max):
    """MULTINOMIAL_MAX_N lowered so 3 000 respondents take the Gaussian multiplier path, and
    CELL_RESAMPLE_MAX_N lowered so the cells (≥ 400 respondents) are drawn from their own
    normal approximations too: point estimates as the reference, SEs and intervals within
    Monte-Carlo error of the reference's multinomial bootstrap. The pass visits the cells of
    部门 × 客户类型 in order, or (a breakdown with too many cells to cross) those of 部门 and
    sorts 客户类型 chunk by chunk."""
    model, r = large
    monkeypatch.setattr(bs, "MULTINOMIAL_MAX_N", 1000)
    monkeypatch.setattr(bs, "CELL_RESAMPLE_MAX_N", 100)
    monkeypatch.setattr(bs, "_JOINT_MAX", joint_max)
    parts = [Partition(codes, len(values), np.ones(len(values), bool))
             for codes, values in (pd.factorize(np.asarray(r.segments[k])) for k in ("部门", "客户类型"))]
    assert bs._joint_cells(parts)[0] == (2 if joint_max > 1 else 1)
    result = score(model, r, ScoreOptions(bootstrap=B, seed=1))
    assert result.data_quality["bootstrap"]["kind"] == "gaussian"
    assert result.data_quality["bootstrap"]["gaussian_above"] == 1000
    compare_points(result, large_reference)
    compare_bootstrap(result, large_reference, exact=False)


def test_gaussian_bootstrap_resamples_small_cells_within_themselves(large, monkeypatch):
    """Under the Gaussian path a cell of at most CELL_RESAMPLE_MAX_N respondents is resampled
    within itself: the cells here (400–1 500) against the reference's within-cell bootstrap."""
    model, r = large
    monkeypatch.setattr(bs, "MULTINOMIAL_MAX_N", 1000)
    run = reference_run(model, r, replicates=B, seed=4, within=True)
    result = score(model, r, ScoreOptions(bootstrap=B, seed=1))
    eng = engine_estimates(result)
    for (by, value), reps in run.cell_reps.items():
        for i, rep in reps.items():
            se, lo, hi = se_ci(rep)
            got = eng[("cell", by, value, i)]
            assert got.se == pytest.approx(se, rel=SE_REL), (by, value, i)
            assert got.ci == pytest.approx((lo, hi), abs=CI_SE * se), (by, value, i)


@pytest.mark.parametrize("gaussian", [False, True])
def test_same_seed_same_result_other_seed_other_intervals(small, monkeypatch, gaussian):
    model, r = small
    if gaussian:
        monkeypatch.setattr(bs, "MULTINOMIAL_MAX_N", 100)
        monkeypatch.setattr(bs, "CELL_RESAMPLE_MAX_N", 100)
    one = score(model, r, ScoreOptions(bootstrap=300, seed=11)).to_dict()
    two = score(model, r, ScoreOptions(bootstrap=300, seed=11)).to_dict()
    three = score(model, r, ScoreOptions(bootstrap=300, seed=12)).to_dict()
    assert one == two
    assert one["overall"]["ci"] != three["overall"]["ci"]
    assert one["overall"]["score"] == three["overall"]["score"]
    cells = [(g["overall"]["ci"], h["overall"]["ci"]) for s, t in zip(one["segments"], three["segments"], strict=True)
             for g, h in zip(s["groups"], t["groups"], strict=True)]
    assert cells and all(a != b for a, b in cells)
