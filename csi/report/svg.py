"""Inline SVG charts for the HTML report: the IPA matrix and the small trend charts.

Plain strings, no dependencies, no scripts. Every text that reaches the SVG goes through
:func:`esc`; numbers are formatted here. Sizes are in the SVG's own units (``viewBox``): the
charts scale with the page, so they stay whole on a phone.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

from csi.report.labels import QUADRANT_COLOURS, IpaPoint

__all__ = ["esc", "nice_ticks", "ipa_svg", "trend_svg"]


def esc(s: object) -> str:
    """Text for HTML or SVG content and attribute values.

    >>> esc('<script>alert("1")</script> & co')
    '&lt;script&gt;alert(&quot;1&quot;)&lt;/script&gt; &amp; co'
    """
    return html.escape(str(s), quote=True)


def _n(x: float) -> str:
    """A coordinate, short."""
    return f"{x:.1f}".rstrip("0").rstrip(".") if math.isfinite(x) else "0"


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values covering [lo, hi], about ``count`` of them.

    >>> nice_ticks(62.3, 91.0)
    [65.0, 70.0, 75.0, 80.0, 85.0, 90.0]
    >>> nice_ticks(0.03, 0.065, 4)
    [0.03, 0.04, 0.05, 0.06]
    """
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        return [lo] if math.isfinite(lo) else []
    raw = (hi - lo) / max(count, 1)
    mag = 10 ** math.floor(math.log10(raw))
    step = min((m * mag for m in (1, 2, 2.5, 5, 10)), key=lambda st: abs((hi - lo) / st - count))
    first = math.ceil(lo / step - 1e-9)
    last = math.floor(hi / step + 1e-9)
    return [float(round(k * step, 10)) for k in range(first, last + 1)]


def _span(values: Sequence[float], pad: float, floor: float | None = None, ceil: float | None = None,
          min_span: float = 0.0) -> tuple[float, float]:
    lo, hi = min(values), max(values)
    if hi - lo < min_span:
        mid = (lo + hi) / 2
        lo, hi = mid - min_span / 2, mid + min_span / 2
    d = (hi - lo) * pad or abs(lo) * 0.5 or 1.0
    lo, hi = lo - d, hi + d
    if floor is not None:
        lo = max(lo, floor)
    if ceil is not None:
        hi = min(hi, ceil)
    return lo, hi


def _place(points: list[tuple[float, float]], radius: float, bounds: tuple[float, float, float, float]) -> list[tuple[float, float]]:
    """Bubble positions that do not overlap: each at its point if free, else at the nearest free
    spot on rings around it (the point itself stays marked, with a leader line)."""
    x0, y0, x1, y1 = bounds
    placed: list[tuple[float, float]] = []
    gap = 2 * radius + 1.5
    for px, py in points:
        best = (px, py)
        for ring in range(0, 8):
            candidates = [(px, py)] if ring == 0 else [
                (px + ring * gap * 0.75 * math.cos(a), py + ring * gap * 0.75 * math.sin(a))
                for a in (k * math.pi / (4 + 2 * ring) for k in range(2 * (4 + 2 * ring)))]
            free = [c for c in candidates if x0 + radius <= c[0] <= x1 - radius and y0 + radius <= c[1] <= y1 - radius
                    and all((c[0] - qx) ** 2 + (c[1] - qy) ** 2 >= gap * gap for qx, qy in placed)]
            if free:
                best = min(free, key=lambda c: (c[0] - px) ** 2 + (c[1] - py) ** 2)
                break
        placed.append(best)
    return placed


def ipa_svg(points: Sequence[IpaPoint], mean_importance: float, mean_score: float, quadrant_names: dict[str, str],
            x_title: str, y_title: str, title: str, percent: bool = True) -> str:
    """The importance–performance matrix: numbered bubbles coloured by quadrant, the cross-hairs
    at the means, the quadrants tinted and named in their corners. Importance is shown as a
    percentage when ``percent`` (weights, shares), else as a number (total effects)."""
    w, h = 520, 420
    left, right, top, bottom = 50, 14, 14, 50
    pw, ph = w - left - right, h - top - bottom
    if not points:
        return ""
    xs = [p.importance for p in points] + [mean_importance]
    ys = [p.score for p in points] + [mean_score]
    xlo, xhi = _span(xs, 0.12, floor=0.0)
    ylo, yhi = _span(ys, 0.12, floor=0.0, ceil=100.0, min_span=10.0)

    def sx(v: float) -> float:
        return left + (v - xlo) / (xhi - xlo) * pw

    def sy(v: float) -> float:
        return top + (yhi - v) / (yhi - ylo) * ph

    cx, cy = sx(mean_importance), sy(mean_score)
    out = [f'<svg class="chart ipa" viewBox="0 0 {w} {h}" role="img" aria-label="{esc(title)}">',
           f"<title>{esc(title)}</title>"]
    tint = {"possible_overkill": (left, top, cx - left, cy - top), "keep_up_the_good_work": (cx, top, left + pw - cx, cy - top),
            "low_priority": (left, cy, cx - left, top + ph - cy), "concentrate_here": (cx, cy, left + pw - cx, top + ph - cy)}
    for q, (x, y, ww, hh) in tint.items():
        out.append(f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(max(ww, 0))}" height="{_n(max(hh, 0))}" fill="#{QUADRANT_COLOURS[q]}" '
                   'fill-opacity="0.06"/>')
    for v in nice_ticks(ylo, yhi, 6):
        y = sy(v)
        out.append(f'<line class="grid" x1="{left}" x2="{left + pw}" y1="{_n(y)}" y2="{_n(y)}"/>')
        out.append(f'<text class="tick" x="{left - 6}" y="{_n(y + 4)}" text-anchor="end">{v:g}</text>')
    xt = nice_ticks(xlo, xhi, 5)
    scale, unit = (100, "%") if percent else (1, "")
    digits = max(0, -math.floor(math.log10((xt[1] - xt[0]) * scale))) if len(xt) > 1 else 1
    for v in xt:
        x = sx(v)
        out.append(f'<line class="grid" x1="{_n(x)}" x2="{_n(x)}" y1="{top}" y2="{top + ph}"/>')
        out.append(f'<text class="tick" x="{_n(x)}" y="{top + ph + 16}" text-anchor="middle">{v * scale:.{digits}f}{unit}</text>')
    out.append(f'<rect class="frame" x="{left}" y="{top}" width="{pw}" height="{ph}"/>')
    out.append(f'<line class="cross" x1="{_n(cx)}" x2="{_n(cx)}" y1="{top}" y2="{top + ph}"/>')
    out.append(f'<line class="cross" x1="{left}" x2="{left + pw}" y1="{_n(cy)}" y2="{_n(cy)}"/>')
    corner = {"possible_overkill": (left + 6, top + 15, "start"), "keep_up_the_good_work": (left + pw - 6, top + 15, "end"),
              "low_priority": (left + 6, top + ph - 7, "start"), "concentrate_here": (left + pw - 6, top + ph - 7, "end")}
    for q, (x, y, anchor) in corner.items():
        out.append(f'<text class="quad" x="{x}" y="{y}" text-anchor="{anchor}" fill="#{QUADRANT_COLOURS[q]}">'
                   f"{esc(quadrant_names[q])}</text>")
    out.append(f'<text class="axis" x="{left + pw / 2:.0f}" y="{h - 10}" text-anchor="middle">{esc(x_title)}</text>')
    out.append(f'<text class="axis" transform="translate(13 {top + ph / 2:.0f}) rotate(-90)" text-anchor="middle">{esc(y_title)}</text>')
    radius = 9.5
    # the most important points first, so they keep their exact places
    order = sorted(range(len(points)), key=lambda i: (-points[i].importance, points[i].score))
    true = [(sx(points[i].importance), sy(points[i].score)) for i in order]
    spots = _place(true, radius, (left, top, left + pw, top + ph))
    bubbles = []
    for i, (tx, ty), (bx, by) in zip(order, true, spots, strict=True):
        p = points[i]
        colour = QUADRANT_COLOURS.get(p.quadrant, "7A8594")
        label = f"{p.number}. {p.name}: {p.score:.1f}, " + (f"{p.importance * 100:.1f}%" if percent else f"{p.importance:.3f}")
        if (bx - tx) ** 2 + (by - ty) ** 2 > 1:
            out.append(f'<line class="leader" x1="{_n(tx)}" y1="{_n(ty)}" x2="{_n(bx)}" y2="{_n(by)}" stroke="#{colour}"/>')
            out.append(f'<circle cx="{_n(tx)}" cy="{_n(ty)}" r="2.2" fill="#{colour}"/>')
        bubbles.append(f'<g class="pt"><title>{esc(label)}</title><circle cx="{_n(bx)}" cy="{_n(by)}" r="{radius}" fill="#{colour}"/>'
                       f'<text x="{_n(bx)}" y="{_n(by + 3.6)}" text-anchor="middle">{p.number}</text></g>')
    out += bubbles
    out.append("</svg>")
    return "".join(out)


def trend_svg(labels: Sequence[str], scores: Sequence[float], ses: Sequence[float], domain: tuple[float, float],
              colour: str, title: str, target: float | None = None) -> str:
    """A small line chart of one node over the periods, with ±1.96 SE whiskers and the target."""
    w, h = 300, 150
    left, right, top, bottom = 34, 12, 10, 24
    pw, ph = w - left - right, h - top - bottom
    lo, hi = domain
    t = len(labels)

    def sx(i: int) -> float:
        return left + (pw / 2 if t == 1 else i * pw / (t - 1))

    def sy(v: float) -> float:
        return top + (hi - min(max(v, lo), hi)) / (hi - lo) * ph

    out = [f'<svg class="chart trend" viewBox="0 0 {w} {h}" role="img" aria-label="{esc(title)}">',
           f"<title>{esc(title)}</title>"]
    for v in nice_ticks(lo, hi, 4):
        y = sy(v)
        out.append(f'<line class="grid" x1="{left}" x2="{left + pw}" y1="{_n(y)}" y2="{_n(y)}"/>')
        out.append(f'<text class="tick" x="{left - 5}" y="{_n(y + 4)}" text-anchor="end">{v:g}</text>')
    if target is not None and lo <= target <= hi:
        y = sy(target)
        out.append(f'<line class="target" x1="{left}" x2="{left + pw}" y1="{_n(y)}" y2="{_n(y)}"/>')
    step = max(1, math.ceil(t / 6))
    for i, lbl in enumerate(labels):
        if i % step == 0 or i == t - 1:
            anchor = "start" if i == 0 and t > 1 else ("end" if i == t - 1 and t > 1 else "middle")
            out.append(f'<text class="tick" x="{_n(sx(i))}" y="{h - 6}" text-anchor="{anchor}">{esc(lbl)}</text>')
    pts = [(sx(i), sy(s)) for i, s in enumerate(scores) if math.isfinite(s)]
    for i, (s, se) in enumerate(zip(scores, ses, strict=True)):
        if math.isfinite(s) and math.isfinite(se) and se > 0:
            x = sx(i)
            y1, y2 = sy(s - 1.96 * se), sy(s + 1.96 * se)
            out.append(f'<line class="whisker" x1="{_n(x)}" x2="{_n(x)}" y1="{_n(y1)}" y2="{_n(y2)}" stroke="#{colour}"/>')
    # a line only between periods that both have the node
    runs: list[list[tuple[float, float]]] = [[]]
    for i, s in enumerate(scores):
        if math.isfinite(s):
            runs[-1].append((sx(i), sy(s)))
        elif runs[-1]:
            runs.append([])
    for run in runs:
        if len(run) > 1:
            d = " ".join(f"{_n(x)},{_n(y)}" for x, y in run)
            out.append(f'<polyline class="line" points="{d}" stroke="#{colour}"/>')
    for (x, y), s, lbl in zip(pts, [s for s in scores if math.isfinite(s)],
                              [lb for lb, s in zip(labels, scores, strict=True) if math.isfinite(s)], strict=True):
        out.append(f'<circle cx="{_n(x)}" cy="{_n(y)}" r="3.6" fill="#{colour}"><title>{esc(lbl)}: {s:.1f}</title></circle>')
    out.append("</svg>")
    return "".join(out)
