"""No personal data in any output: markers planted in every PII column must never come out.

Two 问卷星 exports (80 respondents of each example quarter) get unique markers: an IP address in
来自IP, a tracking URL in 来源详情, a name in 联系人姓名 and a phone number in 手机号码 (the
default model's ``pii:``), an e-mail address, phone number, IP address and name in the comment
column, a phone number typed into a rating box, and a department and a client type with only
2 respondents (under ``--min-group`` 5). Then every output of ``csi score`` and ``csi compare``
is searched for them: each file format the commands accept (found by asking them, so formats
added later are covered), the terminal table, ``--format`` on stdout, ``--exclusions``, the
output of ``csi weights`` and ``csi validate``, and the error messages of runs that must fail.
Comments are quoted only with ``--verbatims``, and then with contact details masked.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from conftest import EXAMPLES
from typer.testing import CliRunner

from csi.cli import app
from csi.report.write import FORMATS
from csi.survey.read import read_survey

runner = CliRunner()

IP, URL, NAME, PHONE = "203.0.113.", "SJPMARK", "泄露测试者", "1391234"
COMMENT_PHONE, COMMENT_MAIL, COMMENT_IP, COMMENT_NAME = "1397654", "@leak-marker.example", "198.18.7.", "经办人标记"
TYPED_PHONE = "13955556666"
SMALL_DEPT, SMALL_TYPE = "孤岛部门", "孤岛类型"
PII_MARKERS = (IP, URL, NAME, PHONE, TYPED_PHONE)
COMMENT_MARKERS = (COMMENT_PHONE, COMMENT_MAIL, COMMENT_IP, COMMENT_NAME)
SMALL_SEGMENTS = (SMALL_DEPT, SMALL_TYPE)
EVERYTHING = PII_MARKERS + COMMENT_MARKERS + SMALL_SEGMENTS
COMMENT = "18、您对我们的服务还有什么意见或建议？"
RATING = "5、请评价我们的服务质量—账务处理准确性"


def planted(source: Path, target: Path) -> Path:
    frame = read_survey(source).frame.head(80).astype(object)
    for i in range(len(frame)):
        frame.loc[i, "来自IP"] = f"{IP}{i + 1}(测试-测试)"
        frame.loc[i, "来源详情"] = f"https://www.wjx.cn/vm/x.aspx?sojumpparm={URL}{i:04d}"
        frame.loc[i, "3、联系人姓名"] = f"{NAME}{i}"
        frame.loc[i, "4、手机号码"] = f"{PHONE}{i:04d}"
        # every comment rated low enough to be quoted by --verbatims carries all four kinds
        frame.loc[i, COMMENT] = f"请回电 {COMMENT_PHONE}{i:04d} 或写信 li{i}{COMMENT_MAIL}，{COMMENT_NAME}{i}，我的 IP {COMMENT_IP}{i}"
    frame.loc[1, "4、手机号码"] = frame.loc[0, "4、手机号码"]  # a duplicate submission, found by phone number
    frame.loc[3, RATING] = TYPED_PHONE  # a phone number typed into a rating box: an invalid answer
    frame.loc[[5, 6], "2、部门"] = SMALL_DEPT
    frame.loc[[7, 8], "1、客户类型"] = SMALL_TYPE
    frame.to_csv(target, index=False, encoding="utf-8-sig")
    return target


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("privacy")
    files = (planted(EXAMPLES / "accounting_2026Q2.xlsx", folder / "q2.csv"),
             planted(EXAMPLES / "accounting_2026Q3.xlsx", folder / "q3.csv"))
    assert all(leaks(f.read_text(encoding="utf-8-sig")) == list(EVERYTHING) for f in files)  # the search finds them
    return files


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "400")  # the table is searched as printed; nothing cut or wrapped


def text_of(path: Path) -> str:
    """A report as text: every part of an .xlsx (cells, charts, properties), JSON unescaped."""
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as z:
            return "\n".join(z.read(n).decode("utf-8", errors="replace") for n in z.namelist())
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        text += json.dumps(json.loads(text), ensure_ascii=False)
    return text


def leaks(text: str, markers: tuple[str, ...] = EVERYTHING) -> list[str]:
    return [m for m in markers if m in text]


def with_every_format(args: list[str], folder: Path, stem: str) -> tuple[object, list[Path]]:
    """Run with ``-o`` for every format in FORMATS the command accepts; drop the ones it refuses."""
    suffixes = list({fmt: suffix for suffix, fmt in reversed(FORMATS.items())}.values())  # one suffix per format
    while True:
        paths = [folder / f"{stem}{s}" for s in suffixes]
        result = runner.invoke(app, [*args, *sum((["-o", str(p)] for p in paths), [])])
        refused = re.search(r"the suffix '(\.\w+)'", result.stderr) if result.exit_code == 2 else None
        if refused is None:
            break
        suffixes.remove(refused.group(1))
    assert result.exit_code == 0, result.stderr
    assert {".json", ".csv", ".md"} <= set(suffixes)
    return result, paths


def test_no_output_of_score_holds_personal_data_or_a_small_segment(exports, tmp_path):
    _, q3 = exports
    args = ["score", str(q3), "-B", "20", "--exclusions", str(tmp_path / "excluded.csv")]
    result, paths = with_every_format(args, tmp_path, "report")
    assert "记账一部" in result.stdout and leaks(result.stdout + result.stderr) == []  # the terminal table
    for path in [*paths, tmp_path / "excluded.csv"]:
        assert leaks(text_of(path)) == [], path.name
    doc = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert all(s["suppressed"] >= 1 for s in doc["segments"])  # the small groups were there, and suppressed
    assert doc["respondents"]["excluded"]["duplicate"] == 1  # the phone number was used, never shown
    invalid = {c["column"]: c for c in doc["data_quality"]["invalid"]}
    assert invalid[RATING]["values"][0] == "[电话]"
    for fmt in ("json", "csv", "md"):
        out = runner.invoke(app, ["score", str(q3), "-B", "0", "--format", fmt])
        assert out.exit_code == 0 and leaks(out.stdout + out.stderr) == [], fmt


def test_verbatims_quote_comments_with_contact_details_masked(exports, tmp_path):
    _, q3 = exports
    result, paths = with_every_format(["score", str(q3), "-B", "20", "--verbatims", "5"], tmp_path, "quoted")
    doc = json.loads((tmp_path / "quoted.json").read_text(encoding="utf-8"))
    quoted = [q for w in doc["weak_points"] for q in w.get("verbatims", [])]
    assert quoted and all("[电话]" in q and "[邮箱]" in q for q in quoted)  # comments were quoted …
    shown = [result.stdout, *(text_of(p) for p in paths)]
    # … without their phone numbers and e-mail addresses, and nothing of the PII columns
    assert [leaks(t, PII_MARKERS + (COMMENT_PHONE, COMMENT_MAIL) + SMALL_SEGMENTS) for t in shown] == [[]] * len(shown)


def test_verbatims_mask_ip_addresses(exports, tmp_path):
    _, q3 = exports
    out = runner.invoke(app, ["score", str(q3), "-B", "0", "--verbatims", "5", "--format", "json"])
    assert COMMENT_IP not in out.stdout


def test_no_output_of_compare_holds_personal_data_or_a_small_segment(exports, tmp_path):
    q2, q3 = exports
    args = ["compare", str(q2), str(q3), "--by", "部门", "-B", "20"]
    result, paths = with_every_format(args, tmp_path, "comparison")
    assert "记账一部" in result.stdout  # the breakdown is there, without the small department
    assert leaks(result.stdout + result.stderr) == []
    for path in paths:
        assert leaks(text_of(path)) == [], path.name
    out = runner.invoke(app, [*args, "--format", "json"])
    assert out.exit_code == 0 and leaks(out.stdout) == []


@pytest.mark.parametrize("args", [
    ["--strict"],                                # quotes invalid answers: the typed phone number must be masked
    ["--by", "4、手机号码"],                      # a breakdown by personal data is refused, its values unseen
    ["--by", "来自IP"],
    ["--weight-column", "3、联系人姓名"],
    ["--by", "Q99"],                              # a missing column lists headers, never values
])
def test_error_messages_hold_no_personal_data(exports, args):
    _, q3 = exports
    out = runner.invoke(app, ["score", str(q3), "-B", "0", *args])
    assert out.exit_code == 2
    assert out.stderr.startswith("csi: error: ") and "Traceback" not in out.stderr
    assert leaks(out.stdout + out.stderr) == []


def test_comments_on_personal_data_are_refused(exports, tmp_path):
    _, q3 = exports
    model = tmp_path / "m.yaml"
    model.write_text(f'pii: [联系人姓名]\ncomments: [Q3]\nchildren:\n  - {{id: a, match: "{RATING}$"}}\n', encoding="utf-8")
    out = runner.invoke(app, ["score", str(q3), "--model", str(model), "-B", "0", "--verbatims", "3"])
    assert out.exit_code == 2 and "comments 'Q3': a column of personal data" in out.stderr
    assert leaks(out.stdout + out.stderr) == []


def test_an_item_bound_to_personal_data_is_refused_without_quoting_it(exports, tmp_path):
    _, q3 = exports
    model = tmp_path / "m.yaml"
    model.write_text(f'pii: [手机号码]\nchildren:\n  - {{id: a, match: "{RATING}$"}}\n  - {{id: phone, column: 手机号码}}\n',
                     encoding="utf-8")
    out = runner.invoke(app, ["score", str(q3), "--model", str(model), "-B", "0", "--strict"])
    assert out.exit_code == 2 and "pii-column" not in out.stderr and "personal data" in out.stderr
    assert leaks(out.stderr) == []


def test_weights_shows_no_personal_data(exports):
    _, q3 = exports
    out = runner.invoke(app, ["weights", str(q3), "--allow-negative"])  # every method runs (PLS clips a negative weight)
    assert out.exit_code == 0 and "clipped to 0" in out.stdout and leaks(out.stdout + out.stderr) == []


def test_validate_shows_no_personal_data(exports):
    _, q3 = exports
    out = runner.invoke(app, ["validate", str(q3)])
    assert leaks(out.stdout + out.stderr) == []
