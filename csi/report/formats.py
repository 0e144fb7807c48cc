"""The report formats, declared once: their suffixes and the function that renders each kind
of document in each format.

``-o`` and ``--format`` of every command, their help texts and the docs read this module.
To add a format, write its renderer under ``csi/report/`` and add one :class:`Format` here
(docs/architecture.md, "Adding a report format"). Renderers are imported only when used, so
that a command that writes JSON never imports the workbook writer.

>>> format_for("out/q3.xlsx"), format_for("digest.markdown")
('xlsx', 'md')
>>> suffix_list("result")
'.json .csv .md .xlsx .html'
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from csi.errors import Issue, OutputError

__all__ = ["Format", "FORMATS", "SUFFIXES", "format_for", "render", "stdout_formats", "suffix_list"]


@dataclass(frozen=True, slots=True)
class Format:
    """One report format: its name, its file suffixes and its renderer per kind of document.

    ``renderers`` maps a kind (``"result"``, ``"comparison"``, ``"weights"``, ``"ranking"``: a
    result shown by its league tables) to
    ``"module:function"``; the function takes the document and, when ``takes_lang``, the
    report language, and returns ``str`` (text, written as UTF-8) or ``bytes``.
    """

    name: str
    suffixes: tuple[str, ...]
    renderers: dict[str, str] = field(default_factory=dict)
    #: Can be printed on stdout with ``--format``.
    stdout: bool = True
    takes_lang: bool = True
    #: A file of this format starts with a UTF-8 byte-order mark. Excel opens a CSV without one
    #: in the system's code page (GBK on a Chinese Windows) and garbles its Chinese; stdout gets
    #: no mark, which would land in the first field of ``cut``, ``awk`` or a script's parser.
    bom: bool = False
    #: Keeps the data's text exactly, escaping what could act on a screen in the format's own
    #: syntax (JSON's ``\uXXXX``); every other format shows it through :func:`csi.printable.printable`.
    exact_text: bool = False


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("json", (".json",), {"result": "csi.report.tables:to_json", "comparison": "csi.report.compare_report:to_json",
                                "weights": "csi.report.tables:weights_json", "ranking": "csi.report.tables:to_json"},
           takes_lang=False, exact_text=True),
    Format("csv", (".csv",), {"result": "csi.report.tables:to_csv", "comparison": "csi.report.compare_report:to_csv",
                              "ranking": "csi.report.ranking:to_csv"}, takes_lang=False, bom=True),
    Format("md", (".md", ".markdown"), {"result": "csi.report.ranking:result_markdown",
                                        "comparison": "csi.report.compare_report:to_markdown",
                                        "ranking": "csi.report.ranking:to_markdown"}),
    Format("xlsx", (".xlsx",), {"result": "csi.report.excel:to_xlsx", "comparison": "csi.report.excel:comparison_to_xlsx",
                                "ranking": "csi.report.league:to_xlsx"}, stdout=False),
    Format("html", (".html", ".htm"), {"result": "csi.report.html:to_html", "comparison": "csi.report.html:comparison_to_html",
                                       "ranking": "csi.report.league:to_html"}, stdout=False),
)}

#: Output formats by file suffix.
SUFFIXES: dict[str, str] = {s: f.name for f in FORMATS.values() for s in f.suffixes}


def formats_for(kind: str) -> list[str]:
    """The formats that can render a ``kind`` of document."""
    return [name for name, f in FORMATS.items() if kind in f.renderers]


def stdout_formats(kind: str) -> list[str]:
    """The formats ``--format`` accepts for ``kind``, besides ``table`` (the terminal)."""
    return [name for name in formats_for(kind) if FORMATS[name].stdout]


def suffix_list(kind: str) -> str:
    """The first suffix of every format for ``kind``, for help texts."""
    return " ".join(FORMATS[name].suffixes[0] for name in formats_for(kind))


def format_for(path: str | Path, available: Iterable[str] | None = None) -> str:
    """The output format implied by a path's suffix; OutputError when it names none of ``available``."""
    suffix = Path(path).suffix.lower()
    fmt = SUFFIXES.get(suffix)
    allowed = list(FORMATS) if available is None else list(available)
    if fmt is None or fmt not in allowed:
        valid = ", ".join(s for s, f in SUFFIXES.items() if f in allowed)
        raise OutputError(Issue("output-format", f"cannot tell the format from the suffix {suffix or '(none)'!r}; use one of {valid}",
                                file=str(path)))
    return fmt


def render(kind: str, fmt: str, document: Any, lang: str | None = None) -> str | bytes:
    """``document`` (a Result, a Comparison, …) rendered in format ``fmt``.

    The one place where text from the data is made safe for every format (docs/architecture.md,
    "Text from the data"): control and bidirectional characters are escaped visibly
    (:func:`csi.printable.printable_copy`), or, in JSON, as JSON escapes of the same text.
    """
    from csi.printable import json_text, printable_copy

    spec = FORMATS[fmt]
    module, function = spec.renderers[kind].split(":")
    renderer = getattr(importlib.import_module(module), function)
    if not spec.exact_text:
        document = printable_copy(document)
    out = renderer(document, lang) if spec.takes_lang else renderer(document)
    return json_text(out) if spec.exact_text and isinstance(out, str) else out
