"""The library's front door: score a survey file in one call.

>>> from csi import score_file
>>> result = score_file("examples/accounting_2026Q3.xlsx")   # from the repository's root
>>> round(result.overall.score, 1), result.respondents["used"]
(75.6, 402)
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path

from csi import __version__
from csi.model import Model, resolve_model
from csi.result import Result
from csi.scoring import ScoreOptions, score
from csi.survey.prepare import Responses, columns_used, prepare
from csi.survey.read import Table, read_survey

__all__ = ["resolve_model", "score_file", "score_table", "manifest_for"]


def manifest_for(model: Model, table: Table | None, options: ScoreOptions, extra: dict | None = None) -> dict:
    """What produced a result: tool, time, model and input checksums, every option."""
    manifest: dict = {
        "tool": f"csi {__version__}",
        "created": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "model": {"path": model.path, "name": model.name, "sha256": model.sha256},
    }
    if table is not None:
        manifest["input"] = {"path": table.path, "sha256": table.sha256, "sheet": table.sheet, "preset": table.preset}
    opts = asdict(options)
    opts["method"] = model.root.method
    if model.outcome is not None:
        opts["outcome_weights"] = "pls outer weights" if model.root.method == "pls" else "equal"
    opts.update(extra or {})
    manifest["options"] = opts
    return manifest


def score_table(table: Table, model: Model, options: ScoreOptions | None = None, *, strict: bool = False,
                by: Sequence[str] = (), weight_column: str | None = None,
                progress: Callable[[int, int], None] | None = None) -> tuple[Result, Responses]:
    """Prepare and score a table already read; returns the result and the prepared responses.

    ``progress(done, total)`` is called while the bootstrap runs (see :func:`csi.scoring.score`).
    """
    options = options or ScoreOptions()
    responses = prepare(table, model, strict=strict, by=by, weight_column=weight_column)
    extra = {"by": list(by), "weight_column": weight_column, "strict": strict}
    return score(model, responses, options, manifest=manifest_for(model, table, options, extra), progress=progress), responses


def score_file(path: str | Path, model: Model | str | Path | None = None, options: ScoreOptions | None = None, *,
               sheet: str | int | None = None, preset: str | None = None, strict: bool = False, by: Sequence[str] = (),
               weight_column: str | None = None) -> Result:
    """Read, prepare and score one survey export.

    ``model`` is a :class:`~csi.model.Model`, a path, or None for :func:`resolve_model`'s default.
    """
    m = model if isinstance(model, Model) else resolve_model(model)
    table = read_survey(path, sheet=sheet, preset=preset,
                        columns=lambda t: columns_used(t, m, by=by, weight_column=weight_column))
    return score_table(table, m, options, strict=strict, by=by, weight_column=weight_column)[0]
