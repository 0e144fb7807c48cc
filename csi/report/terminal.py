"""The terminal report (rich): header, overall CSI, the tree with bars, weak points, data quality."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from csi.report.findings import print_findings, result_findings
from csi.report.labels import word
from csi.report.tables import _depths, fmt, fmt_vs_rest, lang_of, quadrant_text, quality_lines, text
from csi.result import Result

if TYPE_CHECKING:
    from csi.weighting.sensitivity import MethodComparison

__all__ = ["render_result", "render_weights", "bar"]


def bar(score: float | None, width: int = 20) -> str:
    """A bar of ``width`` cells for a 0–100 score, with eighth-cell resolution.

    >>> bar(50, 10)
    '█████     '
    """
    if score is None or score != score:
        return " " * width
    cells = max(0.0, min(100.0, score)) / 100.0 * width
    full = int(cells)
    part = int(round((cells - full) * 8))
    if part == 8:
        full, part = full + 1, 0
    s = "█" * full + ("" if part == 0 or full >= width else " ▏▎▍▌▋▊▉"[part])
    return s.ljust(width)


def _colour(score: float, target: float | None) -> str:
    if score != score:
        return "dim"
    if target is None:
        return "bold"
    return "green" if score >= target else ("yellow" if score >= target - 10 else "red")


def render_result(result: Result, console: Console, lang: str | None = None) -> None:
    """Print the report of one result."""
    lang = lang or lang_of(result)
    m = result.manifest
    model = m.get("model", {})
    src = m.get("input", {})
    r = result.respondents
    head = Text()
    head.append(str(model.get("name", "")), style="bold")
    if src:
        head.append(f"\n{src.get('path', '')}")
        if src.get("sheet"):
            head.append(f" · {src['sheet']}")
        if src.get("preset"):
            head.append(f" · {src['preset']}")
    head.append(f"\n{text('respondents', lang)}: {r.get('used', 0)} / {r.get('rows', 0)}")
    o = result.overall
    big = Text()
    big.append(f"{text('overall', lang)}  ", style="bold")
    big.append(fmt(o.score), style="bold " + _colour(o.score, _default_target(result)))
    big.append(f"  [{fmt(o.ci[0])}, {fmt(o.ci[1])}]  ±{fmt(o.se * 1.96 if o.se == o.se else None)}")
    extra = []
    if result.outcome is not None:
        e = result.outcome
        extra.append(Text(f"{text('outcome', lang)}  {fmt(e.score)}  [{fmt(e.ci[0])}, {fmt(e.ci[1])}]"))
    if result.nps and result.nps.get("score") is not None:
        ci = result.nps["ci"]
        extra.append(Text(f"{text('nps', lang)}  {fmt(result.nps['score'])}  [{fmt(ci[0])}, {fmt(ci[1])}]"))
    console.print(Panel(Group(head, Text(""), big, *extra), expand=False))
    print_findings(result_findings(result), console, lang)

    table = Table(show_edge=False, header_style="bold", pad_edge=False)
    table.add_column(text("node", lang))
    table.add_column(text("score", lang), justify="right")
    table.add_column("", no_wrap=True)
    table.add_column(text("ci", lang), justify="right")
    table.add_column(text("weight", lang), justify="right")
    table.add_column(text("n", lang), justify="right")
    table.add_column(text("alpha", lang), justify="right")
    depth = _depths(result)
    for node in result.nodes:
        e = node.estimate
        style = "bold" if node.kind == "group" and depth[node.id] == 0 else ""
        name = Text("  " * depth[node.id] + node.name, style=style)
        target = node.target if node.kind == "item" else _default_target(result)
        table.add_row(name, Text(fmt(e.score), style=_colour(e.score, target)), bar(e.score, 16),
                      f"{fmt(e.ci[0])}–{fmt(e.ci[1])}", f"{fmt(node.weight * 100, 0)}%", str(e.n),
                      fmt(node.alpha, 2) if node.alpha is not None else "")
    console.print(table)

    if result.weak_points:
        console.print()
        wt = Table(title=text("weak", lang), title_justify="left", show_edge=False, header_style="bold", pad_edge=False)
        for col, just in (("#", "right"), (text("node", lang), "left"), (text("score", lang), "right"), (text("target", lang), "right"),
                          (text("loss", lang), "right"), (text("quadrant", lang), "left"), (text("low", lang), "right"),
                          (text("stability", lang), "right")):
            wt.add_column(col, justify=just)  # type: ignore[arg-type]
        for wp in result.weak_points:
            wt.add_row(str(wp.rank), wp.name, fmt(wp.score), fmt(wp.target, 0), Text(fmt(wp.loss, 2), style="bold"),
                       quadrant_text(wp.quadrant, lang), f"{fmt((wp.low_share or 0) * 100, 0)}%", f"{fmt(wp.stability * 100, 0)}%")
        console.print(wt)
        for wp in result.weak_points:
            if wp.verbatims:
                console.print(Text(f"  {wp.rank}. {wp.name}", style="bold"))
                for quote in wp.verbatims:
                    console.print(Text(f"     “{quote}”", style="italic"))

    for seg in result.segments:
        console.print()
        st = Table(title=f"{text('segments', lang)}: {seg.by}", title_justify="left", show_edge=False, header_style="bold", pad_edge=False)
        st.add_column(seg.by)
        st.add_column(text("n", lang), justify="right")
        st.add_column(text("score", lang), justify="right")
        st.add_column("", no_wrap=True)
        st.add_column(text("ci", lang), justify="right")
        st.add_column(text("vs_rest", lang), justify="right")
        for g in seg.groups:
            st.add_row(Text(g.value), str(g.n), fmt(g.overall.score), bar(g.overall.score, 16), f"{fmt(g.overall.ci[0])}–{fmt(g.overall.ci[1])}",
                       _vs_rest(g.vs_rest))
        console.print(st)
        if seg.suppressed:
            console.print(f"{seg.suppressed} {text('suppressed', lang)} (n < {seg.min_group})", style="dim")

    console.print()
    console.print(text("quality", lang), style="bold")
    for line in quality_lines(result, lang):
        console.print(Text("  " + line))
    for w in result.warnings:
        console.print(Text("  ! " + w, style="yellow"))


def _vs_rest(test: dict | None) -> Text:
    """Δ against all other respondents, bold and coloured when Holm-significant at 5 %."""
    if not test or test.get("delta") is None:
        return Text("")
    p = test.get("p_adj")
    sig = p is not None and p < 0.05
    style = ("green" if test["delta"] > 0 else "red") if sig else "dim"
    return Text(fmt_vs_rest(test), style=style)


def _default_target(result: Result) -> float | None:
    targets = [n.target for n in result.nodes if n.kind == "item" and n.target is not None]
    return max(set(targets), key=targets.count) if targets else None


def render_weights(comparison: MethodComparison, console: Console, lang: str, names: Mapping[str, str]) -> None:
    """Print ``csi weights``: every group's weights under each method, then the index and the
    top weak points by method. ``names``: indicator id → name."""
    runs = list(comparison.runs)
    for gid, gname, kids in comparison.groups:
        t = Table(title=f"{gname} ({gid})", title_justify="left", show_edge=False, header_style="bold", pad_edge=False)
        t.add_column("")
        for r in runs:
            t.add_column(r.method, justify="right")
        for i, (_cid, cname) in enumerate(kids):
            t.add_row(cname, *("–" if r.error or gid not in r.weights else f"{r.weights[gid][i]:.3f}" for r in runs))
        t.add_row(Text(word("weights_method", lang), style="dim"), *("" if r.error else r.methods.get(gid, "") for r in runs))
        console.print(t)
        for r in runs:
            cr = r.details.get(gid, {}).get("cr")
            if r.method == "model" and cr is not None:
                line = word("weights_ahp", lang).format(cr=f"{cr:.3f}", lambda_max=f"{r.details[gid]['lambda_max']:.3f}")
                console.print(Text("  " + line))
        console.print()
    t = Table(title=word("weights_summary", lang), title_justify="left", show_edge=False, header_style="bold", pad_edge=False)
    t.add_column(word("weights_method", lang))
    t.add_column("CSI", justify="right")
    t.add_column(word("weights_top", lang).format(k=comparison.top_k))
    for r in runs:
        if r.error:
            t.add_row(r.method, "–", word("weights_not_run", lang).format(why=r.error))
        else:
            t.add_row(r.method, fmt(r.overall), ("、" if lang == "zh" else ", ").join(names.get(i, i) for i in r.top))
    console.print(t)
    console.print()
    console.print(Text(_sensitivity(comparison, lang, names)))
    warned = [(r.method, w) for r in runs for w in r.warnings]
    if warned:
        console.print()
        console.print(text("warnings", lang), style="bold")
        for method, w in warned:
            console.print(Text(f"  ! {method}: {w}", style="yellow"))


def _sensitivity(comparison: MethodComparison, lang: str, names: Mapping[str, str]) -> str:
    """How often each weak point makes the top K across the methods that ran, in ``lang``
    (in English, word for word the ``sensitivity`` of the comparison's JSON)."""
    from csi.weighting.sensitivity import weak_point_counts

    ok = [r for r in comparison.runs if r.error is None]
    scores = [r.overall for r in ok if r.overall is not None]
    if not ok or not scores:
        return word("weights_none", lang)
    k = comparison.top_k
    sep = "、" if lang == "zh" else ", "
    listed = sep.join(word("weights_in", lang).format(name=names.get(i, i), n=n) for i, n in weak_point_counts(ok)[:k + 2])
    agreed = sep.join(names.get(a, a) for a in comparison.agreed) or word("weights_agree_none", lang)
    return word("weights_sentence", lang).format(n=len(ok), k=k, listed=listed, agreed=agreed, low=f"{min(scores):.1f}",
                                                 high=f"{max(scores):.1f}")
