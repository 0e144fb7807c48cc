"""``csi compare``: compare periods — survey exports and result JSON files, mixed freely.

The command is registered on the app in :mod:`csi.cli`, at the end of that module (it reuses
the shared options and helpers defined there)::

    from csi.cli_compare import compare  # noqa: E402
    app.command()(compare)

Exit codes as everywhere: 0 done; 1 ``--fail-on-drop`` failed; 2 the command could not do its
job (bad usage, an unreadable input, model or benchmark).
"""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from csi.result import Result

__all__ = ["compare", "read_result"]

# The shared options and helpers of csi.cli are imported at the end of this module: csi.cli
# imports this module at its own end to register the command, and the annotations below are
# strings (PEP 563) that typer resolves only when the app runs. Either module can then be
# imported first.


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
    benchmark: Annotated[Path | None, typer.Option(
        "--benchmark", help="Benchmark scores per node id (.yaml or .csv): an industry average or a competitor.",
        show_default=False)] = None,
    alpha: Annotated[float, typer.Option("--alpha", min=0.0001, max=0.5,
                                         help="Level of the Holm-adjusted tests behind 'significantly up/down'.")] = 0.05,
    bootstrap: Annotated[int, typer.Option("--bootstrap", "-B", min=0, help="Bootstrap replicates when scoring an export (0: none, no tests).")] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed when scoring an export.")] = 0,
    confidence: Annotated[float, typer.Option("--confidence", min=0.5, max=0.999, help="Confidence level of the intervals.")] = 0.95,
    fail_on_drop: Annotated[float | None, typer.Option(
        "--fail-on-drop", min=0, metavar="POINTS",
        help="Exit 1 when the overall CSI fell by at least POINTS in the last period with a Holm-significant test.",
        show_default=False)] = None,
    fail_on_drop_any: Annotated[bool, typer.Option(
        "--fail-on-drop-any", help="With --fail-on-drop: a drop of any dimension fails the check too.")] = False,
    fmt: FormatOpt = "table",
    output: OutputOpt = None,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="Print nothing unless an alert fires (a significant drop, a failed check); for cron.")] = False,
    lang: LangOpt = None,
    mkdir: MkdirOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Compare periods: score changes, Holm-adjusted tests, trends, benchmarks, weak points.

    Example: csi compare q2.xlsx q3.xlsx --by 部门 --fail-on-drop 2 -o compare.json -o compare.md
    """
    if len(inputs) < 2:
        raise typer.BadParameter("give at least two periods, oldest first", param_hint="FILE...")
    if fmt not in STDOUT_FORMATS:
        raise typer.BadParameter(f"use one of {', '.join(STDOUT_FORMATS)}", param_hint="--format")
    _check_lang(lang)
    if fail_on_drop_any and fail_on_drop is None:
        raise typer.BadParameter("needs --fail-on-drop POINTS", param_hint="--fail-on-drop-any")
    labels = _labels(inputs, label)
    with _errors(debug):
        from csi import __version__
        from csi.compare import compare_results
        from csi.report.compare_report import render_comparison, to_csv, to_json, to_markdown
        from csi.report.excel import comparison_to_xlsx
        from csi.report.html import comparison_to_html
        from csi.survey.benchmark import read_benchmark

        bench = read_benchmark(benchmark) if benchmark is not None else None
        results = _results(inputs, model, sheet, preset, by, min_group, bootstrap, seed, confidence)
        import datetime as dt

        manifest = {
            "tool": f"csi {__version__}",
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "options": {"alpha": alpha, "confidence": confidence, "bootstrap": bootstrap, "seed": seed, "by": by,
                        "min_group": min_group, "model": None if model is None else str(model), "sheet": sheet, "preset": preset,
                        "benchmark": None if benchmark is None else str(benchmark), "fail_on_drop": fail_on_drop,
                        "fail_on_drop_any": fail_on_drop_any},
        }
        comparison = compare_results(results, labels, [str(p) for p in inputs], alpha=alpha, confidence=confidence,
                                     benchmark=bench, by=by, fail_on_drop=fail_on_drop, fail_on_drop_any=fail_on_drop_any,
                                     manifest=manifest)
        renderers = {"json": lambda: to_json(comparison), "csv": lambda: to_csv(comparison),
                     "md": lambda: to_markdown(comparison, lang),
                     "xlsx": lambda: comparison_to_xlsx(comparison, lang), "html": lambda: comparison_to_html(comparison, lang)}
        sources = [*inputs, *([model] if model else []), *([benchmark] if benchmark else [])]
        _write_outputs(list(output or []), renderers, sources, mkdir)
        if not quiet or comparison.alerts:
            if fmt != "table":
                sys.stdout.write(renderers[fmt]())
            else:
                from rich.console import Console

                render_comparison(comparison, Console(highlight=False), lang)
    check = comparison.check
    if check is not None and check.failed:
        what = ", ".join(check.nodes)
        sys.stderr.write(f"csi: a Holm-significant drop of {fail_on_drop:g} points or more ({what}): --fail-on-drop failed\n")
        raise typer.Exit(1)


def _labels(inputs: list[Path], given: list[str] | None) -> list[str]:
    if given:
        if len(given) != len(inputs):
            raise typer.BadParameter(f"{len(inputs)} inputs but {len(given)} labels; give one --label per input, in order",
                                     param_hint="--label")
        if len(set(given)) != len(given):
            raise typer.BadParameter("labels must differ from each other", param_hint="--label")
        return list(given)
    stems = [p.stem for p in inputs]
    # two results.json from different folders: fall back to the paths as given
    return stems if len(set(stems)) == len(stems) else [str(p) for p in inputs]


def _results(inputs: list[Path], model: Path | None, sheet: str | None, preset: str | None, by: str | None, min_group: int,
             bootstrap: int, seed: int, confidence: float) -> list[Result]:
    """Each input as a Result: JSON files are read, exports scored with one model and one set of options."""
    from csi.api import score_table
    from csi.model import resolve_model
    from csi.scoring import ScoreOptions
    from csi.survey.prepare import columns_used
    from csi.survey.read import read_survey

    options = ScoreOptions(bootstrap=bootstrap, seed=seed, confidence=confidence, min_group=min_group)
    segments = [by] if by else []
    m = None
    out = []
    for path in inputs:
        if path.suffix.lower() == ".json":
            out.append(read_result(path))
            continue
        if m is None:
            m = resolve_model(model)
        table = read_survey(path, sheet=_sheet(sheet), preset=preset,
                            columns=functools.partial(columns_used, model=m, by=segments))
        out.append(score_table(table, m, options, by=segments)[0])
    return out


def read_result(path: Path) -> Result:
    """A result JSON written by ``csi score`` (schema ``csi.result/1``), or an InputError saying what it is instead."""
    from csi.errors import InputError, Issue
    from csi.result import SCHEMA, Result

    shown = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(Issue("input-not-found", "no such file", file=shown)) from None
    except IsADirectoryError:
        raise InputError(Issue("input-not-file", "is a directory; give a result .json file or a survey export", file=shown)) from None
    except OSError as e:
        raise InputError(Issue("input-unreadable", f"cannot read: {e.strerror or e}", file=shown)) from None
    try:
        doc: Any = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError(Issue("result-not-json", "is not UTF-8 text, so not a result written by `csi score -o result.json`",
                               file=shown)) from None
    except json.JSONDecodeError as e:
        raise InputError(Issue("result-not-json", f"is not valid JSON (line {e.lineno}, column {e.colno}: {e.msg}); a result "
                               "file is the JSON written by `csi score -o result.json`", file=shown)) from None
    schema = doc.get("schema") if isinstance(doc, dict) else None
    if schema != SCHEMA:
        if schema == "csi.comparison/1":
            msg = "is a comparison written by `csi compare`, not a result; compare the results or exports it was made from"
        else:
            msg = (f"is not a result written by `csi score` (schema {schema!r}, expected {SCHEMA!r}); "
                   "write one with `csi score DATA -o result.json`")
        raise InputError(Issue("result-schema", msg, file=shown))
    overall = doc.get("overall")
    if not isinstance(overall, dict) or not isinstance(overall.get("score"), (int, float)) or not isinstance(doc.get("nodes"), list):
        raise InputError(Issue("result-malformed", f"a {SCHEMA} document without an overall score or a node list; "
                               "write it again with `csi score`", file=shown))
    try:
        return Result.from_dict(doc)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as e:
        raise InputError(Issue("result-malformed", f"a {SCHEMA} document with a missing or malformed field ({e!r}); "
                               "write it again with `csi score`", file=shown)) from None


from csi.cli import (  # noqa: E402  (see the note at the top)
    STDOUT_FORMATS,
    DebugOpt,
    FormatOpt,
    LangOpt,
    MkdirOpt,
    ModelOpt,
    OutputOpt,
    PresetOpt,
    SheetOpt,
    _check_lang,
    _errors,
    _sheet,
    _write_outputs,
)
