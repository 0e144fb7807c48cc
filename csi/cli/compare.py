"""``csi compare``: compare periods — survey exports and result JSON files, mixed freely."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from csi.cli.common import (
    AllowNegativeOpt,
    DebugOpt,
    FormatOpt,
    LangOpt,
    MaxMemoryOpt,
    MethodOpt,
    MkdirOpt,
    ModelOpt,
    PolicyOpt,
    PresetOpt,
    ScaledOpt,
    SchemeOpt,
    SheetOpt,
    check_format,
    check_policy,
    check_scheme,
    errors,
    finite,
    limits,
    output_help,
    plan,
    sheet_arg,
    stdout_console,
    write,
)

__all__ = ["compare"]


def compare(
    inputs: Annotated[list[Path], typer.Argument(
        metavar="FILE",
        help="Two or more periods, oldest first: survey exports (.xlsx .csv …) or result JSON written by csi score, mixed freely.",
        show_default=False)],
    label: Annotated[list[str] | None, typer.Option(
        "--label", "-l", help="Label of each period, in order; give it once per input (default: the file name without suffix).",
        show_default=False)] = None,
    model: ModelOpt = None,
    sheet: SheetOpt = None,
    preset: PresetOpt = None,
    by: Annotated[str | None, typer.Option("--by", help="Also compare the breakdown by this column (each period must have it).",
                                           show_default=False)] = None,
    min_group: Annotated[int, typer.Option("--min-group", min=1, help="Segments with fewer respondents are suppressed.")] = 5,
    method: MethodOpt = None,
    allow_negative: AllowNegativeOpt = False,
    policy: PolicyOpt = None,
    scheme: SchemeOpt = None,
    scaled: ScaledOpt = None,
    bootstrap_weights: Annotated[bool, typer.Option("--bootstrap-weights", help="When scoring an export: re-estimate data-driven weights in every bootstrap replicate.")] = False,
    weight_column: Annotated[str | None, typer.Option("--weight-column", help="When scoring an export: column of respondent weights.", show_default=False)] = None,
    target: Annotated[float | None, typer.Option("--target", min=0, max=100, callback=finite, help="When scoring an export: target score for every indicator (default: the model's).", show_default=False)] = None,
    top: Annotated[int, typer.Option("--top", min=0, help="When scoring an export: how many weak points to list.")] = 5,
    population: Annotated[int | None, typer.Option("--population", min=1, help="When scoring an export: size of the client base, for the finite-population correction.", show_default=False)] = None,
    strict: Annotated[bool, typer.Option("--strict", help="When scoring an export: treat any invalid answer as an error (exit 2).")] = False,
    benchmark: Annotated[Path | None, typer.Option(
        "--benchmark", help="Benchmark scores per node id (.yaml or .csv): an industry average or a competitor.",
        show_default=False)] = None,
    alpha: Annotated[float, typer.Option("--alpha", min=0.0001, max=0.5, callback=finite,
                                         help="Level of the Holm-adjusted tests behind 'significantly up/down'.")] = 0.05,
    bootstrap: Annotated[int, typer.Option("--bootstrap", "-B", min=0, help="Bootstrap replicates when scoring an export (0: none, no tests).")] = 1000,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Random seed when scoring an export.")] = 0,
    confidence: Annotated[float, typer.Option("--confidence", min=0.5, max=0.999, callback=finite, help="Confidence level of the intervals.")] = 0.95,
    fail_on_drop: Annotated[float | None, typer.Option(
        "--fail-on-drop", min=0, metavar="POINTS", callback=finite,
        help="Exit 1 when the overall CSI fell by at least POINTS in the last period with a Holm-significant test.",
        show_default=False)] = None,
    fail_on_drop_any: Annotated[bool, typer.Option(
        "--fail-on-drop-any", help="With --fail-on-drop: a drop of any dimension fails the check too.")] = False,
    allow_model_change: Annotated[bool, typer.Option(
        "--allow-model-change",
        help="Compare periods scored with different models or options: only the nodes in every period with unchanged "
             "bindings are compared, and what differs is said first.")] = False,
    actions: Annotated[Path | None, typer.Option(
        "--actions", help="Improvement actions to follow up (actions.yaml: id, node, segment, owner, start, expected_gain, note); "
        "needs the date of every period.", show_default=False)] = None,
    period_date: Annotated[list[str] | None, typer.Option(
        "--period-date", metavar="YYYY-MM-DD", help="Date of each period, in order; give it once per input (with --actions; default: the dates result JSON files were scored with).",
        show_default=False)] = None,
    fail_on_action: Annotated[str | None, typer.Option(
        "--fail-on-action", metavar="worse|missed",
        help="With --actions: exit 1 when an action's node got significantly worse (worse), or when an action missed its "
        "expected gain (missed).", show_default=False)] = None,
    fmt: FormatOpt = "table",
    output: Annotated[list[Path] | None, typer.Option("--output", "-o", help=output_help("comparison"), show_default=False)] = None,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="Print nothing unless an alert fires (a significant drop, a failed check); for cron.")] = False,
    lang: LangOpt = None,
    mkdir: MkdirOpt = False,
    max_memory: MaxMemoryOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Compare periods: score changes, Holm-adjusted tests, trends, benchmarks, weak points.

    Exports are scored with the options csi score takes (the same model, method, weights and
    bootstrap); result JSON files are used as they were written.

    Example: csi compare q2.xlsx q3.xlsx --by 部门 --fail-on-drop 2 -o compare.json -o compare.md
    """
    if len(inputs) < 2:
        raise typer.BadParameter("give at least two periods, oldest first", param_hint="FILE...")
    check_format(fmt, "comparison")
    check_policy(policy)
    check_scheme(scheme)
    if fail_on_drop_any and fail_on_drop is None:
        raise typer.BadParameter("needs --fail-on-drop POINTS", param_hint="--fail-on-drop-any")
    _check_labels(inputs, label)
    _check_actions(actions, period_date, fail_on_action)
    with errors(debug):
        from csi.api import ReadOptions, ScoreOptions, compare_files

        planned = plan(output, [*inputs, model, benchmark, actions], "comparison", mkdir=mkdir)
        options = ScoreOptions(bootstrap=bootstrap, seed=seed, confidence=confidence, top=top, target=target,
                               population=population, min_group=min_group, bootstrap_weights=bootstrap_weights)
        read = ReadOptions(sheet=sheet_arg(sheet), preset=preset, strict=strict, weight_column=weight_column, limits=limits(max_memory))
        comparison = compare_files(inputs, label or None, model=model, method=method, allow_negative=allow_negative, scheme=scheme, scaled=scaled,
                                   policy=policy, options=options, read=read, by=by, benchmark=benchmark,
                                   alpha=alpha, fail_on_drop=fail_on_drop, fail_on_drop_any=fail_on_drop_any,
                                   allow_model_change=allow_model_change,
                                   actions=actions, period_dates=period_date, fail_on_action=fail_on_action)
        show = not quiet or bool(comparison.alerts)
        if comparison.model_change is not None and (fmt != "table" or not show):  # the table says it itself, first
            n = len(comparison.model_change.not_comparable)
            sys.stderr.write(f"csi: the periods differ in model or scoring options; compared anyway (--allow-model-change), "
                             f"{n} node(s) not comparable: {'; '.join(comparison.model_change.differences)}\n")
        write(planned, "comparison", comparison, lang, stdout=fmt if show and fmt != "table" else None)
        if show and fmt == "table":
            from csi.report.compare_report import render_comparison

            render_comparison(comparison, stdout_console(highlight=False), lang)
    check = comparison.check
    failed_actions = [a.message for a in comparison.alerts if a.code == "fail-on-action"]
    if check is not None and check.failed:
        from csi.printable import printable

        what = printable(", ".join(check.nodes))
        sys.stderr.write(f"csi: a Holm-significant drop of {fail_on_drop:g} points or more ({what}): --fail-on-drop failed\n")
    for message in failed_actions:
        sys.stderr.write(f"csi: {message}\n")
    if (check is not None and check.failed) or failed_actions:
        raise typer.Exit(1)


def _check_labels(inputs: list[Path], given: list[str] | None) -> None:
    if not given:
        return
    if len(given) != len(inputs):
        raise typer.BadParameter(f"{len(inputs)} inputs but {len(given)} labels; give one --label per input, in order",
                                 param_hint="--label")
    if len(set(given)) != len(given):
        raise typer.BadParameter("labels must differ from each other", param_hint="--label")


def _check_actions(actions: Path | None, dates: list[str] | None, fail_on: str | None) -> None:
    from csi.actions import FAIL_ON

    if actions is None and dates:
        raise typer.BadParameter("period dates are used to follow actions up; give --actions FILE too", param_hint="--period-date")
    if fail_on is not None:
        if actions is None:
            raise typer.BadParameter("needs --actions FILE", param_hint="--fail-on-action")
        if fail_on not in FAIL_ON:
            raise typer.BadParameter(f"use {' or '.join(FAIL_ON)}", param_hint="--fail-on-action")
