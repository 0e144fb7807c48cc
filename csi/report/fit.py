"""Terminal tables and lines that fit the console's width: whole names, numbers never cut.

rich shrinks a table that is too wide by cutting every cell with "…", numbers included
("78.…"), and wraps a long line at any space ("行" at the end of one line, "84" on the next).
Here the layout is decided before rich sees it:

1. every column is as wide as its widest cell and header;
2. while the table is too wide, optional columns go, in their ``drop`` order (the bar first);
3. then headers of number columns break onto two lines;
4. then text columns wrap, one cell at a time where it adds the fewest lines (other text — a
   quadrant, a verdict — before names when equal; no text cell beyond two lines while names
   can still give way), each line of a wrapped name indented two cells deeper than its first;
5. numbers are never wrapped or cut: at widths below what the numbers need, the table is
   left wider than the console rather than cut.

Words are never split: a break falls at a space, or between two CJK characters, with an
opening bracket kept with what follows and closing punctuation with what precedes
(“电话接通时间” / “（秒）”).

>>> wrap("电话接通时间（秒）", 12)
['电话接通时间', '（秒）']
>>> wrap("Ease of ordering online", 10, indent="  ")
['Ease of', '  ordering', '  online']
>>> wrap_items(["排除：", "未答完 2, ", "答题过快 4, ", "重复提交 1"], 30, indent="    ")
['排除：未答完 2, 答题过快 4,', '    重复提交 1']
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from rich.cells import cell_len
from rich.console import Console
from rich.segment import Segment, Segments
from rich.table import Table
from rich.text import Text

__all__ = ["Column", "tokens", "wrap", "wrap_items", "wrap_text", "split_items", "fit_table", "fits", "print_table"]

_OPEN = "（「『“《【〔［(["
_CLOSE = "）」』”》】〕］，、。；：！？)],.;:!?%"
#: A word may break after these (accounting_ / 2026Q2, e- / mail).
_JOINERS = "_/-"
#: A space before these, or after an operator, never breaks (see _binds).
_NUMERIC = "0123456789+-<=>→≤≥±"
_OPERATORS = "=<>→≤≥±▲▼△▽"
#: Each boundary between two columns: right padding, the rule, left padding.
_GAP = 3


def _binds(before: str, after: str) -> bool:
    """Whether the space between ``before`` and ``after`` holds: a number stays with what
    qualifies it (行 84, p = 0.036, 62.7 → 70.7, ▼ -9.8), so a line never ends in "Holm p =".
    """
    if not before or not after:
        return False
    return after in _NUMERIC or before[-1] in _OPERATORS


def _wide(ch: str) -> bool:
    return cell_len(ch) == 2


def tokens(text: str) -> list[str]:
    """The pieces ``text`` may break between, each with its trailing spaces.

    >>> tokens("电话接通时间（秒）")
    ['电', '话', '接', '通', '时', '间', '（秒）']
    >>> tokens("Q5 (2026) 满意度")
    ['Q5 ', '(2026) ', '满', '意', '度']
    >>> tokens("accounting_2026Q3 rose 1.5 points, p = 0.036")
    ['accounting_', '2026Q3 ', 'rose 1.5 ', 'points, ', 'p = 0.036']
    """
    out: list[str] = []
    cur = ""
    glue = False  # the next character joins the current piece (after an opening bracket)
    for k, ch in enumerate(text):
        if ch == " ":
            cur += ch
            glue = glue or _binds(cur.rstrip(), text[k + 1:k + 2])
            continue
        starts = cur != "" and not glue and ch not in _CLOSE and (
            cur.endswith(" ") or _wide(ch) or _wide(cur[-1]) or (cur[-1] in _JOINERS and len(cur.rstrip(_JOINERS)) > 0))
        if starts:
            out.append(cur)
            cur = ""
        cur += ch
        glue = ch in _OPEN
    if cur:
        out.append(cur)
    return out


def _cut(line: str, width: int) -> tuple[str, str]:
    """The longest head of ``line`` within ``width`` cells, and the rest (for a piece wider
    than a whole line: a long path, a word longer than the column)."""
    head = ""
    for k, ch in enumerate(line):
        if head and cell_len(head + ch) > width:
            return head, line[k:]
        head += ch
    return head, ""


def _fill(pieces: Sequence[str], width: int, indent: str) -> list[str]:
    """Pieces laid out greedily in lines of at most ``width`` cells."""
    indent = indent if cell_len(indent) + 2 <= width else ""
    lines: list[str] = []
    cur = ""
    for piece in pieces:
        if cur.strip() and cell_len((cur + piece).rstrip()) > width:
            lines.append(cur.rstrip())
            cur = indent + piece.lstrip()
        else:
            cur += piece
        while cell_len(cur.rstrip()) > width:
            head, rest = _cut(cur, width)
            lines.append(head.rstrip())
            cur = indent + rest
    if cur.strip():
        lines.append(cur.rstrip())
    return lines or [""]


def wrap(text: str, width: int, indent: str = "", keep: Sequence[str] = ()) -> list[str]:
    """``text`` in lines of at most ``width`` cells, broken only between :func:`tokens`;
    lines after the first start with ``indent``. Phrases in ``keep`` (names quoted in a
    sentence) are never broken inside.

    >>> wrap("沟通频率 4 次、工作流程顺畅度 2 次", 20)
    ['沟通频率 4 次、工作', '流程顺畅度 2 次']
    >>> wrap("沟通频率 4 次、工作流程顺畅度 2 次", 20, keep=["工作流程顺畅度"])
    ['沟通频率 4 次、', '工作流程顺畅度 2 次']
    """
    if cell_len(text) <= width:
        return [text]
    lead = text[: len(text) - len(text.lstrip(" "))]
    pieces = []
    for k, part in enumerate(re.split("(" + "|".join(map(re.escape, sorted(keep, key=len, reverse=True))) + ")", text.lstrip(" "))
                             if keep else [text.lstrip(" ")]):
        pieces += ([part] if k % 2 else tokens(part)) if part else []
    for i in range(len(pieces) - 2, 0, -1):  # a kept name and the number after it: 工作流程顺畅度 2 次
        if not pieces[i].strip() and _binds(pieces[i - 1].rstrip(), pieces[i + 1][:1]):
            pieces[i - 1:i + 2] = ["".join(pieces[i - 1:i + 2])]
    return _bracket_breaks(_fill([lead + t if i == 0 else t for i, t in enumerate(pieces)], width, indent), width, indent)


def _bracket_breaks(lines: list[str], width: int, indent: str) -> list[str]:
    """A line that ends inside a bracket (邮件回复时间（小 / 时）) breaks before the bracket
    instead, when the next line has room (邮件回复时间 / （小时）)."""
    out = list(lines)
    for i in range(len(out) - 1):
        at = max(out[i].rfind(b) for b in "（(「")
        if at <= len(out[i]) - len(out[i].lstrip(" ")) or any(c in out[i][at:] for c in "）)」"):
            continue
        tail, rest = out[i][at:], out[i + 1][len(indent):]
        # two narrow characters met only at a space (or after a joiner: accounting_ / 2026Q2)
        gap = " " if rest and not _wide(tail[-1]) and not _wide(rest[0]) and tail[-1] not in _JOINERS else ""
        moved = indent + tail + gap + rest if out[i + 1].startswith(indent) else None
        if moved is not None and cell_len(moved) <= width:
            out[i], out[i + 1] = out[i][:at].rstrip(), moved
    return out


def split_items(line: str, separators: tuple[str, ...] = (", ", "，", "：", ": ")) -> list[str]:
    """A line cut after each separator that is not inside brackets or quotes (a column header
    in 「」 or "" stays whole), each piece keeping its separator.

    >>> split_items("无效答案 1 个，列 U「8、您最近一次致电我们，大约等待多少秒接通？」，行 84：'不记得'")
    ['无效答案 1 个，', '列 U「8、您最近一次致电我们，大约等待多少秒接通？」，', '行 84：', "'不记得'"]
    """
    out, cur, depth, quoted, i = [], "", 0, False, 0
    while i < len(line):
        ch = line[i]
        if ch in "「『“（(":
            depth += 1
        elif ch in "」』”）)":
            depth = max(0, depth - 1)
        elif ch == '"':
            quoted = not quoted
        sep = next((s for s in separators if line.startswith(s, i)), None) if depth == 0 and not quoted else None
        if sep is not None:
            out.append(cur + sep)
            cur, i = "", i + len(sep)
            continue
        cur += ch
        i += 1
    return [*out, cur] if cur else out


def wrap_items(items: Sequence[str], width: int, indent: str = "") -> list[str]:
    """Items laid out in lines of at most ``width`` cells, a line break only between items;
    an item wider than a whole line is broken by :func:`wrap`."""
    pieces: list[str] = []
    room = max(1, width - cell_len(indent))
    for item in items:
        if cell_len(item.rstrip()) > room:
            pieces += tokens(item)
        else:
            pieces.append(item)
    return _fill(pieces, width, indent)


def wrap_text(text: Text, width: int, indent: str = "", items: Sequence[str] | None = None) -> Text:
    """A styled text wrapped as :func:`wrap` does, or between ``items`` (its plain text cut
    into pieces, as :func:`wrap_items` takes them), keeping every character's style."""
    plain = text.plain
    lines = wrap_items(items, width, indent) if items is not None else wrap(plain, width, indent)
    out = Text()
    i = 0
    for n, line in enumerate(lines):
        if n:
            out.append("\n")
        j = 0
        if n and indent and line.startswith(indent):
            out.append(indent)
            j = len(indent)
        for ch in line[j:]:
            while i < len(plain) and plain[i] != ch:  # a space dropped at the break
                i += 1
            out.append_text(text[i:i + 1])
            i += 1
    return out


@dataclass
class Column:
    """One column of a fitted table.

    ``kind``: ``name`` (wraps last, continuation lines indented), ``text`` (wraps before
    names), ``number`` (never wraps; its header may take two lines) or ``fixed`` (a bar or a
    sparkline: never wraps). ``drop``: 0 always shown, else dropped in increasing order
    while the table is too wide. ``styles`` holds one rich style per cell (or none).
    """

    header: str
    cells: list[str]
    kind: str = "number"
    justify: str = "right"
    drop: int = 0
    styles: list[str] = field(default_factory=list)
    width: int = 0
    header_lines: list[str] = field(default_factory=list)
    #: Phrases never broken inside (names listed in a cell).
    keep: Sequence[str] = ()

    def natural(self) -> int:
        return max([cell_len(self.header), *(cell_len(line) for c in self.cells for line in c.split("\n"))])

    def least(self) -> int:
        """The narrowest a text column can be without splitting a token (name: plus its indent)."""
        widest = max((cell_len(t.rstrip()) for t in tokens(self.header)), default=1)
        hang = 2 if self.kind == "name" else 0
        for c in self.cells:
            lead = len(c) - len(c.lstrip(" "))
            kept = [cell_len(k) for k in self.keep if k in c]
            widest = max(widest, lead + hang + max([*(cell_len(t.rstrip()) for t in tokens(c.lstrip(" "))), *kept], default=0))
        return max(widest, 4)

    def lines(self, width: int) -> int:
        """How many lines the cells take at ``width``."""
        cont = "  " if self.kind == "name" else ""
        return sum(len(wrap(c, width, indent=c[: len(c) - len(c.lstrip(" "))] + cont, keep=self.keep)) for c in self.cells)

    def two_line_width(self) -> int:
        """The narrowest width at which no cell takes more than two lines."""
        for w in range(self.least(), self.natural()):
            if all(len(wrap(c, w)) <= 2 for c in self.cells):
                return w
        return self.natural()


def _total(cols: Sequence[Column]) -> int:
    return sum(c.width for c in cols) + _GAP * (len(cols) - 1)


def _two_lines(header: str) -> list[str]:
    """The header on two lines as even as its tokens allow: at a space, between Latin and CJK
    text (p / （Holm）), or between CJK characters when each line keeps at least two
    (低分 / 占比; 目标 stays whole rather than become 目 / 标)."""
    ts = tokens(header)

    def natural(a: str, b: str) -> bool:
        return a.endswith(" ") or _wide(a.rstrip()[-1]) != _wide(b[0]) or min(cell_len(a.rstrip()), cell_len(b)) >= 4

    splits = [("".join(ts[:k]), "".join(ts[k:])) for k in range(1, len(ts))]
    splits = [(a.rstrip(), b.rstrip()) for a, b in splits if natural(a, b)]
    if not splits:
        return [header]
    return list(min(splits, key=lambda p: max(cell_len(p[0]), cell_len(p[1]))))


def _layout(columns: Sequence[Column], width: int) -> list[Column]:
    cols = list(columns)
    for c in cols:
        c.width, c.header_lines = c.natural(), [c.header]
    for c in sorted((c for c in cols if c.drop), key=lambda c: c.drop):
        if _total(cols) <= width:
            break
        cols.remove(c)
    for c in sorted((c for c in cols if c.kind == "number"), key=lambda c: cell_len(c.header), reverse=True):
        if _total(cols) <= width:
            break
        two = _two_lines(c.header)
        body = max((cell_len(line) for x in c.cells for line in x.split("\n")), default=0)
        if max(body, *(cell_len(h) for h in two)) < c.width:
            c.header_lines, c.width = two, max(body, *(cell_len(h) for h in two))
    # then text wraps where it costs the fewest extra lines (other text before names at equal
    # cost), first no text cell beyond two lines, then down to the widest token
    floors = {id(c): c.two_line_width() if c.kind == "text" else c.least() for c in cols}
    for floor in (lambda c: floors[id(c)], lambda c: c.least()):
        while _total(cols) > width:
            wide = [c for c in cols if c.kind in ("text", "name") and c.width > floor(c)]
            if not wide:
                break
            min(wide, key=lambda c: (c.lines(c.width - 1) - c.lines(c.width), c.kind == "name", -c.width)).width -= 1
    return cols


def _cell(c: Column, i: int) -> Text:
    value = c.cells[i]
    style = c.styles[i] if i < len(c.styles) else ""
    if c.kind in ("name", "text"):
        lead = value[: len(value) - len(value.lstrip(" "))]
        value = "\n".join(wrap(value, c.width, indent=lead + ("  " if c.kind == "name" else ""), keep=c.keep))
    return Text(value, style=style)


def fits(columns: Sequence[Column], width: int) -> bool:
    """Whether ``columns`` fit ``width`` cells once laid out."""
    return _total(_layout(columns, width)) <= width


def print_table(console: Console, columns: Sequence[Column], **table_options: object) -> None:
    """Print ``columns`` fitted to the console; a table that cannot fit (numbers wider than the
    console) runs past the right edge instead of being cut."""
    table, total = fit_table(columns, console.width, **table_options)
    if total <= console.width:
        console.print(table)
        return
    lines = console.render_lines(table, console.options.update(width=total), pad=False)
    console.print(Segments([seg for line in lines for seg in (*line, Segment.line())]), soft_wrap=True, end="")


def fit_table(columns: Sequence[Column], width: int, **table_options: object) -> tuple[Table, int]:
    """A rich table of ``columns`` laid out for ``width`` cells (see the module docstring), and its width."""
    cols = _layout(columns, width)
    options = {"show_edge": False, "header_style": "bold", "pad_edge": False, **table_options}
    table = Table(**options)  # type: ignore[arg-type]
    for c in cols:
        header = "\n".join(wrap(c.header, c.width) if c.kind in ("name", "text") else c.header_lines)
        table.add_column(header, justify=c.justify, no_wrap=True, width=c.width)  # type: ignore[arg-type]
    rows = max((len(c.cells) for c in cols), default=0)
    for i in range(rows):
        table.add_row(*(_cell(c, i) for c in cols))
    return table, _total(cols)
