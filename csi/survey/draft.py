"""A :class:`~csi.survey.infer.Draft` as a commented ``indicators.yaml``, and as the lines
``csi init --from`` prints (one a column: what it decided, what to check).

The file uses only the model file's existing keys (README.md, "The model file"): ``scale``, ``labels``
and ``missing`` at the top for the most common scale, and on a group or an item whose scale
differs; ``outcome``, ``nps``, ``children`` (one group per matrix question, single questions
as items of the index itself), ``segments``, ``comments``, ``pii``. Every column is bound by
its exact header. What was not decided is written as commented-out lines where it would go.

Both speak English or Chinese (``lang``); by default the language of the model's name, which
is Chinese when the export's questions are, as ``csi score`` picks its report's language
from that name. What :mod:`csi.survey.infer` says about a column (``seen``, ``check``) is
English; :func:`say` gives its Chinese, part by part, from the phrase table :data:`_ZH`.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

import yaml

from csi.model import Scale
from csi.survey.infer import Column, Draft
from csi.survey.presets import PRESETS, forms
from csi.survey.table import clip

__all__ = ["draft_yaml", "decision_lines", "draft_lang", "say"]

_Setting = tuple[Scale | None, tuple[tuple[str, int], ...]]


def draft_lang(draft: Draft) -> str:
    """``zh`` when the export's questions are Chinese, else ``en``: the language of the name
    the model gets, from which ``csi score`` picks its report's."""
    return "zh" if draft.chinese else "en"


def draft_yaml(draft: Draft, command: str, model_path: str, lang: str | None = None) -> str:
    """The model file's text; ``command`` is how it was made, ``model_path`` where it goes;
    its name and comments in ``lang`` (default :func:`draft_lang`)."""
    lang = lang or draft_lang(draft)
    zh = lang == "zh"
    items = draft.role("item")
    root = _root_setting(items)
    lines = _header(draft, command, model_path, lang)
    lines.append(f"name: {_q(_model_name(draft, lang))}")
    lines.append(f"scale: {_scale(root[0] or Scale(1.0, 5.0))}")
    if root[1]:
        lines.append(f"labels: {_labels(root[1])}")
    missing = sorted({w for c in draft.columns if c.role in ("item", "outcome") for w in c.missing})
    if missing:
        lines.append(f"missing: [{', '.join(_q(w) for w in missing)}]")
    lines += ["target: 80                          # " + ("默认目标分；维度或指标可以各自设定" if zh else
                                                           "the default target score; a group or an item may set its own"),
              "method: fixed                       # " + ("等权，除非写了 weight:" if zh else "equal weights unless a weight: is given")]
    if any(c.role in ("item", "outcome") and c.scale is not None and not c.labels and c.seen.startswith("numbers")
           for c in draft.columns):
        lines += ["# 以数字作答的题目按“数字越大越好”读取；代码方向相反的题目（1 = 非常满意，按序号下载的选项",
                  "# 顺序可能如此）需要加上 reverse: true。"] if zh else \
            ["# Answers given as numbers are read with the highest number as the best answer; a question whose",
             "# codes run the other way (1 = 非常满意, as the option order of a 按序号 download can make it) needs reverse: true."]
    lines += _outcome(draft, root, lang)
    nps = draft.role("nps")
    if nps:
        labels = f", labels: {_labels(nps[0].labels)}" if nps[0].labels else ""
        lines.append(f"nps: {{id: {_q(nps[0].id)}, name: {_q(nps[0].name)}, column: {_q(nps[0].header)}{labels}}}"
                     f"{_note(nps[0], lang)}")
    lines += _children(draft, root, lang)
    lines += _listed("segments", draft.role("segment"), [c for c in draft.role("unsure") if c.scale is None and "breakdown" in c.check],
                     lang)
    lines += _listed("comments", draft.role("comment"), [], lang)
    lines += _listed("pii", draft.role("pii"), [], lang)
    if draft.duration is not None:
        lines += [f"# 导出文件记录了每份答卷的用时（{draft.duration}）。要排除答得太快、来不及读题的答卷，" if zh else
                  f"# The export times each answer ({draft.duration}). To leave out answers given too fast to be read,",
                  "# 选定一个秒数并取消下一行的注释：" if zh else "# choose a threshold in seconds and uncomment:",
                  "# quality: {min_duration: 60}"]
    if draft.protected:
        lines.append(("# 导出文件自带的个人信息列不必列出，也受保护：" if zh else
                      "# The export's own personal-data columns are protected without being listed: ") + ", ".join(draft.protected))
    return "\n".join(lines) + "\n"


def _header(draft: Draft, command: str, model_path: str, lang: str) -> list[str]:
    checks = sum(1 for c in draft.columns if c.check or c.role == "unsure")
    run = [f"#   csi validate {_arg(draft.path)} --model {_arg(model_path)}",
           f"#   csi score {_arg(draft.path)} --model {_arg(model_path)}"]
    if lang == "zh":
        return [f"# 由 `{command}` 生成，",
                f"# 来自 {draft.path}（{draft.preset} 导出文件；{draft.rows} 行，{len(draft.columns)} 列）。",
                "# 每一行都是根据列名和答案判断的。请读一读标有“请检查”的行",
                f"#（共 {checks} 处）和注释掉的行（没能判断的列），然后运行", *run]
    title = next((f.title for p in PRESETS.values() for f in forms(p) if f.name == draft.preset), draft.preset)
    return [
        f"# Drafted by `{command}`",
        f"# from {draft.path} ({title}; {draft.rows} rows, {len(draft.columns)} columns).",
        "# Every line was decided from the headers and the answers. Read the ones marked \"check:\"",
        f"# ({checks} of them) and the commented-out lines, which were not decided; then", *run]


def _model_name(draft: Draft, lang: str) -> str:
    stem = re.sub(r"\.[A-Za-z]+$", "", draft.path.replace("\\", "/").rsplit("/", 1)[-1])
    return f"{stem} 客户满意度指数" if lang == "zh" else f"{stem} customer satisfaction index"


def _setting(c: Column) -> _Setting:
    return (c.scale, c.labels)


def _root_setting(items: Sequence[Column]) -> _Setting:
    """The most common scale among the index's items, with the labels that go with it."""
    counts = Counter(_setting(c) for c in items)
    return counts.most_common(1)[0][0] if counts else (Scale(1.0, 5.0), ())


def _own(setting: _Setting, root: _Setting) -> list[str]:
    """The ``scale``/``labels`` keys an item or group needs to differ from ``root``."""
    scale, labels = setting
    parts = []
    if scale is not None and scale != root[0]:
        parts.append(f"scale: {_scale(scale)}")
    if labels != root[1]:
        parts.append(f"labels: {_labels(labels) if labels else '{}'}")
    return parts


def _item(c: Column, root: _Setting, lang: str, commented: str = "") -> str:
    keys = [f"id: {_q(c.id)}", f"name: {_q(clip(c.name, 40))}", f"column: {_q(c.header)}", *_own(_setting(c), root)]
    return f"{commented}- {{{', '.join(keys)}}}{_note(c, lang)}"


def _outcome(draft: Draft, root: _Setting, lang: str) -> list[str]:
    outcome = draft.role("outcome")
    if not outcome:
        return []
    lines = ["outcome:", f"  name: {'总体满意度' if lang == 'zh' else 'Overall satisfaction'}", "  items:"]
    return lines + [f"    {_item(c, root, lang)}" for c in outcome]


def _children(draft: Draft, root: _Setting, lang: str) -> list[str]:
    lines = ["children:"]
    done: set[str] = set()
    for c in draft.role("item"):
        if c.group is None:
            lines.append(f"  {_item(c, root, lang)}")
            continue
        if c.group in done:
            continue
        done.add(c.group)
        group = next(g for g in draft.groups if g.key == c.group)
        members = [m for m in draft.role("item") if m.group == c.group]
        settings = {_setting(m) for m in members}
        shared = next(iter(settings)) if len(settings) == 1 else None
        lines += [f"  - id: {_q(group.id)}", f"    name: {_q(clip(group.name, 40))}"]
        if shared is not None:
            lines += [f"    {part}" for part in _own(shared, root)]
        lines.append("    children:")
        inner = shared if shared is not None else root
        lines += [f"      {_item(m, inner, lang)}" for m in members]
    unsure = [c for c in draft.role("unsure") if c.scale is not None or "breakdown" not in c.check]
    if unsure:
        lines.append("  # 没能判断：其中属于指数的题目，请取消注释（并补全）。" if lang == "zh" else
                     "  # Not decided: uncomment the ones that are questions of the index (and complete them).")
        lines += [f"  {_undecided(c, root, lang)}" for c in unsure]
    return lines


def _undecided(c: Column, root: _Setting, lang: str) -> str:
    if c.scale is not None:
        return _item(c, root, lang, commented="# ")
    lo_hi = re.findall(r"-?\d+(?:\.\d+)?", c.seen)
    best, worst = (lo_hi[0], lo_hi[1]) if len(lo_hi) >= 2 else ("BEST", "WORST")
    keys = [f"id: {_q(c.id)}", f"name: {_q(clip(c.name, 40))}", f"column: {_q(c.header)}", "type: metric",
            f"best: {best}, worst: {worst}"]
    thresholds = "（best/worst：填上您的标准）" if lang == "zh" else " (best/worst: set your thresholds)"
    return f"# - {{{', '.join(keys)}}}   # {say(c.seen, lang)}{_sep(lang)}{say(c.check, lang)}{thresholds}"


def _listed(key: str, columns: Sequence[Column], undecided: Sequence[Column], lang: str) -> list[str]:
    if not columns and not undecided:
        return []
    lines = [f"{key}:" if columns else f"# {key}:"]
    lines += [f"  - {_q(c.header)}{_note(c, lang)}" for c in columns]
    lines += [f"  # - {_q(c.header)}   # {say(c.seen, lang)}{_sep(lang)}{say(c.check, lang)}" for c in undecided]
    return lines


def _note(c: Column, lang: str) -> str:
    if not c.seen:
        return ""
    check = (("；请检查：" if lang == "zh" else "; check: ") + say(c.check, lang)) if c.check else ""
    return f"   # {say(c.seen, lang)}{check}"


def _sep(lang: str) -> str:
    return "；" if lang == "zh" else "; "


def _scale(s: Scale) -> str:
    return f"{{min: {_num(s.min)}, max: {_num(s.max)}}}"


def _labels(labels: Sequence[tuple[str, int]]) -> str:
    return "{" + ", ".join(f"{_q(w)}: {p}" for w, p in labels) + "}"


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


_PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`0-9.+~][^?:,\[\]{}#&*!|>'\"%@`]*$")


def _q(text: str) -> str:
    """A YAML scalar for ``text``: plain when it reads back as the same string in a flow
    collection, else double-quoted (JSON's escapes are YAML's)."""
    text = str(text)
    if _PLAIN.match(text) and text == text.strip():
        try:
            if yaml.safe_load(text) == text:
                return text
        except yaml.YAMLError:
            pass
    return json.dumps(text, ensure_ascii=False)


def _arg(text: str) -> str:
    """A path as a shell word: bare when it can be, else single-quoted."""
    return text if re.fullmatch(r"[\w./\-\u4e00-\u9fff]+", text) else "'" + text.replace("'", "'\\''") + "'"


#: What each role is called in the lines :func:`decision_lines` prints (``CHECK``: undecided).
ROLE_NAMES = {"item": ("item", "指标"), "outcome": ("outcome", "总体"), "nps": ("nps", "NPS"), "segment": ("segment", "分组"),
              "comment": ("comment", "评论"), "pii": ("pii", "隐私"), "CHECK": ("CHECK", "待定")}


def decision_lines(draft: Draft, lang: str | None = None) -> list[str]:
    """One line a column that went into the model or needs a look; the export's own columns in
    one line. In ``lang`` (default :func:`draft_lang`)."""
    zh = (lang or draft_lang(draft)) == "zh"
    width = max((len(c.id) for c in draft.columns if c.id), default=4)
    lines = []
    for c in draft.columns:
        if c.role in ("platform", "unused") and not c.check:
            continue
        where = ROLE_NAMES["CHECK" if c.role == "unsure" else c.role][zh]
        where += " " * (8 - _width(where))
        colon = "：" if zh else ": "
        label = f"{c.letter:>3}  {where} {c.id:<{width}}  {clip(c.header, 44)}{colon}{say(c.seen, 'zh' if zh else 'en')}"
        lines.append(label + ((" — 请检查：" if zh else " — check: ") + say(c.check, "zh" if zh else "en") if c.check else ""))
    skipped = [c.header for c in draft.columns if c.role in ("platform", "unused") and not c.check]
    if skipped:
        lines.append(("     未使用：" if zh else "     not used: ") + ("、" if zh else ", ").join(clip(h, 24) for h in skipped))
    return lines


def _width(text: str) -> int:
    """Terminal columns ``text`` takes: two for a Chinese character."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


#: The Chinese of every part of what :mod:`csi.survey.infer` says about a column (``seen``, and
#: the "; "-separated parts of ``check``), matched in full; the tests check that every part
#: infer_model writes for the repository's exports has one.
_ZH: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), t) for p, t in (
    (r"the export's own column", "导出文件自带的列"),
    (r"no answers", "没有答案"),
    (r"personal data \(by its header\)", "个人信息（据列名）"),
    (r"personal data \(phone numbers, e-mail or IP addresses\)", "个人信息（手机号、邮箱或 IP 地址）"),
    (r"only no-answer codes", "只有“未作答”代码"),
    (r"one value only \((.*)\)", r"只有一个值（\1）"),
    (r"labels (.*)…(.*) \((\d+) points\)", r"标签 \1…\2（\3 级）"),
    (r"labels", "标签"),
    (r"an identifier \(every answer different\)", "编号（每个答案都不同）"),
    (r"dates and times", "日期和时间"),
    (r"0 and 1 only: a box ticked or not \(a multiple-choice option\), not a rating", "只有 0 和 1：多选题的一个选项（选中与否），不是评分"),
    (r"numbers (\S+): places in a ranking, not a rating", r"数字 \1：排序题的名次，不是评分"),
    (r"numbers (\S+)", r"数字 \1"),
    (r"codes (\S+)", r"代码 \1"),
    (r"(\d+) different texts \((.*)\)", r"\1 种不同的文字（\2）"),
    (r"the overall question is the only rating: it is the index here", "总体评价是唯一的评分题：这里用它作指数"),
    (r"answers are codes: the report shows them as numbers", "答案是代码：报告中按数字显示"),
    (r"not a rating scale: a measured value \(type: metric\) or a count\?", "不是评分量表：是实测值（type: metric）还是计数？"),
    (r"a rating on (\S+), or coded choices\? nothing in the question says", r"\1 的评分，还是选项的编码？题目里没有说"),
    (r"(\d+) answers are not numbers \((.*)\): they count as invalid", r"\1 个答案不是数字（\2）：算作无效答案"),
    (r"numbers only, in a matrix question that says nothing about rating: check that it is one",
     "只有数字，矩阵题也没说是评分：请确认它是"),
    (r"answers run (\S+), the scale is taken as (\S+)", r"答案在 \1 之间，量表按 \2 算"),
    (r"the rows' answers run (\S+), the scale is taken as (\S+)", r"各行答案在 \1 之间，量表按 \2 算"),
    (r"a breakdown \(segments:\)\? nothing in the header says", "分组（segments:）？列名里没有说"),
    (r"an open question\? \(comments: are quoted with --verbatims\)", "开放题？（comments: 用 --verbatims 原文引用）"),
    (r"(\d+) answer word\(s\) not on the scale \((.*)\): invalid cells", r"\1 种答案不在量表上（\2）：算作无效答案"),
    (r"agreeing with this statement sounds bad: add reverse: true if it is", "同意这句话听起来是坏事：如果是，请加上 reverse: true"),
    (r"numbers only: taken as a rating on (\S+), like (\d+) other column\(s\)", r"只有数字：和另外 \2 列一样按 \1 的评分读取"),
    (r"a second recommend question: the model has one nps", "第二个推荐题：模型只有一个 nps"),
))


def say(text: str, lang: str) -> str:
    """``text`` (a column's ``seen`` or ``check``) in ``lang``: as it is for ``en``; for ``zh``
    each "; "-separated part from :data:`_ZH` (a part without an entry stays as it is)."""
    if lang != "zh" or not text:
        return text
    return "；".join(_zh(part) for part in text.split("; "))


def _zh(part: str) -> str:
    for pattern, template in _ZH:
        m = pattern.fullmatch(part)
        if m:
            return m.expand(template)
    return part
