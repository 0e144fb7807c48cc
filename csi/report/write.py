"""Atomic output files that never replace an input.

A report is written to a temporary file in the destination folder and renamed over the
destination only when it is complete (``os.replace`` is atomic on one file system), so a
crash or a full disk never leaves half a report and the previous file stays intact. The
reports of one run are written as a set, all or nothing (:mod:`csi.report.outset`).
"""

from __future__ import annotations

import codecs
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from csi.errors import Issue, OutputError
from csi.report.formats import FORMATS as DECLARED
from csi.report.formats import SUFFIXES as FORMATS
from csi.report.formats import format_for
from csi.report.outset import destination, write_set

__all__ = ["atomic_write", "check_output", "FORMATS", "format_for", "plan_outputs", "write_planned"]

def check_output(path: str | Path, inputs: Iterable[str | Path] = (), mkdir: bool = False) -> Path:
    """Refuse an output that would replace an input or land in a missing folder."""
    p = Path(path)
    for source in inputs:
        s = Path(source)
        try:
            same = p.exists() and s.exists() and os.path.samefile(p, s)
        except OSError:
            same = False
        if same or p.resolve() == s.resolve():
            raise OutputError(Issue("output-is-input", "this output path is also an input; choose another file name", file=str(p)))
    if p.is_dir():
        raise OutputError(Issue("output-is-directory", "is a directory; give a file name such as report.json", file=str(p)))
    parent = destination(p).parent  # (an output that is a symbolic link is written through it)
    if not parent.exists():
        if mkdir:
            parent.mkdir(parents=True, exist_ok=True)
        else:
            raise OutputError(Issue("output-dir-missing", f"the folder {str(parent)!r} does not exist; create it or pass --mkdir",
                                    file=str(p)))
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(Issue("output-unwritable", f"cannot write in the folder {str(parent)!r} (permission denied); "
                                "choose another folder", file=str(p)))
    return p


def plan_outputs(outputs: Sequence[str | Path], inputs: Iterable[str | Path] = (), *, formats: Iterable[str] | None = None,
                 extra: Sequence[str | Path] = (), mkdir: bool = False) -> list[tuple[Path, str]]:
    """Check every destination before any work starts: each named once, none an input, its
    folder there (or made with ``mkdir``), its suffix one of ``formats``. Returns ``(path,
    format)`` per output; ``extra`` files (``--exclusions``) are checked the same way, without
    a format. Raises OutputError on the first problem, before anything is read or written.
    """
    inputs = list(inputs)
    seen: set[Path] = set()
    for p in [*outputs, *extra]:
        where = Path(p).resolve()
        if where in seen:
            raise OutputError(Issue("output-duplicate", "named twice as an output; each report needs its own file", file=str(p)))
        seen.add(where)
    plan = [(check_output(p, inputs, mkdir=mkdir), format_for(p, formats)) for p in outputs]
    for p in extra:
        check_output(p, inputs, mkdir=mkdir)
    return plan


def write_planned(plan: Sequence[tuple[Path, str]], render: Callable[[str], str | bytes],
                  extra: Sequence[tuple[Path, str | bytes, bool]] = ()) -> None:
    """Write each planned output, ``render(format)`` giving its content (with a byte-order
    mark where the format asks for one: CSV), and each ``extra`` ``(path, content, bom)``
    (``--exclusions``): every one rendered first, then all written or none
    (:func:`csi.report.outset.write_set`)."""
    files = [(path, _payload(render(fmt), DECLARED[fmt].bom)) for path, fmt in plan]
    files += [(path, _payload(data, bom)) for path, data, bom in extra]
    write_set(files)


def atomic_write(path: str | Path, data: bytes | str, *, bom: bool = False) -> None:
    """Write ``data`` to ``path`` through a temporary file and an atomic rename.

    The temporary file is created beside ``path`` (a rename is atomic only within one file
    system), flushed to disk, given the permissions the destination has or would get, and
    renamed over it. Whatever goes wrong before the rename — a full disk, a crash of the
    renderer, Ctrl+C — the temporary file is removed and the previous ``path`` is untouched.
    An ``OSError`` becomes :class:`OutputError` ``output-unwritable``. A ``path`` that is a
    symbolic link is written through it (:mod:`csi.report.outset`).

    Text is written as UTF-8, with a byte-order mark first when ``bom`` (a CSV file, for
    Excel; see :class:`csi.report.formats.Format`).
    """
    write_set([(Path(path), _payload(data, bom))])


def _payload(data: bytes | str, bom: bool) -> bytes:
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if bom and not payload.startswith(codecs.BOM_UTF8):
        payload = codecs.BOM_UTF8 + payload
    return payload
