r"""Improvement actions and what became of them: the records (:mod:`csi.follow_up` computes them) (docs/methods.md#improvement-actions).

An :class:`Action` is a measure someone took to move one node of the model — a dimension, an
indicator or the overall index, optionally inside one value of the compared breakdown (a
department) — from a start date on, with the gain in points it was expected to bring.
:func:`follow_up` reads a :class:`~csi.compare.Comparison` whose periods carry dates and says,
for every action, whether the node moved.

**Before and after.** With period dates :math:`d_1 < \dots < d_T` and an action starting on
:math:`s`, the score *before* is the node's score in the latest period dated before the start
(:math:`d_b < s`), the score *after* is its score in the last period (:math:`d_T \ge s`):
the longest follow-up the data allows. A start on or before :math:`d_1` or after
:math:`d_T` cannot be followed up and is refused.

**Test.** As for the change between two periods (:func:`csi.compare.z_test`): independent
samples, :math:`\Delta = S_a - S_b`, :math:`se(\Delta) = \sqrt{se_b^2 + se_a^2}`, a two-sided
normal p-value and the interval :math:`\Delta \pm z_{1-(1-c)/2}\, se(\Delta)`. The p-values of
all actions of a file form one family, adjusted with Holm's step-down procedure
(:func:`csi.stats.holm`; Holm 1979).

**Verdict.** ``improved`` when the adjusted p is below ``alpha`` and Δ > 0, ``worse`` when it
is below ``alpha`` and Δ < 0, ``no_change`` ("no detectable change") otherwise, ``None`` when
the change cannot be tested (the node is absent, or has no standard error, in one of the two
periods). **Expected gain:** ``met`` when the verdict is ``improved`` and Δ reaches the
expected gain, ``missed`` when the change was tested and did not, ``None`` when no gain was
given or nothing was tested. The verdict says whether the node moved, not that the action
moved it: anything else that changed between the two periods moves it too.

Worked example (the hand computation of ``tests/test_actions.py``): one action on a node at
70 ± 1.2 before and 76 ± 1.6 after gives Δ = 6, se(Δ) = 2, z = 3, p = 0.0027; alone in its
family, the adjusted p is the same, the verdict ``improved``, and an expected gain of 5 is met.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from csi.result import _fnum, _num

__all__ = ["Action", "ActionOutcome", "FAIL_ON", "parse_date"]

#: What ``--fail-on-action`` accepts: fail when an action made its node worse, or when one
#: missed its expected gain (a ``worse`` action misses it too).
FAIL_ON = ("worse", "missed")


@dataclass(frozen=True, slots=True)
class Action:
    """One improvement action, as written in ``actions.yaml``.

    ``node`` is a node id of the model or ``overall``; ``segment`` a value of the compared
    breakdown (``--by``), or None for everyone. ``expected_gain`` is in index points (0–100
    scale); ``line`` is the line of the action in its file, for messages.
    """

    id: str
    node: str
    start: _dt.date
    owner: str = ""
    segment: str | None = None
    expected_gain: float | None = None
    note: str = ""
    file: str | None = None
    line: int | None = None


@dataclass(frozen=True, slots=True)
class ActionOutcome:
    """What happened to an action's node: the periods compared and the test of the change."""

    id: str
    node: str
    name: str
    segment: tuple[str, str] | None
    owner: str
    start: str
    expected_gain: float | None
    note: str
    before_period: str
    after_period: str
    before: float
    before_se: float
    after: float
    after_se: float
    delta: float
    se_delta: float
    delta_ci: tuple[float, float]
    z: float
    p: float
    p_adj: float = math.nan
    verdict: str | None = None
    gain: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "node": self.node, "name": self.name,
                "segment": None if self.segment is None else {"by": self.segment[0], "value": self.segment[1]},
                "owner": self.owner, "start": self.start, "expected_gain": _num(self.expected_gain), "note": self.note,
                "before_period": self.before_period, "after_period": self.after_period,
                "before": _num(self.before), "before_se": _num(self.before_se), "after": _num(self.after),
                "after_se": _num(self.after_se), "delta": _num(self.delta), "se_delta": _num(self.se_delta),
                "delta_ci": [_num(self.delta_ci[0]), _num(self.delta_ci[1])], "z": _num(self.z), "p": _num(self.p),
                "p_adj": _num(self.p_adj), "verdict": self.verdict, "gain": self.gain}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> ActionOutcome:
        seg = d.get("segment")
        ci = d.get("delta_ci") or (None, None)
        gain = d.get("expected_gain")
        return cls(str(d["id"]), str(d["node"]), str(d.get("name", d["node"])),
                   None if seg is None else (str(seg["by"]), str(seg["value"])), str(d.get("owner", "")), str(d["start"]),
                   None if gain is None else float(gain), str(d.get("note", "")), str(d["before_period"]),
                   str(d["after_period"]), _fnum(d.get("before")), _fnum(d.get("before_se")), _fnum(d.get("after")),
                   _fnum(d.get("after_se")), _fnum(d.get("delta")), _fnum(d.get("se_delta")), (_fnum(ci[0]), _fnum(ci[1])),
                   _fnum(d.get("z")), _fnum(d.get("p")), _fnum(d.get("p_adj")), d.get("verdict"), d.get("gain"))


def parse_date(value: Any) -> _dt.date | None:
    """A date from a YAML date or an ISO text (``2026-06-30``); None when it is neither.

    >>> parse_date("2026-06-30"), parse_date(_dt.date(2026, 1, 2)), parse_date("30/06/2026")
    (datetime.date(2026, 6, 30), datetime.date(2026, 1, 2), None)
    """
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    try:
        return _dt.date.fromisoformat(str(value).strip())
    except ValueError:
        return None
