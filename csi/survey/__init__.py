"""Reading survey exports: :func:`read_survey` → :class:`Table`, and the platform presets.

:mod:`~csi.survey.read` picks the format module (:mod:`~csi.survey.workbook`,
:mod:`~csi.survey.text`, :mod:`~csi.survey.parquet`, :mod:`~csi.survey.sav`), which gives a
grid of text (:mod:`~csi.survey.table`); :mod:`~csi.survey.headers` names its columns,
:mod:`~csi.survey.cells` types its cells. :mod:`~csi.survey.columns` finds a model's columns,
:mod:`~csi.survey.durations` reads the time taken.

Importing this package is cheap: its names are looked up in their modules on first use
(a command that needs only the presets does not load the reader), and pandas, numpy, pyarrow
and fastexcel are imported only when a file is read, so ``csi --help`` stays instant.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "PRESETS",
    "SUPPORTED_SUFFIXES",
    "Preset",
    "Table",
    "detect_preset",
    "durations_seconds",
    "find_column",
    "get_preset",
    "parse_duration",
    "question_number",
    "question_stem",
    "read_survey",
]

_HOME = {"PRESETS": "presets", "Preset": "presets", "detect_preset": "presets", "get_preset": "presets",
         "SUPPORTED_SUFFIXES": "files", "Table": "table", "durations_seconds": "durations", "parse_duration": "durations",
         "find_column": "columns", "question_number": "columns", "question_stem": "columns", "read_survey": "read"}


def __getattr__(name: str) -> Any:
    if name in _HOME:
        import importlib

        return getattr(importlib.import_module(f"csi.survey.{_HOME[name]}"), name)
    raise AttributeError(f"module 'csi.survey' has no attribute {name!r}")
