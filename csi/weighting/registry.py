"""The weighting methods and their options, declared once.

Everything that needs to know the methods reads this module: model validation
(:mod:`csi.model`), the engine (:func:`csi.weighting.group_weights` imports each method's
function by name), ``csi weights``, the ``--method`` help and the docs. To add a method,
write its module under ``csi/weighting/`` with a function ``(group, responses, model,
**options) -> GroupWeights`` and add one :class:`Method` here (docs/architecture.md,
"Adding a weighting method").

This module imports nothing of csi, so that the model loader can read it.

>>> METHODS["drivers"].needs_outcome, METHODS["entropy"].from_answers
(True, True)
>>> or_joined()
'fixed, ahp, entropy, critic, drivers or pls'
>>> read_options({"policy": "mean"})["policy"], read_options(None)["scheme"]
('mean', 'path')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["Method", "Option", "METHODS", "OPTIONS", "DATA_METHODS", "or_joined", "read_options", "OptionProblem"]


@dataclass(frozen=True, slots=True)
class Method:
    """One weighting method: what it is called, what it needs and where its code is."""

    name: str
    #: One line for ``--help`` and ``csi weights``.
    help: str
    #: ``"module:function"`` of the function that weighs one group.
    function: str
    #: Weighs from the survey's answers (so it needs a survey file, and the bootstrap can refit it).
    from_answers: bool = False
    #: Needs the model's ``outcome`` block (direct satisfaction questions).
    needs_outcome: bool = False
    #: Needs an ``ahp`` matrix on the group.
    needs_ahp: bool = False
    #: Weighs the whole model at once: allowed on the root only.
    root_only: bool = False
    #: The keys of ``options:`` it reads (:data:`OPTIONS`).
    options: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Option:
    """One key of a group's ``options:`` mapping."""

    name: str
    default: Any
    help: str
    choices: tuple[Any, ...] = ()


METHODS: Mapping[str, Method] = {m.name: m for m in (
    Method("fixed", "the weight: keys of the model (equal when absent)", "csi.weighting:fixed_weights"),
    Method("ahp", "principal eigenvector of the group's pairwise-comparison matrix (Saaty)",
           "csi.weighting:ahp_group_weights", needs_ahp=True),
    Method("entropy", "entropy weights from the spread of the children's scores",
           "csi.weighting.entropy:entropy_group_weights", from_answers=True,
           options=("policy", "variant", "allow_negative")),
    Method("critic", "CRITIC weights: contrast and conflict between the children",
           "csi.weighting.critic:critic_group_weights", from_answers=True, options=("policy", "allow_negative")),
    Method("drivers", "relative importance for the outcome (Johnson's relative weights)",
           "csi.weighting.drivers:drivers_group_weights", from_answers=True, needs_outcome=True,
           options=("policy", "allow_negative")),
    Method("pls", "PLS path model: outer weights for items, path coefficients for dimensions",
           "csi.weighting.pls:pls_group_weights", from_answers=True, needs_outcome=True, root_only=True,
           options=("policy", "scheme", "scaled", "allow_negative")),
)}

#: The methods that weigh from the answers.
DATA_METHODS = tuple(name for name, m in METHODS.items() if m.from_answers)

OPTIONS: Mapping[str, Option] = {o.name: o for o in (
    Option("policy", "listwise", "missing answers: drop the respondent (listwise) or use the child's mean (mean)",
           ("listwise", "mean")),
    Option("variant", "minmax", "entropy: normalise the scores by min–max or by ratio to the total", ("minmax", "ratio")),
    Option("scheme", "path", "pls: inner weighting scheme", ("path", "centroid", "factorial")),
    Option("scaled", False, "pls: standardise the indicators (as SmartPLS and seminr do)", (True, False)),
    Option("allow_negative", False, "clip negative weights to 0 with a warning instead of failing", (True, False)),
)}


def or_joined(names: Mapping[str, Any] | tuple[str, ...] | None = None) -> str:
    """Names as a help text lists them, ``"a, b or c"``; by default the methods'."""
    listed = list(names if names is not None else METHODS)
    return ", ".join(listed[:-1]) + f" or {listed[-1]}" if len(listed) > 1 else "".join(listed)


class OptionProblem(ValueError):
    """An unknown option key or a value it cannot take; ``code`` is the issue code."""

    def __init__(self, message: str, code: str = "bad-option") -> None:
        super().__init__(message)
        self.code = code


def read_options(options: Mapping[str, Any] | None) -> dict[str, Any]:
    """Every option with its default, overridden by ``options``; raises :class:`OptionProblem`."""
    out = {name: o.default for name, o in OPTIONS.items()}
    for key, value in (options or {}).items():
        option = OPTIONS.get(key)
        if option is None:
            raise OptionProblem(f"unknown weighting option {key!r}; valid: {', '.join(OPTIONS)}")
        if option.choices and not any(value is c or (type(value) is type(c) and value == c) for c in option.choices):
            shown = ", ".join(str(c).lower() if isinstance(c, bool) else str(c) for c in option.choices)
            if isinstance(option.default, bool):
                raise OptionProblem(f"option {key} must be true or false, got {value!r}")
            raise OptionProblem(f"option {key} must be one of {shown}, got {value!r}")
        out[key] = value
    return out
