"""The README's transcripts are executed: every `$ csi …` line runs, with the exit code and
the output lines the README shows (lines with an ellipsis … are abbreviations and skipped).
README.zh-CN.md's transcripts run the same way. A command that follows a `$ csi init` line in the same block runs after it, in the same
folder, as a reader following the block would run them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT


def transcripts(readme: str = "README.md") -> list[tuple[str, list[str], list[str]]]:
    """`$ ` lines of the README's plain (unlabelled) code blocks, each with the lines it shows
    and the `csi init` commands before it in its block."""
    blocks: list[list[str]] = []
    current: list[str] | None = None
    for line in (ROOT / readme).read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            if current is None:
                current = [] if line.strip() == "```" else ["<other>"]
            else:
                if current[:1] != ["<other>"]:
                    blocks.append(current)
                current = None
        elif current is not None:
            current.append(line)
    out = []
    for lines in blocks:
        setup: list[str] = []
        for i, line in enumerate(lines):
            if line.startswith("$ "):
                shown = []
                for follow in lines[i + 1:]:
                    if follow.startswith("$ "):
                        break
                    shown.append(follow.rstrip())
                out.append((line[2:], shown, list(setup)))
                if line.startswith("$ csi init"):
                    setup.append(line[2:])
    return out


CASES = transcripts() + transcripts("README.zh-CN.md")


def test_readme_has_transcripts_of_every_command():
    commands = " ".join(cmd for cmd, _, _ in transcripts())
    for sub in ("csi score", "csi compare", "csi validate"):
        assert sub in commands


@pytest.mark.parametrize(("command", "shown", "setup"), CASES, ids=[c for c, _, _ in CASES])
def test_readme_transcript(tmp_path: Path, command: str, shown: list[str], setup: list[str]):
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    env = dict(os.environ, COLUMNS="100", PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    env.pop("CI", None)
    for before in setup:
        done = subprocess.run(before, shell=True, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
    proc = subprocess.run(command, shell=True, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    output = proc.stdout + proc.stderr
    expected = 2 if any(s.startswith("csi: error") for s in shown) else 1 if any("problem(s) found" in s for s in shown) else 0
    assert proc.returncode == expected, output
    actual = {line.rstrip() for line in output.splitlines()}
    for line in shown:
        if line and "…" not in line:
            assert line in actual, f"README shows {line!r}; the command printed:\n{output}"
