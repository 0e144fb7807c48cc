"""Generate the improvement-actions example in ``examples/actions/``.

Run ``python examples/make_actions_example.py``; the files are identical on every run (one
seeded ``numpy.random.default_rng``).

Files
-----
model.yaml
    A small model: three dimensions (服务质量, 服务效率, 客户沟通), eight items on 1–5.
2026Q1.csv, 2026Q2.csv, 2026Q3.csv
    Three quarterly surveys of a bookkeeping firm's clients (``plain`` format, one header row,
    250 respondents each, departments 记账一部 / 记账二部), dated 2026-03-31, 2026-06-30 and
    2026-09-30.
actions.yaml
    Three improvement actions, each built into the data:

    - ``A1`` (efficiency, from 2026-04-15): two more staff on the phones. The efficiency latent
      rises by 0.45 scale points from Q2 on: it works.
    - ``A2`` (communication, from 2026-07-01): a monthly newsletter. Nothing changes: it does
      nothing detectable.
    - ``A3`` (quality in 记账二部, from 2026-07-01): a new bookkeeping system rolled out in
      记账二部 only. Quality in that department falls by 0.5 scale points in Q3: it backfires.

The latent model: a client's response to dimension k is ``mu_k + effect + 0.5 g + u``,
``g ~ N(0, 1)``, ``u ~ N(0, 0.35²)``, and an item is ``round(that + offset + e)``,
``e ~ N(0, 0.5²)``, clipped to 1–5.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

SEED = 20260415
HERE = Path(__file__).resolve().parent / "actions"
LABELS = ("非常不满意", "不满意", "一般", "满意", "非常满意")  # index + 1 = scale point
DEPTS = ("记账一部", "记账二部")
PERIODS = (("2026Q1", "2026-03"), ("2026Q2", "2026-06"), ("2026Q3", "2026-09"))
N = 250

#: dimension → (mean on 1–5, items as (column, offset))
DIMENSIONS = {
    "quality": (4.0, (("Q1 账务处理准确性", 0.1), ("Q2 纳税申报及时性", 0.0), ("Q3 财税处理合规性", -0.1))),
    "efficiency": (3.5, (("Q4 电话接通速度", -0.1), ("Q5 业务办理速度", 0.1), ("Q6 问题解决速度", 0.0))),
    "communication": (3.8, (("Q7 主动沟通频率", 0.0), ("Q8 沟通清楚有效", 0.1))),
}


def effect(dim: str, period: int, dept: str) -> float:
    """What the actions did to a dimension's latent, in scale points."""
    if dim == "efficiency" and period >= 1:  # A1 from 2026-04-15
        return 0.45
    if dim == "quality" and period >= 2 and dept == "记账二部":  # A3 from 2026-07-01
        return -0.5
    return 0.0  # A2 (communication, from 2026-07-01) changes nothing


def make_period(rng: np.random.Generator, period: int, month: str) -> list[dict[str, object]]:
    rows = []
    for k in range(N):
        dept = DEPTS[int(rng.random() < 0.5)]
        g = float(rng.normal())
        row: dict[str, object] = {"编号": f"{period + 1}{k + 1:04d}", "提交时间": f"{month}-{int(rng.integers(1, 28)):02d}",
                                  "部门": dept}
        for dim, (mu, items) in DIMENSIONS.items():
            latent = mu + effect(dim, period, dept) + 0.5 * g + float(rng.normal(0, 0.35))
            for column, offset in items:
                point = int(np.clip(round(latent + offset + float(rng.normal(0, 0.5))), 1, 5))
                row[column] = LABELS[point - 1]
        rows.append(row)
    return rows


MODEL = """\
# The model of the improvement-actions example (examples/make_actions_example.py writes it).
name: 代理记账客户满意度（改进措施示例）
scale: {min: 1, max: 5}
labels: {非常满意: 5, 满意: 4, 一般: 3, 不满意: 2, 非常不满意: 1}
target: 80
method: fixed
children:
  - id: quality
    name: 服务质量
    weight: 0.4
    children:
      - {id: accuracy, name: 账务处理准确性, column: "Q1 账务处理准确性"}
      - {id: timeliness, name: 纳税申报及时性, column: "Q2 纳税申报及时性"}
      - {id: compliance, name: 财税处理合规性, column: "Q3 财税处理合规性"}
  - id: efficiency
    name: 服务效率
    weight: 0.35
    children:
      - {id: phone, name: 电话接通速度, column: "Q4 电话接通速度"}
      - {id: handling, name: 业务办理速度, column: "Q5 业务办理速度"}
      - {id: solving, name: 问题解决速度, column: "Q6 问题解决速度"}
  - id: communication
    name: 客户沟通
    weight: 0.25
    children:
      - {id: proactive, name: 主动沟通频率, column: "Q7 主动沟通频率"}
      - {id: clarity, name: 沟通清楚有效, column: "Q8 沟通清楚有效"}
"""

ACTIONS = """\
# Improvement actions of the example, followed up with
#   csi compare 2026Q1.csv 2026Q2.csv 2026Q3.csv --model model.yaml --by 部门 --actions actions.yaml \\
#       --period-date 2026-03-31 --period-date 2026-06-30 --period-date 2026-09-30
actions:
  - id: A1
    node: efficiency
    owner: 张经理
    start: 2026-04-15
    expected_gain: 5
    note: 增加两名接线员，电话十秒内接通
  - id: A2
    node: communication
    owner: 李主管
    start: 2026-07-01
    expected_gain: 3
    note: 每月发送财税简报
  - id: A3
    node: quality
    segment: 记账二部
    owner: 王经理
    start: 2026-07-01
    expected_gain: 2
    note: 记账二部启用新记账系统
"""


def main() -> None:
    rng = np.random.default_rng(SEED)
    HERE.mkdir(exist_ok=True)
    for i, (label, month) in enumerate(PERIODS):
        rows = make_period(rng, i, month)
        with open(HERE / f"{label}.csv", "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
    (HERE / "model.yaml").write_text(MODEL, encoding="utf-8")
    (HERE / "actions.yaml").write_text(ACTIONS, encoding="utf-8")


if __name__ == "__main__":
    main()
