"""Work on a second thread while this one goes on: a background read, a background scan."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

__all__ = ["Background"]


class Background:
    """A function running on a daemon thread (an interrupted command does not wait for it):
    :meth:`result` waits for its value or raises its exception; :meth:`cancel` asks it to
    stop (it is given the event to look at) and waits.

    >>> Background(lambda stop: 6 * 7).result()
    42
    """

    def __init__(self, function: Callable[[threading.Event], Any], name: str = "csi-background") -> None:
        self._stop = threading.Event()
        self._value: Any = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(function,), name=name, daemon=True)
        self._thread.start()

    def _run(self, function: Callable[[threading.Event], Any]) -> None:
        try:
            self._value = function(self._stop)
        except BaseException as e:  # handed over by result()
            self._error = e

    def wait_for(self, event: threading.Event) -> None:
        """Wait until ``event`` is set or the function has ended (whichever comes first)."""
        while not event.wait(0.005) and self._thread.is_alive():
            pass

    def result(self) -> Any:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value

    def cancel(self) -> None:
        self._stop.set()
        self._thread.join()
