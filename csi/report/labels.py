"""Words and small judgements shared by the workbook and the HTML report.

Headings come in Chinese and English; :func:`word` falls back to the headings of
:mod:`csi.report.tables` and :mod:`csi.report.compare_report`, so a heading is defined once.
:func:`tone` says how a score stands against its target, the same bands as the terminal
(met; up to 10 points short; more than 10 short).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from csi.result import Result

__all__ = ["word", "cword", "tone", "default_target", "top_groups", "IpaPoint", "ipa_points", "ipa_axis", "display_width", "TONE_COLOURS",
           "QUADRANT_ORDER", "QUADRANT_COLOURS"]

_WORDS = {
    "report": ("客户满意度指数报告", "Customer Satisfaction Index report"),
    "compare_report": ("客户满意度指数 · 期间比较", "Customer Satisfaction Index · period comparison"),
    "dimensions": ("各维度得分", "Scores by dimension"),
    "all_nodes": ("全部维度与指标", "Every dimension and indicator"),
    "ipa": ("重要性—表现矩阵（IPA）", "Importance–performance matrix (IPA)"),
    "ipa_x": ("重要性（全局权重）", "Importance (global weight)"),
    "ipa_x_relative_weight": ("重要性（对结果指数的相对权重）", "Importance (relative weight on the outcome)"),
    "ipa_x_ipma_total_effect": ("重要性（对满意度的总效应）", "Importance (total effect on satisfaction)"),
    "ipa_y": ("表现（得分）", "Performance (score)"),
    "ipa_note": ("十字线为指标重要性和得分的平均值；编号见右侧（手机上见下方）列表。",
                 "Cross-hairs at the mean importance and mean score; the numbers are listed beside (on a phone, below) the chart."),
    "ci_low": ("区间下限", "CI low"),
    "ci_high": ("区间上限", "CI high"),
    "ci_minus": ("区间下端距", "CI −"),
    "ci_plus": ("区间上端距", "CI +"),
    "se": ("标准误", "SE"),
    "target_gap": ("与目标差", "vs target"),
    "global_weight": ("全局权重", "Global weight"),
    "kind": ("类型", "Kind"),
    "group": ("维度", "group"),
    "item": ("指标", "indicator"),
    "method": ("赋权方法", "Weighting"),
    "id": ("编号", "id"),
    "parent": ("上级", "Parent"),
    "measure": ("指标", "Measure"),
    "model": ("指标模型", "Model"),
    "input": ("数据文件", "Input"),
    "sheet": ("工作表", "Sheet"),
    "preset": ("导出格式", "Export format"),
    "created": ("生成时间", "Created"),
    "rows": ("答卷数", "Rows read"),
    "used": ("使用答卷", "Used"),
    "effective_n": ("有效样本量", "Effective n"),
    "excluded": ("排除", "Excluded"),
    "flagged": ("标记（未排除）", "Flagged, kept"),
    "reason": ("原因", "Reason"),
    "count": ("数量", "Count"),
    "invalid": ("无效答案", "Invalid answers"),
    "column": ("列", "Column"),
    "letter": ("列号", "Letter"),
    "rows_at": ("行号", "Rows"),
    "values": ("示例", "Values"),
    "comments": ("客户评论摘录（已遮盖个人信息）", "Comments (personal data masked)"),
    "comment": ("评论", "Comment"),
    "vs_rest_delta": ("与其余相比 Δ", "Δ vs rest"),
    "loss_chart": ("各薄弱环节使指数损失的分数", "Index points lost to each weak point"),
    "loss_note": ("损失分 = 全局权重 ×（目标 − 得分）：若该指标达到目标，总体指数可提高的分数。排名稳定性：自助抽样中该指标进入前列的比例。",
                  "Loss = global weight × (target − score): the index points regained if the indicator met its target. "
                  "Stability: the share of bootstrap replicates in which it stays among the top weak points."),
    "no_weak": ("所有指标均达到目标。", "Every indicator meets its target."),
    "no_segments": ("未分组（用 --by 列名 按部门、客户类型等分组）。", "No breakdown (add --by COLUMN for one by department, client type …)."),
    "by_dimension": ("各维度", "By dimension"),
    "bootstrap": ("置信区间：{b} 次自助抽样（seed {seed}）的 {conf}% 百分位区间", "Intervals: {conf}% percentile intervals of {b} bootstrap replicates (seed {seed})"),
    "no_bootstrap": ("未做自助抽样（--bootstrap 0），没有置信区间", "No bootstrap (--bootstrap 0): no intervals"),
    "fpc": ("，已按客户总数 {n} 做有限总体校正", ", finite-population corrected for a client base of {n}"),
    "met": ("达到目标", "meets target"),
    "near": ("低于目标 10 分以内", "up to 10 points short"),
    "below": ("低于目标 10 分以上", "more than 10 points short"),
    "target_line": ("目标", "target"),
    "biggest_loss": ("最大损失（指数分）", "Biggest loss (index points)"),
    "top_ipma": ("IPMA 优先度最高", "Highest IPMA priority"),
    "points_lost": ("分", "points"),
    "promoters": ("推荐者", "promoters"),
    "detractors": ("贬损者", "detractors"),
    "answers": ("份答卷", "rows read"),
    "of": ("共", "of"),
    "sha": ("校验值", "sha256"),
    "tool": ("工具", "Tool"),
    "options": ("选项", "Options"),
    "dimension_chart": ("各维度得分与目标", "Dimension scores against the target"),
    "segment_chart": ("各分组总体得分", "Overall score by segment"),
    "quadrant_concentrate_here": ("重要性高于平均，得分低于平均：优先改进", "Above-average importance, below-average score: improve first"),
    "quadrant_keep_up_the_good_work": ("重要性高于平均，得分高于平均", "Above-average importance and score"),
    "quadrant_low_priority": ("重要性低于平均，得分低于平均", "Below-average importance and score"),
    "quadrant_possible_overkill": ("重要性低于平均，得分高于平均：投入可能过多", "Below-average importance, above-average score: maybe over-served"),
    # comparisons
    "trends": ("各维度趋势", "Trend by dimension"),
    "trend_chart": ("各维度得分趋势", "Scores by period"),
    "moves": ("显著变化", "Significant moves"),
    "no_moves": ("没有经 Holm 校正后显著的变化。", "No change is significant after the Holm adjustment."),
    "period": ("期间", "Period"),
    "path": ("上期 → 本期", "Previous → last"),
    "source": ("来源", "Source"),
    "scores_periods": ("各期得分", "Scores by period"),
    "whiskers": ("误差线：±1.96 标准误", "Whiskers: ±1.96 SE"),
    "check_passed": ("--fail-on-drop 检查通过", "--fail-on-drop check passed"),
    "segment_moves": ("分组内的显著变化", "Significant changes inside segments"),
    "benchmark": ("基准", "Benchmark"),
    "benchmark_gap": ("与基准差", "Gap to benchmark"),
    "z": ("z", "z"),
    "p": ("p", "p"),
    # csi weights
    "weights_method": ("方法", "method"),
    "weights_ahp": ("AHP 一致性：CR {cr}（λmax {lambda_max}，Saaty 1980 RI）", "AHP consistency: CR {cr} (λmax {lambda_max}, Saaty 1980 RI)"),
    "weights_summary": ("各赋权方法下的指数与薄弱环节", "Index and top weak points by method"),
    "weights_top": ("前 {k} 个薄弱环节", "top {k} weak points"),
    "weights_not_run": ("未计算：{why}", "not run: {why}"),
    "weights_sentence": ("{n} 种方法的前 {k} 个薄弱环节：{listed}；所有方法都认同的：{agreed}。指数范围 {low}–{high}。",
                         "Top-{k} weak points across {n} methods: {listed}; every method agrees on {agreed}. The index ranges {low}–{high}."),
    "weights_in": ("{name} {n} 次", "{name} in {n}"),
    "weights_agree_none": ("无", "none"),
    "weights_none": ("没有一种方法能为此调查赋权", "no method could weigh this survey"),
}


def word(key: str, lang: str) -> str:
    """A heading in ``lang`` (``zh`` or ``en``).

    >>> word("dimensions", "en"), word("overall", "zh"), word("p_adj", "en")
    ('Scores by dimension', '总体 CSI', 'p (Holm)')
    """
    if key in _WORDS:
        zh, en = _WORDS[key]
        return zh if lang == "zh" else en
    from csi.report import compare_report, tables

    if key in tables._TEXT:
        return tables.text(key, lang)
    return compare_report._t(key, lang)


def cword(key: str, lang: str) -> str:
    """A heading of a comparison: where a word differs between the reports, the comparison's.

    >>> cword("weak", "en"), word("weak", "en")
    ('Weak points across periods', 'Weak points (ranked by loss)')
    """
    from csi.report import compare_report

    return _WORDS[key][0 if lang == "zh" else 1] if key in _WORDS else compare_report._t(key, lang)


def tone(score: float | None, target: float | None) -> str:
    """``good`` (target met), ``near`` (up to 10 points short), ``bad``, or ``none``.

    >>> tone(81, 80), tone(72.5, 80), tone(69.9, 80), tone(float("nan"), 80), tone(75, None)
    ('good', 'near', 'bad', 'none', 'none')
    """
    if score is None or target is None or not math.isfinite(score):
        return "none"
    return "good" if score >= target else ("near" if score >= target - 10 else "bad")


#: Fill colours of the tones (and of their light backgrounds).
TONE_COLOURS = {"good": ("1F8A4C", "E3F4EA"), "near": ("C98A0B", "FDF3DC"), "bad": ("C8372D", "FBE6E4"), "none": ("7A8594", "EEF0F3")}
QUADRANT_ORDER = ("concentrate_here", "keep_up_the_good_work", "low_priority", "possible_overkill")
QUADRANT_COLOURS = {"concentrate_here": "C8372D", "keep_up_the_good_work": "1F8A4C", "low_priority": "8A8F98",
                    "possible_overkill": "2F6DB5"}


def default_target(result: Result) -> float | None:
    """The target most indicators share: the one groups and the index are shown against."""
    targets = [n.target for n in result.nodes if n.kind == "item" and n.target is not None]
    return max(set(targets), key=targets.count) if targets else None


def top_groups(result: Result) -> list:
    """The dimensions: nodes without a parent."""
    return [n for n in result.nodes if n.parent is None]


@dataclass(frozen=True, slots=True)
class IpaPoint:
    """One indicator in the importance–performance matrix; ``number`` counts from 1 in model order."""

    number: int
    id: str
    name: str
    importance: float
    score: float
    quadrant: str
    target: float | None


def ipa_points(result: Result) -> tuple[list[IpaPoint], float, float]:
    """Every scored indicator with its IPA quadrant, and the cross-hairs (mean importance, mean score).

    Importance and quadrants are the result's ``ipa`` section (derived importance where the
    model has an outcome block, :mod:`csi.importance`), so they agree with the weak points'
    quadrants; a result written before that section has the global weights and the quadrants
    of :func:`csi.weakpoints.ipa_quadrants` on them.
    """
    import numpy as np

    from csi.weakpoints import ipa_quadrants

    items = [n for n in result.nodes if n.kind == "item"]
    if not items:
        return [], math.nan, math.nan
    given = {d["id"]: d for d in (result.ipa or {}).get("items", [])}
    imp = np.array([given[n.id]["importance"] if n.id in given else n.global_weight for n in items], dtype=float)
    sc = np.array([n.score for n in items], dtype=float)
    quads = [given[n.id]["quadrant"] if n.id in given else q for n, q in zip(items, ipa_quadrants(imp, sc), strict=True)]
    mean_p = float(np.nanmean(sc)) if np.isfinite(sc).any() else math.nan
    points = [IpaPoint(i + 1, n.id, n.name, float(v), float(n.score), q, n.target)
              for i, (n, v, q) in enumerate(zip(items, imp, quads, strict=True))]
    return [p for p in points if math.isfinite(p.score)], float(np.mean(imp)), mean_p


def ipa_axis(result: Result, lang: str) -> tuple[str, bool]:
    """The IPA matrix's importance axis title, and whether its values are shares (shown as
    percentages: global and relative weights) rather than total effects."""
    kind = str((result.ipa or {}).get("importance") or "model_weight")
    return word("ipa_x" if kind == "model_weight" else f"ipa_x_{kind}", lang), kind != "ipma_total_effect"


def display_width(s: str) -> int:
    """Columns a text takes in a monospace grid: East Asian wide characters count two.

    >>> display_width("CSI 指数")
    8
    """
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)
