"""The terminal report (rich): header, overall CSI, the tree with bars, weak points, data quality."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from rich.console import Console, Group
from rich.panel import Panel
from rich.text import Text

from csi.printable import printable_copy
from csi.report import grades_report
from csi.report.findings import print_findings, result_findings
from csi.report.fit import Column, fits, print_table, split_items, wrap, wrap_items
from csi.report.labels import word
from csi.report.tables import (
    _depths,
    fmt,
    fmt_vs_rest,
    ipa_basis,
    ipa_disagreement,
    lang_of,
    quadrant_text,
    quality_lines,
    rank_by,
    text,
    weak_title,
)
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
    """Print the report of one result (its text from the data escaped: :mod:`csi.printable`)."""
    result = printable_copy(result)
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
    sc = result.structural_csi()
    lead = o if sc is None else sc  # a structural model's CSI leads; the tree's index is its drivers'
    big = Text()
    big.append(f"{text('overall' if sc is None else 'csi_structural', lang)}  ", style="bold")
    big.append(fmt(lead.score), style="bold " + _colour(lead.score, _default_target(result)))
    big.append(f"  [{fmt(lead.ci[0])}, {fmt(lead.ci[1])}]")
    if lead.se == lead.se:
        big.append(f"  ±{fmt(lead.se * 1.96)}")
    extra = []
    if sc is not None:
        extra.append(Text(f"{text('drivers_index', lang)}  {fmt(o.score)}  [{fmt(o.ci[0])}, {fmt(o.ci[1])}]"))
    if result.outcome is not None:
        e = result.outcome
        extra.append(Text(f"{text('outcome', lang)}  {fmt(e.score)}  [{fmt(e.ci[0])}, {fmt(e.ci[1])}]"))
    if result.nps and result.nps.get("score") is not None:
        ci = result.nps["ci"]
        extra.append(Text(f"{text('nps', lang)}  {fmt(result.nps['score'])}  [{fmt(ci[0])}, {fmt(ci[1])}]"))
    console.print(Panel(Group(head, Text(""), big, *extra), expand=False))
    print_findings(result_findings(result), console, lang)

    depth = _depths(result)
    nodes = result.nodes
    targets = [n.target if n.kind == "item" else _default_target(result) for n in nodes]
    print_table(console, [
        Column(text("node", lang), ["  " * depth[n.id] + n.name for n in nodes], "name", "left",
               styles=["bold" if n.kind == "group" and depth[n.id] == 0 else "" for n in nodes]),
        Column(text("score", lang), [fmt(n.score) for n in nodes], styles=[_colour(n.score, t) for n, t in zip(nodes, targets, strict=True)]),
        Column("", [bar(n.score, 16) for n in nodes], "fixed", "left", drop=1),
        Column(text("ci", lang), [f"{fmt(n.ci[0])}–{fmt(n.ci[1])}" for n in nodes]),
        Column(text("weight", lang), [f"{fmt(n.weight * 100, 0)}%" for n in nodes]),
        Column(text("n", lang), [str(n.n) for n in nodes]),
        Column(text("alpha", lang), [fmt(n.alpha, 2) if n.alpha is not None else "" for n in nodes]),
    ])

    if result.weak_points:
        _weak_points(result, console, lang)

    for seg in result.segments:
        console.print()
        gs = seg.groups
        print_table(console, [
            Column(seg.by, [g.value for g in gs], "name", "left"),
            Column(text("n", lang), [str(g.n) for g in gs]),
            Column(text("score", lang), [fmt(g.overall.score) for g in gs]),
            Column("", [bar(g.overall.score, 16) for g in gs], "fixed", "left", drop=1),
            Column(text("ci", lang), [f"{fmt(g.overall.ci[0])}–{fmt(g.overall.ci[1])}" for g in gs]),
            Column(text("vs_rest", lang), [_vs_rest(g.vs_rest).plain for g in gs], styles=[_vs_rest(g.vs_rest).style for g in gs]),
        ], title=f"{text('segments', lang)}: {seg.by}", title_justify="left")
        if seg.suppressed:
            console.print(f"{seg.suppressed} {text('suppressed', lang)} (n < {seg.min_group})", style="dim")

    grades_report.render_grades(result.grades, console, lang)
    if result.structural is not None:
        from csi.report.structural import render_structural

        render_structural(result.structural, console, lang)

    console.print()
    console.print(text("quality", lang), style="bold")
    for line in quality_lines(result, lang):  # a line breaks between items, never inside one
        console.print(Text("\n".join(wrap_items(["  ", *split_items(line)], console.width, indent="    "))))
    for w in result.warnings:
        console.print(Text("\n".join(wrap("  ! " + w, console.width, indent="    ")), style="yellow"))


def _weak_points(result: Result, console: Console, lang: str) -> None:
    """The weak points' table (an IPMA column when ranked by it), the importance the quadrants
    show and, where a top weak point lies outside "concentrate here", why; then the comments."""
    console.print()
    wps = result.weak_points
    ipma = rank_by(result) == "ipma"
    priority = [Column(text("priority", lang), [fmt(w.priority, 3) for w in wps], styles=["bold"] * len(wps))] if ipma else []
    print_table(console, [
        Column("#", [str(w.rank) for w in wps]),
        Column(text("node", lang), [w.name for w in wps], "name", "left"),
        Column(text("score", lang), [fmt(w.score) for w in wps]),
        Column(text("target", lang), [fmt(w.target, 0) for w in wps]),
        Column(text("loss", lang), [fmt(w.loss, 2) for w in wps], styles=[""] * len(wps) if ipma else ["bold"] * len(wps)),
        *priority,
        Column(text("quadrant", lang), [quadrant_text(w.quadrant, lang) for w in wps], "text", "left"),
        Column(text("low", lang), [f"{fmt((w.low_share or 0) * 100, 0)}%" for w in wps]),
        Column(text("stability", lang), [f"{fmt(w.stability * 100, 0)}%" for w in wps]),
    ], title=weak_title(result, lang), title_justify="left")
    names = [f"「{w.name}」" for w in wps] + [w.name for w in wps]  # (never broken inside)
    for line in (ipa_basis(result, lang), ipa_disagreement(result, lang)):
        if line:
            console.print(Text("\n".join(wrap("  " + line, console.width, indent="  ", keep=names)), style="dim"))
    for wp in wps:
        if wp.verbatims:
            console.print(Text(f"  {wp.rank}. {wp.name}", style="bold"))
            for quote in wp.verbatims:
                console.print(Text("\n".join(wrap(f"     “{quote}”", console.width, indent="      ")), style="italic"))


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
    comparison, names = printable_copy(comparison), printable_copy(dict(names))
    runs = list(comparison.runs)
    width = console.width
    for gid, gname, kids in comparison.groups:
        label = word("weights_method", lang)
        name = Column("", [cname for _, cname in kids] + [label], "name", "left", styles=[""] * len(kids) + ["dim"])
        methods = [Column(r.method, ["–" if r.error or gid not in r.weights else f"{r.weights[gid][i]:.3f}" for i in range(len(kids))]
                          + ["" if r.error else r.methods.get(gid, "")]) for r in runs]
        for n, chunk in enumerate(_pages(name, methods, width)):  # too many methods for the width: more tables, the names repeated
            print_table(console, [name, *chunk], title=f"{gname} ({gid})" if n == 0 else None, title_justify="left")
        for r in runs:
            cr = r.details.get(gid, {}).get("cr")
            if r.method == "model" and cr is not None:
                line = word("weights_ahp", lang).format(cr=f"{cr:.3f}", lambda_max=f"{r.details[gid]['lambda_max']:.3f}")
                console.print(Text("\n".join(wrap("  " + line, width, indent="    "))))
        console.print()
    sep = "、" if lang == "zh" else ", "
    print_table(console, [
        Column(word("weights_method", lang), [r.method for r in runs], "text", "left"),
        Column("CSI", ["–" if r.error else fmt(r.overall) for r in runs]),
        Column(word("weights_top", lang).format(k=comparison.top_k),
               [word("weights_not_run", lang).format(why=r.error) if r.error else sep.join(names.get(i, i) for i in r.top) for r in runs],
               "name", "left", keep=list(names.values())),
    ], title=word("weights_summary", lang), title_justify="left")
    console.print()
    console.print(Text("\n".join(wrap(_sensitivity(comparison, lang, names), width, keep=list(names.values())))))
    warned = [(r.method, w) for r in runs for w in r.warnings]
    if warned:
        console.print()
        console.print(text("warnings", lang), style="bold")
        for method, w in warned:
            console.print(Text("\n".join(wrap(f"  ! {method}: {w}", width, indent="    ")), style="yellow"))


def _pages(name: Column, columns: list[Column], width: int) -> list[list[Column]]:
    """``columns`` in even runs, each fitting ``width`` beside the ``name`` column with whole
    names: one run when everything fits, else as few runs as whole names allow."""
    if fits([name, *columns], width) and _natural_width([name, *columns]) <= width:
        return [columns]
    per_page = 1
    while per_page < len(columns) and _natural_width([name, *columns[:per_page + 1]]) <= width:
        per_page += 1
    pages = -(-len(columns) // per_page)
    size = -(-len(columns) // pages)
    return [columns[i:i + size] for i in range(0, len(columns), size)]


def _natural_width(columns: list[Column]) -> int:
    return sum(c.natural() for c in columns) + 3 * (len(columns) - 1)


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
