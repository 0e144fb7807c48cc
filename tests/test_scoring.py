"""The engine: hand-worked surveys, weights, bootstrap behaviour, weak points."""

from __future__ import annotations

import numpy as np
import pytest

from csi.model import load_model_text
from csi.scoring import ScoreOptions, effective_n, score
from csi.survey.prepare import DataQuality, Responses, prepare
from csi.survey.read import read_survey


def responses(x, weights=None, ids=None) -> Responses:
    x = np.asarray(x, dtype=float)
    ids = ids or tuple(f"c{j}" for j in range(x.shape[1]))
    q = DataQuality(x.shape[0], x.shape[0], {}, {})
    return Responses(x, ids, ids, np.arange(2, x.shape[0] + 2), q, None if weights is None else np.asarray(weights, float))


HAND_MODEL = """
name: hand
scale: {min: 1, max: 5}
labels: {很满意: 5, 满意: 4, 一般: 3, 不满意: 2, 很不满意: 1}
missing: [不适用]
target: 80
outcome:
  items: [{id: sat, column: 总体, scale: {min: 1, max: 10}}]
children:
  - id: service
    weight: 3
    children:
      - {id: speed, column: 速度}
      - {id: rude, column: 态度生硬, reverse: true}
  - id: price
    weight: 1
    children:
      - {id: fee, column: 收费}
"""


def test_three_respondents_by_hand(tmp_path):
    """A three-respondent survey worked on paper, through reader, preparation and engine.

    Answers (1–5; 态度生硬 is reverse-worded so x → 6 − x; 总体 is 1–10)::

        row  速度    态度生硬  收费   总体       rescaled: speed  rude  fee    sat
        2    很满意  1        3      10                  100      100   50     100
        3    4       不适用    2      7                    75       –    25     66.667
        4    一般    4        5      1                    50       25   100     0

    speed = (100 + 75 + 50)/3 = 75;  rude = (100 + 25)/2 = 62.5;  fee = (50 + 25 + 100)/3 = 58.333
    service = (75 + 62.5)/2 = 68.75 (equal item weights);  price = fee = 58.333
    CSI = 0.75 · 68.75 + 0.25 · 58.333 = 66.146 (weights 3:1 normalised)
    outcome = (100 + 66.667 + 0)/3 = 55.556
    losses against 80: speed 0.375 · 5 = 1.875, rude 0.375 · 17.5 = 6.5625, fee 0.25 · 21.667 = 5.4167
    """
    data = tmp_path / "hand.csv"
    data.write_text("速度,态度生硬,收费,总体\n很满意,1,3,10\n4,不适用,2,7\n一般,4,5,1\n", encoding="utf-8")
    model = load_model_text(HAND_MODEL)
    prepared = prepare(read_survey(data), model)
    r = score(model, prepared, ScoreOptions(bootstrap=200, seed=1))
    assert r.node("speed").score == pytest.approx(75)
    assert r.node("rude").score == pytest.approx(62.5)
    assert r.node("fee").score == pytest.approx(175 / 3)
    assert r.node("service").score == pytest.approx(68.75)
    assert r.node("price").score == pytest.approx(175 / 3)
    assert r.overall.score == pytest.approx(0.75 * 68.75 + 0.25 * 175 / 3)
    assert r.outcome is not None and r.outcome.score == pytest.approx(500 / 9)
    assert [(w.id, w.loss) for w in r.weak_points] == [
        ("rude", pytest.approx(0.375 * 17.5)), ("fee", pytest.approx(0.25 * (80 - 175 / 3))), ("speed", pytest.approx(0.375 * 5))]
    assert r.node("rude").n == 2 and r.overall.n == 3
    assert r.node("speed").global_weight == pytest.approx(0.375)


def test_respondent_weights_by_hand():
    """Weighted item mean Σwx/Σw: (2·100 + 1·0)/3 = 66.667; effective n (3)²/5 = 1.8."""
    m = load_model_text("children: [{id: a, column: A}]")
    r = score(m, responses([[100], [0]], weights=[2, 1], ids=("a",)), bootstrap=50)
    assert r.overall.score == pytest.approx(200 / 3)
    assert r.respondents["effective_n"] == pytest.approx(effective_n(np.array([2.0, 1.0])))
    assert effective_n(np.array([2.0, 1.0])) == pytest.approx(9 / 5)


def test_unanswered_item_shares_its_weight_and_warns():
    m = load_model_text("children: [{id: a, column: A}, {id: b, column: B}, {id: c, column: C}]")
    r = score(m, responses([[100, np.nan, 50], [50, np.nan, 50]], ids=("a", "b", "c")), bootstrap=20)
    assert r.overall.score == pytest.approx((75 + 50) / 2)
    assert r.node("b").weight == 0 and any("b" in w for w in r.warnings)


def test_same_seed_same_interval_other_seed_other_interval():
    rng = np.random.default_rng(5)
    x = rng.integers(0, 5, size=(80, 3)) * 25.0
    m = load_model_text("children: [{id: a, column: A}, {id: b, column: B}, {id: c, column: C}]")
    one = score(m, responses(x, ids=("a", "b", "c")), bootstrap=300, seed=11)
    two = score(m, responses(x, ids=("a", "b", "c")), bootstrap=300, seed=11)
    three = score(m, responses(x, ids=("a", "b", "c")), bootstrap=300, seed=12)
    assert one.to_dict()["nodes"] == two.to_dict()["nodes"] and one.overall == two.overall
    assert one.overall.ci != three.overall.ci


def test_bootstrap_interval_covers_the_truth_at_about_the_nominal_rate():
    """500 simulated surveys of 120 respondents from a known 5-point distribution.

    True mean of the rescaled answer: Σ p·r = 0.05·0 + 0.1·25 + 0.2·50 + 0.4·75 + 0.25·100 = 67.5.
    With 500 surveys the coverage of a 95 % interval has Monte-Carlo SD √(.95·.05/500) ≈ 0.0097;
    the percentile bootstrap of a mean at n = 120 runs slightly below nominal, so we accept
    0.92–0.975 (about −3 / +2.5 SD).
    """
    m = load_model_text("children: [{id: a, column: A}]")
    rng = np.random.default_rng(2026)
    probs = [0.05, 0.1, 0.2, 0.4, 0.25]
    truth = 67.5
    hits = 0
    sims = 500
    for s in range(sims):
        x = rng.choice([0.0, 25.0, 50.0, 75.0, 100.0], p=probs, size=(120, 1))
        r = score(m, responses(x, ids=("a",)), bootstrap=400, seed=s)
        hits += r.overall.ci[0] <= truth <= r.overall.ci[1]
    assert 0.92 <= hits / sims <= 0.975


def test_bootstrap_se_matches_the_analytic_se_of_a_mean():
    """For one item the bootstrap SE estimates s·√((n−1)/n)/√n (the plug-in SE of a mean)."""
    rng = np.random.default_rng(3)
    x = rng.normal(60, 20, size=(400, 1))
    m = load_model_text("children: [{id: a, column: A}]")
    r = score(m, responses(x, ids=("a",)), bootstrap=4000, seed=0)
    plug_in = x.std(ddof=0) / np.sqrt(400)
    # the SE of a bootstrap SD from B = 4000 is about SE/√(2B) ≈ 1.1 % of it: allow 5 %
    assert r.overall.se == pytest.approx(plug_in, rel=0.05)


def test_finite_population_correction_shrinks_se():
    x = np.linspace(0, 100, 50)[:, None]
    m = load_model_text("children: [{id: a, column: A}]")
    plain = score(m, responses(x, ids=("a",)), bootstrap=300, seed=4)
    fpc = score(m, responses(x, ids=("a",)), bootstrap=300, seed=4, population=100)
    assert fpc.overall.se == pytest.approx(plain.overall.se * np.sqrt(50 / 99))
    assert fpc.overall.score == plain.overall.score


def test_permuting_respondents_changes_no_score():
    rng = np.random.default_rng(8)
    x = rng.integers(0, 5, size=(60, 3)) * 25.0
    x[rng.random(x.shape) < 0.1] = np.nan
    m = load_model_text("children: [{id: g, children: [{id: a, column: A}, {id: b, column: B}]}, {id: c, column: C}]")
    base = score(m, responses(x, ids=("a", "b", "c")), bootstrap=0)
    perm = score(m, responses(x[rng.permutation(60)], ids=("a", "b", "c")), bootstrap=0)
    assert [n.score for n in perm.nodes] == pytest.approx([n.score for n in base.nodes])
    assert perm.overall.score == pytest.approx(base.overall.score)


def test_nps_from_promoters_and_detractors():
    """Answers 10, 9, 8, 6, 0 → promoters 2/5, detractors 2/5, NPS 0; SE 100·√((0.8 − 0)/5)."""
    m = load_model_text("nps: {id: rec, column: R}\nchildren: [{id: a, column: A}]")
    vals = np.array([[50, 100], [50, 90], [50, 80], [50, 60], [50, 0]], dtype=float)
    r = score(m, responses(vals, ids=("a", "rec")), bootstrap=200)
    assert r.nps is not None
    assert r.nps["score"] == pytest.approx(0) and r.nps["promoters"] == pytest.approx(0.4)
    assert r.nps["se_analytic"] == pytest.approx(100 * np.sqrt(0.8 / 5))


def test_weak_point_stability_is_one_for_a_clear_loser():
    rng = np.random.default_rng(1)
    x = np.column_stack([rng.normal(40, 10, 300), rng.normal(85, 10, 300), rng.normal(78, 10, 300)])
    m = load_model_text("children: [{id: a, column: A}, {id: b, column: B}, {id: c, column: C}]")
    r = score(m, responses(x, ids=("a", "b", "c")), bootstrap=200, top=1)
    (wp,) = r.weak_points
    assert wp.id == "a" and wp.stability == 1.0 and wp.quadrant in ("concentrate_here", "keep_up_the_good_work")


def test_json_round_trip():
    from csi.result import Result

    m = load_model_text("children: [{id: a, column: A}, {id: b, column: B}]")
    r = score(m, responses([[10, 20], [30, np.nan], [90, 80]], ids=("a", "b")), bootstrap=30)
    assert Result.from_dict(r.to_dict()).to_dict() == r.to_dict()


def test_gaussian_bootstrap_agrees_with_the_multinomial_bootstrap(monkeypatch):
    """The Gaussian-multiplier path against the plain multinomial bootstrap (kept as the
    reference) on the same 3 000 respondents, B = 2 000 each: scores are identical (they do
    not depend on the bootstrap); SEs agree within Monte-Carlo error. The SE of an SE estimated
    from B replicates is about SE/√(2B) ≈ 1.6 %, so two independent estimates differ by more than
    7 % (3 SD of the difference) with probability below 0.3 %."""
    import csi.bootstrap as bs

    rng = np.random.default_rng(11)
    x = rng.integers(0, 5, size=(3000, 3)) * 25.0
    x[rng.random(x.shape) < 0.05] = np.nan
    m = load_model_text("children: [{id: g, children: [{id: a, column: A}, {id: b, column: B}]}, {id: c, column: C}]")
    ref = score(m, responses(x, ids=("a", "b", "c")), bootstrap=2000, seed=1)
    monkeypatch.setattr(bs, "MULTINOMIAL_MAX_N", 10)
    fast = score(m, responses(x, ids=("a", "b", "c")), bootstrap=2000, seed=1)
    assert ref.data_quality["bootstrap"]["kind"] == "multinomial"
    assert fast.data_quality["bootstrap"]["kind"] == "gaussian"
    assert fast.data_quality["bootstrap"]["gaussian_above"] == 10
    assert [n.score for n in fast.nodes] == [n.score for n in ref.nodes]
    for f, r in zip(fast.nodes, ref.nodes, strict=True):
        assert f.se == pytest.approx(r.se, rel=0.07)
    assert fast.overall.se == pytest.approx(ref.overall.se, rel=0.07)
    lo, hi = ref.overall.ci
    assert fast.overall.ci[0] == pytest.approx(lo, abs=0.25 * (hi - lo)) and fast.overall.ci[1] == pytest.approx(hi, abs=0.25 * (hi - lo))


def test_progress_counts_the_replicates():
    """``progress(done, total)`` follows the bootstrap chunk by chunk up to B; with
    ``bootstrap_weights`` it counts up once more, replicate by replicate, for the refits."""
    import csi.bootstrap as bs

    rng = np.random.default_rng(2)
    x = rng.integers(0, 5, size=(20_000, 2)) * 25.0
    m = load_model_text("children: [{id: a, column: A}, {id: b, column: B}]")
    calls: list[tuple[int, int]] = []
    score(m, responses(x, ids=("a", "b")), bootstrap=500, progress=lambda done, total: calls.append((done, total)))
    per_chunk = bs._CHUNK_CELLS // 20_000
    assert calls == [(min(500, d), 500) for d in range(per_chunk, 500 + per_chunk, per_chunk)]

    calls.clear()
    small = responses(x[:300], ids=("a", "b"))
    entropy = load_model_text("method: entropy\nchildren: [{id: a, column: A}, {id: b, column: B}]")
    score(entropy, small, ScoreOptions(bootstrap=40, bootstrap_weights=True), progress=lambda d, t: calls.append((d, t)))
    assert calls == [(40, 40)] + [(b, 40) for b in range(1, 41)]


def test_blas_threads_are_limited_inside_the_engine_and_restored_after():
    """one_blas_thread sets OpenBLAS's thread-local thread count to 1 and puts back the
    previous count (a no-op where no OpenBLAS with openblas_set_num_threads_local is loaded)."""
    import csi.bootstrap as bs

    setters = bs._openblas_local_threads()
    if not setters:
        pytest.skip("no OpenBLAS with openblas_set_num_threads_local in this process")
    before = [s(3) for s in setters]  # a known count to come back to
    try:
        with bs.one_blas_thread():
            assert [s(1) for s in setters] == [1] * len(setters)
        assert [s(3) for s in setters] == [3] * len(setters)
    finally:
        for s, n in zip(setters, before, strict=True):
            s(n)


def test_a_segment_value_held_only_by_excluded_rows_is_no_group(tmp_path):
    p = tmp_path / "s.csv"
    p.write_text("部门,A\n一部,5\n一部,4\n二部,\n三部,3\n三部,2\n", encoding="utf-8")
    model = load_model_text("children: [{id: a, column: A}]")
    r = prepare(read_survey(p), model, by=["部门"])
    assert r.quality.excluded["empty"] == 1 and r.segments["部门"].tolist() == ["一部", "一部", "三部", "三部"]
    result = score(model, r, ScoreOptions(bootstrap=20, min_group=1))
    (segment,) = result.segments
    assert [(g.value, g.n) for g in segment.groups] == [("一部", 2), ("三部", 2)] and segment.suppressed == 0
    sub = r.subset(np.array([True, True, False, False]))  # a subset keeps its categories: still no empty group
    assert [g.value for g in score(model, sub, ScoreOptions(bootstrap=20, min_group=1)).segments[0].groups] == ["一部"]
