"""Write the small survey exports that tests/test_read.py reads.

Run once from anywhere (``python tests/data/exports/make_fixtures.py``); the files are
committed, so tests never depend on this script. Everything is made with openpyxl and
plain file writes, and is a few KB at most.

Good files (this folder):
  wjx_text.xlsx       问卷星 按文本 download: labels, (跳过), 所用时间 "95秒", matrix rows "3、…—…"
  wjx_codes.xlsx      the same answers as the 按序号 download: codes 1–5, -2 (not shown), -3 (skipped)
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


def main() -> None:
    BAD.mkdir(exist_ok=True)
    wjx(HERE / "wjx_text.xlsx", as_text=True)
    wjx(HERE / "wjx_codes.xlsx", as_text=False)
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
