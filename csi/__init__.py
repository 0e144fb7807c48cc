"""csi: a Customer Satisfaction Index from survey exports.

The public API is imported lazily so that ``csi --help`` stays instant::

    from csi import load_model, read_survey, score_file, ScoreOptions
    result = score_file("survey.xlsx", "indicators.yaml", ScoreOptions(bootstrap=1000, seed=0))
    print(result.overall.score, result.overall.ci)

The pipelines every command runs are in :mod:`csi.api` (``score_export``, ``compare_files``,
``weights_file``).
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

__all__ = [
    "__version__", "load_model", "read_survey", "prepare", "score", "score_file", "score_table", "score_export",
    "compare_files", "weights_file", "ReadOptions", "ScoreOptions", "Result", "compare_results", "CsiError", "ModelError",
    "InputError", "DataError",
]

_LAZY = {
    "load_model": "csi.model", "read_survey": "csi.survey.read", "prepare": "csi.survey.prepare", "score": "csi.scoring",
    "ScoreOptions": "csi.options", "compare_results": "csi.compare", "score_file": "csi.api", "score_table": "csi.api",
    "score_export": "csi.api", "compare_files": "csi.api", "weights_file": "csi.api", "ReadOptions": "csi.api", "Result": "csi.result",
    "CsiError": "csi.errors", "ModelError": "csi.errors", "InputError": "csi.errors", "DataError": "csi.errors",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'csi' has no attribute {name!r}")
