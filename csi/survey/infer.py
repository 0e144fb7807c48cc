"""A first model for an export, from its headers and answers (``csi init --from``).

:func:`infer_model` looks at every column of a read :class:`~csi.survey.table.Table` and
decides what it is (:data:`ROLES`):

- ``item`` — a rating question of the index: its answers are the words of one known scale
  (:mod:`csi.survey.labelsets`), or whole numbers in a small range when the question says it
  is a rating (满意, 评价, rate, agree, "(1-10分)") or shares its stem with other such columns;
- ``outcome`` — an overall-satisfaction question (总体满意, overall satisfaction; ACSI's
  "compared with expectations / the ideal" too), scored beside the index;
- ``nps`` — a 0–10 "recommend / 推荐" question;
- ``segment`` — a short list of texts (or codes) under a header such as 部门, 客户类型, region;
- ``comment`` — an open question;
- ``pii`` — names, phone numbers, e-mail and IP addresses (by header or by content);
- ``unsure`` — a column that could be a rating, a measured value or a breakdown: written
  commented out, never guessed into the model;
- ``platform`` / ``unused`` — the export's own bookkeeping, dates, single-valued columns.

Rating questions are grouped by their stem: 问卷星 "5、题干—行", 腾讯问卷 "3.题干:行",
Qualtrics and SurveyMonkey "question - row" (and field ids Q5_1, Q5_2), SPSS variable labels.
The YAML is written by :mod:`csi.survey.draft`.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from csi.errors import DataError, Issue
from csi.model import ROOT_ID, Scale
from csi.survey.columns import question_number, question_stem
from csi.survey.labelsets import best_family, fit_family, is_missing_word, numbered_point, strip_option_letter
from csi.survey.presets import row_separators

if TYPE_CHECKING:
    from csi.survey.table import Table

__all__ = ["ROLES", "Column", "Draft", "infer_model"]

ROLES = ("item", "outcome", "nps", "segment", "comment", "pii", "unsure", "platform", "unused")

_RATING_WORDS = re.compile(r"满意|评价|评分|打分|同意|感受|认为|分\)|分）|satisf|rate|rating|agree|likely|recommend|推荐|score|quality|"
                           r"质量|feel|opinion",
                           re.IGNORECASE)
_OUTCOME_WORDS = re.compile(r"(总体|整体|总的来说|综合|overall|in general|all things considered).*(满意|satisf|评价|rate|rating)"
                            r"|期望|理想|expectation|ideal", re.IGNORECASE)
_NPS_WORDS = re.compile(r"推荐|recommend|\bNPS\b|refer a friend", re.IGNORECASE)
_SEGMENT_WORDS = re.compile(r"部门|类型|类别|地区|区域|城市|省份|行业|规模|分公司|门店|网点|团队|小组|年龄|性别|职位|岗位|学历|收入|"
                            r"income|education|region|department|\bdept\b|\btype\b|segment|\bcity\b|country|industry|\bsize\b|\bage\b|gender|"
                            r"\brole\b|branch|\bteam\b|\bstore\b|\bplan\b|\btier\b|\bkind\b", re.IGNORECASE)
_COMMENT_WORDS = re.compile(r"建议|意见|其他|原因|为什么|说明|备注|补充|评论|留言|comment|suggest|feedback|improve|why|other|remark",
                            re.IGNORECASE)
# 手机 and QQ alone name a product or an app as often as a contact ("1、手机部数", "手机价格",
# "社交类软件(如微信、微博、QQ等)" in a 问卷星 export): personal data only as 手机号, 联系手机, a
# header that ends in 手机, QQ号
_PII_WORDS = re.compile(r"姓名|名字|联系人|称呼|手机号|联系手机|手机\s*[:：]?\s*$|电话|联系方式|邮箱|邮件地址|身份证|微信号|QQ号|"
                        r"^\s*QQ\s*[:：]?\s*$|住址|地址|"
                        r"\bname\b|phone|mobile|\btel\b|e-?mail|\bIP\b|IP地址|address|passport", re.IGNORECASE)
# a ranking ("rank … 1 being your favorite", 问卷星 排序题): its numbers are places, not ratings
_RANK_WORDS = re.compile(r"\brank|排序|排名|名次", re.IGNORECASE)
# a statement agreeing with which is bad: "It was hard to reach …", "办理手续繁琐"
_NEGATIVE = re.compile(r"\b(?:hard|difficult|slow|never|not|rude|confusing|late)\b|n't|难|慢|繁琐|麻烦|不|没有|差", re.IGNORECASE)
_ID_WORDS = re.compile(r"^(?:id|no\.?|编号|序号|#)$|respondent|response ?id|\bid\b|编号", re.IGNORECASE)
_PII_VALUE = re.compile(r"^(?:\+?86[-\s]?)?1\d{10}$|^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$|^\d{1,3}(?:\.\d{1,3}){3}\b|^\d{17}[\dXx]$")
_DATE_VALUE = re.compile(r"^\d{4}[-/年.]\d{1,2}[-/月.]\d{1,2}|^\d{1,2}/\d{1,2}/(?:\d{4}|\d{2}\b)|^\d{1,2}:\d{2}")
_RANGE_HINT = re.compile(r"[(（\s]\s*(\d{1,2})\s*(?:-|–|—|~|～|至|到|to)\s*(\d{1,2})\s*分?\s*[)）]?")
_FIELD_ID = re.compile(r"^[Qq](\d+)(?:_(\w+))?$")  # Q5, Q5_1, and recoded Q2_Q2_4
# "Q1 Product quality", "Q3) …": a question number the reader's "5、" forms do not cover
_Q_PREFIX = re.compile(r"^\s*[Qq](\d+)(?:[\s.:：、)_-]+|$)")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")
#: The roles whose columns get an id: written into the model, or commented out in it.
_MODEL_ROLES = ("item", "outcome", "nps", "unsure")
#: Scales a range of whole-number answers is taken to be, by their top: 1–5, 1–7, 1–10, 0–10 …
_TOPS = (3, 4, 5, 7, 10)


@dataclass(frozen=True, slots=True)
class Column:
    """What was decided about one column of the export.

    ``seen`` says what the answers look like ("labels 非常不满意…非常满意", "numbers 1–5");
    ``check`` what a person should look at ("" when nothing). ``labels`` maps the answer
    words of a rating to scale points, ``missing`` lists its "no answer" words.
    """

    header: str
    letter: str
    role: str
    name: str = ""
    id: str = ""
    group: str | None = None
    scale: Scale | None = None
    labels: tuple[tuple[str, int], ...] = ()
    family: str = ""
    missing: tuple[str, ...] = ()
    seen: str = ""
    check: str = ""
    #: The lowest and highest number answered, for a column of numbers.
    observed: tuple[float, float] | None = None


@dataclass(frozen=True, slots=True)
class Group:
    """A matrix question: its key (the stem as written), id and name."""

    key: str
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class Draft:
    """Everything :func:`infer_model` decided, in file order."""

    path: str
    preset: str
    rows: int
    chinese: bool
    columns: tuple[Column, ...]
    groups: tuple[Group, ...]
    protected: tuple[str, ...]
    #: The export's time-taken column (问卷星 所用时间, Qualtrics Duration), for a speeder rule to choose.
    duration: str | None = None

    def role(self, *roles: str) -> list[Column]:
        return [c for c in self.columns if c.role in roles]


@dataclass(frozen=True, slots=True)
class _Facts:
    """One column's header texts and answers."""

    header: str
    text: str  # the question text: the header, or an SPSS variable label
    field: str | None  # a field id such as Q5_1 (Qualtrics, SPSS names)
    filled: int
    numbers: Counter  # whole or fractional numbers → count
    words: Counter  # text answers (stripped) → count


def infer_model(table: Table) -> Draft:
    """Decide the role of every column of ``table`` (see the module's docstring)."""
    headers = [str(h) for h in table.frame.columns]
    meta = {table.id_column, table.submitted_column, table.duration_column}
    facts = [_facts(table, h) for h in headers]
    stems = _stems(facts, table.preset)
    columns = []
    for f in facts:
        if f.header in meta or f.header in table.pii_columns:
            columns.append(Column(f.header, table.letter(f.header), "platform", seen="the export's own column"))
        else:
            columns.append(_classify(f, table.letter(f.header), table.missing_codes, stems))
    columns = _fit_labels(columns, facts)
    columns = _consistent_numbers(columns)
    columns = _group_or_single(columns, stems)
    columns = _shared_scales(columns, {f.header: f.text for f in facts})
    columns = _one_nps(columns)
    if not any(c.role == "item" for c in columns):
        if not any(c.role == "outcome" for c in columns):
            raise DataError(Issue("no-rating-questions", "found no rating questions: no column holds the words of a known "
                                  "scale (非常满意…非常不满意, Strongly agree…, Excellent…Poor) or whole numbers in a rating "
                                  "range under a rating question; write the model by hand (csi init writes an example)",
                                  file=table.path, sheet=table.sheet))
        columns = [replace(c, role="item", check="the overall question is the only rating: it is the index here")
                   if c.role == "outcome" else c for c in columns]
    columns, groups = _ids(columns, {f.header: f.field for f in facts})
    asked = {c.header for c in columns if c.role not in ("platform", "unused")}
    chinese = _chinese([f.text for f in facts if f.header in asked])
    return Draft(table.path, table.preset, len(table.frame), chinese, tuple(columns), tuple(groups), tuple(table.pii_columns),
                 table.duration_column)


def _chinese(texts: Sequence[str]) -> bool:
    """True when at least as many of the questions' texts are Chinese as are in a Latin script:
    a stray CJK character in one English header (a mis-decoded byte) does not make a survey
    Chinese, nor do a Chinese survey's English bookkeeping columns make it English."""
    cjk = sum(1 for t in texts if re.search(r"[\u4e00-\u9fff]", t))
    latin = sum(1 for t in texts if re.search(r"[A-Za-z]{2}", t) and not re.search(r"[\u4e00-\u9fff]", t))
    return cjk > 0 and cjk >= latin


def _facts(table: Table, header: str) -> _Facts:
    s = table.frame[header]
    label = next((a for a, h in table.aliases.items() if h == header and not _FIELD_ID.match(a)
                  and not a.startswith("QID") and a.casefold() != header.casefold()), None)
    text = label if label and _IDENTIFIER.match(header) else header
    field = header if _FIELD_ID.match(header) else next(
        (a for a, h in table.aliases.items() if h == header and _FIELD_ID.match(a)), None)
    numbers: Counter = Counter()
    words: Counter = Counter()
    for value, count in s.value_counts(dropna=True).items():
        if count == 0:
            continue
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            numbers[float(value)] += int(count)
        else:
            word = str(value).strip()
            if word:
                words[word] += int(count)
    return _Facts(header, text, field, sum(numbers.values()) + sum(words.values()), numbers, words)


def _stems(facts: Sequence[_Facts], preset: str) -> dict[str, tuple[str, str]]:
    """Header → (stem key, row label) for the columns of a matrix question: two or more
    columns whose question text shares the part before a row separator (or a field id Q5_…)."""
    found: dict[str, tuple[str, str]] = {}
    for f in facts:
        m = _FIELD_ID.match(f.field or "")
        question = f"Q{m.group(1)} " if m else ""  # (matrices with one text, told apart by their field ids)
        for sep in (*row_separators(preset), "-"):
            stem, _, row = f.text.rpartition(sep)
            if stem and row.strip() and not (sep == "-" and (stem[-1:].isdigit() or row.strip()[:1].isdigit())):
                found[f.header] = (question + stem.strip(), row.strip())
                break
        else:
            m = _FIELD_ID.match(f.field or "")
            if m and m.group(2):
                found[f.header] = (f"Q{m.group(1)}", f.text)
    count = Counter(stem for stem, _ in found.values())
    return {h: v for h, v in found.items() if count[v[0]] >= 2}


def _classify(f: _Facts, letter: str, missing_codes: Sequence[str], stems: dict) -> Column:
    """The role of one column from its texts and answers (labels fitted file-wide later)."""
    base = Column(f.header, letter, "unused", name=_name(f, stems))
    if f.filled == 0:
        return replace(base, seen="no answers")
    pii = _pii(f)
    if pii:
        return replace(base, role="pii", seen=pii)
    codes = {float(c) for c in missing_codes if re.fullmatch(r"-?\d+(?:\.\d+)?", c)}
    numbers = Counter({v: n for v, n in f.numbers.items() if v not in codes})
    # negative whole numbers beside a positive scale are "no answer" codes (Qualtrics -1 No opinion, -99)
    negative = tuple(_num(v) for v in sorted(numbers) if v < 0 and float(v).is_integer())
    if negative and sum(n for v, n in numbers.items() if v >= 0) > 0:
        numbers = Counter({v: n for v, n in numbers.items() if v >= 0 or not float(v).is_integer()})
    words = Counter({w: n for w, n in f.words.items() if w not in missing_codes})
    missing = tuple(sorted(w for w in words if is_missing_word(w))) + negative
    answers = Counter({w: n for w, n in words.items() if w not in missing})
    given = sum(numbers.values()) + sum(answers.values())
    if given == 0:
        return replace(base, seen="only no-answer codes")
    if len(numbers) + len(answers) < 2:
        return replace(base, seen=f"one value only ({_shown(next(iter(numbers or answers)))})")
    best = best_family(answers)
    if best is not None:  # labels, and perhaps numbers on the same scale ("满意" beside 3)
        (label_set, _), cells = best
        top = len(label_set.points)
        on_points = sum(n for v, n in numbers.items() if float(v).is_integer() and 1 <= v <= top)
        if cells + on_points >= 0.8 * given:
            return replace(base, role="item", missing=missing, seen="labels")
    if _ID_WORDS.search(f.text) and len(numbers) + len(answers) == given:
        return replace(base, seen="an identifier (every answer different)")
    numbered = {w: p for w in answers if (p := numbered_point(w)) is not None}
    if numbered:  # "5分", "10 - Extremely likely": their number, beside any plain numbers
        numbers = numbers + Counter({float(p): answers[w] for w, p in numbered.items()})
        answers = Counter({w: n for w, n in answers.items() if w not in numbered})
        if sum(numbers.values()) >= 0.8 * given:
            return _numeric(base, f, numbers, missing, stems, stray=answers,
                            labels=tuple(sorted(numbered.items(), key=lambda kv: (kv[1], kv[0]))))
    if sum(numbers.values()) >= 0.8 * given:
        return _numeric(base, f, numbers, missing, stems, stray=answers)
    if _DATE_VALUE.match(next(iter(answers))) and all(_DATE_VALUE.match(w) for w in list(answers)[:20]):
        return replace(base, seen="dates and times")
    return _text(base, f, answers)


def _numeric(base: Column, f: _Facts, numbers: Counter, missing: tuple[str, ...], stems: dict,
             labels: tuple[tuple[str, int], ...] = (), stray: Counter | None = None) -> Column:
    """A column of numbers: a rating on a scale, a coded breakdown, or undecided."""
    lo, hi = min(numbers), max(numbers)
    base = replace(base, observed=(lo, hi))
    whole = all(float(v).is_integer() for v in numbers)
    seen = f"numbers {_num(lo)}–{_num(hi)}"
    odd = f"; {sum(stray.values())} answers are not numbers ({', '.join(_shown(w) for w in list(stray)[:3])}): they count as invalid" \
        if stray else ""
    if _SEGMENT_WORDS.search(f.text) and not _RATING_WORDS.search(f.text) and whole and len(numbers) <= 20:
        return replace(base, role="segment", seen=f"codes {_num(lo)}–{_num(hi)}",
                       check="answers are codes: the report shows them as numbers")
    if set(numbers) <= {0.0, 1.0}:  # 问卷星 按序号 "第6题(运动)": 1 ticked, 0 not
        return replace(base, seen="0 and 1 only: a box ticked or not (a multiple-choice option), not a rating")
    if _RANK_WORDS.search(f.text) and not _RATING_WORDS.search(f.text):
        return replace(base, seen=f"{seen}: places in a ranking, not a rating")
    scale = _scale(f.text, lo, hi) if whole and lo >= 0 and hi <= 10 else None
    if scale is None:
        return replace(base, role="unsure", seen=seen, check="not a rating scale: a measured value (type: metric) or a count?")
    rating = _RATING_WORDS.search(f.text) or f.header in stems or _RANGE_HINT.search(f.text) or labels
    if not rating:
        return replace(base, role="unsure", seen=seen, scale=scale,
                       check=f"a rating on {_num(scale.min)}–{_num(scale.max)}, or coded choices? nothing in the question says")
    if not _RATING_WORDS.search(f.text) and not _RANGE_HINT.search(f.text) and not labels:
        stray_note = odd  # (kept with the other notes below)
        odd = "; numbers only, in a matrix question that says nothing about rating: check that it is one" + stray_note
    check = "" if (scale.min == lo and scale.max == hi) or _RANGE_HINT.search(f.text) else \
        f"answers run {_num(lo)}–{_num(hi)}, the scale is taken as {_num(scale.min)}–{_num(scale.max)}"
    role = "item"
    if _NPS_WORDS.search(f.text) and scale == Scale(0.0, 10.0):
        role = "nps"
    elif _OUTCOME_WORDS.search(f.text):
        role = "outcome"
    return replace(base, role=role, scale=scale, labels=labels, missing=missing, seen=seen,
                   check="; ".join(c for c in (check, odd[2:]) if c))


def _scale(text: str, lo: float, hi: float) -> Scale | None:
    """The scale of whole-number answers from ``lo`` to ``hi``: the question's "(1-10分)" when
    it says one that holds them, else 0 or 1 up to the smallest usual top that holds them."""
    for m in _RANGE_HINT.finditer(text):
        a, b = int(m.group(1)), int(m.group(2))
        if a < b <= 10 and a <= lo and hi <= b:
            return Scale(float(a), float(b))
    top = next((t for t in _TOPS if t >= hi), None)
    if top is None or hi - lo < 1:
        return None
    return Scale(0.0 if lo == 0 else 1.0, float(top))


def _text(base: Column, f: _Facts, answers: Counter) -> Column:
    """A column of texts that are not a scale: a breakdown, an open question, or neither."""
    distinct, given = len(answers), sum(answers.values())
    mean_length = sum(len(w) * n for w, n in answers.items()) / given
    listed = ", ".join(_shown(w) for w, _ in answers.most_common(3)) + (" …" if distinct > 3 else "")
    seen = f"{distinct} different texts ({listed})"
    if _SEGMENT_WORDS.search(f.text) and distinct <= 30:
        return replace(base, role="segment", seen=seen)
    if _COMMENT_WORDS.search(f.text):
        return replace(base, role="comment", seen=seen)
    if distinct == given and given >= 5 and mean_length <= 20 and not any(" " in w for w in answers):
        return replace(base, seen="an identifier (every answer different)")
    if mean_length >= 12 or distinct > 30:
        return replace(base, role="comment", seen=seen)
    if distinct <= 12 and distinct * 2 <= given:
        return replace(base, role="unsure", seen=seen, check="a breakdown (segments:)? nothing in the header says")
    return replace(base, role="comment", seen=seen, check="an open question? (comments: are quoted with --verbatims)")


def _pii(f: _Facts) -> str:
    """Why a column holds personal data ("" when it does not seem to)."""
    if _PII_WORDS.search(f.text) and not _RATING_WORDS.search(f.text):
        return "personal data (by its header)"
    values = [str(int(v)) if float(v).is_integer() else str(v) for v in f.numbers] + list(f.words)
    values = values[:200]
    if values and sum(1 for v in values if _PII_VALUE.match(v)) >= 0.8 * len(values):
        return "personal data (phone numbers, e-mail or IP addresses)"
    return ""


def _fit_labels(columns: list[Column], facts: Sequence[_Facts]) -> list[Column]:
    """The scale of every labelled column, fitted to the words of all columns of its family
    at once, so that a file uses one length of each scale."""
    words: dict[str, list[str]] = {}
    others: dict[str, list[str]] = {}
    single = {}
    for f in facts:
        best = best_family(f.words)
        if best is None:
            continue
        single[f.header] = best[0]
        words[f.header] = [w for w in f.words if strip_option_letter(w) in best[0][1]]
        others[f.header] = [w for w in f.words if w not in words[f.header] and not is_missing_word(w)]
    labelled = {c.header for c in columns if c.role == "item" and c.seen == "labels"}
    single = {h: v for h, v in single.items() if h in labelled}
    by_family: dict[str, set[str]] = {}
    for header, fitted in single.items():
        assert fitted is not None  # (checked when classified)
        by_family.setdefault(fitted[0].name.rsplit(",", 1)[0], set()).update(strip_option_letter(w) for w in words[header])
    union = {fam: fit_family(ws) for fam, ws in by_family.items()}
    out = []
    for c in columns:
        if c.header not in single:
            out.append(c)
            continue
        own = single[c.header]
        assert own is not None
        label_set, points = union.get(own[0].name.rsplit(",", 1)[0]) or own
        mine = {w: points[w] for w in (strip_option_letter(x) for x in words[c.header]) if w in points}
        if len(mine) < len(set(strip_option_letter(x) for x in words[c.header])):  # (the union did not fit: its own)
            label_set, points = own
            mine = dict(points)
        n = len(label_set.points)
        taken = set(points.values())
        points = {**points, **{label_set.shown[i]: i + 1 for i in range(n) if i + 1 not in taken}}
        by_point = sorted(points.items(), key=lambda kv: (kv[1], kv[0]))
        low, high = by_point[0][0], by_point[-1][0]
        stray = others[c.header]
        check = f"{len(stray)} answer word(s) not on the scale ({', '.join(_shown(w) for w in stray[:3])}): invalid cells" if stray else ""
        text = _text_of(facts, c.header)
        role = "outcome" if _OUTCOME_WORDS.search(text) else "item"
        if ("agree" in label_set.name or "同意" in label_set.name) and _NEGATIVE.search(_stem(text)):
            check = "; ".join(x for x in (check, "agreeing with this statement sounds bad: add reverse: true if it is") if x)
        out.append(replace(c, role=role, scale=Scale(1.0, float(n)), family=label_set.name,
                           labels=tuple(by_point),
                           seen=f"labels {low}…{high} ({n} points)", check=check))
    return out


def _text_of(facts: Sequence[_Facts], header: str) -> str:
    return next(f.text for f in facts if f.header == header)


def _consistent_numbers(columns: list[Column]) -> list[Column]:
    """Columns of whole numbers with nothing in their header about rating are ratings when two or
    more share one scale ("numeric codes with a consistent range"), with a note to check."""
    undecided = [c for c in columns if c.role == "unsure" and c.scale is not None and c.check.startswith("a rating on")]
    shared = Counter(c.scale for c in undecided)
    return [replace(c, role="item", check=f"numbers only: taken as a rating on {_num(c.scale.min)}–{_num(c.scale.max)}, "
                                          f"like {shared[c.scale] - 1} other column(s)")
            if c in undecided and c.scale is not None and shared[c.scale] >= 2 else c for c in columns]


def _group_or_single(columns: list[Column], stems: dict[str, tuple[str, str]]) -> list[Column]:
    """Index items in a matrix question get its stem as their group (outcome and NPS items leave it)."""
    rated = Counter(stems[c.header][0] for c in columns if c.role == "item" and c.header in stems)
    return [replace(c, group=stems[c.header][0], name=stems[c.header][1]) if c.role == "item" and c.header in stems
            and rated[stems[c.header][0]] >= 2 else c for c in columns]


def _shared_scales(columns: list[Column], texts: dict[str, str]) -> list[Column]:
    """The rows of a matrix question answered in numbers share one scale: the one their answers
    together reach (a row whose answers run 2–5 beside rows that reach 1 is on 1–5 too)."""
    rows: dict[str, list[Column]] = {}
    for c in columns:
        if c.group is not None and c.observed is not None and not c.labels:
            rows.setdefault(c.group, []).append(c)
    scales: dict[str, tuple[Scale, str]] = {}
    for group, members in rows.items():
        lo, hi = min(c.observed[0] for c in members if c.observed), max(c.observed[1] for c in members if c.observed)
        scale = _scale(texts[members[0].header], lo, hi)
        if scale is not None:
            note = "" if (scale.min, scale.max) == (lo, hi) or _RANGE_HINT.search(texts[members[0].header]) else \
                f"the rows' answers run {_num(lo)}–{_num(hi)}, the scale is taken as {_num(scale.min)}–{_num(scale.max)}"
            scales[group] = (scale, note)
    out = []
    for c in columns:
        if c.group in scales and c in rows.get(c.group or "", []):
            scale, note = scales[c.group or ""]
            rest = [p for p in c.check.split("; ") if p and not p.startswith("answers run")]
            c = replace(c, scale=scale, check="; ".join([note, *rest] if note else rest))
        out.append(c)
    return out


def _one_nps(columns: list[Column]) -> list[Column]:
    """The first 0–10 recommend question is the NPS; another is left for a person to place."""
    seen = False
    out = []
    for c in columns:
        if c.role == "nps":
            if seen:
                c = replace(c, role="unsure", check="a second recommend question: the model has one nps")
            seen = True
        out.append(c)
    return out


def _ids(columns: list[Column], fields: dict[str, str | None]) -> tuple[list[Column], list[Group]]:
    """Ids ([a-z0-9_]+, unique) for every column, and the groups: from a field id (Q5_1 → q5_1,
    group q5), a question number (5、… → q5, its rows q5_1, q5_2 …), or the header's ASCII words."""
    used = {ROOT_ID}
    groups: dict[str, Group] = {}
    for c in columns:  # groups first: "q5" is the matrix question's, whatever comes before it
        if c.group is not None and c.group not in groups:
            m = _FIELD_ID.match(fields.get(c.header) or "")
            number = int(m.group(1)) if m else _number(c.header)
            gid = _unique(f"q{number}" if number is not None else _slug(c.group) or "group", used)
            groups[c.group] = Group(c.group, gid, _stem(c.group) or c.group)
    rows: Counter = Counter()
    out = []
    for position, c in enumerate(columns):
        if c.role not in _MODEL_ROLES or (c.role == "unsure" and c.scale is None and c.observed is None):
            out.append(c)  # (a breakdown to consider is listed by its header, without an id)
            continue
        field = fields.get(c.header)
        m = _FIELD_ID.match(field or "")
        number = int(m.group(1)) if m else _number(c.header)
        named = field or (c.header if _IDENTIFIER.match(c.header) and len(c.header) <= 24 else None)
        base = _slug(named) if named else f"q{number}" if number is not None else _slug(_stem(c.header))
        if c.group is not None:
            rows[c.group] += 1
            if not named:
                base = f"{groups[c.group].id}_{rows[c.group]}"
        out.append(replace(c, id=_unique(base or f"c{position + 1}", used)))
    return out, list(groups.values())


def _number(header: str) -> int | None:
    """The question number of a header: "5、…", "5.…", "Q5.…", "Q5 …"."""
    number = question_number(header)
    if number is None and (m := _Q_PREFIX.match(header)):
        number = int(m.group(1))
    return number


def _stem(text: str) -> str:
    """The question's text without its number."""
    m = _Q_PREFIX.match(text)
    return text[m.end():].strip() if question_number(text) is None and m and text[m.end():].strip() else question_stem(text)


def _unique(base: str, used: set[str]) -> str:
    candidate, n = base, 2
    while candidate in used:
        candidate, n = f"{base}_{n}", n + 1
    used.add(candidate)
    return candidate


def _slug(text: str) -> str:
    """An id from ASCII words (``"Q1 Product quality"`` → ``q1_product_quality``); ``""`` if none."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "_".join(words[:4])[:40].strip("_")


def _name(f: _Facts, stems: dict) -> str:
    return stems[f.header][1] if f.header in stems else _stem(f.text) or f.header


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def _shown(value: object, limit: int = 16) -> str:
    text = _num(value) if isinstance(value, float) and math.isfinite(value) else " ".join(str(value).split())
    return f'"{text}"' if len(text) <= limit else f'"{text[:limit - 1]}…"'
