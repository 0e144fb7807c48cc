"""Write large, seeded 问卷星 (wjx) 按文本 exports for the speed benchmarks.

    python benchmarks/generate.py                    # both files below
    python benchmarks/generate.py --only csv --csv-rows 200000

benchmarks/data/wjx_100k.xlsx   100 000 rows, openpyxl write-only (slow, about a minute; one-off)
benchmarks/data/wjx_1m.csv      1 000 000 rows, built column-wise with numpy, written by pyarrow
benchmarks/data/wjx_1m_units.csv  the same rows and a column 客户经理 of 5 000 account managers (csi rank)

The columns are exactly those of examples/make_examples.py (``HEADERS``, 37 columns), which the
built-in model indicators.yaml reads, and the cells look like a real download: answer
labels as text (非常满意 … 非常不满意, 不适用), "(跳过)" for questions skipped by display logic,
"(空)" for an empty open answer, 所用时间 as "186秒", 提交答卷时间 as "2026/9/7 9:05:03", the
segment columns 1、客户类型 and 2、部门. On top of that 3 % of the question cells (questions 1–18)
are blank, and there are the usual data-quality cases: ~1.5 % speeders (< 60 s), ~0.5 % nearly
empty answers, ~1 % straight-liners, ~0.2 % second submissions from the same phone number and a
few invalid answers ("5分", "很好", "不记得").

The latent model is the one of make_examples.py (quarter 2026Q3), drawn column-wise. Every
column is built as integer codes into a small pool of cell values (−1: blank), so the same
draw serves both writers: the CSV as Arrow dictionary arrays cast to text, the workbook as
Python values (numbers as numbers, text as text). One ``numpy.random.default_rng(seed)``: the
same seed and size give the same cells.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from datetime import datetime
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
XLSX = DATA / "wjx_100k.xlsx"
CSV = DATA / "wjx_1m.csv"
LABELS_XLSX = DATA / "wjx_labels_100k.xlsx"
LABELS_CSV = DATA / "wjx_labels_1m.csv"
LABELS_MODEL = HERE / "wjx_labels.yaml"  # the model that reads the two files above
UNITS_CSV = DATA / "wjx_1m_units.csv"  # wjx_1m.csv's columns and 客户经理 (5 000 account managers), for csi rank
UNIT_COLUMN = "客户经理"
SEED = 20260907
BLANK_SHARE = 0.03
QUARTER = "2026Q3"


def _examples():
    """examples/make_examples.py as a module (it is a script, not a package)."""
    spec = importlib.util.spec_from_file_location("make_examples", ROOT / "examples" / "make_examples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_examples", module)
    spec.loader.exec_module(module)
    return module


ex = _examples()
HEADERS: list[str] = list(ex.HEADERS)


class Column:
    """One export column: ``codes`` into ``pool`` (−1 = blank cell), or plain ``values``."""

    __slots__ = ("codes", "pool", "values")

    def __init__(self, codes: np.ndarray | None = None, pool: list | None = None, values: list | None = None):
        self.codes, self.pool, self.values = codes, pool, values

    def as_python(self) -> list:
        if self.values is not None:
            return self.values
        assert self.codes is not None and self.pool is not None
        table = np.empty(len(self.pool) + 1, dtype=object)
        table[:-1] = self.pool
        table[-1] = None
        return table[self.codes].tolist()  # code −1 picks the trailing None

    def as_arrow(self):
        import pyarrow as pa

        if self.values is not None:
            return pa.array([None if v is None else str(v) for v in self.values], pa.string())
        assert self.codes is not None and self.pool is not None
        indices = pa.array(self.codes.astype(np.int32), mask=self.codes < 0)
        dictionary = pa.array([str(v) for v in self.pool], pa.string())
        return pa.DictionaryArray.from_arrays(indices, dictionary).cast(pa.string())


def _points(y: np.ndarray, lo: int, hi: int) -> np.ndarray:
    return np.clip(np.floor(y + 0.5), lo, hi).astype(np.int64)


def _unique_phones(n: int, rng: np.random.Generator) -> np.ndarray:
    """n distinct 11-digit numbers 199xxxxxxxx: an affine bijection of 0…10⁸−1 (no 10⁸ array)."""
    a = 48_271 * 2 + 1  # odd and not a multiple of 5: coprime with 10⁸
    b = int(rng.integers(0, 10**8))
    tails = (np.arange(n, dtype=np.int64) * a + b) % 10**8
    return 19_900_000_000 + tails


def _times(n: int, rng: np.random.Generator) -> tuple[list[str], np.ndarray]:
    """Submit times as wjx writes them ("2026/9/7 9:05:03"), sorted as in a download."""
    import pyarrow as pa
    import pyarrow.compute as pc

    days = np.minimum(rng.exponential(4.0, size=n), 20).astype(np.int64)
    secs = (8 * 3600 + 14 * 3600 * rng.beta(2.2, 2.0, size=n)).astype(np.int64)
    stamp = np.sort(days * 86400 + secs)
    start = np.datetime64("2026-09-07")
    date = start + (stamp // 86400).astype("timedelta64[D]")
    sod = stamp % 86400
    y = date.astype("datetime64[Y]").astype(np.int64) + 1970
    m = date.astype("datetime64[M]").astype(np.int64) % 12 + 1
    d = (date - date.astype("datetime64[M]")).astype(np.int64) + 1
    h, mi, s = sod // 3600, sod % 3600 // 60, sod % 60

    def text(x: np.ndarray, width: int = 0):
        t = pc.cast(pa.array(x), pa.string())
        return pc.utf8_lpad(t, width, "0") if width else t

    joined = pc.binary_join_element_wise(text(y), text(m), text(d), "/")
    clock = pc.binary_join_element_wise(text(h), text(mi, 2), text(s, 2), ":")
    return pc.binary_join_element_wise(joined, clock, " ").to_pylist(), stamp


def _lead_columns(n: int, rng: np.random.Generator, median_s: float = 210, longest: int = 1500) -> dict[str, Column]:
    """The six wjx meta columns (never blank): 序号, 提交答卷时间, 所用时间 ("186秒", ~1.5 % under
    60 s), 来源, 来源详情, 来自IP."""
    cols: dict[str, Column] = {}
    cols["序号"] = Column(values=list(range(1, n + 1)))
    stamps, _ = _times(n, rng)
    cols["提交答卷时间"] = Column(values=stamps)
    seconds = np.clip(rng.lognormal(np.log(median_s), 0.45, size=n), 65, longest).astype(np.int64)
    speeder = rng.random(n) < 0.015
    seconds[speeder] = rng.integers(18, 60, size=int(speeder.sum()))
    cols["所用时间"] = Column(seconds, [f"{s}秒" for s in range(longest + 1)])
    probs = np.array([p for *_, p in ex.SOURCES])
    source = rng.choice(len(ex.SOURCES), size=n, p=probs / probs.sum())
    src_pool = sorted({s[0] for s in ex.SOURCES})
    detail_pool = sorted({s[1] for s in ex.SOURCES})
    cols["来源"] = Column(np.array([src_pool.index(s[0]) for s in ex.SOURCES])[source], src_pool)
    cols["来源详情"] = Column(np.array([detail_pool.index(s[1]) for s in ex.SOURCES])[source], detail_pool)
    ip_pool = [f"{net}.{k}({region})" for net in ("203.0.113", "198.51.100", "192.0.2") for k in range(1, 255)
               for region in dict.fromkeys(ex.REGIONS)]
    cols["来自IP"] = Column(rng.integers(0, len(ip_pool), size=n), ip_pool)
    return cols


def make_columns(n: int, seed: int = SEED, g_shift: np.ndarray | None = None) -> dict[str, Column]:
    """All 37 columns of an n-row export, in ``HEADERS`` order (``g_shift``: added to each row's
    general satisfaction, for unit effects; None leaves the cells of the other files as they were)."""
    rng = np.random.default_rng(seed)
    cols: dict[str, Column] = {}

    # ---- who answered
    dept = rng.choice(len(ex.DEPTS), size=n, p=ex.DEPT_P)
    ctype = rng.choice(len(ex.CLIENT_TYPES), size=n, p=ex.CLIENT_TYPE_P)
    g = rng.normal(size=n)
    if g_shift is not None:
        g = g + g_shift
    lat = {}
    for dim in ex.DIMENSIONS:
        mu = np.full(n, dim.mean)
        for i, name in enumerate(ex.DEPTS):
            mu[dept == i] += ex.DEPT_EFFECT.get(name, {}).get(dim.key, 0.0) + ex.Q3_DIM_SHIFT[name].get(dim.key, 0.0)
        for i, name in enumerate(ex.CLIENT_TYPES):
            mu[ctype == i] += ex.TYPE_EFFECT.get(name, {}).get(dim.key, 0.0)
        lat[dim.key] = mu + 0.5 * g + rng.normal(0, 0.35, size=n)

    # ---- meta columns (never blank)
    cols.update(_lead_columns(n, rng))

    # ---- questions 1–4: segments and personal data
    cols[ex.H_TYPE] = Column(ctype, list(ex.CLIENT_TYPES))
    cols[ex.H_DEPT] = Column(dept, list(ex.DEPTS))
    name_rng = np.random.default_rng(seed + 1)
    names = sorted({str(name_rng.choice(list(ex.SURNAMES))) + "".join(name_rng.choice(list(ex.GIVEN), size=int(name_rng.integers(1, 3))))
                    for _ in range(20_000)})
    cols[ex.H_NAME] = Column(rng.integers(0, len(names), size=n), names)
    phones = _unique_phones(n, rng)
    again = np.flatnonzero(rng.random(n) < 0.002)  # a second submission from the same client
    again = again[again > 0]
    phones[again] = phones[(rng.random(again.size) * again).astype(np.int64)]
    cols[ex.H_PHONE] = Column(values=[str(p) for p in phones.tolist()])

    # ---- rating matrices (5, 6, 7, 11, 12, 13): labels, 不适用
    label_pool = [*ex.LABELS, ex.NA_TEXT, ex.SKIP]
    na_code, skip_code = len(ex.LABELS), len(ex.LABELS) + 1
    for dim, label, off, na in ex.rating_headers():
        shift = ex.Q3_ITEM_SHIFT.get((None, label), 0.0) + np.where(
            dept == ex.DEPTS.index("记账二部"), ex.Q3_ITEM_SHIFT.get(("记账二部", label), 0.0), 0.0)
        point = _points(lat[dim.key] + off + shift + rng.normal(0, 0.5, size=n), 1, 5)
        codes = point - 1
        codes[rng.random(n) < na] = na_code
        cols[ex.matrix_header(dim, label)] = Column(codes, label_pool)

    # ---- measured channel times (8–10): numbers, or (跳过) when the channel was not used
    eff_dev = lat["efficiency"] - ex.DIMENSIONS[ex.DIM_INDEX["efficiency"]].mean
    use = ex.CHANNEL_USE[QUARTER]
    median = {k: np.array(v, dtype=float)[dept] for k, v in
              (("phone", ex.PHONE_S[QUARTER]), ("email", ex.EMAIL_H[QUARTER]), ("chat", ex.CHAT_MIN[QUARTER]))}
    phone = median["phone"] * np.exp(-0.35 * eff_dev + rng.normal(0, 0.5, size=n))
    phone_pool: list[object] = [*range(5, 481, 5), ex.SKIP]
    phone_codes = (np.round(np.clip(phone, 5, 480) / 5) - 1).astype(np.int64)
    phone_codes[rng.random(n) >= use[0]] = len(phone_pool) - 1
    cols[ex.H_PHONE_WAIT] = Column(phone_codes, phone_pool)
    email = median["email"] * np.exp(-0.35 * eff_dev + rng.normal(0, 0.55, size=n))
    email_pool: list[object] = [*range(1, 121), ex.SKIP]
    email_codes = (np.clip(np.round(email), 1, 120) - 1).astype(np.int64)
    email_codes[rng.random(n) >= use[1]] = len(email_pool) - 1
    cols[ex.H_EMAIL] = Column(email_codes, email_pool)
    chat = np.clip(median["chat"] * np.exp(-0.35 * eff_dev + rng.normal(0, 0.6, size=n)), 0.5, 60)
    chat_pool: list[object] = [k / 2 if k % 2 else k // 2 for k in range(1, 10)] + list(range(5, 61)) + [ex.SKIP]
    chat_codes = np.where(chat < 5, np.round(chat * 2) - 1, 9 + np.round(chat) - 5)
    chat_codes = np.clip(chat_codes, 0, len(chat_pool) - 2).astype(np.int64)
    chat_codes[rng.random(n) >= use[2]] = len(chat_pool) - 1
    cols[ex.H_CHAT] = Column(chat_codes, chat_pool)

    # ---- outcome (14–17) and the open question (18)
    s = sum(w * lat[k] for k, w in ex.DRIVER_WEIGHTS.items())
    base10 = 1 + (s - 1) / 4 * 9
    ten: list[object] = [*range(0, 11), ex.SKIP]
    cols[ex.H_SAT] = Column(_points(base10 + rng.normal(0, 0.8, size=n), 1, 10), ten)
    cols[ex.H_EXPECT] = Column(_points(base10 - 0.3 + rng.normal(0, 0.9, size=n), 1, 10), ten)
    cols[ex.H_IDEAL] = Column(_points(base10 - 0.8 + rng.normal(0, 0.9, size=n), 1, 10), ten)
    cols[ex.H_NPS] = Column(_points((s - 1) / 4 * 10 + 0.4 + rng.normal(0, 1.1, size=n), 0, 10), ten)
    comment_pool = [ex.EMPTY, *dict.fromkeys(c for pool in ex.COMMENTS.values() for c in pool)]
    comment = rng.integers(1, len(comment_pool), size=n)
    comment[rng.random(n) > 0.28] = 0
    cols[ex.H_COMMENT] = Column(comment, comment_pool)

    # ---- data-quality cases
    ratings = [ex.matrix_header(d, label) for d, label, _, _ in ex.rating_headers()]
    straight = rng.random(n) < 0.01
    for h in ratings:
        cols[h].codes[straight] = ex.LABELS.index("非常满意")  # type: ignore[index]
    for h in (ex.H_SAT, ex.H_EXPECT, ex.H_IDEAL, ex.H_NPS):
        cols[h].codes[straight] = 10  # type: ignore[index]
    empty = rng.random(n) < 0.005
    for h in ratings[2:]:
        cols[h].codes[empty] = skip_code  # type: ignore[index]
    for h in (ex.H_PHONE_WAIT, ex.H_EMAIL, ex.H_CHAT, ex.H_SAT, ex.H_EXPECT, ex.H_IDEAL, ex.H_NPS):
        col = cols[h]
        col.codes[empty] = len(col.pool) - 1  # type: ignore[index, arg-type]

    # ---- 3 % blank cells in every question column
    questions = [h for h in HEADERS if h not in ex.LEAD]
    for h in questions:
        col = cols[h]
        blank = rng.random(n) < BLANK_SHARE
        if col.codes is not None:
            col.codes = np.where(blank, -1, col.codes)
        else:
            assert col.values is not None
            col.values = [None if b else v for v, b in zip(col.values, blank.tolist(), strict=True)]

    # ---- a few invalid answers (about 1 in 10 000 rating/metric cells)
    for h, bad in ((ratings[0], "很好"), (ratings[5], "5分"), (ratings[14], "？"), (ex.H_PHONE_WAIT, "不记得"),
                   (ex.H_EMAIL, "半天"), (ex.H_CHAT, "1-2")):
        col = cols[h]
        assert col.pool is not None and col.codes is not None
        col.pool = [*col.pool, bad]
        col.codes[rng.random(n) < 1e-4] = len(col.pool) - 1

    return {h: cols[h] for h in HEADERS}


# ---------------------------------------------------------------- 按选项文本: 40 label items

#: Eight dimensions of five items, each a wjx matrix question "N、题干—行": (key, question
#: number, stem, mean on 1–5, item rows with an offset from the dimension's mean).
LABEL_DIMENSIONS = (
    ("quality", 2, "请评价我们的服务质量", 4.05,
     (("账务处理准确性", 0.15), ("纳税申报及时性", 0.1), ("财税处理合规性", 0.05), ("信息保密性", 0.2), ("票据处理规范性", -0.1))),
    ("attitude", 3, "请评价服务人员的服务态度", 4.15,
     (("服务人员礼貌", 0.2), ("解答问题耐心", 0.1), ("响应速度", -0.15), ("解决问题的能力", -0.05), ("主动提醒", -0.1))),
    ("efficiency", 4, "请评价服务效率", 3.8,
     (("业务办理速度", 0.0), ("工作流程顺畅", -0.05), ("资料交接便捷", 0.1), ("问题一次解决", -0.2), ("报表按时提交", 0.15))),
    ("innovation", 5, "请评价服务创新", 3.55,
     (("服务模式创新", 0.0), ("线上化与智能化", 0.1), ("增值服务", -0.2), ("个性化方案", -0.1), ("新政策解读", 0.15))),
    ("communication", 6, "请评价客户沟通", 3.9,
     (("沟通渠道多样", 0.1), ("主动沟通频率", -0.2), ("沟通清楚有效", 0.05), ("专业术语解释", 0.0), ("反馈及时", -0.05))),
    ("relationship", 7, "请评价客户关系管理", 3.75,
     (("定期回访与维护", -0.1), ("了解我的需求", 0.05), ("意见与投诉处理", -0.15), ("专属顾问稳定", 0.1), ("节日关怀", 0.0))),
    ("price", 8, "请评价收费与价值", 3.6,
     (("收费透明", 0.1), ("价格合理", -0.2), ("物有所值", -0.05), ("账单清晰", 0.15), ("续费政策", -0.1))),
    ("expertise", 9, "请评价专业能力", 4.0,
     (("财税政策熟悉", 0.15), ("税务筹划建议", -0.15), ("风险提示", 0.05), ("审计配合", 0.0), ("行业经验", 0.1))),
)
LABEL_GROUP = "1、部门"
LABEL_DEPTS = ("记账一部", "记账二部", "记账三部", "记账四部")
LABEL_DEPT_P = (0.30, 0.28, 0.24, 0.18)
LABEL_DEPT_EFFECT = {"记账二部": {"efficiency": -0.25, "communication": -0.15}, "记账三部": {"price": 0.2},
                     "记账四部": {"quality": -0.2, "expertise": -0.15}}
#: The answer labels, index + 1 = scale point (benchmarks/wjx_labels.yaml maps them the same).
LABEL_TEXTS = ("非常不满意", "不满意", "一般", "满意", "非常满意")


def label_item_headers() -> list[str]:
    """The 40 matrix headers, "2、请评价我们的服务质量—账务处理准确性" …"""
    return [f"{number}、{stem}—{row}" for _, number, stem, _, rows in LABEL_DIMENSIONS for row, _ in rows]


LABEL_HEADERS: list[str] = [*ex.LEAD, LABEL_GROUP, *label_item_headers()]


def make_label_columns(n: int, seed: int = SEED) -> dict[str, Column]:
    """The 47 columns of an n-row 按选项文本 export, in ``LABEL_HEADERS`` order: the six meta
    columns, 1、部门 (four departments) and 40 five-point items over eight dimensions, every
    answer a label (非常满意 … 非常不满意). 3 % of the question cells (部门 and the items) are
    blank; ~1.5 % speeders (< 60 s, from the meta columns) and ~1 % straight-liners (非常满意
    throughout)."""
    rng = np.random.default_rng(seed + 2)
    cols = _lead_columns(n, rng, median_s=330, longest=2400)  # 40 items take longer than the 37-column survey
    dept = rng.choice(len(LABEL_DEPTS), size=n, p=LABEL_DEPT_P)
    cols[LABEL_GROUP] = Column(dept, list(LABEL_DEPTS))
    g = rng.normal(size=n)
    straight = rng.random(n) < 0.01
    for key, number, stem, mean, rows in LABEL_DIMENSIONS:
        shift = np.array([LABEL_DEPT_EFFECT.get(d, {}).get(key, 0.0) for d in LABEL_DEPTS])[dept]
        lat = mean + shift + 0.5 * g + rng.normal(0, 0.35, size=n)
        for row, off in rows:
            codes = _points(lat + off + rng.normal(0, 0.5, size=n), 1, 5) - 1
            codes[straight] = len(LABEL_TEXTS) - 1
            cols[f"{number}、{stem}—{row}"] = Column(codes, list(LABEL_TEXTS))
    for h in LABEL_HEADERS[len(ex.LEAD):]:
        col = cols[h]
        col.codes = np.where(rng.random(n) < BLANK_SHARE, -1, col.codes)
    return {h: cols[h] for h in LABEL_HEADERS}


def _save_xlsx(path: Path, headers: list[str], cols: dict[str, Column]) -> None:
    """openpyxl write-only, one sheet "Sheet1", pinned timestamps (as make_examples.write_xlsx)."""
    import io
    import re
    import zipfile

    from openpyxl import Workbook

    data = [c.as_python() for c in cols.values()]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Sheet1")
    ws.append(headers)
    for row in zip(*data, strict=True):
        ws.append(row)
    del data
    buf = io.BytesIO()
    wb.save(buf)
    stamp = datetime(2026, 9, 30, 9, 0, 0)
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            raw = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                raw = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>" + iso.encode(), raw)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6]), raw, compress_type=zipfile.ZIP_DEFLATED)


def _save_csv(path: Path, cols: dict[str, Column]) -> None:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    table = pa.table({h: c.as_arrow() for h, c in cols.items()})
    pacsv.write_csv(table, path, pacsv.WriteOptions(quoting_style="needed"))


def write_labels_xlsx(path: Path, n: int, seed: int = SEED) -> None:
    """The 按选项文本 export as a workbook (openpyxl write-only; 序号 as numbers, the rest text)."""
    _save_xlsx(path, LABEL_HEADERS, make_label_columns(n, seed))


def write_labels_csv(path: Path, n: int, seed: int = SEED) -> None:
    """The 按选项文本 export as UTF-8 CSV, written by pyarrow (blank cells are empty fields)."""
    _save_csv(path, make_label_columns(n, seed))


def write_xlsx(path: Path, n: int, seed: int = SEED) -> None:
    """openpyxl write-only, through make_examples.write_xlsx (pinned timestamps: same bytes every run)."""
    cols = make_columns(n, seed)
    data = [c.as_python() for c in cols.values()]
    rows = [list(r) for r in zip(*data, strict=True)]
    del data
    ex.write_xlsx(path, rows, datetime(2026, 9, 30, 9, 0, 0))


def write_csv(path: Path, n: int, seed: int = SEED) -> None:
    """UTF-8 CSV with a header row, written by pyarrow (blank cells are empty fields)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    cols = make_columns(n, seed)
    table = pa.table({h: c.as_arrow() for h, c in cols.items()})
    pacsv.write_csv(table, path, pacsv.WriteOptions(quoting_style="needed"))


def write_units_csv(path: Path, n: int, seed: int = SEED, units: int = 5_000) -> None:
    """wjx_1m.csv's columns and a column 客户经理 of ``units`` account managers (经理0001 …), their
    client counts skewed as in a real firm (shares ∝ lognormal(0, 0.8)), each with an effect
    N(0, 0.3²) on its clients' general satisfaction (about ±2 index points), for
    ``csi rank --by 客户经理``."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    rng = np.random.default_rng([seed, units])
    share = rng.lognormal(0.0, 0.8, units)
    codes = rng.choice(units, size=n, p=share / share.sum())
    cols = make_columns(n, seed, g_shift=rng.normal(0.0, 0.3, units)[codes])
    cols[UNIT_COLUMN] = Column(codes, [f"经理{i + 1:04d}" for i in range(units)])
    table = pa.table({h: c.as_arrow() for h, c in cols.items()})
    pacsv.write_csv(table, path, pacsv.WriteOptions(quoting_style="needed"))


def main() -> None:
    ap = argparse.ArgumentParser(description="Write seeded wjx-style exports for the benchmarks.")
    ap.add_argument("--only", choices=("xlsx", "csv", "labels-xlsx", "labels-csv", "units-csv"), help="write one of the five files")
    ap.add_argument("--xlsx-rows", type=int, default=100_000, help="rows of both workbooks")
    ap.add_argument("--csv-rows", type=int, default=1_000_000, help="rows of both CSV files")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--force", action="store_true", help="rewrite files that exist")
    args = ap.parse_args()
    DATA.mkdir(parents=True, exist_ok=True)
    jobs = [("xlsx", XLSX, args.xlsx_rows, write_xlsx), ("csv", CSV, args.csv_rows, write_csv),
            ("labels-xlsx", LABELS_XLSX, args.xlsx_rows, write_labels_xlsx),
            ("labels-csv", LABELS_CSV, args.csv_rows, write_labels_csv),
            ("units-csv", UNITS_CSV, args.csv_rows, write_units_csv)]
    for kind, path, n, write in jobs:
        if args.only and args.only != kind:
            continue
        if path.exists() and not args.force:
            print(f"{path.relative_to(ROOT)} exists ({path.stat().st_size / 1e6:.1f} MB); --force to rewrite")
            continue
        t = time.perf_counter()
        write(path, n, args.seed)
        print(f"wrote {path.relative_to(ROOT)}: {n:,} rows, {path.stat().st_size / 1e6:.1f} MB in {time.perf_counter() - t:.1f} s")


if __name__ == "__main__":
    main()
