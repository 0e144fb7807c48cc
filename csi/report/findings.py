"""Key findings and recommendations: the reading of a result in plain sentences.

Every finding is generated from numbers the result or comparison holds and says no more than
they do: a change is called significant only when its Holm-adjusted p is below the level the
comparison used, a segment is "below the rest" only on its Holm-adjusted test, and a weak point's
rank stability is quoted as what it is (the share of bootstrap replicates in which the indicator
stays among the top ``k``). Recommendations are the arithmetic of the weak points: the index
points regained by bringing each to its target (its loss, docs/methods.md "Weak points"), and the
unit where it scores lowest. Each :class:`Finding` carries the fields its sentence rests on; the
JSON reports hold them (docs/architecture.md, "Key findings").

>>> f = Finding("segment_below", {"by": "部门", "value": "记账二部", "score": 72.04, "delta": -5.46, "p_adj": 0.00002, "n": 133})
>>> f.text("en")
'部门 记账二部 scores 72.0, 5.5 points below the other respondents (Holm p <0.001, n = 133).'
>>> f.text("zh")
'部门「记账二部」得分 72.0，比其余客户低 5.5 分（Holm p <0.001，样本 133）。'
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from csi.compare import OVERALL_ID, Comparison, NodeComparison
from csi.report.numbers import fmt, fmt_p
from csi.result import Result

__all__ = ["Finding", "result_findings", "comparison_findings", "ALPHA_SEGMENTS", "LOW_ALPHA", "SMALL_N", "MANY_EXCLUDED"]

#: Level of the segment-against-the-rest tests a finding reports (their Holm-adjusted p).
ALPHA_SEGMENTS = 0.05
#: Cronbach's α below which a dimension's indicators are said to agree weakly (Nunnally 1978).
LOW_ALPHA = 0.7
#: Fewer usable respondents than this are a caveat on every reading.
SMALL_N = 100
#: A share of excluded rows from which the exclusions are a caveat.
MANY_EXCLUDED = 0.10
#: How many weak points, significant changes and starting units the findings name.
TOP = 3


def _pct(x: float) -> str:
    return fmt(100.0 * x, 0)


def _signed(x: float) -> str:
    return f"{abs(x):.1f}"


def _names(names: list[str], lang: str) -> str:
    return "、".join(f"「{n}」" for n in names) if lang == "zh" else ", ".join(names)


def _level(f: dict[str, Any], lang: str) -> str:
    zh = lang == "zh"
    if f.get("structural"):  # the CSI of a structural model: the satisfaction construct's index
        s = (f"CSI（满意度结构指数）为 {fmt(f['score'])}" if zh else f"The CSI (the satisfaction construct's index) is {fmt(f['score'])}")
    else:
        s = (f"总体 CSI 为 {fmt(f['score'])}" if zh else f"The index is {fmt(f['score'])}")
    if f.get("ci_low") is not None:
        s += (f"（{_pct(f['confidence'])}% 置信区间 {fmt(f['ci_low'])}–{fmt(f['ci_high'])}，样本 {f['n']}）" if zh else
              f" ({_pct(f['confidence'])} % interval {fmt(f['ci_low'])}–{fmt(f['ci_high'])}, n = {f['n']})")
    elif zh:
        s += f"（样本 {f['n']}，未做自助抽样，没有置信区间）"
    else:
        s += f" (n = {f['n']}; no bootstrap, no interval)"
    where = f.get("against_target")
    t = fmt(f.get("target"), 0)
    if where == "below":
        s += f"，整个区间低于目标 {t}" if zh else f", below the target of {t}: the whole interval lies under it"
    elif where == "above":
        s += f"，整个区间高于目标 {t}" if zh else f", above the target of {t}: the whole interval lies over it"
    elif where == "includes":
        s += f"；区间包含目标 {t}" if zh else f"; the interval includes the target of {t}"
    if f.get("structural"):
        s += (f"；驱动因素指数（指标树）为 {fmt(f['tree_score'])}" if zh else
              f"; the index of the drivers (index tree) is {fmt(f['tree_score'])}")
    return s + ("。" if zh else ".")


def _weak_point(f: dict[str, Any], lang: str) -> str:
    if lang == "zh":
        s = (f"薄弱环节第 {f['rank']} 位：「{f['name']}」得分 {fmt(f['score'])}，目标 {fmt(f['target'], 0)}，"
             f"使指数损失 {fmt(f['loss'], 2)} 分")
        if f.get("replicates"):
            s += f"；在 {f['replicates']} 次自助抽样中 {_pct(f['stability'])}% 排在前 {f['top']} 位"
        return s + "。"
    s = (f"Weak point {f['rank']}: {f['name']} scores {fmt(f['score'])} against a target of {fmt(f['target'], 0)} "
         f"and costs the index {fmt(f['loss'], 2)} points")
    if f.get("replicates"):
        s += f"; it is among the top {f['top']} in {_pct(f['stability'])} % of {f['replicates']} bootstrap replicates"
    return s + "."


def _segment_below(f: dict[str, Any], lang: str) -> str:
    if lang == "zh":
        return (f"{f['by']}「{f['value']}」得分 {fmt(f['score'])}，比其余客户低 {_signed(f['delta'])} 分"
                f"（Holm p {fmt_p(f['p_adj'])}，样本 {f['n']}）。")
    return (f"{f['by']} {f['value']} scores {fmt(f['score'])}, {_signed(f['delta'])} points below the other respondents "
            f"(Holm p {fmt_p(f['p_adj'])}, n = {f['n']}).")


def _funnel_outside(f: dict[str, Any], lang: str) -> str:
    digits = 1 if fmt(f["score"]) != fmt(f["limit"]) else 2  # (78.51 above 78.49, not "78.5 above 78.5")
    f = {**f, "score": round(f["score"], digits), "limit": round(f["limit"], digits)}
    if lang == "zh":
        side = "低于" if f["direction"] == "below" else "高于"
        limit = "下限" if f["direction"] == "below" else "上限"
        return (f"{f['by']}「{f['unit']}」的「{f['node_name']}」得分 {fmt(f['score'], digits)}（样本 {f['n']}），{side} {fmt(100 * f['level'], 1)}% 漏斗{limit} "
                f"{fmt(f['limit'], digits)}（整体 {fmt(f['target'])}）：明显{side}整体，不是样本少所致。")
    side = "below" if f["direction"] == "below" else "above"
    return (f"{f['by']} {f['unit']} scores {fmt(f['score'], digits)} on {f['node_name']} (n = {f['n']}), {side} the {fmt(100 * f['level'], 1)} % funnel "
            f"limit of {fmt(f['limit'], digits)} around the overall {fmt(f['target'])}: clearly {side}, beyond what its size explains.")


def _more_outside(f: dict[str, Any], lang: str) -> str:
    level = fmt(100 * f["level"], 1)
    return (f"另有 {f['more']} 个{f['by']}在 {level}% 漏斗界限之外，见排名表。" if lang == "zh" else
            f"{f['more']} more {f['by']} value(s) lie outside the {level} % funnel limits; see the league table.")


def _small_sample(f: dict[str, Any], lang: str) -> str:
    half = "" if f.get("half_width") is None else (f"，指数区间为 ±{fmt(f['half_width'])} 分" if lang == "zh" else
                                                   f": the index is known to ±{fmt(f['half_width'])} points")
    return (f"注意：只有 {f['n']} 份可用答卷{half}。" if lang == "zh" else
            f"Caveat: only {f['n']} usable responses{half}.")


def _low_alpha(f: dict[str, Any], lang: str) -> str:
    listed = [f"{n}（α {fmt(a, 2)}）" if lang == "zh" else f"{n} (α {fmt(a, 2)})" for n, a in zip(f["names"], f["alphas"], strict=True)]
    if lang == "zh":
        return f"注意：{'、'.join(listed)} 的信度低于 {fmt(f['threshold'], 1)}，其指标并不一致，该维度得分宜按各指标分别解读。"
    return (f"Caveat: Cronbach's α below {fmt(f['threshold'], 1)} for {', '.join(listed)}: their indicators do not agree well; "
            f"read those dimensions indicator by indicator.")


def _excluded(f: dict[str, Any], lang: str) -> str:
    if lang == "zh":
        return f"注意：{f['rows']} 份答卷中排除了 {f['excluded']} 份（{_pct(f['share'])}%），结果只代表其余答卷。"
    return f"Caveat: {f['excluded']} of {f['rows']} responses ({_pct(f['share'])} %) were excluded; the results stand for the rest."


def _regain(f: dict[str, Any], lang: str) -> str:
    if lang == "zh":
        return (f"把{_names(f['names'], lang)}提高到各自目标，{'驱动因素指数' if f.get('structural') else '指数'}可提高 {fmt(f['gain'], 2)} 分"
                f"（{fmt(f['score'])} → {fmt(f['score'] + f['gain'])}）。")
    index = "the index of the drivers" if f.get("structural") else "the index"
    return (f"Bringing {_names(f['names'], lang)} to their targets would raise {index} by "
            f"{fmt(f['gain'], 2)} points ({fmt(f['score'])} → {fmt(f['score'] + f['gain'])}).")


def _start_with(f: dict[str, Any], lang: str) -> str:
    if lang == "zh":
        return (f"改进「{f['name']}」从{f['by']}「{f['value']}」开始，其得分 {fmt(f['score'])}（样本 {f['n']}），"
                f"为各{f['by']}最低。")
    return (f"Start on {f['name']} with {f['by']} {f['value']}, where it scores lowest "
            f"({fmt(f['score'])}, n = {f['n']}).")


def _change(f: dict[str, Any], lang: str) -> str:
    zh = lang == "zh"
    if f["id"] == OVERALL_ID:
        f = {**f, "name": "总体 CSI" if zh else "The index"}
    where = "" if not f.get("segment") else (f"{f['segment']['by']}「{f['segment']['value']}」的" if zh else
                                             f" among {f['segment']['by']} {f['segment']['value']}")
    path = f"{fmt(f['previous'])} → {fmt(f['last'])}"
    ci = "" if f.get("ci_low") is None else (f"，区间 {fmt(f['ci_low'])} 至 {fmt(f['ci_high'])}" if zh else
                                             f", interval {fmt(f['ci_low'])} to {fmt(f['ci_high'])}")
    if f["significant"]:
        if zh:
            verb = "显著上升" if f["delta"] > 0 else "显著下降"
            return f"{where}「{f['name']}」{verb} {_signed(f['delta'])} 分（{path}{ci}，Holm p {fmt_p(f['p_adj'])}）。"
        verb = "rose" if f["delta"] > 0 else "fell"
        return f"{f['name']}{where} {verb} significantly by {_signed(f['delta'])} points ({path}{ci}, Holm p {fmt_p(f['p_adj'])})."
    if zh:
        return f"{where}「{f['name']}」从 {path}，变化 {fmt(f['delta'])} 分{ci}，经 Holm 校正不显著（p {fmt_p(f['p_adj'])}）。"
    return (f"{f['name']}{where} moved {path} ({fmt(f['delta'])} points{ci}), not significant after the Holm adjustment "
            f"(p {fmt_p(f['p_adj'])}).")


def _no_changes(f: dict[str, Any], lang: str) -> str:
    return (f"{f['tested']} 项比较中没有经 Holm 校正显著的变化。" if lang == "zh" else
            f"None of the {f['tested']} comparisons changed significantly after the Holm adjustment.")


def _more_changes(f: dict[str, Any], lang: str) -> str:
    return (f"另有 {f['more']} 项显著变化，见下表。" if lang == "zh" else
            f"{f['more']} more significant change(s) are in the table below.")


def _weak_entered(f: dict[str, Any], lang: str) -> str:
    if lang == "zh":
        return f"「{f['name']}」新进入薄弱环节第 {f['rank']} 位（损失 {fmt(f['previous_loss'], 2)} → {fmt(f['loss'], 2)} 分）。"
    return f"{f['name']} entered the weak points at rank {f['rank']} (loss {fmt(f['previous_loss'], 2)} → {fmt(f['loss'], 2)} points)."


def _action(f: dict[str, Any], lang: str) -> str:
    """An improvement action followed up (csi compare --actions): its verdict is the Holm test's."""
    zh = lang == "zh"
    node = f["name"] if not f.get("segment") else f"{f['segment']['value']} · {f['name']}"
    path = f"{fmt(f['before'])}（{f['before_period']}）→ {fmt(f['after'])}（{f['after_period']}）" if zh else \
        f"{fmt(f['before'])} ({f['before_period']}) → {fmt(f['after'])} ({f['after_period']})"
    ci = "" if f.get("ci_low") is None else (f"，区间 {fmt(f['ci_low'])} 至 {fmt(f['ci_high'])}" if zh else
                                             f", interval {fmt(f['ci_low'])} to {fmt(f['ci_high'])}")
    verdict = {"improved": ("显著改善", "improved significantly"), "worse": ("显著变差", "got significantly worse"),
               "no_change": ("无显著变化", "no change detectable after the Holm adjustment")}[f["verdict"]]
    gain = "" if f.get("gain") is None else {
        "met": (f"，达到预期 {fmt(f['expected_gain'])} 分", f"; the expected gain of {fmt(f['expected_gain'])} was met"),
        "missed": (f"，未达预期 {fmt(f['expected_gain'])} 分", f"; the expected gain of {fmt(f['expected_gain'])} was missed"),
    }[f["gain"]][0 if zh else 1]
    if zh:
        return (f"措施 {f['id']}「{node}」（{f['start']} 起）：{path}，变化 {fmt(f['delta'])} 分{ci}，"
                f"Holm p {fmt_p(f['p_adj'])}，{verdict[0]}{gain}。")
    return (f"Action {f['id']} on {node} (from {f['start']}): {path}, {fmt(f['delta'])} points{ci}, "
            f"Holm p {fmt_p(f['p_adj'])}: {verdict[1]}{gain}.")


_SENTENCES: dict[str, Callable[[dict[str, Any], str], str]] = {
    "level": _level, "weak_point": _weak_point, "segment_below": _segment_below, "small_sample": _small_sample,
    "low_alpha": _low_alpha, "funnel_outside": _funnel_outside, "more_outside": _more_outside, "excluded": _excluded, "regain": _regain, "start_with": _start_with,
    "change": _change, "no_changes": _no_changes, "more_changes": _more_changes, "weak_entered": _weak_entered,
    "action": _action,
}

#: Kinds that are recommendations (shown under their own heading), not findings.
RECOMMENDATIONS = frozenset({"regain", "start_with"})


@dataclass(frozen=True, slots=True)
class Finding:
    """One sentence of the reading: its kind and the numbers and names it rests on."""

    kind: str
    fields: dict[str, Any]

    @property
    def recommendation(self) -> bool:
        return self.kind in RECOMMENDATIONS

    def text(self, lang: str) -> str:
        """The sentence in ``lang`` (``zh`` or ``en``)."""
        return _SENTENCES[self.kind](self.fields, lang)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: the kind, the fields (non-finite numbers as null) and the sentence in both languages."""
        return {"kind": self.kind, "recommendation": self.recommendation, **_plain(self.fields),
                "text": {"zh": self.text("zh"), "en": self.text("en")}}


def _plain(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_plain(x) for x in v]
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


def _finite(x: Any) -> bool:
    return isinstance(x, int | float) and math.isfinite(x)


# --- csi score -------------------------------------------------------------------------------

def _target(result: Result) -> float | None:
    targets = [n.target for n in result.nodes if n.kind == "item" and n.target is not None]
    return max(set(targets), key=targets.count) if targets else None


def _level_finding(result: Result) -> Finding:
    """The level of the CSI against the target: the tree's overall index, or with ``paths:``
    the satisfaction construct's index (the CSI of a structural model), the tree's beside it."""
    sc = result.structural_csi()
    o = result.overall if sc is None else sc
    options = result.manifest.get("options", {})
    has_ci = _finite(o.ci[0]) and _finite(o.ci[1]) and int(options.get("bootstrap", 0) or 0) > 0
    fields: dict[str, Any] = {"score": o.score, "n": o.n}
    if sc is not None:
        fields.update(structural=True, tree_score=result.overall.score)
    if has_ci:
        fields.update(ci_low=o.ci[0], ci_high=o.ci[1], confidence=float(options.get("confidence", 0.95)))
    target = _target(result)
    if target is not None and has_ci:
        where = "below" if o.ci[1] < target else "above" if o.ci[0] > target else "includes"
        fields.update(target=target, against_target=where)
    return Finding("level", fields)


def _weak_findings(result: Result) -> list[Finding]:
    options = result.manifest.get("options", {})
    replicates = int(options.get("bootstrap", 0) or 0)
    out = []
    for wp in result.weak_points[:TOP]:
        fields = {"rank": wp.rank, "id": wp.id, "name": wp.name, "score": wp.score, "target": wp.target, "loss": wp.loss}
        if replicates:
            fields.update(stability=wp.stability, top=int(options.get("top", len(result.weak_points))), replicates=replicates)
        out.append(Finding("weak_point", fields))
    return out


def _segment_findings(result: Result) -> list[Finding]:
    out = []
    for seg in result.segments:
        for g in seg.groups:
            t = g.vs_rest or {}
            if _finite(t.get("p_adj")) and _finite(t.get("delta")) and t["p_adj"] < ALPHA_SEGMENTS and t["delta"] < 0:
                out.append(Finding("segment_below", {"by": seg.by, "value": g.value, "score": g.overall.score, "delta": t["delta"],
                                                     "p_adj": t["p_adj"], "n": g.n, "alpha": ALPHA_SEGMENTS}))
    return sorted(out, key=lambda f: f.fields["delta"])


def _caveats(result: Result) -> list[Finding]:
    out = []
    o = result.overall
    used = int(result.respondents.get("used", 0) or 0)
    if used < SMALL_N:
        half = (o.ci[1] - o.ci[0]) / 2 if _finite(o.ci[0]) and _finite(o.ci[1]) else None
        out.append(Finding("small_sample", {"n": used, "half_width": half, "threshold": SMALL_N}))
    low = [n for n in result.nodes if n.kind == "group" and n.alpha is not None and _finite(n.alpha) and n.alpha < LOW_ALPHA]
    if low:
        out.append(Finding("low_alpha", {"ids": [n.id for n in low], "names": [n.name for n in low], "alphas": [n.alpha for n in low],
                                         "threshold": LOW_ALPHA}))
    rows = int(result.respondents.get("rows", 0) or 0)
    excluded = sum(int(v) for v in result.respondents.get("excluded", {}).values())
    if rows and excluded / rows >= MANY_EXCLUDED:
        out.append(Finding("excluded", {"rows": rows, "excluded": excluded, "share": excluded / rows,
                                        "reasons": {k: v for k, v in result.respondents.get("excluded", {}).items() if v},
                                        "threshold": MANY_EXCLUDED}))
    return out


def _recommendations(result: Result) -> list[Finding]:
    top = result.weak_points[:TOP]
    if not top:
        return []
    fields = {"ids": [w.id for w in top], "names": [w.name for w in top], "losses": [w.loss for w in top],
              "gain": sum(w.loss for w in top), "score": result.overall.score}
    out = [Finding("regain", {**fields, "structural": True} if result.structural else fields)]
    seg = next((s for s in result.segments if len(s.groups) >= 2), None)
    if seg is None:
        return out
    for wp in top:
        scored = [(dict(g.nodes).get(wp.id), g) for g in seg.groups]
        scored = [(e, g) for e, g in scored if e is not None and _finite(e.score)]
        if len(scored) < 2:
            continue
        e, g = min(scored, key=lambda eg: eg[0].score)
        out.append(Finding("start_with", {"id": wp.id, "name": wp.name, "by": seg.by, "value": g.value, "score": e.score, "n": e.n}))
    return out


def _funnel_findings(result: Result) -> list[Finding]:
    """Units of a league table (``--rank``) outside the 99.8 % funnel limits: clearly above or
    below the whole sample, beyond what their number of respondents explains."""
    out = []
    for table in result.rankings:
        outside = [u for u in table.ranked if u.flag in ("clearly_above", "clearly_below") and u.raw is not None and u.limits]
        outside.sort(key=lambda u: (u.flag != "clearly_below", u.raw.score if u.flag == "clearly_below" else -u.raw.score))
        for u in outside[:TOP]:
            low, high = u.limits[1]
            below = u.flag == "clearly_below"
            out.append(Finding("funnel_outside", {"by": table.by, "node": table.node, "node_name": table.node_name,
                                                  "unit": u.unit, "score": u.raw.score, "n": u.raw.n, "direction": "below" if below else "above",
                                                  "limit": low if below else high, "level": 0.998, "target": table.target}))
        if len(outside) > TOP:
            out.append(Finding("more_outside", {"by": table.by, "more": len(outside) - TOP, "level": 0.998}))
    return out


def result_findings(result: Result) -> list[Finding]:
    """The key findings of one scoring, most important first, then the recommendations."""
    return [_level_finding(result), *_weak_findings(result), *_segment_findings(result), *_funnel_findings(result),
            *_caveats(result), *_recommendations(result)]


# --- csi compare -----------------------------------------------------------------------------

def _change_fields(c: NodeComparison, comparison: Comparison, segment: dict[str, str] | None = None) -> dict[str, Any]:
    present = [s for s, p in zip(c.scores, c.present, strict=True) if p]
    fields: dict[str, Any] = {"id": c.id, "name": c.name, "previous": present[-2], "last": present[-1], "delta": c.delta,
                              "p_adj": c.p_adj, "alpha": comparison.alpha, "significant": c.verdict in ("up", "down")}
    if _finite(c.delta_ci[0]) and _finite(c.delta_ci[1]):
        fields.update(ci_low=c.delta_ci[0], ci_high=c.delta_ci[1], confidence=comparison.confidence)
    if segment:
        fields["segment"] = segment
    return fields


def _action_fields(a: Any, comparison: Comparison) -> dict[str, Any]:
    fields: dict[str, Any] = {"id": a.id, "node": a.node, "name": a.name, "start": a.start, "before_period": a.before_period,
                              "after_period": a.after_period, "before": a.before, "after": a.after, "delta": a.delta,
                              "p_adj": a.p_adj, "alpha": comparison.alpha, "verdict": a.verdict, "gain": a.gain,
                              "expected_gain": a.expected_gain}
    if _finite(a.delta_ci[0]) and _finite(a.delta_ci[1]):
        fields.update(ci_low=a.delta_ci[0], ci_high=a.delta_ci[1], confidence=comparison.confidence)
    if a.segment is not None:
        fields["segment"] = {"by": a.segment[0], "value": a.segment[1]}
    return fields


def _tested(c: NodeComparison) -> bool:
    return sum(c.present) >= 2 and _finite(c.p_adj) and _finite(c.delta)


def comparison_findings(comparison: Comparison) -> list[Finding]:
    """The key findings of a comparison: the index's change, the significant moves (Holm), the
    weak points that entered the top, then the recommendations of the last period's weak points."""
    out: list[Finding] = []
    o = comparison.overall
    if _tested(o):
        out.append(Finding("change", _change_fields(o, comparison)))
    structural = comparison.structural
    if structural is not None and _tested(structural.csi):  # the CSI of the structural model (paths:)
        out.append(Finding("change", _change_fields(structural.csi, comparison)))
    moves = [(c, None) for c in comparison.nodes if _tested(c) and c.verdict in ("up", "down")]
    if structural is not None:  # constructs outside the index tree (a driver's group says it already);
        tree = {c.id for c in comparison.nodes}  # impacts measure importance, not satisfaction
        moves += [(c, None) for c in structural.constructs
                  if c.id not in tree and _tested(c) and c.verdict in ("up", "down")]
    for seg in comparison.segments:
        for v in seg.values:
            moves += [(c, {"by": seg.by, "value": v.value}) for c in (v.overall, *v.nodes) if _tested(c) and c.verdict in ("up", "down")]
    # the dimensions first, then sub-dimensions, then indicators; the largest change first in each
    moves.sort(key=lambda cm: (cm[1] is not None, cm[0].kind != "group", cm[0].parent is not None, -abs(cm[0].delta), cm[0].id))
    leading = [o] if structural is None else [o, structural.csi]
    others = [*comparison.nodes, *(structural.constructs if structural is not None else ())]
    tested = sum(_tested(c) for c in (*leading, *others))
    if not moves and all(c.verdict not in ("up", "down") for c in leading):
        out.append(Finding("no_changes", {"tested": tested, "alpha": comparison.alpha}))
    out += [Finding("change", _change_fields(c, comparison, seg)) for c, seg in moves[:TOP]]
    if len(moves) > TOP:
        out.append(Finding("more_changes", {"more": len(moves) - TOP}))
    out += [Finding("action", _action_fields(a, comparison)) for a in comparison.actions if a.verdict is not None]
    last = [w for w in comparison.weak_points if w.ranks[-1] is not None]
    for w in sorted(last, key=lambda w: w.ranks[-1]):
        if w.status == "entered" and w.ranks[-1] <= TOP:
            out.append(Finding("weak_entered", {"id": w.id, "name": w.name, "rank": w.ranks[-1], "loss": w.losses[-1],
                                                "previous_loss": w.losses[-2]}))
    top = [w for w in sorted(last, key=lambda w: w.ranks[-1]) if w.ranks[-1] <= TOP]
    if top and _finite(o.scores[-1]):
        out.append(Finding("regain", {"ids": [w.id for w in top], "names": [w.name for w in top], "losses": [w.losses[-1] for w in top],
                                      "gain": sum(w.losses[-1] for w in top), "score": o.scores[-1]}))
    return out


# --- rendering -------------------------------------------------------------------------------

_HEADINGS = {"findings": ("关键发现", "Key findings"), "recommendations": ("建议", "Recommendations")}


def heading(key: str, lang: str) -> str:
    """``findings`` or ``recommendations`` in ``lang``."""
    zh, en = _HEADINGS[key]
    return zh if lang == "zh" else en


def sections(findings: list[Finding], lang: str) -> list[tuple[str, list[str]]]:
    """The findings and the recommendations as (heading, sentences), empty sections left out."""
    found = [f.text(lang) for f in findings if not f.recommendation]
    recommended = [f.text(lang) for f in findings if f.recommendation]
    return [(heading(k, lang), s) for k, s in (("findings", found), ("recommendations", recommended)) if s]


def print_findings(findings: list[Finding], console: Any, lang: str) -> None:
    """Print numbered sentences under their headings, each wrapped to the console under its own
    text, names and numbers kept whole (csi/report/fit.py)."""
    from rich.text import Text

    from csi.report.fit import wrap

    for kind, title in (("findings", heading("findings", lang)), ("recommendations", heading("recommendations", lang))):
        chosen = [f for f in findings if f.recommendation == (kind == "recommendations")]
        if not chosen:
            continue
        console.print(Text(title, style="bold"))
        for i, f in enumerate(chosen, 1):
            number = f"  {i}. "
            sentence = f.text(lang)
            lines = wrap(sentence, max(console.width - len(number), 20), keep=_names_in(f, sentence))
            for k, line in enumerate(lines):
                console.print(Text((number if k == 0 else " " * len(number)) + line.strip()), soft_wrap=True)
    console.print()


def _names_in(f: Finding, sentence: str) -> list[str]:
    """The names a sentence quotes (indicators, units), with their 「」 where it has them:
    never broken across lines."""
    names = [f.fields.get(k) for k in ("name", "value")] + list(f.fields.get("names", ()))
    return [f"「{n}」" if f"「{n}」" in sentence else n for n in names if isinstance(n, str) and n]


def markdown_lines(findings: list[Finding], lang: str, escape: Callable[[str], str]) -> list[str]:
    """The findings as Markdown: a heading and a numbered list each, text through ``escape``."""
    lines: list[str] = []
    for title, sentences in sections(findings, lang):
        lines += [f"## {title}", ""] + [f"{i}. {escape(s)}" for i, s in enumerate(sentences, 1)] + [""]
    return lines
