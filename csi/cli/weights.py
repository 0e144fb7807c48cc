"""``csi weights``: every weighting method side by side on one export."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from csi.cli.common import (
    AllowNegativeOpt,
    DebugOpt,
    LangOpt,
    MaxMemoryOpt,
    MkdirOpt,
    ModelOpt,
    PresetOpt,
    SheetOpt,
    check_format,
    check_policy,
    errors,
    limits,
    plan,
    sheet_arg,
    stdout_console,
    write,
)
from csi.weighting.registry import METHODS

__all__ = ["weights"]


def weights(
    data: Annotated[Path, typer.Argument(help="Survey export to weigh.", show_default=False)],
    model: ModelOpt = None,
    sheet: SheetOpt = None,
    preset: PresetOpt = None,
    method: Annotated[list[str] | None, typer.Option("--method", help=f"Methods to compare (repeatable): model (the file as written), {', '.join(METHODS)}, or all.", show_default=False)] = None,
    top: Annotated[int, typer.Option("--top", min=1, help="How many weak points to compare across methods.")] = 3,
    allow_negative: AllowNegativeOpt = False,
    policy: Annotated[str, typer.Option("--policy", help="Missing answers for data-driven methods: listwise or mean.")] = "listwise",
    fmt: Annotated[str, typer.Option("--format", "-f", help="Format for stdout: table or json.")] = "table",
    output: Annotated[list[Path] | None, typer.Option("--output", "-o", help="Write the comparison as JSON (.json). Repeatable.", show_default=False)] = None,
    lang: LangOpt = None,
    mkdir: MkdirOpt = False,
    max_memory: MaxMemoryOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Weights of every group under every weighting method, AHP consistency, and whether the
    top weak points change with the method.

    Example: csi weights examples/accounting_2026Q3.xlsx --method all
    """
    check_format(fmt, "weights")
    check_policy(policy)
    with errors(debug):
        from csi.api import ReadOptions, weights_file
        from csi.model import resolve_model
        from csi.weighting.sensitivity import ALL_METHODS

        chosen = list(method or ["all"])
        methods = list(ALL_METHODS) if "all" in chosen else chosen
        bad = [m for m in methods if m not in ALL_METHODS]
        if bad:
            raise typer.BadParameter(f"unknown method {bad[0]!r}; use {', '.join(ALL_METHODS)} or all", param_hint="--method")
        planned = plan(output, [data, model], "weights", mkdir=mkdir)
        m = resolve_model(model)
        result = weights_file(data, m, methods, top=top, allow_negative=allow_negative, policy=policy,
                              read=ReadOptions(sheet=sheet_arg(sheet), preset=preset, limits=limits(max_memory)))
        write(planned, "weights", result, None, stdout=fmt if fmt != "table" else None)
        if fmt == "table":
            from csi.report.tables import lang_of_name
            from csi.report.terminal import render_weights

            render_weights(result, stdout_console(highlight=False, soft_wrap=True), lang or lang_of_name(m.name),
                           {i.id: i.name for i in m.items})
