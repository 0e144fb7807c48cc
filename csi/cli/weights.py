"""``csi weights``: every weighting method side by side on one export."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from csi.cli.common import DebugOpt, MkdirOpt, ModelOpt, PresetOpt, SheetOpt, check_format, check_policy, errors, plan, sheet_arg, write
from csi.weighting.registry import METHODS

__all__ = ["weights"]


def weights(
    data: Annotated[Path, typer.Argument(help="Survey export to weigh.", show_default=False)],
    model: ModelOpt = None,
    sheet: SheetOpt = None,
    preset: PresetOpt = None,
    method: Annotated[list[str] | None, typer.Option("--method", help=f"Methods to compare (repeatable): model (the file as written), {', '.join(METHODS)}, or all.", show_default=False)] = None,
    top: Annotated[int, typer.Option("--top", min=1, help="How many weak points to compare across methods.")] = 3,
    allow_negative: Annotated[bool, typer.Option("--allow-negative", help="Clip negative data-driven weights to 0 instead of failing.")] = True,
    policy: Annotated[str, typer.Option("--policy", help="Missing answers for data-driven methods: listwise or mean.")] = "listwise",
    fmt: Annotated[str, typer.Option("--format", "-f", help="Format for stdout: table or json.")] = "table",
    output: Annotated[list[Path] | None, typer.Option("--output", "-o", help="Write the comparison as JSON (.json). Repeatable.", show_default=False)] = None,
    mkdir: MkdirOpt = False,
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
                              read=ReadOptions(sheet=sheet_arg(sheet), preset=preset))
        write(planned, "weights", result, None, stdout=fmt if fmt != "table" else None)
        if fmt == "table":
            _render(result, m)


def _render(result, model) -> None:  # type: ignore[no-untyped-def]
    from rich.console import Console
    from rich.table import Table

    out = Console(highlight=False, soft_wrap=True)
    runs = list(result.runs)
    for gid, gname, kids in result.groups:
        t = Table(title=f"{gname} ({gid})", title_justify="left", show_edge=False, header_style="bold", pad_edge=False)
        t.add_column("")
        for r in runs:
            t.add_column(r.method, justify="right")
        for i, (_cid, cname) in enumerate(kids):
            t.add_row(cname, *("–" if r.error or gid not in r.weights else f"{r.weights[gid][i]:.3f}" for r in runs))
        t.add_row("[dim]method[/]", *("" if r.error else r.methods.get(gid, "") for r in runs))
        out.print(t)
        for r in runs:
            cr = r.details.get(gid, {}).get("cr")
            if r.method == "model" and cr is not None:
                out.print(f"  AHP consistency: CR {cr:.3f} (λmax {r.details[gid]['lambda_max']:.3f}, Saaty 1980 RI)", markup=False)
        out.print()
    names = {i.id: i.name for i in model.items}
    t = Table(title="Index and top weak points by method", title_justify="left", show_edge=False, header_style="bold", pad_edge=False)
    t.add_column("method")
    t.add_column("CSI", justify="right")
    t.add_column(f"top {result.top_k} weak points")
    for r in runs:
        if r.error:
            t.add_row(r.method, "–", f"not applicable: {r.error}")
        else:
            t.add_row(r.method, f"{r.overall:.1f}", ", ".join(names.get(i, i) for i in r.top))
    out.print(t)
    out.print()
    out.print(result.sensitivity, markup=False)
