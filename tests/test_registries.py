"""Each list of names is declared once and everything else reads it: the weighting methods,
the report formats, the platform presets. These tests fail when a reader of a registry keeps
a list of its own (a method the model loader refuses, a format `-o` does not take) or when the
docs leave a declared name out."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from csi.cli import app
from csi.errors import ModelError
from csi.model import METHOD_NAMES, load_model_text
from csi.report.formats import FORMATS, SUFFIXES, formats_for, render
from csi.survey.presets import PRESETS
from csi.weighting.registry import DATA_METHODS, METHODS, OPTIONS
from csi.weighting.sensitivity import ALL_METHODS

DOCS = Path(__file__).resolve().parents[1] / "docs"
runner = CliRunner()
MODEL = """
outcome: {items: [{id: sat, column: S}]}
children:
  - {id: a, column: A, weight: 1}
  - {id: b, column: B, weight: 1}
"""


def test_every_reader_of_the_method_registry_sees_the_same_methods():
    assert METHOD_NAMES == tuple(METHODS)
    assert ALL_METHODS == ("model", *METHODS)
    assert set(DATA_METHODS) == {"entropy", "critic", "drivers", "pls"}
    help_text = runner.invoke(app, ["score", "--help"], env={"COLUMNS": "400"}).stdout
    weights_help = runner.invoke(app, ["weights", "--help"], env={"COLUMNS": "400"}).stdout
    for name in METHODS:
        assert re.search(rf"\b{name}\b", help_text) and re.search(rf"\b{name}\b", weights_help)


@pytest.mark.parametrize("name", list(METHODS))
def test_the_model_loader_takes_every_registered_method(name):
    head = f"method: {name}\n" + ('ahp: [[1, 2], ["1/2", 1]]\n' if METHODS[name].needs_ahp else "")
    assert load_model_text(MODEL.replace("children:", head + "children:")).root.method == name


@pytest.mark.parametrize("name", [n for n, m in METHODS.items() if m.needs_outcome])
def test_a_method_that_needs_an_outcome_is_refused_without_one(name):
    with pytest.raises(ModelError) as e:
        load_model_text(f"method: {name}\nchildren: [{{id: a, column: A}}, {{id: b, column: B}}]")
    assert e.value.issues[0].code == f"{name}-needs-outcome"


def test_every_option_key_is_validated_from_the_registry():
    for key, option in OPTIONS.items():
        bad = "nonsense" if option.choices else None
        if bad is None:
            continue
        with pytest.raises(ModelError) as e:
            load_model_text(MODEL.replace("children:", f"options: {{{key}: {bad}}}\nchildren:"))
        assert e.value.issues[0].code == "bad-option"
    with pytest.raises(ModelError):
        load_model_text(MODEL.replace("children:", "options: {no_such_option: 1}\nchildren:"))


def test_output_suffixes_come_from_the_format_declarations():
    assert set(SUFFIXES.values()) == set(FORMATS)
    score_help = runner.invoke(app, ["score", "--help"], env={"COLUMNS": "400"}).stdout
    for name in formats_for("result"):
        assert FORMATS[name].suffixes[0] in score_help
    assert formats_for("weights") == ["json"]
    with pytest.raises(KeyError):
        render("weights", "csv", None)


def test_the_docs_name_every_method_format_and_preset():
    methods_doc = (DOCS / "methods.md").read_text(encoding="utf-8")
    architecture = (DOCS / "architecture.md").read_text(encoding="utf-8")
    for name in METHODS:
        assert f"`{name}`" in methods_doc, name
    for name in OPTIONS:
        assert f"`{name}`" in methods_doc, name
    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    for fmt in FORMATS.values():
        assert fmt.suffixes[0] in readme, fmt.name
    for name in PRESETS:
        assert f"`{name}`" in readme or name in readme, name
    for registry in ("csi/weighting/registry.py", "csi/report/formats.py", "csi/survey/presets.py"):
        assert registry in architecture
