"""When a model does not fit a file: one short message instead of one per item.

Someone who runs ``csi score their-survey.xlsx`` with no model of their own gets the built-in
accounting-services model, whose columns their file does not have. Rather than an error per
indicator, each listing the file's headers, :func:`mapping_issues` says it once: how many of
the built-in model's indicators were found, that it is the built-in model, and the command
that drafts a model from the file (``csi init --from FILE``). For any other model, the
file's headers are listed once, in the first message that needs them, not once per item.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence
from pathlib import Path

from csi.errors import Issue
from csi.model import Model, default_model_path
from csi.survey.binding import Binding
from csi.survey.table import Table

__all__ = ["is_builtin", "foreign_file_issues", "mapping_issues", "headers_once"]

# find_column's "no header matches; the headers are: "x" (A), … . Give the exact header, …"
_LISTED = re.compile(r"the headers are: .*?\. (?=Give the exact header)")


def is_builtin(model: Model) -> bool:
    """True for the model shipped in the package (used when there is no ./indicators.yaml and no --model)."""
    try:
        return Path(model.path).resolve() == default_model_path().resolve()
    except OSError:
        return False


def foreign_file_issues(table: Table, model: Model, binding: Binding) -> list[Issue] | None:
    """The short message when the built-in model finds under half of its indicators in
    ``table``; None otherwise (the model is the user's, or the file is the accounting survey
    with a few columns missing, which the ordinary messages explain best)."""
    if not is_builtin(model):
        return None
    k = len(model.items)
    found = sum(1 for column in binding.items[:k] if column is not None)
    if found * 2 >= k:
        return None
    word = _shell_word(table.path)
    return [
        Issue("foreign-file", f"found {found} of the {k} indicators of the built-in model ({model.name}), the "
                              "accounting-services survey csi uses when there is no ./indicators.yaml and no --model",
              file=table.path, sheet=table.sheet),
        Issue("foreign-file", "Draft a model from this file's own questions, read what it printed, then score:"),
        Issue("foreign-file", f"  csi init --from {word}"),
        Issue("foreign-file", f"  csi score {word}"),
    ]


def mapping_issues(table: Table, model: Model, binding: Binding) -> list[Issue]:
    """The binding's issues as :func:`~csi.survey.prepare.prepare` raises them: the short
    message for a foreign file, else every issue with the file's headers listed once."""
    foreign = foreign_file_issues(table, model, binding)
    if foreign is not None:
        return foreign
    return headers_once(binding.mapping_issues())


def headers_once(issues: Sequence[Issue]) -> list[Issue]:
    """``issues`` with the file's header list kept in the first message that gives it and
    taken out of the others ("listed above")."""
    out = []
    listed = False
    for i in issues:
        if _LISTED.search(i.message):
            if listed:
                i = Issue(i.code, _LISTED.sub("the file's headers are listed above. ", i.message), i.file, i.sheet, i.row,
                          i.column, i.letter, i.value, i.path, i.line)
            listed = True
        out.append(i)
    return out


def _shell_word(text: str) -> str:
    """A path as a shell word: bare when it can be (Chinese names read better bare)."""
    return text if text and all(ch.isalnum() or ch in "._-/+:@%," or ord(ch) > 127 for ch in text) else shlex.quote(text)
