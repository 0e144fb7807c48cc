"""The terminal at 60, 80 and 120 columns: golden texts for score, compare and weights, whole
names at 80, numbers never cut, no line wider than the console (csi/report/fit.py)."""

from __future__ import annotations

import json
import re

import pytest
from conftest import EXAMPLES, GOLDEN, check_golden
from rich.cells import cell_len
from rich.console import Console

from csi.compare import Comparison
from csi.model import load_model, resolve_model
from csi.report.compare_report import render_comparison
from csi.report.terminal import render_result, render_weights
from csi.result import Result

WIDTHS = (60, 80, 120)


def console(width: int) -> Console:
    return Console(width=width, record=True, color_system=None, force_terminal=False, highlight=False)


def shown(render, width: int) -> str:
    c = console(width)
    render(c)
    return c.export_text()


@pytest.fixture(scope="module")
def q3_result() -> Result:
    # the golden result of the Q3 example (csi score -B 200 --seed 0, tests/test_cli.py)
    return Result.from_dict(json.loads((GOLDEN / "score_accounting_2026Q3.json").read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def comparison() -> Comparison:
    return Comparison.from_dict(json.loads((GOLDEN / "compare" / "accounting_2026Q2_Q3.json").read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def weights():
    from csi.api import weights_file

    model = resolve_model(None)
    return weights_file(EXAMPLES / "accounting_2026Q3.xlsx", model), {i.id: i.name for i in model.items}


@pytest.fixture(scope="module")
def english():
    from csi.api import score_file
    from csi.options import ScoreOptions

    model = load_model(EXAMPLES / "english" / "model.yaml")
    return score_file(EXAMPLES / "english" / "survey.csv", model, ScoreOptions(bootstrap=100, seed=0)), model


def check_lines(text: str, width: int) -> None:
    """Nothing is cut and nothing runs past the console."""
    for line in text.splitlines():
        assert cell_len(line) <= width, f"{cell_len(line)} cells at width {width}: {line!r}"
        assert "…" not in line, f"a cut cell (\"78.…\"): {line!r}"


@pytest.mark.parametrize("width", WIDTHS)
def test_score_golden(q3_result, width, update_golden):
    text = shown(lambda c: render_result(q3_result, c), width)
    check_lines(text, width)
    check_golden(f"terminal/score_{width}.txt", text, update_golden)


@pytest.mark.parametrize("width", WIDTHS)
def test_compare_golden(comparison, width, update_golden):
    text = shown(lambda c: render_comparison(comparison, c), width)
    check_lines(text, width)
    check_golden(f"terminal/compare_{width}.txt", text, update_golden)


@pytest.mark.parametrize("width", WIDTHS)
def test_weights_golden(weights, width, update_golden):
    result, names = weights
    text = shown(lambda c: render_weights(result, c, "zh", names), width)
    check_lines(text, width)
    check_golden(f"terminal/weights_{width}.txt", text, update_golden)


def _whole(names: list[str], text: str) -> list[str]:
    lines = text.splitlines()
    return [n for n in names if not any(n in line for line in lines)]


def test_no_name_is_cut_at_80(q3_result, comparison, weights, english):
    """Every indicator and dimension name of the examples stands whole on one line at 80
    columns, in score, compare and weights alike."""
    model = resolve_model(None)
    names = [g.name for g in model.groups[1:]] + [i.name for i in model.items]
    assert _whole(names, shown(lambda c: render_result(q3_result, c), 80)) == []
    assert _whole(names, shown(lambda c: render_comparison(comparison, c), 80)) == []
    result, by_id = weights
    assert _whole(names, shown(lambda c: render_weights(result, c, "zh", by_id), 80)) == []
    scored, en_model = english
    en_names = [g.name for g in en_model.groups[1:]] + [i.name for i in en_model.items]
    text = shown(lambda c: render_result(scored, c, "en"), 80)
    check_lines(text, 80)
    assert _whole(en_names, text) == []


def test_narrow_names_wrap_between_words_with_an_indent(q3_result):
    """At 60 a long name wraps; its next line is indented deeper than its first, and an English
    name breaks only at spaces."""
    text = shown(lambda c: render_result(q3_result, c), 60)
    assert "  在线咨询响应时间（分钟）" not in text  # too long for the column at 60: wrapped
    first = next(line for line in text.splitlines() if "在线咨询" in line)
    after = text.splitlines()[text.splitlines().index(first) + 1]
    lead = len(first) - len(first.lstrip(" "))
    assert after.startswith(" " * (lead + 2)) and not after[lead + 2].isspace()


def test_data_quality_lines_break_between_items(q3_result):
    """"行 84" and its value never part: at 80 and 60 the invalid-answer lines break after a
    separator or keep a row number with its label."""
    for width in (60, 80):
        text = shown(lambda c, w=width: render_result(q3_result, c), width)
        part = text[text.index("数据质量"):]
        assert not re.search(r"行\s*\n", part) and not re.search(r"\n\s*\d+：", part)
        assert "行 84：" in part and "'不记得'" in part


SENTENCES = [
    "5. 部门「记账二部」得分 72.0，比其余客户低 5.5 分（Holm p <0.001，样本 133）。",
    "无效答案 1 个，列 U「8、您最近一次致电我们，大约等待多少秒接通？」，行 84：'不记得'",
    "pls: group overall: the path coefficient of relationship is negative (-0.00946358); clipped to 0 (allow_negative)",
    "Top-3 weak points across 7 methods: 电话接通时间（秒） in 5, 沟通频率 in 5; every method agrees on none.",
]


@pytest.mark.parametrize("text", SENTENCES)
def test_wrap_loses_and_merges_nothing(text):
    """At every width from the longest word (plus the indent) to 100, the wrapped lines hold the
    same characters and the same Latin words and numbers as the text, and each line fits (a
    regression: 'Holm p' once came out 'Holmp' when a break moved before a bracket)."""
    from csi.report.fit import tokens, wrap

    words = re.findall(r"[A-Za-z0-9.<>=+-]+", text)
    for width in range(max(cell_len(t.rstrip()) for t in tokens(text)) + 2, 101):
        lines = wrap(text, width, indent="  ")
        assert all(cell_len(line) <= width for line in lines), (width, lines)
        assert "".join(lines).replace(" ", "") == text.replace(" ", ""), (width, lines)
        joined = "".join(line.strip() + ("" if line.endswith(("-", "_", "/")) else " ") for line in lines)
        assert re.findall(r"[A-Za-z0-9.<>=+-]+", joined) == words, (width, lines)


def test_too_narrow_runs_past_the_edge_rather_than_cut(q3_result):
    """At 36 columns the numbers of the node table need more than the console: the table runs
    past the edge, one row a line, every interval whole."""
    text = shown(lambda c: render_result(q3_result, c), 36)
    assert "…" not in text
    row = next(line for line in text.splitlines() if line.startswith("服务质量 "))
    assert "│ 79.8 │" in row and f"{q3_result.nodes[0].ci[0]:.1f}–{q3_result.nodes[0].ci[1]:.1f}" in row
    assert cell_len(row) > 36
