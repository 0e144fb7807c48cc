r"""Weak points: where the index loses points against its targets (docs/methods.md#weak-points).

For indicator j with global weight Iⱼ (the Iⱼ sum to 1), score Pⱼ and target Tⱼ the
**loss** is

.. math:: L_j = I_j \cdot \max(T_j - P_j, 0)

— the index points the overall CSI gives up to j. Since CSI = Σ Iⱼ Pⱼ, an index whose every
indicator met its target would be at least Σ Iⱼ Tⱼ; the losses split the shortfall.

Each indicator also gets its IPA quadrant (Martilla & James 1977, J. Marketing 41(1):77–79):
importance Iⱼ against performance Pⱼ with cross-hairs at their means —
``concentrate_here`` (important, below average), ``keep_up_the_good_work`` (important, above),
``low_priority`` (less important, below), ``possible_overkill`` (less important, above) — the
importance–satisfaction matrix of GB/T 19038-2009 Annex D. The importance axis is the *derived*
importance of :mod:`csi.importance` when the model has an outcome block (relative weights on
the outcome, or the IPMA importance of ``paths:``), else Iⱼ. With ``rank_by="ipma"`` the
weak points are ranked by derived importance × max(Tⱼ − Pⱼ, 0) (the IPMA ranking, Ringle &
Sarstedt 2016) rather than by loss; the loss itself is always Iⱼ · max(Tⱼ − Pⱼ, 0). *Rank
stability* is the share of bootstrap replicates in which j is among the top K by the same rule.

>>> import numpy as np
>>> from csi.model import load_model_text
>>> m = load_model_text("children: [{id: a, column: A}, {id: b, column: B}, {id: c, column: C}]")
>>> wp = rank_weak_points(m.items, np.array([60.0, 90.0, 75.0]), np.full(3, 1/3), np.full(3, 80.0),
...                       np.zeros(3), np.array([[60.0, 90, 75], [62, 88, 81]]), top=5)
>>> [(w.id, round(w.loss, 3), w.quadrant, w.stability) for w in wp]
[('a', 6.667, 'concentrate_here', 1.0), ('c', 1.667, 'keep_up_the_good_work', 0.5)]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from csi.model import Item
from csi.options import RANK_BY
from csi.result import WeakPoint

__all__ = ["losses", "ipa_quadrants", "rank_weak_points"]


def losses(importance: np.ndarray, scores: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Lⱼ = Iⱼ · max(Tⱼ − Pⱼ, 0), on any leading replicate axes; NaN scores lose nothing."""
    return importance * np.clip(targets - np.nan_to_num(scores, nan=np.inf), 0.0, None)


def ipa_quadrants(importance: np.ndarray, scores: np.ndarray) -> list[str]:
    """IPA quadrant of each indicator, cross-hairs at the mean importance and mean score."""
    mi = float(np.mean(importance))
    mp = float(np.nanmean(scores)) if np.isfinite(scores).any() else 0.0
    out = []
    for imp, p in zip(importance, scores, strict=True):
        high = imp >= mi - 1e-12
        good = p >= mp
        out.append(("keep_up_the_good_work" if good else "concentrate_here") if high else
                   ("possible_overkill" if good else "low_priority"))
    return out


def rank_weak_points(
    items: Sequence[Item],
    scores: np.ndarray,
    importance: np.ndarray,
    targets: np.ndarray,
    low_share: np.ndarray,
    replicate_scores: np.ndarray,
    top: int,
    *,
    derived: np.ndarray | None = None,
    rank_by: str = "loss",
) -> list[WeakPoint]:
    """The indicators with a positive loss, largest first, at most ``top`` of them.

    ``derived`` is the importance axis of the IPA matrix (:mod:`csi.importance`; default
    ``importance``, the global weights): the quadrants use it. ``rank_by="ipma"`` ranks by
    ``derived`` × max(Tⱼ − Pⱼ, 0) instead of the loss (the indicators where it is positive),
    and each weak point carries that product as ``priority``. ``replicate_scores`` (B × k) are
    the bootstrap replicates of the scores; stability is the share of replicates in which the
    indicator is among the ``top`` largest positive values of the same rule, the importance
    kept at its full-sample value.
    """
    if rank_by not in RANK_BY:
        raise ValueError(f"rank_by must be one of {', '.join(RANK_BY)}, got {rank_by!r}")
    axis = importance if derived is None else derived
    rule = importance if rank_by == "loss" else axis
    loss = losses(importance, scores, targets)
    metric = loss if rank_by == "loss" else losses(rule, scores, targets)
    quadrant = ipa_quadrants(axis, scores)
    order = [j for j in np.argsort(-metric, kind="stable") if metric[j] > 0][:top]
    stability = _stability(rule, targets, replicate_scores, top)
    return [
        WeakPoint(rank=r + 1, id=items[j].id, name=items[j].name, score=float(scores[j]), importance=float(importance[j]),
                  target=float(targets[j]), loss=float(loss[j]), quadrant=quadrant[j], low_share=float(low_share[j]),
                  stability=float(stability[j]), priority=None if rank_by == "loss" else float(metric[j]))
        for r, j in enumerate(order)
    ]


def _stability(importance: np.ndarray, targets: np.ndarray, replicate_scores: np.ndarray, top: int) -> np.ndarray:
    """Share of replicates in which each indicator is among the ``top`` largest positive
    importance × gap values (ties broken by model order, as for the point estimate)."""
    k = importance.shape[0]
    if not replicate_scores.shape[0] or top <= 0:
        return np.zeros(k)
    rep = losses(importance[None, :], replicate_scores, targets[None, :])
    part = np.argsort(-rep, axis=1, kind="stable")[:, :min(top, k)]
    in_top = np.zeros_like(rep, dtype=bool)
    np.put_along_axis(in_top, part, True, axis=1)
    in_top &= rep > 0
    return in_top.mean(axis=0)
