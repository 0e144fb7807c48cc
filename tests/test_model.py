"""The model file: structure, inheritance, and every error with its position."""

from __future__ import annotations

import pytest

from csi.errors import ModelError
from csi.model import Group, Item, default_model_path, load_model, load_model_text


def errors(text: str) -> list[tuple[int | None, str | None, str]]:
    with pytest.raises(ModelError) as e:
        load_model_text(text, file="m.yaml")
    return [(i.line, i.path, i.code) for i in e.value.issues]


def test_default_model_is_the_six_dimensions_of_the_seeds():
    m = load_model(default_model_path())
    assert [c.name for c in m.root.children] == ["服务质量", "服务态度", "服务效率", "服务创新", "客户沟通", "客户关系管理"]
    levels = {i.id: (i.best, i.worst) for i in m.items if i.type == "metric"}
    # seeds 002/003: phone within 30 s, e-mail within 24 h, online chat within 5 min
    assert levels == {"phone_wait": (30, 120), "email_reply": (24, 72), "chat_reply": (5, 30)}
    assert m.outcome is not None and [i.scale.max for i in m.outcome.items] == [10, 10, 10]
    assert m.nps is not None and m.nps.type == "nps" and (m.nps.scale.min, m.nps.scale.max) == (0, 10)
    assert len(m.sha256) == 64


def test_the_built_in_model_is_one_file_at_the_root():
    """indicators.yaml at the repository's root is the built-in model; the package's copy is a
    link to it (setuptools writes the file itself into wheels and sdists, docs/architecture.md)."""
    import tomllib

    from conftest import ROOT

    packaged = ROOT / "csi" / "data" / "indicators.yaml"
    assert packaged.is_symlink() and packaged.resolve() == (ROOT / "indicators.yaml").resolve()
    assert default_model_path().resolve() == (ROOT / "indicators.yaml").resolve()
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "data/*.yaml" in pyproject["tool"]["setuptools"]["package-data"]["csi"]


def test_defaults_cascade_from_root_to_group_to_item():
    m = load_model_text("""
scale: {min: 1, max: 7}
target: 70
missing: [NA]
children:
  - id: g
    target: 90
    scale: {min: 0, max: 10}
    children:
      - {id: a, column: A}
      - {id: b, column: B, target: 50, scale: {min: 1, max: 3}}
  - {id: c, column: C}
""")
    a, b, c = m.items
    assert (a.scale.min, a.scale.max, a.target) == (0, 10, 90)
    assert (b.scale.min, b.scale.max, b.target) == (1, 3, 50)
    assert (c.scale.min, c.scale.max, c.target, c.missing) == (1, 7, 70, ("NA",))
    assert isinstance(m.root.children[0], Group) and isinstance(c, Item)


def test_ahp_fractions_are_parsed_and_weights_come_from_the_eigenvector():
    m = load_model_text("""
method: ahp
ahp: [[1, 3], ["1/3", 1]]
children: [{id: a, column: A}, {id: b, column: B}]
""")
    assert m.root.ahp == ((1.0, 3.0), (1 / 3, 1.0))


def test_every_problem_is_reported_with_line_and_path():
    text = """name: x
scael: {min: 1, max: 5}
children:
  - id: a
    name: A
    wieght: 2
    column: Q1
  - id: a
    column: Q2
  - id: Bad-Id
    column: Q3
    weight: 0
"""
    assert errors(text) == [
        (2, "scael", "unknown-key"),
        (6, "children[0].wieght", "unknown-key"),
        (8, "children[1].id", "duplicate-id"),
        (10, "children[2].id", "bad-id"),
        (12, "children[2].weight", "out-of-range"),
        (3, "children", "partial-weights"),
    ]


def test_unknown_key_suggests_the_closest():
    with pytest.raises(ModelError) as e:
        load_model_text("children: [{id: a, colum: Q1}]", file="m.yaml")
    assert "did you mean 'column'?" in e.value.message


def test_yaml_syntax_error_has_line_and_column():
    with pytest.raises(ModelError) as e:
        load_model_text("name: x\nchildren:\n  - {id: a, column: Q1\n", file="m.yaml")
    (issue,) = e.value.issues
    assert issue.code == "yaml-syntax" and issue.line == 4 and "column" in issue.message


def test_tabs_are_explained():
    with pytest.raises(ModelError) as e:
        load_model_text("name: x\nchildren:\n\t- {id: a, column: Q1}\n", file="m.yaml")
    assert e.value.issues[0].code == "yaml-syntax" and "tabs" in e.value.message


def test_duplicate_yaml_keys_are_not_silently_dropped():
    assert errors("name: a\nname: b\nchildren: [{id: a, column: Q1}]\n") == [(2, None, "yaml-duplicate-key")]


def test_billion_laughs_is_bounded():
    lines = ["a0: &a0 {id: x, column: Q1}"]
    for i in range(1, 10):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} {{id: g{i}, children: [{refs}]}}")
    lines.append("children: [*a9]")
    with pytest.raises(ModelError) as e:
        load_model_text("\n".join(lines))
    # unknown top-level keys a0…a9 and the node budget; never a hang or a memory blow-up
    assert "model-too-large" in e.value.codes or "duplicate-id" in e.value.codes
    assert len(e.value.issues) < 20_100


@pytest.mark.parametrize(
    ("matrix", "code"),
    [
        ("[[1, 3], [3, 1]]", "ahp-not-reciprocal"),
        ("[[1, 3, 5], [\"1/3\", 1]]", "ahp-shape"),
        ("[[1, 9, \"1/9\"], [\"1/9\", 1, 9], [9, \"1/9\", 1]]", "ahp-inconsistent"),
        ("[[1, -2], [\"-1/2\", 1]]", "ahp-value"),
        ("[[2, 3], [\"1/3\", 1]]", "ahp-diagonal"),
    ],
)
def test_bad_ahp_matrices(matrix: str, code: str):
    n = matrix.count("[") - 1
    kids = ", ".join(f"{{id: c{i}, column: C{i}}}" for i in range(max(n, 2) if code != "ahp-shape" else 3))
    text = f"method: ahp\nahp: {matrix}\nchildren: [{kids}]\n"
    assert code in [c for _, _, c in errors(text)]


def test_inconsistent_ahp_accepted_when_the_model_raises_the_limit():
    m = load_model_text('method: ahp\nahp_max_cr: 1\nahp: [[1, 2, "1/2"], ["1/2", 1, 2], [2, "1/2", 1]]\n'
                        "children: [{id: a, column: A}, {id: b, column: B}, {id: c, column: C}]\n")
    assert m.root.ahp_max_cr == 1


def test_item_binding_and_metric_rules():
    text = """children:
  - {id: a, name: A}
  - {id: b, column: B, match: "x$"}
  - {id: c, column: C, type: metric, best: 30}
  - {id: d, column: D, best: 3, worst: 9}
  - {id: e, column: E, type: gauge}
  - {id: f, column: F, labels: {好: 9}}
"""
    assert [c for _, _, c in errors(text)] == ["item-binding", "item-binding", "missing-key", "bad-metric", "bad-type",
                                              "label-out-of-scale"]


def test_reserved_and_missing_files(tmp_path):
    assert [c for _, _, c in errors("children: [{id: overall, column: A}]")] == ["bad-id"]
    with pytest.raises(ModelError) as e:
        load_model(tmp_path / "nope.yaml")
    assert e.value.codes == ["model-not-found"]
    empty = tmp_path / "empty.yaml"
    empty.write_text("")
    with pytest.raises(ModelError) as e:
        load_model(empty)
    assert e.value.codes == ["model-empty"]
    scalar = tmp_path / "scalar.yaml"
    scalar.write_text("just text\n")
    with pytest.raises(ModelError) as e:
        load_model(scalar)
    assert e.value.codes == ["model-not-mapping"]


def test_population_and_quality():
    m = load_model_text("population: {size: 1200}\nquality: {min_duration: 60, duplicate_by: [手机]}\nchildren: [{id: a, column: A}]")
    assert m.population == 1200 and m.quality.min_duration == 60 and m.quality.duplicate_by == ("手机",)
    assert [c for _, _, c in errors("quality: {min_answered: 2}\nchildren: [{id: a, column: A}]")] == ["out-of-range"]


def test_an_nps_item_inside_the_index_is_pointed_to_the_nps_key():
    assert [c for _, _, c in errors("children: [{id: a, column: A}, {id: r, column: R, type: nps}]")] == ["nps-in-index"]
