"""Read an improvement-actions file (``actions.yaml``) for ``csi compare --actions``.

::

    actions:
      - id: A1                      # required: unique in the file
        node: efficiency            # required: a node id of the model, or overall
        segment: 记账二部            # optional: a value of the --by column (default: everyone)
        owner: 王经理                # optional
        start: 2026-04-15           # required: the date the action started (YYYY-MM-DD)
        expected_gain: 5            # optional: points the node should gain (0–100 scale)
        note: 增加两名接线员          # optional

Every problem of the file is collected and raised at once, naming the file, the YAML line,
the action and the key, and what would be valid. Whether the node and the segment value exist
and the start falls between the periods is checked against the comparison
(:func:`csi.follow_up.follow_up`).

>>> a = parse_actions("actions:\\n  - {id: A1, node: quality, start: 2026-04-15, expected_gain: 3}\\n", "a.yaml")
>>> a[0].id, a[0].node, a[0].start.isoformat(), a[0].expected_gain, a[0].line
('A1', 'quality', '2026-04-15', 3.0, 2)
"""

from __future__ import annotations

import difflib
import math
import os
from pathlib import Path
from typing import Any

from csi.actions import Action, parse_date
from csi.errors import DataError, InputError, Issue
from csi.model import _number
from csi.survey.files import read_side_file

__all__ = ["read_actions", "parse_actions", "ACTION_KEYS", "MAX_ACTIONS_BYTES"]

#: An actions file is a short list; anything bigger is not one.
MAX_ACTIONS_BYTES = 1_000_000
#: The keys of one action, required first.
ACTION_KEYS = ("id", "node", "start", "segment", "owner", "expected_gain", "note")
_REQUIRED = ("id", "node", "start")


def read_actions(path: str | os.PathLike[str]) -> tuple[Action, ...]:
    """Read and check an actions file (.yaml or .yml; UTF-8).

    Raises
    ------
    InputError
        The file is missing, too large, not UTF-8, has another suffix or is not valid YAML.
    DataError
        It was read, but its layout is wrong, a key is unknown or missing, an id repeats, a
        start is not a date or an expected gain not a number.
    """
    p = Path(path)
    shown = os.fspath(path)
    if p.suffix.lower() not in (".yaml", ".yml"):
        raise InputError(Issue("actions-format", f"expected a .yaml or .yml file, got {p.suffix or 'no suffix'!r}", file=shown))
    data = read_side_file(p, shown, "actions", MAX_ACTIONS_BYTES, "an actions.yaml file")
    try:
        text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(Issue("actions-encoding", "is not UTF-8 text; save it as UTF-8", file=shown)) from None
    return parse_actions(text, shown)


def _compose(text: str, file: str) -> tuple[Any, Any]:
    import yaml

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        what = (e.problem or e.context or "syntax error").strip()
        raise InputError(Issue("actions-yaml", f"YAML syntax error: {what}", file=file,
                               line=None if mark is None else mark.line + 1)) from None
    except yaml.YAMLError as e:
        raise InputError(Issue("actions-yaml", f"YAML syntax error: {e}", file=file)) from None
    return root, data


def _layout_error(file: str, line: int | None = None) -> DataError:
    return DataError(Issue("actions-layout", "expected `actions:` followed by a list of actions, each a mapping with "
                           f"the keys {', '.join(ACTION_KEYS)} (id, node and start required)", file=file, line=line))


def parse_actions(text: str, file: str = "<actions>") -> tuple[Action, ...]:
    """The actions of YAML ``text`` (see the module docstring for the layout)."""
    import yaml

    root, data = _compose(text, file)
    if not isinstance(root, yaml.MappingNode):
        raise _layout_error(file, None if root is None else root.start_mark.line + 1)
    problems: list[Issue] = []
    items = None
    for k, v in root.value:
        if k.value == "actions":
            items = v
        else:
            problems.append(Issue("actions-key", f"unknown key {k.value!r}; the file has one key, actions",
                                  file=file, line=k.start_mark.line + 1))
    if not isinstance(items, yaml.SequenceNode) or not items.value:
        raise _layout_error(file, None if items is None else items.start_mark.line + 1)
    actions: list[Action] = []
    seen: dict[str, int] = {}
    for i, (node, value) in enumerate(zip(items.value, data["actions"], strict=True)):
        action = _action(node, value, i, file, problems)
        if action is None:
            continue
        if action.id in seen:
            problems.append(Issue("action-duplicate", f"id {action.id!r} is also used on line {seen[action.id]}; every "
                                  "action needs its own id", file=file, line=action.line, path=f"actions[{i}].id"))
            continue
        seen[action.id] = action.line or 0
        actions.append(action)
    if problems:
        raise DataError(problems)
    return tuple(actions)


def _action(node: Any, value: Any, i: int, file: str, problems: list[Issue]) -> Action | None:
    import yaml

    line = node.start_mark.line + 1
    if not isinstance(node, yaml.MappingNode):
        problems.append(Issue("actions-layout", f"each action is a mapping with the keys {', '.join(ACTION_KEYS)}",
                              file=file, line=line, path=f"actions[{i}]"))
        return None
    raw: dict[str, Any] = {}
    lines: dict[str, int] = {}
    for k, _ in node.value:
        key = str(k.value)
        lines[key] = k.start_mark.line + 1
        if key not in ACTION_KEYS:
            guess = difflib.get_close_matches(key, ACTION_KEYS, n=1, cutoff=0.6)
            hint = f"did you mean {guess[0]!r}?" if guess else "valid: " + ", ".join(ACTION_KEYS)
            problems.append(Issue("action-key", f"unknown key {key!r}; {hint}", file=file, line=lines[key],
                                  path=f"actions[{i}].{key}"))
            continue
        raw[key] = value[k.value]
    ok = True
    for key in _REQUIRED:
        if raw.get(key) in (None, ""):
            problems.append(Issue("action-missing", f"no {key!r}; every action needs id, node and start", file=file, line=line,
                                  path=f"actions[{i}]"))
            ok = False

    def bad(key: str, what: str) -> None:
        problems.append(Issue("action-value", f"{key}: expected {what}, got {raw[key]!r}", file=file, line=lines[key],
                              path=f"actions[{i}].{key}", value=raw[key]))

    start = parse_date(raw["start"]) if raw.get("start") not in (None, "") else None
    if raw.get("start") not in (None, "") and start is None:
        bad("start", "a date such as 2026-04-15")
        ok = False
    gain = None
    if raw.get("expected_gain") is not None:
        gain = _number(raw["expected_gain"])
        if gain is None or not math.isfinite(gain) or not -100.0 <= gain <= 100.0:
            bad("expected_gain", "a number of points from -100 to 100")
            ok = False
    for key in ("id", "node", "segment", "owner", "note"):
        if isinstance(raw.get(key), (dict, list)):
            bad(key, "a text")
            ok = False
    if not ok or start is None:
        return None
    text = {k: "" if raw.get(k) is None else str(raw[k]).strip() for k in ("id", "node", "segment", "owner", "note")}
    return Action(text["id"], text["node"], start, text["owner"], text["segment"] or None, gain, text["note"], file, line)
