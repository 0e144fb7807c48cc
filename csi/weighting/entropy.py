r"""Entropy weights (熵权法): objective weights from the spread of the children's scores."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from csi.model import Group, Model
from csi.weighting import GroupWeights
from csi.weighting.data import apply_policy, child_scores, read_options, require_rows

if TYPE_CHECKING:
    from csi.responses import Responses

__all__ = ["EntropyResult", "entropy_weights", "entropy_group_weights", "VARIANTS"]

#: ``minmax``: the Chinese-textbook form (min–max normalisation first); ``ratio``: p = x/Σx.
VARIANTS = ("minmax", "ratio")


@dataclass(frozen=True, slots=True)
class EntropyResult:
    """Entropy weights of the columns, with each column's entropy and divergence.

    ``constant[j]`` is True when column j has one value for every row (no information,
    weight 0); when every column is constant the weights are equal.
    """

    weights: tuple[float, ...]
    entropy: tuple[float, ...]
    divergence: tuple[float, ...]
    constant: tuple[bool, ...]
    variant: str = "minmax"
    n: int = 0


def entropy_weights(x: ArrayLike, variant: str = "minmax") -> EntropyResult:
    r"""Shannon-entropy weights of the columns of a complete matrix.

    For m rows (respondents) and n columns (children), ``variant="minmax"`` (the default,
    the Chinese-textbook 熵权法) first rescales every column to [0, 1],

    .. math:: x'_{ij} = \frac{x_{ij} - \min_i x_{ij}}{\max_i x_{ij} - \min_i x_{ij}},

    then takes shares, entropies, divergences and weights

    .. math::

        p_{ij} = \frac{x'_{ij}}{\sum_i x'_{ij}}, \qquad
        e_j = -\frac{1}{\ln m} \sum_i p_{ij} \ln p_{ij}, \qquad
        d_j = 1 - e_j, \qquad
        w_j = \frac{d_j}{\sum_k d_k},

    with :math:`0 \ln 0 = 0`. ``variant="ratio"`` skips the rescaling
    (:math:`p_{ij} = x_{ij} / \sum_i x_{ij}`, values must be ≥ 0), the form of Elsayed,
    Dawood & Karthikeyan (2017) [2]_. A column with one value in every row carries no
    information: its divergence and weight are 0 and it is flagged in ``constant`` (the
    caller warns). When every column is constant there is no information to prefer one
    over another and the weights are equal (all flagged). Respondent weights are not used:
    the method has no form that is invariant to the scale of the weights.

    Validated against the published 12 × 5 example of Elsayed, Dawood & Karthikeyan (2017):
    0.104991, 0.069124, 0.071373, 0.449937, 0.304575 (ratio variant), and the ``minmax``
    variant against ``scipy.stats.entropy`` run outside the project
    (``tests/reference/scripts/entropy_scipy.py``).

    Parameters
    ----------
    x : array_like, shape (m, n)
        Complete data (no NaN), at least 2 rows; apply a missing-data policy first
        (:func:`csi.weighting.data.complete_rows`).
    variant : {"minmax", "ratio"}
        See above.

    Returns
    -------
    EntropyResult

    Raises
    ------
    ValueError
        If ``x`` is not 2-D, has fewer than 2 rows, holds NaN or infinity, holds a negative
        value under ``ratio``, or ``variant`` is unknown.

    References
    ----------
    .. [1] Shannon, C. E. (1948). A mathematical theory of communication. *Bell System
           Technical Journal* 27, 379–423.
    .. [2] Elsayed, E. A., Dawood, A. S. & Karthikeyan, R. (2017). Evaluating alternatives
           through the application of TOPSIS method with entropy weight. *International
           Journal of Engineering Trends and Technology* 46(2), 60–66.
    .. [3] Zeleny, M. (1982). *Multiple Criteria Decision Making*. McGraw-Hill. (Entropy as
           the contrast intensity of a criterion.)

    Examples
    --------
    Three respondents. Column a rescales to (0, 0.5, 1), p = (0, 1/3, 2/3),
    e = ln(27/4)/(3 ln 3) = 0.579380; column b to (0, 0, 1), p = (0, 0, 1), e = 0; so
    d = (0.420620, 1) and w = d/1.420620:

    >>> r = entropy_weights([[0, 10], [50, 10], [100, 20]])
    >>> [round(v, 6) for v in r.entropy], [round(v, 6) for v in r.weights]
    ([0.57938, 0.0], [0.296082, 0.703918])
    >>> entropy_weights([[1, 5], [2, 5], [4, 5]]).constant
    (False, True)
    """
    if variant not in VARIANTS:
        raise ValueError(f"variant must be one of {', '.join(VARIANTS)}, got {variant!r}")
    data = np.asarray(x, dtype=float)
    if data.ndim != 2:
        raise ValueError(f"x must be a 2-D array (rows × columns), got shape {data.shape}")
    m, n = data.shape
    if m < 2:
        raise ValueError(f"entropy weights need at least 2 rows, got {m}")
    if not np.isfinite(data).all():
        raise ValueError("x must be complete and finite; apply a missing-data policy first")
    lo, hi = data.min(axis=0), data.max(axis=0)
    if variant == "minmax":
        span = hi - lo
        constant = span <= 1e-12 * np.maximum(np.abs(hi), 1.0)
        share = (data - lo) / np.where(constant, 1.0, span)
    else:
        if np.any(lo < 0):
            raise ValueError("the ratio variant needs values ≥ 0")
        constant = (hi - lo) <= 1e-12 * np.maximum(np.abs(hi), 1.0)
        share = data
    total = share.sum(axis=0)
    p = share / np.where(total > 0, total, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0)
    entropy = 0.0 - plogp.sum(axis=0) / np.log(m)  # 0.0 - x: no negative zero
    entropy = np.where(constant, 1.0, np.clip(entropy, 0.0, 1.0))
    divergence = 1.0 - entropy
    total_d = divergence.sum()
    weights = divergence / total_d if total_d > 0 else np.full(n, 1.0 / n)
    return EntropyResult(tuple(float(v) for v in weights), tuple(float(v) for v in entropy),
                         tuple(float(v) for v in divergence), tuple(bool(c) for c in constant), variant, m)


def entropy_group_weights(group: Group, responses: Responses, model: Model, *, options: Mapping[str, Any] | None = None,
                          item_weights: Mapping[str, Sequence[float]] | None = None) -> GroupWeights:
    """Registry adapter: entropy weights of ``group``'s children from their per-respondent scores.

    Children's scores come from :func:`csi.weighting.data.child_scores`; the missing-data
    ``policy`` option (``listwise`` default, or ``mean``) gives the complete matrix, and
    ``variant`` (``minmax`` default, or ``ratio``) the form of the method.
    ``details``: ``variant``, ``policy``, ``n`` (respondents used), ``entropy``,
    ``divergence``, ``constant`` (ids of children with one score for everyone, weight 0)
    and ``warnings``.

    Raises
    ------
    DataError
        ``too-few-respondents`` when fewer than 2 respondents are usable, ``no-answers``
        when nobody has a score for a child.
    """
    opts = read_options(options, group)
    ids = [c.id for c in group.children]
    scores, n, _ = apply_policy(child_scores(group, responses, model, item_weights), ids, group, "entropy", opts["policy"])
    require_rows(n, 2, group, "entropy")
    r = entropy_weights(scores, opts["variant"])
    constant = [i for i, c in zip(ids, r.constant, strict=True) if c]
    warnings = []
    if constant and len(constant) < len(ids):
        warnings.append(f"group {group.id}: {', '.join(constant)} scored the same for every respondent; "
                        "no information, entropy weight 0")
    elif constant:
        warnings.append(f"group {group.id}: every child scored the same for every respondent; entropy weights are equal")
    details = {"variant": r.variant, "policy": opts["policy"], "n": n, "entropy": dict(zip(ids, r.entropy, strict=True)),
               "divergence": dict(zip(ids, r.divergence, strict=True)), "constant": constant,
               "respondent_weights": "not used", "warnings": warnings}
    return GroupWeights(group.id, "entropy", r.weights, details)
