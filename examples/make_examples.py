"""Generate the example survey exports in this folder.

Run ``python examples/make_examples.py``; every file is written next to this script and the
output is identical on every run (one seeded ``numpy.random.default_rng``).

Files
-----
accounting_2026Q2.xlsx, accounting_2026Q3.xlsx
    Two quarterly 问卷星 (wjx) "按文本" downloads of a bookkeeping (代理记账) firm's
    client-satisfaction survey, matching the built-in model ``indicators.yaml`` (the repository's root).
accounting_2026Q3_bynumber.xlsx
    The Q3 data as a wjx "按序号" download (answers as option codes, −2/−3 for not shown/skipped).
english/survey.csv, english/model.yaml
    A small English survey in the ``plain`` format and its model.

The latent model
----------------
Each client has a general satisfaction ``g ~ N(0, 1)`` that persists between quarters
(correlation 0.8). A response to dimension k is

    d_k = mu_k + dept_k + type_k + quarter_k + 0.5 g + u_k,      u_k ~ N(0, 0.35²)

and an item of that dimension is ``round(d_k + offset_item + e)``, ``e ~ N(0, 0.5²)``, clipped
to 1–5. The outcome questions (14–17) are driven by a weighted sum of the d_k, so a driver
analysis recovers quality and efficiency as the strongest drivers. The measured channel times
(questions 8–10) are lognormal around a department/quarter median and shorter for clients whose
efficiency latent is high. examples/README.md describes what an analyst should find.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
from openpyxl import Workbook

SEED = 20260630
HERE = Path(__file__).resolve().parent

LABELS = ("非常不满意", "不满意", "一般", "满意", "非常满意")  # index + 1 = scale point
NA_TEXT = "不适用"
SKIP = "(跳过)"
EMPTY = "(空)"

CLIENT_TYPES = ("小规模纳税人", "一般纳税人", "个体工商户")
CLIENT_TYPE_P = (0.55, 0.27, 0.18)
DEPTS = ("记账一部", "记账二部", "记账三部")
DEPT_P = (0.37, 0.35, 0.28)
QUARTERS = ("2026Q2", "2026Q3")


@dataclass(frozen=True)
class Dimension:
    key: str
    number: int
    stem: str
    mean: float
    rows: tuple[tuple[str, float, float], ...]  # (row label, item offset, share answering 不适用)


DIMENSIONS = (
    Dimension(
        "quality",
        5,
        "请评价我们的服务质量",
        4.25,
        (("账务处理准确性", 0.05, 0.0), ("纳税申报及时性", 0.10, 0.0), ("财税处理合规性", -0.05, 0.01), ("信息保密性", 0.10, 0.02)),
    ),
    Dimension(
        "attitude",
        6,
        "请评价服务人员的服务态度",
        4.25,
        (("服务人员礼貌", 0.15, 0.0), ("解答问题耐心", 0.05, 0.0), ("响应速度", -0.15, 0.0), ("解决问题的能力", -0.05, 0.01)),
    ),
    Dimension("efficiency", 7, "请评价服务效率", 4.05, (("业务办理速度", 0.0, 0.0), ("工作流程顺畅", -0.05, 0.01))),
    Dimension(
        "innovation", 11, "请评价服务创新", 3.60, (("服务模式创新", 0.05, 0.03), ("线上化与智能化", -0.10, 0.06), ("增值服务", -0.05, 0.09))
    ),
    Dimension(
        "communication",
        12,
        "请评价客户沟通",
        4.05,
        (("沟通渠道多样", 0.05, 0.0), ("主动沟通频率", -0.15, 0.0), ("沟通清楚有效", 0.10, 0.0)),
    ),
    Dimension(
        "relationship",
        13,
        "请评价客户关系管理",
        3.85,
        (("定期回访与维护", 0.0, 0.02), ("了解我的需求", 0.05, 0.02), ("意见与投诉处理", -0.10, 0.12)),
    ),
)
DIM_INDEX = {d.key: i for i, d in enumerate(DIMENSIONS)}
# How much each dimension drives the outcome questions (the "true" importance).
DRIVER_WEIGHTS = {"quality": 0.30, "attitude": 0.15, "efficiency": 0.25, "innovation": 0.05, "communication": 0.15, "relationship": 0.10}

# Stable department differences (both quarters): 三部 communicates less well, 二部 used to be fastest.
DEPT_EFFECT = {
    "记账一部": {"quality": 0.05, "attitude": 0.05},
    "记账二部": {"efficiency": 0.10},
    "记账三部": {"communication": -0.25, "relationship": -0.15},
}
TYPE_EFFECT = {"一般纳税人": {"quality": -0.10, "innovation": -0.10}, "个体工商户": {"attitude": 0.10}}
# Q3: 二部 slips on efficiency (and a little on 响应速度); a new online portal lifts 服务创新 everywhere.
Q3_DIM_SHIFT = {"记账一部": {"innovation": 0.25}, "记账二部": {"innovation": 0.25, "efficiency": -0.60}, "记账三部": {"innovation": 0.25}}
Q3_ITEM_SHIFT = {("记账二部", "响应速度"): -0.25, (None, "线上化与智能化"): 0.30}

# Medians of the measured channel times, by quarter and department; lognormal spread.
PHONE_S = {"2026Q2": (35, 30, 45), "2026Q3": (35, 80, 45)}
EMAIL_H = {"2026Q2": (12, 10, 16), "2026Q3": (12, 26, 16)}
CHAT_MIN = {"2026Q2": (3.0, 2.5, 4.0), "2026Q3": (2.5, 7.0, 3.5)}
CHANNEL_USE = {"2026Q2": (0.80, 0.50, 0.55), "2026Q3": (0.80, 0.50, 0.65)}  # phone, e-mail, chat

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力鹏斌宇浩凯秀梅琳晨欣怡子涵雨婷俊峰志远海燕晓东佳慧丹红云飞"
REGIONS = ("上海-上海", "江苏-苏州", "浙江-杭州", "江苏-南京", "浙江-嘉兴", "上海-上海", "上海-上海")
SOURCES = (
    ("手机提交", "N/A", 0.45),
    ("微信", "N/A", 0.30),
    ("微信", "企业微信群", 0.07),
    ("链接", "N/A", 0.10),
    ("链接", "短信邀请", 0.08),
)

COMMENTS = {
    "praise": (
        "服务很好，继续保持",
        "会计很专业，有问题都能及时解答",
        "合作三年了，一直很放心",
        "很满意",
        "挺好的",
        "对接的会计很负责，每个月都会提醒报税",
        "没有意见，谢谢",
    ),
    "none": ("无", "没有", "暂无", "无意见"),
    "slow": (
        "最近电话经常打不通",
        "换了对接会计以后回复变慢了",
        "资料交过去好几天才处理",
        "希望提高办事效率",
        "邮件回复太慢，要催好几次",
        "在线咨询半天没人回",
    ),
    "general": (
        "希望多主动沟通，报税前提醒一下",
        "收费有点高",
        "希望能有更多税务筹划方面的建议",
        "投诉的问题一直没人跟进",
        "希望定期给我们讲讲新的税收政策",
        "账目有一次出错了，希望更仔细一些",
    ),
    "portal_q2": ("希望能在线查看账目和报表", "能不能做个小程序上传发票", "希望能线上签字确认，不用跑一趟"),
    "portal_q3": ("新上线的客户平台很方便，报表随时能看", "小程序上传票据很方便", "线上平台还不太会用，希望有个说明", "新系统挺好的"),
}


@dataclass(frozen=True)
class Client:
    key: int
    name: str
    phone: str
    ctype: str
    dept: str
    g0: float


@dataclass
class Response:
    client: Client
    quarter: str
    submitted: datetime
    seconds: int
    source: tuple[str, str]
    ip: str
    answers: dict[str, object]  # header → cell
    tags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def rating_headers() -> list[tuple[Dimension, str, float, float]]:
    return [(d, label, off, na) for d in DIMENSIONS for (label, off, na) in d.rows]


def matrix_header(d: Dimension, label: str) -> str:
    return f"{d.number}、{d.stem}—{label}"


H_TYPE, H_DEPT, H_NAME, H_PHONE = "1、客户类型", "2、部门", "3、联系人姓名", "4、手机号码"
H_PHONE_WAIT = "8、您最近一次致电我们，大约等待多少秒接通？"
H_EMAIL = "9、您最近一次发邮件给我们，多少小时内收到回复？"
H_CHAT = "10、您最近一次在线咨询，多少分钟内得到回应？"
H_SAT = "14、总体而言，您对我们的服务满意吗？(1-10分)"
H_EXPECT = "15、与您的期望相比，我们的服务如何？(1-10分)"
H_IDEAL = "16、与您心目中理想的代账服务相比如何？(1-10分)"
H_NPS = "17、您向朋友或同行推荐我们的可能性有多大？(0-10分)"
H_COMMENT = "18、您对我们的服务还有什么意见或建议？"
LEAD = ["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP"]


def question_headers() -> list[str]:
    out = [H_TYPE, H_DEPT, H_NAME, H_PHONE]
    by_number = {d.number: d for d in DIMENSIONS}
    for n in (5, 6, 7):
        out += [matrix_header(by_number[n], r[0]) for r in by_number[n].rows]
    out += [H_PHONE_WAIT, H_EMAIL, H_CHAT]
    for n in (11, 12, 13):
        out += [matrix_header(by_number[n], r[0]) for r in by_number[n].rows]
    return out + [H_SAT, H_EXPECT, H_IDEAL, H_NPS, H_COMMENT]


HEADERS = LEAD + question_headers()
RATING_COLS = [matrix_header(d, label) for d, label, _, _ in rating_headers()]
METRIC_COLS = [H_PHONE_WAIT, H_EMAIL, H_CHAT]
OUTCOME_COLS = [H_SAT, H_EXPECT, H_IDEAL, H_NPS]


# ---------------------------------------------------------------------------------------------
# clients and answers


def make_clients(rng: np.random.Generator, n: int) -> list[Client]:
    names: set[str] = set()
    clients = []
    phone_tails = rng.choice(10_000, size=n, replace=False)
    for k in range(n):
        while True:
            given = "".join(rng.choice(list(GIVEN), size=int(rng.choice([1, 2], p=[0.35, 0.65]))))
            name = str(rng.choice(list(SURNAMES))) + given
            if name not in names:
                names.add(name)
                break
        clients.append(
            Client(
                key=k,
                name=name,
                phone=f"1990000{phone_tails[k]:04d}",
                ctype=str(rng.choice(CLIENT_TYPES, p=CLIENT_TYPE_P)),
                dept=str(rng.choice(DEPTS, p=DEPT_P)),
                g0=float(rng.normal()),
            )
        )
    return clients


def dimension_latents(rng: np.random.Generator, c: Client, quarter: str, g: float) -> dict[str, float]:
    out = {}
    for d in DIMENSIONS:
        mu = d.mean + DEPT_EFFECT.get(c.dept, {}).get(d.key, 0.0) + TYPE_EFFECT.get(c.ctype, {}).get(d.key, 0.0)
        if quarter == "2026Q3":
            mu += Q3_DIM_SHIFT[c.dept].get(d.key, 0.0)
        out[d.key] = mu + 0.5 * g + float(rng.normal(0, 0.35))
    return out


def to_point(y: float, lo: int, hi: int) -> int:
    return int(np.clip(np.floor(y + 0.5), lo, hi))


def answer(rng: np.random.Generator, c: Client, quarter: str, g: float) -> tuple[dict[str, object], dict[str, float]]:
    lat = dimension_latents(rng, c, quarter, g)
    ans: dict[str, object] = {H_TYPE: c.ctype, H_DEPT: c.dept, H_NAME: c.name, H_PHONE: c.phone}
    for d, label, off, na in rating_headers():
        shift = 0.0
        if quarter == "2026Q3":
            shift = Q3_ITEM_SHIFT.get((c.dept, label), 0.0) + Q3_ITEM_SHIFT.get((None, label), 0.0)
        y = lat[d.key] + off + shift + float(rng.normal(0, 0.5))
        ans[matrix_header(d, label)] = NA_TEXT if rng.random() < na else LABELS[to_point(y, 1, 5) - 1]

    # Channel times: shorter for clients whose efficiency latent is above their department's.
    dept_i = DEPTS.index(c.dept)
    eff_dev = lat["efficiency"] - DIMENSIONS[DIM_INDEX["efficiency"]].mean
    use = CHANNEL_USE[quarter]
    phone = PHONE_S[quarter][dept_i] * np.exp(-0.35 * eff_dev + rng.normal(0, 0.5))
    email = EMAIL_H[quarter][dept_i] * np.exp(-0.35 * eff_dev + rng.normal(0, 0.55))
    chat = CHAT_MIN[quarter][dept_i] * np.exp(-0.35 * eff_dev + rng.normal(0, 0.6))
    ans[H_PHONE_WAIT] = int(round(np.clip(phone, 5, 480) / 5) * 5) if rng.random() < use[0] else SKIP
    ans[H_EMAIL] = int(np.clip(round(email), 1, 120)) if rng.random() < use[1] else SKIP
    if rng.random() < use[2]:
        chat = float(np.clip(chat, 0.5, 60))
        ans[H_CHAT] = round(chat * 2) / 2 if chat < 5 else int(round(chat))
        if ans[H_CHAT] == int(ans[H_CHAT]):
            ans[H_CHAT] = int(ans[H_CHAT])
    else:
        ans[H_CHAT] = SKIP

    s = sum(w * lat[k] for k, w in DRIVER_WEIGHTS.items())  # 1–5 scale
    base10 = 1 + (s - 1) / 4 * 9
    ans[H_SAT] = to_point(base10 + rng.normal(0, 0.8), 1, 10)
    ans[H_EXPECT] = to_point(base10 - 0.3 + rng.normal(0, 0.9), 1, 10)
    ans[H_IDEAL] = to_point(base10 - 0.8 + rng.normal(0, 0.9), 1, 10)
    ans[H_NPS] = to_point((s - 1) / 4 * 10 + 0.4 + rng.normal(0, 1.1), 0, 10)
    ans[H_COMMENT] = comment(rng, c, quarter, lat, s)
    return ans, lat


def comment(rng: np.random.Generator, c: Client, quarter: str, lat: dict[str, float], s: float) -> str:
    if rng.random() > 0.28:
        return EMPTY
    slow = quarter == "2026Q3" and c.dept == "记账二部" and lat["efficiency"] < 3.9
    if slow and rng.random() < 0.75:
        pool = "slow"
    elif rng.random() < 0.2:
        pool = "portal_q3" if quarter == "2026Q3" else "portal_q2"
    elif s > 4.2:
        pool = "praise" if rng.random() < 0.7 else "none"
    elif s < 3.6:
        pool = "general" if rng.random() < 0.6 else "slow"
    else:
        pool = ("praise", "none", "general")[int(rng.choice(3, p=[0.35, 0.35, 0.3]))]
    return str(rng.choice(COMMENTS[pool]))


def random_answers(rng: np.random.Generator, c: Client) -> dict[str, object]:
    """A speeder: clicks through without reading."""
    ans: dict[str, object] = {H_TYPE: c.ctype, H_DEPT: c.dept, H_NAME: c.name, H_PHONE: c.phone}
    for col in RATING_COLS:
        ans[col] = LABELS[int(rng.integers(1, 6)) - 1]
    ans[H_PHONE_WAIT], ans[H_EMAIL], ans[H_CHAT] = SKIP, SKIP, SKIP
    ans[H_SAT], ans[H_EXPECT], ans[H_IDEAL] = (int(x) for x in rng.integers(1, 11, size=3))
    ans[H_NPS] = int(rng.integers(0, 11))
    ans[H_COMMENT] = EMPTY
    return ans


# ---------------------------------------------------------------------------------------------
# one quarter


def submit_times(rng: np.random.Generator, quarter: str, n: int) -> list[datetime]:
    start = datetime(2026, 6, 8) if quarter == "2026Q2" else datetime(2026, 9, 7)
    # Most answers arrive in the first days after the invitation, during working hours.
    days = np.minimum(rng.exponential(4.0, size=n), 20).astype(int)
    hours = 8 + 14 * rng.beta(2.2, 2.0, size=n)
    out = [start + timedelta(days=int(dd), hours=float(h), seconds=int(rng.integers(0, 60))) for dd, h in zip(days, hours, strict=True)]
    return [t.replace(microsecond=0) for t in out]


def fake_ip(rng: np.random.Generator) -> str:
    net = str(rng.choice(["203.0.113", "198.51.100", "192.0.2"]))
    return f"{net}.{int(rng.integers(1, 255))}({rng.choice(REGIONS)})"


def make_quarter(rng: np.random.Generator, quarter: str, clients: list[Client], gs: dict[int, float]) -> list[Response]:
    n = len(clients)
    times = submit_times(rng, quarter, n)
    probs = np.array([p for _, _, p in SOURCES])
    responses = []
    for c, t in zip(clients, times, strict=True):
        ans, _ = answer(rng, c, quarter, gs[c.key])
        src = SOURCES[int(rng.choice(len(SOURCES), p=probs / probs.sum()))]
        seconds = int(np.clip(rng.lognormal(np.log(210), 0.45), 65, 1500))
        responses.append(Response(c, quarter, t, seconds, src[:2], fake_ip(rng), ans))

    # Data-quality cases, on distinct respondents.
    picks = [int(i) for i in rng.choice(n, size=17, replace=False)]
    speeders, straight, empty, dup, invalid = picks[:4], picks[4:7], picks[7:9], picks[9], picks[10:17]
    for i, secs in zip(speeders, rng.integers(22, 58, size=4), strict=True):
        r = responses[i]
        r.answers, r.seconds = random_answers(rng, r.client), int(secs)
        r.tags.append("speeder")
    for i in straight:
        r = responses[i]
        for col in RATING_COLS:
            r.answers[col] = "非常满意"
        r.answers[H_SAT] = r.answers[H_EXPECT] = r.answers[H_IDEAL] = r.answers[H_NPS] = 10
        r.seconds = int(rng.integers(66, 110))
        r.tags.append("straightliner")
    for i in empty:
        r = responses[i]
        keep = set(RATING_COLS[:2])
        for col in RATING_COLS + METRIC_COLS + OUTCOME_COLS:
            if col not in keep:
                r.answers[col] = SKIP
        r.answers[H_COMMENT] = EMPTY
        r.seconds = int(rng.integers(70, 95))
        r.tags.append("nearly empty")
    invalid_cells = [
        (RATING_COLS[0], "很好"),
        (RATING_COLS[5], "5分"),
        (RATING_COLS[14], "？"),
        (H_PHONE_WAIT, "不记得"),
        (H_EMAIL, "半天"),
        (RATING_COLS[9], "满意 "),
        (H_CHAT, "1-2"),
    ]
    for i, (col, value) in zip(invalid, invalid_cells, strict=True):
        r = responses[i]
        if value.strip() == "满意":
            # A trailing space: a reader should strip it and accept the label, not flag it.
            r.tags.append("label with trailing space")
        else:
            r.tags.append("invalid")
        r.answers[col] = value
        r.notes.append(f"{col} = {value!r}")
    # The same client submits again about an hour later, changing a few answers.
    first = responses[dup]
    again = Response(
        first.client,
        quarter,
        first.submitted + timedelta(minutes=int(rng.integers(40, 120))),
        int(rng.integers(120, 240)),
        first.source,
        first.ip,
        dict(first.answers),
    )
    for col in rng.choice(RATING_COLS, size=3, replace=False):
        v = again.answers[col]
        if v in LABELS:
            step = int(rng.choice([-1, 1]))
            k = LABELS.index(v) + step
            again.answers[col] = LABELS[k if 0 <= k <= 4 else k - 2 * step]
    first.tags.append("duplicate (first submission)")
    again.tags.append("duplicate (second submission, keep)")
    responses.append(again)

    responses.sort(key=lambda r: r.submitted)
    return responses


def wjx_row(seq: int, r: Response) -> list[object]:
    t = r.submitted
    stamp = f"{t.year}/{t.month}/{t.day} {t.hour}:{t.minute:02d}:{t.second:02d}"
    return [seq, stamp, f"{r.seconds}秒", r.source[0], r.source[1], r.ip] + [r.answers[h] for h in HEADERS[len(LEAD) :]]


def by_number(row: list[object]) -> list[object]:
    """Turn a 按文本 row into the 按序号 download of the same answers."""
    out = list(row)
    for j, h in enumerate(HEADERS):
        v = row[j]
        if h == H_TYPE:
            out[j] = CLIENT_TYPES.index(v) + 1
        elif h == H_DEPT:
            out[j] = DEPTS.index(v) + 1
        elif h in RATING_COLS:
            if v in LABELS:
                out[j] = LABELS.index(v) + 1
            elif v in (NA_TEXT, SKIP):
                out[j] = -3
        elif h in METRIC_COLS:
            # Channel questions are shown only to clients who used the channel (display logic).
            out[j] = -2 if v == SKIP and row[HEADERS.index(H_SAT)] != SKIP else (-3 if v == SKIP else v)
        elif h in OUTCOME_COLS:
            out[j] = -3 if v == SKIP else v
    return out


def write_xlsx(path: Path, rows: list[list[object]], stamp: datetime) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Sheet1")
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    # openpyxl stamps the file with the current time; pin it so a rerun gives identical bytes.
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>" + iso.encode(), data)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6]), data, compress_type=zipfile.ZIP_DEFLATED)


# ---------------------------------------------------------------------------------------------
# the English example

EN_SCALE = ("Very dissatisfied", "Dissatisfied", "Neutral", "Satisfied", "Very satisfied")
EN_AGREE = ("Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree")
EN_ITEMS = (  # header, dimension, offset, reverse-worded
    ("Q1 Product quality", "product", 0.15, False),
    ("Q2 Product reliability", "product", 0.0, False),
    ("Q3 Value for money", "product", -0.35, False),
    ("Q4 Staff friendliness", "service", 0.2, False),
    ("Q5 Staff expertise", "service", 0.0, False),
    ("Q6 It was hard to reach the right person", "service", -0.2, True),
    ("Q7 Delivery speed", "delivery", 0.0, False),
    ("Q8 Order accuracy", "delivery", 0.2, False),
)
EN_REGIONS = ("North", "South", "West")


def make_english(rng: np.random.Generator) -> list[dict[str, object]]:
    rows = []
    start = datetime(2026, 5, 4, 9)
    for k in range(120):
        region = str(rng.choice(EN_REGIONS, p=[0.4, 0.35, 0.25]))
        g = float(rng.normal())
        mu = {"product": 4.0, "service": 4.1, "delivery": 3.9 - (0.7 if region == "South" else 0.0)}
        lat = {d: m + 0.5 * g + float(rng.normal(0, 0.35)) for d, m in mu.items()}
        row: dict[str, object] = {
            "respondent_id": f"R{1001 + k}",
            "submitted": (start + timedelta(hours=float(rng.uniform(0, 24 * 14)))).strftime("%Y-%m-%d %H:%M"),
            "region": region,
        }
        for header, dim, off, rev in EN_ITEMS:
            y = lat[dim] + off + float(rng.normal(0, 0.5))
            point = to_point(y, 1, 5)
            u = rng.random()
            if u < 0.02:
                row[header] = ""
            elif u < 0.04:
                row[header] = "Don't know"
            elif rev:
                row[header] = EN_AGREE[5 - point]  # high satisfaction = disagrees that it was hard
            else:
                row[header] = EN_SCALE[point - 1]
        s = 0.4 * lat["product"] + 0.35 * lat["service"] + 0.25 * lat["delivery"]
        row["Q9 Overall satisfaction (1-10)"] = to_point(1 + (s - 1) / 4 * 9 + rng.normal(0, 0.8), 1, 10)
        row["Q10 How likely are you to recommend us? (0-10)"] = to_point((s - 1) / 4 * 10 + 0.4 + rng.normal(0, 1.1), 0, 10)
        rows.append(row)
    return sorted(rows, key=lambda r: str(r["submitted"]))


EN_MODEL = """\
# An English example model for examples/english/survey.csv (the `plain` format: one header row).
name: Customer satisfaction (example)
description: Three dimensions of a small product-and-service survey, with an outcome block.
scale: {min: 1, max: 5}
labels: {Very satisfied: 5, Satisfied: 4, Neutral: 3, Dissatisfied: 2, Very dissatisfied: 1}
missing: ["Don't know", "N/A"]
target: 75
method: fixed
outcome:
  name: Overall satisfaction
  items:
    - {id: overall_sat, name: Overall satisfaction, column: "Q9 Overall satisfaction (1-10)", scale: {min: 1, max: 10}}
nps: {id: recommend, name: Likelihood to recommend, match: "^Q10 "}
children:
  - id: product
    name: Product
    weight: 0.4
    children:
      - {id: quality, name: Product quality, column: "Q1 Product quality"}
      - {id: reliability, name: Product reliability, column: "Q2 Product reliability"}
      - {id: value, name: Value for money, column: "Q3 Value for money"}
  - id: service
    name: Service
    weight: 0.35
    children:
      - {id: friendliness, name: Staff friendliness, column: "Q4 Staff friendliness"}
      - {id: expertise, name: Staff expertise, column: "Q5 Staff expertise"}
      # Worded negatively and answered on an agreement scale: "Strongly agree" is the worst answer.
      - id: reachability
        name: Easy to reach the right person
        column: "Q6 It was hard to reach the right person"
        labels: {Strongly agree: 5, Agree: 4, Neutral: 3, Disagree: 2, Strongly disagree: 1}
        reverse: true
  - id: delivery
    name: Delivery
    weight: 0.25
    children:
      - {id: speed, name: Delivery speed, column: "Q7 Delivery speed"}
      - {id: accuracy, name: Order accuracy, column: "Q8 Order accuracy"}
segments: [region]
quality: {min_answered: 0.5}
"""


# ---------------------------------------------------------------------------------------------


def main() -> None:
    rng = np.random.default_rng(SEED)
    base = make_clients(rng, 1150)
    g_q2 = {c.key: c.g0 for c in base}
    g_q3 = {c.key: 0.8 * c.g0 + 0.6 * float(rng.normal()) for c in base}
    q2_clients = [base[int(i)] for i in rng.choice(len(base), size=396, replace=False)]
    q3_clients = [base[int(i)] for i in rng.choice(len(base), size=408, replace=False)]

    report = []
    for quarter, clients, gs in (("2026Q2", q2_clients, g_q2), ("2026Q3", q3_clients, g_q3)):
        responses = make_quarter(rng, quarter, clients, gs)
        rows = [wjx_row(i + 1, r) for i, r in enumerate(responses)]
        stamp = max(r.submitted for r in responses) + timedelta(days=1)  # the day of the download
        write_xlsx(HERE / f"accounting_{quarter}.xlsx", rows, stamp)
        if quarter == "2026Q3":
            write_xlsx(HERE / "accounting_2026Q3_bynumber.xlsx", [by_number(row) for row in rows], stamp)
        for i, r in enumerate(responses):
            for tag in r.tags:
                report.append(f"{quarter}  row {i + 2:>3}  序号 {i + 1:>3}  {tag}  {r.seconds}秒  {'; '.join(r.notes)}")

    english = HERE / "english"
    english.mkdir(exist_ok=True)
    rows = make_english(rng)
    with open(english / "survey.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    (english / "model.yaml").write_text(EN_MODEL, encoding="utf-8")

    print("\n".join(report))


if __name__ == "__main__":
    main()
