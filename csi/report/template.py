"""A data-entry workbook built from a model, for phone or paper interviews typed in by hand.

The workbook's first sheet, ``Responses``, has one header row and one row per respondent:
a respondent id, the columns the model needs besides the answers (its ``segments`` and
``quality.duplicate_by`` keys), then one column per item in model order (index items,
outcome items, the NPS question). Every header is one the model's item is bound to, so a
filled copy scores with ``csi score FILLED.xlsx --model M --preset plain``:

- ``column: "Q9 Delivery speed"`` → that header;
- ``column: Q5`` → ``"5、<item name>"`` (``"5. <item name>"`` in an English model), which
  ``Q5`` finds by its question number;
- ``match: "—账务处理准确性$"`` → a header the regular expression matches, here
  ``"<group name>—账务处理准确性"``. Anchors (``^``, ``$``) are honoured and escapes
  undone; a pattern with alternatives or groups is not inverted: its column is headed with
  the item's name and the instructions say which ``column:`` to put in the model instead.

Every header is checked with :func:`csi.survey.read.find_column` against the whole header
row before the workbook is written. Answers are guarded by data validation: a drop-down
of the labels (and the model's ``missing`` answers) for rating items whose labels name
every scale point, whole numbers on the scale for other rating and NPS items, numbers for
measured (``metric``) items. A ``Questions`` sheet and header comments say what each
column asks; an ``Instructions`` sheet (Chinese when the model's name is) says how to fill
it in and score it.

This module builds bytes; writing the file is the caller's (``csi.report.write``).

>>> from csi.model import load_model_text
>>> m = load_model_text('''
... name: demo
... children:
...   - {id: q, name: Quality, children: [{id: acc, name: Accuracy, match: "—Accuracy$"}]}
...   - {id: speed, name: Speed, column: Q7}
... ''')
>>> [c.header for c in template_columns(m)]
['Respondent ID', 'Quality—Accuracy', '7. Speed']
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from csi.errors import DataError
from csi.model import Group, Item, Model, default_model_path

__all__ = ["Answers", "TemplateColumn", "Template", "template_columns", "build_template", "adjust_message", "regex_literal", "model_lang"]

SHEET = "Responses"
#: Excel refuses an inline list (``"a,b,c"``) longer than this; longer lists go to a hidden sheet.
INLINE_LIST_MAX = 255
_LAST_ROW = 1_048_576
_QSPEC = re.compile(r"^[Qq](\d+)$")  # as csi.survey.read: ``Q5`` is question 5

_TEXT = {
    "id": ("编号", "Respondent ID"),
    "title": ("{name} — 数据录入模板", "{name} — data-entry template"),
    "questions": (("列", "表头", "题目", "所属维度", "答案", "指标 id", "说明"),
                  ("Column", "Header", "Question", "Dimension", "Answers", "Indicator id", "Notes")),
    "id_q": ("受访者编号（每人唯一）", "Respondent id (unique per respondent)"),
    "segment_q": ("分组：{h}", "Segment: {h}"),
    "key_q": ("用于识别重复答卷：{h}", "Identifies duplicate submissions: {h}"),
    "free": ("自由填写", "free text"),
    "reverse": ("反向题（分数高 = 不满意）", "reverse-worded (a high answer is a bad one)"),
    "whole": ("{lo}–{hi} 的整数", "a whole number from {lo} to {hi}"),
    "decimal": ("{lo}–{hi} 之间的数", "a number from {lo} to {hi}"),
    "metric": ("实测数值（≥ 0）；≤ {best} 得 100 分，≥ {worst} 得 0 分", "a measured value (≥ 0); {best} or better scores 100, {worst} or worse 0"),
    "metric_low": ("实测数值（≥ 0）；≥ {best} 得 100 分，≤ {worst} 得 0 分", "a measured value (≥ 0); {best} or better scores 100, {worst} or worse 0"),
    "metric_any": ("实测数值；{best} 得 100 分，{worst} 得 0 分", "a measured value; {best} scores 100, {worst} 0"),
    "no_answer": ("{m} = 无回答", "{m} = no answer"),
    "blank": ("留空 = 无回答", "blank = no answer"),
    "error_title": ("答案无效", "Invalid answer"),
    "error": ("请填写：{a}。未回答请留空。", "Enter {a}. Leave the cell blank when there is no answer."),
    "outcome": ("结果（直接满意度）", "Outcome (direct satisfaction)"),
    "comment": ("意见和建议", "Comments"),
    "comment_q": ("开放题（原话照录）：{h}", "Open question (the respondent's own words): {h}"),
    "margin_q": ("加权用的客户结构：{h}", "Client mix for weighting: {h}"),
    "one_of": ("以下之一：{a}", "one of: {a}"),
    "nps": ("净推荐值 NPS", "Net Promoter Score"),
}


def _t(key: str, lang: str) -> str:
    zh, en = _TEXT[key]
    return zh if lang == "zh" else en


def model_lang(model: Model) -> str:
    """``"zh"`` when the model's name has CJK characters, else ``"en"`` (as the reports decide).

    >>> from csi.model import load_model_text
    >>> model_lang(load_model_text("name: 满意度\\nchildren: [{id: a, column: A}]"))
    'zh'
    """
    return "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in model.name) else "en"


# ---------------------------------------------------------------- answers


@dataclass(frozen=True, slots=True)
class Answers:
    """What a column accepts: ``kind`` is ``list`` (``choices``), ``whole`` or ``decimal``
    (from ``minimum`` to ``maximum``; None: unbounded on that side) or ``text``."""

    kind: str
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None


def _answers(item: Item) -> Answers:
    """The data validation of an item's column.

    A rating item whose labels name every whole point of its scale gets a drop-down of the
    labels and its ``missing`` answers; numbers are accepted by ``csi score`` too, but the
    labels are what an interviewer reads out. Otherwise whole numbers on the scale. A
    measured value may have decimals (1.5 hours), so ``metric`` items take any number,
    at least 0 unless ``best`` or ``worst`` is negative.

    >>> from csi.model import Scale
    >>> _answers(Item("a", "A", "p", "A", None, Scale(1, 3), (("good", 3), ("ok", 2), ("bad", 1)), ("n/a",)))
    Answers(kind='list', choices=('good', 'ok', 'bad', 'n/a'), minimum=None, maximum=None)
    >>> _answers(Item("a", "A", "p", "A", None, Scale(1, 10), (("good", 5),)))
    Answers(kind='whole', choices=(), minimum=1.0, maximum=10.0)
    """
    if item.type == "metric":
        assert item.best is not None and item.worst is not None  # the model requires them
        return Answers("decimal", minimum=0.0 if min(item.best, item.worst) >= 0 else None)
    lo, hi = item.scale.min, item.scale.max
    whole = float(lo).is_integer() and float(hi).is_integer()
    points = {float(p) for _, p in item.labels}
    if item.type == "rating" and item.labels and whole and all(float(x) in points for x in range(int(lo), int(hi) + 1)):
        choices = list(dict.fromkeys(label.strip() for label, _ in item.labels))
        choices += [m.strip() for m in item.missing if m.strip() and m.strip() not in choices]
        return Answers("list", tuple(choices))
    return Answers("whole" if whole else "decimal", minimum=float(lo), maximum=float(hi))


def _number(x: float) -> str:
    return f"{x:g}"


def _describe(item: Item | None, answers: Answers, lang: str) -> str:
    """The answers a column takes, for people."""
    if answers.kind == "text":
        return _t("free", lang)
    if item is None:
        return _t("one_of", lang).format(a=" / ".join(answers.choices))
    if answers.kind == "list":
        labels = [c for c in answers.choices if c not in item.missing]
        missing = [c for c in answers.choices if c in item.missing]
        text = " / ".join(labels)
        if missing:
            text += "; " + _t("no_answer", lang).format(m=" / ".join(missing))
        return text + "; " + _t("blank", lang)
    if item.type == "metric":
        assert item.best is not None and item.worst is not None
        key = "metric_any" if answers.minimum is None else ("metric" if item.best < item.worst else "metric_low")
        return _t(key, lang).format(best=_number(item.best), worst=_number(item.worst)) + "; " + _t("blank", lang)
    key = "whole" if answers.kind == "whole" else "decimal"
    return _t(key, lang).format(lo=_number(answers.minimum or 0), hi=_number(answers.maximum or 0)) + "; " + _t("blank", lang)


# ---------------------------------------------------------------- headers


def regex_literal(pattern: str) -> tuple[str, bool, bool] | None:
    """A text a simple regular expression matches, and whether it is anchored at the start and end.

    Understood: literal characters, escaped punctuation (``\\.``), ``\\s`` and ``\\d``, a
    plain character class (its first character), ``.``, the quantifiers ``? * + {m} {m,n}``
    (the fewest repetitions they allow), and the anchors ``^ \\A $ \\Z``. Anything else —
    groups, alternatives, other escapes — gives None: the pattern is not inverted.

    >>> regex_literal("—账务处理准确性$")
    ('—账务处理准确性', False, True)
    >>> regex_literal(r"^Q10\\. Overall\\s*$")
    ('Q10. Overall', True, True)
    >>> regex_literal("^Q10 ")
    ('Q10 ', True, False)
    >>> regex_literal("(准确|正确)性$") is None
    True
    """
    start = pattern.startswith(("^", "\\A"))
    body = pattern[(2 if pattern.startswith("\\A") else 1):] if start else pattern
    end = False
    for anchor in ("$", "\\Z"):
        if body.endswith(anchor) and _unescaped_at(body, len(body) - len(anchor)):
            body, end = body[: -len(anchor)], True
            break
    out: list[str] = []
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\":
            if i + 1 >= len(body):
                return None
            nxt = body[i + 1]
            if nxt == "s":
                atom = " "
            elif nxt == "d":
                atom = "0"
            elif nxt.isalnum() or nxt == "_":
                return None  # \b, \w, \n, \1, \u…: not a single plain character
            else:
                atom = nxt
            i += 2
        elif ch == "[":
            close = _class_end(body, i)
            if close is None or body[i + 1:i + 2] in ("^", "]"):
                return None
            first = body[i + 1]
            if first == "\\":
                nxt = body[i + 2]
                if nxt.isalnum() or nxt == "_":
                    return None
                first = nxt
            atom, i = first, close + 1
        elif ch == ".":
            atom, i = " ", i + 1
        elif ch in "^$*+?(){}|]":
            return None
        else:
            atom, i = ch, i + 1
        count, i = _repeat(body, i)
        if count is None:
            return None
        out.append(atom * count)
    return "".join(out), start, end


def _unescaped_at(text: str, pos: int) -> bool:
    backslashes = 0
    while pos - 1 - backslashes >= 0 and text[pos - 1 - backslashes] == "\\":
        backslashes += 1
    return backslashes % 2 == 0


def _class_end(text: str, start: int) -> int | None:
    i = start + 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == "]" and i > start + 1:
            return i
        i += 1
    return None


def _repeat(text: str, i: int) -> tuple[int | None, int]:
    """The fewest repetitions the quantifier at ``text[i]`` allows (1 without one), and the index after it."""
    if i >= len(text):
        return 1, i
    ch = text[i]
    if ch in "*?":
        count, i = 0, i + 1
    elif ch == "+":
        count, i = 1, i + 1
    elif ch == "{":
        m = re.match(r"\{(\d+)(?:,(\d*))?\}", text[i:])
        if not m:
            return None, i
        count, i = int(m.group(1)), i + m.end()
    else:
        return 1, i
    if i < len(text) and text[i] in "?+":  # lazy or possessive: same fewest count
        i += 1
    if i < len(text) and text[i] in "*+?{":
        return None, i
    return count, i


def _header_for(item: Item, context: str, lang: str) -> str | None:
    """The header the item's binding finds, or None when the binding cannot be inverted.

    >>> from csi.model import Scale
    >>> it = Item("accuracy", "账务处理准确性", "p", None, "—账务处理准确性$", Scale(1, 5))
    >>> _header_for(it, "服务质量", "zh")
    '服务质量—账务处理准确性'
    >>> _header_for(Item("r", "Likelihood to recommend", "p", None, "^Q10 ", Scale(0, 10)), "NPS", "en")
    'Q10 Likelihood to recommend'
    >>> _header_for(Item("s", "Speed", "p", "Q7", None, Scale(1, 5)), "", "zh")
    '7、Speed'
    """
    if item.column is not None:
        spec = item.column.strip()
        q = _QSPEC.match(spec)
        if q is None:
            return spec or None
        name = item.name.strip() or item.id
        # "5、24小时…" has no question number (a digit right after the mark reads as "5.24"): keep a space then
        sep = "、" if lang == "zh" else ". "
        if name[:1].isdigit():
            sep = "、 " if lang == "zh" else ". "
        return f"{int(q.group(1))}{sep}{name}"
    assert item.match is not None
    parsed = regex_literal(item.match)
    if parsed is None:
        return None
    text, start, end = parsed
    header = text
    if not start and (not header or not header[0].isalnum()):
        header = context + header
    if not end and (not header or not header[-1].isalnum() or item.name not in header):
        header += item.name if (not header or not header[-1].isalnum()) else " " + item.name
    if not header or header != header.strip():
        return None
    try:
        return header if re.search(item.match, header) else None
    except re.error:
        return None


def _fallback_header(name: str, tag: str, taken: set[str]) -> str:
    """``name``, or ``"name (tag)"`` when that is taken, numbered further if need be."""
    header = name if name not in taken else f"{name} ({tag})"
    n = 2
    while header in taken:
        header, n = f"{name} ({tag} {n})", n + 1
    return header


# ---------------------------------------------------------------- columns


@dataclass(frozen=True, slots=True)
class TemplateColumn:
    """One column of the ``Responses`` sheet.

    ``role`` is ``id`` (the respondent id), ``key`` (a ``quality.duplicate_by`` column),
    ``segment``, ``margin`` (a ``population.margins`` column), ``item`` or ``comment`` (an
    open question). ``spec`` is how the model names a non-item column; ``items`` are the
    model items bound to an item column (several when they share one binding);
    ``dimension`` names the groups above the item. ``adjust`` is true when the model's
    binding could not be turned into a header of its own: the model must then name this
    header with ``column:`` before a filled copy scores.
    """

    header: str
    role: str
    spec: str | None = None
    items: tuple[Item, ...] = ()
    dimension: str = ""
    answers: Answers = Answers("text")
    adjust: bool = False

    @property
    def item(self) -> Item | None:
        return self.items[0] if self.items else None


def _contexts(model: Model, lang: str) -> dict[str, tuple[str, str]]:
    """Per item id: the name a ``—label$`` pattern hangs under, and the chain of groups above it."""
    out: dict[str, tuple[str, str]] = {}

    def visit(node: Group | Item, chain: tuple[str, ...]) -> None:
        if isinstance(node, Item):
            parent = chain[-1] if chain else model.name
            out[node.id] = (parent, " › ".join(chain))
            return
        here = chain if node is model.root else (*chain, node.name)
        for child in node.children:
            visit(child, here)

    visit(model.root, ())
    if model.outcome is not None:
        for item in model.outcome.items:
            out[item.id] = (model.outcome.name, model.outcome.name or _t("outcome", lang))
    if model.nps is not None:
        out[model.nps.id] = (model.nps.name, _t("nps", lang))
    return out


def _table(headers: Sequence[str]):  # type: ignore[no-untyped-def]
    """A header-only table for :func:`find_column`."""
    import pandas as pd

    from csi.survey.read import Table

    frame = pd.DataFrame({h: pd.Series(dtype=object) for h in headers})
    return Table(frame, SHEET, SHEET, "plain", 2, None, None, None, (), (), (SHEET,), "")


def _found(table, col: TemplateColumn) -> bool:  # type: ignore[no-untyped-def]
    """Whether the model's binding of ``col`` finds exactly its header in ``table``."""
    from csi.survey.read import find_column

    if col.role == "id":
        return True
    try:
        if col.item is not None:
            return find_column(table, column=col.item.column, match=col.item.match) == col.header
        return find_column(table, column=col.spec) == col.header
    except DataError:
        return False


def _spec_header(spec: str, name: str, lang: str) -> str:
    """The header for a plain column name of the model: itself, or ``"18、name"`` for ``Q18``."""
    spec = spec.strip()
    q = _QSPEC.match(spec)
    if q is None:
        return spec
    return f"{int(q.group(1))}{'、' if lang == 'zh' else '. '}{name}"


def template_columns(model: Model, lang: str | None = None) -> tuple[TemplateColumn, ...]:
    """The columns of the ``Responses`` sheet, in order, each header checked with ``find_column``.

    The respondent id, the ``quality.duplicate_by`` keys, the segments, the raking
    ``population.margins`` columns (a drop-down of their categories), the items in model
    order, the open ``comments`` questions. A column whose binding cannot be inverted, or
    does not find its header in the whole row (none or several), is headed with its name
    and marked ``adjust``.
    """
    lang = lang or model_lang(model)
    contexts = _contexts(model, lang)
    margins = dict(model.margins)

    others: list[TemplateColumn] = []
    for role, names in (("key", model.quality.duplicate_by), ("segment", model.segments), ("margin", tuple(margins))):
        for name in names:
            header = _spec_header(name, name, lang)
            answers = Answers("list", tuple(c for c, _ in margins[name])) if name in margins else Answers("text")
            same = next((i for i, c in enumerate(others) if c.header == header), None)
            if same is None:
                others.append(TemplateColumn(header, role, spec=name, answers=answers))
            elif answers.kind == "list":  # a segment that is also a raking margin gets its categories
                others[same] = replace(others[same], answers=answers)
    comments = [TemplateColumn(_spec_header(name, _t("comment", lang), lang), "comment", spec=name) for name in model.comments]
    comments = [c for i, c in enumerate(comments) if all(c.header != d.header for d in [*others, *comments[:i]])]

    # one column per binding; items with the very same binding share it
    bound: dict[tuple[str | None, str | None], list[Item]] = {}
    for item in model.all_items:
        bound.setdefault((item.column, item.match), []).append(item)
    taken = {c.header for c in [*others, *comments]}
    cols: list[TemplateColumn] = []
    for group in bound.values():
        item = group[0]
        context, dimension = contexts.get(item.id, (model.name, ""))
        header = _header_for(item, context, lang)
        adjust = header is None or header in taken
        if adjust:
            header = _fallback_header(item.name.strip() or item.id, item.id, taken)
        taken.add(header)  # type: ignore[arg-type]
        cols.append(TemplateColumn(header, "item", items=tuple(group), dimension=dimension,  # type: ignore[arg-type]
                                   answers=_answers(item), adjust=adjust))

    # the respondent id: a header no binding of the model takes for its own
    specs = [*others, *cols, *comments]
    candidates = (_t("id", lang), "respondent_id", *(f"csi_respondent_id_{n}" for n in range(1, len(specs) + 2)))
    id_header = next((h for h in candidates if h not in taken and not any(_found(_table([h]), replace(c, header=h)) for c in specs)),
                     candidates[-1])
    row = [TemplateColumn(id_header, "id"), *others, *cols, *comments]

    # every binding must find its own header in the whole row; one that does not (no match,
    # or several) gets an explicit header, which may in turn disturb another: repeat until stable
    for _ in range(len(row) + 1):
        table = _table([c.header for c in row])
        bad = [i for i, c in enumerate(row) if not c.adjust and not _found(table, c)]
        if not bad:
            break
        taken = {c.header for c in row}
        for i in bad:
            c = row[i]
            taken.discard(c.header)
            name = c.item.name.strip() or c.item.id if c.item is not None else c.header
            row[i] = replace(c, header=_fallback_header(name, c.item.id if c.item is not None else c.role, taken), adjust=True)
            taken.add(row[i].header)
    table = _table([c.header for c in row])
    # an explicit header the model happens to find needs no change to the model
    return tuple(replace(c, adjust=False) if c.adjust and _found(table, c) else c for c in row)


# ---------------------------------------------------------------- workbook


@dataclass(frozen=True, slots=True)
class Template:
    """A built workbook: its bytes, its columns and the language of its texts."""

    data: bytes
    columns: tuple[TemplateColumn, ...]
    lang: str

    @property
    def adjusted(self) -> tuple[TemplateColumn, ...]:
        """Columns whose item the model must bind with ``column:`` before a filled copy scores."""
        return tuple(c for c in self.columns if c.adjust)


def _width(text: str) -> int:
    """Display width: CJK characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _text_cell(ws, row: int, column: int, value: str):  # type: ignore[no-untyped-def]
    """A cell holding ``value`` as text, even when it starts with ``=`` (never a formula)."""
    cell = ws.cell(row=row, column=column)
    cell.value = value
    cell.data_type = "s"
    return cell


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def build_template(model: Model, *, score_command: str | None = None, validate_command: str | None = None,
                   lang: str | None = None) -> Template:
    """The data-entry workbook for ``model``, as ``.xlsx`` bytes.

    ``score_command`` and ``validate_command`` are the commands the instructions tell the
    user to run on the filled file (default: generic ones naming ``FILE.xlsx``).
    """
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    from csi.printable import printable_copy

    model = printable_copy(model)  # names and labels with control characters, escaped visibly (docs/architecture.md)
    lang = lang or model_lang(model)
    columns = template_columns(model, lang)
    score_command = score_command or "csi score FILE.xlsx --model MODEL.yaml --preset plain"
    validate_command = validate_command or "csi validate FILE.xlsx --model MODEL.yaml --preset plain"

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    wb.properties.title = _TEXT["title"][0 if lang == "zh" else 1].format(name=model.name)
    wb.properties.creator = "csi"
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    wrap = Alignment(wrap_text=True, vertical="center")
    lists = None
    list_refs: dict[tuple[str, ...], str] = {}
    lines = 1
    for j, col in enumerate(columns, start=1):
        letter = get_column_letter(j)
        cell = _text_cell(ws, 1, j, col.header)
        cell.font, cell.fill, cell.alignment = bold, fill, wrap
        width = min(max(_width(col.header) + 2, 10), 36)
        ws.column_dimensions[letter].width = width
        lines = max(lines, math.ceil(_width(col.header) / (width - 1)))
        item = col.item
        note = _describe(item, col.answers, lang)
        question = item.name if item is not None else _role_text(col, lang)
        comment = Comment(_clip(f"{question}\n{note}", 1000), "csi")
        comment.width, comment.height = 300, 120
        cell.comment = comment
        if col.answers.kind == "text":
            continue
        dv = _validation(col, note, lang, DataValidation)
        if dv is None:  # a list too long or awkward for an inline formula: keep it on a hidden sheet
            if lists is None:
                lists = wb.create_sheet("Lists")
                lists.sheet_state = "hidden"
            if col.answers.choices not in list_refs:  # one column of the hidden sheet per distinct list
                k = get_column_letter(len(list_refs) + 1)
                for r, choice in enumerate(col.answers.choices, start=1):
                    _text_cell(lists, r, len(list_refs) + 1, choice)
                list_refs[col.answers.choices] = f"{quote_sheetname('Lists')}!${k}$1:${k}${len(col.answers.choices)}"
            dv = _validation(col, note, lang, DataValidation, formula=list_refs[col.answers.choices])
            assert dv is not None
        ws.add_data_validation(dv)
        dv.add(f"{letter}2:{letter}{_LAST_ROW}")
    ws.row_dimensions[1].height = 15 * min(max(lines, 1), 6) + 3
    ws.freeze_panes = "B2"

    _questions_sheet(wb, columns, lang, bold, fill, wrap)
    _instructions_sheet(wb, model, columns, lang, score_command, validate_command, bold)
    if lists is not None:
        wb.move_sheet(lists, offset=len(wb.sheetnames))
    wb.active = 0
    buf = io.BytesIO()
    wb.save(buf)
    return Template(buf.getvalue(), columns, lang)


def _role_text(col: TemplateColumn, lang: str) -> str:
    """What a column that is not an item holds."""
    if col.role == "id":
        return _t("id_q", lang)
    key = {"segment": "segment_q", "key": "key_q", "margin": "margin_q", "comment": "comment_q"}[col.role]
    return _t(key, lang).format(h=col.header)


def _binding(col: TemplateColumn) -> str:
    """How the model binds a column, as the model file says it."""
    if col.item is not None:
        return col.item.spec
    where = {"key": "quality.duplicate_by", "segment": "segments", "margin": "population.margins", "comment": "comments"}
    return f"{where.get(col.role, col.role)}: {col.spec!r}"


def adjust_message(col: TemplateColumn, lang: str) -> str:
    """What to change in the model so that it finds an explicitly headed column."""
    what = f"{col.item.id}（{col.item.name}）" if col.item is not None and lang == "zh" else \
        f"{col.item.id} ({col.item.name})" if col.item is not None else col.role
    if lang == "zh":
        return (f"{what}：模型中的 {_binding(col)} 无法对应到一个专属表头，本模板用表头“{col.header}”；"
                f"评分前请在模型中把它改为 column: \"{col.header}\"，否则评分时找不到这一列。")
    return (f"{what}: the model's {_binding(col)} cannot be given a header of its own, so the column is headed "
            f"\"{col.header}\"; before scoring, change it in the model to column: \"{col.header}\", or scoring will not find "
            "the column.")


def _validation(col: TemplateColumn, note: str, lang: str, factory, formula: str | None = None):  # type: ignore[no-untyped-def]
    """The data validation of a column; None when its list needs a range (``formula``)."""
    a = col.answers
    common = {"allow_blank": True, "showErrorMessage": True, "errorStyle": "stop", "showInputMessage": True,
              "errorTitle": _t("error_title", lang), "error": _clip(_t("error", lang).format(a=note), 255),
              "promptTitle": _clip(col.item.name if col.item is not None else col.header, 32), "prompt": _clip(note, 255)}
    if a.kind == "list":
        if formula is None:
            inline = ",".join(a.choices)
            if len(inline) > INLINE_LIST_MAX or any("," in c or '"' in c for c in a.choices):
                return None
            formula = f'"{inline}"'
        return factory(type="list", formula1=formula, showDropDown=False, **common)
    if a.minimum is not None and a.maximum is not None:
        return factory(type=a.kind, operator="between", formula1=_number(a.minimum), formula2=_number(a.maximum), **common)
    if a.minimum is not None:
        return factory(type=a.kind, operator="greaterThanOrEqual", formula1=_number(a.minimum), **common)
    return factory(type=a.kind, operator="between", formula1="-1E+300", formula2="1E+300", **common)


def _questions_sheet(wb, columns: Sequence[TemplateColumn], lang: str, bold, fill, wrap) -> None:  # type: ignore[no-untyped-def]
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet("Questions")
    titles = _TEXT["questions"][0 if lang == "zh" else 1]
    for j, title in enumerate(titles, start=1):
        cell = _text_cell(ws, 1, j, title)
        cell.font, cell.fill = bold, fill
    for i, col in enumerate(columns, start=2):
        item = col.item
        notes = []
        if item is not None and item.reverse:
            notes.append(_t("reverse", lang))
        if col.adjust:
            notes.append(adjust_message(col, lang))
        values = (get_column_letter(i - 1), col.header, item.name if item else _role_text(col, lang), col.dimension,
                  _describe(item, col.answers, lang), ", ".join(it.id for it in col.items), "; ".join(notes))
        for j, value in enumerate(values, start=1):
            _text_cell(ws, i, j, value).alignment = wrap
    for letter, width in zip("ABCDEFG", (7, 36, 30, 24, 48, 18, 40), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"


def _instructions_sheet(wb, model: Model, columns: Sequence[TemplateColumn], lang: str, score_command: str,  # type: ignore[no-untyped-def]
                        validate_command: str, bold) -> None:
    from openpyxl.styles import Alignment, Font

    ws = wb.create_sheet("Instructions")
    ws.column_dimensions["A"].width = 110
    rows = _instruction_lines(model, columns, lang, score_command, validate_command)
    top = Alignment(wrap_text=True, vertical="top")
    for i, (text, style) in enumerate(rows, start=1):
        cell = _text_cell(ws, i, 1, text)
        cell.alignment = top
        if style == "title":
            cell.font = Font(bold=True, size=14)
        elif style == "head":
            cell.font = bold
        elif style == "code":
            cell.font = Font(name="Consolas")


@dataclass(frozen=True, slots=True)
class _Sheet:
    """What the Instructions sheet needs to know of the Answers sheet's columns."""

    id_header: str
    segments: list[str]
    keys: list[str]
    margins: list[str]
    notes: list[str]
    has_list: bool
    ranges: list[str]
    has_metric: bool
    private: bool
    missing: list[str]


def _sheet_facts(model: Model, columns: Sequence[TemplateColumn]) -> _Sheet:
    keys = [c.header for c in columns if c.role == "key"]
    items = [c for c in columns if c.role == "item"]
    return _Sheet(
        id_header=columns[0].header,
        segments=[c.header for c in columns if c.role == "segment"],
        keys=keys,
        margins=[c.header for c in columns if c.role == "margin" or (c.role == "segment" and c.answers.kind == "list")],
        notes=[c.header for c in columns if c.role == "comment"],
        has_list=any(c.answers.kind == "list" for c in items),
        ranges=list(dict.fromkeys(f"{_number(c.answers.minimum or 0)}–{_number(c.answers.maximum or 0)}" for c in items
                                  if c.answers.kind in ("whole", "decimal") and c.item is not None and c.item.type != "metric")),
        has_metric=any(c.item is not None and c.item.type == "metric" for c in items),
        private=any(k in model.pii for k in keys),
        missing=list(dict.fromkeys(m for c in items if c.answers.kind == "list" and c.item is not None
                                   for m in c.answers.choices if m in c.item.missing)),
    )


def _instruction_lines(model: Model, columns: Sequence[TemplateColumn], lang: str, score_command: str,
                       validate_command: str) -> list[tuple[str, str]]:
    """The Instructions sheet, one (text, style) per row."""
    zh = lang == "zh"
    packaged = Path(model.path).resolve() == default_model_path().resolve()
    digest = f"sha256 {model.sha256[:12]}"
    if zh:
        source = f"内置模型（{digest}）" if packaged else f"模型 {model.path}（{digest}）"
        made = f"本工作簿由 csi template 根据{source}生成，用于把电话或纸质问卷的答案录入电脑。"
    else:
        source = f"the built-in model ({digest})" if packaged else f"the model {model.path} ({digest})"
        made = f"Made by csi template from {source}, for typing in the answers of phone or paper interviews."
    out: list[tuple[str, str]] = [(_TEXT["title"][0 if zh else 1].format(name=model.name), "title"), (made, "")]
    adjusted = [c for c in columns if c.adjust]
    if adjusted:
        out.append(("评分前请先修改模型" if zh else "Change the model before scoring", "head"))
        out += [(adjust_message(c, lang), "") for c in adjusted]
    facts = _sheet_facts(model, columns)
    steps = _steps_zh(facts) if zh else _steps_en(facts)
    out.append(("如何填写" if zh else "How to fill it in", "head"))
    out += [(f"{i}. {step}", "") for i, step in enumerate(steps, start=1)]
    if zh:
        return out + [("如何评分", "head"), ("录入完成并保存后，先检查列与答案：", ""), (validate_command, "code"),
                      ("再计算满意度指数（--preset plain：一行表头，无问卷平台的附加列）：", ""), (score_command, "code"),
                      ("可加 --by 列名 分组统计、-o 报告.md 保存报告；样本量是否足够可用 csi sample-size 估算。", "")]
    return out + [("How to score it", "head"),
                  ("When the answers are in and the file is saved, check the columns and answers first:", ""),
                  (validate_command, "code"),
                  ("then compute the index (--preset plain: one header row, no survey-platform columns):", ""),
                  (score_command, "code"),
                  ("Add --by COLUMN for a breakdown and -o report.md to save a report; csi sample-size tells whether the "
                   "sample is large enough.", "")]


def _steps_zh(f: _Sheet) -> list[str]:
    steps = [f"在“{SHEET}”工作表中录入答案：每位受访者一行，从第 2 行开始；第 1 行是表头，请勿修改、删除、调换或插入列，也不要在表头上方插入行。",
             f"“{f.id_header}”列：每位受访者一个唯一编号（如 1、2、3…）。"]
    if f.segments:
        steps.append(f"分组列（{'、'.join(f.segments)}）：填写受访者所属的分组，报告会按分组分别统计；同一分组请始终写法一致。")
    if f.margins:
        steps.append(f"{'、'.join(f.margins)}：从下拉列表中选择；样本会按客户结构加权。")
    if f.keys:
        extra = "，这些列不会出现在任何报告中" if f.private else ""
        steps.append(f"{'、'.join(f.keys)}：用于识别同一受访者的重复答卷（只保留最后一份）{extra}。")
    if f.has_list:
        said = f"受访者回答{'、'.join(f'“{m}”' for m in f.missing)}时选择相应选项；" if f.missing else ""
        steps.append(f"评价题：点击单元格，从下拉列表中选择受访者的回答；{said}未回答则留空。")
    if f.ranges:
        steps.append(f"打分题（{'、'.join(f.ranges)} 分）：填写整数；未回答则留空。")
    if f.has_metric:
        steps.append("实测指标（如电话接通时间）：填写实际测得的数值，单位见表头，可带小数；未测则留空。")
    if f.notes:
        steps.append(f"{'、'.join(f.notes)}：照录受访者原话；报告引用时会隐去电话号码、邮箱等个人信息。")
    steps.append("每一列问的是什么、接受哪些答案：见“Questions”工作表，或把鼠标停在表头上查看批注。")
    steps.append("输入不在允许范围内的答案时 Excel 会拒绝；请勿粘贴整列数据以绕过检查。")
    return steps


def _steps_en(f: _Sheet) -> list[str]:
    steps = [f"Type the answers into the \"{SHEET}\" sheet: one row per respondent, from row 2 on. Row 1 holds the headers: do "
             "not edit, delete, reorder or insert columns, and insert no rows above it.",
             f"\"{f.id_header}\": a unique id for every respondent (1, 2, 3, …)."]
    if f.segments:
        steps.append(f"Segment columns ({', '.join(f.segments)}): the respondent's group; results are broken down by them. Spell "
                     "each group the same way every time.")
    if f.margins:
        steps.append(f"{', '.join(f.margins)}: pick from the drop-down list; the sample is weighted to the client mix by them.")
    if f.keys:
        extra = "; they never appear in any report" if f.private else ""
        steps.append(f"{', '.join(f.keys)}: identifies repeated submissions of one respondent (the last one is kept){extra}.")
    if f.has_list:
        said = f"pick {' or '.join(f'“{m}”' for m in f.missing)} when the respondent says so; " if f.missing else ""
        steps.append(f"Rating questions: click the cell and pick the answer from the drop-down list; {said}leave the cell blank "
                     "when there is no answer.")
    if f.ranges:
        steps.append(f"Score questions ({', '.join(f.ranges)}): a whole number; leave the cell blank when there is no answer.")
    if f.has_metric:
        steps.append("Measured indicators (e.g. seconds until the phone was answered): the measured value in the unit the "
                     "header names, decimals allowed; blank when not measured.")
    if f.notes:
        steps.append(f"{', '.join(f.notes)}: the respondent's own words; reports quote them with phone numbers and e-mail "
                     "addresses masked.")
    steps.append("What each column asks and which answers it takes: the \"Questions\" sheet, or the comment on its header.")
    steps.append("Excel refuses an answer outside the allowed ones; do not paste whole columns to get around the check.")
    return steps
