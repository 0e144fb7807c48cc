"""The structural model in the CSV export of a result: one row per construct, path and impact
(the ``structural`` section, docs/structural.md), in the columns of the node rows plus
:data:`COLUMNS`. Self-contained, so that :mod:`csi.report.tables` can call it without an import
cycle.

A construct row holds its 0–100 index in ``score`` (with ``se``, ``ci_low``, ``ci_high``, ``n``
the respondents the structural model used) and its raw Cronbach's α in ``alpha``; a path row its
standardised coefficient; an impact row the change of the satisfaction index for +5 points of
the driver's index. ``from`` and ``to`` name a path's or an impact's constructs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["COLUMNS", "structural_rows"]

#: The columns the CSV gains when a result has a structural model (empty on the node rows).
COLUMNS = ("p", "from", "to", "r2", "r2_adjusted", "alpha_standardised", "rho_a", "rho_c", "ave", "f2", "vif")


def _cell(x: Any) -> Any:
    return "" if x is None else x


def _row(base: Sequence[Any], extra: Mapping[str, Any]) -> list[Any]:
    return [_cell(v) for v in base] + [_cell(extra.get(c)) for c in COLUMNS]


def _estimate(entry: Mapping[str, Any], value: Any, n: Any) -> list[Any]:
    ci = entry.get("ci") or (None, None)
    return [value, entry.get("se"), ci[0], ci[1], n]


def structural_rows(section: Mapping[str, Any]) -> list[list[Any]]:
    """The rows of the constructs, paths and impacts, each in the node columns of
    :data:`csi.report.tables.CSV_COLUMNS` (id, name, parent, kind, method, weight,
    global_weight, score, se, ci_low, ci_high, n, target, low_share, alpha) then :data:`COLUMNS`;
    None is an empty cell, numbers keep full precision."""
    n = (section.get("settings") or {}).get("n")
    names = {c["id"]: c.get("name", c["id"]) for c in section.get("constructs", ())}
    rows = []
    for c in section.get("constructs", ()):
        rows.append(_row([c["id"], c.get("name", c["id"]), "", "construct", "", "", "", *_estimate(c, c.get("index"), n), "", "",
                          c.get("alpha")],
                         {"p": c.get("p"), "r2": c.get("r2"), "r2_adjusted": c.get("r2_adjusted"),
                          "alpha_standardised": c.get("alpha_standardised"), "rho_a": c.get("rho_a"), "rho_c": c.get("rho_c"),
                          "ave": c.get("ave")}))
    for p in section.get("paths", ()):
        name = f"{names.get(p['from'], p['from'])} → {names.get(p['to'], p['to'])}"
        rows.append(_row([f"{p['from']}->{p['to']}", name, "", "path", "", "", "", *_estimate(p, p.get("coefficient"), n), "", "", None],
                         {"p": p.get("p"), "from": p["from"], "to": p["to"], "f2": p.get("f2"), "vif": p.get("vif")}))
    sat = section.get("satisfaction")
    for i in section.get("impacts", ()):
        rows.append(_row([i["driver"], names.get(i["driver"], i["driver"]), "", "impact", "", "", "",
                          *_estimate(i, i.get("impact"), n), "", "", None],
                         {"p": i.get("p"), "from": i["driver"], "to": sat}))
    return rows
