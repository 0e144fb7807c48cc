"""The ``csi`` command line: a thin typer app over the library (:mod:`csi.api`).

Each command lives in its own module and calls the library's pipeline as a script would;
:mod:`csi.cli.common` holds the options they share and the one error boundary. Heavy modules
(numpy, pandas) are imported inside the commands, so that ``csi --help`` is instant.

:func:`main` runs the app and returns the exit code (for use inside another program);
:func:`console` is the console script's entry point.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Annotated

import typer

from csi import __version__
from csi.cli.common import quiet_on_broken_pipe
from csi.cli.compare import compare
from csi.cli.field import sample_size, template
from csi.cli.init import init
from csi.cli.rank import rank
from csi.cli.score import score
from csi.cli.validate import validate
from csi.cli.weights import weights

__all__ = ["app", "main", "console"]

app = typer.Typer(
    name="csi",
    help="Customer Satisfaction Index from survey exports: scores with confidence intervals and the weak points that cost the most.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,  # survey rows are personal data
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"csi {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
) -> None:
    """Customer Satisfaction Index from survey exports."""


for _command in (score, rank, compare, validate, weights, init, template):
    app.command()(quiet_on_broken_pipe(_command))
app.command("sample-size")(quiet_on_broken_pipe(sample_size))


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``csi`` with ``argv`` (default: the process's arguments) and return its exit code."""
    try:
        app(args=list(argv) if argv is not None else None, prog_name="csi")
    except SystemExit as e:
        code = e.code
    else:
        code = 0
    if isinstance(code, str):  # (sys.exit("message"): the message, status 1)
        sys.stderr.write(code + "\n")
        return 1
    return int(code or 0)


def console() -> None:
    """The console script: process-wide settings for a command-line run, then :func:`main`.

    Only here, never in the library: csi's matrices are narrow (tens of columns), so a second
    BLAS thread gains little, and on shared cores OpenBLAS's spinning threads made a 20 ms PLS
    fit take 1.6 s (one thread unless the user chose otherwise); numpy's huge pages stalled the
    first touch of a million-row matrix for up to half a second (small pages unless chosen).
    Once the command is done and its files written, the process ends without tearing the
    interpreter down: unloading pandas and pyarrow alone takes 60–100 ms.
    """
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")
    if os.environ.get("CSI_DEBUG"):
        os.environ.setdefault("_TYPER_STANDARD_TRACEBACK", "1")
    code = main()
    # Not under a tracer or profiler (coverage, pyinstrument), which write their reports on the way out.
    if sys.gettrace() is not None or sys.getprofile() is not None or {"coverage", "pyinstrument"} & sys.modules.keys():
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:  # (None: started with that descriptor closed, `csi … >&-`)
                stream.flush()
        except (BrokenPipeError, ValueError):  # (a reader that went away; a closed stream)
            pass
    os._exit(code)
