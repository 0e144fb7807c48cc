"""Tests for the model file's ``paths:`` section (csi.path_model and its reading in csi.model)."""

from __future__ import annotations

import pytest

from csi.api import model_for_run
from csi.errors import ModelError
from csi.model import load_model_text

BASE = """
name: t
children:
  - id: quality
    name: 感知质量
    children:
      - {id: q1, column: A}
      - {id: q2, column: B}
  - id: value
    name: 感知价值
    children:
      - id: price
        name: price
        children:
          - {id: v1, column: C}
      - {id: v2, column: D}
outcome:
  name: 满意度
  items: [{id: s1, column: E}, {id: s2, column: F}]
"""


def load(paths: str):
    return load_model_text(BASE + paths, file="m.yaml")


def issues(paths: str) -> list[tuple[str, int | None]]:
    with pytest.raises(ModelError) as e:
        load(paths)
    return [(i.code, i.line) for i in e.value.issues]


def test_without_paths_the_star_model_is_kept():
    m = load_model_text(BASE)
    assert m.structure is None and m.construct_items == ()


def test_paths_order_constructs_and_read_declared_blocks():
    m = load("""paths:
  constructs:
    - {id: loyalty, name: 忠诚, items: [{id: l1, column: G}, {id: l2, column: H}]}
  arrows:
    outcome: loyalty
    value: outcome
    quality: [value, outcome]
""")
    st = m.structure
    assert st.ids == ("quality", "value", "outcome", "loyalty")
    assert st.arrows == (("quality", "value"), ("quality", "outcome"), ("value", "outcome"), ("outcome", "loyalty"))
    assert st.construct("value").items == ("v1", "v2") and st.construct("outcome").kind == "outcome"
    assert st.construct("loyalty").kind == "extra"
    # declared items are read (before the NPS item) but never in the index
    assert [i.id for i in m.all_items] == ["q1", "q2", "v1", "v2", "s1", "s2", "l1", "l2"]
    assert [i.id for i in m.items] == ["q1", "q2", "v1", "v2"]
    assert (st.scheme, st.scaled, st.satisfaction) == ("path", True, "outcome")


def test_unknown_construct_is_named_with_the_known_ones():
    with pytest.raises(ModelError) as e:
        load("paths:\n  arrows: {quality: outcome, valeu: outcome}\n")
    assert e.value.codes == ["paths-unknown-construct"]
    message = str(e.value)
    assert "'valeu'" in message and "quality" in message and "m.yaml, line" in message


def test_cycle_is_refused_with_its_route():
    with pytest.raises(ModelError) as e:
        load("paths:\n  arrows: {quality: value, value: [outcome, quality]}\n")
    assert e.value.codes == ["paths-cycle"]
    assert "quality → value → quality" in str(e.value)


def test_construct_without_items():
    assert [c for c, _ in issues("""paths:
  constructs:
    - {id: loyalty, name: 忠诚, items: []}
  arrows: {quality: outcome, outcome: loyalty}
""")] == ["paths-empty-construct"]


def test_outcome_as_driver_of_an_index_dimension():
    assert [c for c, _ in issues("paths:\n  arrows: {quality: outcome, outcome: value}\n")] == ["paths-outcome-as-driver"]


def test_other_structural_problems():
    assert [c for c, _ in issues("paths:\n  arrows: {quality: [value, value], value: outcome}\n")] == ["paths-duplicate-arrow"]
    assert [c for c, _ in issues("paths:\n  arrows: {value: outcome, price: outcome}\n")] == ["paths-shared-items"]
    assert [c for c, _ in issues("paths:\n  arrows: {quality: value}\n")] == ["paths-satisfaction"]
    assert [c for c, _ in issues("""paths:
  constructs:
    - {id: loyalty, name: 忠诚, items: [{id: l1, column: G}]}
  arrows: {quality: outcome}
""")] == ["paths-unused-construct"]
    assert [c for c, _ in issues("paths:\n  arrows: [quality, outcome]\n")] == ["wrong-type"]
    assert [c for c, _ in issues("paths:\n  scheme: pathway\n  arrows: {quality: outcome}\n")] == ["bad-option"]
    assert [c for c, _ in issues("paths:\n  arows: {quality: outcome}\n")][0] == "unknown-key"


def test_scheme_and_scaling_from_the_file_and_the_run():
    m = load("paths:\n  scheme: centroid\n  scaled: false\n  tol: 1.0e-8\n  arrows: {quality: outcome}\n")
    assert (m.structure.scheme, m.structure.scaled, m.structure.tol) == ("centroid", False, 1e-8)
    run = model_for_run(m, scheme="factorial", scaled=True)
    assert (run.structure.scheme, run.structure.scaled) == ("factorial", True)
    assert model_for_run(m).structure == m.structure
    with pytest.raises(ValueError, match="scheme must be one of"):
        model_for_run(m, scheme="pathway")
    plain = load_model_text(BASE)
    assert model_for_run(plain, scheme="centroid") == plain


@pytest.mark.parametrize(("name", "constructs", "arrows"), [
    ("acsi", ("expectations", "perceived_quality", "perceived_value", "outcome", "complaints", "loyalty"), 9),
    ("ecsi", ("image", "expectations", "perceived_quality", "perceived_value", "outcome", "complaints", "loyalty"), 12),
    ("ccsi", ("brand_image", "expected_quality", "perceived_quality", "perceived_value", "outcome", "loyalty"), 9),
])
def test_init_templates_write_the_standard_structures(tmp_path, name, constructs, arrows):
    from typer.testing import CliRunner

    from csi.cli import app
    from csi.model import load_model
    from csi.templates import template_path

    r = CliRunner().invoke(app, ["init", str(tmp_path), "--template", name.upper()])
    assert r.exit_code == 0, r.output
    written = tmp_path / "indicators.yaml"
    assert written.read_bytes() == template_path(name).read_bytes()
    m = load_model(written)
    assert m.structure.ids == constructs and len(m.structure.arrows) == arrows
    assert m.structure.satisfaction == "outcome" and ("outcome", "loyalty") in m.structure.arrows
    text = written.read_text(encoding="utf-8")
    source = {"acsi": "Fornell", "ecsi": "Tenenhaus", "ccsi": "GB/T 19038-2009"}[name]
    assert source in text.split("\nname:")[0]  # cited in the comments above the model
    # every construct has a Chinese and an English name
    for c in m.structure.constructs:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in c.name) and any(ch.isascii() and ch.isalpha() for ch in c.name)


def test_init_refuses_an_unknown_template(tmp_path):
    from typer.testing import CliRunner

    from csi.cli import app

    r = CliRunner().invoke(app, ["init", str(tmp_path), "--template", "xcsi"])
    assert r.exit_code == 2 and "acsi, ecsi, ccsi" in r.output
    assert not (tmp_path / "indicators.yaml").exists()
