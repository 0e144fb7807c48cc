"""The model structure recorded in a result's manifest, and what compare treats as a change."""

from __future__ import annotations

import copy

from csi.model import load_model_text
from csi.result import Estimate, NodeScore, Result
from csi.structure import comparability, model_structure, result_structure

BASE = """
name: t
scale: {min: 1, max: 5}
outcome:
  name: o
  items: [{id: o1, name: O1, column: qo}]
children:
  - id: g
    name: G
    weight: 0.5
    children:
      - {id: a, name: A, column: qa}
      - {id: b, name: B, match: "—B$"}
  - {id: c, name: C, column: qc, weight: 0.5}
"""


def structure(text):
    return model_structure(load_model_text(text))


def changed(new):
    a, b = structure(BASE)["nodes"], structure(new)["nodes"]
    return sorted(k for k in a if a[k] != b.get(k))


def test_what_is_structure_and_what_is_not():
    s = structure(BASE)
    assert s["basis"] == "model" and list(s["nodes"]) == ["overall", "g", "a", "b", "c"] and s["outcome"] is not None
    assert structure(BASE) == s  # deterministic
    # a binding, a scale, a label set, reverse scoring: the item changes (its parents only through compare's cascade)
    assert changed(BASE.replace("column: qa", "column: qz")) == ["a"]
    assert changed(BASE.replace('match: "—B$"}', 'match: "—B$", scale: {min: 1, max: 7}}')) == ["b"]
    assert changed(BASE.replace("column: qc,", "column: qc, reverse: true,")) == ["c"]
    # a group's method or members change the group itself
    assert changed(BASE.replace("name: G\n", "name: G\n    method: entropy\n")) == ["g"]
    # names, weights and targets are not structure
    assert changed(BASE.replace("name: A,", "name: Alpha,").replace("weight: 0.5\n", "weight: 0.3\n").replace("weight: 0.5}", "weight: 0.7}")) == []
    assert structure(BASE.replace("column: qo", "column: qp"))["outcome"] != s["outcome"]


def _result(text, manifest_structure=True):
    m = load_model_text(text)
    nodes = tuple(NodeScore(n.id, n.name, None if n.id in ("g", "c") else "g", n.kind, 0.5, 0.5, Estimate(70.0, 1.0, (68.0, 72.0), 10),
                            method="fixed" if n.kind == "group" else None, column=getattr(n, "column", None) or "q",
                            type="rating" if n.kind == "item" else None)
                  for n in (m.node("g"), m.node("a"), m.node("b"), m.node("c")))
    manifest = {"options": {"method": "fixed"}}
    if manifest_structure:
        manifest["structure"] = model_structure(m)
    return Result(Estimate(70.0, 1.0, (68.0, 72.0), 10), nodes, (), {"used": 10}, manifest)


def test_comparability_of_results():
    seven = BASE.replace('match: "—B$"}', 'match: "—B$", scale: {min: 1, max: 7}}')
    a, b = _result(BASE), _result(seven)
    found = comparability([a, b], ["Q2", "Q3"])
    assert found.structure == ("bindings changed from Q2 to Q3: b",) and found.options == () and found.notes == ()
    assert found.excluded == {"b": "bindings changed", "g": "a member changed", "overall": "a member changed"}
    assert comparability([a, copy.deepcopy(a)], ["Q2", "Q3"]).alike
    # an older result without manifest.structure: both are described from their JSON, which has no scales
    old = _result(seven, manifest_structure=False)
    found = comparability([a, old], ["Q2", "Q3"])
    assert found.alike and "Q3 has no recorded model structure" in found.notes[0]
    assert result_structure(a)["basis"] == "result"
