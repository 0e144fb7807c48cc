"""The library's pipelines, once each: what every command and every script calls.

``csi score`` is :func:`score_export`, ``csi compare`` is :func:`compare_files`, ``csi weights``
is :func:`weights_file`; the commands only parse options, check their outputs, call these and
render. So a script and the command line give the same numbers, byte for byte.

>>> from csi import score_file
>>> result = score_file("examples/accounting_2026Q3.xlsx")   # from the repository's root
>>> round(result.overall.score, 1), result.respondents["used"]
(75.6, 402)

This module is light to import (no numpy or pandas): the engine is imported while the survey
file is read (:mod:`csi.prefetch`), so a command starts scoring as soon as the file is read.
"""

from __future__ import annotations

import datetime as _dt
import os
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from csi import __version__
from csi.limits import Limits
from csi.model import Model, resolve_model, with_method
from csi.options import RankOptions, ScoreOptions
from csi.path_model import with_structure_options
from csi.structure import STRUCTURE_KEY, model_structure

if TYPE_CHECKING:
    from csi.actions import Action
    from csi.compare import Comparison
    from csi.responses import Responses
    from csi.result import Result
    from csi.survey.infer import Draft
    from csi.survey.read import Table
    from csi.weighting.sensitivity import MethodComparison

__all__ = ["ReadOptions", "Scored", "ScoreOptions", "RankOptions", "resolve_model", "model_for_run", "manifest", "score_manifest",
           "score_table", "score_export", "score_file", "rank_export", "compare_files", "weights_file", "default_labels", "Drafted",
           "draft_model"]

#: What scoring imports; read beside the file (csi.prefetch).
ENGINE_MODULES = ("csi.survey.prepare", "csi.scoring")

Stage = Callable[[str], None]
Step = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How an export is read and prepared: the sheet, the preset, strictness, the breakdowns
    (None: the model's ``segments``), the column of respondent weights, and the limits of what
    a file (and the bootstrap) may ask to allocate (``--max-memory``)."""

    sheet: str | int | None = None
    preset: str | None = None
    strict: bool = False
    by: tuple[str, ...] | None = None
    weight_column: str | None = None
    limits: Limits = Limits()

    def breakdowns(self, model: Model) -> list[str]:
        return list(model.segments if self.by is None else self.by)


@dataclass(frozen=True, slots=True)
class Scored:
    """A scored export: the result, and the prepared responses it was computed from
    (for ``--exclusions``: the rows left out and why)."""

    result: Result
    responses: Responses


def model_for_run(model: Model | str | os.PathLike[str] | None = None, *, method: str | None = None,
                  allow_negative: bool = False, policy: str | None = None, scheme: str | None = None,
                  scaled: bool | None = None) -> Model:
    """The model a run uses: ``model`` (a Model, a path, or None for :func:`resolve_model`'s
    default) with ``method`` for every group that does not name its own and the weighting
    options ``allow_negative`` and ``policy`` added (``--method``, ``--allow-negative``,
    ``--policy``); ``scheme`` and ``scaled`` replace those of its ``paths:`` section
    (``--scheme``, ``--scaled/--unscaled``; ignored without one)."""
    m = model if isinstance(model, Model) else resolve_model(model)
    m = with_structure_options(m, scheme=scheme, scaled=scaled)
    options: dict[str, Any] = {}
    if allow_negative:
        options["allow_negative"] = True
    if policy is not None:
        options["policy"] = policy
    if method is None and not options:
        return m
    return with_method(m, method or m.root.method, options)


def manifest(options: Mapping[str, Any], *, model: Model | None = None, table: Table | None = None) -> dict:
    """What produced a document: tool, time, model and input checksums, every option; with a
    model, its structure (:func:`csi.structure.model_structure`), which ``csi compare`` checks."""
    out: dict[str, Any] = {
        "tool": f"csi {__version__}",
        "created": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
    }
    if model is not None:
        out["model"] = {"path": model.path, "name": model.name, "sha256": model.sha256}
        out[STRUCTURE_KEY] = model_structure(model)
    if table is not None:
        out["input"] = {"path": table.path, "sha256": table.sha256, "sheet": table.sheet, "preset": table.preset}
    out["options"] = dict(options)
    return out


def score_manifest(model: Model, table: Table | None, options: ScoreOptions, extra: Mapping[str, Any] | None = None) -> dict:
    """The manifest of a result: the scoring options, the weighting method and ``extra``."""
    opts = asdict(options)
    opts["method"] = model.root.method
    if model.structure is not None:
        opts["paths"] = {"scheme": model.structure.scheme, "scaled": model.structure.scaled}
    if model.outcome is not None:
        opts["outcome_weights"] = "pls outer weights" if model.root.method == "pls" else "equal"
    opts.update(extra or {})
    return manifest(opts, model=model, table=table)



def score_table(table: Table, model: Model, options: ScoreOptions | None = None, *, strict: bool = False,
                by: Sequence[str] = (), weight_column: str | None = None,
                progress: Step | None = None, limits: Limits | None = None,
                grades: bool = False, period_date: str | _dt.date | None = None,
                rank: RankOptions | None = None) -> tuple[Result, Responses]:
    """Prepare and score a table already read; returns the result and the prepared responses.

    ``progress(done, total)`` is called while the bootstrap runs (see :func:`csi.scoring.score`);
    ``grades`` adds the grade view (模糊综合评价, :func:`csi.grades.grade_view`); ``period_date``
    (the survey's date, ``YYYY-MM-DD``) is recorded in the manifest's options for ``csi compare --actions``.
    ``rank``: also the league table of the units of ``rank.by`` (:func:`csi.ranking.rank_units`),
    in the result's ``rankings``; that column is not a breakdown unless it is in ``by``.
    """
    from csi.importance import check_rank_by
    from csi.scoring import score
    from csi.survey.prepare import prepare

    options = options or ScoreOptions()
    check_rank_by(model, options.rank_by)  # before the answers are prepared
    if rank is not None:
        from csi.ranking import node_for

        node_for(model, rank.node)  # an unknown --node fails before the work
    columns = list(by) + ([rank.by] if rank is not None and rank.by not in by else [])
    responses = prepare(table, model, strict=strict, by=columns, weight_column=weight_column)
    scored = responses if len(columns) == len(by) else replace(responses, segments={c: responses.segments[c] for c in by})
    extra: dict[str, Any] = {"by": list(by), "weight_column": weight_column, "strict": strict}
    if rank is not None:
        extra["rank"] = asdict(rank)
    if grades:
        extra["grades"] = True
    if period_date is not None:
        extra["period_date"] = _iso_date(period_date)
    result = score(model, scored, options, manifest=score_manifest(model, table, options, extra), progress=progress,
                   limits=limits)
    if rank is not None:
        from csi.ranking import rank_units

        target = result.overall.score if rank.node is None else result.node(rank.node).score
        result = replace(result, rankings=(rank_units(model, responses, options, rank, target=target),))
    if grades:
        from csi.grades import grade_view

        result = replace(result, grades=grade_view(model, scored, result, options))
    return result, responses


def _iso_date(value: str | _dt.date) -> str:
    from csi.actions import parse_date
    from csi.errors import DataError, Issue

    parsed = parse_date(value)
    if parsed is None:
        raise DataError(Issue("period-date", f"not a date: {value}; write it as YYYY-MM-DD (2026-06-30)"))
    return parsed.isoformat()


def _read(path: str | os.PathLike[str], model: Model | Future[Model], read: ReadOptions, stage: Stage | None,
          parsing: threading.Event | None = None, also: Sequence[str] = ()) -> Table:
    """Read only the columns scoring ``model`` needs (all of them when one does not bind, or
    when the model, still being loaded, fails to load)."""
    from csi.survey.read import read_survey

    def columns(table: Table) -> set[str] | None:
        from csi.survey.prepare import columns_used

        try:
            m = model.result() if isinstance(model, Future) else model
        except Exception:  # (the loading thread reports it)
            return None
        return columns_used(table, m, by=[*read.breakdowns(m), *also], weight_column=read.weight_column)

    return read_survey(path, sheet=read.sheet, preset=read.preset, progress=stage, columns=columns, parsing=parsing,
                       limits=read.limits)


def score_export(path: str | os.PathLike[str], model: Model | str | os.PathLike[str] | None = None,
                 options: ScoreOptions | None = None, read: ReadOptions | None = None, *,
                 method: str | None = None, allow_negative: bool = False, policy: str | None = None,
                 scheme: str | None = None, scaled: bool | None = None,
                 stage: Stage | None = None, step: Step | None = None, grades: bool = False,
                 period_date: str | _dt.date | None = None, rank: RankOptions | None = None) -> Scored:
    """Read, prepare and score one survey export (``csi score``; with ``rank``, ``csi rank``).

    ``model``, ``method``, ``allow_negative``, ``policy``, ``scheme`` and ``scaled`` choose the model as
    :func:`model_for_run` does; it is loaded while the file is being opened. ``stage(text)``
    is told each step as it starts (reading, checking cells, scoring) and ``step(done,
    total)`` the bootstrap's progress, for a status line. ``grades`` adds the grade view;
    ``period_date`` records the survey's date (see :func:`score_table`).
    """
    from csi.prefetch import frozen_imports, read_while_importing

    read = read or ReadOptions()
    options = options or ScoreOptions()
    loaded: Future[Model] = Future()

    def load() -> None:
        try:
            loaded.set_result(model_for_run(model, method=method, allow_negative=allow_negative, policy=policy,
                                            scheme=scheme, scaled=scaled))
        except BaseException as e:
            loaded.set_exception(e)
            raise

    also = (rank.by,) if rank is not None else ()
    table = read_while_importing(lambda parsing: _read(path, loaded, read, stage, parsing, also), ENGINE_MODULES, meanwhile=load)
    m = loaded.result()
    if stage is not None:
        stage(f"scoring {Path(path).name} ({len(table.frame):,} rows, {options.bootstrap} bootstrap replicates)")
    with frozen_imports():
        result, responses = score_table(table, m, options, strict=read.strict, by=read.breakdowns(m),
                                        weight_column=read.weight_column, progress=step, limits=read.limits,
                                        grades=grades, period_date=period_date, rank=rank)
    return Scored(result, responses)


def rank_export(path: str | os.PathLike[str], rank: RankOptions, model: Model | str | os.PathLike[str] | None = None,
                options: ScoreOptions | None = None, read: ReadOptions | None = None, *,
                method: str | None = None, allow_negative: bool = False, policy: str | None = None,
                stage: Stage | None = None, step: Step | None = None) -> Scored:
    """Read, prepare and score one export and rank the units of ``rank.by`` (``csi rank``): the
    result, with no breakdown unless ``read.by`` names one, and its league table in ``rankings``."""
    read = read or ReadOptions()
    return score_export(path, model, options, replace(read, by=read.by or ()), method=method,
                        allow_negative=allow_negative, policy=policy, stage=stage, step=step, rank=rank)


def score_file(path: str | os.PathLike[str], model: Model | str | os.PathLike[str] | None = None,
               options: ScoreOptions | None = None, *, sheet: str | int | None = None, preset: str | None = None,
               strict: bool = False, by: Sequence[str] = (), weight_column: str | None = None,
               grades: bool = False) -> Result:
    """Read, prepare and score one survey export; the result only (:func:`score_export` keeps the responses).

    ``model`` is a :class:`~csi.model.Model`, a path, or None for :func:`resolve_model`'s default;
    ``grades`` adds the grade view (模糊综合评价).
    """
    read = ReadOptions(sheet=sheet, preset=preset, strict=strict, by=tuple(by), weight_column=weight_column)
    return score_export(path, model, options, read, grades=grades).result


def default_labels(inputs: Sequence[str | os.PathLike[str]]) -> list[str]:
    """Each period's label when none is given: the file name without its suffix, or the path
    as given when two names are the same (two ``result.json`` from different folders)."""
    stems = [Path(p).stem for p in inputs]
    return stems if len(set(stems)) == len(stems) else [os.fspath(p) for p in inputs]


def compare_files(inputs: Sequence[str | os.PathLike[str]], labels: Sequence[str] | None = None, *,
                  model: Model | str | os.PathLike[str] | None = None, options: ScoreOptions | None = None,
                  read: ReadOptions | None = None, by: str | None = None, benchmark: str | os.PathLike[str] | None = None,
                  alpha: float = 0.05, fail_on_drop: float | None = None, fail_on_drop_any: bool = False,
                  method: str | None = None, allow_negative: bool = False, policy: str | None = None,
                  allow_model_change: bool = False, actions: str | os.PathLike[str] | None = None,
                  period_dates: Sequence[str | _dt.date] | None = None, fail_on_action: str | None = None,
                  scheme: str | None = None, scaled: bool | None = None,
                  stage: Stage | None = None) -> Comparison:
    """Compare periods, oldest first (``csi compare``): result JSON files are read, survey
    exports scored with ``model`` (amended by ``method``, ``allow_negative``, ``policy`` as
    :func:`model_for_run` does; loaded only when there is an export), ``options`` and ``read``
    exactly as :func:`score_export` scores them (``by`` is the breakdown compared, the only
    breakdown of each export). Periods scored with different models or options are refused
    unless ``allow_model_change`` (see :func:`csi.compare.compare_results`).

    ``actions`` (an actions.yaml) follows improvement actions up (:func:`csi.follow_up.follow_up`);
    it needs ``period_dates``, one date per period (ISO text or ``datetime.date``), and
    ``fail_on_action`` (``worse`` or ``missed``) adds the check behind ``--fail-on-action``."""
    from csi.compare import compare_results
    from csi.survey.benchmark import read_benchmark
    from csi.survey.results import read_result

    options = options or ScoreOptions()
    read = replace(read or ReadOptions(), by=(by,) if by is not None else ())
    bench = read_benchmark(benchmark) if benchmark is not None else None
    planned = _read_actions(actions, period_dates, len(inputs)) if actions is not None else None
    exports = [p for p in inputs if Path(p).suffix.lower() != ".json"]
    if planned is not None and not planned[1] and exports:
        from csi.errors import DataError, Issue

        raise DataError(Issue("period-dates", "following actions up needs the date of every period: give --period-date "
                              "YYYY-MM-DD once per period, in order (a survey export carries no date; a result JSON "
                              "written by csi score --period-date does)", file=os.fspath(exports[0])))
    m = model_for_run(model, method=method, allow_negative=allow_negative, policy=policy, scheme=scheme,
                      scaled=scaled) if exports else None
    results = []
    for path in inputs:
        if Path(path).suffix.lower() == ".json":
            results.append(read_result(path))
            continue
        if stage is not None:
            stage(f"scoring {Path(path).name}")
        results.append(score_export(path, m, options, read).result)
    opts = {"alpha": alpha, "by": by, "benchmark": None if benchmark is None else os.fspath(benchmark),
            "fail_on_drop": fail_on_drop, "fail_on_drop_any": fail_on_drop_any, "allow_model_change": allow_model_change,
            **asdict(options),
            "sheet": read.sheet, "preset": read.preset, "strict": read.strict, "weight_column": read.weight_column,
            "model": None if model is None else (model.path if isinstance(model, Model) else os.fspath(model))}
    if m is not None:
        opts["method"] = m.root.method
    if planned is not None:
        dates = planned[1] or _manifest_dates(results, inputs)
        opts.update(actions=os.fspath(actions), period_dates=[d.isoformat() for d in dates], fail_on_action=fail_on_action)
    comparison = compare_results(results, list(labels) if labels else default_labels(inputs), [os.fspath(p) for p in inputs],
                                 alpha=alpha, confidence=options.confidence, benchmark=bench, by=by, fail_on_drop=fail_on_drop,
                                 fail_on_drop_any=fail_on_drop_any, manifest=manifest(opts),
                                 allow_model_change=allow_model_change)
    if planned is None:
        return comparison
    from csi.follow_up import follow_up

    return follow_up(comparison, planned[0], dates, fail_on=fail_on_action)


def _read_actions(path: str | os.PathLike[str], dates: Sequence[str | _dt.date] | None,
                  periods: int) -> tuple[tuple[Action, ...], list[_dt.date]]:
    """The actions file and the period dates given (none: they come from the results'
    manifests), checked before any period is scored."""
    from csi.actions import parse_date
    from csi.errors import DataError, Issue
    from csi.survey.actions import read_actions

    parsed = [parse_date(d) for d in dates or ()]
    bad = [str(d) for d, p in zip(dates or (), parsed, strict=True) if p is None]
    if bad:
        raise DataError(Issue("period-dates", f"not a date: {', '.join(bad)}; write dates as YYYY-MM-DD (2026-06-30)"))
    if parsed and len(parsed) != periods:
        raise DataError(Issue("period-dates", f"{periods} periods but {len(parsed)} dates; give one --period-date per "
                              "period, in order"))
    return read_actions(path), [p for p in parsed if p is not None]


def _manifest_dates(results: Sequence[Result], inputs: Sequence[str | os.PathLike[str]]) -> list[_dt.date]:
    """Each period's date from its result's manifest (``csi score --period-date``)."""
    from csi.actions import parse_date
    from csi.errors import DataError, Issue

    dates = [parse_date((r.manifest.get("options") or {}).get("period_date") or "") for r in results]
    missing = [os.fspath(p) for p, d in zip(inputs, dates, strict=True) if d is None]
    if missing:
        raise DataError(Issue("period-dates", "following actions up needs the date of every period, and "
                              f"{', '.join(missing)} has none: give --period-date YYYY-MM-DD once per period, in order, "
                              "or compare results scored with csi score --period-date"))
    return [d for d in dates if d is not None]

def weights_file(path: str | os.PathLike[str], model: Model | str | os.PathLike[str] | None = None,
                 methods: Sequence[str] | None = None, *, top: int = 3, allow_negative: bool = False,
                 policy: str = "listwise", read: ReadOptions | None = None) -> MethodComparison:
    """The export weighed by each of ``methods`` (default: the model as written and every
    registered method), side by side (``csi weights``)."""
    from csi.bootstrap import one_blas_thread
    from csi.survey.prepare import prepare
    from csi.weighting.sensitivity import ALL_METHODS, compare_methods

    m = model if isinstance(model, Model) else resolve_model(model)
    read = replace(read or ReadOptions(), by=())
    table = _read(path, m, read, None)
    responses = prepare(table, m, strict=read.strict, weight_column=read.weight_column)
    with one_blas_thread():  # as the engine: BLAS on this thread only, so every process sums alike
        return compare_methods(m, responses, list(methods or ALL_METHODS), top=top,
                               options={"allow_negative": allow_negative, "policy": policy})


@dataclass(frozen=True, slots=True)
class Drafted:
    """A model drafted from an export (``csi init --from``): the decisions, one line a column,
    and the commented YAML text, which loads as a valid model."""

    draft: Draft
    lines: tuple[str, ...]
    text: str
    #: The language of the lines, the model's name and the file's comments: ``zh`` or ``en``.
    lang: str = "en"


def draft_model(path: str | os.PathLike[str], *, sheet: str | int | None = None, preset: str | None = None,
                command: str | None = None, model_path: str = "indicators.yaml", lang: str | None = None) -> Drafted:
    """Read an export and draft a model that scores it as it is (``csi init --from``).

    ``command`` is recorded in the file's first comment (default ``csi init --from PATH``);
    ``model_path`` is where the file will be written, for the commands its comments suggest;
    ``lang`` (``zh``/``en``) the language of the lines, the model's name and the comments,
    by default Chinese when the export's questions are (as ``csi score`` then reports).
    The text is loaded as a model before it is returned, so a draft that would not load is a bug.
    """
    from csi.model import load_model_text
    from csi.survey.draft import decision_lines, draft_lang, draft_yaml
    from csi.survey.infer import infer_model
    from csi.survey.read import read_survey

    table = read_survey(path, sheet=sheet, preset=preset)
    draft = infer_model(table)
    lang = lang or draft_lang(draft)
    text = draft_yaml(draft, command or f"csi init --from {os.fspath(path)}", model_path, lang)
    load_model_text(text, file=model_path)
    return Drafted(draft, tuple(decision_lines(draft, lang)), text, lang)
