"""The ``csi`` command line: a thin typer app over the library.

It parses options, calls the library, renders, and maps errors to exit codes:
0 done; 1 a check failed (``--fail-under``, ``validate`` found problems); 2 the command could
not do its job (bad usage, unreadable or invalid input or model). Heavy modules (numpy,
pandas) are imported inside the commands so that ``csi --help`` is instant.
"""

from __future__ import annotations

import gc
import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from csi import __version__

__all__ = ["app", "main"]

app = typer.Typer(
    name="csi",
    help="Customer Satisfaction Index from survey exports: scores with confidence intervals and the weak points that cost the most.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,  # survey rows are personal data
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,
)

# ---------------------------------------------------------------- shared options (defined once)
ModelOpt = Annotated[Path | None, typer.Option("--model", "-m", help="Model file (indicators.yaml). Default: ./indicators.yaml, else the built-in accounting-services model.", show_default=False)]
SheetOpt = Annotated[str | None, typer.Option("--sheet", help="Sheet name or 0-based index (default: the first sheet).", show_default=False)]
PresetOpt = Annotated[str | None, typer.Option("--preset", help="Export format: wjx, tencent, qualtrics, surveymonkey or plain (default: detected from the header rows).", show_default=False)]
FormatOpt = Annotated[str, typer.Option("--format", "-f", help="Format for stdout: table, json, csv or md.")]
OutputOpt = Annotated[list[Path] | None, typer.Option("--output", "-o", help="Write a report; the format follows the suffix: .json .csv .md, .xlsx (workbook with charts), .html (one self-contained page). Repeatable.", show_default=False)]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing on stdout unless asked with --format; errors still go to stderr.")]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show the traceback of an error.")]
MkdirOpt = Annotated[bool, typer.Option("--mkdir", help="Create missing output folders.")]
MethodOpt = Annotated[str | None, typer.Option("--method", help="Weighting method for every group that does not name its own: fixed, ahp, entropy, critic, drivers or pls.", show_default=False)]
AllowNegativeOpt = Annotated[bool, typer.Option("--allow-negative", help="Clip negative data-driven weights to 0 (with a warning) instead of failing.")]
PolicyOpt = Annotated[str | None, typer.Option("--policy", help="Missing answers for data-driven weights: listwise (default) or mean.", show_default=False)]
LangOpt = Annotated[str | None, typer.Option("--lang", help="Report language: zh or en (default: the model's).", show_default=False)]

STDOUT_FORMATS = ("table", "json", "csv", "md")
FILE_FORMATS = ("json", "csv", "md", "xlsx", "html")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"csi {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
) -> None:
    """Customer Satisfaction Index from survey exports."""


def _fail(message: str, code: int = 2) -> NoReturn:
    sys.stderr.write(f"csi: error: {message}\n")
    raise typer.Exit(code)


@contextmanager
def _errors(debug: bool) -> Iterator[None]:
    """Map the library's CsiError to exit 2 with its message; bugs keep their traceback."""
    from csi.errors import CsiError

    try:
        yield
    except CsiError as e:
        if debug:
            raise
        _fail(e.message)


def _check_lang(lang: str | None) -> None:
    if lang is not None and lang not in ("zh", "en"):
        raise typer.BadParameter("use zh or en", param_hint="--lang")


def _write_outputs(outputs: list[Path], renderers: dict[str, Callable[[], str | bytes]], inputs: list[Path], mkdir: bool) -> None:
    from csi.report.write import atomic_write, check_output, format_for

    # check every destination before writing any, so a bad second path leaves nothing half done
    seen: set[Path] = set()
    for p in outputs:
        if p.resolve() in seen:
            from csi.errors import Issue, OutputError

            raise OutputError(Issue("output-duplicate", "named twice as an output; each report needs its own file", file=str(p)))
        seen.add(p.resolve())
    plan = [(check_output(p, inputs, mkdir=mkdir), format_for(p, renderers)) for p in outputs]
    for path, fmt in plan:
        atomic_write(path, renderers[fmt]())


# ---------------------------------------------------------------- score
@app.command()
def score(
    data: Annotated[Path, typer.Argument(help="Survey export: .xlsx .xlsm .xls .ods .csv .tsv", show_default=False)],
    model: ModelOpt = None,
    sheet: SheetOpt = None,
    preset: PresetOpt = None,
    method: MethodOpt = None,
    allow_negative: AllowNegativeOpt = False,
    policy: PolicyOpt = None,
    bootstrap_weights: Annotated[bool, typer.Option("--bootstrap-weights", help="Re-estimate data-driven weights in every bootstrap replicate, so intervals include weight uncertainty.")] = False,
    by: Annotated[list[str] | None, typer.Option("--by", help="Break results down by this column (repeatable).", show_default=False)] = None,
    weight_column: Annotated[str | None, typer.Option("--weight-column", help="Column of respondent weights.", show_default=False)] = None,
    target: Annotated[float | None, typer.Option("--target", min=0, max=100, help="Target score for every indicator (default: the model's).", show_default=False)] = None,
    top: Annotated[int, typer.Option("--top", min=0, help="How many weak points to list.")] = 5,
    verbatims: Annotated[int, typer.Option("--verbatims", min=0, help="Quote up to K comments (phone numbers, e-mails and IDs masked) from clients who rated each weak point low; needs comments: in the model.")] = 0,
    bootstrap: Annotated[int, typer.Option("--bootstrap", "-B", min=0, help="Bootstrap replicates for SEs and intervals (0: none).")] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed; the same seed gives the same intervals.")] = 0,
    confidence: Annotated[float, typer.Option("--confidence", min=0.5, max=0.999, help="Confidence level of the intervals.")] = 0.95,
    population: Annotated[int | None, typer.Option("--population", min=1, help="Size of the client base, for the finite-population correction.", show_default=False)] = None,
    min_group: Annotated[int, typer.Option("--min-group", min=1, help="Segments with fewer respondents are suppressed.")] = 5,
    fmt: FormatOpt = "table",
    output: OutputOpt = None,
    exclusions: Annotated[Path | None, typer.Option("--exclusions", help="Write excluded and flagged rows with reasons (CSV, no personal data).", show_default=False)] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Treat any invalid answer as an error (exit 2).")] = False,
    fail_under: Annotated[float | None, typer.Option("--fail-under", help="Exit 1 when the overall CSI is below this score.", show_default=False)] = None,
    quiet: QuietOpt = False,
    lang: LangOpt = None,
    mkdir: MkdirOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Score a survey export: the CSI, every dimension and indicator, and the weak points.

    Example: csi score examples/accounting_2026Q3.xlsx --by 部门 -o q3.json -o q3.md
    """
    if fmt not in STDOUT_FORMATS:
        raise typer.BadParameter(f"use one of {', '.join(STDOUT_FORMATS)}", param_hint="--format")
    _check_lang(lang)
    with _errors(debug):
        from csi.background import Background
        from csi.progress import Progress
        from csi.report.write import atomic_write, check_output
        from csi.survey.read import read_survey

        inputs = [data] + ([model] if model else [])
        outputs = list(output or [])
        if exclusions is not None:
            if any(exclusions.resolve() == p.resolve() for p in outputs):
                from csi.errors import Issue, OutputError

                raise OutputError(Issue("output-duplicate", "is both a report (-o) and the exclusions file; use two files",
                                        file=str(exclusions)))
            check_output(exclusions, inputs, mkdir=mkdir)

        loaded = threading.Event()
        bound: list[Any] = []  # the model and the --by columns, once loaded

        def used(t: Any) -> Any:  # asked once the headers are read (preparation imports pandas)
            from csi.survey.prepare import columns_used

            loaded.wait()
            return columns_used(t, bound[0], by=bound[1], weight_column=weight_column) if bound else None

        with Progress() as bar:  # one status line for the read and the bootstrap
            bar.stage(f"reading {data.name}")
            # The file is read on a second thread while this one loads the model and imports
            # the scoring modules (pandas, numpy: a quarter of a second). The import waits for
            # the read's "reading …" stage: from there the parser (pyarrow, calamine) lets go
            # of the GIL, while the check of a workbook's extent before it holds it.
            parsing = threading.Event()

            def stage(text: str) -> None:
                bar.stage(text)
                if text.startswith("reading"):
                    parsing.set()

            reading = Background(lambda stop: read_survey(data, sheet=_sheet(sheet), preset=preset, progress=stage,
                                                          columns=used), name="csi-read")
            try:
                from csi.model import resolve_model  # (after the read has started: yaml takes 10 ms)

                m = _with_method(resolve_model(model), method, allow_negative, policy)
                by_cols = list(by or m.segments)
                bound.extend((m, by_cols))
            finally:
                loaded.set()
            reading.wait_for(parsing)
            # The objects the import makes live as long as the process: the garbage collector,
            # which would stop the read's thread while it looks, is off meanwhile; then they
            # (some 65 000) are frozen, so that it need not look at them again.
            collecting = gc.isenabled()
            gc.disable()
            try:
                from csi.api import score_table
                from csi.report.tables import to_csv, to_json, to_markdown
                from csi.scoring import ScoreOptions
            finally:
                if collecting:
                    gc.enable()
            gc.freeze()

            try:
                options = ScoreOptions(bootstrap=bootstrap, seed=seed, confidence=confidence, top=top, target=target,
                                       population=population, min_group=min_group, bootstrap_weights=bootstrap_weights,
                                       verbatims=verbatims)
                table = reading.result()
                bar.stage(f"scoring {data.name} ({len(table.frame):,} rows, {bootstrap} bootstrap replicates)")
                result, responses = score_table(table, m, options, strict=strict, by=by_cols,
                                                weight_column=weight_column, progress=bar.step)
            finally:
                gc.unfreeze()
        del table  # the answers are in `responses` now; the frame's memory can go before the reports are built

        def xlsx() -> bytes:  # the workbook and page writers are imported only when asked for (50 ms)
            from csi.report.excel import to_xlsx

            return to_xlsx(result, lang)

        def html() -> str:
            from csi.report.html import to_html

            return to_html(result, lang)

        renderers = {"json": lambda: to_json(result), "csv": lambda: to_csv(result), "md": lambda: to_markdown(result, lang),
                     "xlsx": xlsx, "html": html}
        _write_outputs(outputs, renderers, inputs, mkdir)
        if exclusions is not None:
            atomic_write(exclusions, _exclusions_csv(responses))
        if fmt != "table":
            sys.stdout.write(renderers[fmt]())
        elif not quiet:
            from rich.console import Console

            from csi.report.terminal import render_result

            render_result(result, Console(highlight=False), lang)
    if fail_under is not None and not result.overall.score >= fail_under:
        sys.stderr.write(f"csi: overall CSI {result.overall.score:.2f} is below --fail-under {fail_under:g}\n")
        raise typer.Exit(1)


def _with_method(model: Any, method: str | None, allow_negative: bool, policy: str | None) -> Any:
    """The model as the command line amends it: --method, --allow-negative, --policy."""
    if policy is not None and policy not in ("listwise", "mean"):
        raise typer.BadParameter("use listwise or mean", param_hint="--policy")
    options: dict[str, Any] = {}
    if allow_negative:
        options["allow_negative"] = True
    if policy is not None:
        options["policy"] = policy
    if method is None and not options:
        return model
    from csi.model import with_method

    return with_method(model, method or model.root.method, options)


def _sheet(sheet: str | None) -> str | int | None:
    return int(sheet) if sheet is not None and sheet.isdigit() else sheet


def _exclusions_csv(responses: Any) -> str:
    """Row numbers and reasons only: no answers, no personal data."""
    lines = ["row,reason,status"]
    lines += [f"{row},{reason},excluded" for row, reason in responses.quality.exclusions]
    lines += [f"{row},{reason},flagged" for row, reason in responses.quality.flags]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- validate
@app.command()
def validate(
    data: Annotated[Path | None, typer.Argument(help="Optional survey export to map the model onto.", show_default=False)] = None,
    model: ModelOpt = None,
    sheet: SheetOpt = None,
    preset: PresetOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Check the model, and how it maps onto DATA's columns. Exit 1 when problems are found.

    Example: csi validate examples/accounting_2026Q3.xlsx
    """
    from rich.console import Console
    from rich.table import Table as RichTable

    from csi.errors import DataError, ModelError

    out = Console(highlight=False, soft_wrap=True)
    problems = 0
    with _errors(debug):
        from csi.model import resolve_model

        try:
            m = resolve_model(model)
        except ModelError as e:
            for issue in e.issues:
                out.print(f"✗ {issue}", markup=False)
            out.print(f"{len(e.issues)} problem(s) in the model", markup=False)
            raise typer.Exit(1) from None
        out.print(f"✓ model {m.path}: {m.name} — {len(m.groups) - 1} groups, {len(m.items)} indicators"
                  + (f", {len(m.outcome.items)} outcome items" if m.outcome else "") + (", NPS" if m.nps else ""), markup=False)
        for g in m.groups:
            if g.method == "ahp":
                from csi.weighting.ahp import ahp_weights

                assert g.ahp is not None
                r = ahp_weights(g.ahp)
                out.print(f"  AHP {g.id}: CR {r.cr:.3f} (λmax {r.lambda_max:.3f}, RI {r.ri:.2f} Saaty 1980), weights "
                          + ", ".join(f"{c.id} {w:.3f}" for c, w in zip(g.children, r.weights, strict=True)), markup=False)
        if data is None:
            return
        from csi.survey.prepare import convert_column, pii_columns, shown_cell
        from csi.survey.read import find_column, read_survey

        table = read_survey(data, sheet=_sheet(sheet), preset=preset)
        out.print(f"✓ {table.path}: sheet {table.sheet!r}, preset {table.preset}, {len(table.frame)} rows, "
                  f"{len(table.frame.columns)} columns", markup=False)
        mapping = RichTable("node", "column", "letter", "answers", "unmatched answers", show_edge=False, header_style="bold")
        used: set[str] = set()
        for item in m.all_items:
            try:
                col = find_column(table, column=item.column, match=item.match, what=f"{item.path} ({item.id})")
            except DataError as e:
                problems += len(e.issues)
                mapping.add_row(item.id, f"✗ {e.issues[0].message}", "", "", "")
                continue
            used.add(col)
            raw, bad = convert_column(table.frame[col], item, table.missing_codes)
            answered = int((raw == raw).sum())
            if bad.any():
                problems += 1
            unmatched = ""
            if bad.any():
                seen = list(dict.fromkeys(shown_cell(v) for v in table.frame[col][bad]))
                unmatched = f"{int(bad.sum())}: " + ", ".join(repr(v) for v in seen[:4]) + (" …" if len(seen) > 4 else "")
            mapping.add_row(item.id, col, table.letter(col), str(answered), unmatched)
        out.print(mapping)
        item_columns = set(used)
        roles = [("segment", m.segments), ("comments", m.comments), ("population margin", tuple(c for c, _ in m.margins)),
                 ("duplicate key", m.quality.duplicate_by)]
        for role, names in roles:
            for name in names:
                try:
                    col = find_column(table, column=name)
                except DataError as e:
                    problems += 1
                    out.print(f"✗ {role} {name!r}: {e.issues[0].message}", markup=False)
                    continue
                used.add(col)
                out.print(f"  {role} {name!r} → {col} ({table.letter(col)})", markup=False)
        meta = {table.id_column, table.submitted_column, table.duration_column, *table.pii_columns}
        pii = list(pii_columns(table, m))
        on_pii = sorted(c for c in item_columns if c in pii)
        if on_pii:
            problems += len(on_pii)
            out.print("✗ the model reads personal-data columns: " + ", ".join(on_pii), markup=False)
        others = [c for c in table.frame.columns if c not in used and c not in meta and c not in pii]
        if pii:
            out.print("PII columns (never copied into outputs): " + ", ".join(pii), markup=False)
        if others:
            out.print("Columns not used by the model: " + ", ".join(others), markup=False)
    if problems:
        out.print(f"{problems} problem(s) found", markup=False)
        raise typer.Exit(1)


# ---------------------------------------------------------------- init
@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="Folder to write indicators.yaml into.")] = Path("."),
    force: Annotated[bool, typer.Option("--force", help="Replace an existing indicators.yaml.")] = False,
) -> None:
    """Write a starter indicators.yaml (the built-in accounting-services model) to edit.

    Example: csi init my-survey && csi validate survey.xlsx --model my-survey/indicators.yaml
    """
    from csi.model import default_model_path
    from csi.report.write import atomic_write

    target = directory / "indicators.yaml"
    if not directory.is_dir():
        _fail(f"{directory}: no such folder; create it first")
    if target.exists() and not force:
        _fail(f"{target} already exists; pass --force to replace it")
    atomic_write(target, default_model_path().read_bytes())
    typer.echo(f"wrote {target}; edit it, then: csi validate YOUR_EXPORT.xlsx --model {target}")


# ---------------------------------------------------------------- compare (its own module: it is long)
from csi.cli_compare import compare  # noqa: E402  (imports the shared options defined above)

app.command()(compare)

from csi.cli_weights import weights  # noqa: E402

app.command()(weights)

from csi.cli_field import sample_size, template  # noqa: E402

app.command("sample-size")(sample_size)
app.command()(template)


def main() -> None:
    """Entry point of the console script."""
    # csi's matrices are narrow (tens of columns): a second BLAS thread gains little, and when the
    # cores are shared OpenBLAS's spinning threads made a 20 ms PLS fit take 1.6 s. One thread,
    # unless the user chose otherwise; numpy is imported later, inside the commands.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    # numpy asks the kernel for huge pages for every large array; where it compacts memory
    # to find them (defrag "madvise", the common default) the first touch of the n × k matrix
    # of a million respondents stalled for up to half a second, for arrays csi reads a few
    # times. Small pages, unless the user chose otherwise.
    os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")
    if os.environ.get("CSI_DEBUG"):
        os.environ.setdefault("_TYPER_STANDARD_TRACEBACK", "1")
    try:
        app()
    except SystemExit as e:
        code = e.code
    else:
        code = 0
    if isinstance(code, str):  # (sys.exit("message"): the message, status 1)
        sys.stderr.write(code + "\n")
        code = 1
    # The work is done and every file written and closed: leave without tearing down the
    # interpreter. Unloading pandas and pyarrow alone takes 60-100 ms, a tenth of scoring a
    # 100 000-row workbook, for nothing. Not under a tracer or profiler (coverage, pyinstrument),
    # which write their reports on the way out.
    if sys.gettrace() is not None or sys.getprofile() is not None or {"coverage", "pyinstrument"} & sys.modules.keys():
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):  # (a reader that went away; a closed stream)
            pass
    os._exit(code or 0)
