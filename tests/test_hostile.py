"""Hostile inputs, round two (issue 15): files that ask for gigabytes, numbers that overflow,
patterns that backtrack, rows that carry extra cells, answers of 401 digits.

Each case asserts the exit code (2), the one-paragraph message (what is wrong, what would be
valid or which option raises the limit) and that nothing was lost: the input as it was, the
previous report as it was, no temporary file. The memory cases run in a child process under
an address-space limit of 3 GB (``RLIMIT_AS``, as ``prlimit --as=3000000000``): before the
limits of csi.limits each of them took gigabytes, or aborted inside a reader without a word.
Their files are generated (tests/hostile/make_hostile.py), not kept.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from csi.cli import app
from csi.errors import CsiError, ModelError
from csi.limits import Limits, parse_size
from csi.model import load_model_text
from csi.survey.bounds import check_lines
from csi.survey.read import read_survey

runner = CliRunner()
BAD = Path(__file__).parent / "data" / "bad"
HOSTILE = Path(__file__).parent / "hostile"
PREVIOUS = b'{"previous": "report"}\n'
ADDRESS_SPACE = 3_000_000_000


def _make_hostile() -> Any:
    spec = importlib.util.spec_from_file_location("make_hostile", HOSTILE / "make_hostile.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    paths: dict[str, Path] = _make_hostile().write_all(folder)
    for name in ("answers.csv", "model.yaml"):
        (folder / name).write_bytes((BAD / name).read_bytes())
    done = runner.invoke(app, ["score", str(folder / "answers.csv"), "-m", str(folder / "model.yaml"), "-B", "20", "-q",
                               "-o", str(folder / "good.json")])
    assert done.exit_code == 0, done.stderr
    return paths


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def _limited() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


# case → (arguments, with {name} for a generated file or a file of the folder; the code; text the message holds)
MEMORY_CASES: dict[str, tuple[list[str], str, list[str]]] = {
    "whitespace-bomb": (["score", "{whitespace-bomb}"], "file-too-large",
                        ["xl/worksheets/sheet1.xml", "inflates to 3.9 GB", "the limit is 500 MB", "--max-memory"]),
    "forged-size-bomb": (["score", "{forged-size-bomb}"], "file-too-large",
                         ["inflates to more than 500 MB", "--max-memory"]),
    "lying-dimension": (["score", "{lying-dimension}"], "sheet-too-large",
                        ["row 300,000", "60,000,000 cells", "--max-memory"]),
    "wide-header": (["score", "{wide-header}"], "line-too-long", ["wide_header.csv, line 1:", "longer than 1.0 MB"]),
    "long-line": (["score", "{long-line}"], "line-too-long", ["long_line.csv, line 2:", "longer than 1.0 MB"]),
    "bootstrap-1e9": (["score", "{answers.csv}", "-B", "1000000000"], "bootstrap-too-large",
                      ["--bootstrap 1,000,000,000", "GB of memory", "use --bootstrap"]),
    "alias-bomb": (["compare", "{good.json}", "{good.json}", "--benchmark", "{alias-bomb}"], "benchmark-yaml",
                   ["alias_bomb.yaml, line 3", "aliases (*name)", "not allowed"]),
    "deep-result": (["compare", "{good.json}", "{deep-result}"], "result-too-deep", ["deep_result.json", "nested"]),
}


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_AS is Linux's")
@pytest.mark.parametrize("case", list(MEMORY_CASES))
def test_a_file_that_asks_for_gigabytes_is_refused_under_a_3_gb_address_space(hostile: dict[str, Path], case: str) -> None:
    folder = next(iter(hostile.values())).parent
    args, code, says = MEMORY_CASES[case]
    names = {**{k: str(p) for k, p in hostile.items()}, **{p.name: str(p) for p in folder.iterdir()}}
    argv = [names[a[1:-1]] if a.startswith("{") else a for a in args]
    report = folder / f"{case}.json"
    report.write_bytes(PREVIOUS)
    before = _digest(folder)
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("CSI_DEBUG", None)
    done = subprocess.run([sys.executable, "-m", "csi", *argv, "-m", str(folder / "model.yaml"), "-q", "-o", str(report)],
                          capture_output=True, text=True, env=env, timeout=300, preexec_fn=_limited)
    assert done.returncode == 2, done.stderr[-3000:]
    assert done.stderr.startswith("csi: error: ") and done.stderr.count("\n") == 1, done.stderr[-3000:]
    assert "Traceback" not in done.stderr and "memory allocation" not in done.stderr
    for text in says:
        assert text in done.stderr, f"{text!r} not in {done.stderr!r}"
    assert _digest(folder) == before  # inputs and the previous report as they were, no temporary file
    debug = subprocess.run([sys.executable, "-c", _CODES, *argv, "-m", str(folder / "model.yaml"), "-q", "--debug"],
                           capture_output=True, text=True, env=env, timeout=300, preexec_fn=_limited)
    assert debug.stdout.split() == [code], debug.stderr[-3000:]


# The error's codes, as data (--debug lets the CsiError through the command line)
_CODES = """
import sys
from typer.testing import CliRunner
from csi.cli import app
print(*CliRunner().invoke(app, sys.argv[1:]).exception.codes)
"""


def test_every_memory_case_is_generated_and_small_until_written() -> None:
    make = _make_hostile()
    assert set(make.CASES) == {c for c in MEMORY_CASES if c != "bootstrap-1e9"}
    assert make.crc32_combine(0x12345678, 0, 0) == 0x12345678


# -- the limits themselves


def test_the_limits_scale_with_max_memory_and_sizes_parse() -> None:
    assert Limits().sheet_cells == 50_000_000 and Limits().member_bytes == 500_000_000
    assert Limits().columns == 16_384 and Limits().line_bytes == 1_000_000
    big = Limits(memory=parse_size("8G"))
    assert (big.sheet_cells, big.member_bytes, big.columns, big.line_bytes) == (200_000_000, 2_000_000_000, 65_536, 4_000_000)
    for wrong in ("8X", "", "-1G", "10M"):
        with pytest.raises(ValueError):
            parse_size(wrong)


def test_max_memory_raises_the_limits_of_the_readers(tmp_path: Path) -> None:
    # a GB18030 file is read whole, and its lines checked against the limit (a UTF-8 file of
    # rows as wide as its header is parsed by pyarrow in memory proportional to its size)
    path = tmp_path / "long.csv"
    path.write_bytes("id,q1,q2,q3,note\n1,5,4,3,很".encode("gb18030") + b"x" * 5_000_000 + b"\n")
    with pytest.raises(CsiError) as e:
        read_survey(path)
    assert e.value.codes == ["line-too-long"]
    table = read_survey(path, limits=Limits(memory=parse_size("12G")))  # 6 MB lines
    assert len(table.frame) == 1 and len(table.frame["note"].iloc[0]) == 5_000_001
    r = runner.invoke(app, ["score", str(path), "-m", str(BAD / "model.yaml"), "-B", "0", "-q", "--max-memory", "12G"])
    assert r.exit_code == 0, r.stderr


@pytest.mark.parametrize("body, line", [(b"a\n" + b"x" * 2_000_001, 2), (b"x" * 2_000_001 + b"\nb\n", 1),
                                        (b"a\nb\n" + b"y" * 1_000_001 + b"\nc\n", 3), (b"a\n" * 2_000_000, None)])
def test_the_longest_line_is_found_across_pieces(body: bytes, line: int | None) -> None:
    if line is None:
        check_lines(body, "f.csv", Limits())
        return
    with pytest.raises(CsiError) as e:
        check_lines(body, "f.csv", Limits())
    assert e.value.issues[0].line == line


def test_a_normal_export_never_reaches_a_limit() -> None:
    zipped = Path(__file__).parents[1] / "examples" / "accounting_2026Q3.xlsx"
    assert len(read_survey(zipped).frame) > 0


# -- numbers that overflow (item 5)


@pytest.mark.parametrize("key, text", [("target", "target: 1e999"), ("weight", "weight: 1e999"),
                                       ("scale", "scale: {min: 1, max: 1e999}"), ("exponent", "target: 1e9999999")])
def test_a_number_too_large_for_a_float_in_a_model_is_a_model_error(key: str, text: str) -> None:
    yaml_text = f"name: m\n{text}\nchildren:\n  - {{id: a, name: A, column: a}}\n  - {{id: b, name: B, column: b}}\n"
    if key == "weight":
        yaml_text = ("name: m\nchildren:\n  - {id: a, name: A, column: a, weight: 1e999}\n"
                     "  - {id: b, name: B, column: b, weight: 1}\n")
    with pytest.raises(ModelError) as e:
        load_model_text(yaml_text, "m.yaml")  # (1e9999999 would take Fraction 10 s to build)
    assert "too large" in str(e.value) and "Traceback" not in str(e.value)


@pytest.mark.parametrize("entry", ["overall: 1e999", "overall: {score: 50, se: 1e999}", "overall: 1.0e+999"])
def test_a_benchmark_score_that_overflows_is_refused(hostile: dict[str, Path], entry: str, tmp_path: Path) -> None:
    folder = next(iter(hostile.values())).parent
    bench = tmp_path / "bench.yaml"
    bench.write_text(f"scores:\n  {entry}\n")
    r = runner.invoke(app, ["compare", str(folder / "good.json"), str(folder / "good.json"), "--benchmark", str(bench)])
    assert r.exit_code == 2 and "bench.yaml, line 2" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("number", ["1e999", "1e308", "NaN", "-Infinity", "1" * 400])
def test_a_result_json_with_numbers_no_result_holds_is_refused(hostile: dict[str, Path], number: str, tmp_path: Path) -> None:
    folder = next(iter(hostile.values())).parent
    text = (folder / "good.json").read_text(encoding="utf-8")
    doc = json.loads(text)
    score = doc["overall"]["score"]
    hacked = tmp_path / "hacked.json"
    hacked.write_text(text.replace(f'"score": {json.dumps(score)}', f'"score": {number}', 1), encoding="utf-8")
    report = tmp_path / "c.json"
    report.write_bytes(PREVIOUS)
    r = runner.invoke(app, ["compare", str(folder / "good.json"), str(hacked), "-o", str(report), "-o",
                            str(tmp_path / "c.md")])
    assert r.exit_code == 2 and "hacked.json" in r.stderr, r.stderr
    assert "no result written by `csi score`" in r.stderr and "Traceback" not in r.stderr
    assert report.read_bytes() == PREVIOUS and sorted(p.name for p in tmp_path.iterdir()) == ["c.json", "hacked.json"]


def test_respondent_weights_near_the_largest_float_give_the_unweighted_result(tmp_path: Path) -> None:
    rows = ["id,q1,q2,q3,w", "1,5,4,5,1e308", "2,4,4,3,1e308", "3,3,2,1,1e308", "4,5,5,5,1e308", "5,2,3,4,1e308",
            "6,4,4,4,1e308"]
    (tmp_path / "w.csv").write_text("\n".join(rows) + "\n")
    args = ["score", str(tmp_path / "w.csv"), "-m", str(BAD / "model.yaml"), "-B", "50", "-q", "-f", "json"]
    weighted = runner.invoke(app, [*args, "--weight-column", "w"])
    plain = runner.invoke(app, args)
    assert weighted.exit_code == 0 and "RuntimeWarning" not in weighted.stderr, weighted.stderr
    w, p = json.loads(weighted.stdout)["overall"], json.loads(plain.stdout)["overall"]
    # equal weights are no weights: the score of the mean of the rescaled answers, computed here
    answers = [[5, 4, 5], [4, 4, 3], [3, 2, 1], [5, 5, 5], [2, 3, 4], [4, 4, 4]]
    by_hand = sum(sum((x - 1) / 4 * 100 for x in row) / 3 for row in answers) / len(answers)
    assert w["score"] == pytest.approx(by_hand, abs=1e-9) and p["score"] == pytest.approx(by_hand, abs=1e-9)
    assert math.isfinite(w["se"])


def test_a_negative_seed_is_a_usage_error() -> None:
    r = runner.invoke(app, ["score", str(BAD / "answers.csv"), "-m", str(BAD / "model.yaml"), "--seed", "-1"])
    assert r.exit_code == 2 and "--seed" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="closing a descriptor for the child")
def test_a_closed_stdout_with_quiet_and_a_report_exits_0_and_writes_it(tmp_path: Path) -> None:
    out = tmp_path / "x.json"
    base = [sys.executable, "-m", "csi", "score", str(BAD / "answers.csv"), "-m", str(BAD / "model.yaml"), "-B", "10"]
    done = subprocess.run([*base, "-q", "-o", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                          timeout=120, preexec_fn=lambda: os.close(1))
    assert done.returncode == 0 and done.stderr == "" and json.loads(out.read_text())["overall"]["score"] > 0
    json_out = subprocess.run([*base, "-f", "json"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                              timeout=120, preexec_fn=lambda: os.close(1))
    assert json_out.returncode == 2 and "standard output is closed" in json_out.stderr and "Traceback" not in json_out.stderr


# -- smaller ones (item 9)


def test_a_401_digit_answer_is_an_invalid_answer_with_its_text_not_inf(tmp_path: Path) -> None:
    digits = "9" * 401
    for cell in (digits, "-" + digits + ".5"):
        path = tmp_path / "digits.csv"
        path.write_text(f"id,q1,q2,q3\n1,5,4,5\n2,4,4,3\n3,3,{cell},1\n4,5,5,5\n5,2,3,4\n6,4,4,4\n")
        r = runner.invoke(app, ["score", str(path), "-m", str(BAD / "model.yaml"), "-B", "0", "-q", "-f", "json"])
        invalid = json.loads(r.stdout)["data_quality"]["invalid"]
        assert [(i["column"], i["count"], i["rows"]) for i in invalid] == [("q2", 1, [4])]
        assert "inf" not in json.dumps(invalid)
        strict = runner.invoke(app, ["score", str(path), "-m", str(BAD / "model.yaml"), "-B", "0", "-q", "--strict"])
        assert strict.exit_code == 2 and "row 4" in strict.stderr and "inf" not in strict.stderr


def test_a_401_digit_id_column_keeps_its_other_numbers(tmp_path: Path) -> None:
    path = tmp_path / "ids.csv"
    path.write_text("id,q1,q2,q3\n" + "".join(f"{i},5,4,3\n" for i in range(1, 2000)) + "9" * 401 + ",5,4,3\n")
    t = read_survey(path)
    ids = t.frame["id"].tolist()
    assert ids[:3] == [1.0, 2.0, 3.0] and ids[-1] == "9" * 401


@pytest.mark.parametrize("pattern", ["(a+)+$", "(a|aa)+$", "(.*a){20}$", "^(a+\\s?)+$"])
def test_a_backtracking_pattern_takes_no_time_on_a_header_that_almost_matches(tmp_path: Path, pattern: str) -> None:
    # 41 characters: Python's re would try about 2**40 ways for the first three
    header = "a" * 40 + "!"
    path = tmp_path / "redos.csv"
    path.write_text(f"id,q1,q2,{header}\n1,5,4,5\n2,4,4,3\n3,3,2,1\n4,5,5,5\n5,2,3,4\n6,4,4,4\n")
    model = tmp_path / "m.yaml"
    model.write_text((BAD / "model.yaml").read_text(encoding="utf-8").replace(
        "{id: q3, name: Q3, column: q3}", f"{{id: q3, name: Q3, match: {json.dumps(pattern)}}}"), encoding="utf-8")
    r = runner.invoke(app, ["score", str(path), "-m", str(model), "-B", "0", "-q"])
    assert r.exit_code == 2 and "no header matches" in r.stderr and "Traceback" not in r.stderr


def test_a_pattern_that_needs_backtracking_is_refused_saying_why(tmp_path: Path) -> None:
    model = tmp_path / "m.yaml"
    model.write_text((BAD / "model.yaml").read_text(encoding="utf-8").replace(
        "{id: q3, name: Q3, column: q3}", '{id: q3, name: Q3, match: "(?<=q)3"}'), encoding="utf-8")
    r = runner.invoke(app, ["score", str(BAD / "answers.csv"), "-m", str(model), "-B", "0", "-q"])
    assert r.exit_code == 2 and "look-around" in r.stderr and "Traceback" not in r.stderr


def test_unicode_classes_in_patterns_mean_what_they_mean_in_python(tmp_path: Path) -> None:
    import re

    from csi.survey.patterns import search_headers

    headers = ["5、请评价—报税及时性", "Q5 满意度", "１２、全角数字", "a b", "x_y", "[q]"]
    for pattern in (r"^\d+、", r"\w+—\w+", r"^\D", r"\s", r"[\w]+$", r"[^\d]+$", r"\W", r"[]q]", r"\[q\]"):
        assert search_headers(pattern, headers) == [bool(re.search(pattern, h)) for h in headers], pattern


def test_extra_cells_in_a_ragged_row_are_reported_with_their_rows(tmp_path: Path) -> None:
    path = tmp_path / "rag.csv"
    path.write_text("id,q1,q2,q3\n1,5,4,5\n2,4,4,3\n3,3,2,1,\n4,5,5,5\n5,2,3,4,1\n6,4\n7,4,4,4,x,y\n")
    before = path.read_bytes()
    r = runner.invoke(app, ["score", str(path), "-m", str(BAD / "model.yaml"), "-B", "0", "-q"])
    assert r.exit_code == 2 and "rag.csv, row 6: has 5 cells but the header row has 4" in r.stderr
    assert "rows with cells beyond the header: 6, 8" in r.stderr and "quote that cell" in r.stderr
    assert path.read_bytes() == before


def test_a_parquet_file_declaring_too_many_columns_is_refused_before_it_is_read(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "wide.parquet"
    pq.write_table(pa.table({f"c{i}": [1] for i in range(16_385)}), path)
    with pytest.raises(CsiError) as e:
        read_survey(path)
    assert e.value.codes == ["too-many-columns"] and "16,385 columns" in str(e.value)
    assert len(read_survey(path, limits=Limits(memory=parse_size("4G"))).frame.columns) == 16_385
