"""``csi compare`` on structural models: the CSI, construct indices and impacts compared across
two periods made from the public ECSI mobile-phone data (examples/ecsi_mobile), checked against
the two results' own figures and a test statistic recomputed here as docs/comparison-schema.md
defines it; one side without a structural model; a changed structural model; every format."""

from __future__ import annotations

import copy
import csv
import dataclasses
import io
import json
import math
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest
from conftest import EXAMPLES

from csi.api import score_export
from csi.compare import Comparison, compare_results
from csi.errors import DataError
from csi.options import ScoreOptions
from csi.report.formats import render
from csi.result import Result

MOBILE = EXAMPLES / "ecsi_mobile"
IMAGE_ITEMS = ["IMAG1", "IMAG2", "IMAG3", "IMAG4", "IMAG5"]


def two_periods(folder, seed=2026):
    """Split the 250 respondents at random (seeded) into two periods of 125; in the second, every
    image answer is one point lower (1 stays 1), so the image construct falls and the rest does
    not move beyond sampling noise."""
    df = pd.read_csv(MOBILE / "survey.csv")
    order = np.random.default_rng(seed).permutation(len(df))
    first, second = df.iloc[order[:125]].copy(), df.iloc[order[125:]].copy()
    second[IMAGE_ITEMS] = (second[IMAGE_ITEMS] - 1).clip(lower=1)
    paths = [folder / "p1.csv", folder / "p2.csv"]
    first.to_csv(paths[0], index=False)
    second.to_csv(paths[1], index=False)
    return paths


@pytest.fixture(scope="module")
def periods(tmp_path_factory):
    paths = two_periods(tmp_path_factory.mktemp("periods"))
    scored = [score_export(p, MOBILE / "model.yaml", ScoreOptions(bootstrap=200, seed=0)) for p in paths]
    return [s.result for s in scored], [s.responses for s in scored]


def holm_by_hand(p):
    """Holm (1979) step-down, written out: sort, multiply the j-th smallest by m − j + 1, running max, cap 1."""
    order = sorted(range(len(p)), key=lambda i: p[i])
    out, running = [0.0] * len(p), 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (len(p) - rank) * p[i]))
        out[i] = running
    return out


def figure(result, kind, cid):
    """(value, se, n) of one structural figure, read straight from a result's own section."""
    st = result.structural
    n = st["settings"]["n"]
    if kind == "csi":
        return st["csi"], st["se"], n
    if kind == "construct":
        c = next(c for c in st["constructs"] if c["id"] == cid)
        return c["index"], c["se"], n
    i = next(i for i in st["impacts"] if i["driver"] == cid)
    return i["impact"], i["se"], n


def test_changes_are_the_two_results_figures_and_the_z_test(periods):
    (a, b), _ = periods
    c = compare_results([a, b], ["P1", "P2"])
    st = c.structural
    assert st is not None and st.satisfaction == "outcome"
    assert [r.id for r in st.constructs] == ["image", "expectation", "quality", "value", "complaints", "loyalty"]
    assert [r.id for r in st.impacts] == ["image", "expectation", "quality", "value"]
    q = NormalDist().inv_cdf(0.975)
    for row in st.rows:
        (s1, se1, n1), (s2, se2, n2) = figure(a, row.kind, row.id), figure(b, row.kind, row.id)
        assert row.scores == (s1, s2) and row.se == (se1, se2) and row.n == (n1, n2) == (125, 125)
        se_delta = math.sqrt(se1**2 + se2**2)
        z = (s2 - s1) / se_delta
        assert row.delta == pytest.approx(s2 - s1, abs=1e-12)
        assert row.se_delta == pytest.approx(se_delta, rel=1e-12)
        assert row.z == pytest.approx(z, rel=1e-12)
        assert row.p == pytest.approx(math.erfc(abs(z) / math.sqrt(2)), rel=1e-12)
        assert row.delta_ci == pytest.approx((s2 - s1 - q * se_delta, s2 - s1 + q * se_delta), rel=1e-12)
    adjusted = holm_by_hand([r.p for r in st.rows])  # the structural rows: one family of their own
    for row, p_adj in zip(st.rows, adjusted, strict=True):
        assert row.p_adj == pytest.approx(p_adj, rel=1e-12)
        assert row.verdict == (("up" if row.delta > 0 else "down") if p_adj < 0.05 else "no_change")
    # the image answers fell one point in P2: about 100/9 points on the 0–100 scale
    image = next(r for r in st.constructs if r.id == "image")
    assert -13 < image.delta < -8 and image.verdict == "down"
    assert next(r for r in st.constructs if r.id == "loyalty").verdict == "no_change"
    # the nodes' Holm family is that of a comparison without the structural rows
    plain = compare_results([dataclasses.replace(a, structural=None), dataclasses.replace(b, structural=None)], ["P1", "P2"])
    assert [n.p_adj for n in c.nodes] == [n.p_adj for n in plain.nodes] and plain.structural is None


def test_standard_error_is_the_spread_of_refits_on_the_drawn_rows(periods):
    # se of the CSI = standard deviation (ddof 1) of the satisfaction index refitted on the rows
    # of each rng.integers(0, n, n) of default_rng(seed) (docs/structural.md, Bootstrap)
    from csi.model import load_model
    from csi.structural import fit_structure, structural_moments

    (a, _), (responses, _) = periods
    model = load_model(MOBILE / "model.yaml")
    st = model.structure
    ids = list(st.ids)
    x = responses.values[:, [responses.item_ids.index(i) for c in st.constructs for i in c.items]]
    sizes = [len(c.items) for c in st.constructs]
    inner = np.zeros((len(ids), len(ids)))
    for s_, t in st.arrows:
        inner[ids.index(t), ids.index(s_)] = 1
    rng = np.random.default_rng(0)
    sat = ids.index("outcome")
    indices = []
    for _ in range(200):
        rows = rng.integers(0, len(x), size=len(x))
        mean, cov, n = structural_moments(x[rows], None)
        indices.append(fit_structure(mean, cov, n, sizes, inner, "path", True, 1e-10).index[sat])
    assert a.structural["se"] == pytest.approx(float(np.std(indices, ddof=1)), rel=1e-9)


def test_a_significant_construct_drop_raises_a_structural_alert(periods):
    (a, b), _ = periods
    c = compare_results([a, b], ["P1", "P2"])
    alerts = [x for x in c.alerts if x.code == "structural-drop"]
    assert [x.node for x in alerts] == [r.id for r in (c.structural.csi, *c.structural.constructs) if r.verdict == "down"]
    assert alerts and alerts[0].node == "image" and "construct index" in alerts[0].message
    assert all("impact" not in x.message for x in alerts)  # impacts measure importance: no alert


def test_one_side_without_a_structural_model_is_said_in_one_line(periods):
    (a, b), _ = periods
    plain = dataclasses.replace(a, structural=None)
    c = compare_results([plain, b], ["P1", "P2"])
    assert c.structural is None
    lines = [w for w in c.warnings if "structural model" in w]
    assert lines == ["P1 has no structural model (paths:): construct indices and impacts are compared only between "
                     "periods that have one (P2)"]
    assert math.isfinite(c.overall.p) and c.overall.verdict is not None  # the rest is compared
    three = compare_results([a, plain, b], ["P1", "P2", "P3"])
    csi = three.structural.csi
    assert csi.present == (True, False, True) and csi.verdict is None and math.isnan(csi.delta)  # P2 → P3 untestable


def test_a_changed_structural_model_is_refused_unless_allowed(periods):
    (a, b), _ = periods
    changed = copy.deepcopy(b.to_dict())
    changed["structural"]["settings"]["scheme"] = "centroid"
    b2 = Result.from_dict(changed)
    with pytest.raises(DataError) as err:
        compare_results([a, b2], ["P1", "P2"])
    assert any("scheme path → centroid" in i.message and i.code == "model-changed" for i in err.value.issues)
    c = compare_results([a, b2], ["P1", "P2"], allow_model_change=True)
    assert any("structural model (paths:) changed from P1 to P2: scheme path → centroid" in d for d in c.model_change.differences)
    assert all(r.verdict is None and math.isnan(r.p) for r in c.structural.rows)
    assert math.isfinite(c.overall.p)  # the tree itself did not change


def test_every_format_shows_the_structural_rows(periods):
    (a, b), _ = periods
    c = compare_results([a, b], ["P1", "P2"])
    doc = json.loads(render("comparison", "json", c))
    assert Comparison.from_dict(doc).structural == c.structural
    assert doc["structural"]["csi"]["kind"] == "csi" and len(doc["structural"]["impacts"]) == 4
    rows = list(csv.DictReader(io.StringIO(render("comparison", "csv", c))))
    struct = [r for r in rows if r["kind"] in ("csi", "construct", "impact")]
    assert [(r["kind"], r["id"]) for r in struct] == [(x.kind, x.id) for x in c.structural.rows]
    for r, x in zip(struct, c.structural.rows, strict=True):
        assert float(r["score_P1"]) == x.scores[0] and float(r["delta"]) == x.delta and float(r["p_adj"]) == x.p_adj
    md = render("comparison", "md", c, "en")
    assert "## Structural model" in md and "| **CSI · 顾客满意 Satisfaction** |" in md and "impact of 感知质量" in md
    html = render("comparison", "html", c, "zh")
    assert 'id="structural"' in html and "感知质量 Perceived quality 的影响" in html
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(render("comparison", "xlsx", c, "en")))["Structural"]
    values = [row for row in ws.iter_rows(min_row=5, values_only=True) if row[0]]
    assert [(v[0], v[2]) for v in values] == [(x.id, x.kind) for x in c.structural.rows]
    assert values[0][3:5] == pytest.approx(c.structural.csi.scores)
    from rich.console import Console

    out = io.StringIO()
    from csi.report.compare_report import render_comparison

    render_comparison(c, Console(file=out, width=140, color_system=None), "en")
    text = out.getvalue()
    assert "Structural model" in text and "impact of 企业形象 Image" in text


def test_without_structural_models_the_comparison_keeps_its_shape(periods):
    (a, b), _ = periods
    c = compare_results([dataclasses.replace(a, structural=None), dataclasses.replace(b, structural=None)], ["P1", "P2"])
    assert "structural" not in c.to_dict() and not [w for w in c.warnings if "structural" in w]


def test_structural_figures_without_standard_errors_are_not_tested(periods):
    (a, b), _ = periods
    older = copy.deepcopy(a.to_dict())
    for entry in [older["structural"], *older["structural"]["constructs"], *older["structural"]["impacts"]]:
        entry.pop("se")  # as a result scored before the structural section had standard errors
    c = compare_results([Result.from_dict(older), b], ["P1", "P2"])
    assert all(r.verdict is None and math.isnan(r.se_delta) for r in c.structural.rows)
    assert "P1: the structural figures have no standard errors (scored by an earlier csi): their changes are not tested" in c.warnings
    assert c.structural.csi.scores == (a.structural["csi"], b.structural["csi"])


def test_the_compare_command_reads_two_structural_results(periods, tmp_path):
    from typer.testing import CliRunner

    from csi.cli import app

    (a, b), _ = periods
    files = []
    for name, r in (("p1.json", a), ("p2.json", b)):
        (tmp_path / name).write_text(json.dumps(r.to_dict(), ensure_ascii=False), encoding="utf-8")
        files.append(str(tmp_path / name))
    out = CliRunner().invoke(app, ["compare", *files, "--format", "json"], catch_exceptions=False)
    assert out.exit_code == 0, out.stdout
    doc = json.loads(out.stdout)
    assert doc["structural"] == compare_results([a, b], ["p1", "p2"]).structural.to_dict()
    assert [x["code"] for x in doc["alerts"]].count("structural-drop") >= 1


def test_key_findings_name_the_structural_csi_and_no_construct_twice(periods):
    """The structural CSI follows the tree's index; a construct that is also a group of the tree
    (image) is one finding, the group's, not two with different numbers."""
    from csi.report.findings import comparison_findings

    (a, b), _ = periods
    c = compare_results([a, b], ["P1", "P2"])
    changes = [f.fields for f in comparison_findings(c) if f.kind == "change"]
    assert [f["id"] for f in changes[:2]] == ["overall", c.structural.csi.id]
    assert changes[1]["delta"] == c.structural.csi.delta and changes[1]["last"] == c.structural.csi.scores[-1]
    image = [f for f in changes if f["id"] == "image"]
    group = next(n for n in c.nodes if n.id == "image")
    assert len(image) == 1 and image[0]["delta"] == group.delta and image[0]["significant"]


def test_a_construct_outside_the_tree_that_moves_is_a_finding(periods):
    """Loyalty is no group of the index tree: when it falls significantly (here set so on the
    comparison's own row), it is a finding; an impact never is."""
    from dataclasses import replace

    from csi.report.findings import comparison_findings

    (a, b), _ = periods
    c = compare_results([a, b], ["P1", "P2"])
    tree = {n.id for n in c.nodes}
    outside = [r.id for r in c.structural.constructs if r.id not in tree]
    assert "loyalty" in outside
    rows = tuple(replace(r, verdict="down", delta=-4.0, p_adj=0.001) if r.id == "loyalty" else r for r in c.structural.constructs)
    impacts = tuple(replace(r, verdict="down", delta=-1.0, p_adj=0.001) for r in c.structural.impacts)
    moved = replace(c, structural=replace(c.structural, constructs=rows, impacts=impacts))
    changes = [f.fields for f in comparison_findings(moved) if f.kind == "change"]
    assert any(f["id"] == "loyalty" and f["delta"] == -4.0 for f in changes)
    assert not any(f["delta"] == -1.0 for f in changes)
