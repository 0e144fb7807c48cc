"""The terminal report (rich): header, overall CSI, the tree with bars, weak points, data quality."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from csi.report.tables import _depths, fmt, lang_of, quadrant_text, quality_lines, text
from csi.result import Result

__all__ = ["render_result", "bar"]


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
    p_text = "" if p is None else (" p<0.001" if p < 0.001 else f" p={p:.3f}")
    return Text(f"{test['delta']:+.1f}{p_text}", style=style)


def _default_target(result: Result) -> float | None:
    targets = [n.target for n in result.nodes if n.kind == "item" and n.target is not None]
    return max(set(targets), key=targets.count) if targets else None
