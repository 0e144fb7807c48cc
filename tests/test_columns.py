"""Binding by question number, by the text after it, and by other names (csi/survey/columns.py).

A hand-made sheet numbers its questions in one of the styles below; ``column: Q5`` (or
``Q5_2``, ``第5题``) finds question 5 whichever style the file uses, and the mapping says how.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyreadstat
import pytest
from conftest import EXAMPLES

from csi.api import score_file
from csi.errors import DataError
from csi.model import default_model_path, load_model
from csi.options import ScoreOptions
from csi.survey import read_survey
from csi.survey.binding import bind_columns
from csi.survey.columns import locate_column, question_number, question_part, question_stem

HEADERS = ["序号", "5、速度", "Q6 Ease of ordering", "Q7. Friendliness", "Q8_1 Speed", "Q8_2 Price", "9. 态度",
           "10) 价格", "第11题 总体满意度", "12．服务", "Q13：建议", "2024年满意度", "1.5倍以上"]


@pytest.fixture(scope="module")
def sheet(tmp_path_factory):
    path = tmp_path_factory.mktemp("numbers") / "numbered.csv"
    row = ["1", "5", "4", "3", "2", "1", "5", "4", "3", "2", "好", "5", "1"]
    path.write_text(",".join(HEADERS) + "\n" + ",".join(row) + "\n", encoding="utf-8")
    t = read_survey(path)
    assert t.preset == "plain"
    return t


@pytest.mark.parametrize(("header", "number", "part", "stem"), [
    ("5、速度", 5, None, "速度"),
    ("Q6 Ease of ordering", 6, None, "Ease of ordering"),
    ("Q7. Friendliness", 7, None, "Friendliness"),
    ("Q8_2 Price", 8, "2", "Price"),
    ("Q8_2", 8, "2", ""),
    ("9. 态度", 9, None, "态度"),
    ("10) 价格", 10, None, "价格"),
    ("10）价格", 10, None, "价格"),
    ("第11题 总体满意度", 11, None, "总体满意度"),
    ("第 3 题：服务", 3, None, "服务"),
    ("12．服务", 12, None, "服务"),
    ("Q13：建议", 13, None, "建议"),
    ("2024年满意度", None, None, "2024年满意度"),
    ("1.5倍以上", None, None, "1.5倍以上"),
    ("Quality", None, None, "Quality"),
    ("Q4_Q2_2", None, None, "Q4_Q2_2"),
])
def test_question_number_styles(header, number, part, stem):
    assert (question_number(header), question_part(header), question_stem(header)) == (number, part, stem)


@pytest.mark.parametrize(("spec", "header"), [
    ("Q5", "5、速度"), ("Q6", "Q6 Ease of ordering"), ("Q7", "Q7. Friendliness"), ("Q8_2", "Q8_2 Price"),
    ("Q9", "9. 态度"), ("q10", "10) 价格"), ("Q11", "第11题 总体满意度"), ("第11题", "第11题 总体满意度"),
    ("Q12", "12．服务"), ("Q13", "Q13：建议"),
])
def test_column_finds_each_style_by_question_number(sheet, spec, header):
    found = locate_column(sheet, column=spec)
    assert (found.header, found.how) == (header, "question number")


@pytest.mark.parametrize(("spec", "header", "how"), [
    ("5、速度", "5、速度", "header"),
    ("Ease of ordering", "Q6 Ease of ordering", "text after the number"),
    ("总体满意度", "第11题 总体满意度", "text after the number"),
    ("Price", "Q8_2 Price", "text after the number"),
])
def test_column_by_header_or_by_the_text_after_the_number(sheet, spec, header, how):
    found = locate_column(sheet, column=spec)
    assert (found.header, found.how) == (header, how)


def test_a_matrix_question_by_number_is_ambiguous_and_a_missing_one_says_what_there_is(sheet):
    with pytest.raises(DataError) as e:
        locate_column(sheet, column="Q8")
    assert e.value.codes == ["ambiguous-column"]
    assert "Q8_1 Speed" in e.value.issues[0].message and "Q8_2 Price" in e.value.issues[0].message
    with pytest.raises(DataError) as e:
        locate_column(sheet, column="Q14")
    assert e.value.codes == ["missing-column"]
    assert "numbered 5–13" in e.value.issues[0].message
    with pytest.raises(DataError) as e:
        locate_column(sheet, column="Q8_3")
    assert e.value.codes == ["missing-column"]


def test_match_searches_headers_first(sheet):
    found = locate_column(sheet, match="Price$")
    assert (found.header, found.how) == ("Q8_2 Price", "match: header")


def test_the_built_in_model_scores_a_sav_whose_variable_labels_are_the_headers(tmp_path):
    """The example export saved as SPSS: variables v7, v8 … labelled with the 问卷星 headers
    ("8、您最近一次致电…"). The built-in model's match:, Q8 and 部门 find them by their labels,
    its pii: protects 联系人姓名 and 手机号码 by theirs, and the scores are those of the xlsx."""
    xlsx = EXAMPLES / "accounting_2026Q3.xlsx"
    frame = read_survey(xlsx).frame
    names = [h if re.fullmatch(r"[^\W\d]\w*", h) else f"v{i + 1}" for i, h in enumerate(frame.columns)]
    data = pd.DataFrame({n: [None if isinstance(v, float) and np.isnan(v) else
                             (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)) for v in frame[h]]
                         for n, h in zip(names, frame.columns, strict=True)})
    sav = tmp_path / "accounting.sav"
    pyreadstat.write_sav(data, sav, column_labels=list(frame.columns))
    t = read_survey(sav)
    assert (t.preset, len(t.frame)) == ("wjx", len(frame))
    found = locate_column(t, column="Q8")
    assert (found.header, found.how) == ("v21", "question number (variable label)")
    binding = bind_columns(t, load_model(default_model_path()))
    assert {"v9", "v10"} <= set(binding.pii)  # 3、联系人姓名, 4、手机号码
    assert "variable label" in " ".join(h for h in binding.found_by if h)
    options = ScoreOptions(bootstrap=0, seed=0)
    a, b = score_file(xlsx, options=options), score_file(sav, options=options)
    assert b.overall.n == a.overall.n
    assert b.overall.score == pytest.approx(a.overall.score, abs=1e-9)
