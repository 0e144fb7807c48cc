"""``csi validate``: the model, and how it maps onto an export."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from csi.cli.common import DebugOpt, MaxMemoryOpt, ModelOpt, PresetOpt, SheetOpt, errors, limits, sheet_arg, stdout_console

if TYPE_CHECKING:
    from rich.console import Console

    from csi.model import Model

__all__ = ["validate"]


def validate(
    data: Annotated[Path | None, typer.Argument(help="Optional survey export to map the model onto.", show_default=False)] = None,
    model: ModelOpt = None,
    sheet: SheetOpt = None,
    preset: PresetOpt = None,
    max_memory: MaxMemoryOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Check the model, and how it maps onto DATA's columns. Exit 1 when problems are found.

    Example: csi validate examples/accounting_2026Q3.xlsx
    """
    from csi.errors import ModelError

    out = stdout_console(highlight=False, soft_wrap=True)
    problems = 0
    with errors(debug):
        from csi.model import resolve_model

        try:
            m = resolve_model(model)
        except ModelError as e:
            for issue in e.issues:
                out.print(f"✗ {issue}", markup=False)
            out.print(f"{len(e.issues)} problem(s) in the model", markup=False)
            raise typer.Exit(1) from None
        _describe_model(m, out)
        if data is not None:
            problems = _check_mapping(data, m, sheet_arg(sheet), preset, out, max_memory)
    if problems:
        out.print(f"{problems} problem(s) found", markup=False)
        raise typer.Exit(1)


def _describe_model(m: Model, out: Console) -> None:
    out.print(f"✓ model {m.path}: {m.name} — {_count(len(m.groups) - 1, 'group')}, {_count(len(m.items), 'indicator')}"
              + (f", {_count(len(m.outcome.items), 'outcome item')}" if m.outcome else "") + (", NPS" if m.nps else ""),
              markup=False)
    for g in m.groups:
        if g.method == "ahp":
            from csi.weighting.ahp import ahp_weights

            assert g.ahp is not None
            r = ahp_weights(g.ahp)
            out.print(f"  AHP {g.id}: CR {r.cr:.3f} (λmax {r.lambda_max:.3f}, RI {r.ri:.2f} Saaty 1980), weights "
                      + ", ".join(f"{c.id} {w:.3f}" for c, w in zip(g.children, r.weights, strict=True)), markup=False)


def _count(n: int, noun: str) -> str:
    """``n`` and the noun, singular for one.

    >>> _count(1, "outcome item"), _count(3, "outcome item"), _count(0, "group")
    ('1 outcome item', '3 outcome items', '0 groups')
    """
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _check_mapping(data: Path, m: Model, sheet: str | int | None, preset: str | None, out: Console,
                   max_memory: str | None = None) -> int:
    """Print how ``m`` binds to DATA's columns, as preparation binds it; the number of problems."""
    from rich.table import Table as RichTable

    from csi.survey.foreign import foreign_file_issues, headers_once
    from csi.survey.prepare import bind_columns, convert_column, shown_cell
    from csi.survey.read import read_survey

    table = read_survey(data, sheet=sheet, preset=preset, limits=limits(max_memory))
    where = f"sheet {table.sheet!r}, " if table.sheet is not None else ""
    out.print(f"✓ {table.path}: {where}preset {table.preset}, {len(table.frame)} rows, {len(table.frame.columns)} columns",
              markup=False)
    binding = bind_columns(table, m)
    foreign = foreign_file_issues(table, m, binding)
    if foreign is not None:  # the built-in model on another survey: one message, not a table of ✗
        for issue in foreign:
            out.print(f"✗ {issue}" if issue.file else issue.message, markup=False)
        return sum(1 for column in binding.items if column is None)
    problems = 0
    mapping = RichTable("node", "column", "letter", "found by", "answers", "unmatched answers", show_edge=False,
                        header_style="bold")
    first = iter(headers_once([issues[0] for issues in binding.item_issues if issues]))  # the file's headers listed once
    for item, col, issues, how in zip(m.all_items, binding.items, binding.item_issues, binding.found_by, strict=True):
        if col is None:
            problems += len(issues)
            mapping.add_row(item.id, f"✗ {next(first).message}", "", "", "", "")
            continue
        raw, bad = convert_column(table.frame[col], item, table.missing_codes)
        unmatched = ""
        if bad.any():
            problems += 1
            seen = list(dict.fromkeys(shown_cell(v) for v in table.frame[col][bad]))
            unmatched = f"{int(bad.sum())}: " + ", ".join(repr(v) for v in seen[:4]) + (" …" if len(seen) > 4 else "")
        mapping.add_row(item.id, col, table.letter(col), how or "", str(int((raw == raw).sum())), unmatched)
    out.print(mapping)
    for kind in ("segment", "comments", "population margin", "duplicate key"):
        for r in binding.role(kind):
            if r.column is None:
                problems += 1
                out.print(f"✗ {kind} {r.name!r}: {r.issues[0].message}", markup=False)
            else:
                out.print(f"  {kind} {r.name!r} → {r.column} ({table.letter(r.column)})", markup=False)
    item_columns = {c for c in binding.items if c is not None}
    on_pii = sorted(c for c in item_columns if c in binding.pii)
    if on_pii:
        problems += len(on_pii)
        out.print("✗ the model reads personal-data columns: " + ", ".join(on_pii), markup=False)
    used = item_columns | {r.column for r in binding.roles if r.column is not None}
    meta = {table.id_column, table.submitted_column, table.duration_column, *table.pii_columns}
    others = [c for c in table.frame.columns if c not in used and c not in meta and c not in binding.pii]
    if binding.pii:
        out.print("PII columns (never copied into outputs): " + ", ".join(binding.pii), markup=False)
    if others:
        out.print("Columns not used by the model: " + ", ".join(others), markup=False)
    return problems

