"""The ``structural`` section of a result: the figures of a fitted structural model as plain,
JSON-ready values at full precision (fields: docs/structural.md).

References
----------
.. [1] Ringle, C. M. & Sarstedt, M. (2016). Gain more insight from your PLS-SEM results: the
       importance-performance map analysis. *Industrial Management & Data Systems* 116(9),
       1865–1886.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from csi import measurement as mm
from csi.weakpoints import ipa_quadrants

if TYPE_CHECKING:
    from csi.model import Model

__all__ = ["structural_section", "inner_quality", "ipma", "StructuralFit"]


@dataclass(frozen=True, slots=True)
class StructuralFit:
    """Point estimates of one fit (arrays in construct and item order)."""

    paths: np.ndarray           # B[target, source], standardised
    total: np.ndarray           # standardised total effects T[target, source]
    total_raw: np.ndarray       # unstandardised total effects (index points per index point)
    weights: np.ndarray         # normalised (index) weights, per item
    outer: np.ndarray           # outer weights on the items as fitted (standardised when scaled)
    loadings: np.ndarray
    r2: np.ndarray
    lv_corr: np.ndarray
    index: np.ndarray           # 0–100 construct indices
    iterations: int
    converged: bool


def _num(x: float) -> float | None:
    return None if x is None or not np.isfinite(x) else float(x)


def inner_quality(lv_corr: np.ndarray, inner: np.ndarray, target: int, n: int) -> dict[str, Any]:
    """R², adjusted R², and per predictor f² and VIF of one endogenous construct."""
    pred = np.flatnonzero(inner[target])
    rxx = lv_corr[np.ix_(pred, pred)]
    rxy = lv_corr[pred, target]
    r2 = float(rxy @ np.linalg.solve(rxx, rxy))
    k = len(pred)
    adj = 1.0 - (1.0 - r2) * (n - 1) / (n - k - 1) if n - k - 1 > 0 else float("nan")
    f2: dict[int, float] = {}
    vif: dict[int, float] = {}
    for a, j in enumerate(pred):
        rest = np.delete(np.arange(k), a)
        r2_without = float(rxy[rest] @ np.linalg.solve(rxx[np.ix_(rest, rest)], rxy[rest])) if rest.size else 0.0
        f2[int(j)] = (r2 - r2_without) / (1.0 - r2)
        r2_j = float(rxx[a, rest] @ np.linalg.solve(rxx[np.ix_(rest, rest)], rxx[a, rest])) if rest.size else 0.0
        vif[int(j)] = 1.0 / (1.0 - r2_j)
    return {"r2": r2, "r2_adjusted": adj, "f2": f2, "vif": vif}


def ipma(fit: StructuralFit, ids: Sequence[str], items: Sequence[Sequence[str]], mean: np.ndarray, target: int) -> dict[str, Any]:
    """Importance–performance map analysis (Ringle & Sarstedt 2016) for ``target``.

    A construct's importance is its unstandardised total effect on the target's index (index
    points per index point), its performance its 0–100 index; an indicator's importance is its
    index weight times its construct's importance, its performance its mean 0–100 value.
    Quadrants as the IPA of the weak points (cross-hairs at the mean importance and the mean
    performance of the points shown).
    """
    drivers = [j for j in range(len(ids)) if j != target and fit.total[target, j] != 0]
    imp = np.array([fit.total_raw[target, j] for j in drivers])
    perf = np.array([fit.index[j] for j in drivers])
    bounds = np.cumsum([0, *[len(i) for i in items]])
    item_rows = [(ids[j], item, fit.weights[bounds[j] + a] * fit.total_raw[target, j], mean[bounds[j] + a])
                 for j in drivers for a, item in enumerate(items[j])]
    item_imp = np.array([r[2] for r in item_rows])
    item_perf = np.array([r[3] for r in item_rows])
    quads = ipa_quadrants(imp, perf) if drivers else []
    item_quads = ipa_quadrants(item_imp, item_perf) if item_rows else []
    return {
        "target": ids[target],
        "constructs": [{"id": ids[j], "importance": float(i), "performance": float(p), "quadrant": q}
                       for j, i, p, q in zip(drivers, imp, perf, quads, strict=True)],
        "indicators": [{"id": item, "construct": c, "importance": float(i), "performance": float(p), "quadrant": q}
                       for (c, item, i, p), q in zip(item_rows, item_quads, strict=True)],
    }


def _interval(boot: dict | None, col: int) -> dict[str, Any]:
    if boot is None or boot["lo_hi"] is None:
        return {}
    lo, hi = boot["lo_hi"]
    se = None if boot.get("se") is None else _num(boot["se"][col])
    return {"ci": [_num(lo[col]), _num(hi[col])], "se": se, "p": _num(boot["p"][col])}


def _flags(name: str, rc: float, av: float) -> list[str]:
    out = []
    if np.isfinite(rc) and rc < mm.RHO_C_MIN:
        out.append(f"rho_c {rc:.3f} < {mm.RHO_C_MIN:.2f}")
    if np.isfinite(av) and av < mm.AVE_MIN:
        out.append(f"AVE {av:.3f} < {mm.AVE_MIN:.2f}")
    return out


def structural_section(model: Model, fit: StructuralFit, mean: np.ndarray, cov: np.ndarray, corr: np.ndarray, n: int,
                       sizes: Sequence[int], scheme: str, scaled: bool, tol: float, boot: dict | None) -> dict[str, Any]:
    """Assemble the section; ``boot`` holds the replicate statistics laid out as in
    :func:`csi.structural.estimate_structure` (paths, lower-triangle total effects, impacts,
    index weights, indices)."""
    st = model.structure
    assert st is not None
    ids = list(st.ids)
    k = len(ids)
    bounds = np.cumsum([0, *sizes])
    inner = np.zeros((k, k))
    for s, t in st.arrows:
        inner[ids.index(t), ids.index(s)] = 1.0
    n_paths = len(st.arrows)
    tri = np.tril_indices(k, -1)
    tri_col = {(int(t), int(s)): n_paths + a for a, (t, s) in enumerate(zip(*tri, strict=True))}
    sat = ids.index(st.satisfaction)
    drivers = [j for j in range(k) if j != sat and fit.total[sat, j] != 0]
    impact_col = {j: n_paths + len(tri[0]) + a for a, j in enumerate(drivers)}
    weight_base = n_paths + len(tri[0]) + len(drivers)
    index_base = weight_base + int(bounds[-1])
    aves = np.array([mm.ave(fit.loadings[bounds[b]:bounds[b + 1]]) for b in range(k)])
    quality = {t: inner_quality(fit.lv_corr, inner, t, n) for t in range(k) if inner[t].any()}

    constructs = []
    for b, c in enumerate(st.constructs):
        sl = slice(bounds[b], bounds[b + 1])
        lam = fit.loadings[sl]
        rc, av = mm.rho_c(lam), aves[b]
        w_std = fit.outer[sl] * (1.0 if scaled else np.sqrt(np.diag(cov)[sl]))
        items = [{"id": item, "weight": float(fit.weights[j]), "outer_weight": float(fit.outer[j]), "loading": float(fit.loadings[j]),
                  "mean": float(mean[j]), **_interval(boot, weight_base + j)}
                 for j, item in zip(range(bounds[b], bounds[b + 1]), c.items, strict=True)]
        q = quality.get(b, {})
        constructs.append({
            "id": c.id, "name": c.name, "kind": c.kind, "index": float(fit.index[b]), **_interval(boot, index_base + b),
            "r2": _num(q.get("r2", float("nan"))), "r2_adjusted": _num(q.get("r2_adjusted", float("nan"))),
            "alpha": _num(mm.alpha(cov[sl, sl])), "alpha_standardised": _num(mm.alpha(corr[sl, sl])),
            "rho_a": _num(mm.rho_a(corr[sl, sl], w_std)), "rho_c": rc, "ave": av,
            "flags": _flags(c.name, rc, av), "items": items,
        })
    paths = []
    for a, (s, t) in enumerate(st.arrows):
        i, j = ids.index(t), ids.index(s)
        paths.append({"from": s, "to": t, "coefficient": float(fit.paths[i, j]), "f2": float(quality[i]["f2"][j]),
                      "vif": float(quality[i]["vif"][j]), **_interval(boot, a)})
    total = [{"from": ids[j], "to": ids[i], "effect": float(fit.total[i, j]), "effect_unstandardised": float(fit.total_raw[i, j]),
              **_interval(boot, tri_col[(i, j)])}
             for i in range(k) for j in range(k) if i > j and fit.total[i, j] != 0]
    impacts = [{"driver": ids[j], "impact": 5.0 * float(fit.total_raw[sat, j]), **_interval(boot, impact_col[j])} for j in drivers]
    h = mm.htmt(corr[:bounds[-1], :bounds[-1]], sizes)
    fl = mm.fornell_larcker(fit.lv_corr, aves)
    discriminant = []
    for i in range(k):
        for j in range(i):
            v = h[i, j]
            flag = [] if not np.isfinite(v) else ([f"HTMT {v:.3f} > {mm.HTMT_LIBERAL:.2f}"] if v > mm.HTMT_LIBERAL else
                                                   [f"HTMT {v:.3f} > {mm.HTMT_STRICT:.2f}"] if v > mm.HTMT_STRICT else [])
            if abs(fl[i, j]) > min(fl[i, i], fl[j, j]):
                flag.append("Fornell–Larcker: r > √AVE")
            discriminant.append({"a": ids[j], "b": ids[i], "correlation": float(fit.lv_corr[i, j]), "htmt": _num(v), "flags": flag})
    out: dict[str, Any] = {
        "csi": float(fit.index[sat]), **_interval(boot, index_base + sat), "satisfaction": st.satisfaction,
        "settings": {"scheme": scheme, "scaled": scaled, "mode": "A", "tol": tol, "max_iter": 300,
                     "stopping_rule": "sum of squared changes of absolute outer weights < tol", "iterations": fit.iterations,
                     "n": n, "missing": "listwise", "impact_points": 5.0},
        "constructs": constructs, "paths": paths, "total_effects": total, "impacts": impacts,
        "fornell_larcker": {"constructs": ids, "matrix": [[float(v) for v in row] for row in fl]},
        "discriminant": discriminant,
        "ipma": ipma(fit, ids, [c.items for c in st.constructs], mean, sat),
    }
    if boot is not None:
        out["bootstrap"] = {"replicates": int(boot["reps"].shape[0]), "failed": int(boot["failed"]),
                            "confidence": boot["confidence"], "interval": "percentile",
                            "p_value": "two-sided, 2 min(P*(theta* <= 0), P*(theta* >= 0))"}
    return out
