"""Field-work commands: ``csi sample-size`` (how many responses) and ``csi template``
(a data-entry workbook for phone or paper interviews)."""

from __future__ import annotations

import json
import re
import shlex
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from csi.cli.common import DebugOpt, MkdirOpt, ModelOpt, errors, fail
from csi.printable import printable

__all__ = ["sample_size", "template"]


def _fraction(value: float | None, option: str, example: str, percent_from: float = 1.0) -> None:
    """Refuse a value that is not strictly between 0 and 1; one that reads as a percent
    (``percent_from`` ≤ value < 100) gets the fraction it probably means."""
    if value is None or 0.0 < value < 1.0:
        return
    hint = f"; for {value:g} % write {option} {value / 100:g}" if percent_from <= value < 100.0 else ""
    raise typer.BadParameter(f"give a fraction between 0 and 1 (e.g. {example}), got {value:g}{hint}", param_hint=option)


def _percent(fraction: float) -> str:
    """A proportion as percent with one or two decimals.

    >>> _percent(0.05), _percent(0.035), _percent(0.0125), _percent(0.049945)
    ('5.0', '3.5', '1.25', '4.99')
    """
    text = f"{fraction * 100:.2f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def _count(n: int) -> str:
    """A whole number with thin groups: 1 000, 12 500.

    >>> _count(278), _count(1000), _count(1234567)
    ('278', '1 000', '1 234 567')
    """
    return f"{n:,}".replace(",", " ")


def sample_size(
    population: Annotated[int | None, typer.Option("--population", "-N", min=1, help="Size of the client base, for the finite-population correction.", show_default=False)] = None,
    margin: Annotated[float | None, typer.Option("--margin", "-e", help="Margin of error as a fraction between 0 and 1: 0.05 means ±5 percentage points. [default: 0.05]", show_default=False)] = None,
    confidence: Annotated[float, typer.Option("--confidence", "-c", help="Confidence level as a fraction between 0 and 1.")] = 0.95,
    p: Annotated[float, typer.Option("--p", help="Anticipated proportion between 0 and 1; 0.5 is the most cautious.")] = 0.5,
    n: Annotated[int | None, typer.Option("--n", min=1, help="Completed responses you have or plan: print the margin of error for them instead.", show_default=False)] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="Output: table or json.")] = "table",
) -> None:
    """How many completed responses a survey needs for a margin of error (Cochran 1977),
    or with --n, the margin of error a number of responses gives.

    Example: csi sample-size --population 1000   (±5 % at 95 %: 385; from 1 000 clients: 278)
    """
    if fmt not in ("table", "json"):
        raise typer.BadParameter("use table or json", param_hint="--format")
    _fraction(margin, "--margin", "0.05 for ±5 %")
    _fraction(confidence, "--confidence", "0.95", percent_from=50.0)
    _fraction(p, "--p", "0.5")
    if n is not None and margin is not None:
        raise typer.BadParameter("give either --margin (to get the sample size) or --n (to get the margin), not both", param_hint="--n")
    if n is not None and population is not None and n > population:
        raise typer.BadParameter(f"{_count(n)} responses cannot come from a client base of {_count(population)}; "
                                 "--n must be at most --population", param_hint="--n")

    from csi.stats import cochran_sample_size, margin_of_error

    doc: dict[str, Any] = {"schema": "csi.sample_size/1", "method": "Cochran 1977", "confidence": confidence, "p": p, "population": population}
    if n is None:
        e = 0.05 if margin is None else margin
        plain = cochran_sample_size(e, confidence, p)
        fitted = cochran_sample_size(e, confidence, p, population) if population is not None else plain
        doc.update(solve="n", margin=e, n0=plain.n0, n=fitted.n, n_without_population=plain.n)
        text = (f"For ±{_percent(e)} % at {confidence * 100:g} % confidence (p = {p:g}): "
                f"{_count(plain.n)} completed responses")
        if population is not None:
            text += f"; with a client base of {_count(population)}: {_count(fitted.n)}"
    else:
        plain_e = margin_of_error(n, confidence, p)
        # a census (n = N) leaves no sampling error; margin_of_error needs N ≥ 2 for its factor
        fitted_e = plain_e if population is None else (0.0 if n == population else margin_of_error(n, confidence, p, population))
        doc.update(solve="margin", n=n, margin=fitted_e, margin_without_population=plain_e)
        text = f"With {_count(n)} completed responses at {confidence * 100:g} % confidence (p = {p:g}): ±{_percent(plain_e)} %"
        if population is not None:
            text += f"; with a client base of {_count(population)}: ±{_percent(fitted_e)} %"
    if fmt == "json":
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    else:
        typer.echo(text + ".")


def template(
    output: Annotated[Path, typer.Option("--output", "-o", help="The workbook to write (.xlsx).", show_default=False)],
    model: ModelOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file (it may hold typed-in answers).")] = False,
    mkdir: MkdirOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Write a data-entry workbook for the model: one column per question, with drop-down
    lists and checks, for typing in phone or paper interviews; a filled copy scores with
    csi score FILE.xlsx --preset plain.

    Example: csi template -o 回访录入.xlsx
    """
    with errors(debug):
        from csi.errors import Issue, OutputError
        from csi.model import default_model_path, resolve_model
        from csi.report.template import adjust_message, build_template
        from csi.report.write import atomic_write, check_output

        if output.suffix.lower() != ".xlsx":
            raise OutputError(Issue("output-format", f"a template is an Excel workbook; give a name ending in .xlsx, "
                                    f"got {output.suffix or '(no suffix)'!r}", file=str(output)))
        m = resolve_model(model)
        check_output(output, [Path(m.path)] + ([model] if model is not None else []), mkdir=mkdir)
        if output.exists() and not force:
            fail(f"{output} already exists and may hold typed-in answers; choose another name or pass --force to replace it")
        # name the model unless `csi score` would find the same one by itself
        implicit = model is None and Path(m.path).resolve() == default_model_path().resolve()
        model_arg = "" if implicit else f" --model {_shell_word(str(model if model is not None else m.path))}"
        target = _shell_word(str(output))
        built = build_template(m, score_command=f"csi score {target}{model_arg} --preset plain",
                               validate_command=f"csi validate {target}{model_arg} --preset plain")
        atomic_write(output, built.data)
    questions = sum(1 for c in built.columns if c.role == "item")
    sys.stderr.write(f"csi: wrote {output}: {len(built.columns)} columns, {questions} of them questions "
                     "(sheets Responses, Questions, Instructions)\n")
    for c in built.adjusted:
        sys.stderr.write(f"csi: warning: {printable(adjust_message(c, 'en'))}\n")
    sys.stderr.write(f"Fill in one row per respondent, then: csi score {target}{model_arg} --preset plain\n")


def _shell_word(text: str) -> str:
    """Quote a path for a shell only when it needs it (Chinese file names read better bare)."""
    return shlex.quote(text) if re.search(r"[\s'\"$`\\;&|<>()*?!#~]", text) or not text else text
