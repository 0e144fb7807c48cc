"""Write the corpus of broken survey exports and models that tests/test_bad_inputs.py runs.

Run ``python tests/data/bad/make_bad.py``; every file is written next to this script, byte for
byte the same on every run (no clocks, fixed ZIP timestamps, workbooks assembled from their XML
parts rather than by a library that stamps the time). The files are committed, so the tests do
not depend on this script. ``CASES.yaml`` beside it says, for each file, the command-line
arguments, the exit code and the issues ``[code, row, column]`` that ``csi score`` must give.

Every file is small: the "1 GB sheet" declares ``<dimension ref="A1:XFD1048576"/>`` and holds a
value in XFD1048576, in a few hundred bytes.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
STAMP = (2026, 1, 1, 0, 0, 0)

HEADER = ["id", "q1", "q2", "q3", "备注"]
ROWS = [
    [1, 5, 4, 5, "希望更及时"],
    [2, 4, 4, 3, ""],
    [3, 3, 2, 4, "无"],
    [4, 5, 5, 5, ""],
    [5, 2, 3, 3, "报税提醒太晚"],
    [6, 4, 4, 4, ""],
]

MODEL = """\
# The model every data case of the corpus is scored with (unless its case names another).
name: bad-input corpus
scale: {min: 1, max: 5}
labels: {非常满意: 5, 满意: 4, 一般: 3, 不满意: 2, 非常不满意: 1}
missing: [不适用]
quality: {min_answered: 0.5}
pii: [phone, 姓名]
children:
  - {id: q1, name: Q1, column: q1}
  - {id: q2, name: Q2, column: q2}
  - {id: q3, name: Q3, column: q3}
"""


# ---------------------------------------------------------------- helpers


def csv_text(rows: list[list[object]], sep: str = ",", end: str = "\n") -> str:
    return end.join(sep.join(str(c) for c in r) for r in rows) + end


def zip_bytes(parts: dict[str, bytes | str], compress: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in parts.items():
            z.writestr(zipfile.ZipInfo(name, STAMP), data, compress)
    return out.getvalue()


def letter(index: int) -> str:
    """1-based column number → letters."""
    s = ""
    while index:
        index, rest = divmod(index - 1, 26)
        s = chr(65 + rest) + s
    return s


def cell(ref: str, value: object) -> str:
    """One ``<c>``: a number, inline text, or a raw ``("xml", attrs, inner)`` cell."""
    if isinstance(value, tuple):
        _, attrs, inner = value
        return f'<c r="{ref}"{attrs}>{inner}</c>'
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def sheet_xml(rows: list[list[object]], first_row: int = 1, extra: str = "", dimension: str | None = None,
              cells: dict[str, object] | None = None) -> str:
    """A worksheet part; ``cells`` adds values by reference (e.g. far away), ``extra`` goes after sheetData."""
    by_row: dict[int, list[tuple[int, str]]] = {}
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if value is None or value == "":
                continue
            by_row.setdefault(first_row + i, []).append((j + 1, cell(f"{letter(j + 1)}{first_row + i}", value)))
    for ref, value in (cells or {}).items():
        col = "".join(ch for ch in ref if ch.isalpha())
        r = int(ref[len(col):])
        number = 0
        for ch in col:
            number = number * 26 + ord(ch) - 64
        by_row.setdefault(r, []).append((number, cell(ref, value)))
    body = "".join(f'<row r="{r}">' + "".join(c for _, c in sorted(by_row[r])) + "</row>" for r in sorted(by_row))
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"{dim}<sheetData>{body}</sheetData>{extra}</worksheet>")


def xlsx(sheets: dict[str, str], drop: tuple[str, ...] = ()) -> bytes:
    """A minimal xlsx package of the given worksheet parts (by sheet name); ``drop`` leaves parts out."""
    names = list(sheets)
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        + "".join(f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" '
                  'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                  for i in range(len(names)))
        + "</Types>")
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="xl/workbook.xml"/></Relationships>')
    workbook = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                + "".join(f'<sheet name="{escape(n)}" sheetId="{i + 1}" r:id="rId{i + 1}"/>' for i, n in enumerate(names))
                + "</sheets></workbook>")
    book_rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                 '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 + "".join(f'<Relationship Id="rId{i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/'
                           f'2006/relationships/worksheet" Target="worksheets/sheet{i + 1}.xml"/>'
                           for i in range(len(names)))
                 + "</Relationships>")
    parts: dict[str, bytes | str] = {"[Content_Types].xml": content_types, "_rels/.rels": rels,
                                     "xl/workbook.xml": workbook, "xl/_rels/workbook.xml.rels": book_rels}
    for i, name in enumerate(names):
        parts[f"xl/worksheets/sheet{i + 1}.xml"] = sheets[name]
    return zip_bytes({k: v for k, v in parts.items() if k not in drop})


def ods(rows_xml: str) -> bytes:
    """An OpenDocument spreadsheet of one sheet, from its table rows' XML."""
    content = ('<?xml version="1.0" encoding="UTF-8"?>'
               '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               f'<office:body><office:spreadsheet><table:table table:name="S">{rows_xml}</table:table>'
               "</office:spreadsheet></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:  # the mimetype entry first, stored
        z.writestr(zipfile.ZipInfo("mimetype", STAMP), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr(zipfile.ZipInfo("META-INF/manifest.xml", STAMP), manifest, zipfile.ZIP_DEFLATED)
        z.writestr(zipfile.ZipInfo("content.xml", STAMP), content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def damaged_member(package: bytes, name: str) -> bytes:
    """``package`` with the compressed bytes of one member scrambled (the ZIP directory intact)."""
    with zipfile.ZipFile(io.BytesIO(package)) as z:
        info = z.getinfo(name)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data = bytearray(package)
    for i in range(start + 8, start + min(info.compress_size, 200), 3):
        data[i] ^= 0x5A
    return bytes(data)


def ole2(streams: list[str]) -> bytes:
    """The shape of an OLE2 (CFB) file: its signature and directory entry names; the rest zeros."""
    header = bytearray(512)
    header[:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    directory = bytearray(512)
    for i, name in enumerate(["Root Entry", *streams]):
        raw = name.encode("utf-16-le") + b"\x00\x00"
        directory[i * 128:i * 128 + len(raw)] = raw
    return bytes(header) + bytes(directory)


def good_rows() -> list[list[object]]:
    return [HEADER, *ROWS]


# ---------------------------------------------------------------- the corpus


def data_files() -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    good = xlsx({"Sheet1": sheet_xml(good_rows())})
    files["answers.csv"] = csv_text(good_rows()).encode()

    # -- not a workbook, or a damaged one
    files["truncated.xlsx"] = good[: len(good) // 2]
    files["bad_zip.xlsx"] = b"PK\x03\x04" + bytes(range(256)) * 2
    files["zip_not_workbook.xlsx"] = zip_bytes({"readme.txt": "these are not the answers you are looking for"})
    files["missing_sheet_xml.xlsx"] = xlsx({"Sheet1": sheet_xml(good_rows())}, drop=("xl/worksheets/sheet1.xml",))
    files["broken_sheet_xml.xlsx"] = xlsx({"Sheet1": sheet_xml(good_rows())[:300]})
    files["corrupt_deflate.xlsx"] = damaged_member(good, "xl/worksheets/sheet1.xml")
    files["encrypted.xlsx"] = ole2(["EncryptionInfo", "EncryptedPackage"])
    files["word_document.xls"] = ole2(["WordDocument", "\x05SummaryInformation"])
    files["html.xls"] = ('<html><head><meta charset="utf-8"><title>问卷星</title></head><body><table>'
                         "<tr><td>id</td><td>q1</td></tr><tr><td>1</td><td>5</td></tr></table></body></html>\n").encode()
    files["excel2003.xls"] = (b'<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?>'
                              b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="S"/>'
                              b"</Workbook>\n")
    files["csv_named.xlsx"] = csv_text(good_rows()).encode()
    files["xlsx_named.csv"] = good
    files["answers.txt"] = csv_text(good_rows()).encode()

    # -- empty, or nothing below the header
    files["empty.csv"] = b""
    files["blank.csv"] = b"\xef\xbb\xbf\r\n   \n\n"
    files["empty_sheet.xlsx"] = xlsx({"Sheet1": sheet_xml([])})
    files["header_only.csv"] = csv_text([HEADER]).encode()
    files["header_only.xlsx"] = xlsx({"Sheet1": sheet_xml([HEADER])})
    files["two_sheets.xlsx"] = xlsx({"说明": sheet_xml([["本文件由客服部整理，数据在 2026Q3 表"]]),
                                     "2026Q3": sheet_xml(good_rows())})

    # -- headers
    files["duplicate_headers.csv"] = csv_text([["id", "q1", "q2", "q3", "q2"], *[r[:4] + [1] for r in ROWS]]).encode()
    files["duplicate_headers.xlsx"] = xlsx({"Sheet1": sheet_xml([["id", "q1", "q2", " q1 ", "q3"], *[r[:4] + [1] for r in ROWS]])})
    files["title_row.csv"] = csv_text([["2026年第三季度客户满意度调查"], *good_rows()]).encode("utf-8-sig")
    files["title_row.xlsx"] = xlsx({"Sheet1": sheet_xml([["2026年第三季度客户满意度调查"], [], *good_rows()])})
    merged = ('<mergeCells count="2"><mergeCell ref="A1:A2"/><mergeCell ref="B1:D1"/></mergeCells>')
    files["merged_header.xlsx"] = xlsx({"Sheet1": sheet_xml(
        [["id", "请评价以下方面", None, None], [None, "q1", "q2", "q3"], *[r[:4] for r in ROWS]], extra=merged)})

    # -- encodings and bytes
    files["gbk.csv"] = csv_text([HEADER, [1, "非常满意", "满意", "一般", "希望更及时"], [2, "满意", "不适用", "满意", "无"],
                                 [3, "一般", "满意", "非常满意", ""]], end="\r\n").encode("gbk")
    files["gbk_bad_label.csv"] = csv_text([HEADER, [1, "非常满意", "满意", "一般", ""], [2, "满意", "很好", "满意", "无"]],
                                          end="\r\n").encode("gbk")
    head = csv_text([HEADER, [1, "非常满意", "满意", "一般", "希望更及时"], [2, "满意", "满意", "满意", "无"]]).encode("utf-8")
    files["mixed_encoding.csv"] = head + csv_text([[3, "一般", "满意", "非常满意", "报税提醒太晚"]]).encode("gbk") \
        + csv_text([[4, 5, 4, 5, ""]]).encode("utf-8")
    files["mixed_encoding_gbk_first.csv"] = (csv_text([HEADER, [1, "非常满意", "满意", "一般", "希望更及时"]]).encode("gbk")
                                             + csv_text([[2, "满意", "满意", "满意", "无"]]).encode("utf-8")
                                             + csv_text([[3, "一般", "满意", "非常满意", ""]]).encode("gbk"))
    files["utf16_no_bom.csv"] = csv_text(good_rows()).encode("utf-16-le")
    files["nul_bytes.csv"] = csv_text(good_rows()[:3]).encode() + b"3,4,\x00\x00\x00,5,\n" + csv_text(good_rows()[4:]).encode()
    files["nul_padded.csv"] = csv_text(good_rows()).encode() + b"\x00" * 64
    files["unclosed_quote.csv"] = csv_text(good_rows()[:3]).encode() + b'3,4,"5,4,\n' + csv_text(good_rows()[4:]).encode()

    # -- cells that are not answers
    files["labels.csv"] = csv_text([HEADER, [1, "非常满意", "满意", "很好", ""], [2, "满意", "满意", "满意", ""],
                                    [3, "一般", "5分", "不适用", ""], [4, "不满意", "满意", "一般", ""]]).encode()
    files["fullwidth.csv"] = csv_text([HEADER, [1, "５", "４", "３", ""], [2, "４ ", "　５", "５分", ""],
                                       [3, "3", "２", "４．０", ""]]).encode()
    text_numbers = [HEADER, *[[r[0], str(r[1]), r[2], f" {r[3]} ", r[4]] for r in ROWS]]
    files["numbers_as_text.xlsx"] = xlsx({"Sheet1": sheet_xml(text_numbers)})
    files["out_of_range.csv"] = csv_text([HEADER, [1, 5, 4, 5, ""], [2, 6, 4, 0, ""], [3, -1, 4.5, 3, ""],
                                          [4, 5, 1e3, 4, ""], [5, 4, 4, 4, ""]]).encode()
    files["wrong_scale.csv"] = csv_text([HEADER, *[[i, 4, (i * 3) % 10 + 1, 5, ""] for i in range(1, 11)]]).encode()
    formulas = [HEADER,
                [1, ("x", "", "<f>2+3</f><v>5</v>"), 4, 5, ""],
                [2, 4, ("x", ' t="e"', "<f>1/0</f><v>#DIV/0!</v>"), 3, ""],
                [3, 3, 2, ("x", ' t="e"', "<v>#N/A</v>"), ""],
                [4, 5, 5, 5, ("x", ' t="str"', '<f>"见"&amp;"附件"</f><v>见附件</v>')]]
    files["formulas.xlsx"] = xlsx({"Sheet1": sheet_xml(formulas)})
    uncalculated = [HEADER, [1, 5, 4, 5, ""], [2, ("x", "", "<f>AVERAGE(B2:B2)</f>"), 4, 3, ""], [3, 3, 2, 4, ""]]
    files["formulas_not_calculated.xlsx"] = xlsx({"Sheet1": sheet_xml(uncalculated)})
    # Excel stores a date as a day number in a cell with a date style; the reader sees the
    # style through styles.xml, so the raw parts here carry one.
    files["dates.xlsx"] = dated_workbook([HEADER, [1, 5, 4, 5, ""], [2, ("d", 46146), 4, 3, ""], [3, 3, 2, 4, ""]])
    files["date_column.xlsx"] = dated_workbook([HEADER, *[[r[0], r[1], ("d", 46082 + r[0] + 0.375), r[3], ""] for r in ROWS]])

    # -- size
    files["sparse_dimension.xlsx"] = xlsx({"Sheet1": sheet_xml(good_rows(), dimension="A1:XFD1048576")})
    files["far_cell.xlsx"] = xlsx({"Sheet1": sheet_xml(good_rows(), dimension="A1:XFD1048576", cells={"XFD1048576": "x"})})
    files["far_cell_no_dimension.xlsx"] = xlsx({"Sheet1": sheet_xml(good_rows(), cells={"AAA900000": 1})})
    files["repeated_cells.ods"] = ods(
        '<table:table-row><table:table-cell office:value-type="string"><text:p>q1</text:p></table:table-cell></table:table-row>'
        '<table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="16384" '
        'office:value-type="float" office:value="5"><text:p>5</text:p></table:table-cell></table:table-row>')

    # -- privacy and options
    files["with_pii.csv"] = csv_text([["id", "姓名", "phone", "q1", "q2", "q3", "w"],
                                      *[[r[0], f"客户{r[0]}", f"1380000000{r[0]}", *r[1:4], 1] for r in ROWS]]).encode()
    files["bad_weights.csv"] = csv_text([["id", "q1", "q2", "q3", "w"], [1, 5, 4, 5, 1], [2, 4, 4, 3, 0],
                                         [3, 3, 2, 4, "abc"], [4, 5, 5, 5, 2], [5, 4, 3, 3, -1]]).encode()
    return files


def dated_workbook(rows: list[list[object]]) -> bytes:
    """An xlsx whose ``("d", serial)`` cells carry a date-time number format (styles.xml)."""
    body = [[("x", ' s="1"', f"<v>{v[1]}</v>") if isinstance(v, tuple) and v[0] == "d" else v for v in r] for r in rows]
    book = zipfile.ZipFile(io.BytesIO(xlsx({"Sheet1": sheet_xml(body)})))
    parts: dict[str, bytes | str] = {n: book.read(n) for n in book.namelist()}
    styles = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              '<fonts count="1"><font/></fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders>'
              '<cellStyleXfs count="1"><xf/></cellStyleXfs>'
              '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="22" applyNumberFormat="1"/></cellXfs></styleSheet>')
    parts["xl/styles.xml"] = styles
    rels = parts["xl/_rels/workbook.xml.rels"]
    assert isinstance(rels, bytes)
    parts["xl/_rels/workbook.xml.rels"] = rels.replace(
        b"</Relationships>", b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                             b'relationships/styles" Target="styles.xml"/></Relationships>')
    types = parts["[Content_Types].xml"]
    assert isinstance(types, bytes)
    parts["[Content_Types].xml"] = types.replace(
        b"</Types>", b'<Override PartName="/xl/styles.xml" '
                     b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>')
    return zip_bytes(parts)


def model_files() -> dict[str, str | bytes]:
    items = "  - {id: q1, name: Q1, column: q1}\n  - {id: q2, name: Q2, column: q2}\n  - {id: q3, name: Q3, column: q3}\n"
    files: dict[str, str | bytes] = {"model.yaml": MODEL}
    files["model_syntax.yaml"] = "name: broken\nchildren:\n  - {id: q1, name: Q1, column: q1\n  - {id: q2, column: q2}\n"
    files["model_tabs.yaml"] = "name: tabs\nchildren:\n\t- {id: q1, column: q1}\n"
    files["model_duplicate_keys.yaml"] = ("name: duplicate keys\ntarget: 80\nchildren:\n"
                                          "  - {id: q1, column: q1, weight: 2}\n  - {id: q2, column: q2, weight: 1}\n"
                                          "target: 85\n")
    lines = ["name: billion laughs", "lol0: &l0 {id: q1, column: q1}"]
    for i in range(1, 10):
        refs = ", ".join([f"*l{i - 1}"] * 10)
        lines.append(f"lol{i}: &l{i} {{id: g{i}, children: [{refs}]}}")
    lines.append("children: [*l9]")
    files["model_billion_laughs.yaml"] = "\n".join(lines) + "\n"
    files["model_deep.yaml"] = "name: deep\nchildren: " + "[" * 5000 + "]" * 5000 + "\n"
    files["model_unknown_key.yaml"] = ("name: unknown keys\nchildren:\n  - {id: q1, column: q1, wieght: 2}\n"
                                       "  - {id: q2, column: q2, colour: red}\n")
    files["model_wrong_types.yaml"] = ("name: wrong types\ntarget: high\nchildren:\n  - {id: q1, column: q1, reverse: \"yes\"}\n"
                                       "  - {id: q2, column: q2, scale: 5}\n  - {id: q3, column: [q3]}\n")
    files["model_duplicate_ids.yaml"] = ("name: duplicate ids\nchildren:\n  - id: quality\n    children:\n"
                                         "      - {id: q1, column: q1}\n      - {id: q2, column: q2}\n"
                                         "  - {id: q2, column: q3}\n")
    files["model_weights.yaml"] = ("name: weights\nchildren:\n  - {id: q1, column: q1, weight: 0}\n"
                                   "  - {id: q2, column: q2, weight: -1}\n  - {id: q3, column: q3, weight: 1}\n")
    files["model_ahp_not_reciprocal.yaml"] = "name: ahp\nmethod: ahp\nahp: [[1, 3, 5], [3, 1, 2], [\"1/5\", \"1/2\", 1]]\nchildren:\n" + items
    files["model_ahp_inconsistent.yaml"] = ("name: ahp\nmethod: ahp\nahp: [[1, 9, \"1/9\"], [\"1/9\", 1, 9], [9, \"1/9\", 1]]\n"
                                            "children:\n" + items)
    files["model_ahp_shape.yaml"] = "name: ahp\nmethod: ahp\nahp: [[1, 3], [\"1/3\", 1]]\nchildren:\n" + items
    files["model_bad_regex.yaml"] = "name: regex\nchildren:\n  - {id: q1, match: \"q(1\"}\n  - {id: q2, match: \"*q2\"}\n"
    files["model_regex_nothing.yaml"] = "name: regex\nchildren:\n  - {id: q1, match: \"^Q1$\"}\n  - {id: q2, column: q2}\n"
    files["model_regex_many.yaml"] = "name: regex\nchildren:\n  - {id: q1, match: \"^q\"}\n  - {id: q2, column: q2}\n"
    files["model_missing_column.yaml"] = "name: missing\nchildren:\n  - {id: q1, column: q11}\n  - {id: q2, column: Q4}\n"
    files["model_python_tag.yaml"] = "name: !!python/object/apply:os.system [\"echo hacked\"]\nchildren:\n" + items
    files["model_not_utf8.yaml"] = "name: 满意度\nchildren:\n".encode("gbk") + items.encode()
    files["model_empty.yaml"] = "# nothing here yet\n"
    files["model_list.yaml"] = "- {id: q1, column: q1}\n- {id: q2, column: q2}\n"
    files["model_scale.yaml"] = "name: scale\nscale: {min: 5, max: 1}\nchildren:\n" + items
    files["model_labels.yaml"] = "name: labels\nlabels: {很好: 6, 好: 4}\nchildren:\n" + items
    files["model_pii_item.yaml"] = "name: pii item\npii: [phone]\nchildren:\n  - {id: q1, column: q1}\n  - {id: tel, column: phone}\n"
    return files


def main() -> None:
    for name, data in {**data_files(), **model_files()}.items():
        (HERE / name).write_bytes(data.encode() if isinstance(data, str) else data)


if __name__ == "__main__":
    main()
