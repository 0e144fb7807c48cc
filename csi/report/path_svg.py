"""The structural model in the HTML report: a path diagram in inline SVG (constructs with their
index and R², arrows with their coefficients) and the tables beside it.

Constructs stand in columns by their depth in the model (a construct sits one column right of
its furthest predecessor); an arrow that skips columns bends above the boxes between.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from csi.report.svg import esc
from csi.report.tables import fmt, fmt_p

__all__ = ["path_diagram_svg", "structural_html"]

_BOX_W, _BOX_H, _COL, _ROW, _PAD = 184, 54, 228, 96, 24


def _depths(ids: Sequence[str], arrows: Sequence[tuple[str, str]]) -> dict[str, int]:
    depth = dict.fromkeys(ids, 0)
    for c in ids:  # ids are in estimation order: every source before its targets
        for s, t in arrows:
            if t == c:
                depth[c] = max(depth[c], depth[s] + 1)
    return depth


def path_diagram_svg(section: Mapping[str, Any]) -> str:
    """The diagram of a ``structural`` section.

    >>> sec = {"constructs": [{"id": "a", "name": "A", "index": 70.0, "r2": None},
    ...                       {"id": "b", "name": "B <x>", "index": 65.5, "r2": 0.25}],
    ...        "paths": [{"from": "a", "to": "b", "coefficient": 0.5, "p": 0.001}]}
    >>> svg = path_diagram_svg(sec)
    >>> svg.startswith("<svg") and "B &lt;x&gt;" in svg and "0.50" in svg and "R² 0.25" in svg
    True
    """
    ids = [c["id"] for c in section["constructs"]]
    arrows = [(p["from"], p["to"]) for p in section["paths"]]
    depth = _depths(ids, arrows)
    rows: dict[int, int] = {}
    pos: dict[str, tuple[float, float]] = {}
    for c in ids:
        d = depth[c]
        r = rows.get(d, 0)
        rows[d] = r + 1
        pos[c] = (_PAD + d * _COL, _PAD + 40 + r * _ROW + (d % 2) * _ROW / 2)
    width = _PAD * 2 + max(depth.values()) * _COL + _BOX_W
    height = max(y for _, y in pos.values()) + _BOX_H + _PAD
    out = [f'<svg class="paths" viewBox="0 0 {width:.0f} {height:.0f}" role="img" xmlns="http://www.w3.org/2000/svg">',
           '<defs><marker id="arrowhead" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">'
           '<path d="M0,0 L10,5 L0,10 z" fill="#5d6878"/></marker></defs>']
    for p in section["paths"]:
        (x1, y1), (x2, y2) = pos[p["from"]], pos[p["to"]]
        sx, sy, tx, ty = x1 + _BOX_W, y1 + _BOX_H / 2, x2, y2 + _BOX_H / 2
        span = depth[p["to"]] - depth[p["from"]]
        lift = 0.0 if span <= 1 else 30.0 + 18.0 * span
        cx, cy = (sx + tx) / 2, min(sy, ty) - lift if lift else (sy + ty) / 2
        weak = p.get("p") is not None and p["p"] >= 0.05
        dash = ' stroke-dasharray="5 4"' if weak else ""
        out.append(f'<path d="M{sx:.1f},{sy:.1f} Q{cx:.1f},{cy:.1f} {tx:.1f},{ty:.1f}" fill="none" stroke="#5d6878" '
                   f'stroke-width="{1 + 3 * min(abs(p["coefficient"]), 1):.2f}"{dash} marker-end="url(#arrowhead)"/>')
        lx, ly = (sx + 2 * cx + tx) / 4, (sy + 2 * cy + ty) / 4 - 4
        out.append(f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="middle" font-size="13" fill="#1d2733" '
                   f'paint-order="stroke" stroke="#fff" stroke-width="4">{esc(fmt(p["coefficient"], 2))}</text>')
    for c in section["constructs"]:
        x, y = pos[c["id"]]
        sub = f'{fmt(c["index"])}' + (f' · R² {fmt(c["r2"], 2)}' if c.get("r2") is not None else "")
        out.append(f'<g><rect x="{x:.1f}" y="{y:.1f}" width="{_BOX_W}" height="{_BOX_H}" rx="8" fill="#f1f3f7" stroke="#1f4e79"/>'
                   f'<text x="{x + _BOX_W / 2:.1f}" y="{y + 22:.1f}" text-anchor="middle" font-size="13" font-weight="bold" '
                   f'fill="#1d2733">{esc(c["name"])}</text>'
                   f'<text x="{x + _BOX_W / 2:.1f}" y="{y + 42:.1f}" text-anchor="middle" font-size="12" fill="#5d6878">'
                   f'{esc(sub)}</text></g>')
    out.append("</svg>")
    return "".join(out)


def structural_html(section: Mapping[str, Any], lang: str) -> str:
    """The report's structural section: the diagram, then paths and impacts."""
    zh = lang == "zh"
    names = {c["id"]: c["name"] for c in section["constructs"]}
    title = "结构方程模型（PLS 路径模型）" if zh else "Structural model (PLS path model)"
    lead = (f'{"CSI（满意度构念指数）" if zh else "CSI (satisfaction construct index)"}: <strong>{esc(fmt(section["csi"]))}</strong>'
            + (f' [{esc(fmt(section["ci"][0]))}–{esc(fmt(section["ci"][1]))}]' if section.get("ci") else ""))
    note = ("框内：构念指数 · R²；箭头：标准化路径系数（虚线：p ≥ 0.05）" if zh else
            "Boxes: construct index · R²; arrows: standardised path coefficients (dashed: p ≥ 0.05)")
    rows = "".join(f'<tr><td>{esc(names[p["from"]])} → {esc(names[p["to"]])}</td><td class="num">{esc(fmt(p["coefficient"], 3))}</td>'
                   f'<td class="num">{esc(fmt_p(p.get("p")))}</td><td class="num">{esc(fmt(p["f2"], 3))}</td></tr>'
                   for p in section["paths"])
    impacts = "".join(f'<tr><td>{esc(names[i["driver"]])}</td><td class="num">{esc(fmt(i["impact"], 2))}</td>'
                      f'<td class="num">{esc(fmt_p(i.get("p")))}</td></tr>'
                      for i in sorted(section["impacts"], key=lambda r: -r["impact"]))
    return (f'<section class="card" id="structural"><h2>{esc(title)}</h2><p>{lead}</p>{path_diagram_svg(section)}'
            f'<p class="note">{esc(note)}</p>'
            f'<table><thead><tr><th></th><th>β</th><th>p</th><th>f²</th></tr></thead><tbody>{rows}</tbody></table>'
            f'<h3>{esc("影响力（驱动指数 +5 分）" if zh else "Impacts (+5 points in a driver)")}</h3>'
            f'<table><thead><tr><th></th><th>{esc("影响力" if zh else "impact")}</th><th>p</th></tr></thead>'
            f'<tbody>{impacts}</tbody></table></section>\n')
