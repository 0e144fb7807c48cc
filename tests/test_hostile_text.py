"""Hostile text and silent wrong results (issue 15, items 1, 2, 6, 7, 8): the corpus.

Every case writes its own small export, model or result JSON (below, so the bytes are in
plain sight), runs the command line and checks the exit code, the message and that nothing
was lost: reports that existed before a failing run are byte for byte what they were.

- control characters and bidirectional overrides from a department, a comment, an invalid
  answer, a model name, a node name or a result JSON reach no report raw (the workbook writer
  no longer crashes), and are escaped visibly, one rule for every format (csi/printable.py);
- the Markdown digest shows HTML and links from the data as text;
- the model name in the score CSV is neutralised against formula injection;
- a respondent's own name (their pii: columns) is masked in their comment, in every format;
- an export without a usable answer, a result JSON out of range, ``reverse`` on a metric,
  ``--fail-under nan`` are errors (exit 2); weights and scales at the float limit and negative
  measures give the right numbers.

The terminal itself is checked in a pseudo-terminal (test_no_escape_from_the_data_reaches_a_terminal).
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
import zipfile
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from csi.cli import app
from csi.printable import UNSAFE, json_text, printable

runner = CliRunner()

ESC_CLEAR = "\x1b[2J"
TITLE = "\x1b]0;pwned\x07"
RLO = "\u202e"
UNSAFE_RE = re.compile(f"[{UNSAFE}]")
DEPTS = (f"{ESC_CLEAR}{TITLE}研发部", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[点我](javascript:alert(1))",
         f"财务{RLO}部", "市场\x0b部\x9b31m")
HOSTILE_MODEL = """\
name: "满意度\\x0b调查\\x1b[31m"
scale: {min: 1, max: 5}
missing: ["N/A"]
target: 90
segments: [部门]
comments: [意见]
pii: [姓名]
children:
  - {id: q1, name: "响应\\x07速度", column: q1}
  - {id: q2, name: 服务态度, column: q2}
  - {id: q3, name: 专业能力, column: q3}
"""
OUTPUTS = ("r.json", "r.csv", "r.md", "r.xlsx", "r.html")


def write_csv(path: Path, rows: list[list[object]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def hostile_export(folder: Path) -> tuple[Path, Path]:
    """60 respondents, 10 in each hostile department; every comment carries escapes and the
    respondent's own name; row 5 holds an invalid answer made of escapes."""
    rows: list[list[object]] = [["id", "姓名", "部门", "q1", "q2", "q3", "意见"]]
    for i in range(60):
        name = f"王{'小明晓东'[i % 4]}{i}"
        bad = i == 3
        rows.append([i + 1, name, DEPTS[i % len(DEPTS)], "\x1b[35m坏\x07" if bad else 1 + i % 5, 1 + (i * 3) % 5,
                     1 + (i * 7) % 5, f"{name}说{ESC_CLEAR}太慢{RLO}了\x0c，联系{name}"])
    data = write_csv(folder / "hostile.csv", rows)
    model = folder / "model.yaml"
    model.write_text(HOSTILE_MODEL, encoding="utf-8")
    return data, model


def score(*args: object) -> tuple[int, str, str]:
    r = runner.invoke(app, ["score", *[str(a) for a in args]])
    assert "Traceback" not in r.stdout + r.stderr, r.stderr
    return r.exit_code, r.stdout, r.stderr


def old_reports(folder: Path, names: tuple[str, ...] = OUTPUTS) -> dict[Path, bytes]:
    """Reports from an earlier run, which a failing run must leave as they are."""
    before = {}
    for name in names:
        p = folder / name
        p.write_bytes(f"old report {name}".encode())
        before[p] = p.read_bytes()
    return before


def assert_intact(before: dict[Path, bytes]) -> None:
    for p, content in before.items():
        assert p.read_bytes() == content, f"{p.name} was replaced by a failing run"
    leftovers = [p.name for p in next(iter(before)).parent.iterdir() if p.name.endswith(".tmp")]
    assert not leftovers


def xlsx_texts(path: Path) -> list[str]:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    return [v for ws in wb for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)]


# ------------------------------------------------------------------ the one rule


@pytest.mark.parametrize(("raw", "shown"), [
    ("\x1b[2J", "\\x1b[2J"), ("a\x07b", "a\\x07b"), ("\x0b\x0c", "\\x0b\\x0c"), ("\x00", "\\x00"), ("\x7f", "\\x7f"),
    ("\x9b31m", "\\x9b31m"), ("\x85", "\\x85"), ("a\u202eb\u202c", "a\\u202eb\\u202c"), ("\u2066x\u2069", "\\u2066x\\u2069"),
    ("\ud800", "\\ud800"), ("\ufffe", "\\ufffe"),
    ("tab\tand\nnewline", "tab\tand\nnewline"), ("crlf\r\nend\r", "crlf\nend\n"),
    ("满意 café ½ \u200b\u00a0", "满意 café ½ \u200b\u00a0"),  # printable text, spaces of other widths: kept
])
def test_printable_escapes_what_would_act_and_keeps_the_rest(raw: str, shown: str) -> None:
    assert printable(raw) == shown
    assert printable(shown) == shown  # applied twice, the same


def test_json_text_escapes_in_json_and_reads_back_as_the_same_text() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=300, deadline=None)
    @given(st.text())
    def roundtrip(s: str) -> None:
        text = json_text(json.dumps({"k": s}, ensure_ascii=False))
        assert not UNSAFE_RE.search(text)
        assert json.loads(text) == {"k": s}

    roundtrip()


# ------------------------------------------------------------------ item 1: every report, no crash


def test_control_characters_reach_no_report_raw(tmp_path: Path) -> None:
    data, model = hostile_export(tmp_path)
    outs = [tmp_path / n for n in OUTPUTS]
    code, _, err = score(data, "-m", model, "-B", "20", "--by", "部门", "--min-group", "1", "--verbatims", "3",
                         *[a for p in outs for a in ("-o", p)], "-q")
    assert code == 0, err
    for p in outs:
        if p.suffix == ".xlsx":
            with zipfile.ZipFile(p) as z:
                xml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
            assert not UNSAFE_RE.search(xml), "a raw control character in the workbook"
        else:
            assert not UNSAFE_RE.search(p.read_text(encoding="utf-8")), f"a raw control character in {p.name}"
    cells = xlsx_texts(tmp_path / "r.xlsx")
    assert "满意度\\x0b调查\\x1b[31m" in cells  # the model name, escaped visibly
    assert "响应\\x07速度" in cells  # a node name
    assert any("\\x1b]0;pwned\\x07研发部" in c for c in cells)  # a department
    assert "市场\\x0b部\\x9b31m" in cells
    assert "[姓名]说\\x1b[2J太慢\\u202e了\\x0c，联系[姓名]" in cells  # a comment
    assert any("\\x1b[35m坏\\x07" in c for c in cells)  # the invalid answer
    # JSON keeps the exact text (as JSON escapes), so a result read back is the same
    doc = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert doc["manifest"]["model"]["name"] == "满意度\x0b调查\x1b[31m"
    assert {g["value"] for g in doc["segments"][0]["groups"]} == set(DEPTS)
    md = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "\\\\x1b\\[2J\\\\x1b\\]0;pwned\\\\x07研发部" in md  # visible in the rendered digest as \x1b[2J\x1b]0;pwned\x07


def test_node_names_from_a_result_json_reach_no_workbook_raw(tmp_path: Path) -> None:
    data, model = hostile_export(tmp_path)
    assert score(data, "-m", model, "-B", "0", "--by", "部门", "--min-group", "1", "-q", "-o", tmp_path / "a.json")[0] == 0
    doc = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    doc["nodes"][1]["name"] = "态度\x1b]8;;http://evil.example\x07点我\x1b]8;;\x07\u202e"
    (tmp_path / "b.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    r = runner.invoke(app, ["compare", str(tmp_path / "a.json"), str(tmp_path / "b.json"), "-o", str(tmp_path / "c.xlsx"),
                            "-o", str(tmp_path / "c.md"), "-o", str(tmp_path / "c.csv")])
    assert r.exit_code == 0, r.stderr
    assert "\x1b" not in r.stdout and RLO not in r.stdout
    assert any("\\x1b]8;;http://evil.example\\x07点我" in c for c in xlsx_texts(tmp_path / "c.xlsx"))
    for name in ("c.md", "c.csv"):
        assert not UNSAFE_RE.search((tmp_path / name).read_text(encoding="utf-8-sig"))


def test_every_report_is_rendered_before_the_first_is_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A renderer that fails (here: made to) leaves the reports listed before it untouched."""
    import csi.report.excel

    data, model = hostile_export(tmp_path)
    before = old_reports(tmp_path, ("r.json", "r.md", "r.xlsx"))

    def broken(*args: object, **kwargs: object) -> bytes:
        raise RuntimeError("renderer failed")

    monkeypatch.setattr(csi.report.excel, "to_xlsx", broken)
    r = runner.invoke(app, ["score", str(data), "-m", str(model), "-B", "0", "-q", "-o", str(tmp_path / "r.json"),
                            "-o", str(tmp_path / "r.md"), "-o", str(tmp_path / "r.xlsx")])
    assert r.exit_code != 0 and isinstance(r.exception, RuntimeError)
    assert_intact(before)


# ------------------------------------------------------------------ item 2: terminal, stderr, Markdown


def test_markdown_shows_html_and_links_from_the_data_as_text(tmp_path: Path) -> None:
    data, model = hostile_export(tmp_path)
    code, md, err = score(data, "-m", model, "-B", "0", "--by", "部门", "--min-group", "1", "--verbatims", "3", "-f", "md")
    assert code == 0, err
    for raw in ("<script", "<img", "[点我]"):
        assert raw not in md
    assert not re.search(r"(?<!\\)\]\(javascript:", md)  # no link: its bracket is escaped
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in md
    assert "&lt;img src=x onerror=alert(1)&gt;" in md
    assert "\\[点我\\](javascript:alert(1))" in md  # shown as [点我](javascript:alert(1)), never a link


def test_header_names_in_error_messages_are_escaped(tmp_path: Path) -> None:
    data = write_csv(tmp_path / "h.csv", [["id", f"q1{ESC_CLEAR}{RLO}", "q2", "q3"], [1, 5, 4, 3], [2, 4, 4, 2]])
    model = tmp_path / "m.yaml"
    model.write_text(HOSTILE_MODEL.replace("segments: [部门]\ncomments: [意见]\n", ""), encoding="utf-8")
    before = old_reports(tmp_path, ("r.json",))
    code, out, err = score(data, "-m", model, "-B", "0", "-o", tmp_path / "r.json")
    assert code == 2 and out == ""
    assert err.startswith("csi: error: ") and '"q1\\x1b[2J\\u202e" (B)' in err
    assert not UNSAFE_RE.search(err.replace("\n", ""))
    assert_intact(before)
    r = runner.invoke(app, ["validate", str(data), "-m", str(model)])
    assert r.exit_code == 1 and "q1\\x1b[2J\\u202e" in r.stdout and not UNSAFE_RE.search(r.stdout.replace("\n", ""))


#: rich's own escapes: colours and weights (SGR), erasing the line and moving the cursor for the
#: progress line, hiding and showing the cursor. No other escape may reach the screen.
RICH = re.compile(r"\x1b\[(?:\?25[lh]|[0-9;]*[mKABCDG])")


def run_in_pty(args: list[str], cwd: Path) -> tuple[int, str]:
    """Run ``python -m csi ARGS`` in a pseudo-terminal (so rich sees a terminal and styles its
    output) and return the exit code and everything it wrote to the screen."""
    import pty

    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "160", "LINES": "50", "FORCE_COLOR": "1"}
    env.pop("NO_COLOR", None)
    main, child = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "csi", *args], stdin=child, stdout=child, stderr=child, cwd=cwd, env=env,
                            close_fds=True)
    os.close(child)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # (EIO: the child closed the terminal)
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    return proc.wait(timeout=120), b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_no_escape_from_the_data_reaches_a_terminal(tmp_path: Path) -> None:
    data, model = hostile_export(tmp_path)
    code, screen = run_in_pty(["score", data.name, "-m", model.name, "-B", "0", "--by", "部门", "--min-group", "1",
                               "--verbatims", "3"], tmp_path)
    assert code == 0, screen
    assert re.search(r"\x1b\[[0-9;]*m", screen), "rich did not style its output: the terminal was not seen as one"
    plain = RICH.sub("", screen)
    assert "\x1b" not in plain and "\x07" not in plain and "\x9b" not in plain and RLO not in plain
    assert "\\x1b[2J\\x1b]0;pwned\\x07研发部" in plain  # the department, visibly escaped
    assert "太慢\\u202e了" in plain  # a comment
    assert "\\x1b[35m坏\\x07" in plain and "\x1b[35m坏" not in screen  # an invalid answer (an SGR, as rich's own are)
    # and an error message: a header made of escapes, echoed on stderr
    bad = write_csv(tmp_path / "h.csv", [["id", f"q{ESC_CLEAR}{TITLE}", "q2", "q3"], [1, 5, 4, 3]])
    code, screen = run_in_pty(["score", bad.name, "-m", model.name, "-B", "0"], tmp_path)
    assert code == 2 and "csi: error:" in screen
    assert "\x1b" not in RICH.sub("", screen) and "\x07" not in screen


# ------------------------------------------------------------------ item 7: formula injection in the score CSV


def test_the_model_name_in_the_score_csv_cannot_be_a_formula(tmp_path: Path) -> None:
    data, model = hostile_export(tmp_path)
    model.write_text(HOSTILE_MODEL.replace('name: "满意度\\x0b调查\\x1b[31m"', 'name: \'=HYPERLINK("http://evil.example","点我")\''),
                     encoding="utf-8")
    code, out, err = score(data, "-m", model, "-B", "0", "-f", "csv", "-o", tmp_path / "r.csv")
    assert code == 0, err
    for text in (out, (tmp_path / "r.csv").read_text(encoding="utf-8-sig")):
        overall = next(csv.reader(text.splitlines()[1:2]))
        assert overall[:2] == ["overall", "'=HYPERLINK(\"http://evil.example\",\"点我\")"]
        assert not any(cell.startswith(("=", "+", "-", "@")) for row in csv.reader(text.splitlines()) for cell in row[1:2])


# ------------------------------------------------------------------ item 8: a respondent's own name


def test_a_respondents_own_name_is_masked_in_every_format(tmp_path: Path) -> None:
    rows: list[list[object]] = [["id", "姓名", "q1", "q2", "q3", "意见"]]
    for i in range(12):
        own = f"欧阳{'娜静'[i % 2]}{'甲乙丙丁戊己庚辛壬癸子丑'[i]}"  # 4 characters: 欧阳 + given name
        rows.append([i + 1, own, 1, 2, 1, f"{own}反馈：报税太慢，请回电{own[1:]}；Jane Doe 也这么说"])
    rows[1][1] = "Jane Doe"
    rows[1][5] = "Call jane  DOE back, ask for Jane; Janet is someone else"
    data = write_csv(tmp_path / "n.csv", rows)
    model = tmp_path / "m.yaml"
    model.write_text(HOSTILE_MODEL.replace("segments: [部门]\n", ""), encoding="utf-8")
    outs = [tmp_path / n for n in OUTPUTS]
    code, screen, err = score(data, "-m", model, "-B", "0", "--verbatims", "20", *[a for p in outs for a in ("-o", p)])
    assert code == 0, err
    texts = {"terminal": screen, **{p.name: "\n".join(xlsx_texts(p)) if p.suffix == ".xlsx" else p.read_text(encoding="utf-8-sig")
                                    for p in outs}}
    quotes = json.loads(texts["r.json"])["weak_points"][0]["verbatims"]
    assert "Call [姓名] back, ask for [姓名]; Janet is someone else" in quotes  # case and spaces ignored, words of 3+ letters
    assert any(q.startswith("[姓名]反馈：报税太慢，请回电[姓名]；Jane Doe 也这么说") for q in quotes)  # another's name is not theirs
    for where, text in texts.items():
        for i in range(1, 12):
            assert rows[i + 1][1] not in text, f"{rows[i + 1][1]} in {where}"
        if where != "r.csv":  # (the CSV has no comments)
            assert ("\\[姓名\\]" if where == "r.md" else "[姓名]") in text, where


# ------------------------------------------------------------------ item 6: silent wrong results


def test_an_export_without_a_usable_answer_is_an_error(tmp_path: Path) -> None:
    data = write_csv(tmp_path / "e.csv", [["id", "q1", "q2", "q3"], [1, "N/A", "", "N/A"], [2, "", "N/A", ""], [3, "N/A", "N/A", "N/A"]])
    model = tmp_path / "m.yaml"
    model.write_text(HOSTILE_MODEL.replace("segments: [部门]\ncomments: [意见]\n", ""), encoding="utf-8")
    before = old_reports(tmp_path)
    code, out, err = score(data, "-m", model, "-B", "0", "--fail-under", "50", *[a for n in OUTPUTS for a in ("-o", tmp_path / n)])
    assert code == 2 and out == ""
    assert "e.csv: no usable answers: 3 rows read, and every answer to the model's questions is blank or a missing code " \
           "('N/A')" in err
    assert_intact(before)
    r = runner.invoke(app, ["compare", str(data), str(data), "-m", str(model), "-B", "0"])
    assert r.exit_code == 2 and "no usable answers" in r.stderr


def test_an_export_whose_every_row_is_excluded_is_an_error(tmp_path: Path) -> None:
    """Answers there are, but the data-quality rules set every row aside: the message says which rules."""
    data = write_csv(tmp_path / "x.csv", [["id", "q1", "q2", "q3"], [1, 5, 5, ""], [2, 4, "", 4]])
    model = tmp_path / "m.yaml"
    model.write_text(HOSTILE_MODEL.replace("segments: [部门]\ncomments: [意见]\n", "quality: {min_answered: 1.0}\n")
                     .replace("pii: [姓名]\n", ""), encoding="utf-8")
    before = old_reports(tmp_path, ("r.json",))
    code, out, err = score(data, "-m", model, "-B", "0", "-o", tmp_path / "r.json")
    assert code == 2 and out == ""
    assert "x.csv: no usable answers: 2 rows read, every one excluded (incomplete 2) by the data-quality rules; check the " \
           "model's quality: settings" in err
    assert_intact(before)


@pytest.mark.parametrize("option", ["--fail-under", "--target", "--confidence"])
@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_a_threshold_that_is_not_a_number_is_refused(tmp_path: Path, option: str, value: str) -> None:
    data, model = hostile_export(tmp_path)
    before = old_reports(tmp_path, ("r.json",))
    code, out, err = score(data, "-m", model, "-B", "0", option, value, "-o", tmp_path / "r.json")
    assert code == 2 and out == "" and f"Invalid value for '{option}'" in err
    assert_intact(before)


def model_with(tmp_path: Path, children: str, scale: str = "{min: 1, max: 5}") -> Path:
    model = tmp_path / "m.yaml"
    model.write_text(f"name: x\nscale: {scale}\nchildren:\n{children}", encoding="utf-8")
    return model


def overall_and_items(data: Path, model: Path) -> tuple[float, dict[str, float]]:
    code, out, err = score(data, "-m", model, "-B", "0", "-f", "json")
    assert code == 0, err
    doc = json.loads(out)
    return doc["overall"]["score"], {n["id"]: n["score"] for n in doc["nodes"]}


ANSWERS = [[1, 5, 4, 3], [2, 4, 4, 2], [3, 3, 5, 1], [4, 2, 2, 2], [5, 1, 3, 5]]


def test_weights_at_the_float_limit_weigh_as_their_ratios(tmp_path: Path) -> None:
    data = write_csv(tmp_path / "d.csv", [["id", "q1", "q2", "q3"], *ANSWERS])
    items = "".join(f"  - {{id: q{j}, name: Q{j}, column: q{j}, weight: {w}}}\n" for j, w in ((1, "1e308"), (2, "1e308"), (3, "1.7e308")))
    overall, scores = overall_and_items(data, model_with(tmp_path, items))
    # independent: pandas means of (x − 1) / 4 × 100, weighted 1 : 1 : 1.7
    means = (pd.DataFrame(ANSWERS, columns=["id", "q1", "q2", "q3"])[["q1", "q2", "q3"]] - 1).mean() / 4 * 100
    assert scores == pytest.approx(means.to_dict(), abs=1e-9)
    assert overall == pytest.approx((means["q1"] + means["q2"] + 1.7 * means["q3"]) / 3.7, abs=1e-9)
    assert 0 < overall < 100


@pytest.mark.parametrize(("lo", "hi"), [("-1e308", "1e308"), ("-1.7e308", "1.7e308"), ("1", "1.7e308"), ("-1.7e308", "5")])
def test_a_scale_at_the_float_limit_rescales_without_overflow(tmp_path: Path, lo: str, hi: str) -> None:
    data = write_csv(tmp_path / "d.csv", [["id", "q1", "q2", "q3"], *ANSWERS])
    items = "".join(f"  - {{id: q{j}, name: Q{j}, column: q{j}}}\n" for j in (1, 2, 3))
    items += "  - {id: q4, name: Q4, column: q1, reverse: true}\n"
    _, scores = overall_and_items(data, model_with(tmp_path, items, f"{{min: {lo}, max: {hi}}}"))
    # independent: the exact rational (x − min) / (max − min) × 100, as a float
    a, b = Fraction(float(lo)), Fraction(float(hi))
    for j in (1, 2, 3):
        column = [Fraction(row[j]) for row in ANSWERS]
        assert scores[f"q{j}"] == pytest.approx(float(sum((x - a) / (b - a) * 100 for x in column) / len(column)), rel=1e-12, abs=1e-12)
    assert scores["q4"] == pytest.approx(100 - scores["q1"], abs=1e-9)


def test_a_metric_with_best_and_worst_at_the_float_limit(tmp_path: Path) -> None:
    data = write_csv(tmp_path / "d.csv", [["id", "t"], [1, "-1e308"], [2, "0"], [3, "1e308"], [4, "1.5e308"]])
    _, scores = overall_and_items(data, model_with(tmp_path, "  - {id: t, name: T, column: t, type: metric, best: -1.7e308, worst: 1.7e308}\n"))
    expected = [float((Fraction(1.7e308) - Fraction(v)) / (Fraction(1.7e308) - Fraction(-1.7e308))) * 100 for v in (-1e308, 0, 1e308, 1.5e308)]
    assert scores["t"] == pytest.approx(sum(expected) / 4, rel=1e-12)


def test_negative_measures_of_a_time_are_invalid(tmp_path: Path) -> None:
    data = write_csv(tmp_path / "d.csv", [["id", "wait"], [1, 30], [2, -60], [3, 90], [4, "-5"], [5, 60]])
    model = model_with(tmp_path, "  - {id: wait, name: 等待秒数, column: wait, type: metric, best: 30, worst: 120}\n")
    code, out, err = score(data, "-m", model, "-B", "0", "-f", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["data_quality"]["invalid"] == [{"item": "wait", "column": "wait", "letter": "B", "count": 2, "rows": [3, 5],
                                               "values": ["-60", "-5"]}]
    # independent: 30 s scores 100, 90 s (120 − 90) / 90 × 100, 60 s (120 − 60) / 90 × 100; the negative ones are left out
    assert doc["overall"]["score"] == pytest.approx((100 + 30 / 90 * 100 + 60 / 90 * 100) / 3, abs=1e-9)
    assert doc["overall"]["n"] == 3


def test_a_measure_that_may_be_negative_keeps_its_negative_answers(tmp_path: Path) -> None:
    """A change or a temperature: best or worst below 0, so negative answers are answers."""
    data = write_csv(tmp_path / "d.csv", [["id", "delta"], [1, -10], [2, 0], [3, 10]])
    model = model_with(tmp_path, "  - {id: delta, name: Δ, column: delta, type: metric, best: 10, worst: -10}\n")
    overall, _ = overall_and_items(data, model)
    assert overall == pytest.approx(50.0, abs=1e-9)


def test_reverse_on_a_metric_item_is_refused(tmp_path: Path) -> None:
    data = write_csv(tmp_path / "d.csv", [["id", "t"], [1, 30]])
    model = model_with(tmp_path, "  - {id: t, name: T, column: t, type: metric, best: 30, worst: 120, reverse: true}\n")
    before = old_reports(tmp_path, ("r.json",))
    code, out, err = score(data, "-m", model, "-B", "0", "-o", tmp_path / "r.json")
    assert code == 2 and out == ""
    assert "m.yaml, line 4, children[0].reverse: reverse belongs to rating items; a metric item's direction is set by best and " \
           "worst (to reverse it, swap them)" in err
    assert_intact(before)


# ------------------------------------------------------------------ item 6: result JSON read by compare


@pytest.fixture(scope="module")
def good_result(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("result")
    data, model = hostile_export(folder)
    code, out, err = score(data, "-m", model, "-B", "30", "--by", "部门", "--min-group", "1", "-f", "json")
    assert code == 0, err
    return json.loads(out)


def _set(doc: dict, path: str, value: object) -> dict:
    doc = json.loads(json.dumps(doc))
    *parents, last = re.findall(r"[^.\[\]]+", path)
    node = doc
    for key in parents:
        node = node[int(key)] if key.isdigit() else node[key]
    node[int(last) if last.isdigit() else last] = value
    return doc


@pytest.mark.parametrize(("path", "value", "says"), [
    ("overall.score", -50, "overall.score: expected a score from 0 to 100, got -50"),
    ("overall.se", -1, "overall.se: expected a standard error of 0 or more, got -1"),
    ("overall.score", True, "overall.score: expected a score from 0 to 100, got true"),
    ("nodes.1.se", "0.5", 'nodes[1].se: expected a standard error of 0 or more, got "0.5"'),
    ("nodes.2.ci", [80, 70], "nodes[2].ci: expected a low bound no greater than the high bound, got [80, 70]"),
    ("nodes.2.n", 2.5, "nodes[2].n: expected a count (a whole number, 0 or more), got 2.5"),
    ("nodes.2.n", -3, "nodes[2].n: expected a count (a whole number, 0 or more), got -3"),
    ("nodes.1.weight", 7, "nodes[1].weight: expected a weight from 0 to 1, got 7"),
    ("nodes.1.parent", "nowhere", 'nodes[1].parent: expected null or the id of another node, got "nowhere"'),
    ("nodes.1.id", "q1", 'nodes[1].id: expected an id no other node has, got "q1"'),
    ("nodes.1.name", {"x": 1}, 'nodes[1].name: expected a text, got {"x": 1}'),
    ("weak_points.0.loss", -4, "weak_points[0].loss: expected a loss from 0 to 100, got -4"),
    ("segments.0.groups.0.vs_rest.p_adj", 2, "segments[0].groups[0].vs_rest.p_adj: expected a p-value from 0 to 1, got 2"),
    ("segments.0.groups.0.overall.score", None, "segments[0].groups[0].overall.score: expected a score from 0 to 100, got null"),
    ("nps", {"score": 150}, "nps.score: expected an NPS from -100 to 100, got 150"),
    ("warnings", "x", 'warnings: expected a list, got "x"'),
    ("manifest.model", "str", 'manifest.model: expected an object, got "str"'),
    ("manifest.options", [1], "manifest.options: expected an object, got [1]"),
    ("manifest.model.sha256", 5, "manifest.model.sha256: expected a text, got 5"),
    ("manifest.input", "x", 'manifest.input: expected an object, got "x"'),
])
def test_a_result_json_out_of_range_is_refused(tmp_path: Path, good_result: dict, path: str, value: object, says: str) -> None:
    assert good_result["weak_points"] and good_result["segments"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(_set(good_result, path, value), ensure_ascii=False), encoding="utf-8")
    good = tmp_path / "good.json"
    good.write_text(json.dumps(good_result, ensure_ascii=False), encoding="utf-8")
    before = old_reports(tmp_path, ("c.json", "c.md"))
    r = runner.invoke(app, ["compare", str(good), str(bad), "-o", str(tmp_path / "c.json"), "-o", str(tmp_path / "c.md")])
    assert r.exit_code == 2 and r.stdout == "" and "Traceback" not in r.stderr
    assert r.stderr.startswith("csi: error: ") and f"bad.json, {says}" in r.stderr
    assert_intact(before)


@pytest.mark.parametrize("literal", ["1e999", "-1e999", "NaN", "1e308"])
def test_a_result_json_with_a_number_json_cannot_hold_is_refused(tmp_path: Path, good_result: dict, literal: str) -> None:
    """Refused as the file is parsed, naming the number (csi.survey.results): non-finite numbers,
    and numbers no result holds whose squares would overflow when compared."""
    text = json.dumps(_set(good_result, "overall.score", 12345.5)).replace("12345.5", literal)
    bad = tmp_path / "bad.json"
    bad.write_text(text, encoding="utf-8")
    r = runner.invoke(app, ["compare", str(bad), str(bad)])
    assert r.exit_code == 2 and f"bad.json: holds the number {literal}, which no result written by `csi score` holds" in r.stderr


@pytest.mark.parametrize("depth", [33, 2_000, 100_000])
def test_a_result_json_nested_too_deep_is_refused(tmp_path: Path, good_result: dict, depth: int) -> None:
    text = json.dumps(good_result)[:-1] + ', "extra": ' + "[" * depth + "]" * depth + "}"
    bad = tmp_path / "deep.json"
    bad.write_text(text, encoding="utf-8")
    before = old_reports(tmp_path, ("c.json",))
    r = runner.invoke(app, ["compare", str(bad), str(bad), "-o", str(tmp_path / "c.json")])
    assert r.exit_code == 2 and "Traceback" not in r.stderr
    assert "deep.json: nested more than 32 levels deep; a result written by `csi score` has 8" in r.stderr
    assert_intact(before)


def test_a_result_json_as_written_is_accepted_with_its_hostile_text(tmp_path: Path, good_result: dict) -> None:
    """The exact text survives the round trip (as JSON escapes) and compares with itself."""
    good = tmp_path / "good.json"
    good.write_text(json.dumps(good_result, ensure_ascii=False), encoding="utf-8")
    r = runner.invoke(app, ["compare", str(good), str(good), "--by", "部门", "--min-group", "1", "-f", "json"])
    assert r.exit_code == 0, r.stderr
    assert not UNSAFE_RE.search(r.stdout)
    doc = json.loads(r.stdout)
    assert {v["value"] for v in doc["segments"][0]["values"]} == set(DEPTS)
    assert doc["overall"]["scores"] == [good_result["overall"]["score"]] * 2


def test_a_template_from_a_model_with_control_characters(tmp_path: Path) -> None:
    """``csi template`` writes the model's names into a workbook too: escaped, not a crash."""
    model = tmp_path / "m.yaml"
    model.write_text(HOSTILE_MODEL, encoding="utf-8")
    before = old_reports(tmp_path, ("r.json",))
    r = runner.invoke(app, ["template", "-m", str(model), "-o", str(tmp_path / "t.xlsx")])
    assert r.exit_code == 0, r.stderr
    cells = xlsx_texts(tmp_path / "t.xlsx")
    assert any("响应\\x07速度" in c for c in cells)
    assert not any(UNSAFE_RE.search(c) for c in cells)
    assert_intact(before)


def test_printable_leaves_nothing_unsafe_and_changes_only_what_it_must() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=500, deadline=None)
    @given(st.text())
    def check(s: str) -> None:
        shown = printable(s)
        assert not UNSAFE_RE.search(shown) and "\r" not in shown
        assert printable(shown) == shown
        if not UNSAFE_RE.search(s) and "\r" not in s:
            assert shown == s

    check()
