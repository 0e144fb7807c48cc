"""Reading a survey file while the modules that score it are imported.

A command starts from a cold interpreter: importing pandas, numpy and the engine takes about a
quarter of a second, about a tenth of scoring a 100 000-row workbook. The parsers (pyarrow for
CSV, calamine for workbooks) let go of the GIL while they read cells, so that import can run
beside them for free. :func:`read_while_importing` does that, for the library and the CLI
alike (:func:`csi.api.score_export`): the read runs on a second thread and says, by setting
an event, when its parser starts; only then does this thread import (before it, the reader
checks the file's extent and holds the GIL, so importing then would only slow both).

Everything here is scoped: the garbage collector is paused during the import and restored as
it was; :func:`frozen_imports` moves the objects made so far out of the collector's sight for
the length of a block and back again, and does nothing when the caller froze objects of its
own. No interpreter setting outlives a call.

>>> import threading
>>> def read(parsing: threading.Event) -> str:
...     parsing.set()
...     return "table"
>>> read_while_importing(read, ["json"])
'table'
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from csi.background import Background

__all__ = ["read_while_importing", "frozen_imports", "collector_paused"]

T = TypeVar("T")


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The garbage collector off inside the block (it would stop the reading thread to look at
    every object an import makes), and as it was afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextlib.contextmanager
def frozen_imports() -> Iterator[None]:
    """The objects alive now (some 65 000 after importing pandas) left out of the collector's
    passes inside the block, so that scoring does not look at them over and over."""
    if gc.get_freeze_count():  # the caller froze objects of its own: leave their state alone
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def read_while_importing(read: Callable[[threading.Event], T], modules: Sequence[str],
                         meanwhile: Callable[[], object] | None = None) -> T:
    """``read(parsing)`` on a second thread while this one imports ``modules``; its value, or its exception.

    ``meanwhile()``, if given, runs on this thread as soon as the read has started (loading the
    model while the file is opened); an exception of it ends the call (the read, a daemon
    thread, is left to finish on its own). ``read`` sets ``parsing`` when its long, mostly
    GIL-free part starts (or never: the import then waits for the read to end).
    """
    parsing = threading.Event()
    reading = Background(lambda stop: read(parsing), name="csi-read")
    if meanwhile is not None:
        meanwhile()
    reading.wait_for(parsing)
    with collector_paused():
        for name in modules:
            importlib.import_module(name)
    return reading.result()
