"""``csi init``: a starter indicators.yaml — the built-in model, or with ``--from`` one drafted
from an export (:func:`csi.api.draft_model`)."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import Annotated

import typer

from csi.cli.common import DebugOpt, PresetOpt, SheetOpt, errors, fail, sheet_arg
from csi.templates import TEMPLATES, template_path

__all__ = ["init"]


def init(
    directory: Annotated[Path, typer.Argument(help="Folder to write indicators.yaml into (created if missing).")] = Path("."),
    source: Annotated[Path | None, typer.Option("--from", help="An export (any supported format) to draft the model from: "
                                                "its rating questions, outcome, NPS, segments, comments and personal-data "
                                                "columns.", show_default=False)] = None,
    sheet: SheetOpt = None,
    preset: PresetOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing indicators.yaml.")] = False,
    template: Annotated[str | None, typer.Option("--template", help="Start from a standard structural model instead: "
                                                 + "; ".join(f"{k} — {v}" for k, v in TEMPLATES.items()) + ".",
                                                 show_default=False)] = None,
    debug: DebugOpt = False,
) -> None:
    """Write a starter indicators.yaml: the built-in accounting-services model, or with --from
    one drafted from your own export, which validates and scores that file as it is.

    Example: csi init --from survey.xlsx my-survey && csi score survey.xlsx --model my-survey/indicators.yaml
    """
    if template is not None and template.lower() not in TEMPLATES:
        fail(f"--template {template!r}: choose one of {', '.join(TEMPLATES)}")
    target = directory / "indicators.yaml"
    if directory.exists() and not directory.is_dir():
        fail(f"{directory} is a file, not a folder")
    if target.exists() and not force:
        fail(f"{target} already exists; pass --force to replace it")
    with errors(debug):
        from csi.model import default_model_path
        from csi.report.write import atomic_write

        if source is not None:
            from csi.api import draft_model

            command = " ".join(["csi init --from", _word(str(source)), *([_word(str(directory))] if directory != Path(".") else [])])
            drafted = draft_model(source, sheet=sheet_arg(sheet), preset=preset, command=command, model_path=str(target))
            data = drafted.text.encode("utf-8")
        elif template is not None:
            data = template_path(template.lower()).read_bytes()
        else:
            data = default_model_path().read_bytes()
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            fail(f"{directory}: cannot create the folder: {e.strerror or e}")
        atomic_write(target, data)
    if source is None:
        typer.echo(f"wrote {target}; edit it, then: csi validate YOUR_EXPORT.xlsx --model {target}")
        return
    d = drafted.draft
    out = sys.stdout
    out.write(f"{source}: {d.preset} export, {d.rows} rows, {len(d.columns)} columns\n")
    for line in drafted.lines:
        out.write(line + "\n")
    counts = [f"{len(d.role('item'))} items" + (f" in {len(d.groups)} groups" if d.groups else ""),
              f"{len(d.role('outcome'))} outcome", "NPS" if d.role("nps") else "", f"{len(d.role('segment'))} segments",
              f"{len(d.role('comment'))} comments", f"{len(d.role('pii'))} pii"]
    checks = sum(1 for c in d.columns if c.check or c.role == "unsure")
    out.write(f"wrote {target}: {', '.join(c for c in counts if c)}; {checks} to check (marked CHECK and check: above)\n")
    if any(c.role in ("item", "outcome") and not c.labels and c.seen.startswith("numbers") for c in d.columns):
        out.write("note: answers given as numbers are read with the highest as the best; add reverse: true where the codes run the other way\n")
    model_arg = "" if target == Path("indicators.yaml") else f" --model {_word(str(target))}"
    out.write(f"next: csi validate {_word(str(source))}{model_arg} && csi score {_word(str(source))}{model_arg}\n")


def _word(text: str) -> str:
    """A path as a shell word: bare when it can be (Chinese names read better bare)."""
    return text if text and all(ch.isalnum() or ch in "._-/+:@%," or ord(ch) > 127 for ch in text) else shlex.quote(text)
