"""``csi init``: a starter indicators.yaml — the built-in model, or with ``--from`` one drafted
from an export (:func:`csi.api.draft_model`)."""

from __future__ import annotations

import shlex
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer

from csi.cli.common import DebugOpt, LangOpt, PresetOpt, SheetOpt, errors, fail, sheet_arg
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
    lang: LangOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Write a starter indicators.yaml: the built-in accounting-services model, or with --from
    one drafted from your own export, which validates and scores that file as it is.

    What it prints, and with --from the model's name and the file's comments, are in --lang:
    by default the model's language (Chinese for a Chinese survey), as csi score chooses.

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
            drafted = draft_model(source, sheet=sheet_arg(sheet), preset=preset, command=command, model_path=str(target),
                                  lang=lang)
            data = drafted.text.encode("utf-8")
            lang = drafted.lang
        else:
            from csi.model import load_model_text
            from csi.report.template import model_lang

            data = (template_path(template.lower()) if template is not None else default_model_path()).read_bytes()
            lang = lang or model_lang(load_model_text(data.decode("utf-8")))
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            fail(f"{directory}: cannot create the folder: {e.strerror or e}")
        atomic_write(target, data)
    zh = lang == "zh"
    if source is None:
        typer.echo(f"已写入 {target}；修改后运行：csi validate 导出文件.xlsx --model {target}" if zh else
                   f"wrote {target}; edit it, then: csi validate YOUR_EXPORT.xlsx --model {target}")
        return
    out = sys.stdout
    for line in _summary(drafted.draft, drafted.lines, source, target, zh):
        out.write(line + "\n")


def _summary(d, lines: Sequence[str], source: Path, target: Path, zh: bool) -> list[str]:
    """What ``init --from`` prints: the export, one line a column, what was written, what next."""
    n = {role: len(d.role(role)) for role in ("item", "outcome", "segment", "comment", "pii")}
    checks = sum(1 for c in d.columns if c.check or c.role == "unsure")
    model_arg = "" if target == Path("indicators.yaml") else f" --model {_word(str(target))}"
    numbers = any(c.role in ("item", "outcome") and not c.labels and c.seen.startswith("numbers") for c in d.columns)
    run = f"csi validate {_word(str(source))}{model_arg} && csi score {_word(str(source))}{model_arg}"
    if zh:
        counts = [f"{n['item']} 个指标" + (f"（{len(d.groups)} 组）" if d.groups else ""), f"{n['outcome']} 个总体评价",
                  "NPS" if d.role("nps") else "", f"{n['segment']} 个分组", f"{n['comment']} 个评论列", f"{n['pii']} 个隐私列"]
        return [f"{source}：{d.preset} 导出文件，{d.rows} 行，{len(d.columns)} 列", *lines,
                f"已写入 {target}：{'、'.join(c for c in counts if c)}；{checks} 处待检查（上面标“待定”和“请检查”的）",
                *(["注意：以数字作答的题目按“数字越大越好”读取；代码方向相反的题目请加上 reverse: true"] if numbers else []),
                f"下一步：{run}"]
    counts = [f"{n['item']} items" + (f" in {len(d.groups)} groups" if d.groups else ""), f"{n['outcome']} outcome",
              "NPS" if d.role("nps") else "", f"{n['segment']} segments", f"{n['comment']} comments", f"{n['pii']} pii"]
    return [f"{source}: {d.preset} export, {d.rows} rows, {len(d.columns)} columns", *lines,
            f"wrote {target}: {', '.join(c for c in counts if c)}; {checks} to check (marked CHECK and check: above)",
            *(["note: answers given as numbers are read with the highest as the best; add reverse: true where the codes "
               "run the other way"] if numbers else []),
            f"next: {run}"]


def _word(text: str) -> str:
    """A path as a shell word: bare when it can be (Chinese names read better bare)."""
    return text if text and all(ch.isalnum() or ch in "._-/+:@%," or ord(ch) > 127 for ch in text) else shlex.quote(text)
