"""Verbatim comments beside the weak points: only low raters, personal data masked."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from csi.cli import app
from csi.privacy import mask_text

runner = CliRunner()

MODEL = """
comments: [意见]
children: [{id: a, column: A}, {id: b, column: B}]
"""


def test_comments_of_low_raters_are_quoted_masked(tmp_path):
    """Row 2 rates a 1 (low) and leaves a phone number and an e-mail; row 3 rates a 5 (not
    low); row 4 rates a 2 (low) but says nothing to say (无); row 5 rates a 1 with an ID number."""
    data = tmp_path / "s.csv"
    data.write_text("A,B,意见\n1,5,打 13812345678 或 a.b@example.com 都没人回\n5,5,很好\n2,5,无\n"
                    "1,5,身份证 11010519491231002X 的资料丢了\n", encoding="utf-8")
    model = tmp_path / "m.yaml"
    model.write_text(MODEL, encoding="utf-8")
    r = runner.invoke(app, ["score", str(data), "--model", str(model), "--verbatims", "3", "-B", "20", "--format", "json"])
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    wp = {w["id"]: w for w in doc["weak_points"]}
    assert wp["a"]["verbatims"] == ["打 [电话] 或 [邮箱] 都没人回", "身份证 [证件号] 的资料丢了"]
    assert "13812345678" not in r.stdout and "11010519491231002X" not in r.stdout
    r = runner.invoke(app, ["score", str(data), "--model", str(model), "-B", "20", "--format", "json"])
    assert "verbatims" not in json.loads(r.stdout)["weak_points"][0]  # only on request


def test_mask_text_leaves_ordinary_numbers():
    assert mask_text("等了 3 天，费用 1200 元") == "等了 3 天，费用 1200 元"
    assert mask_text("电话 138-1234-5678") == "电话 [电话]"
