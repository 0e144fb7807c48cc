"""``csi rank``: a fair league table of the units of one column (account managers, branches)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from csi.cli.common import (
    AllowNegativeOpt,
    ConfidenceOpt,
    DataArg,
    DebugOpt,
    LangOpt,
    MaxMemoryOpt,
    MethodOpt,
    MkdirOpt,
    ModelOpt,
    PolicyOpt,
    PopulationOpt,
    PresetOpt,
    QuietOpt,
    SeedOpt,
    SheetOpt,
    WeightColumnOpt,
    check_format,
    check_policy,
    errors,
    limits,
    output_help,
    plan,
    sheet_arg,
    stdout_console,
    write,
)
from csi.report.formats import stdout_formats
from csi.result import TAU2_METHODS

__all__ = ["rank"]


def rank(
    data: DataArg,
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
    weight_column: WeightColumnOpt = None,
    bootstrap: Annotated[int, typer.Option("--bootstrap", "-B", min=2, help="Bootstrap replicates for intervals and rank intervals.")] = 1000,
    seed: SeedOpt = 0,
    confidence: ConfidenceOpt = 0.95,
    population: PopulationOpt = None,
    min_group: Annotated[int, typer.Option("--min-group", min=1, help="Units with fewer respondents are listed as too small, never ranked.")] = 5,
    fmt: Annotated[str, typer.Option("--format", "-f", help=f"Format for stdout: table, {', '.join(stdout_formats('ranking'))}.")] = "table",
    output: Annotated[list[Path] | None, typer.Option("--output", "-o", help=output_help("ranking"), show_default=False)] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Treat any invalid answer as an error (exit 2).")] = False,
    quiet: QuietOpt = False,
    lang: LangOpt = None,
    mkdir: MkdirOpt = False,
    debug: DebugOpt = False,
    max_memory: MaxMemoryOpt = None,
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
        read = ReadOptions(sheet=sheet_arg(sheet), preset=preset, strict=strict, by=(), weight_column=weight_column,
                           limits=limits(max_memory))
        with Progress() as bar:
            bar.stage(f"reading {data.name}")
            scored = rank_export(data, RankOptions(by, node, tau2, anonymise), model, options, read, method=method,
                                 allow_negative=allow_negative, policy=policy, stage=bar.stage, step=bar.step)
        result = scored.result
        write(planned, "ranking", result, lang, stdout=None if fmt == "table" else fmt)
        if fmt == "table" and not quiet:
            from csi.report.ranking import render_terminal

            render_terminal(result, stdout_console(highlight=False), lang)
