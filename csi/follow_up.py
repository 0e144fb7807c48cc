"""Following improvement actions up across periods: the statistics are described in
:mod:`csi.actions` (docs/methods.md#improvement-actions)."""

from __future__ import annotations

import datetime as _dt
import difflib
import math
from collections.abc import Sequence
from dataclasses import replace
from statistics import NormalDist
from typing import Any

from csi.actions import FAIL_ON, Action, ActionOutcome
from csi.compare import OVERALL_ID, Alert, Comparison, NodeComparison, z_test
from csi.errors import DataError, Issue
from csi.stats import holm

__all__ = ["follow_up"]


def _where(a: Action) -> dict[str, Any]:
    return {"file": a.file, "line": a.line, "path": f"action {a.id!r}"}


def _series(comparison: Comparison, a: Action, problems: list[Issue]) -> tuple[NodeComparison, tuple[str, str] | None] | None:
    """The node's comparison for an action (inside its segment value), or None with a problem recorded."""
    ids = [OVERALL_ID, *(c.id for c in comparison.nodes)]
    if a.node not in ids:
        guess = difflib.get_close_matches(a.node, ids, n=1, cutoff=0.6)
        hint = f"did you mean {guess[0]!r}?" if guess else "valid: " + ", ".join(ids)
        problems.append(Issue("action-node", f"node {a.node!r} is in no period's result; {hint}", value=a.node, **_where(a)))
        return None
    if a.segment is None:
        return comparison.node(a.node), None
    if not comparison.segments:
        problems.append(Issue("action-segment", f"segment value {a.segment!r} needs a breakdown: run csi compare with "
                              "--by COLUMN (the column that holds it)", value=a.segment, **_where(a)))
        return None
    seg = comparison.segments[0]
    values = {v.value: v for v in seg.values}
    if a.segment not in values:
        listing = ", ".join(values) or "none"
        problems.append(Issue("action-segment", f"segment value {a.segment!r} is not a value of {seg.by!r} in any period; "
                              f"valid: {listing}", value=a.segment, **_where(a)))
        return None
    v = values[a.segment]
    c = v.overall if a.node == OVERALL_ID else next((n for n in v.nodes if n.id == a.node), None)
    if c is None:
        c = replace(comparison.node(a.node), present=(False,) * len(comparison.periods))
    return c, (seg.by, a.segment)


def _before_index(a: Action, dates: Sequence[_dt.date], labels: Sequence[str], problems: list[Issue]) -> int | None:
    first, last = dates[0], dates[-1]
    if not first < a.start <= last:
        problems.append(Issue("action-start", f"starts on {a.start.isoformat()}, outside the periods compared: a start must "
                              f"fall after the first period ({labels[0]}, {first.isoformat()}) and on or before the last "
                              f"({labels[-1]}, {last.isoformat()}), so that there is a score before and after it",
                              value=a.start.isoformat(), **_where(a)))
        return None
    return max(i for i, d in enumerate(dates) if d < a.start)


def _outcome(a: Action, c: NodeComparison, segment: tuple[str, str] | None, b: int, labels: Sequence[str],
             confidence: float) -> ActionOutcome:
    t = len(labels) - 1
    before = c.scores[b] if c.present[b] else math.nan
    after = c.scores[t] if c.present[t] else math.nan
    se_b = c.se[b] if c.present[b] else math.nan
    se_a = c.se[t] if c.present[t] else math.nan
    delta, se_delta, z, p = z_test(before, se_b, after, se_a)
    q = NormalDist().inv_cdf(1.0 - (1.0 - confidence) / 2.0)
    ci = (delta - q * se_delta, delta + q * se_delta) if math.isfinite(se_delta) else (math.nan, math.nan)
    return ActionOutcome(a.id, a.node, c.name, segment, a.owner, a.start.isoformat(), a.expected_gain, a.note, labels[b],
                         labels[t], before, se_b, after, se_a, delta, se_delta, ci, z, p)


def _judge(o: ActionOutcome, p_adj: float, alpha: float) -> ActionOutcome:
    if math.isnan(p_adj):
        return replace(o, p_adj=p_adj)
    verdict = ("improved" if o.delta > 0 else "worse") if p_adj < alpha else "no_change"
    gain = None
    if o.expected_gain is not None:
        gain = "met" if verdict == "improved" and o.delta >= o.expected_gain else "missed"
    return replace(o, p_adj=p_adj, verdict=verdict, gain=gain)


def _alerts(outcomes: Sequence[ActionOutcome], fail_on: str | None) -> list[Alert]:
    out = []
    for o in outcomes:
        seg = "" if o.segment is None else f"{o.segment[0]}={o.segment[1]}: "
        head = (f"action {o.id} ({seg}{o.name}): {o.before:.2f} ({o.before_period}) → {o.after:.2f} ({o.after_period}), "
                f"Δ {o.delta:+.2f}, Holm-adjusted p = {o.p_adj:.3g}")
        if o.verdict == "worse":
            out.append(Alert("action-worse", o.node, o.name, o.delta, o.p_adj, o.before, o.after, o.segment,
                             f"{head}: the node got worse after the action started"))
        failed = o.verdict == "worse" if fail_on == "worse" else (fail_on == "missed" and o.gain == "missed")
        if failed:
            out.append(Alert("fail-on-action", o.node, o.name, o.delta, o.p_adj, o.before, o.after, o.segment,
                             f"{head}: --fail-on-action {fail_on} check failed"))
    return out


def follow_up(comparison: Comparison, actions: Sequence[Action], dates: Sequence[_dt.date], *,
              fail_on: str | None = None) -> Comparison:
    """The comparison with every action followed up (``actions``), their alerts and the period dates.

    ``dates`` has one date per period, strictly increasing. The Holm family is the actions;
    ``alpha`` and ``confidence`` are the comparison's. ``fail_on`` (``worse`` or ``missed``,
    see :data:`FAIL_ON`) adds a ``fail-on-action`` alert for each action that fails the check.

    Raises
    ------
    DataError
        Every problem at once: dates not one per period or not increasing, an unknown node or
        segment value, a start date outside the periods, an action id used twice.
    """
    labels = comparison.labels
    if len(dates) != len(labels):
        raise DataError(Issue("period-dates", f"{len(labels)} periods but {len(dates)} dates; give one --period-date per "
                              "period, in order"))
    for i in range(1, len(dates)):
        if not dates[i - 1] < dates[i]:
            raise DataError(Issue("period-dates", f"period dates must increase, oldest first: {labels[i - 1]} is "
                                  f"{dates[i - 1].isoformat()} and {labels[i]} {dates[i].isoformat()}"))
    if fail_on is not None and fail_on not in FAIL_ON:
        raise ValueError(f"fail_on must be one of {FAIL_ON}, got {fail_on!r}")
    problems: list[Issue] = []
    seen: set[str] = set()
    raw: list[ActionOutcome] = []
    for a in actions:
        if a.id in seen:
            problems.append(Issue("action-duplicate", f"the id {a.id!r} is used twice; every action needs its own id",
                                  value=a.id, **_where(a)))
        seen.add(a.id)
        found = _series(comparison, a, problems)
        b = _before_index(a, dates, labels, problems)
        if found is not None and b is not None:
            raw.append(_outcome(a, found[0], found[1], b, labels, comparison.confidence))
    if problems:
        raise DataError(problems)
    adjusted = holm([o.p for o in raw]) if raw else []
    outcomes = tuple(_judge(o, float(pa), comparison.alpha) for o, pa in zip(raw, adjusted, strict=True))
    warnings = [f"action {o.id}: {o.name} has no score or no standard error in {o.before_period} or {o.after_period}; "
                "not tested" for o in outcomes if o.verdict is None]
    return replace(comparison, actions=outcomes, period_dates=tuple(d.isoformat() for d in dates),
                   alerts=comparison.alerts + tuple(_alerts(outcomes, fail_on)), warnings=comparison.warnings + tuple(warnings))
