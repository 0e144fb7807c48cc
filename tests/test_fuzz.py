"""Fuzzing the whole path — read, prepare, weigh, score — with junk tables and junk models.

Whatever hypothesis makes, the only outcomes are a Result whose scores are 0–100 (or NaN
where nothing was answered) or a CsiError; never another exception, never a hang. Sizes are
bounded (a few columns, a couple of dozen rows) so every example takes milliseconds, and an
alarm turns a hang into a failure.
"""

from __future__ import annotations

import json
import math
import re
import signal
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from csi.api import score_table
from csi.errors import CsiError
from csi.model import METHOD_NAMES, load_model_text
from csi.report.tables import to_json
from csi.result import Result
from csi.scoring import ScoreOptions
from csi.survey.prepare import columns_used
from csi.survey.read import read_survey

HEADERS = ["q1", "q2", "q3", "Q4", "5、满意度", "6、总体—服务", "部门", "w", "序号", "提交答卷时间", "所用时间"]
ODD_HEADERS = ["", "q1 ", "q1", " ", "Unnamed: B"]
ANSWERS = st.one_of(st.integers(1, 5).map(str), st.sampled_from(["满意", "非常满意", "不满意", "一般", "不适用"]))
JUNK = st.one_of(
    st.none(),
    st.integers(-3, 12).map(str),
    st.floats(-2, 12, allow_nan=False).map(lambda x: f"{x:.2f}"),
    st.sampled_from(["很好", "(跳过)", "-2", "-3", "５", "4.0", "1e3", "N/A", "nan", "2026-05-04 00:00:00", "95秒", "2分3秒",
                     "一组", "二组", " ", "=1+1", '"x,y"', "#DIV/0!", "13800138000", "0", "-1"]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r\n\","), max_size=6),
)
CELLS = st.one_of(ANSWERS, ANSWERS, ANSWERS, ANSWERS, ANSWERS, ANSWERS, JUNK)
JUNK_VALUE = st.one_of(st.integers(-2, 12), st.floats(-1, 12, allow_nan=False), st.sampled_from(["1/3", "x", "", "true"]),
                       st.booleans(), st.none())


def sometimes(draw: st.DrawFn, good: object, junk: bool, bad: st.SearchStrategy = JUNK_VALUE, one_in: int = 4) -> object:
    """``good``, or in a junk model now and then something wrong (a wrong type, out of range…).

    Hypothesis shrinks towards the first choices, so the good value is the simple one.
    """
    return draw(bad) if junk and draw(st.integers(1, one_in)) == one_in else good


@pytest.fixture(autouse=True)
def no_hang() -> Iterator[None]:
    """Fail an example that runs for more than a minute instead of hanging the suite."""
    def alarm(signum: int, frame: object) -> None:
        raise TimeoutError("an example ran for more than 60 s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def yaml_value(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return repr(value)


@st.composite
def surveys(draw: st.DrawFn) -> tuple[str, str, list[str]]:
    """A CSV export, a model over (mostly) its columns, and its headers."""
    width = draw(st.integers(1, 7))
    headers = draw(st.lists(st.sampled_from(HEADERS), min_size=width, max_size=width, unique=True))
    if draw(st.integers(1, 8)) == 1:  # a blank, repeated or padded header
        headers[draw(st.integers(0, width - 1))] = draw(st.sampled_from(ODD_HEADERS))
    rows = draw(st.lists(st.lists(CELLS, min_size=width, max_size=width), min_size=draw(st.sampled_from([3, 3, 3, 0])),
                         max_size=25))
    sep = draw(st.sampled_from([",", ",", ";", "\t"]))
    table = "\n".join([sep.join(headers)] + [sep.join("" if c is None else c for c in row) for row in rows]) + "\n"
    return table, draw(models(headers)), headers


@st.composite
def items(draw: st.DrawFn, name: str, headers: list[str], junk: bool, kinds: tuple[str, ...] = ("rating",),
          weight: object = None) -> str:
    keys = [f"id: {name}"]
    header = draw(st.sampled_from(headers))
    if draw(st.integers(1, 6)) < 6:
        keys.append(f"column: {yaml_value(sometimes(draw, header, junk, st.sampled_from(['Q1', '满意度', 'missing'])))}")
    else:
        pattern = sometimes(draw, "^" + re.escape(header.strip()) + "$", junk, st.sampled_from(["^q", "q1$", "满意", "("]))
        keys.append(f"match: {yaml_value(pattern)}")
    kind = draw(st.sampled_from(kinds))
    if junk and draw(st.integers(1, 10)) == 10:
        kind = draw(st.sampled_from(["metric", "nps", "junk"]))
    if kind != "rating":
        keys.append(f"type: {kind}")
    if kind == "metric":
        best, worst = draw(st.sampled_from([(30, 120), (5, 1), (10, 2)]))
        keys += [f"best: {yaml_value(sometimes(draw, best, junk))}", f"worst: {yaml_value(worst)}"]
    if kind == "rating" and draw(st.integers(1, 4)) == 4:
        low, high = draw(st.sampled_from([(1, 5), (1, 10), (0, 10), (1, 7)]))
        keys.append(f"scale: {{min: {yaml_value(sometimes(draw, low, junk, st.just(high)))}, max: {yaml_value(high)}}}")
    if weight is not None:
        keys.append(f"weight: {yaml_value(sometimes(draw, weight, junk))}")
    for key, good in (("reverse", draw(st.booleans())), ("target", draw(st.sampled_from([70, 80, 95])))):
        if draw(st.integers(1, 4)) == 4:
            keys.append(f"{key}: {yaml_value(sometimes(draw, good, junk))}")
    return "{" + ", ".join(keys) + "}"


@st.composite
def models(draw: st.DrawFn, headers: list[str]) -> str:
    """A model over (mostly) the table's columns; one in four has junk in it."""
    junk = draw(st.integers(1, 4)) == 4
    method = draw(st.sampled_from(["fixed", "fixed", *METHOD_NAMES]))
    root = "fixed" if method == "ahp" else method
    lines = ["name: fuzz", f"method: {sometimes(draw, root, junk, st.just('bogus'))}",
             "labels: {非常满意: 5, 满意: 4, 一般: 3, 不满意: 2, 非常不满意: 1}",
             f"missing: [不适用, {yaml_value(draw(st.sampled_from(['N/A', '-2', '(跳过)'])))}]"]
    if draw(st.integers(1, 3)) == 3:
        share = draw(st.sampled_from([0.5, 0, 1]))
        lines.append(f"quality: {{min_answered: {yaml_value(sometimes(draw, share, junk))}, straightline_min_items: 2}}")
    if method in ("drivers", "pls") or draw(st.integers(1, 4)) == 4:
        lines.append(f"outcome: {{name: o, items: [{draw(items('o1', headers, junk))}]}}")
    if draw(st.integers(1, 5)) == 5:
        lines.append(f"nps: {draw(items('n1', headers, junk, ('nps',)))}")
    lines.append("children:")
    counter = 0
    weighted = method == "fixed" and draw(st.booleans())
    for g in range(draw(st.integers(1, 3))):
        size = draw(st.integers(1, 3))
        lines.append(f"  - id: g{g}")
        if weighted:
            lines.append(f"    weight: {yaml_value(sometimes(draw, draw(st.sampled_from([1, 2, 0.3])), junk))}")
        if method == "ahp" and size > 1:
            upper = {(i, j): draw(st.sampled_from([1, 2, 3])) for i in range(size) for j in range(i + 1, size)}
            matrix = [[1 if i == j else upper[(i, j)] if i < j else f"1/{upper[(j, i)]}" for j in range(size)]
                      for i in range(size)]
            lines.append(f"    method: ahp\n    ahp: {sometimes(draw, matrix, junk, st.just([[1, 2], [2, 1]]))}")
        elif method in ("entropy", "critic", "drivers"):
            lines.append(f"    method: {method}")
        lines.append("    children:")
        item_weights = method == "fixed" and draw(st.booleans())
        for _ in range(size):
            counter += 1
            w = draw(st.sampled_from([1, 2, 0.5])) if item_weights else None
            lines.append(f"      - {draw(items(f'i{counter}', headers, junk, ('rating', 'rating', 'metric'), w))}")
    return "\n".join(lines) + "\n"


def check(result: object) -> None:
    assert isinstance(result, Result)
    estimates = [result.overall, *(n.estimate for n in result.nodes)]
    for e in estimates:
        assert math.isnan(e.score) or -1e-9 <= e.score <= 100 + 1e-9
        low, high = e.ci
        assert math.isnan(low) or math.isnan(high) or low <= high + 1e-9
    assert all(np.isfinite(n.weight) for n in result.nodes if n.weight is not None)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(survey=surveys(), options=st.data(), strict=st.booleans(), bootstrap=st.sampled_from([0, 0, 15]), seed=st.integers(0, 3))
def test_any_table_and_model_give_a_result_or_a_csi_error(tmp_path: Path, survey: tuple[str, str, list[str]],
                                                        options: st.DataObject, strict: bool, bootstrap: int, seed: int) -> None:
    table, model, headers = survey
    columns = st.sampled_from([h for h in headers if h.strip()] or ["q1"])
    by = options.draw(st.lists(columns, max_size=2, unique=True), label="by")
    weight = options.draw(st.one_of(st.none(), st.none(), st.none(), st.none(), columns), label="weight")
    path = tmp_path / "fuzz.csv"
    path.write_text(table, encoding="utf-8")
    try:
        m = load_model_text(model)
        t = read_survey(path)
        result, _ = score_table(t, m, ScoreOptions(bootstrap=bootstrap, seed=seed, min_group=2), strict=strict,
                                by=by, weight_column=weight)
    except CsiError as e:
        assert e.issues and all(i.code and i.message for i in e.issues)
        event(f"CsiError {e.codes[0]}")
        return
    event("Result")
    check(result)


def scored(path: Path, model: object, by: list[str], weight: str | None, narrowed: bool) -> tuple[str, object]:
    """What scoring a file gives, read whole or only as far as the model needs: the result
    (as its JSON, less the time it was made) or the issues of the error."""
    columns = (lambda t: columns_used(t, model, by=by, weight_column=weight)) if narrowed else None
    try:
        table = read_survey(path, columns=columns)
        result, _ = score_table(table, model, ScoreOptions(bootstrap=15, seed=1, min_group=2), by=by, weight_column=weight)
    except CsiError as e:
        return "error", [(i.code, i.message, i.row, i.column, i.letter, i.value) for i in e.issues]
    out = json.loads(to_json(result))
    del out["manifest"]["created"]
    return "result", out


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(survey=surveys(), options=st.data())
def test_reading_only_the_columns_used_changes_nothing(tmp_path: Path, survey: tuple[str, str, list[str]],
                                                      options: st.DataObject) -> None:
    """csi score reads only the columns the model binds; results and errors are those of reading them all."""
    table, model, headers = survey
    columns = st.sampled_from([h for h in headers if h.strip()] or ["q1"])
    by = options.draw(st.lists(columns, max_size=2, unique=True), label="by")
    weight = options.draw(st.one_of(st.none(), st.none(), columns), label="weight")
    extra = options.draw(st.lists(st.tuples(st.sampled_from(["comments", "pii"]), columns), max_size=2), label="extra")
    model += "".join(f"{key}: [{yaml_value(name)}]\n" for key, name in dict(extra).items())
    path = tmp_path / "fuzz.csv"
    path.write_text(table, encoding="utf-8")
    try:
        m = load_model_text(model)
    except CsiError:
        return
    whole = scored(path, m, by, weight, narrowed=False)
    event(whole[0])
    assert scored(path, m, by, weight, narrowed=True) == whole


@st.composite
def answers(draw: st.DrawFn) -> str:
    """Answers to the fixed questions q1–q3, Q4 and 5、满意度: constant, empty, tiny or junk columns."""
    headers = ["q1", "q2", "q3", "Q4", "5、满意度"]
    constant = draw(st.lists(st.sampled_from(headers), unique=True, max_size=3))
    cells = st.one_of(*[ANSWERS] * 8, st.none(), st.sampled_from(["很好", "N/A", "(跳过)", "x"]))  # degenerate, not junk
    rows = draw(st.lists(st.lists(cells, min_size=5, max_size=5), min_size=1, max_size=30))
    body = [[("5" if h in constant else ("" if c is None else c)) for h, c in zip(headers, row, strict=True)] for row in rows]
    return "\n".join(",".join(r) for r in [headers, *body]) + "\n"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(table=answers(), method=st.sampled_from(METHOD_NAMES), bootstrap_weights=st.booleans(), seed=st.integers(0, 3))
def test_every_weighting_method_on_junk_answers(tmp_path: Path, table: str, method: str, bootstrap_weights: bool,
                                                seed: int) -> None:
    """A valid model over junk answers: the data-driven methods meet constant, empty and tiny columns."""
    path = tmp_path / "fuzz.csv"
    path.write_text(table, encoding="utf-8")
    ahp = "    ahp: [[1, 2], [\"1/2\", 1]]\n" if method == "ahp" else ""
    root, group = (f"method: {method}\n", "") if method == "pls" else ("", f"    method: {method}\n{ahp}")
    model = load_model_text(
        root + "labels: {非常满意: 5, 满意: 4, 一般: 3, 不满意: 2, 非常不满意: 1}\nmissing: [不适用]\n"
        "outcome: {name: o, items: [{id: o1, column: q3}]}\nchildren:\n"
        f"  - id: g\n{group}    children: [{{id: a, column: q1}}, {{id: b, column: q2}}]\n"
        "  - {id: h, children: [{id: c, match: \"^5、\"}, {id: d, column: Q4}]}\n")
    try:
        t = read_survey(path)
        result, _ = score_table(t, model, ScoreOptions(bootstrap=10, seed=seed, bootstrap_weights=bootstrap_weights))
    except CsiError as e:
        event(f"CsiError {e.codes[0]}")
        return
    event("Result")
    check(result)
