"""Plain-text renderings of a result: JSON, CSV (one row per node) and Markdown."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from csi.report.numbers import fmt, fmt_p
from csi.result import QUADRANTS, Result

__all__ = ["to_json", "to_csv", "to_markdown", "lang_of", "lang_of_name", "text", "escape_cell", "md_text", "md_code", "fmt", "fmt_p",
           "fmt_vs_rest", "rank_by", "weak_title", "ipa_basis", "ipa_disagreement", "IPA_TOP"]

#: How many of the first weak points are checked against their IPA quadrant (ipa_disagreement).
IPA_TOP = 3

_TEXT = {
    "title": ("客户满意度指数报告", "Customer Satisfaction Index report"),
    "overall": ("总体 CSI", "Overall CSI"),
    "outcome": ("结果指数（直接满意度）", "Outcome index (direct satisfaction)"),
    "nps": ("净推荐值 NPS", "Net Promoter Score"),
    "node": ("维度 / 指标", "Dimension / indicator"),
    "score": ("得分", "Score"),
    "ci": ("置信区间", "CI"),
    "weight": ("权重", "Weight"),
    "n": ("样本", "n"),
    "target": ("目标", "Target"),
    "loss": ("损失分", "Loss"),
    "importance": ("重要性", "Importance"),
    "quadrant": ("象限", "Quadrant"),
    "low": ("低分占比", "Low ratings"),
    "stability": ("排名稳定性", "Stability"),
    "weak": ("薄弱环节（按损失排序）", "Weak points (ranked by loss)"),
    "quality": ("数据质量", "Data quality"),
    "respondents": ("有效样本", "Respondents used"),
    "segments": ("分组", "Segments"),
    "alpha": ("α 信度", "Cronbach's α"),
    "suppressed": ("个分组样本不足未显示", "groups below the minimum size not shown"),
    "warnings": ("提示", "Warnings"),
    "vs_rest": ("与其余相比（Holm p）", "vs rest (Holm p)"),
    "weak_ipma": ("薄弱环节（按 IPMA 排序：推导重要性 × 与目标差）", "Weak points (ranked by IPMA: derived importance × gap to target)"),
    "priority": ("IPMA 优先度", "IPMA priority"),
    "csi_structural": ("CSI（满意度结构指数）", "CSI (satisfaction construct)"),
    "drivers_index": ("驱动因素指数（指标树）", "Index of the drivers (index tree)"),
    "ipa_basis_relative_weight": ("IPA 重要性：各指标对结果指数（直接满意度）的相对权重（Johnson 2000；{n} 份完整答卷，R² {r2}）。",
                                  "IPA importance: relative weights of the indicators on the outcome index (Johnson 2000; "
                                  "{n} complete responses, R² {r2})."),
    "ipa_basis_ipma_total_effect": ("IPA 重要性：IPMA 指标重要性，即对满意度结构指数的非标准化总效应（Ringle & Sarstedt 2016）。",
                                    "IPA importance: IPMA indicator importance, the unstandardised total effect on the satisfaction "
                                    "index (Ringle & Sarstedt 2016)."),
    "ipa_basis_model_weight": ("IPA 重要性：指标模型的全局权重{why}。", "IPA importance: the model's global weights{why}."),
    "ipa_why_no_outcome": ("（模型没有结果指标，无法推导重要性）", " (the model has no outcome block to derive importance from)"),
    "ipa_why_failed": ("（无法计算对结果指数的相对权重，见提示）", " (relative weights on the outcome could not be computed; see the warnings)"),
    "ipa_differ_loss": ("按损失排在前 {k} 位、却不在「加强改善重点」象限：{names}。损失 = 模型权重 × 与目标的差距，而矩阵按推导重要性和平均得分划分。",
                        "Top {k} by loss, yet outside “Concentrate here”: {names}. Loss = model weight × gap to target, "
                        "while the matrix plots derived importance against the mean score."),
    "ipa_differ_weight": ("按损失排在前 {k} 位、却不在「加强改善重点」象限：{names}。损失衡量与目标的差距，而象限以平均权重和平均得分划分。",
                          "Top {k} by loss, yet outside “Concentrate here”: {names}. Loss weighs the gap to the target, "
                          "while the quadrants split at the mean weight and the mean score."),
    "ipa_differ_ipma": ("按推导重要性 × 与目标差排在前 {k} 位、却不在「加强改善重点」象限：{names}。排名衡量与目标的差距，而象限以平均重要性和平均得分划分。",
                        "Top {k} by derived importance × gap, yet outside “Concentrate here”: {names}. The ranking weighs "
                        "the gap to the target, while the quadrants split at the mean importance and the mean score."),
}
_QUADRANT_EN = {
    "concentrate_here": "Concentrate here",
    "keep_up_the_good_work": "Keep up the good work",
    "low_priority": "Low priority",
    "possible_overkill": "Possible overkill",
}
_REASONS = {
    "empty": ("空答卷", "empty"), "incomplete": ("未答完", "incomplete"), "speeder": ("答题过快", "speeder"),
    "duplicate": ("重复提交", "duplicate"), "straightliner": ("全部同一选项", "straightliner"),
}


def lang_of(result: Result) -> str:
    """Report language from the model's name: Chinese when it has CJK characters."""
    return lang_of_name(str(result.manifest.get("model", {}).get("name", "")))


def lang_of_name(name: str) -> str:
    """``zh`` for a model name with CJK characters, else ``en``.

    >>> lang_of_name("代理记账服务客户满意度指数"), lang_of_name("Client survey")
    ('zh', 'en')
    """
    return "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in name) else "en"


def text(key: str, lang: str) -> str:
    zh, en = _TEXT[key]
    return zh if lang == "zh" else en


def quadrant_text(q: str, lang: str) -> str:
    return QUADRANTS.get(q, q) if lang == "zh" else _QUADRANT_EN.get(q, q)


def rank_by(result: Result) -> str:
    """How the result's weak points are ranked: ``loss`` or ``ipma``."""
    return str((result.manifest.get("options") or {}).get("rank_by") or "loss")


def weak_title(result: Result, lang: str) -> str:
    """The weak points' heading, naming the ranking shown."""
    return text("weak_ipma" if rank_by(result) == "ipma" else "weak", lang)


def importance_kind(result: Result) -> str:
    """What the IPA matrix's importance axis is (``ipa.importance``; a result written before
    it shows the model's global weights)."""
    return str((result.ipa or {}).get("importance") or "model_weight")


def ipa_basis(result: Result, lang: str) -> str:
    """One line: which importance the IPA matrix (and the quadrants) show.

    >>> from csi.result import Estimate, Result
    >>> r = Result(Estimate(70, 1, (68, 72), 9), (), (), {}, ipa={"importance": "relative_weight", "n": 79, "r2": 0.874})
    >>> ipa_basis(r, "en")
    'IPA importance: relative weights of the indicators on the outcome index (Johnson 2000; 79 complete responses, R² 0.87).'
    """
    ipa = result.ipa or {}
    kind = importance_kind(result)
    if kind == "model_weight":
        why = "" if not ipa else text("ipa_why_failed" if ipa.get("not_derived") else "ipa_why_no_outcome", lang)
        return text("ipa_basis_model_weight", lang).format(why=why)
    return text(f"ipa_basis_{kind}", lang).format(n=ipa.get("n"), r2=fmt(ipa.get("r2"), 2))


def ipa_disagreement(result: Result, lang: str) -> str | None:
    """One line, when one of the first ``IPA_TOP`` weak points lies outside "concentrate here":
    why the ranking and the quadrant differ (None when they agree)."""
    differ = [w.name for w in result.weak_points[:IPA_TOP] if w.quadrant != "concentrate_here"]
    if not differ:
        return None
    key = "ipa_differ_ipma" if rank_by(result) == "ipma" else (
        "ipa_differ_weight" if importance_kind(result) == "model_weight" else "ipa_differ_loss")
    names = "、".join(f"「{n}」" for n in differ) if lang == "zh" else ", ".join(differ)
    return text(key, lang).format(names=names, k=IPA_TOP)


def reason_text(reason: str, lang: str) -> str:
    zh, en = _REASONS.get(reason, (reason, reason))
    return zh if lang == "zh" else en


def fmt_vs_rest(test: dict[str, Any] | None) -> str:
    """A segment against all other respondents: Δ and its Holm p, as the terminal and Markdown show it.

    >>> fmt_vs_rest({"delta": -5.46, "p_adj": 0.00002}), fmt_vs_rest({"delta": 0.2, "p_adj": 0.9041}), fmt_vs_rest(None)
    ('-5.5 (<0.001)', '+0.2 (0.904)', '')
    """
    if not test or test.get("delta") is None:
        return ""
    return f"{test['delta']:+.1f} ({fmt_p(test.get('p_adj'))})"


def escape_cell(value: Any) -> Any:
    """Neutralise text a spreadsheet would run as a formula (leading = + − @, tab, CR).

    >>> escape_cell("=HYPERLINK(1)"), escape_cell("-3"), escape_cell(-3.0), escape_cell("满意")
    ("'=HYPERLINK(1)", "'-3", -3.0, '满意')
    """
    if isinstance(value, str) and value and value[0] in "=+-@\t\r":
        return "'" + value
    return value


def to_json(result: Result, indent: int | None = 2) -> str:
    """The result as ``csi.result/1`` JSON (full precision, NaN as null)."""
    from csi.report.findings import result_findings

    doc = result.to_dict()
    doc["findings"] = [f.to_dict() for f in result_findings(result)]
    return json.dumps(doc, ensure_ascii=False, indent=indent, allow_nan=False) + "\n"


CSV_COLUMNS = ("id", "name", "parent", "kind", "method", "weight", "global_weight", "score", "se", "ci_low", "ci_high", "n",
               "target", "low_share", "alpha")


def exclusions_csv(quality: Any) -> str:
    """The ``--exclusions`` file: row numbers and reasons only, no answers, no personal data."""
    lines = ["row,reason,status"]
    lines += [f"{row},{reason},excluded" for row, reason in quality.exclusions]
    lines += [f"{row},{reason},flagged" for row, reason in quality.flags]
    return "\n".join(lines) + "\n"


def weights_json(comparison: Any) -> str:
    """The JSON of ``csi weights`` (schema ``csi.weights/1``)."""
    return json.dumps(comparison.to_dict(), ensure_ascii=False, indent=2) + "\n"


def to_csv(result: Result) -> str:
    """One row per node (the overall index first), machine-readable, full precision; with a
    structural model also one row per construct, path and impact and the columns of
    :data:`csi.report.structural_csv.COLUMNS` (docs/structural.md)."""
    from csi.report import structural_csv

    extra = [] if result.structural is None else [""] * len(structural_csv.COLUMNS)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([*CSV_COLUMNS, *(structural_csv.COLUMNS if extra else ())])
    o = result.overall
    w.writerow([escape_cell(v) for v in ("overall", result.manifest.get("model", {}).get("name", "overall"), "", "index", "", 1.0,
                                          1.0, o.score, o.se, o.ci[0], o.ci[1], o.n, "", "", "", *extra)])
    for node in result.nodes:
        e = node.estimate
        w.writerow([escape_cell(v) for v in (node.id, node.name, node.parent or "", node.kind, node.method or "", node.weight,
                                              node.global_weight, e.score, e.se, e.ci[0], e.ci[1], e.n,
                                              "" if node.target is None else node.target,
                                              "" if node.low_share is None else node.low_share,
                                              "" if node.alpha is None else node.alpha, *extra)])
    for row in [] if result.structural is None else structural_csv.structural_rows(result.structural):
        w.writerow([escape_cell(v) for v in row])
    return buf.getvalue()


_MD_ESCAPES = str.maketrans({"\\": "\\\\", "[": "\\[", "]": "\\]", "|": "\\|", "&": "&amp;", "<": "&lt;", ">": "&gt;",
                             "\n": " ", "\t": " "})


def md_text(s: object) -> str:
    """Text from the data as Markdown shows it, never as markup: HTML (``<script>``, ``<img
    onerror>``) as entities, so a renderer shows it rather than running it; brackets escaped,
    so no link (``[x](javascript:…)``) can form; table pipes escaped; one line.

    >>> md_text("<img src=x onerror=alert(1)> & [x](javascript:alert(1)) a|b")
    '&lt;img src=x onerror=alert(1)&gt; &amp; \\\\[x\\\\](javascript:alert(1)) a\\\\|b'
    """
    return str(s).translate(_MD_ESCAPES)


def md_code(s: object) -> str:
    """Text shown in a Markdown code span (a file path): no backtick to end it, one line.

    >>> md_code("a`b|c")
    "a'b\\\\|c"
    """
    return str(s).replace("`", "'").replace("|", "\\|").replace("\n", " ")


_md = md_text


def to_markdown(result: Result, lang: str | None = None) -> str:
    """A digest for chat and e-mail: the index, dimensions, weak points, data quality."""
    lang = lang or lang_of(result)
    m = result.manifest
    lines = [f"# {_md(m.get('model', {}).get('name', text('title', lang)))}", ""]
    src = m.get("input", {})
    if src:
        lines += [f"`{md_code(src.get('path', ''))}` · {result.respondents.get('used', 0)} / {result.respondents.get('rows', 0)} "
                  f"{text('respondents', lang)}", ""]
    o = result.overall
    # One paragraph each: consecutive lines would run together into one in a Markdown renderer.
    sc = result.structural_csi()
    if sc is not None:  # the CSI of a structural model leads; the tree's index is its drivers'
        lines += [f"**{text('csi_structural', lang)}: {fmt(sc.score)}** [{fmt(sc.ci[0])}, {fmt(sc.ci[1])}]", "",
                  f"{text('drivers_index', lang)}: {fmt(o.score)} [{fmt(o.ci[0])}, {fmt(o.ci[1])}]", ""]
    else:
        lines += [f"**{text('overall', lang)}: {fmt(o.score)}** [{fmt(o.ci[0])}, {fmt(o.ci[1])}]", ""]
    if result.outcome is not None:
        lines += [f"{text('outcome', lang)}: {fmt(result.outcome.score)} [{fmt(result.outcome.ci[0])}, {fmt(result.outcome.ci[1])}]", ""]
    if result.nps and result.nps.get("score") is not None:
        ci = result.nps["ci"]
        lines += [f"{text('nps', lang)}: {fmt(result.nps['score'])} [{fmt(ci[0])}, {fmt(ci[1])}]", ""]
    from csi.report.findings import markdown_lines, result_findings

    lines += markdown_lines(result_findings(result), lang, _md)
    lines += [f"| {text('node', lang)} | {text('score', lang)} | {text('ci', lang)} | {text('weight', lang)} | {text('n', lang)} |",
              "|---|---:|---|---:|---:|"]
    depth = _depths(result)
    for node in result.nodes:
        e = node.estimate
        name = ("　" * depth[node.id]) + _md(node.name)
        if node.kind == "group":
            name = f"**{name}**"
        lines.append(f"| {name} | {fmt(e.score)} | {fmt(e.ci[0])}–{fmt(e.ci[1])} | {fmt(node.weight * 100, 0)}% | {e.n} |")
    lines += _md_weak(result, lang)
    from csi.report.grades_report import markdown_lines as grade_lines

    lines += grade_lines(result.grades, lang)
    if result.structural is not None:
        from csi.report.structural_md import structural_markdown

        lines += structural_markdown(result.structural, lang, _md)
    lines += ["", f"## {text('quality', lang)}", ""] + [f"- {_md(q)}" for q in quality_lines(result, lang)]
    for seg in result.segments:
        lines += ["", f"## {text('segments', lang)}: {_md(seg.by)}", "",
                  f"| {_md(seg.by)} | {text('n', lang)} | {text('score', lang)} | {text('ci', lang)} | {text('vs_rest', lang)} |",
                  "|---|---:|---:|---|---:|"]
        for g in seg.groups:
            lines.append(f"| {_md(g.value)} | {g.n} | {fmt(g.overall.score)} | {fmt(g.overall.ci[0])}–{fmt(g.overall.ci[1])} | "
                         f"{fmt_vs_rest(g.vs_rest)} |")
        if seg.suppressed:
            lines.append(f"\n{seg.suppressed} {text('suppressed', lang)} (n < {seg.min_group})")
    if result.warnings:
        lines += ["", f"## {text('warnings', lang)}", ""] + [f"- {_md(w)}" for w in result.warnings]
    return "\n".join(lines) + "\n"


def _md_weak(result: Result, lang: str) -> list[str]:
    """The weak points' table, the importance the quadrants show and, where the ranking and a
    quadrant differ, why; then the quoted comments."""
    if not result.weak_points:
        return []
    ipma = rank_by(result) == "ipma"
    lines = ["", f"## {weak_title(result, lang)}", "",
             f"| # | {text('node', lang)} | {text('score', lang)} | {text('target', lang)} | {text('loss', lang)} | "
             + (f"{text('priority', lang)} | " if ipma else "")
             + f"{text('quadrant', lang)} | {text('low', lang)} | {text('stability', lang)} |",
             "|---:|---|---:|---:|---:|" + ("---:|" if ipma else "") + "---|---:|---:|"]
    for wp in result.weak_points:
        lines.append(f"| {wp.rank} | {_md(wp.name)} | {fmt(wp.score)} | {fmt(wp.target, 0)} | {fmt(wp.loss, 2)} | "
                     + (f"{fmt(wp.priority, 3)} | " if ipma else "")
                     + f"{quadrant_text(wp.quadrant, lang)} | {fmt((wp.low_share or 0) * 100, 0)}% | {fmt(wp.stability * 100, 0)}% |")
    differ = ipa_disagreement(result, lang)
    lines += ["", _md(ipa_basis(result, lang))] + (["", _md(differ)] if differ else [])
    for wp in result.weak_points:
        if wp.verbatims:
            lines += ["", f"**{wp.rank}. {_md(wp.name)}**", ""] + [f"> {_md(q)}" for q in wp.verbatims]
    return lines


def _depths(result: Result) -> dict[str, int]:
    parents = {n.id: n.parent for n in result.nodes}
    out = {}
    for nid in parents:
        d, p = 0, parents[nid]
        while p is not None:
            d, p = d + 1, parents.get(p)
        out[nid] = d
    return out


def quality_lines(result: Result, lang: str) -> list[str]:
    """Data-quality notes: exclusions, flags, invalid cells."""
    r = result.respondents
    zh = lang == "zh"
    lines = [(f"共 {r.get('rows', 0)} 份答卷，使用 {r.get('used', 0)} 份" if zh else f"{r.get('rows', 0)} rows read, {r.get('used', 0)} used")
             + (f"（有效样本量 {r['effective_n']:.1f}）" if zh and r.get("effective_n") is not None and r['effective_n'] != r.get('used')
                else (f" (effective n {r['effective_n']:.1f})" if r.get("effective_n") is not None and r['effective_n'] != r.get('used') else ""))]
    excl = [f"{reason_text(k, lang)} {v}" for k, v in r.get("excluded", {}).items() if v]
    if excl:
        lines.append(("排除：" if zh else "excluded: ") + ", ".join(excl))
    flagged = [f"{reason_text(k, lang)} {v}" for k, v in r.get("flagged", {}).items() if v]
    if flagged:
        lines.append(("标记（未排除）：" if zh else "flagged, kept: ") + ", ".join(flagged))
    for c in result.data_quality.get("invalid", []):
        rows = ", ".join(str(x) for x in c["rows"]) + ("…" if c["count"] > len(c["rows"]) else "")
        vals = ", ".join(f"'{v}'" for v in c["values"][:3])  # (already printable: repr would double its escapes)
        lines.append(f"无效答案 {c['count']} 个，列 {c['letter']}「{c['column']}」，行 {rows}：{vals}" if zh else
                      f"{c['count']} invalid answer(s) in column {c['letter']} \"{c['column']}\", rows {rows}: {vals}")
    return lines
