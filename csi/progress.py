"""A progress display on stderr for work that takes over a second.

The library reports progress through plain callbacks — ``stage(text)`` when a step starts
(reading a sheet, checking cells, scoring) and ``step(done, total)`` inside a loop over
bootstrap replicates — and knows nothing of terminals. :class:`Progress` turns them into
one transient line on stderr: nothing at all when stderr is not a terminal (cron, pipes,
tests), and nothing for a run that ends within ``delay`` seconds, so a quick command never
flickers. stdout is never touched: ``csi score -f json > out.json`` stays clean.

>>> with Progress(enabled=False) as p:
...     p.stage("reading")
...     p.step(1, 10)
>>> p.shown
False
"""

from __future__ import annotations

import sys
import threading
import time
from types import TracebackType
from typing import Any

__all__ = ["Progress"]


class Progress:
    """Callbacks for the library that draw a spinner or a bar once ``delay`` seconds have passed."""

    def __init__(self, enabled: bool | None = None, delay: float = 1.0) -> None:
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.delay = delay
        self.shown = False
        self._lock = threading.Lock()
        self._text = ""
        self._done: int | None = None
        self._total: int | None = None
        self._started = time.monotonic()
        self._live: Any = None
        self._timer: threading.Timer | None = None
        self._closed = False

    # ---------------------------------------------------------------- callbacks for the library

    def stage(self, text: str) -> None:
        """A new step begins: ``text`` says what is being done."""
        with self._lock:
            self._text, self._done, self._total = text, None, None

    def step(self, done: int, total: int) -> None:
        """``done`` of ``total`` units of the current step are finished."""
        with self._lock:
            self._done, self._total = done, total

    # ---------------------------------------------------------------- display (rich's Live redraws
    # the line eight times a second from the current state, on its own thread)

    def __enter__(self) -> Progress:
        if self.enabled:
            self._timer = threading.Timer(self.delay, self._show)
            self._timer.daemon = True
            self._timer.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        with self._lock:
            self._closed = True
            if self._timer is not None:
                self._timer.cancel()
            if self._live is not None:
                self._live.stop()
                self._live = None

    def _render(self) -> Any:
        from rich.progress_bar import ProgressBar
        from rich.spinner import Spinner
        from rich.table import Table

        elapsed = time.monotonic() - self._started
        line = Table.grid(padding=(0, 1))
        if self._done is not None and self._total:
            line.add_row(Spinner("dots"), self._text, ProgressBar(total=self._total, completed=self._done, width=30),
                         f"{self._done}/{self._total}", f"{elapsed:.0f} s")
        else:
            line.add_row(Spinner("dots"), self._text, f"{elapsed:.0f} s")
        return line

    def _show(self) -> None:
        with self._lock:
            if self._closed or self._live is not None:
                return
            from rich.console import Console
            from rich.live import Live

            self._live = Live(self._render(), console=Console(stderr=True), transient=True, refresh_per_second=8,
                              get_renderable=self._render)
            self._live.start()
            self.shown = True
