"""The progress line: drawn on a terminal's stderr after the delay, never on a pipe, never on stdout."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from csi.progress import Progress

SCRIPT = textwrap.dedent("""
    import sys, time
    from csi.progress import Progress
    with Progress(delay=float(sys.argv[1])) as p:
        p.stage("reading sheet Sheet1")
        time.sleep(0.6)
        for i in range(3):
            p.step(i + 1, 3)
            time.sleep(0.2)
    print("shown" if p.shown else "not shown")
""")


def run_in_terminal(delay: float) -> str:
    """Run SCRIPT with stderr on a pseudo-terminal; what the terminal received, stdout apart."""
    pty = pytest.importorskip("pty")
    leader, follower = pty.openpty()
    try:
        run = subprocess.run([sys.executable, "-c", SCRIPT, str(delay)], stdout=subprocess.PIPE, stderr=follower,
                             env={**os.environ, "COLUMNS": "100", "TERM": "xterm"}, timeout=60)
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(leader)
    return run.stdout.decode() + "\n--- terminal ---\n" + b"".join(chunks).decode(errors="replace")


def test_a_slow_step_shows_its_stage_on_a_terminal():
    out = run_in_terminal(delay=0.1)
    stdout, terminal = out.split("\n--- terminal ---\n")
    assert stdout.strip() == "shown"
    assert "reading sheet Sheet1" in terminal and "/3 " in terminal  # the stage, then the bar with its count


def test_a_quick_run_shows_nothing():
    out = run_in_terminal(delay=30)
    stdout, terminal = out.split("\n--- terminal ---\n")
    assert stdout.strip() == "not shown"
    assert "reading" not in terminal


def test_nothing_on_a_pipe():
    run = subprocess.run([sys.executable, "-c", SCRIPT, "0.1"], capture_output=True, text=True, timeout=60)
    assert run.stdout.strip() == "not shown" and run.stderr == ""


def test_callbacks_without_display():
    with Progress(enabled=False, delay=0) as p:
        p.stage("x")
        p.step(1, 2)
    assert not p.shown
