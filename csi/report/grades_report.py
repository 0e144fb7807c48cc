"""The grade view (模糊综合评价, ``csi score --grades``) in the terminal, Markdown, HTML and xlsx.

One table everywhere: every node (the overall index first, the tree indented), its membership
in each grade, the grade of maximum membership with the share of bootstrap replicates that
agree, and B·V with its interval. The section is the result JSON's ``grades`` (a plain dict,
:func:`csi.grades.grade_view`); renderers call these only when it is there.

>>> g = {"grades": ["优", "差"], "overall": {"id": "overall", "parent": None, "kind": "index", "membership": [0.75, 0.25],
...      "grade": "优", "stability": 0.9, "score": 80.0, "ci": [78.0, 82.0]}, "nodes": []}
>>> rows(g, "en")[0]
['Overall CSI', '75.0%', '25.0%', '优', '90%', '80.0 [78.0, 82.0]']
"""

from __future__ import annotations

import html
from typing import Any

from csi.report.numbers import fmt

__all__ = ["title", "header", "rows", "segment_tables", "markdown_lines", "render_grades", "html_section", "sheet_rows"]

_TEXT = {
    "overall": ("总体 CSI", "Overall CSI"),
    "node": ("维度 / 指标", "Dimension / indicator"),
    "title": ("等级评价（模糊综合评价）", "Grade view (fuzzy comprehensive evaluation)"),
    "grade": ("评价等级", "Grade"),
    "stability": ("稳定性", "Stability"),
    "score": ("B·V [置信区间]", "B·V [interval]"),
    "note": ("各等级隶属度为加权回答占比，按节点权重以加权平均算子 M(·,⊕) 逐层合成；评价等级按最大隶属度原则；稳定性为 bootstrap 重抽样中得到同一等级的比例。",
             "Memberships are the shares of weighted answers per grade, combined up the tree with the node weights by the "
             "weighted-average operator M(·,⊕); the grade is the one of maximum membership; stability is the share of "
             "bootstrap replicates that give the same grade."),
}


def _t(key: str, lang: str) -> str:
    zh, en = _TEXT[key]
    return zh if lang == "zh" else en


def title(lang: str) -> str:
    return _t("title", lang)


def header(grades: dict[str, Any], lang: str) -> list[str]:
    return [_t("node", lang), *grades["grades"], _t("grade", lang), _t("stability", lang), _t("score", lang)]


def _depths(grades: dict[str, Any]) -> dict[str, int]:
    parents = {n["id"]: n["parent"] for n in grades["nodes"]}
    out = {}
    for nid in parents:
        d, p = 0, parents[nid]
        while p is not None and d < 64:
            d, p = d + 1, parents.get(p)
        out[nid] = d
    return out


def _nodes(grades: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    depth = _depths(grades)
    return [(-1, grades["overall"])] + [(depth[n["id"]], n) for n in grades["nodes"]]


def _pct(x: float | None, digits: int = 1) -> str:
    return "–" if x is None else f"{fmt(x * 100, digits)}%"


def rows(grades: dict[str, Any], lang: str, indent: str = "  ") -> list[list[str]]:
    """Every node as formatted text, in the order of :func:`header`."""
    out = []
    for depth, n in _nodes(grades):
        name = _t("overall", lang) if depth < 0 else indent * depth + str(n.get("name", n["id"]))
        lo, hi = n.get("ci") or (None, None)
        score = "–" if n.get("score") is None else fmt(n["score"]) + ("" if lo is None else f" [{fmt(lo)}, {fmt(hi)}]")
        out.append([name, *[_pct(m) for m in n["membership"]], n.get("grade") or "–", _pct(n.get("stability"), 0), score])
    return out


def segment_tables(grades: dict[str, Any], lang: str) -> list[tuple[str, list[str], list[list[str]]]]:
    """Per breakdown (``--by``): its title, header and one formatted row per value shown."""
    out = []
    for seg in grades.get("segments") or ():
        head = [seg["by"], "n", *grades["grades"], _t("grade", lang), _t("stability", lang), _t("score", lang)]
        rows_ = []
        for g in seg["groups"]:
            o = g["overall"]
            lo, hi = o.get("ci") or (None, None)
            score = "–" if o.get("score") is None else fmt(o["score"]) + ("" if lo is None else f" [{fmt(lo)}, {fmt(hi)}]")
            rows_.append([str(g["value"]), str(g["n"]), *[_pct(m) for m in o["membership"]], o.get("grade") or "–",
                          _pct(o.get("stability"), 0), score])
        out.append((f"{title(lang)} · {seg['by']}", head, rows_))
    return out


def markdown_lines(grades: dict[str, Any] | None, lang: str) -> list[str]:
    """The Markdown section (empty without a grade view)."""
    if not grades:
        return []
    head = header(grades, lang)
    lines = ["", f"## {title(lang)}", "", "| " + " | ".join(head) + " |",
             "|---|" + "---:|" * len(grades["grades"]) + "---|---:|---:|"]
    for r in rows(grades, lang, indent="　"):
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in r) + " |")
    for name, head, body in segment_tables(grades, lang):
        lines += ["", f"**{name}**", "", "| " + " | ".join(head) + " |", "|---|" + "---:|" * (len(head) - 4) + "---|---:|---:|"]
        lines += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in body]
    return [*lines, "", _t("note", lang)]


def render_grades(grades: dict[str, Any] | None, console: Any, lang: str) -> None:
    """The terminal table (nothing without a grade view); ``console`` is a rich Console."""
    if not grades:
        return
    from rich.table import Table

    table = Table(title=title(lang), title_justify="left", title_style="bold", show_edge=False, header_style="bold",
                  pad_edge=False)
    for i, h in enumerate(header(grades, lang)):
        table.add_column(h, justify="left" if i == 0 or i == len(grades["grades"]) + 1 else "right", no_wrap=i > 0)
    for depth, r in zip((d for d, _ in _nodes(grades)), rows(grades, lang), strict=True):
        table.add_row(*r, style="bold" if depth <= 0 else "")
    console.print()
    console.print(table)
    for name, head, body in segment_tables(grades, lang):
        st = Table(title=name, title_justify="left", title_style="bold", show_edge=False, header_style="bold", pad_edge=False)
        for i, h in enumerate(head):
            st.add_column(h, justify="left" if i in (0, len(head) - 3) else "right", no_wrap=i > 0,
                          overflow="fold" if i == 0 else "ellipsis")
        for r in body:
            st.add_row(*r)
        console.print()
        console.print(st)


def html_section(grades: dict[str, Any] | None, lang: str) -> str:
    """The HTML section (empty without a grade view)."""
    if not grades:
        return ""
    esc = html.escape

    def cell(tag: str, i: int, content: str) -> str:
        return f"<{tag}>{esc(content)}</{tag}>" if i == 0 else f'<{tag} class="r">{esc(content)}</{tag}>'

    head = "".join(cell("th", i, h) for i, h in enumerate(header(grades, lang)))
    body = []
    for (depth, _), r in zip(_nodes(grades), rows(grades, lang, indent="\u3000"), strict=True):
        cells = "".join(cell("td", i, c) for i, c in enumerate(r))
        body.append(f'<tr class="group">{cells}</tr>' if depth <= 0 else f"<tr>{cells}</tr>")
    segs = "".join(f'<h3>{esc(name)}</h3><div class="scroll"><table><thead><tr>{"".join(cell("th", i, h) for i, h in enumerate(hd))}'
                   f'</tr></thead><tbody>{"".join("<tr>" + "".join(cell("td", i, c) for i, c in enumerate(r)) + "</tr>" for r in bd)}'
                   "</tbody></table></div>" for name, hd, bd in segment_tables(grades, lang))
    return (f'<section class="card" id="grades"><h2>{esc(title(lang))}</h2><div class="scroll"><table><thead><tr>{head}'
            f'</tr></thead><tbody>{"".join(body)}</tbody></table></div>{segs}<p class="note">{esc(_t("note", lang))}</p>'
            "</section>\n")


def sheet_rows(grades: dict[str, Any], lang: str) -> tuple[list[str], list[list[Any]]]:
    """The workbook's header and rows, numbers kept as numbers (memberships as shares 0–1, with
    their interval bounds), None where there is none."""
    names = grades["grades"]
    low, high = ("下限", "上限") if lang == "zh" else ("low", "high")
    head = ["id", _t("node", lang), *names, _t("grade", lang), _t("stability", lang), "B·V", "se", low, high]
    head += [f"{g} {b}" for g in names for b in (low, high)]
    out = []
    for depth, n in _nodes(grades):
        name = _t("overall", lang) if depth < 0 else "  " * depth + str(n.get("name", n["id"]))
        lo, hi = n.get("ci") or (None, None)
        ci = [x for pair in (n.get("membership_ci") or [[None, None]] * len(names)) for x in pair]
        out.append([n["id"], name, *n["membership"], n.get("grade"), n.get("stability"), n.get("score"), n.get("se"), lo, hi, *ci])
    return head, out
