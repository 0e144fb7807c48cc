"""The structural (inner) model of a model file's ``paths:`` section: constructs and arrows.

A construct is a block of items with one latent variable: a group of the index tree (its items
are every item beneath it), the outcome block (id ``outcome``), or a construct declared under
``paths.constructs`` whose items are read but do not enter the index (expectations, value,
complaints, loyalty, …). The arrows must make a recursive model: no cycle, every construct
on at least one arrow. The layout of the section is in docs/structural.md.

This module holds the types and the graph checks; :mod:`csi.model` reads the YAML and turns
each problem found here into an issue naming the file, line and path.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["Construct", "Structure", "check_arrows", "read_arrows", "with_structure_options", "OUTCOME_ID", "SCHEMES", "DEFAULT_TOL", "PATHS_KEYS", "CONSTRUCT_KEYS"]

#: The construct id of the model's outcome block.
OUTCOME_ID = "outcome"
#: Inner weighting schemes (csi.weighting.pls.SCHEMES, repeated here so the model loads without numpy).
SCHEMES = ("path", "centroid", "factorial")
PATHS_KEYS = ("constructs", "arrows", "satisfaction", "scheme", "scaled", "tol")
#: Default stopping threshold on Σ(|w_old| − |w_new|)²: close to the fixed point (R plspm stops at 1e-6).
DEFAULT_TOL = 1e-10
CONSTRUCT_KEYS = ("id", "name", "items", "scale", "labels", "missing")


@dataclass(frozen=True, slots=True)
class Construct:
    """A block of the structural model.

    ``kind`` is ``group`` (a group of the index tree), ``outcome`` (the outcome block) or
    ``extra`` (declared under ``paths.constructs``; its ``items`` are read, not indexed).
    ``items`` are the ids of the block's items, in the order the model lists them.
    """

    id: str
    name: str
    kind: str
    items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Structure:
    """A recursive structural model.

    ``constructs`` are ordered so every arrow goes from an earlier construct to a later one;
    ``arrows`` are (source, target) pairs in that order. ``satisfaction`` names the construct
    whose 0–100 index is the CSI. ``scaled``: standardise every item before estimation
    (SmartPLS, seminr, cSEM and R plspm's default); ``False`` centres only (plspm
    ``scaled = FALSE``).
    """

    constructs: tuple[Construct, ...]
    arrows: tuple[tuple[str, str], ...]
    satisfaction: str = OUTCOME_ID
    scheme: str = "path"
    scaled: bool = True
    #: Stop when Σ(|w_old| − |w_new|)² over the outer weights falls below this.
    tol: float = DEFAULT_TOL

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.constructs)

    def construct(self, construct_id: str) -> Construct:
        for c in self.constructs:
            if c.id == construct_id:
                return c
        raise KeyError(construct_id)

    def sources(self, target: str) -> tuple[str, ...]:
        """The constructs with an arrow into ``target``."""
        return tuple(s for s, t in self.arrows if t == target)


def _cycle(arrows: Sequence[tuple[str, str]], nodes: Sequence[str]) -> list[str] | None:
    """A cycle of the directed graph as a list of nodes (first = last), or None."""
    follow: dict[str, list[str]] = {v: [] for v in nodes}
    for s, t in arrows:
        follow[s].append(t)
    state = dict.fromkeys(nodes, 0)  # 0 unseen, 1 on the current path, 2 done
    path: list[str] = []

    def visit(v: str) -> list[str] | None:
        state[v] = 1
        path.append(v)
        for u in follow[v]:
            if state[u] == 1:
                return path[path.index(u):] + [u]
            if state[u] == 0:
                found = visit(u)
                if found:
                    return found
        path.pop()
        state[v] = 2
        return None

    for v in nodes:
        if state[v] == 0:
            found = visit(v)
            if found:
                return found
    return None


def _order(arrows: Sequence[tuple[str, str]], nodes: Sequence[str]) -> list[str]:
    """Nodes so that every arrow points forward (Kahn's algorithm, ties kept in ``nodes`` order)."""
    indegree = dict.fromkeys(nodes, 0)
    for _, t in arrows:
        indegree[t] += 1
    done: list[str] = []
    while len(done) < len(nodes):
        v = next(v for v in nodes if indegree[v] == 0 and v not in done)
        done.append(v)
        for s, t in arrows:
            if s == v:
                indegree[t] -= 1
    return done


def check_arrows(arrows: Sequence[tuple[str, str]], known: Mapping[str, Construct], satisfaction: str,
                 index_groups: Sequence[str]) -> tuple[list[tuple[str, str]], list[str]]:
    """Check a structural model; return the problems and the constructs in estimation order.

    Parameters
    ----------
    arrows : (source, target) pairs as written
    known : every construct an arrow may name (groups of the tree, ``outcome``, declared ones)
    satisfaction : the construct whose index is the CSI
    index_groups : ids of the index tree's groups (the outcome may not point to one of them)

    Returns
    -------
    problems : list of (code, message)
        ``paths-unknown-construct``, ``paths-cycle``, ``paths-empty-construct``,
        ``paths-outcome-as-driver``, ``paths-duplicate-arrow``, ``paths-shared-items``,
        ``paths-satisfaction``, ``paths-too-few``.
    order : list of str
        The constructs on the arrows, sources before targets (empty when there are problems).

    >>> c = {k: Construct(k, k, "extra", (k + "1",)) for k in ("a", "b", "c")}
    >>> check_arrows([("a", "b"), ("b", "c")], c, "b", [])
    ([], ['a', 'b', 'c'])
    >>> check_arrows([("a", "b"), ("b", "a")], c, "b", [])[0]
    [('paths-cycle', 'the arrows make a cycle a → b → a; the model must be recursive (no construct may lead back to itself)')]
    """
    problems: list[tuple[str, str]] = []
    names = ", ".join(sorted(known))
    used: list[str] = []
    for s, t in arrows:
        for end in (s, t):
            if end not in known:
                problems.append(("paths-unknown-construct", f"unknown construct {end!r}; a construct is a group id of the "
                                 f"index, outcome, or one declared under paths.constructs: {names}"))
            elif end not in used:
                used.append(end)
    if problems:
        return problems, []
    seen = set()
    for a in arrows:
        if a in seen:
            problems.append(("paths-duplicate-arrow", f"the arrow {a[0]} → {a[1]} is written twice"))
        seen.add(a)
    cycle = _cycle(arrows, used)
    if cycle:
        problems.append(("paths-cycle", f"the arrows make a cycle {' → '.join(cycle)}; the model must be recursive "
                         "(no construct may lead back to itself)"))
    for c in used:
        if not known[c].items:
            problems.append(("paths-empty-construct", f"construct {c!r} has no items; give it items (a construct is "
                             "measured by at least one question)"))
    groups = set(index_groups)
    for s, t in arrows:
        if known[s].kind == "outcome" and t in groups:
            problems.append(("paths-outcome-as-driver", f"the outcome block points to {t!r}, a dimension of the index: "
                             "satisfaction is a consequence of the index's drivers, not their cause; an arrow from "
                             "outcome may only lead to a construct declared under paths.constructs (loyalty, complaints)"))
    owner: dict[str, str] = {}
    for c in used:
        for item in known[c].items:
            if item in owner:
                problems.append(("paths-shared-items", f"item {item!r} is in constructs {owner[item]!r} and {c!r}; "
                                 "each item measures one construct (name a group or its sub-group, not both)"))
            owner[item] = c
    if satisfaction not in used:
        problems.append(("paths-satisfaction", f"the satisfaction construct {satisfaction!r} is on no arrow; set "
                         "paths.satisfaction to the construct whose index is the CSI"))
    elif not any(t == satisfaction for _, t in arrows):
        problems.append(("paths-satisfaction", f"the satisfaction construct {satisfaction!r} has no arrow into it; "
                         "its drivers must point to it"))
    if len(used) < 2 and not problems:
        problems.append(("paths-too-few", "a structural model needs at least two constructs and one arrow"))
    return problems, ([] if problems else _order(arrows, used))


def read_arrows(raw: Any) -> tuple[list[tuple[str, str]], str | None]:
    """``arrows:`` as written (source: target or source: [targets]) to (source, target) pairs.

    Returns the pairs and, when the value is malformed, a message saying what is expected.

    >>> read_arrows({"image": ["expectation", "satisfaction"], "expectation": "satisfaction"})
    ([('image', 'expectation'), ('image', 'satisfaction'), ('expectation', 'satisfaction')], None)
    """
    expected = "arrows: a mapping of source construct → target construct or list of targets, e.g. {quality: [value, outcome]}"
    if not isinstance(raw, dict) or not raw:
        return [], expected
    pairs: list[tuple[str, str]] = []
    for source, targets in raw.items():
        many = targets if isinstance(targets, list) else [targets]
        if not many or not all(isinstance(t, str) and t for t in many):
            return [], expected
        pairs.extend((str(source), t) for t in many)
    return pairs, None


def with_structure_options(model: Any, *, scheme: str | None = None, scaled: bool | None = None) -> Any:
    """``model`` (a :class:`csi.model.Model`) with its structure's scheme and scaling replaced
    where given; a model without ``paths:`` comes back as it is.

    Raises
    ------
    ValueError
        For a scheme not in :data:`SCHEMES`.
    """
    if scheme is not None and scheme not in SCHEMES:
        raise ValueError(f"scheme must be one of {', '.join(SCHEMES)}, got {scheme!r}")
    st = model.structure
    if st is None or (scheme is None and scaled is None):
        return model
    st = dataclasses.replace(st, scheme=scheme or st.scheme, scaled=st.scaled if scaled is None else bool(scaled))
    return dataclasses.replace(model, structure=st)
