"""Real exports (tests/data/exports/real, sources and licences in its README.md).

Each file is read with the preset ``exports.yaml`` names and gives the number of respondents
and the rating columns written there — worked out by reading the files by hand, and the
respondent count checked again here against the raw rows (Python's csv module, pyreadstat).
A second header row never counts as a respondent, not even under ``--preset plain``.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import fastexcel
import numpy as np
import pyreadstat
import pytest
import yaml
from typer.testing import CliRunner

from csi.cli import app
from csi.model import load_model_text
from csi.survey import read_survey
from csi.survey.columns import locate_column
from csi.survey.prepare import prepare

REAL = Path(__file__).parent / "data" / "exports" / "real"
ENTRIES = yaml.safe_load((REAL / "exports.yaml").read_text(encoding="utf-8"))
CSV_FILES = [e for e in ENTRIES if e["file"].endswith(".csv")]
#: header rows above the data of each Qualtrics layout, as its documentation and the files show
HEADER_ROWS = {"qualtrics2016_": 3, "qualtrics_sample": 3, "projoint_": 3, "qualtrics_legacy": 2, "fivethirtyeight_": 2,
               "reportgen_": 1}


def header_rows(name: str) -> int:
    return next(n for prefix, n in HEADER_ROWS.items() if Path(name).name.startswith(prefix))


def raw_rows(entry: dict) -> int:
    """Data rows of a file counted without csi: csv rows below the header rows, SPSS cases
    that hold at least one value (pyreadstat applies the declared missing values), or rows of
    an Excel sheet below its header rows that hold a value (fastexcel, no header row taken)."""
    path = REAL / entry["file"]
    if path.suffix == ".sav":
        frame, _ = pyreadstat.read_sav(path)
        return int((frame.notna() & (frame != "")).any(axis=1).sum())
    if path.suffix == ".xls":
        frame = fastexcel.read_excel(path).load_sheet(0, header_row=None).to_pandas()
        return int(frame.notna().any(axis=1).sum()) - header_rows(entry["file"])
    # latin-1 reads any byte: the FiveThirtyEight files are not UTF-8 (README.md), and only rows are counted here
    with path.open(encoding="latin-1", newline="") as f:
        rows = [r for r in csv.reader(f) if any(c.strip() for c in r)]
    return len(rows) - header_rows(entry["file"])


def test_the_list_names_every_file_and_every_file_has_a_source():
    listed = {e["file"] for e in ENTRIES}
    present = {p.relative_to(REAL).as_posix() for p in REAL.glob("*/*") if p.suffix in (".csv", ".sav", ".xlsx", ".xls")}
    assert listed == present
    readme = (REAL / "README.md").read_text(encoding="utf-8")
    for e in ENTRIES:
        assert Path(e["file"]).name in readme and e["source"].startswith("https://github.com/") and e["licence"]


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["file"] for e in ENTRIES])
def test_a_real_export_is_read_with_its_preset(entry):
    t = read_survey(REAL / entry["file"])
    assert t.preset == entry["platform"]
    assert len(t.frame) == entry["respondents"] == raw_rows(entry)
    for rating in entry["ratings"]:
        for column in rating["columns"]:
            cells = [v for v in t.frame[column].tolist() if not (isinstance(v, float) and math.isnan(v))]
            assert cells, column
            if "points" in rating:  # the scale's words, or its "no answer" words (exports.yaml)
                assert set(cells) <= set(rating["points"]) | set(rating.get("missing", [])), column
                assert set(cells) & set(rating["points"]), column
            else:  # numbers on the scale, or Qualtrics' negative "no opinion" codes (see exports.yaml)
                low, high = rating["scale"]
                assert all(low <= v <= high or v < 0 for v in cells), column
                assert any(low <= v <= high for v in cells), column


@pytest.mark.parametrize("entry", [e for e in CSV_FILES if e["platform"] == "qualtrics"], ids=lambda e: e["file"])
def test_qualtrics_header_rows_are_never_respondents(entry):
    t = read_survey(REAL / entry["file"])
    assert t.first_row == header_rows(entry["file"]) + 1
    assert all(str(v).startswith("R_") for v in t.frame[t.id_column])  # no "ResponseID" or ImportId row
    plain = read_survey(REAL / entry["file"], preset="plain")  # named by row 1 only, the rest skipped
    assert (plain.preset, len(plain.frame), plain.first_row) == ("plain", entry["respondents"], t.first_row)
    ids = next(c for c in ("ResponseId", "ResponseID", "V1") if c in plain.frame.columns)  # row 1's id field
    assert all(str(v).startswith("R_") for v in plain.frame[ids])


def test_the_2016_layout_keeps_its_ids_and_import_ids():
    t = read_survey(REAL / "qualtrics" / "qualtrics2016_no_basis_for_evaluation.csv")
    assert (t.id_column, t.submitted_column, t.first_row) == ("ResponseID", "EndDate", 4)
    assert set(t.pii_columns) >= {"IPAddress", "RecipientEmail", "RecipientFirstName", "RecipientLastName"}
    header = "Indicate how you feel about the following vegetables-Green beans (Q3_4)"
    assert locate_column(t, column="Q3_4") == locate_column(t, column="QID3-4")
    assert (locate_column(t, column="Q3_4").header, locate_column(t, column="Q3_4").how) == (header, "field id")
    found = locate_column(t, match=r"Green beans \(Q3")
    assert (found.header, found.how) == (header, "match: question text")


def test_spss_variable_labels_find_columns_and_value_labels_are_the_answers():
    t = read_survey(REAL / "spss" / "pyreadstat_sample.sav")
    by_label = locate_column(t, match="^ordinal$")
    assert (by_label.header, by_label.how) == ("myord", "match: variable label")
    assert (locate_column(t, column="ordinal").header, locate_column(t, column="ordinal").how) == \
        ("myord", "variable label")
    assert locate_column(t, match="^myo").how == "match: header"
    m = load_model_text("scale: {min: 1, max: 3}\nlabels: {low: 1, medium: 2, high: 3}\nquality: {min_answered: 0}\n"
                        "children:\n  - {id: level, match: '^ordinal$'}\n")
    r = prepare(t, m)
    codes, _ = pyreadstat.read_sav(REAL / "spss" / "pyreadstat_sample.sav")
    expected = (codes["myord"].to_numpy() - 1) / 2 * 100  # 1–3 onto 0–100, as docs/methods.md §1
    np.testing.assert_allclose(r.values[:, 0], expected)


def test_validate_says_how_each_column_was_found(tmp_path):
    model = tmp_path / "m.yaml"
    model.write_text("scale: {min: 1, max: 3}\nlabels: {low: 1, medium: 2, high: 3}\nchildren:\n"
                     "  - {id: by_label, match: '^ordinal$'}\n  - {id: by_name, column: myord}\n", encoding="utf-8")
    out = CliRunner().invoke(app, ["validate", str(REAL / "spss" / "pyreadstat_sample.sav"), "--model", str(model)],
                             env={"COLUMNS": "160"}).output
    rows = {line.split()[0]: line for line in out.splitlines() if line.strip().startswith(("by_label", "by_name"))}
    assert "match: variable label" in rows["by_label"] and "myord" in rows["by_label"]
    assert "header" in rows["by_name"] and "variable label" not in rows["by_name"]


def test_a_real_qualtrics_matrix_bound_by_field_ids_scores_as_its_labels_say():
    """Q3.27_1 … Q3.27_5 of the 2018 projoint export, bound by their field ids and scored through
    text labels; the expected values come from the raw CSV read with the csv module."""
    path = REAL / "qualtrics" / "projoint_dartmouth_2018_trimmed.csv"
    entry = next(e for e in ENTRIES if e["file"].endswith(path.name))
    points = entry["ratings"][0]["points"]
    ids = [f"Q3.27_{i}" for i in range(1, 6)]
    labels = ", ".join(f"{k!r}: {v}" for k, v in points.items())
    m = load_model_text("scale: {min: 1, max: 5}\nlabels: {" + labels + "}\nquality: {min_answered: 0}\nchildren:\n"
                        + "".join(f"  - {{id: s{i}, column: '{c}'}}\n" for i, c in enumerate(ids, 1)))
    t = read_survey(path)
    assert [locate_column(t, column=c).how for c in ids] == ["field id"] * 5
    assert [locate_column(t, column=c).header for c in ids] == entry["ratings"][0]["columns"]
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    at = [rows[0].index(c) for c in ids]
    expected = np.array([[(points[r[i]] - 1) / 4 * 100 if r[i] else np.nan for i in at] for r in rows[3:]])
    r = prepare(t, m)
    kept = ~np.isnan(expected).all(axis=1)  # a respondent who answered none of the five is left out
    assert r.values.shape == (int(kept.sum()), 5)
    np.testing.assert_allclose(r.values, expected[kept])


def test_the_2016_layout_without_its_import_id_row(tmp_path):
    # an Excel download of that layout, or the CSV with row 3 deleted: row 2 is still no respondent
    lines = (REAL / "qualtrics" / "qualtrics2016_no_basis_for_evaluation.csv").read_text(encoding="utf-8").splitlines()
    (tmp_path / "two_rows.csv").write_text("\n".join(lines[:2] + lines[3:]) + "\n", encoding="utf-8")
    t = read_survey(tmp_path / "two_rows.csv")
    assert (t.preset, t.first_row, len(t.frame), t.id_column) == ("qualtrics", 3, 15, "ResponseID")
    assert locate_column(t, column="Q3_4").header.endswith("Green beans (Q3_4)")


@pytest.mark.parametrize("entry", [e for e in CSV_FILES if e["platform"] == "surveymonkey"], ids=lambda e: e["file"])
def test_surveymonkey_second_header_row_is_never_a_respondent(entry):
    """FiveThirtyEight's SurveyMonkey polls: no Collector ID, personal or custom columns, but the
    second row of "Response" / matrix row labels; the older RespondentID, or StartDate and
    EndDate, kept as the respondent id and the submit time."""
    t = read_survey(REAL / entry["file"])
    assert t.first_row == 3 and len(t.frame) == entry["respondents"]
    assert not any(str(v) == "Response" for col in t.frame.columns for v in t.frame[col].tolist()[:1])
    if "star_wars" in entry["file"]:
        assert (t.id_column, t.submitted_column) == ("RespondentID", None)
        assert all(float(v) > 3e9 and float(v).is_integer() for v in t.frame["RespondentID"])  # 3292879998 …
    else:
        assert (t.id_column, t.submitted_column) == (None, "EndDate")
        assert all("/" in str(v) for v in t.frame["EndDate"])
    rows = [c for c in t.frame.columns if " - " in c]  # matrix columns are named "question - row label"
    assert rows and all(not c.startswith("Unnamed") for c in t.frame.columns)
