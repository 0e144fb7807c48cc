"""The outputs of one run are written all or nothing (csi/report/outset.py): a failure or a
signal leaves every destination new or every one as it was, and no temporary file; a killed
run's leftovers are recognisable and removed by the next run writing the same output; an
output that is a symbolic link is written through it."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from csi.cli import app
from csi.errors import OutputError
from csi.report.outset import leftovers, write_set

runner = CliRunner()
BAD = Path(__file__).parent / "data" / "bad"
OLD = {"a.json": b"old a\n", "b.md": b"old b\n", "c.csv": b"old c\n"}
NEW = {"a.json": b"new a\n", "b.md": b"new b\n", "c.csv": b"new c\n"}


def folder_with_old_reports(tmp_path: Path) -> Path:
    for name, data in OLD.items():
        (tmp_path / name).write_bytes(data)
    return tmp_path


def contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_a_rename_that_fails_midway_puts_back_what_was_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = folder_with_old_reports(tmp_path)
    real_replace = os.replace
    calls: list[str] = []

    def second_fails(src: str, dst: str) -> None:
        calls.append(str(dst))
        if len(calls) == 2:  # the second destination of the commit
            raise OSError(errno.EIO, "Input/output error")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", second_fails)
    with pytest.raises(OutputError) as e:
        write_set([(folder / n, d) for n, d in NEW.items()])
    assert e.value.codes == ["output-unwritable"] and "b.md" in str(e.value) and "no output of this run" in str(e.value)
    assert contents(folder) == OLD  # a.json was replaced, then put back; nothing else is left
    assert len(calls) >= 3  # (the put-back is a rename too)


def test_new_files_are_removed_again_when_the_set_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_replace = os.replace
    calls: list[str] = []

    def last_fails(src: str, dst: str) -> None:
        calls.append(dst)
        if len(calls) == 3:
            raise OSError(errno.EIO, "Input/output error")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", last_fails)
    with pytest.raises(OutputError):
        write_set([(tmp_path / n, d) for n, d in NEW.items()])
    assert contents(tmp_path) == {}


def test_the_cli_checks_every_report_before_it_replaces_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # -o a.json -o b.md: the Markdown renderer fails after the JSON is rendered; a.json must stay
    from csi.errors import Issue

    folder = folder_with_old_reports(tmp_path)
    data, model = folder / "answers.csv", folder / "model.yaml"
    data.write_bytes((BAD / "answers.csv").read_bytes())
    model.write_bytes((BAD / "model.yaml").read_bytes())

    def refuses(*args: object, **kwargs: object) -> str:
        raise OutputError(Issue("output-unwritable", "cannot render", file="b.md"))

    monkeypatch.setattr("csi.report.tables.to_markdown", refuses)
    r = runner.invoke(app, ["score", str(data), "-m", str(model), "-B", "0", "-q", "-o", str(folder / "a.json"),
                            "-o", str(folder / "b.md"), "--exclusions", str(folder / "c.csv")])
    assert r.exit_code == 2 and "cannot render" in r.stderr and "Traceback" not in r.stderr
    assert {n: contents(folder)[n] for n in OLD} == OLD
    assert sorted(contents(folder)) == ["a.json", "answers.csv", "b.md", "c.csv", "model.yaml"]


def test_the_exclusions_file_is_part_of_the_set(tmp_path: Path) -> None:
    data, model = tmp_path / "answers.csv", tmp_path / "model.yaml"
    data.write_bytes((BAD / "answers.csv").read_bytes())
    model.write_bytes((BAD / "model.yaml").read_bytes())
    r = runner.invoke(app, ["score", str(data), "-m", str(model), "-B", "0", "-q", "-o", str(tmp_path / "a.json"),
                            "--exclusions", str(tmp_path / "x.csv")])
    assert r.exit_code == 0, r.stderr
    assert (tmp_path / "x.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # a CSV for Excel, as before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "answers.csv", "model.yaml", "x.csv"]


# A child process writes the set with one step slowed down or interrupted, so that a signal
# lands where the test wants it.
_CHILD = textwrap.dedent("""
    import os, signal, sys, time
    from pathlib import Path
    from csi.report.outset import write_set

    folder, where, how = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    names = ["a.json", "b.md", "c.csv"]
    real = {"fsync": os.fsync, "replace": os.replace}
    count = [0]

    def step(*args):
        count[0] += 1
        if count[0] == 2:  # the second file written, or the second rename of the commit
            if how == "sleep":
                print("ready", flush=True)
                time.sleep(60)
            else:
                os.kill(os.getpid(), getattr(signal, how))
                time.sleep(0.2)  # (a signal not held back would act here)
        return real[where](*args)

    setattr(os, where, step)
    write_set([(folder / n, f"new {n[0]}\\n".encode()) for n in names])
    print("done", flush=True)
""")


def child(folder: Path, where: str, how: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", _CHILD, str(folder), where, how], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("how", ["SIGINT", "SIGTERM"])
def test_a_signal_during_the_commit_is_delivered_after_it_every_output_new(tmp_path: Path, how: str) -> None:
    folder = folder_with_old_reports(tmp_path)
    done = child(folder, "replace", how)
    out, err = done.communicate(timeout=60)
    assert "done" not in out  # the signal ended the run …
    # (an uncaught KeyboardInterrupt ends Python by the signal itself: -2)
    assert done.returncode == (-2 if how == "SIGINT" else 143), err
    assert contents(folder) == NEW  # … after the whole set was in place


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("how", ["SIGINT", "SIGTERM"])
def test_a_signal_while_the_files_are_written_leaves_every_output_old_and_no_temporary_file(tmp_path: Path,
                                                                                          how: str) -> None:
    folder = folder_with_old_reports(tmp_path)
    done = child(folder, "fsync", how)
    out, err = done.communicate(timeout=60)
    assert "done" not in out and done.returncode != 0, err
    assert contents(folder) == OLD


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_what_sigkill_leaves_is_named_for_its_process_and_removed_by_the_next_run(tmp_path: Path) -> None:
    folder = folder_with_old_reports(tmp_path)
    killed = child(folder, "fsync", "sleep")
    assert killed.stdout is not None and killed.stdout.readline().strip() == "ready"
    killed.kill()
    killed.wait(timeout=60)
    left = sorted(set(contents(folder)) - set(OLD))
    assert left and all(n.startswith((".a.json.csi-", ".b.md.csi-")) and f"csi-{killed.pid}-" in n for n in left), left
    assert {n: contents(folder)[n] for n in OLD} == OLD  # killed before the commit: nothing replaced
    # another running process's temporary file is not touched
    alive = folder / f".a.json.csi-{os.getppid()}-zzzzzzzz.tmp"
    alive.write_bytes(b"someone else's")
    assert leftovers(folder / "a.json") == [folder / n for n in left if n.startswith(".a.json")]
    write_set([(folder / "a.json", b"next run\n")])
    assert sorted(contents(folder)) == sorted([*OLD, alive.name, *[n for n in left if n.startswith(".b.md")]])
    write_set([(folder / "b.md", b"next run\n")])
    assert sorted(contents(folder)) == sorted([*OLD, alive.name])


def test_previous_versions_left_by_a_killed_commit_are_removed_too(tmp_path: Path) -> None:
    folder = folder_with_old_reports(tmp_path)
    gone = _a_finished_pid()
    (folder / f".a.json.csi-{gone}.old").write_bytes(b"old a\n")
    write_set([(folder / "a.json", b"new\n")])
    assert contents(folder) == {**OLD, "a.json": b"new\n"}


def _a_finished_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(done.stdout)


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges there")
def test_an_output_that_is_a_symbolic_link_is_written_through_it(tmp_path: Path) -> None:
    target = tmp_path / "2026Q3.json"
    target.write_bytes(b"old\n")
    link = tmp_path / "latest.json"
    link.symlink_to(target.name)
    data, model = tmp_path / "answers.csv", tmp_path / "model.yaml"
    data.write_bytes((BAD / "answers.csv").read_bytes())
    model.write_bytes((BAD / "model.yaml").read_bytes())
    r = runner.invoke(app, ["score", str(data), "-m", str(model), "-B", "0", "-q", "-o", str(link)])
    assert r.exit_code == 0, r.stderr
    assert link.is_symlink() and os.readlink(link) == target.name  # the link is kept …
    assert target.read_bytes().startswith(b"{")  # … and its target holds the new report
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2026Q3.json", "answers.csv", "latest.json", "model.yaml"]


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges there")
def test_a_dangling_link_into_a_missing_folder_is_refused_before_any_work(tmp_path: Path) -> None:
    link = tmp_path / "r.json"
    link.symlink_to(tmp_path / "missing" / "r.json")
    data, model = tmp_path / "answers.csv", tmp_path / "model.yaml"
    data.write_bytes((BAD / "answers.csv").read_bytes())
    model.write_bytes((BAD / "model.yaml").read_bytes())
    r = runner.invoke(app, ["score", str(data), "-m", str(model), "-B", "0", "-q", "-o", str(link)])
    assert r.exit_code == 2 and "does not exist" in r.stderr and "missing" in r.stderr
