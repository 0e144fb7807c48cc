"""The structural model in the Markdown digest: CSI, paths, impacts, measurement quality
(the ``structural`` section, docs/structural.md). Self-contained, so that
:mod:`csi.report.tables` can call it without an import cycle."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["structural_markdown"]


def _f(x: float | None, digits: int) -> str:
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}f}"


def _p(p: float | None) -> str:
    return "–" if p is None else ("<0.001" if p < 0.001 else f"{p:.3f}")


def _ci(row: Mapping[str, Any], digits: int) -> str:
    ci = row.get("ci")
    return "" if not ci else f"{_f(ci[0], digits)}–{_f(ci[1], digits)}"


def structural_markdown(section: Mapping[str, Any], lang: str, md: Callable[[str], str]) -> list[str]:
    """Markdown lines of the section; ``md`` escapes text for a table cell."""
    zh = lang == "zh"
    names = {c["id"]: md(c["name"]) for c in section["constructs"]}
    ci = f" [{_ci(section, 1)}]" if section.get("ci") else ""
    lines = ["", f"## {'结构方程模型（PLS）' if zh else 'Structural model (PLS)'}", "",
             f"**{'CSI（满意度构念指数）' if zh else 'CSI (satisfaction construct index)'}: {_f(section['csi'], 1)}**{ci}", "",
             f"| {'构念' if zh else 'construct'} | {'指数' if zh else 'index'} | R² | α | ρA | ρC | AVE |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for c in section["constructs"]:
        lines.append(f"| {names[c['id']]} | {_f(c['index'], 1)} | {_f(c['r2'], 3)} | {_f(c['alpha_standardised'], 3)} | "
                     f"{_f(c['rho_a'], 3)} | {_f(c['rho_c'], 3)} | {_f(c['ave'], 3)} |")
    lines += ["", f"| {'路径' if zh else 'path'} | β | {'区间' if zh else 'interval'} | p | f² |", "|---|---:|---|---:|---:|"]
    for p in section["paths"]:
        lines.append(f"| {names[p['from']]} → {names[p['to']]} | {_f(p['coefficient'], 3)} | {_ci(p, 3)} | {_p(p.get('p'))} | "
                     f"{_f(p['f2'], 3)} |")
    lines += ["", f"| {'驱动因素' if zh else 'driver'} | {'影响力（+5 分）' if zh else 'impact (+5 points)'} | "
              f"{'区间' if zh else 'interval'} | p |", "|---|---:|---|---:|"]
    for i in sorted(section["impacts"], key=lambda r: -r["impact"]):
        lines.append(f"| {names[i['driver']]} | {_f(i['impact'], 2)} | {_ci(i, 2)} | {_p(i.get('p'))} |")
    flags = [f"- {names[c['id']]}: {md('; '.join(c['flags']))}" for c in section["constructs"] if c["flags"]]
    flags += [f"- {names[d['a']]} – {names[d['b']]}: {md('; '.join(d['flags']))}" for d in section["discriminant"] if d["flags"]]
    if flags:
        lines += ["", f"**{'测量质量提示' if zh else 'Measurement flags'}**", "", *flags]
    return lines
