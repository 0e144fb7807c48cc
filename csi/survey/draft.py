"""A :class:`~csi.survey.infer.Draft` as a commented ``indicators.yaml``, and as the lines
``csi init --from`` prints (one a column: what it decided, what to check).

The file uses only the model file's existing keys (README.md, "The model file"): ``scale``, ``labels``
and ``missing`` at the top for the most common scale, and on a group or an item whose scale
differs; ``outcome``, ``nps``, ``children`` (one group per matrix question, single questions
as items of the index itself), ``segments``, ``comments``, ``pii``. Every column is bound by
its exact header. What was not decided is written as commented-out lines where it would go.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence

import yaml

from csi.model import Scale
from csi.survey.infer import Column, Draft
from csi.survey.presets import PRESETS, forms
from csi.survey.table import clip

__all__ = ["draft_yaml", "decision_lines"]

_Setting = tuple[Scale | None, tuple[tuple[str, int], ...]]


def draft_yaml(draft: Draft, command: str, model_path: str) -> str:
    """The model file's text; ``command`` is how it was made, ``model_path`` where it goes."""
    items = draft.role("item")
    root = _root_setting(items)
    lines = _header(draft, command, model_path)
    lines.append(f"name: {_q(_model_name(draft))}")
    lines.append(f"scale: {_scale(root[0] or Scale(1.0, 5.0))}")
    if root[1]:
        lines.append(f"labels: {_labels(root[1])}")
    missing = sorted({w for c in draft.columns if c.role in ("item", "outcome") for w in c.missing})
    if missing:
        lines.append(f"missing: [{', '.join(_q(w) for w in missing)}]")
    lines += ["target: 80                          # the default target score; a group or an item may set its own",
              "method: fixed                       # equal weights unless a weight: is given"]
    if any(c.role in ("item", "outcome") and c.scale is not None and not c.labels and c.seen.startswith("numbers")
           for c in draft.columns):
        lines.append("# Answers given as numbers are read with the highest number as the best answer; a question whose")
        lines.append("# codes run the other way (1 = 非常满意, as the option order of a 按序号 download can make it) needs reverse: true.")
    lines += _outcome(draft, root)
    nps = draft.role("nps")
    if nps:
        labels = f", labels: {_labels(nps[0].labels)}" if nps[0].labels else ""
        lines.append(f"nps: {{id: {_q(nps[0].id)}, name: {_q(nps[0].name)}, column: {_q(nps[0].header)}{labels}}}{_note(nps[0])}")
    lines += _children(draft, root)
    lines += _listed("segments", draft.role("segment"), [c for c in draft.role("unsure") if c.scale is None and "breakdown" in c.check])
    lines += _listed("comments", draft.role("comment"), [])
    lines += _listed("pii", draft.role("pii"), [])
    if draft.duration is not None:
        lines += [f"# The export times each answer ({draft.duration}). To leave out answers given too fast to be read,",
                  "# choose a threshold in seconds and uncomment:",
                  "# quality: {min_duration: 60}"]
    if draft.protected:
        lines.append(f"# The export's own personal-data columns are protected without being listed: {', '.join(draft.protected)}")
    return "\n".join(lines) + "\n"


def _header(draft: Draft, command: str, model_path: str) -> list[str]:
    title = next((f.title for p in PRESETS.values() for f in forms(p) if f.name == draft.preset), draft.preset)
    checks = sum(1 for c in draft.columns if c.check or c.role == "unsure")
    return [
        f"# Drafted by `{command}`",
        f"# from {draft.path} ({title}; {draft.rows} rows, {len(draft.columns)} columns).",
        "# Every line was decided from the headers and the answers. Read the ones marked \"check:\"",
        f"# ({checks} of them) and the commented-out lines, which were not decided; then",
        f"#   csi validate {_arg(draft.path)} --model {_arg(model_path)}",
        f"#   csi score {_arg(draft.path)} --model {_arg(model_path)}",
    ]


def _model_name(draft: Draft) -> str:
    stem = re.sub(r"\.[A-Za-z]+$", "", draft.path.replace("\\", "/").rsplit("/", 1)[-1])
    return f"{stem} 客户满意度指数" if draft.chinese else f"{stem} customer satisfaction index"


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


def _item(c: Column, root: _Setting, commented: str = "") -> str:
    keys = [f"id: {_q(c.id)}", f"name: {_q(clip(c.name, 40))}", f"column: {_q(c.header)}", *_own(_setting(c), root)]
    return f"{commented}- {{{', '.join(keys)}}}{_note(c)}"


def _outcome(draft: Draft, root: _Setting) -> list[str]:
    outcome = draft.role("outcome")
    if not outcome:
        return []
    lines = ["outcome:", f"  name: {'总体满意度' if draft.chinese else 'Overall satisfaction'}", "  items:"]
    return lines + [f"    {_item(c, root)}" for c in outcome]


def _children(draft: Draft, root: _Setting) -> list[str]:
    lines = ["children:"]
    done: set[str] = set()
    for c in draft.role("item"):
        if c.group is None:
            lines.append(f"  {_item(c, root)}")
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
        lines += [f"      {_item(m, inner)}" for m in members]
    unsure = [c for c in draft.role("unsure") if c.scale is not None or "breakdown" not in c.check]
    if unsure:
        lines.append("  # Not decided: uncomment the ones that are questions of the index (and complete them).")
        lines += [f"  {_undecided(c, root)}" for c in unsure]
    return lines


def _undecided(c: Column, root: _Setting) -> str:
    if c.scale is not None:
        return _item(c, root, commented="# ")
    lo_hi = re.findall(r"-?\d+(?:\.\d+)?", c.seen)
    best, worst = (lo_hi[0], lo_hi[1]) if len(lo_hi) >= 2 else ("BEST", "WORST")
    keys = [f"id: {_q(c.id)}", f"name: {_q(clip(c.name, 40))}", f"column: {_q(c.header)}", "type: metric",
            f"best: {best}, worst: {worst}"]
    return f"# - {{{', '.join(keys)}}}   # {c.seen}; {c.check} (best/worst: set your thresholds)"


def _listed(key: str, columns: Sequence[Column], undecided: Sequence[Column]) -> list[str]:
    if not columns and not undecided:
        return []
    lines = [f"{key}:" if columns else f"# {key}:"]
    lines += [f"  - {_q(c.header)}{_note(c)}" for c in columns]
    lines += [f"  # - {_q(c.header)}   # {c.seen}; {c.check}" for c in undecided]
    return lines


def _note(c: Column) -> str:
    return f"   # {c.seen}" + (f"; check: {c.check}" if c.check else "") if c.seen else ""


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


def decision_lines(draft: Draft) -> list[str]:
    """One line a column that went into the model or needs a look; the export's own columns in one line."""
    width = max((len(c.id) for c in draft.columns if c.id), default=4)
    lines = []
    for c in draft.columns:
        if c.role in ("platform", "unused") and not c.check:
            continue
        where = "CHECK" if c.role == "unsure" else c.role
        label = f"{c.letter:>3}  {where:<8} {c.id:<{width}}  {clip(c.header, 44)}: {c.seen}"
        lines.append(label + (f" — check: {c.check}" if c.check else ""))
    skipped = [c.header for c in draft.columns if c.role in ("platform", "unused") and not c.check]
    if skipped:
        lines.append(f"     not used: {', '.join(clip(h, 24) for h in skipped)}")
    return lines
