"""Atomic outputs: an interrupted write leaves the previous report byte for byte, and no stray
temporary file; an output that is also an input is refused; folders are made only on --mkdir."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from csi.cli import app
from csi.errors import OutputError
from csi.report import write
from csi.report.write import atomic_write, check_output

runner = CliRunner()
BAD = Path(__file__).parent / "data" / "bad"
PREVIOUS = "yesterday's report: 欢迎\n".encode()


@pytest.fixture
def survey(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of a small export and its model, in a folder of their own."""
    data, model = tmp_path / "answers.csv", tmp_path / "model.yaml"
    data.write_bytes((BAD / "answers.csv").read_bytes())
    model.write_bytes((BAD / "model.yaml").read_bytes())
    return data, model


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


class Interrupted(BaseException):
    """Stands for a crash or Ctrl+C in the middle of writing."""


def test_a_write_interrupted_midway_leaves_the_previous_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "report.json"
    target.write_bytes(PREVIOUS)
    real_fdopen = os.fdopen

    class HalfWritten:
        def __init__(self, fd: int, mode: str) -> None:
            self.f = real_fdopen(fd, mode)

        def write(self, data: bytes) -> int:
            self.f.write(data[: len(data) // 2])
            raise Interrupted

        def __enter__(self) -> HalfWritten:
            return self

        def __exit__(self, *exc: object) -> None:
            self.f.close()

    monkeypatch.setattr(write.os, "fdopen", HalfWritten)
    with pytest.raises(Interrupted):
        atomic_write(target, "x" * 100_000)
    assert target.read_bytes() == PREVIOUS
    assert files_in(tmp_path) == ["report.json"]


@pytest.mark.parametrize("where", ["fsync", "replace"])
def test_a_full_disk_is_an_output_error_and_the_previous_file_stays(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                      where: str) -> None:
    target = tmp_path / "report.md"
    target.write_bytes(PREVIOUS)

    def full(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(write.os, where, full)
    with pytest.raises(OutputError) as e:
        atomic_write(target, "# new\n")
    assert e.value.codes == ["output-unwritable"] and "No space left on device" in str(e.value)
    assert target.read_bytes() == PREVIOUS
    assert files_in(tmp_path) == ["report.md"]


def test_a_folder_that_refuses_files_is_an_output_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr("tempfile.mkstemp", denied)
    with pytest.raises(OutputError) as e:
        atomic_write(tmp_path / "r.json", "{}")
    assert "Permission denied" in str(e.value)


def test_a_new_file_gets_the_usual_permissions_and_a_replaced_one_keeps_its_own(tmp_path: Path) -> None:
    fresh = tmp_path / "new.csv"
    atomic_write(fresh, "a\n")
    umask = os.umask(0)
    os.umask(umask)
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~umask
    kept = tmp_path / "kept.csv"
    kept.write_text("old")
    kept.chmod(0o640)
    atomic_write(kept, "new")
    assert kept.read_text() == "new" and kept.stat().st_mode & 0o777 == 0o640


def test_the_cli_keeps_the_previous_reports_when_writing_fails(survey: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    data, model = survey
    folder = data.parent
    reports = [folder / "r.json", folder / "r.md"]
    for path in reports:
        path.write_bytes(PREVIOUS)

    def full(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(write.os, "replace", full)
    r = runner.invoke(app, ["score", str(data), "--model", str(model), "-B", "0", "-q", "-o", str(reports[0]), "-o", str(reports[1])])
    assert r.exit_code == 2 and "cannot write: No space left on device" in r.stderr and "Traceback" not in r.stderr
    assert all(p.read_bytes() == PREVIOUS for p in reports)
    assert files_in(folder) == ["answers.csv", "model.yaml", "r.json", "r.md"]


def test_a_renderer_that_crashes_leaves_the_previous_report(survey: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    data, model = survey
    report = data.parent / "r.json"
    report.write_bytes(PREVIOUS)

    def broken(result: object) -> str:
        raise RuntimeError("a bug in a renderer")

    monkeypatch.setattr("csi.report.tables.to_json", broken)
    r = runner.invoke(app, ["score", str(data), "--model", str(model), "-B", "0", "-q", "-o", str(report)])
    assert isinstance(r.exception, RuntimeError)  # a bug keeps its traceback …
    assert report.read_bytes() == PREVIOUS  # … and breaks nothing
    assert files_in(data.parent) == ["answers.csv", "model.yaml", "r.json"]


@pytest.mark.parametrize("spelling", ["same", "dotted", "symlink", "hardlink"])
@pytest.mark.parametrize("option", ["-o", "--exclusions"])
def test_an_output_that_is_an_input_is_refused(survey: tuple[Path, Path], spelling: str, option: str) -> None:
    data, model = survey
    before = data.read_bytes()
    target = {"same": data, "dotted": data.parent / "sub" / ".." / data.name,
              "symlink": data.parent / "link.csv", "hardlink": data.parent / "hard.csv"}[spelling]
    (data.parent / "sub").mkdir()
    if spelling == "symlink":
        target.symlink_to(data)
    elif spelling == "hardlink":
        os.link(data, target)
    r = runner.invoke(app, ["score", str(data), "--model", str(model), "-B", "0", "-q", option, str(target)])
    assert r.exit_code == 2 and "also an input" in r.stderr
    assert data.read_bytes() == before


def test_the_model_is_an_input_too(survey: tuple[Path, Path]) -> None:
    data, model = survey
    before = model.read_bytes()
    r = runner.invoke(app, ["score", str(data), "--model", str(model), "-B", "0", "-q", "--exclusions", str(model)])
    assert r.exit_code == 2 and "also an input" in r.stderr and model.read_bytes() == before


def test_compare_refuses_to_write_over_a_period(survey: tuple[Path, Path]) -> None:
    data, model = survey
    other = data.parent / "q2.csv"
    other.write_bytes(data.read_bytes())
    before = other.read_bytes()
    r = runner.invoke(app, ["compare", str(other), str(data), "--model", str(model), "-B", "0", "-q", "-o", str(other)])
    assert r.exit_code == 2 and "also an input" in r.stderr and other.read_bytes() == before


def test_output_folders_are_made_only_with_mkdir(survey: tuple[Path, Path]) -> None:
    data, model = survey
    report = data.parent / "reports" / "2026" / "r.json"
    excluded = data.parent / "lists" / "excluded.csv"
    base = ["score", str(data), "--model", str(model), "-B", "0", "-q"]
    for args in (["-o", str(report)], ["--exclusions", str(excluded)]):
        r = runner.invoke(app, [*base, *args])
        assert r.exit_code == 2 and "does not exist; create it or pass --mkdir" in r.stderr
    assert files_in(data.parent) == ["answers.csv", "model.yaml"]
    r = runner.invoke(app, [*base, "-o", str(report), "--exclusions", str(excluded), "--mkdir"])
    assert r.exit_code == 0, r.stderr
    assert report.is_file() and excluded.read_text(encoding="utf-8-sig").startswith("row,reason,status")


def test_an_output_that_is_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OutputError) as e:
        check_output(tmp_path)
    assert e.value.codes == ["output-is-directory"]
