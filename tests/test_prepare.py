"""Preparation: rescaling, labels, missing answers, invalid cells, respondent rules."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import EXAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csi.errors import CsiError, DataError
from csi.model import default_model_path, load_model, load_model_text
from csi.scoring import ScoreOptions, score
from csi.survey.prepare import columns_used, prepare
from csi.survey.read import read_survey

MODEL = """
labels: {很满意: 5, 满意: 4, 一般: 3, 不满意: 2, 很不满意: 1}
missing: [不适用]
quality: {min_duration: 60, min_answered: 0.5, straightline_min_items: 3, duplicate_by: [编号]}
children:
  - {id: a, column: A}
  - {id: b, column: B}
  - {id: c, column: C, reverse: true}
  - {id: wait, column: W, type: metric, best: 30, worst: 120}
"""


def write(tmp_path, text: str, name: str = "s.csv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return read_survey(p)


def test_labels_numbers_fullwidth_digits_reverse_and_metric(tmp_path):
    table = write(tmp_path, "编号,A,B,C,W\n1,很满意,５,1,30\n2, 满意 ,3,不适用,75\n3,一般,,5,500\n")
    r = prepare(table, load_model_text(MODEL))
    np.testing.assert_allclose(r.values, [[100, 100, 100, 100], [75, 50, np.nan, 50], [50, np.nan, 0, 0]])
    assert r.quality.invalid == ()


def test_invalid_cells_are_counted_with_rows_and_strict_makes_them_errors(tmp_path):
    table = write(tmp_path, "编号,A,B,C,W\n1,很好,4,4,40\n2,4,9,4,abc\n3,4,4,4,40\n4,6,4,4,40\n")
    r = prepare(table, load_model_text(MODEL))
    assert [(c.item, c.letter, c.count, c.rows, c.values) for c in r.quality.invalid] == [
        ("a", "B", 2, (2, 5), ("很好", "6")), ("b", "C", 1, (3,), ("9",)), ("wait", "E", 1, (3,), ("abc",))]
    with pytest.raises(DataError) as e:
        prepare(table, load_model_text(MODEL), strict=True)
    assert [(i.row, i.column, i.code) for i in e.value.issues] == [
        (2, "A", "invalid-answer"), (5, "A", "invalid-answer"), (3, "B", "invalid-answer"), (3, "W", "invalid-answer")]
    assert 'expected 1–5 or a label (很满意 … 很不满意), got \'很好\'' in str(e.value.issues[0])


def test_respondent_rules(tmp_path):
    """Row 2 empty; row 3 answers 1 of 4 (incomplete); rows 4 and 6 share 编号 7 (4 is dropped, the
    later one kept); row 6 ticks 3 everywhere: a straightliner (flagged, kept). Row 5 ticks 5, 5, 1 —
    the same opinion, since C is reverse-worded, but not the same answer: not flagged."""
    table = write(tmp_path, "编号,A,B,C,W\n1,,,,\n2,4,,,\n7,4,4,4,40\n5,5,5,1,30\n7,3,3,3,60\n")
    r = prepare(table, load_model_text(MODEL))
    assert r.quality.excluded == {"empty": 1, "incomplete": 1, "speeder": 0, "duplicate": 1}
    assert r.quality.exclusions == ((2, "empty"), (3, "incomplete"), (4, "duplicate"))
    assert r.quality.flags == ((6, "straightliner"),)
    assert r.rows.tolist() == [5, 6] and r.quality.used == 2


def test_speeders_from_wjx_durations():
    model = load_model(EXAMPLES.parent / "csi" / "data" / "indicators.yaml")
    r = prepare(read_survey(EXAMPLES / "accounting_2026Q2.xlsx"), model)
    # examples/README.md: speeders at rows 148, 156, 253, 294; the duplicate's first submission at 286
    assert sorted(row for row, why in r.quality.exclusions if why == "speeder") == [148, 156, 253, 294]
    assert [row for row, why in r.quality.exclusions if why == "duplicate"] == [286]


def test_missing_columns_are_all_reported_with_the_closest_headers(tmp_path):
    table = write(tmp_path, "A,Bee,C\n1,2,3\n")
    with pytest.raises(DataError) as e:
        prepare(table, load_model_text(MODEL))
    assert [i.code for i in e.value.issues] == ["missing-column", "missing-column", "missing-column"]


def test_example_scores_match_a_plain_pandas_computation():
    """An independent, straightforward computation of the Q3 example's indicator scores.

    pandas only: map the labels, drop the rows the engine excluded (from its exclusions list),
    rescale (x − 1)/4 · 100 and take column means. The engine must agree to 1e-9.
    """
    model = load_model(EXAMPLES.parent / "csi" / "data" / "indicators.yaml")
    path = EXAMPLES / "accounting_2026Q3.xlsx"
    frame = pd.read_excel(path, dtype=str, keep_default_na=False)
    prepared = prepare(read_survey(path), model)
    result = score(model, prepared, ScoreOptions(bootstrap=0))
    kept = frame.drop(index=[row - 2 for row, _ in prepared.quality.exclusions])
    labels = {"非常满意": 5, "满意": 4, "一般": 3, "不满意": 2, "非常不满意": 1}
    for item in model.items:
        if item.type != "rating":
            continue
        header = next(c for c in frame.columns if pd.Series([c]).str.contains(item.match).iloc[0])
        x = pd.to_numeric(kept[header].str.strip().map(labels), errors="coerce")
        assert result.node(item.id).score == pytest.approx(((x - 1) / 4 * 100).mean(), abs=1e-9)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    cells=st.lists(st.lists(st.one_of(st.none(), st.integers(-3, 12), st.sampled_from(["很满意", "不适用", "", "x", "５", "1e9", "nan"])),
                            min_size=4, max_size=4), min_size=0, max_size=25),
    seed=st.integers(0, 3),
)
def test_junk_tables_give_a_result_or_a_csi_error(tmp_path, cells, seed):
    lines = ["编号,A,B,C,W"] + [",".join(["1"] + ["" if v is None else str(v) for v in row[:4]]) for row in cells]
    path = tmp_path / "junk.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    model = load_model_text(MODEL.replace("duplicate_by: [编号]", "duplicate_by: []"))
    try:
        r = score(model, prepare(read_survey(path), model), ScoreOptions(bootstrap=20, seed=seed))
    except CsiError:
        return
    for node in r.nodes:
        assert np.isnan(node.score) or 0 <= node.score <= 100
        assert np.isnan(node.ci[0]) or 0 <= node.ci[0] <= node.ci[1] <= 100
    assert np.isnan(r.overall.score) or 0 <= r.overall.score <= 100


def test_reading_only_the_columns_used():
    """The example read as far as the default model needs: fewer columns, the same responses."""
    model = load_model(default_model_path())
    path = EXAMPLES / "accounting_2026Q3.xlsx"
    whole = read_survey(path)
    used = columns_used(whole, model, by=model.segments)
    assert used is not None and {whole.duration_column, "4、手机号码", "2、部门", "18、您对我们的服务还有什么意见或建议？"} <= used
    narrowed = read_survey(path, columns=lambda t: columns_used(t, model, by=model.segments))
    assert list(narrowed.frame.columns) == [c for c in whole.frame.columns if c in used]
    assert len(narrowed.frame.columns) < len(whole.frame.columns) and len(narrowed.frame) == len(whole.frame)
    assert [narrowed.letter(c) for c in used] == [whole.letter(c) for c in used]
    a, b = prepare(whole, model, by=model.segments), prepare(narrowed, model, by=model.segments)
    np.testing.assert_array_equal(a.values, b.values)
    assert a.rows.tolist() == b.rows.tolist() and a.quality == b.quality
    assert {k: v.tolist() for k, v in a.segments.items()} == {k: v.tolist() for k, v in b.segments.items()}
    assert {k: v.tolist() for k, v in a.comments.items()} == {k: v.tolist() for k, v in b.comments.items()}


def test_a_row_with_values_only_in_columns_left_out_is_still_a_row(tmp_path):
    p = tmp_path / "s.csv"
    p.write_text("编号,A,备注\n1,5,好\n,,迟到的备注\n,,\n", encoding="utf-8")
    model = load_model_text("children: [{id: a, column: A}]")
    table = read_survey(p, columns=lambda t: columns_used(t, model))
    assert list(table.frame.columns) == ["A"] and len(table.frame) == 2  # row 3 is blank throughout
    assert prepare(table, model).quality.excluded["empty"] == 1


def test_a_binding_problem_reads_every_column_to_name_the_closest():
    model = load_model_text("children: [{id: a, column: 部门x}]")
    assert columns_used(read_survey(EXAMPLES / "accounting_2026Q3.xlsx"), model) is None
    table = read_survey(EXAMPLES / "accounting_2026Q3.xlsx", columns=lambda t: columns_used(t, model))
    with pytest.raises(DataError) as e:
        prepare(table, model)
    assert e.value.codes == ["missing-column"] and "2、部门" in e.value.issues[0].message
