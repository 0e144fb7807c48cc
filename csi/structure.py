"""What must be the same for two results to be compared: the model's structure and the scoring options.

A result records the structure of the model it was scored with in its manifest
(``manifest.structure``, docs/architecture.md#the-result-json): one short digest per node of
what defines that node's score, and a checksum over all of them.

- an **item**: its parent, type, binding (``column`` / ``match``), scale, answer labels,
  missing codes, ``reverse`` and, for a metric, ``best`` / ``worst``;
- a **group** (and the index, id ``overall``): its parent, its children in order and its
  weighting method;
- the **outcome** block's items, as one digest.

Weights and targets are not structure: a re-weighted model still measures the same things
(``csi compare`` warns when the model file itself differs). A result written before the
manifest had this field is described from what its JSON holds — node ids, parents, the
matched column headers, item types and group methods — and then every period is compared on
that basis, which cannot see scales or labels.

:func:`comparability` sets the periods of a comparison side by side and says what differs:
the scoring options that change what a score means (method, weight column, population,
target, outcome weighting) and the nodes that are in one period only or whose digest
changed. A group counts as changed when anything below it changed.

>>> from csi.model import load_model_text
>>> m = load_model_text('''
... name: t
... children:
...   - {id: a, name: A, column: qa, scale: {min: 1, max: 5}}
...   - {id: b, name: B, column: qb, scale: {min: 1, max: 5}}
... ''')
>>> s = model_structure(m)
>>> sorted(s["nodes"]), s["basis"], len(s["sha256"])
(['a', 'b', 'overall'], 'model', 64)
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from csi.model import ROOT_ID, Group, Item, Model

if TYPE_CHECKING:
    from csi.result import Result

__all__ = ["STRUCTURE_KEY", "OPTION_KEYS", "Comparability", "model_structure", "result_structure", "comparability"]

#: The manifest key of the structure.
STRUCTURE_KEY = "structure"
#: Scoring options (manifest ``options``) that change what a score means, in the order they are named.
OPTION_KEYS = ("method", "weight_column", "population", "target", "outcome_weights")


def _digest(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _item(item: Item, parent: str | None) -> dict[str, Any]:
    return {"kind": "item", "parent": parent, "type": item.type, "column": item.column, "match": item.match,
            "scale": [item.scale.min, item.scale.max], "labels": [list(p) for p in item.labels], "missing": list(item.missing),
            "reverse": item.reverse, "best": item.best, "worst": item.worst}


def _describe(group: Group, parent: str | None, out: dict[str, dict[str, Any]]) -> None:
    out[group.id] = {"kind": "group", "parent": parent, "method": group.method, "children": [c.id for c in group.children]}
    below = None if group.id == ROOT_ID else group.id
    for child in group.children:
        if isinstance(child, Group):
            _describe(child, below, out)
        else:
            out[child.id] = _item(child, below)


def _finish(described: Mapping[str, dict[str, Any]], outcome: Any, basis: str) -> dict[str, Any]:
    nodes = {nid: _digest(d)[:16] for nid, d in described.items()}
    out_digest = None if outcome is None else _digest(outcome)[:16]
    return {"sha256": _digest({"nodes": nodes, "outcome": out_digest}), "basis": basis, "nodes": nodes, "outcome": out_digest}


def model_structure(model: Model) -> dict[str, Any]:
    """The structure of ``model`` as recorded in a result's manifest: ``{sha256, basis: "model",
    nodes: {id: digest}, outcome: digest | None}`` (digests are the first 16 hex digits of a sha256)."""
    described: dict[str, dict[str, Any]] = {}
    _describe(model.root, None, described)
    outcome = None if model.outcome is None else [_item(i, None) for i in model.outcome.items]
    return _finish(described, outcome, "model")


def result_structure(result: Result) -> dict[str, Any]:
    """The structure as far as a result's JSON shows it (``basis: "result"``): ids, parents,
    the matched column headers, item types and group methods. Scales and labels are not in a
    result, so two results compared on this basis may still differ there."""
    root_method = (result.manifest.get("options") or {}).get("method")
    described: dict[str, dict[str, Any]] = {ROOT_ID: {"kind": "group", "parent": None, "method": root_method,
                                                      "children": [n.id for n in result.nodes if n.parent is None]}}
    for n in result.nodes:
        if n.kind == "group":
            described[n.id] = {"kind": "group", "parent": n.parent, "method": n.method,
                               "children": [c.id for c in result.nodes if c.parent == n.id]}
        else:
            described[n.id] = {"kind": "item", "parent": n.parent, "type": n.type, "column": n.column}
    return _finish(described, None, "result")


@dataclass(frozen=True, slots=True)
class Comparability:
    """What differs between the periods of a comparison.

    ``options``: one sentence per scoring option that differs. ``structure``: one sentence per
    kind of model change (nodes added, removed, changed). ``excluded``: id → why the node
    cannot be compared (``bindings changed``, ``a member changed``, ``only in 2026Q3``); the
    index is among them when anything in the tree changed. ``notes``: how the periods were
    compared (e.g. a result without a recorded structure).
    """

    options: tuple[str, ...]
    structure: tuple[str, ...]
    excluded: dict[str, str]
    notes: tuple[str, ...]

    @property
    def alike(self) -> bool:
        return not self.options and not self.structure


def _structures(results: Sequence[Result], labels: Sequence[str]) -> tuple[list[dict[str, Any]], list[str]]:
    recorded = [r.manifest.get(STRUCTURE_KEY) for r in results]
    if all(isinstance(s, dict) and s.get("basis") == "model" and isinstance(s.get("nodes"), dict) for s in recorded):
        return [dict(s) for s in recorded if s is not None], []
    older = [lbl for lbl, s in zip(labels, recorded, strict=True) if not isinstance(s, dict)]
    note = (f"{', '.join(older)} {'has' if len(older) == 1 else 'have'} no recorded model structure (scored by an earlier csi): "
            "the periods are compared on node ids, parents, matched columns, item types and methods; scales and labels "
            "are not checked")
    return [result_structure(r) for r in results], [note]


def _option_differences(results: Sequence[Result], labels: Sequence[str], structures: Sequence[Mapping[str, Any]]) -> list[str]:
    out = []
    opts = [r.manifest.get("options") or {} for r in results]
    for key in OPTION_KEYS:
        known = [(lbl, o[key]) for lbl, o in zip(labels, opts, strict=True) if key in o]
        if len({json.dumps(v, sort_keys=True) for _, v in known}) > 1:
            out.append(f"{key.replace('_', ' ')}: " + ", ".join(f"{v if v is not None else 'none'} in {lbl}" for lbl, v in known))
    outcomes = [(lbl, s.get("outcome")) for lbl, s in zip(labels, structures, strict=True)]
    if len({o for _, o in outcomes}) > 1:
        out.append("outcome: the outcome questions differ (" + ", ".join(
            f"{'none' if o is None else 'outcome ' + o[:8]} in {lbl}" for lbl, o in outcomes) + ")")
    return out


def _parents(results: Sequence[Result]) -> dict[str, str]:
    """Each node's parent in any period (the index above the top-level groups)."""
    out: dict[str, str] = {}
    for r in results:
        for n in r.nodes:
            out.setdefault(n.id, n.parent or ROOT_ID)
    return out


def comparability(results: Sequence[Result], labels: Sequence[str]) -> Comparability:
    """What differs between ``results`` (oldest first, one label each); see the module docstring."""
    structures, notes = _structures(results, labels)
    options = _option_differences(results, labels, structures)
    excluded: dict[str, str] = {}
    sentences: list[str] = []
    every = set.intersection(*(set(s["nodes"]) for s in structures))
    for nid in dict.fromkeys(k for s in structures for k in s["nodes"]):
        if nid not in every:
            excluded[nid] = "only in " + ", ".join(lbl for lbl, s in zip(labels, structures, strict=True) if nid in s["nodes"])
    if excluded:
        sentences.append("nodes not in every period: " + ", ".join(f"{nid} ({why})" for nid, why in excluded.items()))
    for i in range(1, len(structures)):
        a, b = structures[i - 1]["nodes"], structures[i]["nodes"]
        changed = [nid for nid in b if nid in every and a[nid] != b[nid] and nid not in excluded]
        for nid in changed:
            excluded[nid] = "bindings changed"
        if changed:
            sentences.append(f"bindings changed from {labels[i - 1]} to {labels[i]}: {', '.join(changed)}")
    parents = _parents(results)
    for nid in list(excluded):
        up = parents.get(nid, ROOT_ID) if nid != ROOT_ID else None
        while up is not None:
            excluded.setdefault(up, "a member changed")
            up = parents.get(up, ROOT_ID) if up != ROOT_ID else None
    return Comparability(tuple(options), tuple(sentences), excluded, tuple(notes))
