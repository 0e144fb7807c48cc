"""Comparing periods: hand-worked tests, Holm and trend against references, benchmarks,
segments, the report renderings, and the ``csi compare`` command (golden on the two example quarters)."""

from __future__ import annotations

import copy
import json
import math

import pytest
from conftest import EXAMPLES, ROOT, check_golden, check_golden_json

from csi.compare import (
    Benchmark,
    BenchmarkScore,
    Comparison,
    compare_results,
    wls_trend,
    z_test,
)
from csi.errors import DataError, InputError
from csi.result import Result

# ---------------------------------------------------------------- building results by hand


def node(nid, score, se, parent=None, kind="item", n=100, gw=0.25, target=80.0, method="fixed"):
    d = {"id": nid, "name": nid.upper(), "parent": parent, "kind": kind, "weight": 0.5, "global_weight": gw,
         "score": score, "se": se, "ci": [score - 2 * se, score + 2 * se], "n": n}
    if kind == "group":
        d["method"] = method
    else:
        d["target"] = target
    return d


def result(overall, nodes, weak=(), segments=(), sha="a" * 64, used=100, name="hand"):
    s, se = overall
    return Result.from_dict({
        "schema": "csi.result/1",
        "manifest": {"model": {"name": name, "sha256": sha}},
        "respondents": {"used": used},
        "overall": {"score": s, "se": se, "ci": [s - 2 * se, s + 2 * se], "n": used},
        "nodes": list(nodes),
        "weak_points": [{"rank": i + 1, "id": w, "name": w.upper(), "score": 0.0, "importance": 0.1, "target": 80,
                         "loss": 0.0, "quadrant": "concentrate_here", "low_share": 0.1, "stability": 1.0}
                        for i, w in enumerate(weak)],
        "segments": list(segments),
    })


# The worked two-period case. Global weights q1 .3, q2 .2, e1 .5; targets 80 (e1: 90).
# Losses P1: q1 .3·20 = 6, q2 .2·10 = 2, e1 0 → top 2 [q1, q2];
#        P2: q1 .3·14 = 4.2, q2 .2·9.5 = 1.9, e1 .5·6 = 3 → top 2 [q1, e1].
P1 = result((77.0, 0.6), [node("q", 80.0, 1.2, kind="group"), node("q1", 60.0, 1.5, "q", gw=0.3),
                          node("q2", 70.0, 0.3, "q", gw=0.2), node("e", 85.0, 0.9, kind="group", method="ahp"),
                          node("e1", 90.0, 1.8, "e", gw=0.5, target=90.0)], weak=("q1", "q2"))
P2 = result((75.0, 0.8), [node("q", 83.0, 1.6, kind="group"), node("q1", 66.0, 2.0, "q", gw=0.3),
                          node("q2", 70.5, 0.4, "q", gw=0.2), node("e", 80.0, 1.2, kind="group", method="ahp"),
                          node("e1", 84.0, 2.4, "e", gw=0.5, target=90.0)], weak=("q1", "e1"))

# tests/reference/scripts/compare_statsmodels.py (scipy 1.17.1 norm.sf; statsmodels 0.15.0 multipletests "holm")
REF_P = {"overall": 0.04550026389635839, "q": 0.13361440253771614, "q1": 0.016395071849192262, "q2": 0.31731050786291415,
         "e": 0.0008581206663936744, "e1": 0.04550026389635839}
REF_HOLM = {"overall": 0.18200105558543356, "q": 0.2672288050754323, "q1": 0.0819753592459613, "q2": 0.31731050786291415,
            "e": 0.005148723998362047, "e1": 0.18200105558543356}


def test_two_periods_by_hand():
    """z and p worked on paper (se's chosen as Pythagorean pairs so se(Δ) is exact).

    overall: 77 ± 0.6 → 75 ± 0.8: Δ = −2, se(Δ) = √(0.36 + 0.64) = 1, z = −2,
             p = 2Φ(−2) = 2 · 0.0227501319 = 0.0455002639 (normal table)
    q:       80 ± 1.2 → 83 ± 1.6: Δ = 3, se = √(1.44 + 2.56) = 2, z = 1.5, p = 2 · 0.0668072013 = 0.1336144025
    q1:      60 ± 1.5 → 66 ± 2.0: Δ = 6, se = 2.5, z = 2.4, p = 2 · 0.0081975359 = 0.0163950718
    q2:      70 ± 0.3 → 70.5 ± 0.4: Δ = 0.5, se = 0.5, z = 1, p = 2 · 0.1586552539 = 0.3173105079
    e:       85 ± 0.9 → 80 ± 1.2: Δ = −5, se = 1.5, z = −10/3, p = 2 · 0.0004290603 = 0.0008581207
    e1:      90 ± 1.8 → 84 ± 2.4: Δ = −6, se = 3, z = −2, p = 0.0455002639
    """
    c = compare_results([P1, P2], ["Q2", "Q3"], ["q2.json", "q3.json"])
    hand = {"overall": (-2.0, 1.0, -2.0, 0.0455002639), "q": (3.0, 2.0, 1.5, 0.1336144025),
            "q1": (6.0, 2.5, 2.4, 0.0163950718), "q2": (0.5, 0.5, 1.0, 0.3173105079),
            "e": (-5.0, 1.5, -10 / 3, 0.0008581207), "e1": (-6.0, 3.0, -2.0, 0.0455002639)}
    for nid, (d, se, z, p) in hand.items():
        nc = c.node(nid)
        assert nc.delta == pytest.approx(d, abs=1e-12)
        assert nc.delta_first == pytest.approx(d, abs=1e-12)
        assert nc.se_delta == pytest.approx(se, abs=1e-12)
        assert nc.z == pytest.approx(z, abs=1e-12)
        assert nc.p == pytest.approx(p, abs=1e-10)
        assert nc.p == pytest.approx(REF_P[nid], abs=1e-12)
        assert nc.trend is None
        lo, hi = nc.delta_ci
        assert (lo + hi) / 2 == pytest.approx(d) and (hi - lo) / 2 == pytest.approx(1.959963984540054 * se)
    assert [n.id for n in c.nodes] == ["q", "q1", "q2", "e", "e1"]
    assert c.overall.scores == (77.0, 75.0) and c.overall.deltas[1] == pytest.approx(-2.0)
    assert math.isnan(c.overall.deltas[0])
    assert [p.label for p in c.periods] == ["Q2", "Q3"] and c.periods[0].n == 100


def test_holm_against_statsmodels():
    """Holm over the six tests of the comparison = statsmodels multipletests (REFERENCES.md)."""
    c = compare_results([P1, P2], ["Q2", "Q3"])
    for nid, expected in REF_HOLM.items():
        assert c.node(nid).p_adj == pytest.approx(expected, abs=1e-12)
    # the overall drop has raw p 0.046 < 0.05 but is not significant after Holm over six tests
    verdicts = {nid: c.node(nid).verdict for nid in REF_HOLM}
    assert verdicts == {"overall": "no_change", "q": "no_change", "q1": "no_change", "q2": "no_change", "e": "down",
                        "e1": "no_change"}
    # a looser alpha turns q1 (0.082) up as well
    assert compare_results([P1, P2], alpha=0.1).node("q1").verdict == "up"


# tests/reference/scripts/compare_statsmodels.py: statsmodels WLS fixed scale = numpy polyfit cov="unscaled"
REF_TRENDS = {
    "four": ([70.0, 72.0, 71.0, 75.0], [1.0, 2.0, 1.0, 2.0],
             (1.0172413793103559, 0.5872202195147035, -0.13368910193216754, 2.1681718605528792, 0.08322022469956489,
              2.2241379310344795)),
    "three": ([77.563, 75.621, 74.2], [0.528, 0.613, 0.7],
              (-1.7057188198216515, 0.4327664321447729, -2.5539254405433036, -0.8575121990999995, 8.099710116097062e-05,
               0.11947963342812468)),
    "five": ([62.1, 70.7, 71.5, 73.9, 73.0], [0.83, 0.85, 1.1, 0.9, 1.4],
             (2.9630289241858705, 0.3210483693556658, 2.3337856829534527, 3.5922721654182883, 2.725868331061372e-20,
              29.752303194458847)),
}


@pytest.mark.parametrize("case", sorted(REF_TRENDS))
def test_trend_against_weighted_least_squares(case):
    y, se, (slope, se_b, lo, hi, p, chi2) = REF_TRENDS[case]
    tr = wls_trend(range(len(y)), y, se)
    assert tr is not None
    assert tr.slope == pytest.approx(slope, abs=1e-9)
    assert tr.se == pytest.approx(se_b, abs=1e-12)
    assert tr.ci == pytest.approx((lo, hi), abs=1e-9)
    assert tr.p == pytest.approx(p, rel=1e-6, abs=1e-15)
    assert tr.chi2 == pytest.approx(chi2, abs=1e-9)
    assert tr.periods == len(y) and tr.df == len(y) - 2


def test_trend_worked_case_and_numpy():
    """The four-period case of wls_trend's docstring, by hand and with numpy's weighted least squares."""
    import numpy as np

    y, se = np.array([70.0, 72.0, 71.0, 75.0]), np.array([1.0, 2.0, 1.0, 2.0])
    tr = wls_trend([0, 1, 2, 3], y, se)
    assert tr.slope == pytest.approx(2.95 / 2.9, abs=1e-12)
    assert tr.se == pytest.approx(1 / math.sqrt(2.9), abs=1e-12)
    # numpy: solve the weighted normal equations (XᵀWX) β = XᵀWy and invert XᵀWX
    x = np.column_stack([np.ones(4), np.arange(4.0)])
    w = np.diag(1 / se**2)
    beta = np.linalg.solve(x.T @ w @ x, x.T @ w @ y)
    cov = np.linalg.inv(x.T @ w @ x)
    assert tr.slope == pytest.approx(beta[1], abs=1e-12)
    assert tr.se == pytest.approx(math.sqrt(cov[1, 1]), abs=1e-12)
    # too few usable periods: no trend
    assert wls_trend([0, 1, 2], [70, 71, 72], [1, float("nan"), 1]) is None
    assert wls_trend([0, 1], [70, 71], [1, 1]) is None


def test_trend_in_comparison_with_three_or_more_periods():
    y, se = [70.0, 72.0, 71.0, 75.0], [1.0, 2.0, 1.0, 2.0]
    rs = [result((y[i], se[i]), [node("a", y[i], se[i]), node("b", 50.0, math.nan if i == 1 else 1.0)]) for i in range(4)]
    c = compare_results(rs, ["P1", "P2", "P3", "P4"])
    ref = REF_TRENDS["four"][2]
    assert c.overall.trend.slope == pytest.approx(ref[0], abs=1e-9)
    assert c.node("a").trend.p == pytest.approx(ref[4], abs=1e-12)
    assert c.overall.delta == pytest.approx(4.0) and c.overall.delta_first == pytest.approx(5.0)
    b = c.node("b")  # no standard error in P2: trend over the three periods that have one, flat
    assert b.trend.periods == 3 and b.trend.slope == pytest.approx(0.0, abs=1e-12)
    d = c.to_dict()
    assert d["nodes"][1]["se"] == [1.0, None, 1.0, 1.0]
    assert d["nodes"][1]["trend"]["periods"] == 3
    # with two periods the trend is null
    assert compare_results(rs[:2]).to_dict()["overall"]["trend"] is None


def test_z_test_edge_cases():
    assert z_test(70.0, 0.0, 70.0, 0.0)[2:] == pytest.approx((math.nan, math.nan), nan_ok=True)
    d, se, z, p = z_test(70.0, 1.0, 70.0, 1.0)
    assert (d, z, p) == (0.0, 0.0, 1.0)
    # z = 12 far in the tail: not rounded to 0 as 1 − Φ(12) would be (scipy: 2·norm.sf(12) = 3.552964224155e-33)
    assert z_test(70, 3, 130, 4)[3] == pytest.approx(3.552964224155e-33, rel=1e-9)


def test_different_models_are_refused_naming_what_differs():
    """Q2 has g = {x, old} weighted fixed, Q3 g = {new, x} weighted by entropy: nodes added and
    removed, g's members and method changed. Refused, each difference named."""
    a = result((70.0, 1.0), [node("g", 70, 1, kind="group"), node("x", 60, 1, "g"), node("old", 80, 1, "g")], sha="a" * 64)
    b = result((72.0, 1.0), [node("g", 50, 1, kind="group", method="entropy"), node("new", 75, 1, "g"), node("x", 64, 1, "g")],
               sha="b" * 64)
    with pytest.raises(DataError) as e:
        compare_results([a, b], ["Q2", "Q3"], ["q2.json", "q3.json"], fail_on_drop=1.0, fail_on_drop_any=True)
    assert set(e.value.codes) == {"model-changed"} and e.value.issues[0].file == "q3.json"
    msg = e.value.message
    assert "nodes not in every period: old (only in Q2), new (only in Q3)" in msg
    assert "bindings changed from Q2 to Q3: g" in msg and "--allow-model-change" in msg
    assert "no recorded model structure" in msg  # results by hand have no manifest.structure: compared on what the JSON shows


def test_allow_model_change_compares_only_matched_nodes():
    """The same two periods with --allow-model-change: only x (in both, same parent, type and
    column) is compared; g (members and method changed), old, new and the index are listed as
    not comparable. g falls 20 points, but it is not a change in satisfaction: no alert, and
    --fail-on-drop-any does not fire."""
    a = result((70.0, 1.0), [node("g", 70, 1, kind="group"), node("x", 60, 1, "g"), node("old", 80, 1, "g")], sha="a" * 64)
    b = result((72.0, 1.0), [node("g", 50, 1, kind="group", method="entropy"), node("new", 75, 1, "g"), node("x", 64, 1, "g")],
               sha="b" * 64)
    c = compare_results([a, b], ["Q2", "Q3"], fail_on_drop=1.0, fail_on_drop_any=True, allow_model_change=True)
    assert [n.id for n in c.nodes] == ["x"]
    assert c.model_change.not_comparable == (("old", "OLD", "only in Q2"), ("new", "NEW", "only in Q3"),
                                             ("g", "G", "bindings changed"), ("overall", "hand", "a member changed"))
    o = c.overall  # shown with its scores, never tested
    assert o.scores == (70.0, 72.0) and math.isnan(o.delta) and o.verdict is None and o.trend is None
    x = c.node("x")  # alone in the Holm family: 60 ± 1 → 64 ± 1, z = 4/√2
    assert x.p == pytest.approx(math.erfc(4 / math.sqrt(2) / math.sqrt(2)), abs=1e-15) and x.p_adj == pytest.approx(x.p)
    assert not c.check.failed and c.alerts == ()
    assert any("different model file" in w for w in c.warnings)
    d = c.to_dict()
    assert d["model_change"]["not_comparable"][2] == {"id": "g", "name": "G", "reason": "bindings changed"}
    assert Comparison.from_dict(json.loads(json.dumps(d))).to_dict() == d
    assert "model_change" not in compare_results([P1, P2]).to_dict()  # only when periods that differ were compared


def test_different_scoring_options_are_refused():
    def scored(options):
        r = copy.deepcopy(P1)
        return Result(r.overall, r.nodes, r.weak_points, r.respondents, {"options": options})

    base = {"method": "fixed", "weight_column": None, "population": None, "target": None, "outcome_weights": "equal"}
    a, b = scored(base), scored({**base, "weight_column": "权重", "target": 85.0})
    with pytest.raises(DataError) as e:
        compare_results([a, b], ["Q2", "Q3"])
    assert [str(i).split(" — ")[1] for i in e.value.issues[:2]] == ["weight column: none in Q2, 权重 in Q3",
                                                                   "target: none in Q2, 85.0 in Q3"]
    c = compare_results([a, b], ["Q2", "Q3"], allow_model_change=True)
    assert c.model_change.differences[:2] == ("weight column: none in Q2, 权重 in Q3", "target: none in Q2, 85.0 in Q3")
    assert c.model_change.not_comparable == () and len(c.nodes) == 5 and c.overall.verdict is not None
    assert compare_results([a, scored(base)]).model_change is None


def test_no_standard_errors():
    a = result((70.0, float("nan")), [node("x", 60, float("nan"))])
    b = result((72.0, float("nan")), [node("x", 64, float("nan"))])
    c = compare_results([a, b])
    assert c.overall.delta == 2.0 and c.overall.verdict is None and math.isnan(c.overall.p)
    assert any("no standard errors" in w for w in c.warnings)
    assert c.to_dict()["overall"]["se"] == [None, None]


def test_weak_points_across_periods():
    c = compare_results([P1, P2], ["Q2", "Q3"])
    got = [(w.id, w.status, w.ranks, pytest.approx(w.losses), pytest.approx(w.delta_loss)) for w in c.weak_points]
    assert got == [("q1", "stayed", (1, 1), (6.0, 4.2), -1.8), ("e1", "entered", (None, 2), (0.0, 3.0), 3.0),
                   ("q2", "left", (2, None), (2.0, 1.9), -0.1)]


def test_fail_on_drop_and_alerts():
    c = compare_results([P1, P2], fail_on_drop=2)
    assert not c.check.failed and c.check.scope == "overall"  # overall −2 but not Holm-significant
    assert [(a.code, a.node) for a in c.alerts] == [("significant-drop", "e")]
    c = compare_results([P1, P2], ["Q2", "Q3"], fail_on_drop=2, fail_on_drop_any=True)
    assert c.check.failed and c.check.nodes == ("e",)
    assert [(a.code, a.node) for a in c.alerts] == [("significant-drop", "e"), ("fail-on-drop", "e")]
    assert c.alerts[0].message == "E (e) fell 5.00 points from 85.00 (Q2) to 80.00 (Q3), Holm-adjusted p = 0.00515"
    assert not compare_results([P1, P2], fail_on_drop=6, fail_on_drop_any=True).check.failed
    # items never raise alerts (e1's drop is not significant here anyway) and no check without the option
    assert compare_results([P1, P2]).check is None


def test_benchmark_gaps():
    """overall 75 ± 0.8 against 76 ± 0.6: gap −1, se 1, z −1, p 0.3173;
    e 80 ± 1.2 against 85 ± 0.5: gap −5, se 1.3, z −3.846, p 0.00012; q has no se: gap only.
    Holm over the two tests: e 2p = 0.00024 → below; overall 0.3173 → no difference."""
    bench = Benchmark("行业平均", (BenchmarkScore("overall", 76.0, 0.6), BenchmarkScore("q", 80.0),
                                   BenchmarkScore("e", 85.0, 0.5), BenchmarkScore("zz", 50.0)), "industry.yaml")
    c = compare_results([P1, P2], benchmark=bench)
    o, e, q = c.overall.benchmark, c.node("e").benchmark, c.node("q").benchmark
    assert (o.gap, o.se_gap, o.z) == pytest.approx((-1.0, 1.0, -1.0))
    assert o.p == pytest.approx(0.31731050786291415, abs=1e-12) and o.p_adj == pytest.approx(o.p) and o.verdict == "no_difference"
    assert e.gap == pytest.approx(-5.0) and e.se_gap == pytest.approx(1.3) and e.z == pytest.approx(-5 / 1.3)
    assert e.p_adj == pytest.approx(2 * e.p) and e.verdict == "below"
    assert q.gap == pytest.approx(3.0) and q.se is None and math.isnan(q.p) and q.verdict is None
    assert c.node("q1").benchmark is None
    assert any("zz" in w for w in c.warnings)
    d = c.to_dict()
    assert d["benchmark"] == {"label": "行业平均", "source": "industry.yaml"}
    assert d["nodes"][0]["benchmark"]["p"] is None


def _seg(by, groups, suppressed=0):
    return {"by": by, "min_group": 5, "suppressed": suppressed,
            "groups": [{"value": v, "n": n, "overall": {"score": s, "se": se, "ci": [0, 100], "n": n},
                        "nodes": [{"id": nid, "score": ns, "se": nse, "ci": [0, 100], "n": n} for nid, ns, nse in nodes]}
                       for v, n, s, se, nodes in groups]}


def test_segments():
    nodes = [node("g", 70, 1, kind="group"), node("x", 70, 1, "g")]
    a = result((70.0, 1.0), nodes, segments=[_seg("部门", [("一部", 50, 70.0, 1.0, [("g", 70.0, 1.0), ("x", 70.0, 1.0)]),
                                                           ("二部", 40, 72.0, 1.2, [("g", 72.0, 1.2), ("x", 72.0, 1.2)])], 1)])
    b = result((70.0, 1.0), nodes, segments=[_seg("部门", [("二部", 45, 62.0, 1.6, [("g", 62.0, 1.6), ("x", 62.0, 1.6)]),
                                                           ("三部", 30, 75.0, 2.0, [("g", 75.0, 2.0), ("x", 75.0, 2.0)])])])
    c = compare_results([a, b], ["Q2", "Q3"], ["a.json", "b.json"], by="部门")
    seg = c.segments[0]
    assert seg.by == "部门" and seg.suppressed == (1, 0) and seg.min_group == 5
    assert [v.value for v in seg.values] == ["一部", "二部", "三部"]
    two = seg.values[1]
    assert two.n == (40, 45) and two.overall.delta == pytest.approx(-10.0) and two.overall.se_delta == pytest.approx(2.0)
    # one Holm family for the breakdown: three testable changes (二部 overall, g, x), each z = −5
    assert two.overall.p_adj == pytest.approx(3 * two.overall.p) and two.overall.verdict == "down"
    one = seg.values[0]
    assert one.present if False else one.overall.present == (True, False) and one.overall.verdict is None
    codes = [(a.code, a.node, a.segment) for a in c.alerts]
    assert codes == [("segment-drop", "overall", ("部门", "二部")), ("segment-drop", "g", ("部门", "二部"))]
    # a JSON result without that breakdown cannot be compared by it
    with pytest.raises(DataError) as e:
        compare_results([a, result((70.0, 1.0), nodes)], ["Q2", "Q3"], ["a.json", "p2.json"], by="部门")
    assert e.value.codes == ["segment-missing"] and e.value.issues[0].file == "p2.json"
    assert "--by 部门" in e.value.message


def test_to_dict_round_trip_and_schema():
    bench = Benchmark("B", (BenchmarkScore("overall", 76.0, 0.6),), "b.csv")
    rs = [P1, P2, P2]
    c = compare_results(rs, ["a", "b", "c"], ["1", "2", "3"], benchmark=bench, fail_on_drop=1.0, manifest={"tool": "csi"})
    d = c.to_dict()
    assert d["schema"] == "csi.comparison/1"
    assert d["periods"][0] == {"label": "a", "source": "1", "n": 100, "model": {"name": "hand", "sha256": "a" * 64}}
    for key in ("id", "name", "scores", "se", "delta", "delta_first", "se_delta", "z", "p", "p_adj", "verdict", "trend"):
        assert key in d["overall"] and key in d["nodes"][0]
    assert set(d["overall"]["trend"]) >= {"slope", "se", "ci", "p"}
    json.dumps(d, allow_nan=False)
    assert Comparison.from_dict(json.loads(json.dumps(d))).to_dict() == d
    with pytest.raises(ValueError):
        Comparison.from_dict({"schema": "csi.result/1"})


def test_argument_checks():
    with pytest.raises(ValueError):
        compare_results([P1])
    with pytest.raises(ValueError):
        compare_results([P1, P2], ["only one"])
    with pytest.raises(ValueError):
        compare_results([P1, P2], alpha=1.5)
    with pytest.raises(ValueError):
        compare_results([P1, P2], fail_on_drop=-1)


# ---------------------------------------------------------------- benchmark files


def test_read_benchmark_yaml_and_csv(tmp_path):
    from csi.survey.benchmark import read_benchmark

    y = tmp_path / "industry.yaml"
    y.write_text("label: 行业平均\nsource: 2026 行业调查\nscores:\n  overall: 76.5\n  quality: {score: 80.1, se: 0.9}\n",
                 encoding="utf-8")
    b = read_benchmark(y)
    assert (b.label, b.source) == ("行业平均", "2026 行业调查")
    assert [(s.id, s.score, s.se) for s in b.scores] == [("overall", 76.5, None), ("quality", 80.1, 0.9)]
    c = tmp_path / "rival.csv"
    c.write_bytes("id,score,se,label,name\noverall,74,0.8,竞争对手甲,总体\nquality,79.5,,,服务质量\n".encode("gb18030"))
    b = read_benchmark(c)
    assert b.label == "竞争对手甲" and b.source == str(c)
    assert [(s.id, s.score, s.se) for s in b.scores] == [("overall", 74.0, 0.8), ("quality", 79.5, None)]
    c2 = tmp_path / "plain.csv"
    c2.write_text("\ufeffid,score\noverall,70\n", encoding="utf-8")
    assert read_benchmark(c2).label == "plain"


def test_read_benchmark_errors(tmp_path):
    from csi.survey.benchmark import read_benchmark

    def issues(name, content):
        p = tmp_path / name
        p.write_text(content, encoding="utf-8")
        with pytest.raises((InputError, DataError)) as e:
            read_benchmark(p)
        return [(i.row, i.line, i.column, i.code) for i in e.value.issues], e.value

    got, err = issues("b.csv", "id,score,sd\noverall,76,1\nquality,120,\nquality,80,\n,70,\nefficiency,abc,-1\n")
    assert got == [(1, None, "sd", "benchmark-column")]
    assert "valid: id, score, se, label, name" in err.message
    got, err = issues("b.csv", "id,score,se\noverall,76,1\nquality,120,\nquality,80,\n,70,\nefficiency,abc,-1\n")
    assert got == [(3, None, "score", "benchmark-score"), (4, None, "id", "benchmark-duplicate"), (5, None, "id", "benchmark-id"),
                   (6, None, "score", "benchmark-score"), (6, None, "se", "benchmark-se")]
    assert "b.csv, row 3, column \"score\": quality: expected a score from 0 to 100, got '120'" in err.message
    got, _ = issues("b.csv", "id,score,label\noverall,76,甲\nquality,80,乙\n")
    assert got == [(None, None, "label", "benchmark-label")]
    got, _ = issues("b.csv", "name,score\n")
    assert got == [(1, None, None, "benchmark-column")]
    got, err = issues("b.yaml", "label: x\nscores:\n  overall: 76\n  quality: {score: 80, sd: 1}\n  e: high\n")
    assert got == [(None, 4, None, "benchmark-key"), (None, 5, None, "benchmark-score")]
    got, err = issues("b.yaml", "label: x\nscores:\n  overall: [76\n")
    assert got[0][3] == "benchmark-yaml" and got[0][1] is not None and isinstance(err, InputError)
    got, err = issues("b.yaml", "lable: x\nscores: {overall: 70}\n")
    assert got == [(None, None, None, "benchmark-key")] and "did you mean 'label'?" in err.message
    got, _ = issues("b.yaml", "- 1\n- 2\n")
    assert got == [(None, None, None, "benchmark-layout")]
    got, _ = issues("b.txt", "id,score\n")
    assert got == [(None, None, None, "benchmark-format")]
    with pytest.raises(InputError) as e:
        read_benchmark(tmp_path / "missing.yaml")
    assert e.value.codes == ["benchmark-not-found"]


# ---------------------------------------------------------------- renderings


def test_renderings_of_the_hand_case():
    from rich.console import Console

    from csi.report.compare_report import render_comparison, to_csv, to_json, to_markdown

    bench = Benchmark("行业平均", (BenchmarkScore("overall", 76.0, 0.6), BenchmarkScore("e", 85.0, 0.5)))
    c = compare_results([P1, P2, P2], ["Q1", "Q2", "=Q3"], ["a", "b", "c"], benchmark=bench, fail_on_drop=0.5,
                        fail_on_drop_any=True)
    text = to_csv(c)
    rows = text.splitlines()
    assert rows[0].startswith("by,value,id,name,parent,kind,score_Q1,se_Q1,n_Q1,score_Q2")
    assert rows[1].startswith(",,overall,hand,,index,77.0,0.6,100,75.0,0.8,100,75.0,0.8,100,0.0,-2.0,")
    assert len(rows) == 1 + 6
    md = to_markdown(c, "en")
    assert "| Dimension / indicator | Q1 | Q2 | =Q3 | Δ | p (Holm) | Verdict | Trend | Δ first | Slope/period | 行业平均 (gap) |" in md
    assert "**--fail-on-drop check failed (significant drop of 0.5 points or more): E**" not in md  # no drop Q2 → Q3
    assert json.loads(to_json(c))["schema"] == "csi.comparison/1"
    console = Console(width=150, record=True, color_system=None, force_terminal=False)
    render_comparison(c, console, "en")
    out = console.export_text()
    assert "Period comparison" in out and "Weak points across periods" in out and "行业平均" in out


# ---------------------------------------------------------------- the command


@pytest.fixture(scope="module")
def app():
    import typer

    from csi.cli.compare import compare

    a = typer.Typer(pretty_exceptions_show_locals=False)
    a.command()(compare)

    @a.callback()
    def _root() -> None:
        """test app"""

    return a


def run(app, *args):
    from typer.testing import CliRunner

    return CliRunner().invoke(app, ["compare", *map(str, args)], catch_exceptions=False, env={"COLUMNS": "160"})


Q2, Q3 = "examples/accounting_2026Q2.xlsx", "examples/accounting_2026Q3.xlsx"
FAST = ("-B", "200", "--seed", "0")


@pytest.fixture
def in_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def test_golden_example_quarters(app, in_root, update_golden):
    """The two example quarters: 服务效率 falls (记账二部), 服务创新 rises everywhere."""
    r = run(app, Q2, Q3, *FAST, "--label", "2026Q2", "--label", "2026Q3", "--by", "部门", "--format", "json")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    check_golden_json("compare/accounting_2026Q2_Q3.json", doc, update_golden)
    c = Comparison.from_dict(doc)
    assert c.node("efficiency").verdict == "down" and c.node("innovation").verdict == "up"
    seg = {v.value: v for v in c.segments[0].values}
    assert seg["记账二部"].overall.verdict == "down" and seg["记账一部"].overall.verdict == "no_change"
    eff = {v: next(n for n in seg[v].nodes if n.id == "efficiency") for v in seg}
    assert eff["记账二部"].verdict == "down" and eff["记账一部"].verdict == "no_change" and eff["记账三部"].verdict == "no_change"

    from rich.console import Console

    from csi.report.compare_report import render_comparison

    console = Console(width=140, record=True, color_system=None, force_terminal=False, highlight=False)
    render_comparison(c, console)
    check_golden("compare/accounting_2026Q2_Q3.txt", console.export_text(), update_golden)


def test_table_csv_md_and_outputs(app, in_root, tmp_path):
    out = tmp_path / "c"
    r = run(app, Q2, Q3, *FAST, "-o", out / "c.json", "-o", out / "c.csv", "-o", out / "c.md", "--mkdir", "--lang", "en")
    assert r.exit_code == 0, r.stderr
    assert "Period comparison" in r.stdout and "significantly down" in r.stdout and r.stderr == ""
    assert json.loads((out / "c.json").read_text(encoding="utf-8"))["schema"] == "csi.comparison/1"
    assert (out / "c.csv").read_text(encoding="utf-8-sig").startswith("by,value,id,name,parent,kind,score_accounting_2026Q2,")
    assert (out / "c.md").read_text(encoding="utf-8").startswith("# 代理记账服务客户满意度指数 — Period comparison")
    r = run(app, Q2, Q3, *FAST, "-f", "csv")
    assert r.exit_code == 0 and r.stdout.splitlines()[1].startswith(",,overall,代理记账服务客户满意度指数,,index,")
    # never write over an input, and a bad suffix is refused before anything is written
    assert run(app, Q2, Q3, *FAST, "-o", Q3).exit_code == 2
    r = run(app, Q2, Q3, *FAST, "-o", tmp_path / "ok.json", "-o", tmp_path / "bad.xyz")
    assert r.exit_code == 2 and not (tmp_path / "ok.json").exists()


def test_mixed_inputs_equal_two_exports(app, in_root, tmp_path):
    """One export and one result JSON give the same numbers as two exports."""
    from csi.api import score_file
    from csi.report.tables import to_json
    from csi.scoring import ScoreOptions

    q3 = tmp_path / "q3.json"
    q3.write_text(to_json(score_file(Q3, options=ScoreOptions(bootstrap=200, seed=0), by=["部门"])), encoding="utf-8")
    both = run(app, Q2, Q3, *FAST, "--by", "部门", "-l", "Q2", "-l", "Q3", "-f", "json")
    mixed = run(app, Q2, q3, *FAST, "--by", "部门", "-l", "Q2", "-l", "Q3", "-f", "json")
    assert both.exit_code == 0 and mixed.exit_code == 0, mixed.stderr
    a, b = json.loads(both.stdout), json.loads(mixed.stdout)
    assert b["periods"][1]["source"] == str(q3)
    for d in (a, b):
        d.pop("manifest")
        d["periods"][1].pop("source")
    assert a == b


def test_three_periods(app, in_root, tmp_path):
    from csi.api import score_file
    from csi.report.tables import to_json
    from csi.scoring import ScoreOptions

    q2 = tmp_path / "q2.json"
    q2.write_text(to_json(score_file(Q2, options=ScoreOptions(bootstrap=200, seed=0))), encoding="utf-8")
    r = run(app, q2, Q3, Q2, *FAST, "-l", "a", "-l", "b", "-l", "c", "-f", "json")
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    assert [p["label"] for p in d["periods"]] == ["a", "b", "c"]
    o = d["overall"]
    assert o["delta_first"] == pytest.approx(0.0, abs=1e-12) and o["trend"]["periods"] == 3
    assert o["trend"]["slope"] == pytest.approx(0.0, abs=1e-12)
    r = run(app, q2, Q3, Q2, *FAST, "--lang", "en")
    assert "Δ first" in r.stdout and "Slope/period" in r.stdout


def test_fail_on_drop_exit_codes_and_quiet(app, in_root):
    # the overall CSI falls 1.9 points, but not Holm-significantly: the check passes
    r = run(app, Q2, Q3, *FAST, "--fail-on-drop", "1", "-q")
    assert r.exit_code == 0
    # 服务效率 falls ~10 points, significant: --fail-on-drop-any fails; --quiet still prints because alerts fired
    r = run(app, Q2, Q3, *FAST, "--fail-on-drop", "5", "--fail-on-drop-any", "-q", "--lang", "en")
    assert r.exit_code == 1
    assert "efficiency" in r.stderr and "--fail-on-drop failed" in r.stderr
    assert "Alerts" in r.stdout and "--fail-on-drop check failed" in r.stdout
    assert run(app, Q2, Q3, *FAST, "--fail-on-drop", "15", "--fail-on-drop-any").exit_code == 0
    # the same period twice: nothing changes, no alert, --quiet prints nothing at all
    r = run(app, Q2, Q2, *FAST, "-l", "a", "-l", "b", "--fail-on-drop", "0", "--fail-on-drop-any", "-q")
    assert r.exit_code == 0 and r.stdout == "" and r.stderr == ""
    r = run(app, Q2, Q2, *FAST, "-l", "a", "-l", "b", "-q", "-f", "json")
    assert r.stdout == ""


def test_usage_and_input_errors(app, in_root, tmp_path):
    assert run(app, Q2).exit_code == 2
    assert run(app, Q2, Q3, "--label", "x").exit_code == 2
    assert run(app, Q2, Q3, "-l", "x", "-l", "x").exit_code == 2
    assert run(app, Q2, Q3, "--fail-on-drop-any").exit_code == 2
    assert run(app, Q2, Q3, "--format", "xlsx").exit_code == 2
    assert run(app, Q2, Q3, "--lang", "fr").exit_code == 2

    def fails(*args):
        r = run(app, *args)
        assert r.exit_code == 2 and r.stdout == ""
        assert r.stderr.startswith("csi: error: ") and "Traceback" not in r.stderr
        return r.stderr

    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    assert "is not valid JSON (line 1, column 2" in fails(bad, Q3, *FAST)
    other = tmp_path / "other.json"
    other.write_text('{"schema": "something/1"}', encoding="utf-8")
    assert "is not a result written by `csi score` (schema 'something/1'" in fails(other, Q3, *FAST)
    cmp_ = tmp_path / "cmp.json"
    cmp_.write_text('{"schema": "csi.comparison/1"}', encoding="utf-8")
    assert "is a comparison written by `csi compare`" in fails(cmp_, Q3, *FAST)
    broken = tmp_path / "broken.json"
    broken.write_text('{"schema": "csi.result/1", "overall": {}}', encoding="utf-8")
    assert "without an overall score or a node list" in fails(broken, Q3, *FAST)
    broken.write_text('{"schema": "csi.result/1", "overall": {"score": 70, "n": 9}, "nodes": [{"name": "x"}]}', encoding="utf-8")
    assert "broken.json, nodes[0].id: expected a text, got null" in fails(broken, Q3, *FAST)
    assert "no such file" in fails(tmp_path / "missing.json", Q3, *FAST)
    bench = tmp_path / "b.csv"
    bench.write_text("id,score\noverall,900\n", encoding="utf-8")
    assert "b.csv, row 2, column \"score\"" in fails(Q2, Q3, *FAST, "--benchmark", bench)
    # --by with a result JSON scored without that breakdown
    from csi.api import score_file
    from csi.report.tables import to_json
    from csi.scoring import ScoreOptions

    plain = tmp_path / "q3.json"
    plain.write_text(to_json(score_file(Q3, options=ScoreOptions(bootstrap=0))), encoding="utf-8")
    assert "has no breakdown by '部门'" in fails(Q2, plain, *FAST, "--by", "部门")


def test_benchmark_through_the_command(app, in_root, tmp_path):
    bench = tmp_path / "industry.yaml"
    bench.write_text("label: 行业平均\nscores:\n  overall: {score: 80, se: 0.5}\n  innovation: 70\n", encoding="utf-8")
    r = run(app, Q2, Q3, *FAST, "--benchmark", bench, "-f", "json")
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["benchmark"]["label"] == "行业平均"
    assert d["overall"]["benchmark"]["verdict"] == "below"
    inn = next(n for n in d["nodes"] if n["id"] == "innovation")
    assert inn["benchmark"]["gap"] == pytest.approx(inn["scores"][-1] - 70) and inn["benchmark"]["verdict"] is None
    r = run(app, Q2, Q3, *FAST, "--benchmark", bench)
    assert "行业平均" in r.stdout


def test_examples_exist():
    assert (EXAMPLES / "accounting_2026Q2.xlsx").exists() and (EXAMPLES / "accounting_2026Q3.xlsx").exists()


def test_comparison_is_deterministic():
    a = compare_results([P1, P2], ["x", "y"]).to_dict()
    b = compare_results([copy.deepcopy(P1), copy.deepcopy(P2)], ["x", "y"]).to_dict()
    assert a == b


def test_command_refuses_different_models_unless_allowed(app, in_root, tmp_path):
    """Q2 scored with the built-in model, Q3 with a copy whose phone-wait indicator is scored 0 at
    180 s instead of 120 s. The structure recorded in each result's manifest differs in
    phone_wait's binding, so compare stops (exit 2) naming it; with --allow-model-change it
    says so before any table and compares every other indicator, and 服务效率's significant
    drop (it holds phone_wait) neither alerts nor fails --fail-on-drop-any."""
    from csi.api import score_file
    from csi.model import default_model_path
    from csi.report.tables import to_json
    from csi.scoring import ScoreOptions

    text = default_model_path().read_text(encoding="utf-8")
    assert "best: 30, worst: 120}" in text
    changed = tmp_path / "indicators.yaml"
    changed.write_text(text.replace("best: 30, worst: 120}", "best: 30, worst: 180}"), encoding="utf-8")
    q2, q3 = tmp_path / "q2.json", tmp_path / "q3.json"
    q2.write_text(to_json(score_file(Q2, options=ScoreOptions(bootstrap=200, seed=0))), encoding="utf-8")
    q3.write_text(to_json(score_file(Q3, changed, options=ScoreOptions(bootstrap=200, seed=0))), encoding="utf-8")
    assert json.loads(q3.read_text(encoding="utf-8"))["manifest"]["structure"]["basis"] == "model"

    r = run(app, q2, q3, "-l", "Q2", "-l", "Q3", "--fail-on-drop", "5", "--fail-on-drop-any")
    assert r.exit_code == 2 and r.stdout == ""
    assert "bindings changed from Q2 to Q3: phone_wait" in r.stderr and "--allow-model-change" in r.stderr
    assert "Traceback" not in r.stderr

    r = run(app, q2, q3, "-l", "Q2", "-l", "Q3", "--fail-on-drop", "5", "--fail-on-drop-any", "--allow-model-change", "--lang", "en")
    assert r.exit_code == 0, r.stderr
    first = r.stdout.lstrip().splitlines()[0]
    assert first.startswith("! The periods differ in model or scoring options (--allow-model-change)")
    assert "not comparable: 电话接通时间（秒） (phone_wait): bindings changed" in r.stdout
    assert "not comparable: 服务效率 (efficiency): a member changed" in r.stdout
    assert "Alerts" not in r.stdout
    d = json.loads(run(app, q2, q3, "--allow-model-change", "-f", "json").stdout)
    ids = [n["id"] for n in d["nodes"]]
    assert "accuracy" in ids and not {"phone_wait", "service_levels", "efficiency"} & set(ids)
    assert d["overall"]["verdict"] is None and d["manifest"]["options"]["allow_model_change"] is True
    # for cron: --quiet or a machine format still says on stderr that the periods differ
    r = run(app, q2, q3, "--allow-model-change", "-f", "json")
    assert r.stderr.startswith("csi: the periods differ in model or scoring options") and "phone_wait" in r.stderr
