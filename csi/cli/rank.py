"""``csi rank``: a fair league table of the units of one column (account managers, branches)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from csi.cli.common import (
    AllowNegativeOpt,
    DebugOpt,
    LangOpt,
    MethodOpt,
    MkdirOpt,
    ModelOpt,
    PolicyOpt,
    PresetOpt,
    QuietOpt,
    SheetOpt,
    check_format,
    check_policy,
    errors,
    output_help,
    plan,
    sheet_arg,
    stdout_console,
    write,
)
from csi.report.formats import stdout_formats
from csi.result import TAU2_METHODS
from csi.survey.files import SUPPORTED_SUFFIXES

__all__ = ["rank"]


def rank(
    data: Annotated[Path, typer.Argument(help=f"Survey export: {' '.join(SUPPORTED_SUFFIXES)}", show_default=False)],
    by: Annotated[str, typer.Option("--by", help="Column whose values are the units ranked (account manager, branch).", show_default=False)],
    node: Annotated[str | None, typer.Option("--node", help="Rank on this dimension or indicator (its id) instead of the overall index.", show_default=False)] = None,
    tau2: Annotated[str, typer.Option("--tau2", help=f"Estimator of the between-unit variance: {' or '.join(TAU2_METHODS)}.")] = "reml",
    anonymise: Annotated[bool, typer.Option("--anonymise", "--anonymize", help="Replace unit names with stable codes (U + hash digits) for sharing.")] = False,
    model: ModelOpt = None,
    sheet: SheetOpt = None,
    preset: PresetOpt = None,
    method: MethodOpt = None,
    allow_negative: AllowNegativeOpt = False,
    policy: PolicyOpt = None,
    weight_column: Annotated[str | None, typer.Option("--weight-column", help="Column of respondent weights.", show_default=False)] = None,
    bootstrap: Annotated[int, typer.Option("--bootstrap", "-B", min=2, help="Bootstrap replicates for intervals and rank intervals.")] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed; the same seed gives the same intervals.")] = 0,
    confidence: Annotated[float, typer.Option("--confidence", min=0.5, max=0.999, help="Confidence level of the intervals.")] = 0.95,
    population: Annotated[int | None, typer.Option("--population", min=1, help="Size of the client base, for the finite-population correction.", show_default=False)] = None,
    min_group: Annotated[int, typer.Option("--min-group", min=1, help="Units with fewer respondents are listed as too small, never ranked.")] = 5,
    fmt: Annotated[str, typer.Option("--format", "-f", help=f"Format for stdout: table, {', '.join(stdout_formats('ranking'))}.")] = "table",
    output: Annotated[list[Path] | None, typer.Option("--output", "-o", help=output_help("ranking"), show_default=False)] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Treat any invalid answer as an error (exit 2).")] = False,
    quiet: QuietOpt = False,
    lang: LangOpt = None,
    mkdir: MkdirOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Rank units fairly: shrunken scores, rank intervals and a funnel plot.

    Example: csi rank examples/accounting_2026Q3.xlsx --by 部门 -o league.html
    """
    check_format(fmt, "ranking")
    check_policy(policy)
    if tau2 not in TAU2_METHODS:
        raise typer.BadParameter(f"use {' or '.join(TAU2_METHODS)}", param_hint="--tau2")
    with errors(debug):
        from csi.api import RankOptions, ReadOptions, ScoreOptions, rank_export
        from csi.progress import Progress

        planned = plan(output, [data, model], "ranking", mkdir=mkdir)
        options = ScoreOptions(bootstrap=bootstrap, seed=seed, confidence=confidence, population=population, min_group=min_group)
        read = ReadOptions(sheet=sheet_arg(sheet), preset=preset, strict=strict, by=(), weight_column=weight_column)
        with Progress() as bar:
            bar.stage(f"reading {data.name}")
            scored = rank_export(data, RankOptions(by, node, tau2, anonymise), model, options, read, method=method,
                                 allow_negative=allow_negative, policy=policy, stage=bar.stage, step=bar.step)
        result = scored.result
        write(planned, "ranking", result, lang, stdout=None if fmt == "table" else fmt)
        if fmt == "table" and not quiet:
            from csi.report.ranking import render_terminal

            render_terminal(result, stdout_console(highlight=False), lang)
