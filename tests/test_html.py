"""The HTML report: golden pages of the example quarters, a self-contained and well-formed
document, survey text that stays inert, and the page rendered in a real browser (headless
Chromium: it must load without errors, and its screenshot must not be blank)."""

from __future__ import annotations

import csv
import html.parser
import json
import random
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import numpy as np
import pytest
from conftest import EXAMPLES, GOLDEN, check_golden
from typer.testing import CliRunner

from csi.cli import app
from csi.compare import Comparison
from csi.report.html import comparison_to_html, to_html
from csi.result import Result

SCRIPT = "<script>alert(1)</script>"
HYPERLINK = '=HYPERLINK("http://evil.example/","click")'


def golden_result(quarter: str = "Q3") -> Result:
    """The result of the example quarter as the JSON golden keeps it (no timestamps, no paths)."""
    return Result.from_dict(json.loads((GOLDEN / f"score_accounting_2026{quarter}.json").read_text(encoding="utf-8")))


def golden_comparison() -> Comparison:
    return Comparison.from_dict(json.loads((GOLDEN / "compare" / "accounting_2026Q2_Q3.json").read_text(encoding="utf-8")))


# ---------------------------------------------------------------- a survey that tries to attack its readers
HOSTILE_MODEL = """\
name: "Hostile <b>survey</b>"
scale: {min: 1, max: 5}
target: 80
children:
  - id: service
    name: '@SUM(1+1)*cmd|'' /C calc''!A0'
    children:
      - {id: q1, name: '=HYPERLINK("http://evil.example/","click")', column: Q1}
      - {id: q2, name: '<img src=x onerror=alert(2)>', column: Q2}
  - id: product
    name: '+Product'
    children:
      - {id: q3, name: '-Quality', column: Q3}
segments: [team]
comments: [comment]
"""


def hostile_survey(folder: Path) -> tuple[Path, Path]:
    """A plain CSV export and its model: the segment ``<script>alert(1)</script>``, indicator
    labels that start with ``=HYPERLINK(``, ``@`` and ``-``, comments and an invalid answer that
    carry both, so they reach every part of a report (segments, weak points, verbatims, data quality)."""
    rng = random.Random(7)
    teams = [SCRIPT, "=cmd|' /C calc'!A0", "Normal"]
    rows = []
    for i in range(30):
        q = [rng.choice([1, 2, 2, 3, 4]) for _ in range(3)]
        comment = {0: f"{SCRIPT} bad", 1: f"{HYPERLINK} worse", 2: ""}[i % 3]
        rows.append({"id": f"R{i}", "team": teams[i % 3], "Q1": q[0], "Q2": q[1], "Q3": q[2], "comment": comment})
    rows[4]["Q1"] = HYPERLINK
    data = folder / "survey.csv"
    with data.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, ["id", "team", "Q1", "Q2", "Q3", "comment"])
        w.writeheader()
        w.writerows(rows)
    model = folder / "model.yaml"
    model.write_text(HOSTILE_MODEL, encoding="utf-8")
    return data, model


def hostile_result(folder: Path) -> Result:
    from csi.api import score_file
    from csi.scoring import ScoreOptions

    data, model = hostile_survey(folder)
    return score_file(data, model, ScoreOptions(bootstrap=50, seed=0, verbatims=3), by=["team"])


# ---------------------------------------------------------------- reading a page back
class Page(html.parser.HTMLParser):
    """Tags, attributes and text of a page, and whether every element that was opened was closed."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.text: list[str] = []
        self.feed(text)
        self.close()
        if self.stack:
            self.problems.append(f"never closed: {self.stack}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'} at {self.getpos()}")
            if tag in self.stack:
                while self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    @property
    def all_text(self) -> str:
        return "".join(self.text)

    def names(self) -> set[str]:
        return {t for t, _ in self.tags}


def assert_inert(page: str) -> Page:
    """Nothing in the page can run, load or navigate."""
    p = Page(page)
    assert not p.problems, p.problems[:5]
    assert not p.names() & {"script", "iframe", "object", "embed", "img", "link", "base", "form", "input", "frame", "audio", "video"}
    for tag, attrs in p.tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert name not in ("src", "href", "srcset", "action", "formaction", "xlink:href"), (tag, name)
            assert "javascript:" not in (value or "").lower(), (tag, name, value)
    assert "<script" not in page.lower()
    csp = [a for t, a in p.tags if t == "meta" and (a.get("http-equiv") or "").lower() == "content-security-policy"]
    assert csp and "default-src 'none'" in (csp[0].get("content") or "")
    return p


# ---------------------------------------------------------------- golden pages
def test_golden_html_of_the_example_quarter(update_golden: bool):
    check_golden("html/score_accounting_2026Q3.html", to_html(golden_result()), update_golden)


def test_golden_html_of_the_example_comparison(update_golden: bool):
    check_golden("html/compare_accounting_2026Q2_Q3.html", comparison_to_html(golden_comparison()), update_golden)


def test_the_report_is_one_self_contained_well_formed_page():
    for page in (to_html(golden_result()), comparison_to_html(golden_comparison())):
        assert page.startswith("<!DOCTYPE html>\n")
        assert_inert(page)
        # no URL at all: nothing to fetch, nothing to follow
        assert not re.search(r"(?i)\b(?:https?|ftp|file|data):|//[a-z0-9.-]+\.[a-z]{2,}/|url\(|@import", page)
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
        assert "@media print" in page and "@media (max-width:700px)" in page
        assert '"Noto Sans CJK SC"' in page and '"Microsoft YaHei"' in page and '"PingFang SC"' in page


def test_what_the_score_report_shows():
    r = golden_result()
    page = to_html(r)
    text = Page(page).all_text
    for heading in ("客户满意度指数报告", "总体 CSI", "各维度得分", "重要性—表现矩阵（IPA）", "薄弱环节（按损失排序）", "全部维度与指标",
                    "分组: 部门", "分组: 客户类型", "数据质量"):
        assert heading in text, heading
    assert '<html lang="zh-CN">' in page
    o = r.overall
    assert f"{o.score:.1f}" in text and f"{o.ci[0]:.1f}–{o.ci[1]:.1f}" in text
    # every dimension has a bar with its interval's whisker and the target's tick
    dims = [n for n in r.nodes if n.parent is None]
    bars = re.findall(r'<div class="bar"><div class="name">(.*?)<small>.*?<div class="fill (\w+)" style="width:([\d.]+)%"></div>'
                      r'<div class="ci" style="left:([\d.]+)%;width:([\d.]+)%"></div><div class="tgt" style="left:([\d.]+)%"></div>',
                      page.split('id="dimensions"')[1].split("</section>")[0])
    assert [b[0] for b in bars] == [d.name for d in dims]
    for (_, tone, width, left, ci_width, target), d in zip(bars, dims, strict=True):
        assert float(width) == pytest.approx(d.score, abs=0.01)
        assert float(left) == pytest.approx(d.ci[0], abs=0.01)
        assert float(ci_width) == pytest.approx(d.ci[1] - d.ci[0], abs=0.02)
        assert float(target) == 80
        assert tone == ("good" if d.score >= 80 else "near" if d.score >= 70 else "bad")
    # the IPA matrix: one numbered bubble per indicator, its quadrant the weak points' quadrant
    ipa = page.split('id="ipa"')[1].split("</section>")[0]
    items = [n for n in r.nodes if n.kind == "item"]
    assert len(re.findall(r'<g class="pt">', ipa)) == len(items)
    assert ipa.count('class="cross"') == 2
    for wp in r.weak_points:
        assert re.search(rf"<title>\d+\. {re.escape(wp.name)}: {wp.score:.1f}, ", ipa)
    # the weak points, with loss and stability
    weak = page.split('id="weak-points"')[1].split("</section>")[0]
    for wp in r.weak_points:
        assert f"<b>{wp.name}</b>" in weak and f"−{wp.loss:.2f}" in weak and f"{wp.stability * 100:.0f}%" in weak
    # data quality lists the invalid answers with their rows
    quality = page.split('id="quality"')[1].split("</section>")[0]
    for c in r.data_quality["invalid"]:
        assert f"<td>{c['letter']}</td>" in quality


def test_english_headings_and_the_comparison():
    page = to_html(golden_result(), "en")
    text = Page(page).all_text
    assert '<html lang="en">' in page
    for heading in ("Customer Satisfaction Index report", "Scores by dimension", "Importance–performance matrix (IPA)",
                    "Weak points (ranked by loss)", "Data quality"):
        assert heading in text
    c = golden_comparison()
    page = comparison_to_html(c, "en")
    text = Page(page).all_text
    for heading in ("Trend by dimension", "Significant moves", "Scores by period", "Weak points across periods", "Alerts"):
        assert heading in text, heading
    trends = page.split('id="trends"')[1].split("</section>")[0]
    assert trends.count('<svg class="chart trend"') == 1 + sum(1 for n in c.nodes if n.parent is None)
    moves = page.split('id="moves"')[1].split("</section>")[0]
    significant = [n for n in (c.overall, *c.nodes) if n.verdict in ("up", "down")]
    assert significant and all(f"<b>{n.name}</b>" in moves for n in significant)


def test_survey_text_is_escaped_and_inert(tmp_path: Path):
    r = hostile_result(tmp_path)
    assert any(g.value == SCRIPT for g in r.segments[0].groups)
    assert any(wp.verbatims for wp in r.weak_points)
    for page in (to_html(r), to_html(r, "zh")):
        p = assert_inert(page)
        text = p.all_text
        # shown to the reader, as text
        for shown in (SCRIPT, HYPERLINK, "<img src=x onerror=alert(2)>", "Hostile <b>survey</b>"):
            assert shown in text, shown
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "Hostile &lt;b&gt;survey&lt;/b&gt;" in page
    c = Comparison.from_dict(json.loads(json.dumps(_hostile_comparison(r).to_dict())))
    assert_inert(comparison_to_html(c))


def _hostile_comparison(r: Result) -> Comparison:
    from csi.compare import compare_results

    return compare_results([r, r], ["<i>P1</i>", "=P2"], ["a.json", "<b>b</b>.json"], by="team")


# ---------------------------------------------------------------- the command
def test_the_command_writes_html_and_xlsx(tmp_path: Path):
    runner = CliRunner()
    out = [tmp_path / "q3.html", tmp_path / "q3.xlsx"]
    r = runner.invoke(app, ["score", str(EXAMPLES / "accounting_2026Q3.xlsx"), "-B", "50", "-q", "--lang", "en",
                            *sum((["-o", str(p)] for p in out), [])], catch_exceptions=False)
    assert r.exit_code == 0, r.stderr
    assert out[0].read_text(encoding="utf-8").startswith('<!DOCTYPE html>\n<html lang="en">')
    assert out[1].read_bytes()[:2] == b"PK"
    inputs = [str(GOLDEN / f"score_accounting_2026{q}.json") for q in ("Q2", "Q3")]
    r = runner.invoke(app, ["compare", *inputs, "--label", "Q2", "--label", "Q3", "-q", "-o", str(tmp_path / "c.html"),
                            "-o", str(tmp_path / "c.xlsx")], catch_exceptions=False)
    assert r.exit_code == 0, r.stderr
    assert "期间比较" in (tmp_path / "c.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.html", "c.xlsx", "q3.html", "q3.xlsx"]


# ---------------------------------------------------------------- in a real browser
def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def run_chromium(exe: str, page: Path, work: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Headless Chromium on a local file, with a fresh profile and nothing that calls home."""
    profile = Path(work) / f"profile-{len(list(work.glob('profile-*')))}"
    cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--disable-extensions", "--hide-scrollbars", f"--user-data-dir={profile}",
           "--enable-logging=stderr", "--v=0", *args, page.resolve().as_uri()]
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=180, check=False)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def page_errors(stderr: str, page: Path) -> list[str]:
    """Console messages and failed loads of this page (Chromium's own start-up chatter aside)."""
    marks = ("CONSOLE", "Uncaught", "net::ERR_", "Content Security Policy", "Refused to")
    return [line for line in stderr.splitlines() if any(m in line for m in marks) and (page.name in line or "CONSOLE" in line)]


def read_png(path: Path) -> np.ndarray:
    """The pixels (height × width × channels, uint8) of an 8-bit RGB or RGBA PNG, decoded with zlib."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, []
    width = height = channels = 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and interlace == 0 and colour in (2, 6), (depth, colour, interlace)
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat.append(body)
    raw = zlib.decompress(b"".join(idat))
    stride = width * channels
    out = np.zeros((height, stride), dtype=np.uint8)
    prior = np.zeros(stride, dtype=np.uint8)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], np.frombuffer(raw, dtype=np.uint8, count=stride, offset=start + 1)
        if kind == 0:
            row = line.copy()
        elif kind == 1:  # Sub: a running sum along each channel
            row = np.cumsum(line.reshape(width, channels), axis=0, dtype=np.uint8).reshape(stride)
        elif kind == 2:  # Up
            row = line + prior
        else:  # Average, Paeth: each byte depends on the one decoded before it
            row_l, up = bytearray(line.tobytes()), prior.tobytes()
            for x in range(stride):
                a = row_l[x - channels] if x >= channels else 0
                b = up[x]
                if kind == 3:
                    row_l[x] = (row_l[x] + (a + b) // 2) & 0xFF
                else:
                    c = up[x - channels] if x >= channels else 0
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    row_l[x] = (row_l[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
            row = np.frombuffer(bytes(row_l), dtype=np.uint8)
        out[y] = row
        prior = row
    return out.reshape(height, width, channels)


def assert_not_blank(png: Path, palette: dict[str, str]) -> None:
    """Many colours, a good share of ink, and the report's own colours (so the CSS applied)."""
    px = read_png(png)[:, :, :3].astype(np.int32)
    packed = (px[:, :, 0] << 16) | (px[:, :, 1] << 8) | px[:, :, 2]
    assert len(np.unique(packed)) > 200, "too few colours: a blank or unstyled page?"
    ink = (px.min(axis=2) < 200).mean()
    assert ink > 0.03, f"only {ink:.1%} of the screenshot is not near white"
    for name, hexa in palette.items():
        rgb = np.array([int(hexa[i:i + 2], 16) for i in (0, 2, 4)])
        near = (np.abs(px - rgb).sum(axis=2) <= 12).sum()
        assert near > 200, f"the report's {name} colour #{hexa} is (almost) absent: {near} pixels"


@pytest.fixture(scope="module")
def browser() -> str:
    exe = chromium()
    if exe is None:
        pytest.skip("headless Chromium is not installed (Debian: apt-get install chromium fonts-wqy-microhei; .ci/run does this)")
    return exe


def test_the_example_report_in_chromium(browser: str, tmp_path: Path):
    """Screenshots of the example reports (kept under the test's tmp dir, a CI artefact)."""
    runner = CliRunner()
    report = tmp_path / "accounting_2026Q3.html"
    r = runner.invoke(app, ["score", str(EXAMPLES / "accounting_2026Q3.xlsx"), "-B", "200", "--by", "部门", "-q", "-o", str(report)],
                      catch_exceptions=False)
    assert r.exit_code == 0, r.stderr
    compare = tmp_path / "compare_2026Q2_Q3.html"
    compare.write_text(comparison_to_html(golden_comparison()), encoding="utf-8")

    dom = run_chromium(browser, report, tmp_path, "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert not page_errors(dom.stderr, report), page_errors(dom.stderr, report)
    for heading in ("<h1>代理记账服务客户满意度指数</h1>", "各维度得分", "重要性—表现矩阵（IPA）", "薄弱环节（按损失排序）", "数据质量", "分组: 部门"):
        assert heading in dom.stdout, heading
    assert "<script" not in dom.stdout

    shots = []
    for page, name, size in ((report, "report-desktop.png", "1200,2000"), (report, "report-phone.png", "400,2000"),
                             (compare, "compare-desktop.png", "1200,2000")):
        png = tmp_path / name
        run = run_chromium(browser, page, tmp_path, f"--screenshot={png}", f"--window-size={size}")
        assert run.returncode == 0 and png.is_file(), run.stderr[-2000:]
        assert not page_errors(run.stderr, page), page_errors(run.stderr, page)
        shots.append(png)
    assert read_png(shots[0]).shape[:2] == (2000, 1200) and read_png(shots[1]).shape[:2] == (2000, 400)
    tones = {"accent": "23466F", "amber (near the target)": "C98A0B", "red (far below the target)": "C8372D"}
    assert_not_blank(shots[0], tones)
    assert_not_blank(shots[1], tones)
    assert_not_blank(shots[2], {"accent": "23466F"})
    print("screenshots:", *shots, sep="\n  ")


def test_survey_text_stays_inert_in_chromium(browser: str, tmp_path: Path):
    page = tmp_path / "hostile.html"
    page.write_text(to_html(hostile_result(tmp_path)), encoding="utf-8")
    dom = run_chromium(browser, page, tmp_path, "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert not page_errors(dom.stderr, page), page_errors(dom.stderr, page)
    assert "<script" not in dom.stdout and "<img" not in dom.stdout
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom.stdout


def test_headings_are_defined_once():
    """A heading of these reports must not shadow one of the terminal or Markdown reports."""
    from csi.report import compare_report, labels, tables

    assert not set(labels._WORDS) & set(tables._TEXT)
    assert not set(labels._WORDS) & set(compare_report._TEXT)
