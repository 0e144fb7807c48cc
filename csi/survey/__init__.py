"""Reading survey exports: :func:`read_survey` → :class:`Table`, and the platform presets.

:mod:`~csi.survey.read` picks the format module (:mod:`~csi.survey.workbook`,
:mod:`~csi.survey.text`, :mod:`~csi.survey.parquet`, :mod:`~csi.survey.sav`), which gives a
grid of text (:mod:`~csi.survey.table`); :mod:`~csi.survey.headers` names its columns,
:mod:`~csi.survey.cells` types its cells. :mod:`~csi.survey.columns` finds a model's columns,
:mod:`~csi.survey.durations` reads the time taken.

Importing this package is cheap: pandas, numpy, pyarrow and fastexcel are imported only
when a file is read, so ``csi --help`` stays instant.
"""

from __future__ import annotations

from csi.survey.presets import PRESETS, Preset, detect_preset, get_preset
from csi.survey.read import (
    SUPPORTED_SUFFIXES,
    Table,
    durations_seconds,
    find_column,
    parse_duration,
    question_number,
    question_stem,
    read_survey,
)

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
