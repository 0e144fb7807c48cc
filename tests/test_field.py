"""Field work: ``csi sample-size`` (Cochran) and ``csi template`` (a data-entry workbook that
reads back through ``csi score``)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import typer
from conftest import EXAMPLES
from openpyxl import load_workbook
from typer.testing import CliRunner

from csi.cli import app as csi_app
from csi.cli.field import sample_size, template
from csi.model import default_model_path, load_model, load_model_text
from csi.report.template import build_template, regex_literal, template_columns
from csi.survey.read import Table, find_column

# the commands as cli.py registers them, with its settings (plain error text, no locals)
app = typer.Typer(rich_markup_mode=None, pretty_exceptions_show_locals=False)
app.command("sample-size")(sample_size)
app.command()(template)

runner = CliRunner()
DEFAULT = str(default_model_path())
ENGLISH = str(EXAMPLES / "english" / "model.yaml")
RATING_ZH = '"非常满意,满意,一般,不满意,非常不满意,不适用,不清楚,N/A"'
RATING_EN = "\"Very satisfied,Satisfied,Neutral,Dissatisfied,Very dissatisfied,Don't know,N/A\""


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


# ---------------------------------------------------------------- sample-size


@pytest.mark.parametrize(
    ("args", "n", "sentence"),
    [
        # docs/methods.md#sample-size (Cochran 1977): ±5 %, 95 %, p = 0.5 → 384.15 → 385; N = 1000 → 277.73 → 278; ±3 % → 1068
        ([], 385, "For ±5.0 % at 95 % confidence (p = 0.5): 385 completed responses."),
        (["--population", "1000"], 278, "For ±5.0 % at 95 % confidence (p = 0.5): 385 completed responses; with a client base of 1 000: 278."),
        (["--margin", "0.03"], 1068, "For ±3.0 % at 95 % confidence (p = 0.5): 1 068 completed responses."),
    ],
)
def test_sample_size_gives_the_cochran_checks(args, n, sentence):
    r = run("sample-size", *args)
    assert r.exit_code == 0 and r.stdout == sentence + "\n" and r.stderr == ""
    doc = json.loads(run("sample-size", *args, "--format", "json").stdout)
    assert doc["solve"] == "n" and doc["n"] == n


def test_sample_size_json_keeps_full_precision():
    doc = json.loads(run("sample-size", "--population", "1000", "-f", "json").stdout)
    # n0 = z² p(1 − p)/e², z = Φ⁻¹(0.975) = 1.959963984540054
    assert doc == {"schema": "csi.sample_size/1", "method": "Cochran 1977", "confidence": 0.95, "p": 0.5, "population": 1000,
                   "solve": "n", "margin": 0.05, "n0": pytest.approx(1.959963984540054**2 * 0.25 / 0.0025, abs=1e-9),
                   "n": 278, "n_without_population": 385}
    assert doc["n0"] == pytest.approx(384.15, abs=0.005)


def test_margin_for_a_given_sample():
    """e = z √(p(1−p)/n) · √((N − n)/(N − 1)); 385 → 0.049945, 278 of 1000 → 0.049967 (stats doctests)."""
    r = run("sample-size", "--n", "278", "--population", "1000")
    assert r.exit_code == 0
    assert r.stdout == "With 278 completed responses at 95 % confidence (p = 0.5): ±5.88 %; with a client base of 1 000: ±5.0 %.\n"
    doc = json.loads(run("sample-size", "--n", "385", "--format", "json").stdout)
    assert doc["solve"] == "margin" and doc["n"] == 385
    assert doc["margin"] == pytest.approx(1.959963984540054 * (0.25 / 385) ** 0.5, abs=1e-12)
    assert doc["margin"] == pytest.approx(0.049945, abs=5e-7) and doc["margin_without_population"] == doc["margin"]
    doc = json.loads(run("sample-size", "--n", "278", "--population", "1000", "--format", "json").stdout)
    assert doc["margin"] == pytest.approx(0.049967, abs=5e-7)
    census = json.loads(run("sample-size", "--n", "40", "--population", "40", "--format", "json").stdout)
    assert census["margin"] == 0.0


def test_inverse_round_trips_and_other_levels():
    e = json.loads(run("sample-size", "--n", "1068", "-f", "json").stdout)["margin"]
    assert 0.0299 < e < 0.03  # 1068 is the first n with e ≤ ±3 %
    doc = json.loads(run("sample-size", "--confidence", "0.99", "--p", "0.3", "--margin", "0.04", "-f", "json").stdout)
    # z = 2.5758293035489 (99 %), n0 = z² · 0.21 / 0.0016 = 870.86 → 871
    assert doc["n0"] == pytest.approx(2.5758293035489**2 * 0.21 / 0.0016, abs=1e-6) and doc["n"] == 871


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--margin", "5"], "for 5 % write --margin 0.05"),
        (["--margin", "0"], "--margin"),
        (["--margin", "-0.05"], "fraction between 0 and 1"),
        (["--confidence", "95"], "for 95 % write --confidence 0.95"),
        (["--confidence", "1"], "--confidence"),
        (["--p", "1"], "--p"),
        (["--n", "2000", "--population", "1000"], "--n must be at most --population"),
        (["--n", "100", "--margin", "0.05"], "not both"),
        (["--population", "0"], "--population"),
        (["--n", "0"], "--n"),
        (["--format", "xml"], "table or json"),
    ],
)
def test_sample_size_bad_inputs_exit_2_with_a_message(args, message):
    r = run("sample-size", *args)
    assert r.exit_code == 2
    assert message in r.stderr and "Traceback" not in r.stderr and r.stdout == ""


# ---------------------------------------------------------------- template: the workbook


def make(tmp_path: Path, model: str, name: str = "t.xlsx") -> Path:
    out = tmp_path / name
    r = run("template", "--model", model, "-o", str(out))
    assert r.exit_code == 0, r.stderr
    assert "wrote" in r.stderr and r.stdout == ""
    return out


def headers_of(path: Path) -> list[str]:
    ws = load_workbook(path)["Responses"]
    return [c.value for c in ws[1]]


def header_table(headers: list[str]) -> Table:
    frame = pd.DataFrame({h: pd.Series(dtype=object) for h in headers})
    return Table(frame, "t.xlsx", "Responses", "plain", 2, None, None, None, (), (), (), "")


def validations(path: Path) -> dict[str, tuple]:
    """Column letter → (type, operator, formula1, formula2) of the data validation on rows 2 and below."""
    ws = load_workbook(path)["Responses"]
    out = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            assert rng.min_row == 2 and rng.max_row == 1_048_576 and rng.min_col == rng.max_col
            letter = rng.coord.split(":")[0].rstrip("0123456789")
            out[letter] = (dv.type, dv.operator, dv.formula1, dv.formula2)
    return out


def letter_of(headers: list[str], header: str) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(headers.index(header) + 1)


def test_default_model_template_binds_every_item(tmp_path):
    path = make(tmp_path, DEFAULT)
    wb = load_workbook(path)
    assert wb.sheetnames == ["Responses", "Questions", "Instructions"]
    ws = wb["Responses"]
    assert ws.max_row == 1 and ws.freeze_panes == "B2"
    headers = headers_of(path)
    model = load_model(DEFAULT)
    table = header_table(headers)
    found = {item.id: find_column(table, column=item.column, match=item.match) for item in model.all_items}
    assert len(set(found.values())) == len(model.all_items)  # one column each
    assert found["accuracy"] == "服务质量—账务处理准确性"  # match: "—账务处理准确性$"
    assert found["phone_wait"] == "8、电话接通时间（秒）"  # column: Q8
    assert found["sat_overall"] == "14、总体满意度" and found["recommend"] == "17、推荐意愿"
    assert headers[0] == "编号"
    for name in (*model.segments, *model.quality.duplicate_by, *model.comments):
        assert find_column(table, column=name) in headers
    rest = set(headers) - set(found.values()) - {"编号"}
    assert rest == {find_column(table, column=n) for n in (*model.segments, *model.quality.duplicate_by, *model.comments)}


def test_default_model_template_validations(tmp_path):
    path = make(tmp_path, DEFAULT)
    headers = headers_of(path)
    dv = validations(path)
    model = load_model(DEFAULT)
    table = header_table(headers)
    for item in model.all_items:
        letter = letter_of(headers, find_column(table, column=item.column, match=item.match))
        if item.type == "metric":
            assert dv[letter] == ("decimal", "greaterThanOrEqual", "0", None), item.id
        elif item.type == "nps":
            assert dv[letter] == ("whole", "between", "0", "10"), item.id
        elif item.scale.max == 10:  # the outcome questions: 1–10, only some points have labels
            assert dv[letter] == ("whole", "between", "1", "10"), item.id
        else:
            assert dv[letter] == ("list", None, RATING_ZH, None), item.id
    assert len(dv) == len(model.all_items)  # id, segments, phone number and comments take anything


def test_default_model_template_texts_are_chinese(tmp_path):
    path = make(tmp_path, DEFAULT)
    wb = load_workbook(path)
    text = "\n".join(str(r[0]) for r in wb["Instructions"].iter_rows(values_only=True) if r[0])
    assert "如何填写" in text and "如何评分" in text and "内置模型" in text
    assert f"csi score {tmp_path / 't.xlsx'} --model {DEFAULT} --preset plain" in text
    assert "“不适用”、“不清楚”、“N/A”" in text and "手机号码：用于识别同一受访者的重复答卷" in text
    questions = list(wb["Questions"].iter_rows(values_only=True))
    assert questions[0][:3] == ("列", "表头", "题目")
    row = next(r for r in questions if r[1] == "服务质量—账务处理准确性")
    assert row[2] == "账务处理准确性" and row[3] == "服务质量" and row[5] == "accuracy"
    assert len(questions) == 1 + len(headers_of(path))
    comment = wb["Responses"]["E1"].comment
    assert comment is not None and "账务处理准确性" in comment.text and "非常满意" in comment.text


def test_english_model_template(tmp_path):
    path = make(tmp_path, ENGLISH)
    headers = headers_of(path)
    assert headers[:3] == ["Respondent ID", "region", "Q1 Product quality"]
    assert "Q10 Likelihood to recommend" in headers  # match: "^Q10 " (anchored at the start)
    dv = validations(path)
    assert dv[letter_of(headers, "Q1 Product quality")] == ("list", None, RATING_EN, None)
    agree = "\"Strongly agree,Agree,Neutral,Disagree,Strongly disagree,Don't know,N/A\""
    assert dv[letter_of(headers, "Q6 It was hard to reach the right person")] == ("list", None, agree, None)
    assert dv[letter_of(headers, "Q9 Overall satisfaction (1-10)")] == ("whole", "between", "1", "10")
    assert dv[letter_of(headers, "Q10 Likelihood to recommend")] == ("whole", "between", "0", "10")
    wb = load_workbook(path)
    text = "\n".join(str(r[0]) for r in wb["Instructions"].iter_rows(values_only=True) if r[0])
    assert "How to fill it in" in text and f"csi score {path} --model {ENGLISH} --preset plain" in text
    assert "reverse-worded" in str([r for r in wb["Questions"].iter_rows(values_only=True) if r[5] == "reachability"])


# ---------------------------------------------------------------- template: the round trip


def fill(path: Path, rows: list[dict[str, object]], out: Path) -> Path:
    """Type answers into a template: one dict per respondent, header → value."""
    wb = load_workbook(path)
    ws = wb["Responses"]
    headers = [c.value for c in ws[1]]
    for r, answers in enumerate(rows, start=2):
        for header, value in answers.items():
            ws.cell(row=r, column=headers.index(header) + 1, value=value)
    wb.save(out)
    return out


def score_json(path: Path, model: str) -> dict:
    r = runner.invoke(csi_app, ["score", str(path), "--model", model, "--preset", "plain", "--format", "json", "-B", "0"],
                      catch_exceptions=False)
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def test_filled_default_template_scores_with_the_plain_preset(tmp_path):
    """Two respondents, worked by hand.

    Respondent 1 answers 非常满意 (100) everywhere but 账务处理准确性, 非常不满意 (0); service
    levels at their best (30 s, 24 h, 5 min → 100); outcome 10 on 1–10 (100); NPS 10.
    Respondent 2 answers 一般 (50) everywhere but 账务处理准确性, 满意 (75); service levels
    half-way (75 s, 48 h, 17.5 min → 50); outcome 5.5 ((5.5 − 1)/9 → 50); NPS 5.

    Every indicator scores 75 except 账务处理准确性, (0 + 75)/2 = 37.5. Its global weight is
    0.25 (服务质量) × 1/4 (four equal indicators) = 0.0625, so
    CSI = 75 − 0.0625 × (75 − 37.5) = 72.65625, whatever the AHP weights of 服务效率.
    """
    path = make(tmp_path, DEFAULT)
    headers = headers_of(path)
    model = load_model(DEFAULT)
    table = header_table(headers)
    col = {item.id: find_column(table, column=item.column, match=item.match) for item in model.all_items}
    best = {"phone_wait": 30, "email_reply": 24, "chat_reply": 5}
    half = {"phone_wait": 75, "email_reply": 48, "chat_reply": 17.5}
    rows = []
    for rid, (label, accuracy, levels, outcome, nps) in enumerate([("非常满意", "非常不满意", best, 10, 10), ("一般", "满意", half, 5.5, 5)], 1):
        row: dict[str, object] = {"编号": rid, "部门": "记账一部", "客户类型": "小规模纳税人", "手机号码": f"1390000000{rid}",
                                  find_column(table, column="Q18"): "电话有时打不通"}
        for item in model.items:
            row[col[item.id]] = levels[item.id] if item.type == "metric" else label
        row[col["accuracy"]] = accuracy
        for item in model.outcome.items:
            row[col[item.id]] = outcome
        row[col["recommend"]] = nps
        rows.append(row)
    doc = score_json(fill(path, rows, tmp_path / "filled.xlsx"), DEFAULT)
    nodes = {n["id"]: n for n in doc["nodes"]}
    assert doc["respondents"]["used"] == 2 and doc["manifest"]["input"]["preset"] == "plain"
    assert nodes["accuracy"]["score"] == pytest.approx(37.5, abs=1e-9)
    assert nodes["phone_wait"]["score"] == pytest.approx(75.0, abs=1e-9) and nodes["chat_reply"]["score"] == pytest.approx(75.0, abs=1e-9)
    assert doc["outcome"]["score"] == pytest.approx(75.0, abs=1e-9)
    assert doc["overall"]["score"] == pytest.approx(72.65625, abs=1e-9)


def test_filled_english_template_scores_with_the_plain_preset(tmp_path):
    """Two respondents on the English example model, worked by hand (1–5: 5 → 100, 4 → 75, …).

    ====================  ======  ======  =====
    item                  R1      R2      mean
    ====================  ======  ======  =====
    quality               100     75      87.5
    reliability           75      75      75
    value                 50      25      37.5     Product  = (87.5 + 75 + 37.5)/3 = 66.667
    friendliness          100     50      75
    expertise             75      –       75       ("Don't know": no answer)
    reachability (rev.)   100     25      62.5     Strongly disagree 1 → 5; Agree 4 → 2
                                                   Service  = (75 + 75 + 62.5)/3 = 70.833
    speed                 75      0       37.5
    accuracy              100     75      87.5     Delivery = (37.5 + 87.5)/2 = 62.5
    ====================  ======  ======  =====

    CSI = 0.4 × 66.667 + 0.35 × 70.833 + 0.25 × 62.5 = 67.0833…
    """
    path = make(tmp_path, ENGLISH)
    q = {h.split(" ")[0]: h for h in headers_of(path) if h.startswith("Q")}
    r1 = {"Q1": "Very satisfied", "Q2": "Satisfied", "Q3": "Neutral", "Q4": "Very satisfied", "Q5": "Satisfied",
          "Q6": "Strongly disagree", "Q7": "Satisfied", "Q8": "Very satisfied", "Q9": 9, "Q10": 10}
    r2 = {"Q1": "Satisfied", "Q2": "Satisfied", "Q3": "Dissatisfied", "Q4": "Neutral", "Q5": "Don't know",
          "Q6": "Agree", "Q7": "Very dissatisfied", "Q8": "Satisfied", "Q9": 4, "Q10": 3}
    rows = [{"Respondent ID": i, "region": "North", **{q[k]: v for k, v in r.items()}} for i, r in enumerate((r1, r2), 1)]
    doc = score_json(fill(path, rows, tmp_path / "filled.xlsx"), ENGLISH)
    nodes = {n["id"]: n for n in doc["nodes"]}
    assert nodes["expertise"]["n"] == 1 and nodes["reachability"]["score"] == pytest.approx(62.5, abs=1e-9)
    expected = 0.4 * (87.5 + 75 + 37.5) / 3 + 0.35 * (75 + 75 + 62.5) / 3 + 0.25 * (37.5 + 87.5) / 2
    assert expected == pytest.approx(67.083333, abs=1e-6)
    assert doc["overall"]["score"] == pytest.approx(expected, abs=1e-9)


# ---------------------------------------------------------------- template: headers the regex must match


def test_regex_literal():
    assert regex_literal("—账务处理准确性$") == ("—账务处理准确性", False, True)
    assert regex_literal(r"^Q3\.\s+Price$") == ("Q3. Price", True, True)
    assert regex_literal(r"\AQ3[:：]x?y{2}\Z") == ("Q3:yy", True, True)
    assert regex_literal("—a.*b$") == ("—ab", False, True)
    for hard in ("(a|b)$", "a|b", r"\bword", "[^x]y", "a{x}", "(?i)abc"):
        assert regex_literal(hard) is None, hard


MODEL = """
name: Tricky
labels: {"Good, mostly": 3, Fair: 2, Poor: 1}
scale: {min: 1, max: 3}
children:
  - id: g
    name: Service
    children:
      - {id: dot, name: Dot, match: "—a\\\\.b$"}
      - {id: start, name: Start, match: "^Q10 "}
      - {id: either, name: Either, match: "(准确|正确)性$"}
      - {id: loose, name: Loose, match: "Spe"}
      - {id: speed, name: Speed, column: "Speed of reply"}
      - {id: formula, name: Formula, column: "=1+1"}
"""


def test_uninvertible_patterns_get_an_explicit_header_and_advice(tmp_path):
    model_path = tmp_path / "m.yaml"
    model_path.write_text(MODEL, encoding="utf-8")
    model = load_model(model_path)
    cols = {c.item.id: c for c in template_columns(model) if c.item is not None}
    assert cols["dot"].header == "Service—a.b" and not cols["dot"].adjust
    assert cols["start"].header == "Q10 Start" and not cols["start"].adjust
    assert cols["either"].header == "Either" and cols["either"].adjust  # alternatives are not inverted
    # "Spe" inverts to "Spe Loose", but it also finds "Speed of reply": headed explicitly
    assert cols["loose"].adjust and cols["speed"].header == "Speed of reply" and not cols["speed"].adjust
    r = run("template", "--model", str(model_path), "-o", str(tmp_path / "t.xlsx"))
    assert r.exit_code == 0
    assert "either (Either): the model's match: '(准确|正确)性$' cannot be given a header of its own" in r.stderr
    assert 'change it in the model to column: "Either"' in r.stderr
    wb = load_workbook(tmp_path / "t.xlsx")
    text = "\n".join(str(r[0]) for r in wb["Instructions"].iter_rows(values_only=True) if r[0])
    assert "Change the model before scoring" in text and 'column: "Either"' in text
    # every binding the model can keep finds its own header
    table = header_table(headers_of(tmp_path / "t.xlsx"))
    for c in cols.values():
        if not c.adjust:
            assert find_column(table, column=c.item.column, match=c.item.match) == c.header
    # a header that looks like a formula stays text
    cell = wb["Responses"].cell(row=1, column=headers_of(tmp_path / "t.xlsx").index("=1+1") + 1)
    assert cell.value == "=1+1" and cell.data_type == "s"


def test_a_list_excel_cannot_hold_inline_goes_to_a_hidden_sheet(tmp_path):
    model_path = tmp_path / "m.yaml"
    model_path.write_text(MODEL, encoding="utf-8")
    path = tmp_path / "t.xlsx"
    path.write_bytes(build_template(load_model(model_path)).data)
    wb = load_workbook(path)
    assert wb.sheetnames == ["Responses", "Questions", "Instructions", "Lists"] and wb["Lists"].sheet_state == "hidden"
    headers = headers_of(path)
    kind, _, formula, _ = validations(path)[letter_of(headers, "Speed of reply")]
    assert kind == "list" and formula == "'Lists'!$A$1:$A$3"
    cells = [c.value for c in wb["Lists"]["A"]]
    assert cells == ["Good, mostly", "Fair", "Poor"]  # the model has no missing answers


def test_segments_margins_and_shared_bindings():
    model = load_model_text("""
name: m
segments: [region]
population: {size: 500, margins: {region: {North: 0.5, South: 0.5}, size: {small: 0.7, large: 0.3}}}
comments: [Q9]
children:
  - {id: a, name: A, column: Q1}
  - {id: b, name: B, column: Q1}
  - {id: c, name: C, column: Q2, type: metric, best: -5, worst: 10}
""")
    cols = template_columns(model)
    assert [(c.header, c.role) for c in cols] == [("Respondent ID", "id"), ("region", "segment"), ("size", "margin"),
                                                  ("1. A", "item"), ("2. C", "item"), ("9. Comments", "comment")]
    assert cols[1].answers.choices == ("North", "South") and cols[2].answers.choices == ("small", "large")
    assert [i.id for i in cols[3].items] == ["a", "b"]  # one column for one binding
    assert cols[4].answers.kind == "decimal" and cols[4].answers.minimum is None  # best below 0: any number


# ---------------------------------------------------------------- template: where it writes


def test_template_never_overwrites_the_model_or_an_existing_file(tmp_path):
    model = tmp_path / "model.xlsx"  # a model file may have any name
    model.write_text(Path(ENGLISH).read_text(encoding="utf-8"), encoding="utf-8")
    before = model.read_bytes()
    r = run("template", "--model", str(model), "-o", str(model))
    assert r.exit_code == 2 and "also an input" in r.stderr and "Traceback" not in r.stderr
    r = run("template", "--model", str(model), "-o", str(model), "--force")
    assert r.exit_code == 2 and model.read_bytes() == before
    out = make(tmp_path, ENGLISH)
    r = run("template", "--model", ENGLISH, "-o", str(out))
    assert r.exit_code == 2 and "--force" in r.stderr
    assert run("template", "--model", ENGLISH, "-o", str(out), "--force").exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.xlsx", "t.xlsx"]  # no temporary files left


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "t.csv"], ".xlsx"),
        (["-o", "missing/t.xlsx"], "--mkdir"),
        (["-o", "t.xlsx", "--model", "nope.yaml"], "nope.yaml"),
    ],
)
def test_template_errors_exit_2(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    r = run("template", *args)
    assert r.exit_code == 2
    assert message in r.stderr and "Traceback" not in r.stderr and r.stdout == ""
    assert list(tmp_path.iterdir()) == []


def test_template_mkdir_and_default_model(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = run("template", "-o", "new/t.xlsx", "--mkdir")
    assert r.exit_code == 0 and (tmp_path / "new" / "t.xlsx").exists()
    assert "csi score new/t.xlsx --preset plain" in r.stderr  # the built-in model needs no --model
