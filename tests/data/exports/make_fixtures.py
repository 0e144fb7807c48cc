"""Write the small survey exports that tests/test_read.py and tests/test_presets.py read.

Run once from anywhere (``python tests/data/exports/make_fixtures.py``); the files are
committed, so tests never depend on this script. Everything is made with openpyxl,
pyarrow, pyreadstat and plain file writes, is a few KB at most, and is the same byte for
byte on every run (workbook and SPSS time stamps are fixed).

The platform exports reproduce each platform's real header shape (sources in
csi/survey/presets.py) with the same four respondents:

Good files (this folder):
  wjx_text.xlsx       问卷星 按文本 download: labels, (跳过), 所用时间 "95秒", matrix rows "3、…—…"
  wjx_codes.xlsx      the same answers as the 按序号 download: codes 1–5, -2 (not shown), -3 (skipped)
  tencent.csv         腾讯问卷 CSV: UTF-8 with BOM, every cell quoted, a comma ending each line;
                      编号, 开始答题时间, 结束答题时间, 答题时长 (seconds), 地理位置…, 用户标识, 昵称,
                      自定义字段, "N.题干", matrix rows "3.题干:行", choices as "A.非常满意", IP/UA/Referrer
  tencent_gbk.csv     the same re-saved by Chinese Excel: GBK, quotes only where needed, no
                      trailing column, CRLF; 答题时长 as "1分35秒" and "00:02:03"
  qualtrics.csv       Qualtrics CSV: field ids, question texts ("题干 - 行" for a matrix), ImportIds
  qualtrics_legacy.csv  the legacy export: V1…V10/Q1… over ResponseID…/question texts
  surveymonkey.csv    SurveyMonkey CSV: question texts over Response / Open-Ended Response / row labels
  surveymonkey.xlsx   the same as a workbook, each matrix question's cell merged over its columns
  surveymonkey_trimmed.csv  the same with the panel columns deleted before it was shared: only
                      Respondent ID is left of the nine, the second row still under the questions
  spss.sav            SPSS: codes 1–5 labelled 非常不满意…非常满意, 9 不适用 declared missing,
                      variable labels holding the question texts, a string and a date variable
  wjx.parquet         a 问卷星 download kept as Parquet: integer, float, dictionary, timestamp columns
  plain.csv           UTF-8, no BOM; a blank answer, a numeric-looking id "007"
  bom.csv             UTF-8 with BOM (Excel's "CSV UTF-8")
  gbk.csv             GB18030 without BOM (Chinese Excel's "CSV (逗号分隔)"), Chinese headers
  plain.tsv           tab-separated
  two_sheets.xlsx     sheets "说明" (a note) and "2026Q3" (the data)
  plain.ods           OpenDocument spreadsheet, written as its XML parts
Broken files (bad/):
  truncated.xlsx      the first half of a real xlsx (ZIP directory missing)    → corrupt-file
  html.xls            an HTML table saved with an .xls name                      → html-not-spreadsheet
  encrypted.xlsx      an OLE2 container holding an EncryptedPackage stream       → encrypted-file
  empty.csv           zero bytes                                                 → empty-file
  header_only.csv     a header row and nothing else                              → no-data-rows
  duplicate_headers.csv  "满意度" twice (columns B and D)                        → duplicate-header
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
BAD = HERE / "bad"
FIXED = datetime.datetime(2026, 1, 1)

WJX_HEADER = [
    "序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP",
    "1、您所在的部门", "2、客户类型",
    "3、请评价以下方面—账务处理准确性", "3、请评价以下方面—报税及时性", "3、请评价以下方面—沟通顺畅",
    "4、总体而言，您对我们的服务满意吗", "5、您的建议",
]
LABELS = {5: "非常满意", 4: "满意", 3: "一般", 2: "不满意", 1: "非常不满意"}
# (department, client type, three matrix ratings, overall, suggestion); None = skipped
ANSWERS = [
    ("一组", "小规模纳税人", 5, 4, 5, 5, "希望更及时"),
    ("二组", "一般纳税人", 4, 4, 3, 4, None),
    ("一组", "一般纳税人", 3, None, 2, 3, "无"),
    ("三组", "小规模纳税人", 5, 5, 5, 5, None),
]
META = [
    (1, "2026/3/2 9:15:04", "95秒", "手机提交", "直接访问", "10.1.2.3(上海-上海)"),
    (2, "2026/3/2 10:01:47", "2分3秒", "链接", "https://www.wjx.cn/vm/abc.aspx?sojumpparm=C1024", "10.1.2.4(北京-北京)"),
    (3, "2026/3/3 14:22:10", "41秒", "微信", "微信", "10.1.2.5(江苏-南京)"),
    (4, "2026/3/4 8:05:59", "1分40秒", "手机提交", "直接访问", "10.1.2.6(浙江-杭州)"),
]


def workbook() -> Workbook:
    wb = Workbook()
    wb.properties.created = wb.properties.modified = FIXED
    return wb


def save(wb: Workbook, path: Path | None = None) -> bytes:
    """The workbook's bytes, the same on every run (openpyxl stamps the time of saving)."""
    raw = io.BytesIO()
    wb.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"<dcterms:modified([^>]*)>[^<]*<", rb"<dcterms:modified\1>2026-01-01T00:00:00Z<", data)
            dst.writestr(zipfile.ZipInfo(info.filename, (2026, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    if path is not None:
        path.write_bytes(out.getvalue())
    return out.getvalue()


def wjx(path: Path, as_text: bool) -> None:
    wb = workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(WJX_HEADER)
    for meta, (dept, kind, a, b, c, overall, note) in zip(META, ANSWERS, strict=True):
        if as_text:
            ratings = [LABELS[x] if x else "(跳过)" for x in (a, b, c, overall)]
            row = [*meta, dept, kind, *ratings, note or "(空)"]
        else:
            ratings = [x if x else -3 for x in (a, b, c, overall)]
            row = [*meta, {"一组": 1, "二组": 2, "三组": 3}[dept], 1 if kind == "小规模纳税人" else 2,
                   *ratings, note or -2]
        ws.append(row)
    save(wb, path)


def two_sheets(path: Path) -> None:
    wb = workbook()
    note = wb.active
    note.title = "说明"
    note.append(["本文件由客服部整理"])
    data = wb.create_sheet("2026Q3")
    data.append(["id", "dept", "q1", "q2"])
    data.append([1, "A", 5, 4])
    data.append([2, "B", 3, "N/A"])
    save(wb, path)


def ods(path: Path) -> None:
    """A two-column ODS sheet: header (q1, q2) and two rows, one of them text."""
    def cell(v: object) -> str:
        if isinstance(v, (int, float)):
            return f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>'
        return f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>'

    rows = [["q1", "q2"], [5, "满意"], [4, 3]]
    body = "".join("<table:table-row>" + "".join(cell(v) for v in r) + "</table:table-row>" for r in rows)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Answers">'
        f"{body}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    stamp = (2026, 1, 1, 0, 0, 0)
    with zipfile.ZipFile(path, "w") as z:
        # the mimetype entry must come first and be stored uncompressed
        z.writestr(zipfile.ZipInfo("mimetype", stamp), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr(zipfile.ZipInfo("META-INF/manifest.xml", stamp), manifest, zipfile.ZIP_DEFLATED)
        z.writestr(zipfile.ZipInfo("content.xml", stamp), content, zipfile.ZIP_DEFLATED)


def encrypted(path: Path) -> None:
    """The shape of a password-protected xlsx: an OLE2 (CFB) file with an EncryptedPackage stream.

    Only the signature and the directory entry names matter to the reader; the rest is zeros.
    """
    header = bytearray(512)
    header[:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    directory = bytearray(512)
    for i, name in enumerate(["Root Entry", "EncryptionInfo", "EncryptedPackage"]):
        raw = name.encode("utf-16-le") + b"\x00\x00"
        directory[i * 128:i * 128 + len(raw)] = raw
    path.write_bytes(bytes(header) + bytes(directory))


# ---------------------------------------------------------------- other platforms

SATISFACTION = ["非常满意", "满意", "一般", "不满意", "非常不满意"]  # options A–E of a 腾讯问卷 choice question
TIMES = [("2026-03-02 09:13:29", "2026-03-02 09:15:04", 95), ("2026-03-02 09:59:44", "2026-03-02 10:01:47", 123),
         ("2026-03-03 14:21:29", "2026-03-03 14:22:10", 41), ("2026-03-04 08:04:19", "2026-03-04 08:05:59", 100)]
MATRIX = ["账务处理准确性", "报税及时性", "沟通顺畅"]


def quoted(cells: list[object]) -> str:
    """A CSV line with every cell quoted, as 腾讯问卷 writes them."""
    return ",".join('"' + ("" if c is None else str(c)).replace('"', '""') + '"' for c in cells)


def minimal(cells: list[object]) -> str:
    """A CSV line quoted only where needed, as Excel writes them."""
    out = []
    for c in cells:
        text = "" if c is None else str(c)
        out.append('"' + text.replace('"', '""') + '"' if any(ch in text for ch in ',"\n') else text)
    return ",".join(out)


def tencent(path: Path, excel_gbk: bool) -> None:
    header = ["编号", "开始答题时间", "结束答题时间", "答题时长", "地理位置国家和地区", "地理位置省", "地理位置市",
              "用户类型", "用户标识", "昵称", "自定义字段", "1.您所在的部门", "2.客户类型",
              *(f"3.请评价以下方面:{m}" for m in MATRIX), "4.总体而言，您对我们的服务满意吗", "5.您的建议",
              "IP", "UA", "Referrer"]
    durations = ["1分35秒", "00:02:03", "41秒", "1分40秒"] if excel_gbk else [95, 123, 41, 100]
    places = [("上海", "上海"), ("北京", "北京"), ("江苏", "南京"), ("浙江", "杭州")]
    rows = [header]
    for i, ((start, end, _), seconds, (province, city), (dept, kind, a, b, c, overall, note)) in enumerate(
            zip(TIMES, durations, places, ANSWERS, strict=True), start=1):
        choice = "ABCDE"[5 - overall] + "." + SATISFACTION[5 - overall]
        rows.append([i, start, end, seconds, "中国", province, city, "微信用户", f"oX3k{i:04d}", f"客户{i}", f"C{1020 + i}",
                     "ABC"["一二三".index(dept[0])] + "." + dept, ("A." if kind == "小规模纳税人" else "B.") + kind,
                     a, b, c, choice, note or "", f"10.1.2.{i + 2}", "Mozilla/5.0 (iPhone) MicroMessenger/8.0.47",
                     "https://wj.qq.com/s2/12345/abcd/"])
    if excel_gbk:
        path.write_bytes(("\r\n".join(minimal(r) for r in rows) + "\r\n").encode("gbk"))
    else:  # every cell quoted and a comma at the end of each line: a trailing empty column
        path.write_bytes(("\n".join(quoted(r) + "," for r in rows) + "\n").encode("utf-8-sig"))


QUALTRICS_META = ["StartDate", "EndDate", "Status", "IPAddress", "Progress", "Duration (in seconds)", "Finished",
                  "RecordedDate", "ResponseId", "RecipientLastName", "RecipientFirstName", "RecipientEmail",
                  "ExternalReference", "LocationLatitude", "LocationLongitude", "DistributionChannel", "UserLanguage"]
QUALTRICS_TEXT = ["Start Date", "End Date", "Response Type", "IP Address", "Progress", "Duration (in seconds)",
                  "Finished", "Recorded Date", "Response ID", "Recipient Last Name", "Recipient First Name",
                  "Recipient Email", "External Data Reference", "Location Latitude", "Location Longitude",
                  "Distribution Channel", "User Language"]
QUALTRICS_IMPORT = ["startDate", "endDate", "status", "ipAddress", "progress", "duration", "finished", "recordedDate",
                    "_recordId", "recipientLastName", "recipientFirstName", "recipientEmail", "externalDataReference",
                    "locationLatitude", "locationLongitude", "distributionChannel", "userLanguage"]
QUESTION_TEXT = ["您所在的部门", "客户类型", *(f"请评价以下方面 - {m}" for m in MATRIX), "总体而言，您对我们的服务满意吗",
                 "您的建议"]


def qualtrics(path: Path) -> None:
    ids = [*QUALTRICS_META, "Q1", "Q2", "Q3_1", "Q3_2", "Q3_3", "Q4", "Q5"]
    imports = [*QUALTRICS_IMPORT, "QID1", "QID2", "QID3_1", "QID3_2", "QID3_3", "QID4", "QID5_TEXT"]
    zone = {"startDate", "endDate", "recordedDate"}
    json = [('{"ImportId":"%s","timeZone":"Asia/Shanghai"}' if i in zone else '{"ImportId":"%s"}') % i for i in imports]
    rows = [ids, [*QUALTRICS_TEXT, *QUESTION_TEXT], json]
    for i, ((start, end, seconds), (dept, kind, a, b, c, overall, note)) in enumerate(zip(TIMES, ANSWERS, strict=True)):
        ratings = [LABELS[x] if x else "" for x in (a, b, c, overall)]
        rows.append([start, end, "IP Address", f"10.1.2.{i + 3}", 100, seconds, "True", end, f"R_{'2YPOQ6cXk8jLmN'[i:]}{i}A",
                     "王" if i == 1 else "", "小明" if i == 1 else "", "client1@example.cn" if i == 1 else "",
                     f"C{1021 + i}", "31.2304", "121.4737", "email" if i == 1 else "anonymous", "ZH-S",
                     dept, kind, *ratings, note or ""])
    path.write_bytes(("\n".join(minimal(r) for r in rows) + "\n").encode("utf-8-sig"))


def qualtrics_legacy(path: Path) -> None:
    ids = [f"V{i}" for i in range(1, 11)] + ["Q1", "Q2", "Q3_1", "Q3_2", "Q3_3", "Q4", "Q5",
                                             "LocationLatitude", "LocationLongitude", "LocationAccuracy", ""]
    texts = ["ResponseID", "ResponseSet", "Name", "ExternalDataReference", "EmailAddress", "IPAddress", "Status",
             "StartDate", "EndDate", "Finished", "您所在的部门", "客户类型", *(f"请评价以下方面-{m}" for m in MATRIX),
             "总体而言，您对我们的服务满意吗", "您的建议", "LocationLatitude", "LocationLongitude", "LocationAccuracy", ""]
    rows = [ids, texts]
    for i, ((start, end, _), (dept, kind, a, b, c, overall, note)) in enumerate(zip(TIMES, ANSWERS, strict=True)):
        rows.append([f"R_3qqXgb2jvWPR{i}b", "Default Response Set", "Anonymous", "", "", f"10.1.2.{i + 3}", 0, start,
                     end, 1, dept, kind, a or "", b or "", c or "", overall, note or "", "31.2304", "121.4737", -1, ""])
    path.write_bytes(("\n".join(minimal(r) for r in rows) + "\n").encode("utf-8"))


SM_META = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address", "Email Address", "First Name",
           "Last Name", "Custom Data 1"]


def surveymonkey_rows() -> list[list[object]]:
    first = [*SM_META, "您所在的部门", "客户类型", "请评价以下方面", "", "", "总体而言，您对我们的服务满意吗", "您的建议"]
    second = [""] * len(SM_META) + ["Response", "Response", *MATRIX, "Response", "Open-Ended Response"]
    rows = [first, second]
    for i, ((start, end, _), (dept, kind, a, b, c, overall, note)) in enumerate(zip(TIMES, ANSWERS, strict=True)):
        def us(stamp: str) -> str:  # SurveyMonkey writes 03/02/2026 09:15:04 AM
            d = datetime.datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S")
            return d.strftime("%m/%d/%Y %I:%M:%S %p")

        ratings = [LABELS[x] if x else "" for x in (a, b, c, overall)]
        rows.append([11487613245 + i * 7, 425781234, us(start), us(end), f"10.1.2.{i + 3}", "", "", "",
                     f"C{1021 + i}", dept, kind, *ratings, note or ""])
    return rows


def surveymonkey_csv(path: Path) -> None:
    path.write_bytes(("\r\n".join(minimal(r) for r in surveymonkey_rows()) + "\r\n").encode("utf-8-sig"))


def surveymonkey_trimmed(path: Path) -> None:
    rows = [[r[0], *r[len(SM_META):]] for r in surveymonkey_rows()]
    path.write_bytes(("\r\n".join(minimal(r) for r in rows) + "\r\n").encode("utf-8-sig"))


def surveymonkey_xlsx(path: Path) -> None:
    wb = workbook()
    ws = wb.active
    ws.title = "Sheet"
    for row in surveymonkey_rows():
        ws.append([None if c == "" else c for c in row])
    ws.merge_cells("L1:N1")  # the matrix question over its three rows
    save(wb, path)


def spss(path: Path) -> None:
    import pandas as pd
    import pyreadstat

    scale = {1: "非常不满意", 2: "不满意", 3: "一般", 4: "满意", 5: "非常满意", 9: "不适用"}
    frame = pd.DataFrame({
        "id": [1.0, 2.0, 3.0, 4.0],
        "submitted": [datetime.datetime.strptime(t[1], "%Y-%m-%d %H:%M:%S") for t in TIMES],
        "seconds": [95.0, 123.0, 41.5, 100.0],
        "dept": [float("一二三".index(a[0][0]) + 1) for a in ANSWERS],
        "kind": [1.0 if a[1] == "小规模纳税人" else 2.0 for a in ANSWERS],
        **{f"Q3_{j + 1}": [float(a[2 + j]) if a[2 + j] else 9.0 for a in ANSWERS] for j in range(3)},
        "Q4": [float(a[5]) for a in ANSWERS],
        "Q5": [a[6] or "" for a in ANSWERS],
    })
    frame.loc[1, "Q3_3"] = float("nan")  # system-missing: not asked
    pyreadstat.write_sav(
        frame, path,
        column_labels={"id": "编号", "submitted": "提交时间", "seconds": "所用时间（秒）", "dept": "您所在的部门",
                       "kind": "客户类型", **{f"Q3_{j + 1}": f"请评价以下方面—{m}" for j, m in enumerate(MATRIX)},
                       "Q4": "总体而言，您对我们的服务满意吗", "Q5": "您的建议"},
        variable_value_labels={"dept": {1: "一组", 2: "二组", 3: "三组"}, "kind": {1: "小规模纳税人", 2: "一般纳税人"},
                               **{f"Q3_{j + 1}": scale for j in range(3)}, "Q4": scale},
        missing_ranges={f"Q3_{j + 1}": [9] for j in range(3)} | {"Q4": [9]},
        variable_format={"id": "F8.0", "dept": "F8.0", "kind": "F8.0", "Q3_1": "F8.0", "Q3_2": "F8.0", "Q3_3": "F8.0",
                         "Q4": "F8.0", "seconds": "F8.1"},
    )
    # the header records the time of writing ("dd mmm yy" at byte 92, "hh:mm:ss" at 101): fix it
    data = bytearray(path.read_bytes())
    data[92:109] = b"01 Jan 2600:00:00"
    path.write_bytes(bytes(data))


def parquet(path: Path) -> None:
    def stamp(text: str) -> datetime.datetime:
        return datetime.datetime.strptime(text, "%Y/%m/%d %H:%M:%S")

    table = pa.table({
        "序号": pa.array([m[0] for m in META], pa.int64()),
        "提交答卷时间": pa.array([stamp(m[1]) for m in META], pa.timestamp("s")),
        "所用时间": pa.array([m[2] for m in META], pa.string()),
        "来源": pa.array([m[3] for m in META], pa.string()).dictionary_encode(),
        "来源详情": pa.array([m[4] for m in META], pa.string()),
        "来自IP": pa.array([m[5] for m in META], pa.string()),
        "1、您所在的部门": pa.array([a[0] for a in ANSWERS], pa.string()).dictionary_encode(),
        "3、请评价以下方面—账务处理准确性": pa.array([a[2] for a in ANSWERS], pa.int64()),
        "3、请评价以下方面—报税及时性": pa.array([a[3] for a in ANSWERS], pa.int64()),
        "4、总体而言，您对我们的服务满意吗": pa.array([float(a[5]) for a in ANSWERS], pa.float64()),
        "5、您的建议": pa.array([a[6] for a in ANSWERS], pa.string()),
    })
    pq.write_table(table, path, compression="zstd")


def main() -> None:
    BAD.mkdir(exist_ok=True)
    wjx(HERE / "wjx_text.xlsx", as_text=True)
    wjx(HERE / "wjx_codes.xlsx", as_text=False)
    tencent(HERE / "tencent.csv", excel_gbk=False)
    tencent(HERE / "tencent_gbk.csv", excel_gbk=True)
    qualtrics(HERE / "qualtrics.csv")
    qualtrics_legacy(HERE / "qualtrics_legacy.csv")
    surveymonkey_csv(HERE / "surveymonkey.csv")
    surveymonkey_xlsx(HERE / "surveymonkey.xlsx")
    surveymonkey_trimmed(HERE / "surveymonkey_trimmed.csv")
    spss(HERE / "spss.sav")
    parquet(HERE / "wjx.parquet")
    two_sheets(HERE / "two_sheets.xlsx")
    ods(HERE / "plain.ods")

    rows = ["id,部门,q1,q2,备注", "007,一组,5,4,", "2,二组,3,,很好", "3,一组,4,5,\"含,逗号\""]
    (HERE / "plain.csv").write_bytes(("\n".join(rows) + "\n").encode("utf-8"))
    (HERE / "bom.csv").write_bytes(("\r\n".join(rows) + "\r\n").encode("utf-8-sig"))
    gbk = ["序号,提交答卷时间,所用时间,1、部门,2、服务态度", "1,2026/3/2 9:15:04,95秒,财务部,满意",
           "2,2026/3/2 10:01:47,2分3秒,人事部,非常满意"]
    (HERE / "gbk.csv").write_bytes(("\r\n".join(gbk) + "\r\n").encode("gb18030"))
    (HERE / "plain.tsv").write_bytes("id\tq1\tq2\n1\t5\t满意\n2\t4\t3\n".encode())

    wb = workbook()
    wb.active.append(["id", "q1"])
    for i in range(1, 30):
        wb.active.append([i, i % 5 + 1])
    whole = save(wb)
    (BAD / "truncated.xlsx").write_bytes(whole[: len(whole) // 2])
    (BAD / "html.xls").write_bytes(
        "<html><head><meta charset=\"utf-8\"></head><body><table>"
        "<tr><td>序号</td><td>1、满意度</td></tr><tr><td>1</td><td>满意</td></tr>"
        "</table></body></html>\n".encode())
    encrypted(BAD / "encrypted.xlsx")
    (BAD / "empty.csv").write_bytes(b"")
    (BAD / "header_only.csv").write_bytes(b"id,q1,q2\n")
    (BAD / "duplicate_headers.csv").write_bytes("id,满意度,q2,满意度\n1,5,4,3\n".encode())


if __name__ == "__main__":
    main()
