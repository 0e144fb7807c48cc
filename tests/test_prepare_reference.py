"""Preparation against straightforward references: cell by cell, respondent by respondent.

``csi.survey.prepare`` converts each distinct cell of a column once and spreads the results
over the rows; the references here read every cell on its own and loop over respondents, as
docs/methods.md#data-quality states the rules. Whatever the dtype of a column (object holding text, floats
and None; ``string``; ``category``; float64), both must agree exactly.
"""

from __future__ import annotations

import dataclasses
import math
import re
import tempfile
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csi.errors import DataError
from csi.model import Item, load_model_text
from csi.survey import answers as answers_module
from csi.survey import respondents as respondents_module
from csi.survey.answers import DistinctCells, _distinct, convert_column
from csi.survey.prepare import NO_COMMENT, prepare
from csi.survey.read import Table, durations_seconds, parse_duration, read_survey
from csi.survey.respondents import durations

MODEL = """
labels: {非常满意: 5, 满意: 4, 一般: 3, 不满意: 2, 非常不满意: 1}
missing: [不适用, 不清楚]
children:
  - {id: rated, column: A}
  - {id: flipped, column: B, reverse: true, scale: {min: 0, max: 10}}
  - {id: coded, column: C, labels: {}}
  - {id: wait, column: D, type: metric, best: 30, worst: 120}
"""
ITEMS = {item.id: item for item in load_model_text(MODEL).all_items}
LABELS = ["非常满意", "满意", "一般", "不满意", "非常不满意"]
#: The wjx preset's skip codes.
SKIP_CODES = ("-2", "-3", "(跳过)", "(空)")
#: SPSS-style value labels: numeric codes count, the others are ignored.
FILE_LABELS = {1: "很差", 2.0: "较差", 3: " 一般 ", 5: "很好", "x": "满意", False: "对"}

# ---------------------------------------------------------------- the per-cell reference

_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_LETTER = re.compile(r"^[A-Za-z][.．、]\s*", re.ASCII)


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def number(text: str) -> float:
    """A decimal number written out, as pandas reads one; NaN otherwise."""
    return float(text) if _NUMBER.fullmatch(text) else math.nan


def labels_of(item: Item, file_labels: dict | None) -> dict[str, float]:
    if item.type == "metric":
        return {}
    if item.labels:
        return {nfkc(k).strip(): float(v) for k, v in item.labels}
    out: dict[str, float] = {}
    for code, label in (file_labels or {}).items():
        if isinstance(code, (int, float)) and not isinstance(code, bool):
            out.setdefault(nfkc(str(label)).strip(), float(code))
    return out


def empty(cell: object) -> bool:
    return cell is None or cell is pd.NA or (isinstance(cell, float) and math.isnan(cell))


def reference_cell(value: object, item: Item, missing_codes=(), file_labels=None) -> tuple[float, bool]:
    """One cell: (the answer on the item's scale or NaN, whether it is invalid)."""
    if empty(value):
        return math.nan, False
    text = nfkc(str(value).strip())
    words = {nfkc(w).strip() for w in (*item.missing, *missing_codes)}
    missing_numbers = set()
    for w in words:
        try:
            missing_numbers.add(float(w))
        except ValueError:
            pass
    x = number(text)
    if text == "" or text in words or (not math.isnan(x) and x in missing_numbers):
        return math.nan, False
    labels = labels_of(item, file_labels)
    if text in labels:
        raw = labels[text]
    elif not math.isnan(x):
        raw = x
    elif item.type == "metric":
        return math.nan, True
    else:
        bare = _LETTER.sub("", text, count=1)  # "A.满意" is 满意
        if bare in words:
            return math.nan, False
        if bare not in labels:
            return math.nan, True
        raw = labels[bare]
    if item.type == "metric":  # any finite measure; not below 0 when best and worst are 0 or more (a time, a count)
        usable = math.isfinite(raw) and not (min(item.best, item.worst) >= 0 and raw < 0)
    else:
        usable = item.scale.min <= raw <= item.scale.max
    return (raw, False) if usable else (math.nan, True)


def check_column(s: pd.Series, item: Item, missing_codes=(), file_labels=None) -> None:
    raw, bad = convert_column(s, item, missing_codes, file_labels)
    if file_labels is None:
        file_labels = (s.attrs.get("value_labels") or {}).get(s.name)
    expected = [reference_cell(v, item, missing_codes, file_labels) for v in s.tolist()]
    want_raw = np.array([r for r, _ in expected], dtype=np.float64)
    want_bad = np.array([b for _, b in expected], dtype=bool)
    assert raw.dtype == np.float64 and bad.dtype == bool
    np.testing.assert_array_equal(bad, want_bad)
    np.testing.assert_array_equal(np.isnan(raw), np.isnan(want_raw))
    np.testing.assert_array_equal(raw, want_raw)
    np.testing.assert_array_equal(np.signbit(raw), np.signbit(want_raw))


def column(cells: list, dtype: str) -> pd.Series | None:
    """``cells`` as a column of ``dtype``; None when that dtype cannot hold them."""
    if dtype == "object":
        return pd.Series(cells, dtype=object, name="A")
    if dtype == "category":
        return pd.Series(cells, dtype=object, name="A").astype("category")
    if dtype == "float64":
        if not all(empty(v) or isinstance(v, float) for v in cells):
            return None
        return pd.Series(cells, dtype="float64", name="A")
    if not all(empty(v) or isinstance(v, str) for v in cells):
        return None
    return pd.Series(cells, dtype=object, name="A").astype(dtype)


DTYPES = ["object", "category", "float64", "string", "string[python]", "str"]

# ---------------------------------------------------------------- hand-picked columns


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("item", list(ITEMS))
def test_hand_picked_cells_match_the_reference(dtype, item):
    texts = [*LABELS, " 满意 ", "满意\u3000", "\xa0一般", "A.满意", "b、非常满意", "C．一般", "D. 不满意", "A.不适用", "不适用",
             "不清楚", "(跳过)", "(空)", "-2", "-3", "-2.0", "５", "5", "3.0", " 4 ", "1e0", "+2", ".5", "0", "-0.0", "10", "11",
             "7", "2.5", "很好", "5分", "A.5", "inf", "nan", "N/A", "", "  ", "很差", " 较差", "对", None]
    numbers = [1.0, 2.0, 3.0, 4.0, 5.0, 0.0, -0.0, -2.0, -3.0, 2.5, 7.0, 10.0, 11.0, 45.0, 150.0, math.inf, -math.inf,
               1e20, 0.1 + 0.2, math.nan, None]
    for cells in (texts, numbers, texts + numbers, numbers[::-1] + texts[::-1]):
        s = column(cells, dtype)
        if s is None:
            continue
        check_column(s, ITEMS[item])
        check_column(s, ITEMS[item], SKIP_CODES)
        check_column(s, ITEMS[item], SKIP_CODES, FILE_LABELS)


def test_value_labels_come_from_the_columns_table():
    s = pd.Series([1.0, 2.0, "很好", "很差", None, 9.0], dtype=object, name="Q1")
    s.attrs["value_labels"] = {"Q1": FILE_LABELS}
    raw, bad = convert_column(s, ITEMS["coded"])
    np.testing.assert_array_equal(raw, [1.0, 2.0, 5.0, 1.0, np.nan, np.nan])
    assert bad.tolist() == [False, False, False, False, False, True]
    check_column(s, ITEMS["coded"])
    check_column(s, ITEMS["rated"])  # an item with labels of its own does not use the file's


def test_equal_cells_of_different_types_keep_their_own_text():
    """1, 1.0 and True are equal in Python (pandas' factorize puts them together), but their
    texts "1", "1.0" and "True" differ; so do 0.0 and -0.0. Each is read as its text."""
    item = dataclasses.replace(ITEMS["rated"], labels=(("1", 5.0), ("True", 4.0), ("-0.0", 3.0)),
                               scale=dataclasses.replace(ITEMS["rated"].scale, min=0))
    cells = [1.0, 1, True, "1", 1.0, 0.0, -0.0, False, 0, np.int64(1), None, -0.0, 0.0, "True"]
    check_column(pd.Series(cells, dtype=object, name="A"), item)
    raw, _ = convert_column(pd.Series(cells, dtype=object, name="A"), item)
    assert raw[:4].tolist() == [1.0, 5.0, 4.0, 5.0]
    check_column(pd.Series([0.0, -0.0, 1.0, -0.0, np.nan], name="A"), item)
    check_column(pd.Series([-0.0, 0.0, -0.0], name="A"), item)


# ---------------------------------------------------------------- generated columns

_SPACE = st.sampled_from(["", "", " ", "  ", "\t", "\u3000", "\xa0"])
_WORDS = st.sampled_from([*LABELS, "不适用", "不清楚", "(跳过)", "(空)", "-2", "-3", "很好", "很差", "较差", "N/A", "对", "无", ""])
_LETTERED = st.builds(lambda letter, sep, space, word: letter + sep + space + word, st.sampled_from("AbZ"),
                      st.sampled_from([".", "．", "、"]), _SPACE, st.sampled_from([*LABELS, "不适用", "5"]))
_NUMERALS = st.one_of(st.sampled_from(["5", "５", "3.0", "-2.0", "1e0", "+4", ".5", "5.", "0", "-0.0", "inf", "nan", "1_0"]),
                      st.integers(-3, 160).map(str), st.floats(allow_nan=False).map(repr))
_JUNK = st.text(alphabet="ab好5５.-、 ", max_size=4)
TEXT = st.builds(lambda a, t, b: a + t + b, _SPACE, st.one_of(_WORDS, _LETTERED, _NUMERALS, _JUNK), _SPACE)
NUMBER = st.one_of(st.sampled_from([1.0, 2.0, 3.0, 4.0, 5.0, 0.0, -0.0, -2.0, 10.0, 11.0, 2.5, 45.0, math.inf, math.nan]),
                   st.floats())
CELL = st.one_of(TEXT, NUMBER, st.none())


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cells=st.lists(CELL, max_size=25), dtype=st.sampled_from(DTYPES), item=st.sampled_from(list(ITEMS)),
       missing_codes=st.sampled_from([(), SKIP_CODES, ("5", " 不满意 ")]), file_labels=st.sampled_from([None, FILE_LABELS]))
def test_generated_columns_match_the_reference(cells, dtype, item, missing_codes, file_labels):
    s = column(cells, dtype)
    if s is None:
        s = column(cells, "object")
    check_column(s, ITEMS[item], missing_codes, file_labels)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(CELL, st.integers(-2, 2), st.booleans(), st.just(pd.NA)), max_size=25))
def test_distinct_cells_are_the_rows_cells(cells):
    """Every row's code points at a cell of the same type and text; empty cells get -1."""
    codes, distinct = _distinct(pd.Series(cells, dtype=object))
    assert len(codes) == len(cells)
    for code, cell in zip(codes.tolist(), cells, strict=True):
        if empty(cell):
            assert code == -1
        else:
            found = distinct.iloc[code]
            assert (type(found), repr(found)) == (type(cell), repr(cell))


# ---------------------------------------------------------------- respondents

RULES_MODEL = """
labels: {很满意: 5, 满意: 4, 一般: 3, 不满意: 2, 很不满意: 1}
missing: [不适用]
quality: {min_duration: 60, min_answered: 0.5, straightline_min_items: 3, duplicate_by: [编号, 门店]}
children:
  - {id: a, column: A}
  - {id: b, column: B}
  - {id: c, column: C, reverse: true}
  - {id: d, column: D, scale: {min: 1, max: 10}}
  - {id: wait, column: W, type: metric, best: 30, worst: 120}
outcome:
  items:
    - {id: sat, column: S, scale: {min: 1, max: 10}}
segments: [部门]
comments: [建议]
"""
HEADER = ["序号", "提交答卷时间", "所用时间", "编号", "门店", "部门", "A", "B", "C", "D", "W", "S", "建议"]
#: Each row: (所用时间, 编号, 门店, 部门, A, B, C, D, W, S, 建议)
ROWS = [
    ("100秒", "1", "东", "一部", "很满意", "4", "5", "10", "40", "9", "无"),
    ("2分", "2", "东", "二部", "", "", "", "", "", "", ""),  # empty
    ("90", "3", "西", " 一部 ", "", "", "", "", "", "8", "太贵"),  # only the outcome: incomplete
    ("30秒", "4", "西", "", "满意", "满意", "满意", "8", "60", "7", ""),  # speeder
    ("1分30秒", " 5 ", "东", "二部", "一般", "3", "3", "5", "50", "5", "NONE"),  # straight-liner, a duplicate of 5/东
    ("", "", "", "三部", "满意", "4", "2", "7", "70", "6", " 回复太慢 "),  # blank ids, no duration
    ("200秒", "5", "东", "二部", "不满意", "2", "4", "3", "200", "3", "(空)"),  # the last submission of 5/东
    ("2:00", "", "东", "一部", "4", "满意", "4", "", "", "8", "-"),  # blank id: nobody's duplicate; a straight-liner
    ("", "", "东", "一部", "4", "4", "2", "7", "", "8", "/"),
    ("3分", "1", "西", "一部", "很满意", "5", "1", "10", "30", "10", "好"),  # 1/西 is not 1/东
    ("61", "6", "北", "(跳过)", "不适用", "不适用", "4", "4", "(跳过)", "4", "n/a"),  # incomplete
    ("120", "7", "北", "三部", "A.很满意", "b、满意", "很好", "6", "abc", "", "无意见"),
]


def write_survey(folder: Path, rows) -> Table:
    lines = [",".join(HEADER)]
    for i, (duration, *rest) in enumerate(rows, start=1):
        cells = [str(i), f"2026/5/{i % 28 + 1} 10:00:00", duration, *rest]
        lines.append(",".join(f'"{c}"' for c in cells))
    path = folder / "survey.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return read_survey(path)


def reference_responses(table: Table, model) -> dict:
    """prepare's respondent rules, one row at a time."""
    frame = table.frame
    items = model.all_items
    values = []
    for i in range(len(frame)):
        row = []
        for item in items:
            raw, _ = reference_cell(frame[item.column].iloc[i], item, table.missing_codes)
            if item.type == "metric":
                v = min(max((item.worst - raw) / (item.worst - item.best), 0.0), 1.0) * 100.0 if not math.isnan(raw) else math.nan
            else:
                x = item.scale.min + item.scale.max - raw if item.reverse else raw
                v = (x - item.scale.min) / (item.scale.max - item.scale.min) * 100.0
            row.append(v)
        values.append(row)
    k = len(model.items)
    ids = []
    for i in range(len(frame)):
        key = []
        for col in model.quality.duplicate_by:
            cell = frame[col].iloc[i]
            key.append(None if empty(cell) or str(cell).strip() == "" else str(cell).strip())
        ids.append(None if None in key else tuple(key))
    reasons = {}
    for i, row in enumerate(values):
        answered = [not math.isnan(v) for v in row]
        duration = frame[table.duration_column].iloc[i]
        seconds = math.nan if empty(duration) else parse_duration(duration)
        if not any(answered):
            reasons[i] = "empty"
        elif sum(answered[:k]) < model.quality.min_answered * k:
            reasons[i] = "incomplete"
        elif seconds < model.quality.min_duration:
            reasons[i] = "speeder"
        elif ids[i] is not None and ids[i] in ids[i + 1:]:
            reasons[i] = "duplicate"
    kept = [i for i in range(len(frame)) if i not in reasons]
    straight = []
    for i in kept:
        ticked = {100.0 - v if item.reverse else v
                  for v, item in zip(values[i][:k], model.items, strict=True) if item.type == "rating" and not math.isnan(v)}
        answered = sum(1 for v, item in zip(values[i][:k], model.items, strict=True) if item.type == "rating" and not math.isnan(v))
        if answered >= model.quality.straightline_min_items and len(ticked) == 1:
            straight.append(i)
    segments, comments = [], []
    nothing = {*table.missing_codes, *NO_COMMENT}
    for i in kept:
        cell = frame["部门"].iloc[i]
        text = "" if empty(cell) else str(cell).strip()
        segments.append(text or "(missing)")
        cell = frame["建议"].iloc[i]
        text = "" if empty(cell) else str(cell).strip()
        comments.append("" if text.lower() in nothing else text)
    return {
        "values": np.array([values[i] for i in kept], dtype=np.float64).reshape(len(kept), len(items)),
        "rows": [table.row_number(i) for i in kept],
        "exclusions": tuple((table.row_number(i), reasons[i]) for i in sorted(reasons)),
        "flags": tuple((table.row_number(i), "straightliner") for i in straight),
        "segments": segments,
        "comments": comments,
    }


def with_dtype(table: Table, dtype: str) -> Table:
    """The same table, its columns held in another dtype."""
    frame = table.frame.copy()
    for name in frame.columns:
        s = frame[name]
        if dtype == "object":
            frame[name] = pd.Series(s.to_numpy(dtype=object), index=s.index, dtype=object).where(s.notna(), None)
        elif dtype == "category":
            frame[name] = s.astype("category")
        elif dtype == "string":
            frame[name] = s.astype("string") if s.dtype != np.float64 else s
        elif dtype == "float64":
            numbers = pd.to_numeric(s, errors="coerce")
            if numbers.notna().sum() == s.notna().sum():
                frame[name] = numbers.astype("float64")
    return dataclasses.replace(table, frame=frame)


def check_rules(table: Table, model) -> None:
    want = reference_responses(table, model)
    if not want["rows"] or np.isnan(want["values"]).all():  # nobody left with an answer: an error, not an index of 0
        with pytest.raises(DataError) as e:
            prepare(table, model, by=["部门"])
        assert e.value.codes == ["no-usable-answers"]
        return
    r = prepare(table, model, by=["部门"])
    np.testing.assert_array_equal(r.values, want["values"])
    assert r.rows.tolist() == want["rows"] and r.rows.dtype == np.int64
    assert r.quality.exclusions == want["exclusions"]
    assert r.quality.flags == want["flags"]
    assert r.quality.excluded == {why: sum(1 for _, w in want["exclusions"] if w == why)
                                  for why in ("empty", "incomplete", "speeder", "duplicate")}
    assert r.quality.flagged == {"straightliner": len(want["flags"])}
    assert r.quality.used == len(want["rows"]) and r.quality.rows == len(table.frame)
    assert r.segments["部门"].tolist() == want["segments"]
    assert r.comments["建议"].tolist() == want["comments"]


@pytest.mark.parametrize("dtype", ["as read", "object", "category", "string", "float64"])
def test_respondent_rules_rows_segments_and_comments_match_loops(tmp_path, dtype):
    table = write_survey(tmp_path, ROWS)
    if dtype != "as read":
        table = with_dtype(table, dtype)
    check_rules(table, load_model_text(RULES_MODEL))
    r = prepare(table, load_model_text(RULES_MODEL), by=["部门"])
    # the rows above as their comments say (spreadsheet rows: the header is row 1)
    assert r.quality.exclusions == ((3, "empty"), (4, "incomplete"), (5, "speeder"), (6, "duplicate"), (12, "incomplete"))
    assert r.quality.flags == ((9, "straightliner"),)
    assert r.rows.tolist() == [2, 7, 8, 9, 10, 11, 13]
    assert r.segments["部门"].tolist() == ["一部", "三部", "二部", "一部", "一部", "一部", "三部"]
    assert r.comments["建议"].tolist() == ["", "回复太慢", "", "", "", "好", ""]


_ROW = st.tuples(st.sampled_from(["100秒", "30秒", "2分", "", "59", "61", "1:00", "abc"]),
                 st.sampled_from(["1", "2", " 2", "", "  "]), st.sampled_from(["东", "西", ""]),
                 st.sampled_from(["一部", " 二部", "", "(跳过)"]),
                 *[st.sampled_from(["很满意", "满意", "一般", "", "不适用", "A.满意", "5", "3", "很好"])] * 3,
                 st.sampled_from(["1", "10", "5", "", "9"]), st.sampled_from(["30", "75", "", "abc", "(跳过)"]),
                 st.sampled_from(["9", "", "-2"]), st.sampled_from(["", "无", "好", " NONE ", "(空)"]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(_ROW, max_size=30), dtype=st.sampled_from(["as read", "object", "category", "string", "float64"]))
def test_generated_respondents_match_loops(rows, dtype):
    """Random respondents after one whose answers are all valid (a column without a valid
    answer is an error, not a respondent rule)."""
    with tempfile.TemporaryDirectory() as folder:
        table = write_survey(Path(folder), [ROWS[0], *rows])
    if dtype != "as read":
        table = with_dtype(table, dtype)
    check_rules(table, load_model_text(RULES_MODEL))


@pytest.mark.parametrize("dtype", ["as read", "object", "category", "float64"])
def test_durations_parsed_once_per_distinct_cell_equal_the_readers(tmp_path, dtype):
    rows = [(d, *ROWS[0][1:]) for d in ["100秒", "2分3秒", "", "1:02:03", "90", "abc", "-5", "100秒", "1小时", "59.5"]]
    table = write_survey(tmp_path, rows)
    if dtype != "as read":
        table = with_dtype(table, dtype)
    mixed = pd.Series([120.0, "2分", None, -3.0, "abc", 45.5, "45秒", True, 7], dtype=object)
    tables = [table, dataclasses.replace(table, frame=pd.DataFrame({"所用时间": mixed}))]
    if dtype == "float64":
        tables.append(dataclasses.replace(table, frame=pd.DataFrame({"所用时间": [120.0, np.nan, -1.0, 0.0, 3.5]})))
    for t in tables:
        ours = durations(t, DistinctCells(t.frame))
        theirs = durations_seconds(t)
        np.testing.assert_array_equal(ours, theirs)


def test_long_columns_factorized_in_threads_give_the_same_responses(tmp_path, monkeypatch):
    """Long tables factorize their columns, count answers and fill the matrix in threads;
    the answer is the same."""
    table = with_dtype(write_survey(tmp_path, ROWS * 3), "object")
    model = load_model_text(RULES_MODEL)
    alone = prepare(table, model, by=["部门"])
    monkeypatch.setattr(answers_module, "THREADED_ROWS", 1)
    monkeypatch.setattr(respondents_module, "THREADED_ROWS", 1)
    monkeypatch.setattr(respondents_module, "BLOCK_ROWS", 7)  # many blocks, filled on two threads
    monkeypatch.setattr(answers_module.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    threaded = prepare(table, model, by=["部门"])
    np.testing.assert_array_equal(threaded.values, alone.values)
    assert threaded.rows.tolist() == alone.rows.tolist()
    assert dataclasses.astuple(threaded.quality) == dataclasses.astuple(alone.quality)
    assert threaded.segments["部门"].tolist() == alone.segments["部门"].tolist()
    assert threaded.comments["建议"].tolist() == alone.comments["建议"].tolist()
    check_rules(table, model)
