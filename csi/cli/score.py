"""``csi score``: score one survey export."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from csi.cli.common import (
    AllowNegativeOpt,
    ConfidenceOpt,
    DataArg,
    DebugOpt,
    FormatOpt,
    LangOpt,
    MaxMemoryOpt,
    MethodOpt,
    MkdirOpt,
    ModelOpt,
    OutputOpt,
    PolicyOpt,
    PopulationOpt,
    PresetOpt,
    QuietOpt,
    ScaledOpt,
    SchemeOpt,
    SeedOpt,
    SheetOpt,
    WeightColumnOpt,
    check_format,
    check_policy,
    check_rank_by,
    check_scheme,
    errors,
    finite,
    limits,
    plan,
    sheet_arg,
    stdout_console,
    write,
)

__all__ = ["score"]


def score(
    data: DataArg,
    model: ModelOpt = None,
    sheet: SheetOpt = None,
    preset: PresetOpt = None,
    method: MethodOpt = None,
    allow_negative: AllowNegativeOpt = False,
    policy: PolicyOpt = None,
    scheme: SchemeOpt = None,
    scaled: ScaledOpt = None,
    bootstrap_weights: Annotated[bool, typer.Option("--bootstrap-weights", help="Re-estimate data-driven weights in every bootstrap replicate, so intervals include weight uncertainty.")] = False,
    by: Annotated[list[str] | None, typer.Option("--by", help="Break results down by this column (repeatable).", show_default=False)] = None,
    rank: Annotated[str | None, typer.Option("--rank", help="Also rank the units of this column on the overall index (as csi rank --by; options there).", show_default=False)] = None,
    weight_column: WeightColumnOpt = None,
    target: Annotated[float | None, typer.Option("--target", min=0, max=100, callback=finite, help="Target score for every indicator (default: the model's).", show_default=False)] = None,
    top: Annotated[int, typer.Option("--top", min=0, help="How many weak points to list.")] = 5,
    rank_by: Annotated[str, typer.Option("--rank-by", metavar="loss|ipma", help="Rank weak points by loss (global weight × gap to target: the index points lost) or ipma (derived importance × gap: relative weights on the outcome, or IPMA total effects with paths:; needs an outcome block or paths:). Example: csi score survey.xlsx --rank-by ipma")] = "loss",
    verbatims: Annotated[int, typer.Option("--verbatims", min=0, help="Quote up to K comments (phone numbers, e-mails, IDs and the respondent's own name masked) from clients who rated each weak point low; needs comments: in the model.")] = 0,
    bootstrap: Annotated[int, typer.Option("--bootstrap", "-B", min=0, help="Bootstrap replicates for SEs and intervals (0: none).")] = 1000,
    seed: SeedOpt = 0,
    confidence: ConfidenceOpt = 0.95,
    population: PopulationOpt = None,
    min_group: Annotated[int, typer.Option("--min-group", min=1, help="Segments with fewer respondents are suppressed.")] = 5,
    grades: Annotated[bool, typer.Option("--grades", help="Add the grade view (模糊综合评价): each node's membership over the grades (scale points, or the model's grades: bands), its grade and B·V.")] = False,
    period_date: Annotated[str | None, typer.Option("--period-date", metavar="YYYY-MM-DD", help="Date of the survey, recorded in the result for csi compare --actions.", show_default=False)] = None,
    fmt: FormatOpt = "table",
    output: OutputOpt = None,
    exclusions: Annotated[Path | None, typer.Option("--exclusions", help="Write excluded and flagged rows with reasons (CSV, no personal data).", show_default=False)] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Treat any invalid answer as an error (exit 2).")] = False,
    fail_under: Annotated[float | None, typer.Option("--fail-under", min=0, max=100, callback=finite, help="Exit 1 when the CSI is below this score (0–100): the overall index, or with paths: the satisfaction construct's index.", show_default=False)] = None,
    quiet: QuietOpt = False,
    lang: LangOpt = None,
    mkdir: MkdirOpt = False,
    max_memory: MaxMemoryOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Score a survey export: the CSI, every dimension and indicator, and the weak points.

    Example: csi score examples/accounting_2026Q3.xlsx --by 部门 -o q3.json -o q3.md
    Weak points by derived importance: csi score examples/accounting_2026Q3.xlsx --rank-by ipma
    """
    check_format(fmt, "result")
    check_policy(policy)
    check_scheme(scheme)
    check_rank_by(rank_by)
    with errors(debug):
        from csi.api import RankOptions, ReadOptions, ScoreOptions, score_export
        from csi.progress import Progress

        planned = plan(output, [data, model], "result", mkdir=mkdir, extra=[exclusions])
        options = ScoreOptions(bootstrap=bootstrap, seed=seed, confidence=confidence, top=top, target=target,
                               population=population, min_group=min_group, bootstrap_weights=bootstrap_weights,
                               verbatims=verbatims, rank_by=rank_by)
        read = ReadOptions(sheet=sheet_arg(sheet), preset=preset, strict=strict, by=tuple(by) if by else None,
                           weight_column=weight_column, limits=limits(max_memory))
        with Progress() as bar:  # one status line for the read and the bootstrap
            bar.stage(f"reading {data.name}")
            scored = score_export(data, model, options, read, method=method, allow_negative=allow_negative, policy=policy,
                                  scheme=scheme, scaled=scaled,
                                  stage=bar.stage, step=bar.step, grades=grades,
                                  period_date=period_date, rank=None if rank is None else RankOptions(rank))
        result = scored.result
        extra = []
        if exclusions is not None:
            from csi.report.tables import exclusions_csv

            extra.append((exclusions, exclusions_csv(scored.responses.quality), True))  # a CSV for Excel, as -o x.csv
        write(planned, "result", result, lang, stdout=None if fmt == "table" else fmt, extra=extra)
        if fmt == "table" and not quiet:
            from csi.report.terminal import render_result

            render_result(result, stdout_console(highlight=False), lang)
            if result.rankings:
                from csi.report.ranking import render_terminal

                render_terminal(result, stdout_console(highlight=False), lang, overall=False)
    if fail_under is not None:
        structural = result.structural_csi()  # with paths: the CSI is the satisfaction construct's index
        csi, what = (result.overall.score, "overall CSI") if structural is None else (structural.score, "structural CSI")
        if not csi >= fail_under:
            sys.stderr.write(f"csi: {what} {csi:.2f} is below --fail-under {fail_under:g}\n")
            raise typer.Exit(1)
