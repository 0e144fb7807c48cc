"""Key findings and recommendations: golden sentences for the example quarters and their
comparison in both languages, every number in a sentence equal to the result's, and no
"significant" without a Holm-adjusted p below the level."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest
from conftest import check_golden
from test_html import golden_comparison, golden_result

from csi.compare import Comparison
from csi.report.findings import ALPHA_SEGMENTS, LOW_ALPHA, Finding, comparison_findings, result_findings
from csi.report.numbers import fmt, fmt_p
from csi.result import Result

NUMBER = re.compile(r"(?<![\w.])[-+]?\d+(?:\.\d+)?")


def numbers(s: str) -> list[str]:
    """The numbers a sentence shows, signs dropped (the sentences say "fell 9.8", not "-9.8")."""
    return [n.lstrip("+-") for n in NUMBER.findall(s)]


def shown(value: object) -> set[str]:
    """Every way a finding may print one of its fields."""
    if isinstance(value, bool) or value is None:
        return set()
    if isinstance(value, int):
        return {str(abs(value))}
    if isinstance(value, float):
        return {fmt(abs(value), d) for d in (0, 1, 2)} | {fmt(abs(100 * value), 0), fmt(abs(100 * value), 1), fmt_p(value).lstrip("<")}
    if isinstance(value, str):
        return set(numbers(value))
    if isinstance(value, dict):
        return set().union(*(shown(v) for v in value.values())) if value else set()
    if isinstance(value, list | tuple):
        return set().union(*(shown(v) for v in value)) if value else set()
    return set()


def sentence_numbers_are_fields(f: Finding, lang: str) -> None:
    allowed = shown(f.fields) | {"95"}
    if f.kind in ("regain",):
        allowed |= {fmt(f.fields["score"] + f.fields["gain"])}
    for n in numbers(f.text(lang)):
        assert n in allowed, (f.kind, n, f.text(lang))


@pytest.mark.parametrize("quarter", ["Q2", "Q3"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_golden_findings_of_the_example_quarters(quarter: str, lang: str, update_golden: bool):
    text = "\n".join(f.text(lang) for f in result_findings(golden_result(quarter))) + "\n"
    check_golden(f"findings/score_accounting_2026{quarter}_{lang}.txt", text, update_golden)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_golden_findings_of_the_comparison(lang: str, update_golden: bool):
    text = "\n".join(f.text(lang) for f in comparison_findings(golden_comparison())) + "\n"
    check_golden(f"findings/compare_accounting_2026Q2_Q3_{lang}.txt", text, update_golden)


@pytest.mark.parametrize("quarter", ["Q2", "Q3"])
def test_every_number_of_a_score_finding_is_the_results(quarter: str):
    result = golden_result(quarter)
    found = result_findings(result)
    kinds = [f.kind for f in found]
    assert kinds[0] == "level" and "weak_point" in kinds and "regain" in kinds
    for f in found:
        for lang in ("zh", "en"):
            sentence_numbers_are_fields(f, lang)
        x = f.fields
        if f.kind == "level":
            o = result.overall
            assert (x["score"], x["ci_low"], x["ci_high"], x["n"]) == (o.score, o.ci[0], o.ci[1], o.n)
            assert x["against_target"] == ("below" if o.ci[1] < x["target"] else "above" if o.ci[0] > x["target"] else "includes")
        elif f.kind == "weak_point":
            wp = result.weak_points[x["rank"] - 1]
            assert (x["id"], x["score"], x["target"], x["loss"], x["stability"]) == (wp.id, wp.score, wp.target, wp.loss, wp.stability)
            assert x["replicates"] == result.manifest["options"]["bootstrap"]
        elif f.kind == "segment_below":
            seg = next(s for s in result.segments if s.by == x["by"])
            g = next(g for g in seg.groups if g.value == x["value"])
            assert g.vs_rest["p_adj"] < ALPHA_SEGMENTS and g.vs_rest["delta"] < 0
            assert (x["delta"], x["p_adj"], x["score"], x["n"]) == (g.vs_rest["delta"], g.vs_rest["p_adj"], g.overall.score, g.n)
        elif f.kind == "regain":
            top = result.weak_points[:3]
            assert x["ids"] == [w.id for w in top]
            assert x["gain"] == pytest.approx(sum(w.loss for w in top), abs=1e-12)
        elif f.kind == "start_with":
            seg = next(s for s in result.segments if s.by == x["by"])
            by_unit = {g.value: dict(g.nodes)[x["id"]].score for g in seg.groups}
            assert x["value"] == min(by_unit, key=by_unit.get) and x["score"] == by_unit[x["value"]]


def test_every_segment_clearly_below_the_rest_is_a_finding_and_no_other():
    result = golden_result("Q3")
    below = {(s.by, g.value) for s in result.segments for g in s.groups
             if g.vs_rest and g.vs_rest["p_adj"] < ALPHA_SEGMENTS and g.vs_rest["delta"] < 0}
    assert below  # the example's 记账二部 is 5.5 points below the rest
    assert {(f.fields["by"], f.fields["value"]) for f in result_findings(result) if f.kind == "segment_below"} == below


def test_every_number_of_a_comparison_finding_is_the_comparisons():
    c = golden_comparison()
    found = comparison_findings(c)
    changes = [f for f in found if f.kind == "change"]
    assert changes and changes[0].fields["id"] == "overall"
    for f in found:
        for lang in ("zh", "en"):
            sentence_numbers_are_fields(f, lang)
    for f in changes:
        x = f.fields
        node = c.node(x["id"]) if "segment" not in x else None
        if node is not None:
            present = [s for s, p in zip(node.scores, node.present, strict=True) if p]
            assert (x["previous"], x["last"], x["delta"], x["p_adj"]) == (present[-2], present[-1], node.delta, node.p_adj)
            assert (x["ci_low"], x["ci_high"]) == node.delta_ci


def test_significant_only_with_a_holm_p_below_the_level():
    c = golden_comparison()
    found = [f for f in comparison_findings(c) if f.kind == "change"]
    assert any(f.fields["significant"] for f in found) and any(not f.fields["significant"] for f in found)
    for f in found:
        significant = f.fields["p_adj"] < c.alpha
        assert f.fields["significant"] is significant
        assert ("significantly" in f.text("en")) is significant
        assert ("显著上升" in f.text("zh") or "显著下降" in f.text("zh")) is significant
        assert ("不显著" in f.text("zh")) is (not significant)
    # the index fell 1.9 points with p 0.018 before the adjustment: not called significant
    overall = next(f for f in found if f.fields["id"] == "overall")
    assert c.overall.p < c.alpha < c.overall.p_adj and not overall.fields["significant"]
    # only the significant moves of the whole comparison are listed, beyond the index
    significant = sum(n.verdict in ("up", "down") for n in c.nodes)
    significant += sum(n.verdict in ("up", "down") for s in c.segments for v in s.values for n in (v.overall, *v.nodes))
    listed = [f for f in found if f.fields["id"] != "overall"]
    more = next((f.fields["more"] for f in comparison_findings(c) if f.kind == "more_changes"), 0)
    assert all(f.fields["significant"] for f in listed) and len(listed) + more == significant


def test_caveats_follow_the_numbers():
    r = golden_result("Q3")
    groups = [n for n in r.nodes if n.kind == "group"]
    weak = dataclasses.replace(groups[0], alpha=0.55)
    nodes = tuple(weak if n.id == weak.id else n for n in r.nodes)
    small = dataclasses.replace(r, nodes=nodes, respondents={**r.respondents, "rows": 60, "used": 40,
                                                             "excluded": {"speeder": 20}})
    kinds = {f.kind: f for f in result_findings(small)}
    assert kinds["small_sample"].fields["n"] == 40
    assert kinds["small_sample"].fields["half_width"] == pytest.approx((r.overall.ci[1] - r.overall.ci[0]) / 2)
    assert kinds["low_alpha"].fields["ids"] == [weak.id] and kinds["low_alpha"].fields["alphas"] == [0.55] < [LOW_ALPHA]
    assert kinds["excluded"].fields["share"] == pytest.approx(20 / 60)
    assert "0.55" in kinds["low_alpha"].text("en") and "33" in kinds["excluded"].text("zh")
    assert not {"small_sample", "low_alpha", "excluded"} & {f.kind for f in result_findings(r)}


def test_without_bootstrap_nothing_is_said_of_intervals_or_stability():
    r = golden_result("Q3")
    nan = float("nan")
    bare = dataclasses.replace(r, overall=dataclasses.replace(r.overall, ci=(nan, nan)),
                               manifest={**r.manifest, "options": {**r.manifest["options"], "bootstrap": 0}})
    found = result_findings(bare)
    level = found[0]
    assert "ci_low" not in level.fields and "against_target" not in level.fields
    assert "no bootstrap" in level.text("en")
    assert all("replicates" not in f.fields for f in found if f.kind == "weak_point")
    assert all("replicates" not in f.text("en") and "自助抽样中" not in f.text("zh") for f in found if f.kind == "weak_point")


def test_the_json_reports_carry_every_finding_with_its_fields():
    from csi.report.compare_report import to_json as comparison_json
    from csi.report.tables import to_json

    r = golden_result("Q3")
    doc = json.loads(to_json(r))
    assert [f["kind"] for f in doc["findings"]] == [f.kind for f in result_findings(r)]
    level = doc["findings"][0]
    assert level["score"] == r.overall.score and level["text"]["en"].startswith("The index is 75.6")
    assert Result.from_dict(doc).overall == r.overall  # the section does not disturb reading the result back
    cdoc = json.loads(comparison_json(golden_comparison()))
    assert cdoc["findings"][0]["kind"] == "change" and cdoc["findings"][0]["significant"] is False
    assert Comparison.from_dict(cdoc).overall.delta == golden_comparison().overall.delta


def test_every_report_opens_with_the_findings():
    from rich.console import Console

    from csi.report.html import to_html
    from csi.report.tables import to_markdown
    from csi.report.terminal import render_result

    r = golden_result("Q3")
    first = result_findings(r)[0].text("zh")
    md = to_markdown(r, "zh")
    assert md.index("## 关键发现") < md.index("| 维度 / 指标") and first in md
    page = to_html(r, "en")
    assert page.index('id="findings"') < page.index('id="dimensions"') and result_findings(r)[0].text("en") in page
    console = Console(width=200, record=True, color_system=None)
    render_result(r, console, "zh")
    out = console.export_text()
    assert out.index("关键发现") < out.index("维度 / 指标") and first in out


def test_the_workbook_summary_holds_the_findings():
    import io

    from openpyxl import load_workbook

    from csi.report.excel import to_xlsx

    r = golden_result("Q3")
    ws = load_workbook(io.BytesIO(to_xlsx(r, "en")))["Summary"]
    cells = [c.value for row in ws.iter_rows(max_col=1) for c in row if isinstance(c.value, str)]
    assert "Key findings" in cells and "Recommendations" in cells
    texts = [f.text("en") for f in result_findings(r)]
    assert [c.split(". ", 1)[1] for c in cells if re.match(r"\d+\. ", c)][: len(texts)] == texts


def test_units_outside_the_funnel_are_findings_with_their_numbers():
    from conftest import EXAMPLES

    from csi.api import score_export
    from csi.options import RankOptions, ScoreOptions

    result = score_export(EXAMPLES / "accounting_2026Q3.xlsx", options=ScoreOptions(bootstrap=100, seed=1),
                          rank=RankOptions("部门")).result
    table = result.rankings[0]
    clearly = {u.unit: u for u in table.ranked if u.flag in ("clearly_above", "clearly_below")}
    assert clearly  # 记账二部 below and 记账一部 above the 99.8 % limits of the example
    found = [f for f in result_findings(result) if f.kind == "funnel_outside"]
    assert {f.fields["unit"] for f in found} == set(clearly)
    for f in found:
        u = clearly[f.fields["unit"]]
        below = u.flag == "clearly_below"
        assert f.fields["score"] == u.raw.score and f.fields["n"] == u.raw.n and f.fields["target"] == table.target
        assert f.fields["limit"] == (u.limits[1][0] if below else u.limits[1][1])
        assert (f.fields["score"] < f.fields["limit"]) is below and (f.fields["score"] > f.fields["limit"]) is not below
        for lang in ("zh", "en"):
            sentence_numbers_are_fields(f, lang)
        assert ("clearly below" if below else "clearly above") in f.text("en")
