"""What the commands share: the options defined once, the one error boundary, output checks.

Exit codes, as everywhere: 0 done; 1 a check failed (``--fail-under``, ``--fail-on-drop``,
``validate`` found problems); 2 the command could not do its job (bad usage, an unreadable or
invalid input or model), with the message on stderr and no traceback unless ``--debug``.
"""

from __future__ import annotations

import errno
import functools
import math
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, ParamSpec

import typer

from csi.report.formats import stdout_formats, suffix_list
from csi.survey.files import SUPPORTED_SUFFIXES
from csi.survey.presets import PRESETS
from csi.weighting.registry import OPTIONS, or_joined

if TYPE_CHECKING:
    from rich.console import Console

    from csi.limits import Limits

__all__ = [
    "ModelOpt", "SheetOpt", "PresetOpt", "FormatOpt", "OutputOpt", "QuietOpt", "DebugOpt", "MkdirOpt", "MethodOpt",
    "AllowNegativeOpt", "PolicyOpt", "LangOpt", "MaxMemoryOpt", "DataArg", "WeightColumnOpt", "SeedOpt", "PopulationOpt", "ConfidenceOpt", "limits", "fail", "errors", "check_lang", "check_format", "check_policy", "check_rank_by",
    "sheet_arg", "plan", "write", "output_help", "quiet_on_broken_pipe", "stdout_console", "finite",
]

_P = ParamSpec("_P")


def output_help(kind: str) -> str:
    return (f"Write a report; the format follows the suffix: {suffix_list(kind)} (.xlsx: a workbook with charts, .html: one "
            "self-contained page). Repeatable.")


ModelOpt = Annotated[Path | None, typer.Option("--model", "-m", help="Model file (indicators.yaml). Default: ./indicators.yaml, else the built-in accounting-services model.", show_default=False)]
SheetOpt = Annotated[str | None, typer.Option("--sheet", help="Sheet name or 0-based index (default: the first sheet).", show_default=False)]
PresetOpt = Annotated[str | None, typer.Option("--preset", help=f"Export format: {or_joined(tuple(PRESETS))} (default: detected from the header rows).", show_default=False)]
FormatOpt = Annotated[str, typer.Option("--format", "-f", help=f"Format for stdout: table, {', '.join(stdout_formats('result'))}.")]
OutputOpt = Annotated[list[Path] | None, typer.Option("--output", "-o", help=output_help("result"), show_default=False)]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing on stdout unless asked with --format; errors still go to stderr.")]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show the traceback of an error.")]
MkdirOpt = Annotated[bool, typer.Option("--mkdir", help="Create missing output folders.")]
MethodOpt = Annotated[str | None, typer.Option("--method", help=f"Weighting method for every group that does not name its own: {or_joined()}.", show_default=False)]
AllowNegativeOpt = Annotated[bool, typer.Option("--allow-negative", help="Clip negative data-driven weights to 0 (with a warning) instead of failing.")]
SchemeOpt = Annotated[str | None, typer.Option("--scheme", help="Inner weighting scheme of a model with paths: path, centroid or factorial (default: the model's, else path).", show_default=False)]
ScaledOpt = Annotated[bool | None, typer.Option("--scaled/--unscaled", help="Standardise the items of a model with paths: before PLS (--scaled, the default: SmartPLS, seminr, cSEM, R plspm scaled = TRUE) or only centre them (--unscaled: R plspm scaled = FALSE).", show_default=False)]
PolicyOpt = Annotated[str | None, typer.Option("--policy", help=f"Missing answers for data-driven weights: {or_joined(OPTIONS['policy'].choices)} (default {OPTIONS['policy'].default}).", show_default=False)]


#: The survey export of score and rank, and the options the two share.
DataArg = Annotated[Path, typer.Argument(help=f"Survey export: {' '.join(SUPPORTED_SUFFIXES)}", show_default=False)]
WeightColumnOpt = Annotated[str | None, typer.Option("--weight-column", help="Column of respondent weights.", show_default=False)]
SeedOpt = Annotated[int, typer.Option("--seed", min=0, help="Random seed; the same seed gives the same intervals.")]
PopulationOpt = Annotated[int | None, typer.Option("--population", min=1, help="Size of the client base, for the finite-population correction.", show_default=False)]


def _check_memory(value: str | None) -> str | None:
    """``--max-memory`` checked as the option is parsed (the callback of :data:`MaxMemoryOpt`)."""
    from csi.limits import parse_size

    if value is not None:
        try:
            parse_size(value)
        except ValueError as e:
            raise typer.BadParameter(str(e), param_hint="--max-memory") from None
    return value


MaxMemoryOpt = Annotated[str | None, typer.Option(
    "--max-memory", callback=_check_memory, metavar="SIZE",
    help="The most memory a file or the bootstrap may ask for, e.g. 8G; it scales every size limit of the readers "
         "(sheet cells, inflated size, columns, line length). Default 2G.", show_default=False)]


def limits(max_memory: str | None) -> Limits:
    """The :class:`csi.limits.Limits` of ``--max-memory`` (default: 2 GB's worth)."""
    from csi.limits import Limits, parse_size

    return Limits() if max_memory is None else Limits(memory=parse_size(max_memory))


def check_scheme(scheme: str | None) -> None:
    """Exit 2 with the valid schemes when ``--scheme`` names another."""
    from csi.path_model import SCHEMES

    if scheme is not None and scheme not in SCHEMES:
        fail(f"--scheme {scheme!r}: choose one of {', '.join(SCHEMES)}")


def fail(message: str, code: int = 2) -> NoReturn:
    """The message on stderr (its text from the data escaped, :mod:`csi.printable`), then exit ``code``."""
    from csi.printable import printable

    sys.stderr.write(f"csi: error: {printable(message)}\n")
    raise typer.Exit(code)


@contextmanager
def errors(debug: bool) -> Iterator[None]:
    """Map the library's CsiError to exit 2 with its message; bugs keep their traceback."""
    from csi.errors import CsiError

    try:
        yield
    except CsiError as e:
        if debug:
            raise
        fail(e.message)


def quiet_on_broken_pipe(command: Callable[_P, None]) -> Callable[_P, None]:
    """A command that ends with exit 0 and no traceback when its reader goes away
    (``csi score FILE | head -1``), as ``cat`` or ``grep`` do.

    Typer turns an EPIPE into exit 1; the command catches it first. What is still buffered
    for stdout can never be delivered, so stdout is pointed at the null device: the flush at
    exit then has nowhere to fail (the idiom of the Python docs, "Note on SIGPIPE").
    """

    @functools.wraps(command)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> None:
        try:
            command(*args, **kwargs)
        except BrokenPipeError:
            try:
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, sys.stdout.fileno())
                os.close(devnull)
            except (OSError, ValueError):  # (stdout is not a file descriptor: nothing will flush it to a pipe)
                pass
            raise typer.Exit(0) from None

    return run


def stdout_console(**options: object) -> Console:
    """A rich console on stdout that leaves a broken pipe to :func:`quiet_on_broken_pipe`
    (rich's own handler ends the process with exit 1), and shows text as it is: no console
    markup (a header ``[link=…]`` from a file stays text), and every character that would act
    on the terminal escaped by :func:`csi.printable.printable` (rich's own styling aside)."""
    options.setdefault("markup", False)
    return _pipe_console()(**options)


@functools.cache
def _pipe_console() -> type[Console]:
    from rich.console import Console
    from rich.segment import Segment

    from csi.printable import printable

    class PipeConsole(Console):
        def on_broken_pipe(self) -> None:
            self.quiet = True
            raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))

        def _render_buffer(self, buffer: Iterable[Segment]) -> str:
            # Every text segment, whoever built it, passes the one rule; rich's control segments
            # (cursor moves) and the escapes its styles render to are its own.
            return super()._render_buffer(s if s.control else Segment(printable(s.text), s.style) for s in buffer)

    return PipeConsole


def check_lang(lang: str | None) -> str | None:
    """``--lang`` in any case, as ``zh`` or ``en`` (the callback of :data:`LangOpt`).

    >>> check_lang("EN"), check_lang("Zh"), check_lang(None)
    ('en', 'zh', None)
    """
    if lang is None:
        return None
    if lang.lower() not in ("zh", "en"):
        raise typer.BadParameter("use zh or en", param_hint="--lang")
    return lang.lower()


LangOpt = Annotated[str | None, typer.Option("--lang", callback=check_lang, help="Report language: zh or en (default: the model's).",
                                             show_default=False)]


def finite(value: float | None) -> float | None:
    """A number option's value, refused when it is NaN or infinite (the callback of number
    options: click's ``min``/``max`` let NaN through, and ``--fail-under nan`` would fail every run).

    >>> finite(80.0), finite(None)
    (80.0, None)
    """
    if value is not None and not math.isfinite(value):
        raise typer.BadParameter(f"expected a finite number, got {value}")
    return value


ConfidenceOpt = Annotated[float, typer.Option("--confidence", min=0.5, max=0.999, callback=finite, help="Confidence level of the intervals.")]


def check_format(fmt: str, kind: str) -> None:
    allowed = ["table", *stdout_formats(kind)]
    if fmt not in allowed:
        raise typer.BadParameter(f"use one of {', '.join(allowed)}", param_hint="--format")


def check_rank_by(rank_by: str) -> None:
    from csi.options import RANK_BY

    if rank_by not in RANK_BY:
        raise typer.BadParameter(f"use {' or '.join(RANK_BY)}", param_hint="--rank-by")


def check_policy(policy: str | None) -> None:
    choices = OPTIONS["policy"].choices
    if policy is not None and policy not in choices:
        raise typer.BadParameter(f"use {or_joined(choices)}", param_hint="--policy")


def sheet_arg(sheet: str | None) -> str | int | None:
    return int(sheet) if sheet is not None and sheet.isdigit() else sheet


def plan(outputs: Sequence[Path] | None, inputs: Sequence[Path | None], kind: str, *, mkdir: bool,
         extra: Sequence[Path | None] = ()) -> list[tuple[Path, str]]:
    """Check every output (``-o`` and ``extra`` files such as ``--exclusions``) before any work."""
    from csi.report.formats import formats_for
    from csi.report.write import plan_outputs

    return plan_outputs(list(outputs or []), [p for p in inputs if p is not None], formats=formats_for(kind),
                        extra=[p for p in extra if p is not None], mkdir=mkdir)


def write(planned: Sequence[tuple[Path, str]], kind: str, document: object, lang: str | None,
          stdout: str | None = None, extra: Sequence[tuple[Path, str | bytes, bool]] = ()) -> None:
    """Write the planned reports and the ``extra`` files ``(path, content, bom)`` — all or
    none — then (unless None) print format ``stdout`` of the document."""
    from csi.report.formats import render
    from csi.report.write import write_planned

    if stdout is not None and sys.stdout is None:  # (started with descriptor 1 closed: `csi … >&-`)
        fail(f"standard output is closed, so the {stdout} report has nowhere to go; write it to a file with "
             f"-o FILE instead of --format {stdout}")
    rendered: dict[str, str | bytes] = {}

    def once(fmt: str) -> str | bytes:
        if fmt not in rendered:
            rendered[fmt] = render(kind, fmt, document, lang)
        return rendered[fmt]

    write_planned(planned, once, extra)  # every report rendered before the first file is replaced
    if stdout is not None:
        text = once(stdout)
        sys.stdout.write(text if isinstance(text, str) else text.decode("utf-8"))

