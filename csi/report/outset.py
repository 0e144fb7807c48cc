"""A set of output files written all or nothing.

``csi score -o a.json -o b.md -o c.xlsx --exclusions x.csv`` writes four files. Each is first
written whole to a temporary file beside its destination and flushed to disk; only when every
one of them is written are they renamed over their destinations, one after the other — the
*commit*, a few renames that take microseconds. So:

- a failure while the files are written (a full disk, a folder without write permission, a
  renderer's error) leaves every destination as it was, and no temporary file;
- a rename that fails during the commit (rare: the destination was made read-only or a
  directory in the meantime) puts back every destination already replaced, from the hard link
  to its previous version taken just before (where the file system has no hard links: a copy);
- Ctrl+C (SIGINT) and SIGTERM are held back during the commit and delivered after it: an
  interrupted run has replaced all of its outputs or none; during the writing they end the
  run at once, the temporary files removed, the destinations untouched;
- SIGKILL and a power cut cannot be caught. They can leave temporary files (``.a.json.csi-PID-
  XXXXXXXX.tmp``) and, during the commit only, the previous versions (``.a.json.csi-PID.old``)
  and a set in which some outputs are new and the others old. Every such leftover names its
  process; the next run that writes the same output removes those of processes no longer
  running.

Symbolic links: an output that is a symbolic link is written *through* it, as a shell's
``>`` does: its target is replaced and the link is left pointing at it (a link to an input
is refused, like the input itself: :func:`csi.report.write.check_output`).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

from csi.errors import Issue, OutputError

__all__ = ["write_set", "destination", "leftovers"]


def destination(path: str | Path) -> Path:
    """Where an output really goes: the target of a symbolic link (of a chain of them), else the path."""
    p = Path(path)
    return Path(os.path.realpath(p)) if p.is_symlink() else p


def write_set(files: Sequence[tuple[Path, bytes]]) -> None:
    """Write every ``(path, data)`` or none of them (see the module docstring).

    An ``OSError`` becomes :class:`~csi.errors.OutputError` ``output-unwritable``, naming the file.
    """
    targets = [(destination(p), data) for p, data in files]
    for target, _ in targets:
        _clean_leftovers(target)
    temps: list[tuple[str, Path]] = []
    with _terminate_as_exit():
        try:
            for target, data in targets:
                temps.append((_written(target, data), target))
            with _signals_held():
                _commit(temps)
                temps = []
        finally:
            for tmp, _ in temps:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp)
    for folder in dict.fromkeys(target.parent for target, _ in targets):
        _sync_directory(folder)


def _written(target: Path, data: bytes) -> str:
    """A temporary file beside ``target`` holding ``data``, flushed, with the permissions ``target`` has or would get."""
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.csi-{os.getpid()}-", suffix=".tmp", dir=target.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        return tmp
    except BaseException as e:
        if tmp is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        if isinstance(e, OSError):
            raise _unwritable(target, e) from None
        raise


def _commit(temps: Sequence[tuple[str, Path]]) -> None:
    """Rename every temporary file over its destination; on a failure, put back what was replaced."""
    done: list[tuple[Path, Path | None]] = []  # (destination, its previous version or None)
    try:
        for tmp, target in temps:
            previous = _keep_previous(target)
            try:
                os.replace(tmp, target)
            except BaseException:
                if previous is not None:
                    os.unlink(previous)
                raise
            done.append((target, previous))
    except BaseException as e:
        failed = target
        for replaced, previous in reversed(done):
            with contextlib.suppress(OSError):
                if previous is not None:
                    os.replace(previous, replaced)
                else:
                    os.unlink(replaced)
        if isinstance(e, OSError):
            raise _unwritable(failed, e) from None
        raise
    for _, previous in done:
        if previous is not None:
            with contextlib.suppress(OSError):
                os.unlink(previous)


def _keep_previous(target: Path) -> Path | None:
    """A hard link to (or else a copy of) ``target``'s present version, or None when there is none."""
    if not target.exists():
        return None
    previous = target.with_name(f".{target.name}.csi-{os.getpid()}.old")
    with contextlib.suppress(FileNotFoundError):
        os.unlink(previous)
    try:
        os.link(target, previous)
    except OSError:
        shutil.copy2(target, previous)
    return previous


def _main_thread_posix() -> bool:
    return hasattr(signal, "pthread_sigmask") and threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def _terminate_as_exit() -> Iterator[None]:
    """SIGTERM, while the block runs, ends the run as ``SystemExit(143)`` (its cleanup runs)
    instead of at once (when SIGTERM has its default action; main thread, POSIX)."""
    if not _main_thread_posix() or signal.getsignal(signal.SIGTERM) != signal.SIG_DFL:
        yield
        return

    def terminate(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM delivered after the block, not inside it (main thread, POSIX;
    elsewhere nothing is held): Ctrl+C then raises KeyboardInterrupt once the block is done."""
    if not _main_thread_posix():
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


_LEFTOVER = re.compile(r"\.(?P<name>.+)\.csi-(?P<pid>[0-9]+)(?:-[^.]+\.tmp|\.old)")


def leftovers(target: Path) -> list[Path]:
    """Temporary files and previous versions of ``target`` left by runs that were killed (their process is gone)."""
    found = []
    try:
        names = os.listdir(target.parent)
    except OSError:
        return []
    for name in names:
        match = _LEFTOVER.fullmatch(name)
        if match and match.group("name") == target.name and not _running(int(match.group("pid"))):
            found.append(target.parent / name)
    return found


def _clean_leftovers(target: Path) -> None:
    for path in leftovers(target):
        with contextlib.suppress(OSError):
            os.unlink(path)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return False  # (this run has none yet: any with its number are an earlier process's)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, someone else's
    return True


def _unwritable(target: Path, e: OSError) -> OutputError:
    return OutputError(Issue("output-unwritable", f"cannot write: {e.strerror or e}; no output of this run was "
                             "written (those it would have replaced are as they were)", file=str(target)))


def _sync_directory(folder: Path) -> None:
    """Make the renames themselves durable (POSIX); a file system that cannot is not an error."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
