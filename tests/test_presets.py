"""Platform presets and typed files: 腾讯问卷, Qualtrics, SurveyMonkey, 问卷星, SPSS .sav, Parquet.

Each export in tests/data/exports reproduces its platform's real header shape (the sources
are in csi/survey/presets.py; make_fixtures.py writes the files) with the same four
respondents. Every fixture must be detected as its own preset and nothing else, a forced
preset that does not fit says what it expected, and the model's columns must be findable by
the names users know.
"""

from __future__ import annotations

import datetime
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pyreadstat
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from csi.errors import CsiError, DataError, InputError
from csi.model import load_model_text
from csi.survey import PRESETS, detect_preset, durations_seconds, find_column, get_preset, read_survey
from csi.survey.columns import locate_column
from csi.survey.prepare import convert_column, pii_columns, prepare

EXPORTS = Path(__file__).parent / "data" / "exports"

#: every fixture and the preset it must be detected as
DETECTED = {
    "tencent.csv": "tencent", "tencent_gbk.csv": "tencent",
    "qualtrics.csv": "qualtrics", "qualtrics_legacy.csv": "qualtrics",
    "surveymonkey.csv": "surveymonkey", "surveymonkey.xlsx": "surveymonkey", "surveymonkey_trimmed.csv": "surveymonkey",
    "wjx_text.xlsx": "wjx", "wjx_codes.xlsx": "wjx", "gbk.csv": "wjx", "wjx.parquet": "wjx",
    "plain.csv": "plain", "bom.csv": "plain", "plain.tsv": "plain", "plain.ods": "plain", "spss.sav": "plain",
}
MATRIX = ["账务处理准确性", "报税及时性", "沟通顺畅"]
DEPARTMENTS = ["一组", "二组", "一组", "三组"]
SUGGESTIONS = ["希望更及时", None, "无", None]


def values(series: pd.Series) -> list:
    """Cells as plain Python values, None for missing."""
    return [None if isinstance(v, float) and math.isnan(v) else v for v in series.tolist()]


def xlsx(path: Path, rows: list[list]) -> Path:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


def model(*items: str, labels: bool = True) -> object:
    head = "labels: {非常满意: 5, 满意: 4, 一般: 3, 不满意: 2, 非常不满意: 1}\nmissing: [不适用]\n" if labels else ""
    return load_model_text(head + "quality: {min_answered: 0}\nchildren:\n" + "".join(f"  - {i}\n" for i in items))


# ---------------------------------------------------------------- detection


@pytest.mark.parametrize(("name", "preset"), sorted(DETECTED.items()))
def test_each_export_is_detected_as_its_own_preset(name, preset):
    t = read_survey(EXPORTS / name)
    assert t.preset == preset
    forced = read_survey(EXPORTS / name, preset=preset)  # forcing it changes nothing
    assert (forced.preset, forced.first_row, list(forced.frame.columns)) == (t.preset, t.first_row, list(t.frame.columns))


@pytest.mark.parametrize("name", sorted(DETECTED))
@pytest.mark.parametrize("preset", ["wjx", "tencent", "qualtrics", "surveymonkey"])
def test_a_forced_preset_that_does_not_fit_says_what_it_expected(name, preset):
    if DETECTED[name] == preset:
        return
    with pytest.raises(DataError) as e:
        read_survey(EXPORTS / name, preset=preset)
    (issue,) = e.value.issues
    assert issue.code == "preset-mismatch"
    assert f"preset {preset} (" in issue.message and "expects" in issue.message and "--preset plain" in issue.message
    assert "\n" not in issue.message


def test_what_a_forced_preset_expected():
    with pytest.raises(DataError) as e:
        read_survey(EXPORTS / "plain.csv", preset="tencent")
    assert "编号, 开始答题时间, 结束答题时间" in str(e.value) and "id, 部门, q1" in str(e.value)
    with pytest.raises(DataError) as e:
        read_survey(EXPORTS / "tencent.csv", preset="qualtrics")
    message = str(e.value)
    assert '{"ImportId":"QID1"}' in message  # the CSV form …
    assert "StartDate, EndDate, ResponseId" in message  # … the Excel form …
    assert "V1, V2, V3" in message  # … and the legacy one
    with pytest.raises(DataError) as e:
        read_survey(EXPORTS / "wjx.parquet", preset="surveymonkey")
    assert "Respondent ID" in str(e.value)


def test_plain_files_stay_plain_however_their_columns_are_named(tmp_path):
    # R's write.csv names unnamed columns V1, V2, …; a table with ResponseId and StartDate
    # columns is not a Qualtrics export; nor is one whose second row is an answer under Respondent ID
    files = {
        "r.csv": "V1,V2,V3,V4\n1,5,4,3\n2,4,4,4\n",
        "ids.csv": "StartDate,EndDate,ResponseId,q1\n2026-03-02 09:13,2026-03-02 09:15,R_abc,5\n2026-03-03,2026-03-03,R_def,4\n",
        "ids2.csv": "StartDate,EndDate,ResponseId,q1\nmorning,evening,1,5\nx,y,2,4\n",
        "sm.csv": "Respondent ID,Collector ID,Start Date,End Date,Q1\n1148,4257,03/02/2026,03/02/2026,5\n1149,4257,x,y,4\n",
        "numbers.csv": "编号,满意度\n1,5\n2,4\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        t = read_survey(tmp_path / name)
        assert (t.preset, t.first_row) == ("plain", 2), name
    assert len(read_survey(tmp_path / "sm.csv").frame) == 2  # no respondent is lost to a header
    with pytest.raises(DataError) as e:
        read_survey(tmp_path / "sm.csv", preset="surveymonkey")
    assert "was the second header row deleted?" in str(e.value)


def test_detection_without_a_second_row_and_the_preset_list():
    assert detect_preset(["编号", "开始答题时间", "结束答题时间", "1.q"]).name == "tencent"
    assert detect_preset(["Respondent ID", "Collector ID", "Start Date", "End Date"], None).name == "plain"
    assert list(PRESETS) == ["wjx", "tencent", "qualtrics", "surveymonkey", "plain"]
    assert get_preset("Tencent").name == "tencent"


# ---------------------------------------------------------------- 腾讯问卷


TENCENT_HEADER = [
    "编号", "开始答题时间", "结束答题时间", "答题时长", "地理位置国家和地区", "地理位置省", "地理位置市", "用户类型", "用户标识",
    "昵称", "自定义字段", "1.您所在的部门", "2.客户类型", *(f"3.请评价以下方面:{m}" for m in MATRIX),
    "4.总体而言，您对我们的服务满意吗", "5.您的建议", "IP", "UA", "Referrer",
]


@pytest.mark.parametrize("name", ["tencent.csv", "tencent_gbk.csv"])
def test_tencent_export(name):
    data = (EXPORTS / name).read_bytes()
    if name == "tencent_gbk.csv":
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")
    else:  # every line ends with a comma: the trailing empty column is dropped
        assert data.splitlines()[0].endswith(b'"Referrer",')
    t = read_survey(EXPORTS / name)
    assert list(t.frame.columns) == TENCENT_HEADER
    assert (t.preset, t.first_row, t.row_number(3)) == ("tencent", 2, 5)
    assert (t.id_column, t.submitted_column, t.duration_column) == ("编号", "结束答题时间", "答题时长")
    assert t.pii_columns == ("地理位置国家和地区", "地理位置省", "地理位置市", "用户标识", "昵称", "自定义字段", "IP", "Referrer")
    assert t.letter("Referrer") == "U" and t.letter("1.您所在的部门") == "L"
    assert values(t.frame["1.您所在的部门"]) == ["A.一组", "B.二组", "A.一组", "C.三组"]
    assert values(t.frame["3.请评价以下方面:报税及时性"]) == [4.0, 4.0, None, 5.0]
    assert values(t.frame["4.总体而言，您对我们的服务满意吗"]) == ["A.非常满意", "B.满意", "C.一般", "A.非常满意"]
    assert values(t.frame["5.您的建议"]) == SUGGESTIONS
    # seconds in the export as downloaded; "1分35秒" and "00:02:03" once Excel has been at it
    np.testing.assert_array_equal(durations_seconds(t), [95.0, 123.0, 41.0, 100.0])


def test_tencent_columns_and_choices_with_option_letters():
    t = read_survey(EXPORTS / "tencent.csv")
    assert find_column(t, column="Q4") == "4.总体而言，您对我们的服务满意吗"
    assert find_column(t, column="您所在的部门") == "1.您所在的部门"
    assert find_column(t, match=":报税及时性$") == "3.请评价以下方面:报税及时性"
    with pytest.raises(DataError) as e:
        find_column(t, column="Q3")
    assert e.value.codes == ["ambiguous-column"] and 'match: ":账务处理准确性$"' in str(e.value)
    # "A.非常满意" is the label 非常满意 with the option letter in front
    r = prepare(t, model("{id: sat, column: Q4}", '{id: tax, match: ":报税及时性$"}'), by=["1.您所在的部门"])
    np.testing.assert_allclose(r.values[:, 0], [100, 75, 50, 100])
    np.testing.assert_allclose(r.values[:, 1], [75, 75, np.nan, 100])
    assert r.quality.invalid == ()
    assert list(r.segments["1.您所在的部门"]) == ["A.一组", "B.二组", "A.一组", "C.三组"]
    with pytest.raises(DataError) as e:  # nothing is scored from personal data
        prepare(t, model("{id: nick, column: 昵称}"))
    assert e.value.codes == ["pii-column"]


def test_option_letters_also_in_front_of_missing_answers(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text('"编号","开始答题时间","结束答题时间","1.满意吗",\n"1","x","y","E.不适用",\n"2","x","y","B.满意",\n'
                    '"3","x","y","F.很好",\n', encoding="utf-8")
    t = read_survey(path)
    raw, bad = convert_column(t.frame["1.满意吗"], model("{id: a, column: Q1}").items[0], t.missing_codes)
    assert values(pd.Series(raw)) == [None, 4.0, None]
    assert bad.tolist() == [False, False, True]


# ---------------------------------------------------------------- Qualtrics


QUALTRICS_TEXT = ["Start Date", "End Date", "Response Type", "IP Address", "Progress", "Duration (in seconds)", "Finished",
                  "Recorded Date", "Response ID", "Recipient Last Name", "Recipient First Name", "Recipient Email",
                  "External Data Reference", "Location Latitude", "Location Longitude", "Distribution Channel",
                  "User Language", "您所在的部门", "客户类型", *(f"请评价以下方面 - {m}" for m in MATRIX),
                  "总体而言，您对我们的服务满意吗", "您的建议"]


def test_qualtrics_export():
    t = read_survey(EXPORTS / "qualtrics.csv")
    assert list(t.frame.columns) == QUALTRICS_TEXT  # the question-text row
    assert (t.preset, t.first_row, t.row_number(0)) == ("qualtrics", 4, 4)  # ids, texts, ImportIds above
    assert (t.id_column, t.submitted_column, t.duration_column) == ("Response ID", "End Date", "Duration (in seconds)")
    assert t.pii_columns == ("IP Address", "Recipient Last Name", "Recipient First Name", "Recipient Email",
                             "External Data Reference", "Location Latitude", "Location Longitude")
    assert t.missing_codes == ("-99",)
    assert values(t.frame["您所在的部门"]) == DEPARTMENTS
    assert values(t.frame["请评价以下方面 - 报税及时性"]) == ["满意", "满意", None, "非常满意"]
    assert values(t.frame["您的建议"]) == SUGGESTIONS
    assert values(t.frame["Recipient Email"]) == [None, "client1@example.cn", None, None]
    np.testing.assert_array_equal(durations_seconds(t), [95.0, 123.0, 41.0, 100.0])


@pytest.mark.parametrize(("spec", "header"), [
    ("QID3_2", "请评价以下方面 - 报税及时性"),  # ImportId
    ("Q3_2", "请评价以下方面 - 报税及时性"),  # field id (data export tag)
    ("Q4", "总体而言，您对我们的服务满意吗"),
    ("QID5_TEXT", "您的建议"),
    ("ResponseId", "Response ID"),
    ("总体而言，您对我们的服务满意吗", "总体而言，您对我们的服务满意吗"),
])
def test_qualtrics_ids_find_their_columns(spec, header):
    assert find_column(read_survey(EXPORTS / "qualtrics.csv"), column=spec) == header


def test_qualtrics_matrix_question_and_scoring():
    t = read_survey(EXPORTS / "qualtrics.csv")
    with pytest.raises(DataError) as e:
        find_column(t, column="Q3")
    assert e.value.codes == ["ambiguous-column"]
    assert 'match: " - 账务处理准确性$"' in str(e.value) and '"请评价以下方面 - 沟通顺畅" (V)' in str(e.value)
    with pytest.raises(DataError) as e:
        find_column(t, column="QID33")
    assert e.value.codes == ["missing-column"]
    assert 'closest headers: "请评价以下方面 - 沟通顺畅" (V)' in str(e.value)  # close to its ImportId QID3_3
    r = prepare(t, model("{id: sat, column: QID4}", '{id: tax, match: " - 报税及时性$"}'), by=["Q1"])
    np.testing.assert_allclose(r.values, [[100, 75], [75, 75], [50, np.nan], [100, 100]])
    assert list(r.segments["Q1"]) == DEPARTMENTS
    assert pii_columns(t, load_model_text("pii: [Q5]\nchildren:\n  - {id: a, column: Q4}\n"))["您的建议"]


def test_qualtrics_in_another_language_duplicate_texts_and_the_excel_form(tmp_path):
    # row 2 is in the account's language: the roles are found by the row-1 field ids
    ids = ["StartDate", "EndDate", "IPAddress", "Duration (in seconds)", "ResponseId", "Q1", "Q2", "Q3"]
    texts = ["Anfangsdatum", "Enddatum", "IP-Adresse", "Dauer (in Sekunden)", "Antwort-ID", "Kommentar", "Kommentar",
             "Zufriedenheit"]
    imports = ['{"ImportId":"startDate"}', '{"ImportId":"endDate"}', '{"ImportId":"ipAddress"}', '{"ImportId":"duration"}',
               '{"ImportId":"_recordId"}', '{"ImportId":"QID1_TEXT"}', '{"ImportId":"QID2_TEXT"}', '{"ImportId":"QID3"}']
    data = ["2026-03-02 09:13:29", "2026-03-02 09:15:04", "10.1.2.3", "95", "R_1x", "gut", "schnell", "5"]
    path = tmp_path / "de.tsv"
    path.write_text("\n".join("\t".join(r) for r in (ids, texts, imports, data)) + "\n", encoding="utf-16")
    t = read_survey(path)
    assert t.preset == "qualtrics" and t.first_row == 4
    assert list(t.frame.columns)[5:] == ["Kommentar (Q1)", "Kommentar (Q2)", "Zufriedenheit"]
    assert (t.id_column, t.duration_column, t.pii_columns) == ("Antwort-ID", "Dauer (in Sekunden)", ("IP-Adresse",))
    assert find_column(t, column="Q2") == "Kommentar (Q2)"
    # an Excel download has the ids and the texts, no ImportIds: the data start on row 3
    book = xlsx(tmp_path / "q.xlsx", [ids, texts, data, data[:4] + ["R_2y", "", "", "4"]])
    t = read_survey(book)
    assert (t.preset, t.first_row, t.id_column) == ("qualtrics", 3, "Antwort-ID")
    assert values(t.frame["Zufriedenheit"]) == [5.0, 4.0]


def test_qualtrics_2016_layout_with_single_quoted_import_ids(tmp_path):
    rows = ["ResponseID,ResponseSet,IPAddress,StartDate,EndDate,Finished,Q1,Q2_1,Q2_2",
            "ResponseID,ResponseSet,IPAddress,StartDate,EndDate,Finished,总体满意度,请评价-速度,请评价-态度",
            ",".join(f"\"{{'ImportId': '{i}'}}\"" for i in
                     ["responseId", "responseSetId", "ipAddress", "startDate", "endDate", "finished", "QID1", "QID2-1",
                      "QID2-2"]),
            "R_1,Default Response Set,,2016-06-24 14:27:08,2016-06-24 14:27:08,1,5,4,3"]
    (tmp_path / "q.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    t = read_survey(tmp_path / "q.csv")
    assert (t.preset, t.first_row, len(t.frame), t.id_column) == ("qualtrics", 4, 1, "ResponseID")
    assert list(t.frame.columns)[6:] == ["总体满意度", "请评价-速度", "请评价-态度"]
    assert (find_column(t, column="Q2_2"), find_column(t, column="QID2-2")) == ("请评价-态度", "请评价-态度")
    assert t.pii_columns == ("IPAddress",)
    # without row 3 (an Excel download, or the row deleted) row 2 is still a header
    (tmp_path / "two.csv").write_text("\n".join(rows[:2] + rows[3:]) + "\n", encoding="utf-8")
    two = read_survey(tmp_path / "two.csv")
    assert (two.preset, two.first_row, len(two.frame), find_column(two, column="Q2_2")) == ("qualtrics", 3, 1, "请评价-态度")
    # a file of another shape forced to qualtrics hears of every form, the 2016 ones too
    with pytest.raises(DataError) as e:
        read_survey(EXPORTS / "tencent.csv", preset="qualtrics")
    assert "ResponseID, ResponseSet" in str(e.value) and '{"ImportId":"QID1"}' in str(e.value)


def test_qualtrics_legacy_export():
    t = read_survey(EXPORTS / "qualtrics_legacy.csv")
    assert (t.preset, t.first_row) == ("qualtrics", 3)
    assert list(t.frame.columns)[:11] == ["ResponseID", "ResponseSet", "Name", "ExternalDataReference", "EmailAddress",
                                          "IPAddress", "Status", "StartDate", "EndDate", "Finished", "您所在的部门"]
    assert list(t.frame.columns)[-3:] == ["LocationLatitude", "LocationLongitude", "LocationAccuracy"]  # and no trailing one
    assert (t.id_column, t.submitted_column, t.duration_column) == ("ResponseID", "EndDate", None)
    assert t.pii_columns == ("Name", "ExternalDataReference", "EmailAddress", "IPAddress", "LocationLatitude",
                             "LocationLongitude")
    assert find_column(t, column="V1") == "ResponseID"
    assert find_column(t, column="Q3_2") == "请评价以下方面-报税及时性"
    assert values(t.frame["请评价以下方面-报税及时性"]) == [4.0, 4.0, None, 5.0]
    assert values(t.frame["您的建议"]) == SUGGESTIONS


# ---------------------------------------------------------------- SurveyMonkey


SM_HEADER = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address", "Email Address", "First Name",
             "Last Name", "Custom Data 1", "您所在的部门", "客户类型", *(f"请评价以下方面 - {m}" for m in MATRIX),
             "总体而言，您对我们的服务满意吗", "您的建议"]


@pytest.mark.parametrize("name", ["surveymonkey.csv", "surveymonkey.xlsx"])
def test_surveymonkey_export(name):
    t = read_survey(EXPORTS / name)
    assert list(t.frame.columns) == SM_HEADER  # the question spans its matrix columns
    assert (t.preset, t.first_row, t.row_number(1)) == ("surveymonkey", 3, 4)
    assert (t.id_column, t.submitted_column, t.duration_column) == ("Respondent ID", "End Date", None)
    assert t.pii_columns == ("IP Address", "Email Address", "First Name", "Last Name", "Custom Data 1")
    assert [t.letter(h) for h in SM_HEADER[11:14]] == ["L", "M", "N"]
    assert values(t.frame["Respondent ID"]) == [11487613245.0, 11487613252.0, 11487613259.0, 11487613266.0]
    assert values(t.frame["请评价以下方面 - 沟通顺畅"]) == ["非常满意", "一般", "不满意", "非常满意"]
    assert values(t.frame["您的建议"]) == SUGGESTIONS
    assert durations_seconds(t) is None
    r = prepare(t, model("{id: sat, column: 总体而言，您对我们的服务满意吗}", '{id: talk, match: " - 沟通顺畅$"}'))
    np.testing.assert_allclose(r.values, [[100, 100], [75, 50], [50, 25], [100, 100]])


def test_surveymonkey_export_without_its_panel_columns(tmp_path):
    t = read_survey(EXPORTS / "surveymonkey_trimmed.csv")
    assert list(t.frame.columns) == [SM_HEADER[0], *SM_HEADER[9:]]  # not "Unnamed: E"
    assert (t.preset, t.first_row, len(t.frame), t.id_column, t.pii_columns) == ("surveymonkey", 3, 4, "Respondent ID", ())
    r = prepare(t, model('{id: talk, match: " - 沟通顺畅$"}'))
    np.testing.assert_allclose(r.values[:, 0], [100, 50, 25, 100])
    found = locate_column(t, column="沟通顺畅")  # a matrix row by its label in row 2
    assert (found.header, found.how) == ("请评价以下方面 - 沟通顺畅", "row label")
    assert locate_column(t, column="总体而言，您对我们的服务满意吗").how == "question text"
    # nothing of the nine left: the second row alone tells it, and plain would have counted it as a respondent
    rows = ["部门,请评价以下方面,,,总体满意度", "Response,账务处理准确性,报税及时性,沟通顺畅,Response",
            "一组,非常满意,满意,非常满意,满意", "二组,满意,一般,一般,满意"]
    (tmp_path / "bare.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    bare = read_survey(tmp_path / "bare.csv")
    assert (bare.preset, len(bare.frame), bare.id_column) == ("surveymonkey", 2, None)
    assert list(bare.frame.columns) == ["部门", *(f"请评价以下方面 - {m}" for m in ["账务处理准确性", "报税及时性", "沟通顺畅"]),
                                        "总体满意度"]
    plain = read_survey(tmp_path / "bare.csv", preset="plain")  # row 1's names; row 2 is still no respondent
    assert (plain.preset, len(plain.frame), plain.first_row) == ("plain", 2, 3)


def test_a_plain_file_with_response_among_its_answers_stays_plain(tmp_path):
    (tmp_path / "a.csv").write_text("id,反馈类型,评分\n1,Response,5\n2,Complaint,4\n", encoding="utf-8")
    t = read_survey(tmp_path / "a.csv")
    assert (t.preset, len(t.frame)) == ("plain", 2)


def test_surveymonkey_older_names_and_a_multiple_choice_question(tmp_path):
    rows = ["RespondentID,CollectorID,StartDate,EndDate,IP Address,Email Address,First Name,LastName,Custom Data,"
            "您通过哪些渠道联系我们,,,满意度",
            ",,,,,,,,,电话,微信,Other (please specify),Response",
            "101,7,2026-03-02,2026-03-02,10.0.0.1,,,,,电话,,邮件,5"]
    (tmp_path / "old.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    t = read_survey(tmp_path / "old.csv")
    assert (t.preset, t.id_column, t.first_row) == ("surveymonkey", "RespondentID", 3)
    assert list(t.frame.columns)[9:] == ["您通过哪些渠道联系我们 - 电话", "您通过哪些渠道联系我们 - 微信",
                                         "您通过哪些渠道联系我们 - Other (please specify)", "满意度"]
    assert t.pii_columns == ("IP Address", "Email Address", "First Name", "LastName", "Custom Data")


# ---------------------------------------------------------------- SPSS


def test_spss_file():
    t = read_survey(EXPORTS / "spss.sav")
    assert list(t.frame.columns) == ["id", "submitted", "seconds", "dept", "kind", "Q3_1", "Q3_2", "Q3_3", "Q4", "Q5"]
    assert (t.preset, t.first_row, t.row_number(0), t.sheet, t.sheets) == ("plain", 1, 1, None, ())
    # a labelled value is its label; 9 (不适用) is declared missing; a system-missing value is missing
    assert values(t.frame["Q3_2"]) == ["满意", "满意", None, "非常满意"]
    assert values(t.frame["Q3_3"]) == ["非常满意", None, "不满意", "非常满意"]
    assert values(t.frame["dept"]) == DEPARTMENTS
    assert values(t.frame["Q5"]) == SUGGESTIONS
    assert values(t.frame["seconds"]) == [95.0, 123.0, 41.5, 100.0]
    assert values(t.frame["submitted"])[0] == "2026-03-02 09:15:04"
    assert t.value_labels["Q4"] == {1.0: "非常不满意", 2.0: "不满意", 3.0: "一般", 4.0: "满意", 5.0: "非常满意", 9.0: "不适用"}
    assert set(t.value_labels) == {"dept", "kind", "Q3_1", "Q3_2", "Q3_3", "Q4"}
    # variable names are the headers, variable labels (question texts) find them too
    assert find_column(t, column="总体而言，您对我们的服务满意吗") == "Q4"
    assert find_column(t, column="请评价以下方面—报税及时性") == "Q3_2"
    assert find_column(t, match="^Q3_2$") == "Q3_2"
    with pytest.raises(DataError) as e:
        find_column(t, column="总体而言您对服务满意吗")
    assert 'closest headers: "Q4" (I)' in str(e.value)
    with pytest.raises(DataError) as e:
        find_column(t, column="Q3")
    assert e.value.codes == ["ambiguous-column"] and '"Q3_1" (F)' in str(e.value)


def test_spss_labels_go_through_the_model_and_codes_serve_an_item_without_labels():
    t = read_survey(EXPORTS / "spss.sav")
    items = ("{id: sat, column: Q4}", "{id: tax, column: Q3_2}", "{id: talk, column: 请评价以下方面—沟通顺畅}")
    r = prepare(t, model(*items), by=["dept"])
    np.testing.assert_allclose(r.values, [[100, 75, 100], [75, 75, np.nan], [50, np.nan, 25], [100, 100, 100]])
    assert list(r.segments["dept"]) == DEPARTMENTS  # names, not codes
    # an item without labels of its own takes the file's codes: the same scores
    bare = prepare(t, model(*items, labels=False))
    np.testing.assert_allclose(bare.values, r.values)
    assert bare.quality.invalid == ()
    # also for a column taken from the frame alone (csi validate converts columns so)
    raw, bad = convert_column(t.frame["Q4"], model(*items, labels=False).items[0])
    assert values(pd.Series(raw)) == [5.0, 4.0, 3.0, 5.0] and not bad.any()


def test_spss_coded_the_other_way_round_is_scored_by_its_labels(tmp_path):
    """Why a labelled value reads as its label: a file coding 1 = 非常满意 … 5 = 非常不满意 (common
    in Chinese questionnaires, whose options list the best first) scores right with the model's
    labels; codes taken as scale points would turn every score upside down without a word."""
    frame = pd.DataFrame({"Q1": [1.0, 2.0, 5.0, 9.0]})
    reverse = {1: "非常满意", 2: "满意", 3: "一般", 4: "不满意", 5: "非常不满意", 9: "不适用"}
    pyreadstat.write_sav(frame, tmp_path / "r.sav", variable_value_labels={"Q1": reverse})
    t = read_survey(tmp_path / "r.sav")
    assert values(t.frame["Q1"]) == ["非常满意", "满意", "非常不满意", "不适用"]  # 9 is not declared missing here
    raw, bad = convert_column(t.frame["Q1"], model("{id: a, column: Q1}").items[0])
    assert values(pd.Series(raw)) == [5.0, 4.0, 1.0, None] and not bad.any()  # 不适用 is a missing word of the model
    r = prepare(t, model("{id: a, column: Q1}"))
    np.testing.assert_allclose(r.values[:, 0], [100, 75, 0])  # the respondent who answered 不适用 has no answer
    assert r.quality.excluded["empty"] == 1


def test_spss_unlabelled_values_strings_dates_and_gbk(tmp_path):
    frame = pd.DataFrame({
        "q": [1.0, 3.5, np.nan], "code": ["007", "", "x"], "day": [datetime.date(2026, 3, 2)] * 3,
        "tiny": [1e-05, 123456789.0, -2.0],
    })
    pyreadstat.write_sav(frame, tmp_path / "s.sav", variable_value_labels={"q": {1: "低"}, "code": {"x": "其他"}},
                         column_labels={"q": "q"})
    t = read_survey(tmp_path / "s.sav")
    assert values(t.frame["q"]) == ["低", 3.5, None]
    assert values(t.frame["code"]) == ["007", None, "其他"]
    assert values(t.frame["day"]) == ["2026-03-02 00:00:00"] * 3
    assert values(t.frame["tiny"]) == [1e-05, 123456789.0, -2.0]
    assert t.frame["tiny"].dtype == np.float64
    assert t.aliases == {}  # a label equal to its name is no alias


@pytest.mark.parametrize(("content", "code"), [
    (b"id,q1\n1,5\n", "wrong-format"),
    (b"PK\x03\x04 a workbook", "wrong-format"),
    (b"$FL2" + bytes(300), "corrupt-file"),
    (b"\x01\x02 junk", "corrupt-file"),
])
def test_a_sav_that_is_not_one(tmp_path, content, code):
    (tmp_path / "x.sav").write_bytes(content)
    with pytest.raises(InputError) as e:
        read_survey(tmp_path / "x.sav")
    assert e.value.codes == [code]


def test_a_damaged_sav_that_crashes_the_spss_reader_is_an_error(tmp_path):
    """ReadStat (pyreadstat 1.3.7) dies with a segmentation fault on some damaged files — here one
    byte changed in a value-label record of the fixture; it runs in a child process, so that is a
    message, not the end of csi."""
    data = bytearray((EXPORTS / "spss.sav").read_bytes())
    data[1000] = 132
    (tmp_path / "d.sav").write_bytes(bytes(data))
    with pytest.raises(InputError) as e:
        read_survey(tmp_path / "d.sav")
    assert e.value.codes == ["corrupt-file"]


# ---------------------------------------------------------------- Parquet


def test_parquet_file():
    t = read_survey(EXPORTS / "wjx.parquet")
    assert (t.preset, t.first_row, t.id_column, t.duration_column) == ("wjx", 1, "序号", "所用时间")
    assert t.pii_columns == ("来源详情", "来自IP")
    assert values(t.frame["序号"]) == [1.0, 2.0, 3.0, 4.0]
    assert values(t.frame["提交答卷时间"]) == ["2026-03-02 09:15:04", "2026-03-02 10:01:47", "2026-03-03 14:22:10",
                                             "2026-03-04 08:05:59"]
    assert values(t.frame["1、您所在的部门"]) == DEPARTMENTS  # a dictionary (categorical) column
    assert values(t.frame["3、请评价以下方面—报税及时性"]) == [4.0, 4.0, None, 5.0]
    assert t.frame["3、请评价以下方面—报税及时性"].dtype == np.float64
    assert values(t.frame["5、您的建议"]) == SUGGESTIONS
    np.testing.assert_array_equal(durations_seconds(t), [95.0, 123.0, 41.0, 100.0])
    assert find_column(t, column="Q4") == "4、总体而言，您对我们的服务满意吗"


def test_parquet_types(tmp_path):
    table = pa.table({
        "flag": pa.array([True, None, False]),
        "day": pa.array([datetime.date(2026, 3, 2), None, datetime.date(2026, 3, 4)], pa.date32()),
        "took": pa.array([datetime.time(0, 2, 3), None, datetime.time(1, 0, 0)], pa.time64("us")),
        "money": pa.array([1, 2, None], pa.decimal128(10, 2)),
        "text": pa.array(["007", " 满意 ", ""]),
        "tags": pa.array([["a"], None, []], pa.list_(pa.string())),
        "empty": pa.nulls(3),
        "__index_level_0__": pa.array([10, 11, 12]),
    })
    pq.write_table(table, tmp_path / "t.parquet")
    t = read_survey(tmp_path / "t.parquet")
    assert list(t.frame.columns) == ["flag", "day", "took", "money", "text", "tags", "empty"]  # pandas' index dropped
    assert values(t.frame["empty"]) == [None, None, None]
    assert values(t.frame["flag"]) == ["true", None, "false"]
    assert values(t.frame["day"]) == ["2026-03-02 00:00:00", None, "2026-03-04 00:00:00"]
    assert values(t.frame["took"]) == ["1899-12-31 00:02:03", None, "1899-12-31 01:00:00"]
    assert values(t.frame["money"]) == [1.0, 2.0, None]
    assert values(t.frame["text"]) == ["007", "满意", None]
    assert values(t.frame["tags"])[0] == '["a"]' or values(t.frame["tags"])[0] == "['a']"


@pytest.mark.parametrize(("content", "code"), [
    (b"a,b\n1,2\n", "wrong-format"),
    (b"PAR1" + bytes(64) + b"PAR1", "corrupt-file"),
    (b"PAR1 cut short", "corrupt-file"),
    (b"$FL2 spss", "wrong-format"),
])
def test_a_parquet_that_is_not_one(tmp_path, content, code):
    (tmp_path / "x.parquet").write_bytes(content)
    with pytest.raises(InputError) as e:
        read_survey(tmp_path / "x.parquet")
    assert e.value.codes == [code]


def test_typed_files_have_no_sheets_and_one_header_row(tmp_path):
    with pytest.raises(InputError) as e:
        read_survey(EXPORTS / "spss.sav", sheet=0)
    assert e.value.codes == ["no-sheets"]
    with pytest.raises(DataError) as e:
        read_survey(EXPORTS / "spss.sav", preset="qualtrics")
    assert e.value.codes == ["preset-mismatch"] and "one row of column names" in str(e.value)
    pq.write_table(pa.table({"a": pa.array([], pa.int64())}), tmp_path / "none.parquet")
    with pytest.raises(DataError) as e:
        read_survey(tmp_path / "none.parquet")
    assert e.value.codes == ["no-data-rows"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400), magic=st.sampled_from([b"", b"$FL2", b"PAR1"]),
       suffix=st.sampled_from([".sav", ".parquet"]))
def test_any_bytes_named_sav_or_parquet_give_a_table_or_a_csi_error(tmp_path, data, magic, suffix):
    path = tmp_path / f"junk{suffix}"
    path.write_bytes(magic + data + (b"PAR1" if magic == b"PAR1" else b""))
    try:
        t = read_survey(path)
    except CsiError:
        return
    assert len(t.frame) > 0 and t.frame.columns.is_unique


def test_wjx_codes_read_as_numbers_name_their_segments_without_a_decimal_point():
    # 按序号: 部门 is exported as 1, 2, 1, 3 and read as numbers; a breakdown shows "1", not "1.0"
    t = read_survey(EXPORTS / "wjx_codes.xlsx")
    assert values(t.frame["1、您所在的部门"]) == [1.0, 2.0, 1.0, 3.0]
    r = prepare(t, model("{id: sat, column: Q4}", labels=False), by=["1、您所在的部门"])
    assert list(r.segments["1、您所在的部门"]) == ["1", "2", "1", "3"]


def test_a_model_written_for_the_text_export_binds_a_sav_by_its_variable_labels():
    # the match: of a 问卷星 model ("—账务处理准确性$") finds Q3_1 by its label; codes read as labels
    t = read_survey(EXPORTS / "spss.sav")
    found = locate_column(t, match="—沟通顺畅$")
    assert (found.header, found.how) == ("Q3_3", "match: variable label")
    assert locate_column(t, column="您所在的部门").how == "variable label"
    r = prepare(t, model('{id: talk, match: "—沟通顺畅$"}', '{id: sat, match: "总体而言"}'))
    codes, meta = pyreadstat.read_sav(EXPORTS / "spss.sav")  # 1–5 labelled 非常不满意 … 非常满意; 9 declared missing
    assert meta.variable_value_labels["Q3_3"][5.0] == "非常满意"
    np.testing.assert_allclose(r.values, (codes[["Q3_3", "Q4"]].to_numpy() - 1) / 4 * 100)
