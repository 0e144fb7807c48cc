"""Reading survey exports: :func:`read_survey` → :class:`Table`, and the platform presets.

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
