"""The HTML report: one self-contained page for e-mail, a phone and the printer.

:func:`to_html` renders a :class:`~csi.result.Result`, :func:`comparison_to_html` a
:class:`~csi.compare.Comparison`. The page has its CSS inline and its charts as inline SVG or
CSS bars; it loads nothing and runs no script, and its Content-Security-Policy forbids both,
so a survey text that slipped through escaping still could not act. Every text that came from
a survey or a model (names, segment values, column headers, answers, file names) is escaped
with :func:`csi.report.svg.esc`.

Colours say how a score stands against its target (:func:`csi.report.labels.tone`): green
met, amber up to 10 points short, red more than 10 short; in comparisons green and red mark
Holm-significant rises and falls.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

from csi.compare import Comparison, NodeComparison
from csi.report import actions_report, grades_report
from csi.report.compare_report import (
    _BENCH_VERDICT,
    _alert_text,
    _check_text,
    _status,
    fmt_delta,
    structural_label,
    structural_note,
    structural_title,
    verdict_text,
)
from csi.report.compare_report import _depths as comparison_depths
from csi.report.compare_report import lang_of as comparison_lang
from csi.report.findings import Finding, comparison_findings, result_findings, sections
from csi.report.labels import (
    QUADRANT_COLOURS,
    QUADRANT_ORDER,
    TONE_COLOURS,
    cword,
    default_target,
    ipa_axis,
    ipa_points,
    tone,
    top_groups,
    word,
)
from csi.report.ranking import ranking_html
from csi.report.svg import esc, ipa_svg, trend_svg
from csi.report.tables import (
    _depths,
    fmt,
    fmt_p,
    ipa_basis,
    ipa_disagreement,
    lang_of,
    quadrant_text,
    quality_lines,
    weak_title,
)
from csi.result import Estimate, Result

__all__ = ["to_html", "comparison_to_html"]

_FONTS = ('-apple-system, BlinkMacSystemFont, "Segoe UI", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", '
          '"Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Helvetica Neue", Arial, sans-serif')

_ROOT = (":root{--ink:#1d2733;--muted:#5d6878;--faint:#8a94a3;--line:#e3e7ee;--page:#f3f5f8;--card:#fff;--accent:#23466f;"
         + "".join(f"--{t}:#{fg};--{t}-bg:#{bg};" for t, (fg, bg) in TONE_COLOURS.items())
         + "--near-ink:#8f6206;color-scheme:light}")
_CSS = _ROOT + """

*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--page);color:var(--ink);font:15px/1.55 FONTS;font-variant-numeric:tabular-nums;
-webkit-print-color-adjust:exact;print-color-adjust:exact}
main{max-width:1040px;margin:0 auto;padding:28px 20px 40px}
h1{font-size:26px;line-height:1.25;margin:4px 0 6px;font-weight:700;letter-spacing:.01em}
h2{font-size:18px;margin:0 0 14px;font-weight:650;display:flex;align-items:baseline;gap:10px;flex-wrap:wrap}
h2 small{font-size:13px;font-weight:400;color:var(--muted)}
h3{font-size:15px;margin:18px 0 10px;font-weight:650}
p{margin:0 0 10px}
.eyebrow{margin:0;color:var(--accent);font-size:13px;font-weight:600;letter-spacing:.06em;text-transform:uppercase}
.meta{color:var(--muted);font-size:13.5px;margin:0}
.meta span+span::before{content:" · ";color:var(--faint)}
header.masthead{padding:4px 2px 18px;border-bottom:3px solid var(--accent);margin-bottom:18px}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:20px 22px;margin:0 0 16px;
box-shadow:0 1px 2px rgba(20,30,50,.04)}
.note{color:var(--muted);font-size:13px;margin:12px 0 0}
.kpis{display:flex;flex-wrap:wrap;gap:12px;margin:0 0 16px}
.kpi{flex:1 1 170px;min-width:0;background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px 16px;border-top:4px solid var(--none)}
.kpi.main{flex:2.2 1 300px;border-top-color:var(--accent)}
.kpi .label{color:var(--muted);font-size:13px}
.kpi .value{font-size:30px;font-weight:700;line-height:1.2;margin:2px 0}
.kpi.main .value{font-size:46px}
.kpi .sub{color:var(--muted);font-size:13px}
.kpi .value.good,.t-good{color:var(--good)}.kpi .value.near,.t-near{color:var(--near-ink)}.kpi .value.bad,.t-bad{color:var(--bad)}
.kpi.good{border-top-color:var(--good)}.kpi.near{border-top-color:var(--near)}.kpi.bad{border-top-color:var(--bad)}
.kpi .track{margin-top:10px}
.legend{display:flex;flex-wrap:wrap;gap:6px 16px;font-size:12.5px;color:var(--muted);margin:0 0 12px}
.legend i{display:inline-block;width:11px;height:11px;border-radius:3px;margin-right:5px;vertical-align:-1px}
.legend i.tgt{width:0;height:13px;border-left:2px solid var(--ink);border-radius:0;vertical-align:-2px}
.legend i.ci{width:16px;height:0;border-top:2px solid var(--ink);border-radius:0;vertical-align:3px}
.bars{display:grid;gap:9px}
.bar{display:grid;grid-template-columns:minmax(7em,13em) 1fr 7.5em;align-items:center;gap:12px}
.bar .name{font-weight:500;overflow-wrap:anywhere}
.bar .name small{color:var(--faint);font-weight:400;margin-left:4px}
.bar .num{text-align:right;white-space:nowrap}
.bar .num b{font-size:16px}
.bar .num small{display:block;color:var(--muted);font-size:12px;line-height:1.2}
.track{position:relative;height:18px;background:#edf0f4;border-radius:4px}
.track.thin{height:10px;min-width:90px}
.fill{position:absolute;left:0;top:0;bottom:0;border-radius:4px;background:var(--none)}
.fill.good{background:var(--good)}.fill.near{background:var(--near)}.fill.bad{background:var(--bad)}
.track .ci{position:absolute;top:50%;height:0;border-top:2px solid var(--ink)}
.track .ci::before,.track .ci::after{content:"";position:absolute;top:-6px;height:10px;border-left:2px solid var(--ink)}
.track .ci::before{left:-1px}.track .ci::after{right:-1px}
.track.thin .ci::before,.track.thin .ci::after{top:-4px;height:6px}
.track .tgt{position:absolute;top:-4px;bottom:-4px;border-left:2px dashed var(--ink);opacity:.75}
.axis{position:relative;height:16px;margin-top:2px;font-size:11.5px;color:var(--faint)}
.axis span{position:absolute;transform:translateX(-50%)}
.axis-row{display:grid;grid-template-columns:minmax(7em,13em) 1fr 7.5em;gap:12px}
.ipa-wrap{display:grid;grid-template-columns:minmax(0,1.45fr) minmax(0,1fr);gap:18px;align-items:start}
.chart{width:100%;height:auto;display:block}
.chart text{font-family:inherit;fill:var(--ink)}
.chart .tick{font-size:11px;fill:var(--muted)}
.chart .axis{font-size:12px;fill:var(--muted)}
.chart .quad{font-size:12px;font-weight:600}
.chart .grid{stroke:#e9ecf1;stroke-width:1}
.chart .frame{fill:none;stroke:#cfd5de}
.chart .cross{stroke:#5d6878;stroke-width:1.2;stroke-dasharray:5 4}
.chart .leader{stroke-width:1;opacity:.7}
.chart .pt text{fill:#fff;font-size:10.5px;font-weight:700}
.chart .pt circle{stroke:#fff;stroke-width:1.2}
.chart .line{fill:none;stroke-width:2.4;stroke-linejoin:round}
.chart .whisker{stroke-width:1.4;opacity:.55}
.chart .target{stroke:#5d6878;stroke-dasharray:4 3;stroke-width:1}
.key h3{margin:0 0 4px;font-size:13.5px;display:flex;align-items:center;gap:7px}
.key h3 i{width:11px;height:11px;border-radius:50%;display:inline-block}
.key p{color:var(--muted);font-size:12px;margin:0 0 4px}
.key ol{list-style:none;padding:0;margin:0 0 12px;font-size:13.5px}
.key li{display:flex;gap:8px;padding:1px 0}
.key li b{min-width:1.6em;text-align:right;color:var(--muted);font-weight:600}
.key li span{flex:1}
.key li em{font-style:normal;color:var(--muted)}
.weak{display:grid;gap:10px}
.wp{display:grid;grid-template-columns:2.2em minmax(0,1fr) minmax(150px,34%) 5.5em;gap:12px;align-items:center;
padding:10px 0;border-top:1px solid var(--line)}
.wp:first-child{border-top:0}
.wp .rank{width:2em;height:2em;border-radius:50%;background:var(--accent);color:#fff;display:grid;place-items:center;font-weight:700}
.wp .what b{font-size:15.5px;margin-right:6px}
.wp .what small{display:block;color:var(--muted);font-size:12.5px}
.wp .loss{display:grid;grid-template-columns:1fr 3.6em;gap:8px;align-items:center}
.wp .loss b{text-align:right}
.wp .lossbar{height:12px;border-radius:3px;background:var(--bad)}
.wp .stab{text-align:right;font-size:12.5px;color:var(--muted);line-height:1.3}
.wp .stab b{display:block;color:var(--ink);font-size:15px}
.quotes{grid-column:2/-1;margin:0;padding:0 0 0 12px;border-left:3px solid var(--line);list-style:none;color:var(--muted);font-size:13px}
.quotes li{margin:2px 0}.quotes li::before{content:"“"}.quotes li::after{content:"”"}
.badge{display:inline-block;font-size:11.5px;padding:1px 7px;border-radius:10px;white-space:nowrap;vertical-align:1px;
background:var(--none-bg);color:var(--ink)}
.badge.q-concentrate_here{background:#fbe6e4;color:#9c2a22}.badge.q-keep_up_the_good_work{background:#e3f4ea;color:#176b3b}
.badge.q-low_priority{background:#eef0f3;color:#4f5661}.badge.q-possible_overkill{background:#e4edf8;color:#24558d}
.badge.v-up{background:var(--good-bg);color:var(--good)}.badge.v-down{background:var(--bad-bg);color:var(--bad)}
.badge.s-entered{background:var(--bad-bg);color:var(--bad)}.badge.s-left{background:var(--good-bg);color:var(--good)}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;width:100%;font-size:13.5px}
th,td{padding:6px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:middle}
th{font-weight:600;color:var(--muted);font-size:12.5px;white-space:nowrap;border-bottom:2px solid #d5dbe3}
td.r,th.r{text-align:right;white-space:nowrap}
tr.lvl0 td{font-weight:600;background:#f8f9fb}
td.ind1{padding-left:22px}td.ind2{padding-left:38px}td.ind3{padding-left:54px}
td.chip span{display:inline-block;min-width:3.2em;text-align:center;padding:1px 6px;border-radius:4px;font-weight:600}
td.chip .good{background:var(--good-bg);color:var(--good)}td.chip .near{background:var(--near-bg);color:var(--near-ink)}
td.chip .bad{background:var(--bad-bg);color:var(--bad)}td.chip .none{background:var(--none-bg);color:var(--ink)}
td.heat,th.c{text-align:center;font-weight:600}
td.heat.good{background:var(--good-bg);color:var(--good)}td.heat.near{background:var(--near-bg);color:var(--near-ink)}
td.heat.bad{background:var(--bad-bg);color:var(--bad)}
.segment td:first-child{white-space:nowrap}
.up{color:var(--good)}.down{color:var(--bad)}.flat{color:var(--muted)}
ul.plain{margin:0;padding-left:18px}ul.plain li{margin:2px 0}
.callout{border-left:4px solid var(--bad);background:var(--bad-bg);padding:12px 16px;border-radius:6px;margin:0 0 16px}
.callout.warn{border-left-color:var(--near);background:var(--near-bg)}
.callout h2{font-size:15px;margin:0 0 6px}
.callout ul{margin:0;padding-left:18px}
.trends{display:grid;grid-template-columns:repeat(auto-fill,minmax(230px,1fr));gap:12px}
.tcard{border:1px solid var(--line);border-radius:8px;padding:10px 12px 6px}
.tcard header{display:flex;justify-content:space-between;align-items:baseline;gap:8px}
.tcard header b{font-size:14px}
.tcard header span{white-space:nowrap;font-size:13px}
.tcard.index{border-color:var(--accent);border-width:2px}
.moves td:first-child{width:1.4em;padding-right:0}
.moves small{color:var(--muted);font-size:12.5px;margin-right:8px}
footer{color:var(--faint);font-size:12px;margin-top:20px;line-height:1.6;overflow-wrap:anywhere}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.95em}
@media (max-width:700px){
 main{padding:18px 12px 28px}
 h1{font-size:22px}
 .card{padding:16px 14px}
 .kpi.main .value{font-size:40px}
 .ipa-wrap{grid-template-columns:1fr}
 .bar,.axis-row{grid-template-columns:1fr auto;gap:4px 10px}
 .bar .name{grid-column:1}.bar .num{grid-column:2;grid-row:1}.bar .track{grid-column:1/3}
 .axis-row>div:first-child,.axis-row>div:last-child{display:none}.axis-row .axis{grid-column:1/3}
 .bar .num small{display:inline;margin-left:6px}
 .wp{grid-template-columns:2.2em minmax(0,1fr);gap:6px 12px}
 .wp .loss,.wp .stab{grid-column:2}
 .wp .stab{text-align:left}.wp .stab b{display:inline;font-size:13.5px;margin-right:5px}
 table.tree td:first-child{min-width:8.5em}
 table:not(.moves) td:first-child{min-width:5.5em}
 .chart.ipa .tick{font-size:14px}.chart.ipa .axis,.chart.ipa .quad{font-size:15px}
 .trends{grid-template-columns:repeat(auto-fill,minmax(260px,1fr))}
 .hide-narrow{display:none}
 .moves small{display:block}
 th,td{padding:5px 4px}th{white-space:normal}
}
@media print{
 body{background:#fff;font-size:12.5px}
 main{max-width:none;padding:0}
 .card,.kpi{box-shadow:none;break-inside:avoid}
 .scroll{overflow:visible}
 @page{size:A4;margin:14mm 12mm}
}
""".replace("FONTS", _FONTS)

_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


def _page(title: str, lang: str, body: Iterable[str]) -> str:
    return "".join([
        "<!DOCTYPE html>\n",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}">\n<head>\n<meta charset="utf-8">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n',
        '<meta name="referrer" content="no-referrer">\n',
        f"<title>{esc(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n<main>\n",
        *body,
        "</main>\n</body>\n</html>\n",
    ])


def _pct(v: float) -> str:
    """A CSS percentage within 0–100."""
    return f"{max(0.0, min(100.0, v)):.2f}%"


def _track(score: float, ci: tuple[float, float] | None, target: float | None, tone_: str, thin: bool = False) -> str:
    """A 0–100 bar with the interval's whisker and the target's tick."""
    parts = [f'<div class="track{" thin" if thin else ""}">']
    if math.isfinite(score):
        parts.append(f'<div class="fill {tone_}" style="width:{_pct(score)}"></div>')
    if ci is not None and math.isfinite(ci[0]) and math.isfinite(ci[1]) and ci[1] > ci[0]:
        lo, hi = max(0.0, ci[0]), min(100.0, ci[1])
        parts.append(f'<div class="ci" style="left:{_pct(lo)};width:{_pct(hi - lo)}"></div>')
    if target is not None and math.isfinite(target):
        parts.append(f'<div class="tgt" style="left:{_pct(target)}"></div>')
    parts.append("</div>")
    return "".join(parts)


def _axis() -> str:
    ticks = "".join(f'<span style="left:{v}%">{v}</span>' for v in range(0, 101, 20))
    return f'<div class="axis-row"><div></div><div class="axis">{ticks}</div><div></div></div>'


def _ci_text(e: Estimate | tuple[float, float]) -> str:
    ci = e.ci if isinstance(e, Estimate) else e
    if not (math.isfinite(ci[0]) and math.isfinite(ci[1])):
        return ""
    return f"{fmt(ci[0])}–{fmt(ci[1])}"


def _legend(lang: str, target: float | None) -> str:
    items = [f'<span><i style="background:var(--{t})"></i>{esc(word(k, lang))}</span>'
             for t, k in (("good", "met"), ("near", "near"), ("bad", "below"))]
    if target is not None:
        items.append(f'<span><i class="tgt"></i>{esc(word("target_line", lang))} {fmt(target, 0)}</span>')
    items.append(f'<span><i class="ci"></i>{esc(word("ci", lang))}</span>')
    return f'<div class="legend">{"".join(items)}</div>'


def _bar_row(name: str, sub: str, e: Estimate, target: float | None) -> str:
    t = tone(e.score, target)
    ci = _ci_text(e)
    return (f'<div class="bar"><div class="name">{esc(name)}{f"<small>{esc(sub)}</small>" if sub else ""}</div>'
            f"{_track(e.score, e.ci, target, t)}"
            f'<div class="num"><b class="t-{t}">{fmt(e.score)}</b>{f"<small>{ci}</small>" if ci else ""}</div></div>')


# ------------------------------------------------------------------ one result
def to_html(result: Result, lang: str | None = None) -> str:
    """The report of one scored survey as a self-contained HTML page.

    >>> from csi.result import Estimate, NodeScore, Result
    >>> e = Estimate(71.5, 1.0, (69.5, 73.5), 12)
    >>> r = Result(e, (NodeScore("a", "<b>A</b>", None, "item", 1.0, 1.0, e, target=80.0),), (), {"used": 12, "rows": 12})
    >>> page = to_html(r, "en")
    >>> "&lt;b&gt;A&lt;/b&gt;" in page and "<b>A</b>" not in page
    True
    """
    lang = lang or lang_of(result)
    m = result.manifest
    model_name = str((m.get("model") or {}).get("name") or word("report", lang))
    body = [_masthead(result, lang, model_name), _kpis(result, lang), _findings(result_findings(result), lang), _dimensions(result, lang), _ipa(result, lang),
            _weak_points(result, lang), _structural(result, lang), _all_nodes(result, lang),
            grades_report.html_section(result.grades, lang), _segments(result, lang), ranking_html(result, lang),
            _quality(result, lang), _footer_result(result, lang)]
    return _page(f"{model_name} — {word('report', lang)}", lang, body)


def _findings(findings: list[Finding], lang: str) -> str:
    """Key findings and recommendations, numbered, at the top of the report."""
    parts = [f"<h2>{esc(title)}</h2><ol>{''.join(f'<li>{esc(s)}</li>' for s in sentences)}</ol>"
             for title, sentences in sections(findings, lang)]
    return f'<section class="card" id="findings">{"".join(parts)}</section>\n' if parts else ""


def _structural(result: Result, lang: str) -> str:
    if result.structural is None:
        return ""
    from csi.report.path_svg import structural_html

    return structural_html(result.structural, lang)


def _masthead(result: Result, lang: str, model_name: str) -> str:
    m = result.manifest
    src = m.get("input") or {}
    r = result.respondents
    meta = []
    if src.get("path"):
        meta.append(f"<span>{esc(_basename(src['path']))}</span>")
    if src.get("sheet"):
        meta.append(f"<span>{esc(word('sheet', lang))} {esc(src['sheet'])}</span>")
    if m.get("created"):
        meta.append(f"<span>{esc(str(m['created'])[:10])}</span>")
    meta.append(f"<span>{esc(word('respondents', lang))} {esc(r.get('used', 0))} / {esc(r.get('rows', r.get('used', 0)))}</span>")
    return (f'<header class="masthead"><p class="eyebrow">{esc(word("report", lang))}</p><h1>{esc(model_name)}</h1>'
            f'<p class="meta">{"".join(meta)}</p></header>\n')


def _basename(path: str) -> str:
    return str(path).replace("\\", "/").rsplit("/", 1)[-1]


def _kpis(result: Result, lang: str) -> str:
    o = result.overall
    target = default_target(result)
    sc = result.structural_csi()
    lead = o if sc is None else sc  # a structural model's CSI leads; the tree's index is its drivers'
    t = tone(lead.score, target)
    conf = _confidence(result)
    sub = []
    ci = _ci_text(lead)
    if ci:
        sub.append(f"{conf}% {esc(word('ci', lang))} {ci}")
    if target is not None:
        sub.append(f"{esc(word('target', lang))} {fmt(target, 0)}")
    cards = [f'<div class="kpi main {t}"><div class="label">{esc(word("overall" if sc is None else "csi_structural", lang))}</div>'
             f'<div class="value {t}">{fmt(lead.score)}</div><div class="sub">{" · ".join(sub)}</div>'
             f"{_track(lead.score, lead.ci, target, t)}</div>"]
    if sc is not None:
        tt = tone(o.score, target)
        cards.append(f'<div class="kpi {tt}"><div class="label">{esc(word("drivers_index", lang))}</div>'
                     f'<div class="value {tt}">{fmt(o.score)}</div><div class="sub">{_ci_text(o)}</div></div>')
    if result.outcome is not None:
        e = result.outcome
        tt = tone(e.score, target)
        cards.append(f'<div class="kpi {tt}"><div class="label">{esc(word("outcome", lang))}</div>'
                     f'<div class="value {tt}">{fmt(e.score)}</div><div class="sub">{_ci_text(e)}</div></div>')
    nps = result.nps
    if nps and nps.get("score") is not None:
        ci_n = nps.get("ci") or [math.nan, math.nan]
        extra = ""
        if nps.get("promoters") is not None and nps.get("detractors") is not None:
            extra = (f"<br>{esc(word('promoters', lang))} {fmt(nps['promoters'] * 100, 0)}% · "
                     f"{esc(word('detractors', lang))} {fmt(nps['detractors'] * 100, 0)}%")
        cards.append(f'<div class="kpi"><div class="label">{esc(word("nps", lang))}</div>'
                     f'<div class="value">{fmt(nps["score"])}</div><div class="sub">{_ci_text(_pair(ci_n))}{extra}</div></div>')
    if result.weak_points:
        wp = result.weak_points[0]  # ranked by loss: the biggest loss; by IPMA: the first priority
        label, value = ("top_ipma", fmt(wp.priority, 3)) if wp.priority is not None else ("biggest_loss", f"−{fmt(wp.loss, 2)}")
        cards.append(f'<div class="kpi bad"><div class="label">{esc(word(label, lang))}</div>'
                     f'<div class="value t-bad">{value}</div><div class="sub">{esc(wp.name)} · {fmt(wp.score)} / '
                     f"{fmt(wp.target, 0)}</div></div>")
    return f'<section class="kpis">{"".join(cards)}</section>\n'


def _pair(v: Sequence[Any]) -> tuple[float, float]:
    return (math.nan if v[0] is None else float(v[0]), math.nan if v[1] is None else float(v[1]))


def _confidence(result: Result) -> str:
    c = (result.manifest.get("options") or {}).get("confidence", 0.95)
    return f"{float(c) * 100:g}"


def _dimensions(result: Result, lang: str) -> str:
    target = default_target(result)
    groups = top_groups(result)
    if not groups:
        return ""
    rows = [_bar_row(g.name, f"{fmt(g.weight * 100, 0)}%" if math.isfinite(g.weight) else "", g.estimate,
                     g.target if g.kind == "item" else target) for g in groups]
    return (f'<section class="card" id="dimensions"><h2>{esc(word("dimensions", lang))}</h2>{_legend(lang, target)}'
            f'<div class="bars">{"".join(rows)}</div>{_axis()}</section>\n')


def _ipa(result: Result, lang: str) -> str:
    points, mi, mp = ipa_points(result)
    if len(points) < 2:
        return ""
    names = {q: quadrant_text(q, lang) for q in QUADRANT_ORDER}
    x_title, percent = ipa_axis(result, lang)
    svg = ipa_svg(points, mi, mp, names, x_title, word("ipa_y", lang), word("ipa", lang), percent)
    key = []
    for q in QUADRANT_ORDER:
        members = sorted((p for p in points if p.quadrant == q), key=lambda p: p.score)
        if not members:
            continue
        lis = "".join(f"<li><b>{p.number}</b><span>{esc(p.name)}</span><em>{fmt(p.score)}</em></li>" for p in members)
        key.append(f'<h3><i style="background:#{QUADRANT_COLOURS[q]}"></i>{esc(names[q])}</h3>'
                   f'<p>{esc(word("quadrant_" + q, lang))}</p><ol>{lis}</ol>')
    return (f'<section class="card" id="ipa"><h2>{esc(word("ipa", lang))}</h2><div class="ipa-wrap"><div>{svg}'
            f'<p class="note">{esc(ipa_basis(result, lang))} {esc(word("ipa_note", lang))}</p></div>'
            f'<div class="key">{"".join(key)}</div></div></section>\n')


def _weak_points(result: Result, lang: str) -> str:
    head = f'<section class="card" id="weak-points"><h2>{esc(weak_title(result, lang))}</h2>'
    if not result.weak_points:
        return head + f'<p>{esc(word("no_weak", lang))}</p></section>\n'
    top = max((w.loss for w in result.weak_points if math.isfinite(w.loss)), default=0.0) or 1.0
    parents = {n.id: n.parent for n in result.nodes}
    names = {n.id: n.name for n in result.nodes}
    rows = []
    for wp in result.weak_points:
        dim = names.get(_top_of(wp.id, parents) or "", "")
        low = "" if wp.low_share is None else f" · {esc(word('low', lang))} {fmt(wp.low_share * 100, 0)}%"
        if wp.priority is not None:
            low += f" · {esc(word('priority', lang))} {fmt(wp.priority, 3)}"
        stab = "–" if not math.isfinite(wp.stability) else f"{fmt(wp.stability * 100, 0)}%"
        rows.append(
            f'<div class="wp"><div class="rank">{wp.rank}</div>'
            f'<div class="what"><b>{esc(wp.name)}</b><span class="badge q-{esc(wp.quadrant)}">{esc(quadrant_text(wp.quadrant, lang))}</span>'
            f'<small>{esc(dim) + " · " if dim and dim != wp.name else ""}{esc(word("score", lang))} '
            f'<span class="t-{tone(wp.score, wp.target)}">{fmt(wp.score)}</span> / {esc(word("target", lang))} {fmt(wp.target, 0)}{low}</small></div>'
            f'<div class="loss"><div class="lossbar" style="width:{_pct(wp.loss / top * 100)}"></div><b>−{fmt(wp.loss, 2)}</b></div>'
            f'<div class="stab"><b>{stab}</b>{esc(word("stability", lang))}</div>{_quotes(wp.verbatims)}</div>')
    differ = ipa_disagreement(result, lang)
    notes = "".join(f'<p class="note">{esc(n)}</p>' for n in [word("loss_note", lang), ipa_basis(result, lang), *([differ] if differ else [])])
    return head + f'<div class="weak">{"".join(rows)}</div>{notes}</section>\n'


def _quotes(verbatims: Sequence[str]) -> str:
    """Clients' comments (masked upstream), quoted as text."""
    if not verbatims:
        return ""
    return '<ul class="quotes">' + "".join(f"<li>{esc(q)}</li>" for q in verbatims) + "</ul>"


def _top_of(node_id: str, parents: dict[str, str | None]) -> str | None:
    seen = 0
    while parents.get(node_id) is not None and seen < 64:
        node_id = parents[node_id]  # type: ignore[assignment]
        seen += 1
    return node_id if node_id in parents else None


def _all_nodes(result: Result, lang: str) -> str:
    if not result.nodes:
        return ""
    target = default_target(result)
    depth = _depths(result)
    head = (f"<tr><th>{esc(word('node', lang))}</th><th class='r'>{esc(word('score', lang))}</th><th class='hide-narrow'></th>"
            f"<th class='r'>{esc(word('ci', lang))}</th><th class='r hide-narrow'>{esc(word('weight', lang))}</th>"
            f"<th class='r'>{esc(word('n', lang))}</th><th class='r hide-narrow'>{esc(word('alpha', lang))}</th></tr>")
    rows = []
    for n in result.nodes:
        d = depth[n.id]
        tgt = n.target if n.kind == "item" else target
        t = tone(n.score, tgt)
        cls = "lvl0" if d == 0 else ""
        rows.append(f'<tr class="{cls}"><td class="ind{min(d, 3)}">{esc(n.name)}</td>'
                    f'<td class="r chip"><span class="{t}">{fmt(n.score)}</span></td>'
                    f'<td class="hide-narrow" style="width:24%">{_track(n.score, n.ci, tgt, t, thin=True)}</td>'
                    f'<td class="r">{_ci_text(n.estimate) or "–"}</td><td class="r hide-narrow">{fmt(n.weight * 100, 0)}%</td>'
                    f'<td class="r">{n.n}</td><td class="r hide-narrow">{fmt(n.alpha, 2) if n.alpha is not None else ""}</td></tr>')
    return (f'<section class="card" id="scores"><h2>{esc(word("all_nodes", lang))}</h2>'
            f'<div class="scroll"><table class="tree"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table></div></section>\n')


def _segments(result: Result, lang: str) -> str:
    if not result.segments:
        return ""
    target = default_target(result)
    dims = top_groups(result)
    out = []
    for seg in result.segments:
        bars = [_bar_row(g.value, f"n {g.n}", g.overall, target) for g in seg.groups]
        heat = ""
        if dims and seg.groups:
            head = "".join(f"<th class='c'>{esc(d.name)}</th>" for d in dims)
            trs = []
            for g in seg.groups:
                est = dict(g.nodes)
                cells = []
                for d in dims:
                    e = est.get(d.id)
                    s = math.nan if e is None else e.score
                    cells.append(f'<td class="heat {tone(s, target)}">{fmt(s)}</td>')
                trs.append(f"<tr><td>{esc(g.value)}</td><td class='r'>{g.n}</td>"
                           f"<td class='heat {tone(g.overall.score, target)}'>{fmt(g.overall.score)}</td>{_vs_rest(g.vs_rest)}"
                           f"{''.join(cells)}</tr>")
            heat = (f"<h3>{esc(word('by_dimension', lang))}</h3><div class='scroll'><table><thead><tr><th>{esc(seg.by)}</th>"
                    f"<th class='r'>{esc(word('n', lang))}</th><th class='c'>{esc(word('overall', lang))}</th>"
                    f"<th class='r'>{esc(word('vs_rest', lang))}</th>{head}</tr></thead>"
                    f"<tbody>{''.join(trs)}</tbody></table></div>")
        note = (f'<p class="note">{seg.suppressed} {esc(word("suppressed", lang))} (n &lt; {seg.min_group})</p>'
                if seg.suppressed else "")
        out.append(f'<section class="card segment"><h2>{esc(word("segments", lang))}: {esc(seg.by)}</h2>'
                   f'<div class="bars">{"".join(bars)}</div>{_axis()}{heat}{note}</section>\n')
    return "".join(out)


def _vs_rest(test: dict | None) -> str:
    """The segment against all other respondents: Δ, coloured when Holm-significant at 5 %, and its p."""
    if not test or test.get("delta") is None:
        return "<td class='r'></td>"
    p = test.get("p_adj")
    cls = ("up" if test["delta"] > 0 else "down") if p is not None and p < 0.05 else "flat"
    return f"<td class='r {cls}'>{fmt_delta(float(test['delta']))}<small> ({esc(fmt_p(p))})</small></td>"


def _quality(result: Result, lang: str) -> str:
    lines = [ln for ln in quality_lines(result, lang) if not _is_invalid_line(ln)]
    items = "".join(f"<li>{esc(ln)}</li>" for ln in lines)
    boot = _bootstrap_line(result, lang)
    if boot:
        items += f"<li>{esc(boot)}</li>"
    invalid = result.data_quality.get("invalid") or []
    table = ""
    if invalid:
        trs = []
        for c in invalid:
            rows = ", ".join(str(x) for x in c.get("rows", [])) + ("…" if c.get("count", 0) > len(c.get("rows", [])) else "")
            vals = ", ".join(repr(v) for v in list(c.get("values", []))[:3])
            trs.append(f"<tr><td>{esc(c.get('letter', ''))}</td><td>{esc(c.get('column', ''))}</td><td class='r'>{esc(c.get('count', 0))}</td>"
                       f"<td>{esc(rows)}</td><td>{esc(vals)}</td></tr>")
        table = (f"<h3>{esc(word('invalid', lang))}</h3><div class='scroll'><table><thead><tr><th>{esc(word('letter', lang))}</th>"
                 f"<th>{esc(word('column', lang))}</th><th class='r'>{esc(word('count', lang))}</th><th>{esc(word('rows_at', lang))}</th>"
                 f"<th>{esc(word('values', lang))}</th></tr></thead><tbody>{''.join(trs)}</tbody></table></div>")
    warn = ""
    if result.warnings:
        warn = (f"<h3>{esc(word('warnings', lang))}</h3><ul class='plain'>"
                + "".join(f"<li>{esc(w)}</li>" for w in result.warnings) + "</ul>")
    return (f'<section class="card" id="quality"><h2>{esc(word("quality", lang))}</h2><ul class="plain">{items}</ul>'
            f"{table}{warn}</section>\n")


def _is_invalid_line(line: str) -> bool:
    return line.startswith("无效答案 ") or " invalid answer(s) in column " in line


def _bootstrap_line(result: Result, lang: str) -> str:
    b = (result.data_quality or {}).get("bootstrap") or {}
    opts = result.manifest.get("options") or {}
    reps = b.get("replicates", opts.get("bootstrap"))
    if reps is None:
        return ""
    if not reps:
        return word("no_bootstrap", lang)
    line = word("bootstrap", lang).format(b=reps, seed=b.get("seed", opts.get("seed", 0)), conf=_confidence(result))
    fpc = b.get("fpc") or opts.get("population")
    if fpc:
        n = fpc.get("population") if isinstance(fpc, dict) else fpc
        if n:
            line += word("fpc", lang).format(n=n)
    return line


def _footer_result(result: Result, lang: str) -> str:
    m = result.manifest
    model = m.get("model") or {}
    src = m.get("input") or {}
    parts = []
    if m.get("tool"):
        parts.append(esc(m["tool"]))
    if m.get("created"):
        parts.append(f"{esc(word('created', lang))} {esc(m['created'])}")
    if model.get("path"):
        parts.append(f"{esc(word('model', lang))} <code>{esc(_basename(model['path']))}</code>"
                     + (f" sha256 <code>{esc(str(model.get('sha256', ''))[:16])}…</code>" if model.get("sha256") else ""))
    if src.get("path"):
        parts.append(f"{esc(word('input', lang))} <code>{esc(_basename(src['path']))}</code>"
                     + (f" sha256 <code>{esc(str(src.get('sha256', ''))[:16])}…</code>" if src.get("sha256") else ""))
    opts = m.get("options") or {}
    if opts.get("method"):
        parts.append(f"{esc(word('method', lang))} {esc(opts['method'])}")
    return f"<footer>{' · '.join(parts)}</footer>\n" if parts else ""


# ------------------------------------------------------------------ a comparison
def comparison_to_html(comparison: Comparison, lang: str | None = None) -> str:
    """The comparison of periods as a self-contained HTML page."""
    lang = lang or comparison_lang(comparison)
    model_name = comparison.model_name or cword("title", lang)
    body = [_c_masthead(comparison, lang, model_name), _c_kpis(comparison, lang), _findings(comparison_findings(comparison), lang),
            _c_alerts(comparison, lang),
            _c_trends(comparison, lang), _c_moves(comparison, lang), _c_table(comparison, lang), _c_structural(comparison, lang),
            actions_report.html_section(comparison, lang), _c_weak(comparison, lang),
            _c_segments(comparison, lang), _c_warnings(comparison, lang), _c_footer(comparison, lang)]
    return _page(f"{model_name} — {cword('title', lang)}", lang, body)


def _verdict_class(c: NodeComparison) -> str:
    return {"up": "up", "down": "down"}.get(c.verdict or "", "flat")


def _arrow(c: NodeComparison) -> str:
    if math.isnan(c.delta):
        return ""
    if c.verdict == "up":
        return "▲"
    if c.verdict == "down":
        return "▼"
    return "△" if c.delta > 0 else ("▽" if c.delta < 0 else "=")


def _delta_html(c: NodeComparison) -> str:
    if math.isnan(c.delta):
        return "–"
    return f'<span class="{_verdict_class(c)}">{_arrow(c)} {fmt_delta(c.delta)}</span>'


def _score_at(c: NodeComparison, i: int) -> str:
    return fmt(c.scores[i]) if c.present[i] else "—"


def _c_masthead(comparison: Comparison, lang: str, model_name: str) -> str:
    meta = "".join(f"<span><b>{esc(p.label)}</b> {esc(_basename(p.source))} ({esc(cword('n', lang))} {p.n})</span>"
                   for p in comparison.periods)
    return (f'<header class="masthead"><p class="eyebrow">{esc(cword("compare_report", lang))}</p><h1>{esc(model_name)}</h1>'
            f'<p class="meta">{meta}</p></header>\n')


def _c_kpis(comparison: Comparison, lang: str) -> str:
    o = comparison.overall
    labels = comparison.labels
    path = " → ".join(_score_at(o, i) for i in range(len(labels)))
    vc = _verdict_class(o)
    ci = ""
    if math.isfinite(o.delta_ci[0]) and math.isfinite(o.delta_ci[1]):
        ci = f" [{fmt_delta(o.delta_ci[0])}, {fmt_delta(o.delta_ci[1])}]"
    cards = [f'<div class="kpi main"><div class="label">{esc(cword("overall", lang))} · {esc(" → ".join(labels))}</div>'
             f'<div class="value">{fmt(o.last)}</div><div class="sub">{path}</div></div>',
             f'<div class="kpi {"good" if vc == "up" else ("bad" if vc == "down" else "")}"><div class="label">{esc(cword("delta", lang))} '
             f'({esc(labels[-2])} → {esc(labels[-1])})</div><div class="value {"good" if vc == "up" else ("bad" if vc == "down" else "")}">'
             f'{_arrow(o)} {fmt_delta(o.delta)}</div><div class="sub">{ci.strip()} · {esc(cword("p_adj", lang))} {esc(fmt_p(o.p_adj))}'
             f'<br><span class="badge v-{vc}">{esc(verdict_text(o.verdict, lang))}</span></div></div>']
    if o.trend is not None:
        tr = o.trend
        cards.append(f'<div class="kpi"><div class="label">{esc(cword("trend", lang))} ({esc(cword("per_period", lang))})</div>'
                     f'<div class="value">{fmt_delta(tr.slope, 2)}</div><div class="sub">[{fmt_delta(tr.ci[0], 2)}, '
                     f"{fmt_delta(tr.ci[1], 2)}] · p {esc(fmt_p(tr.p))}</div></div>")
    if comparison.benchmark is not None and o.benchmark is not None:
        b = o.benchmark
        cls = {"above": "good", "below": "bad"}.get(b.verdict or "", "")
        cards.append(f'<div class="kpi {cls}"><div class="label">{esc(comparison.benchmark[0])}</div>'
                     f'<div class="value">{fmt(b.score)}</div><div class="sub">{esc(cword("benchmark_gap", lang))} {fmt_delta(b.gap)}'
                     f'{" · " + esc(_bench_verdict(b.verdict, lang)) if b.verdict else ""}</div></div>')
    return f'<section class="kpis">{"".join(cards)}</section>\n'


def _bench_verdict(verdict: str | None, lang: str) -> str:
    zh, en = _BENCH_VERDICT.get(verdict, ("", ""))
    return zh if lang == "zh" else en


def _c_alerts(comparison: Comparison, lang: str) -> str:
    items = []
    if comparison.check is not None and comparison.check.failed:
        items.append(f"<li><b>{esc(_check_text(comparison, lang))}</b></li>")
    items += [f"<li>{esc(_alert_text(a, lang))}</li>" for a in comparison.alerts if a.code != "fail-on-drop"]
    if not items:
        return ""
    return f'<section class="callout"><h2>{esc(cword("alerts", lang))}</h2><ul>{"".join(items)}</ul></section>\n'


def _c_domain(series: Sequence[NodeComparison]) -> tuple[float, float]:
    vals = []
    for c in series:
        for s, se in zip(c.scores, c.se, strict=True):
            if math.isfinite(s):
                vals.append(s)
                if math.isfinite(se):
                    vals += [s - 1.96 * se, s + 1.96 * se]
    if not vals:
        return (0.0, 100.0)
    lo, hi = min(vals), max(vals)
    if hi - lo < 10:
        mid = (lo + hi) / 2
        lo, hi = mid - 5, mid + 5
    pad = (hi - lo) * 0.08
    lo, hi = max(0.0, math.floor((lo - pad) / 5) * 5), min(100.0, math.ceil((hi + pad) / 5) * 5)
    return (lo, hi) if hi > lo else (0.0, 100.0)


_VERDICT_COLOURS = {"up": TONE_COLOURS["good"][0], "down": TONE_COLOURS["bad"][0]}


def _c_trends(comparison: Comparison, lang: str) -> str:
    dims = [c for c in comparison.nodes if c.parent is None]
    series = [comparison.overall, *dims]
    domain = _c_domain(series)
    labels = comparison.labels
    cards = []
    for c in series:
        name = cword("overall", lang) if c.kind == "index" else c.name
        colour = _VERDICT_COLOURS.get(c.verdict or "", "23466F")
        svg = trend_svg(labels, c.scores, c.se, domain, colour, f"{name}: " + " → ".join(_score_at(c, i) for i in range(len(labels))))
        cls = "tcard index" if c.kind == "index" else "tcard"
        cards.append(f'<div class="{cls}"><header><b>{esc(name)}</b><span>{fmt(c.last)} {_delta_html(c)}</span></header>{svg}</div>')
    return (f'<section class="card" id="trends"><h2>{esc(cword("trends", lang))}<small>{esc(cword("whiskers", lang))}</small></h2>'
            f'<div class="trends">{"".join(cards)}</div></section>\n')


def _move_row(c: NodeComparison, comparison: Comparison, lang: str, where: str = "") -> str:
    labels = comparison.labels
    parents = {n.id: n.parent for n in comparison.nodes}
    names = {n.id: n.name for n in comparison.nodes}
    name = cword("overall", lang) if c.kind == "index" else c.name
    ctx = [where] if where else []
    top = _top_of(c.id, parents) if c.kind != "index" else None
    if top and top != c.id:
        ctx.append(names.get(top, ""))
    ci = ""
    if math.isfinite(c.delta_ci[0]) and math.isfinite(c.delta_ci[1]):
        ci = f"[{fmt_delta(c.delta_ci[0])}, {fmt_delta(c.delta_ci[1])}]"
    context = f"<small>{esc(' · '.join(x for x in ctx if x))}</small>" if ctx else ""
    vc = _verdict_class(c)
    return (f'<tr><td class="{vc}">{_arrow(c)}</td><td>{context}<b>{esc(name)}</b></td>'
            f'<td class="r">{_score_at(c, len(labels) - 2)} → {_score_at(c, len(labels) - 1)}</td>'
            f'<td class="r {vc}"><b>{fmt_delta(c.delta)}</b></td><td class="r hide-narrow">{ci}</td><td class="r">{esc(fmt_p(c.p_adj))}</td></tr>')


def _moves_table(rows: list[str], lang: str) -> str:
    head = (f"<tr><th></th><th>{esc(cword('node', lang))}</th><th class='r'>{esc(cword('path', lang))}</th>"
            f"<th class='r'>{esc(cword('delta', lang))}</th><th class='r hide-narrow'>{esc(cword('ci_delta', lang))}</th>"
            f"<th class='r'>{esc(cword('p_adj', lang))}</th></tr>")
    return f'<div class="scroll"><table class="moves"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table></div>'


def _c_moves(comparison: Comparison, lang: str) -> str:
    sig = [c for c in (comparison.overall, *comparison.nodes) if c.verdict in ("up", "down")]
    sig.sort(key=lambda c: (c.delta > 0, -abs(c.delta)))
    body = (_moves_table([_move_row(c, comparison, lang) for c in sig], lang) if sig
            else f'<p>{esc(cword("no_moves", lang))}</p>')
    seg_html = ""
    for seg in comparison.segments:
        moves = [(v.value, c) for v in seg.values for c in (v.overall, *v.nodes) if c.verdict in ("up", "down")]
        if moves:
            moves.sort(key=lambda vc: (vc[1].delta > 0, -abs(vc[1].delta)))
            seg_html += (f"<h3>{esc(cword('segment_moves', lang))}: {esc(seg.by)}</h3>"
                         + _moves_table([_move_row(c, comparison, lang, where=v) for v, c in moves], lang))
    return f'<section class="card" id="moves"><h2>{esc(cword("moves", lang))}</h2>{body}{seg_html}</section>\n'


def _c_table(comparison: Comparison, lang: str) -> str:
    labels = comparison.labels
    t3 = len(labels) >= 3
    head = [f"<th>{esc(cword('node', lang))}</th>", *[f"<th class='r'>{esc(lbl)}</th>" for lbl in labels],
            f"<th class='r'>{esc(cword('delta', lang))}</th>", f"<th class='r'>{esc(cword('p_adj', lang))}</th>",
            f"<th class='hide-narrow'>{esc(cword('verdict', lang))}</th>"]
    if t3:
        head += [f"<th class='r'>{esc(cword('delta_first', lang))}</th>", f"<th class='r'>{esc(cword('slope', lang))}</th>"]
    if comparison.benchmark is not None:
        head.append(f"<th class='r'>{esc(comparison.benchmark[0])}</th>")
    depth = comparison_depths(comparison.nodes)
    rows = []
    for c in (comparison.overall, *comparison.nodes):
        d = 0 if c.kind == "index" else depth.get(c.id, 0)
        name = cword("overall", lang) if c.kind == "index" else c.name
        cls = "lvl0" if c.kind == "index" or (c.kind == "group" and d == 0) else ""
        cells = [f'<td class="ind{min(d, 3)}">{esc(name)}</td>', *[f"<td class='r'>{_score_at(c, i)}</td>" for i in range(len(labels))],
                 f"<td class='r'>{_delta_html(c)}</td>", f"<td class='r'>{esc(fmt_p(c.p_adj))}</td>",
                 f"<td class='hide-narrow'>{_verdict_badge(c, lang)}</td>"]
        if t3:
            tr = c.trend
            cells += [f"<td class='r'>{fmt_delta(c.delta_first)}</td>",
                      f"<td class='r'>{'' if tr is None else fmt_delta(tr.slope, 2)}</td>"]
        if comparison.benchmark is not None:
            b = c.benchmark
            cells.append("<td class='r'></td>" if b is None else
                         f"<td class='r'>{fmt(b.score)} <span class='{ {'above': 'up', 'below': 'down'}.get(b.verdict or '', 'flat') }'>"
                         f"({fmt_delta(b.gap)})</span></td>")
        rows.append(f"<tr class='{cls}'>{''.join(cells)}</tr>")
    return (f'<section class="card" id="scores"><h2>{esc(cword("scores_periods", lang))}</h2><div class="scroll"><table class="tree"><thead><tr>'
            f'{"".join(head)}</tr></thead><tbody>{"".join(rows)}</tbody></table></div></section>\n')


def _c_structural(comparison: Comparison, lang: str) -> str:
    """The structural model's CSI, construct indices and impacts across the periods (empty without one)."""
    st = comparison.structural
    if st is None:
        return ""
    labels = comparison.labels
    title, header = structural_title(lang)
    head = [f"<th>{esc(header)}</th>", *[f"<th class='r'>{esc(lbl)}</th>" for lbl in labels],
            f"<th class='r'>{esc(cword('delta', lang))}</th>", f"<th class='r hide-narrow'>{esc(cword('ci_delta', lang))}</th>",
            f"<th class='r'>{esc(cword('p_adj', lang))}</th>", f"<th class='hide-narrow'>{esc(cword('verdict', lang))}</th>"]
    rows = []
    for c in st.rows:
        ci = f"[{fmt_delta(c.delta_ci[0])}, {fmt_delta(c.delta_ci[1])}]" if math.isfinite(c.delta_ci[0]) else ""
        rows.append(f"<tr class='{'lvl0' if c.kind == 'csi' else ''}'><td>{esc(structural_label(c, lang))}</td>"
                    + "".join(f"<td class='r'>{_score_at(c, i)}</td>" for i in range(len(labels)))
                    + f"<td class='r'>{_delta_html(c)}</td><td class='r hide-narrow'>{ci}</td><td class='r'>{esc(fmt_p(c.p_adj))}</td>"
                      f"<td class='hide-narrow'>{_verdict_badge(c, lang)}</td></tr>")
    return (f'<section class="card" id="structural"><h2>{esc(title)}</h2><div class="scroll"><table class="tree"><thead><tr>'
            f'{"".join(head)}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'
            f'<p class="note">{esc(structural_note(lang))}</p></section>\n')


def _verdict_badge(c: NodeComparison, lang: str) -> str:
    if c.verdict is None:
        return f'<span class="flat">{esc(verdict_text(None, lang))}</span>'
    if c.verdict in ("up", "down"):
        return f'<span class="badge v-{c.verdict}">{esc(verdict_text(c.verdict, lang))}</span>'
    return f'<span class="flat">{esc(verdict_text(c.verdict, lang))}</span>'


def _c_weak(comparison: Comparison, lang: str) -> str:
    if not comparison.weak_points:
        return ""
    rows = []
    for wp in comparison.weak_points:
        ranks = " → ".join("–" if r is None else str(r) for r in wp.ranks)
        losses = " → ".join(fmt(x, 2) for x in wp.losses)
        cls = "down" if wp.delta_loss > 0 else ("up" if wp.delta_loss < 0 else "flat")
        rows.append(f"<tr><td><span class='badge s-{esc(wp.status)}'>{esc(_status(wp.status, lang))}</span></td><td>{esc(wp.name)}</td>"
                    f"<td class='r'>{ranks}</td><td class='r'>{losses}</td><td class='r {cls}'>{fmt_delta(wp.delta_loss, 2)}</td></tr>")
    return (f'<section class="card" id="weak-points"><h2>{esc(cword("weak", lang))}</h2><div class="scroll"><table><thead><tr>'
            f"<th>{esc(cword('status', lang))}</th><th>{esc(cword('node', lang))}</th><th class='r'>{esc(cword('rank', lang))}</th>"
            f"<th class='r'>{esc(cword('loss', lang))}</th><th class='r'>{esc(cword('delta_loss', lang))}</th></tr></thead>"
            f'<tbody>{"".join(rows)}</tbody></table></div></section>\n')


def _c_segments(comparison: Comparison, lang: str) -> str:
    labels = comparison.labels
    out = []
    for seg in comparison.segments:
        head = (f"<tr><th>{esc(seg.by)}</th><th class='r'>{esc(cword('n', lang))}</th>"
                + "".join(f"<th class='r'>{esc(lbl)}</th>" for lbl in labels)
                + f"<th class='r'>{esc(cword('delta', lang))}</th><th class='r'>{esc(cword('p_adj', lang))}</th>"
                  f"<th class='hide-narrow'>{esc(cword('verdict', lang))}</th></tr>")
        rows = []
        for v in seg.values:
            c = v.overall
            rows.append(f"<tr><td>{esc(v.value)}</td><td class='r'>{'–' if v.n[-1] is None else v.n[-1]}</td>"
                        + "".join(f"<td class='r'>{_score_at(c, i)}</td>" for i in range(len(labels)))
                        + f"<td class='r'>{_delta_html(c)}</td><td class='r'>{esc(fmt_p(c.p_adj))}</td>"
                          f"<td class='hide-narrow'>{_verdict_badge(c, lang)}</td></tr>")
        note = ""
        if any(seg.suppressed):
            note = ('<p class="note">' + esc(", ".join(f"{lbl}: {s}" for lbl, s in zip(labels, seg.suppressed, strict=True) if s))
                    + f" {esc(cword('suppressed', lang))} (n &lt; {seg.min_group})</p>")
        out.append(f'<section class="card segment"><h2>{esc(cword("segments", lang))}: {esc(seg.by)}</h2><div class="scroll"><table>'
                   f'<thead>{head}</thead><tbody>{"".join(rows)}</tbody></table></div>{note}</section>\n')
    return "".join(out)


def _c_warnings(comparison: Comparison, lang: str) -> str:
    if not comparison.warnings:
        return ""
    return (f'<section class="callout warn"><h2>{esc(cword("warnings", lang))}</h2><ul>'
            + "".join(f"<li>{esc(w)}</li>" for w in comparison.warnings) + "</ul></section>\n")


def _c_footer(comparison: Comparison, lang: str) -> str:
    m = comparison.manifest
    parts = []
    if m.get("tool"):
        parts.append(esc(m["tool"]))
    if m.get("created"):
        parts.append(f"{esc(cword('created', lang))} {esc(m['created'])}")
    parts.append(f"α = {comparison.alpha:g} (Holm)")
    parts.append(f"{esc(cword('ci', lang))} {comparison.confidence * 100:g}%")
    shas = {p.model_sha256 for p in comparison.periods if p.model_sha256}
    if len(shas) == 1:
        parts.append(f"{esc(cword('model', lang))} sha256 <code>{esc(next(iter(shas))[:16])}…</code>")
    else:
        parts += [f"{esc(p.label)} {esc(cword('model', lang))} sha256 <code>{esc(p.model_sha256[:16])}…</code>"
                  for p in comparison.periods if p.model_sha256]
    return f"<footer>{' · '.join(parts)}</footer>\n"

