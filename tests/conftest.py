"""Shared test options: ``--update-golden`` rewrites golden files instead of comparing."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
GOLDEN = Path(__file__).resolve().parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files from the current output")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def strip_volatile(doc: Any) -> Any:
    """Remove what changes between runs and machines: creation time, tool version, absolute paths."""
    if isinstance(doc, dict):
        out = {}
        for k, v in doc.items():
            if k in ("created", "tool"):
                continue
            if k == "path" and isinstance(v, str):
                v = Path(v).name
            out[k] = strip_volatile(v)
        return out
    if isinstance(doc, list):
        return [strip_volatile(v) for v in doc]
    return doc


def check_golden(name: str, actual: str, update: bool) -> None:
    """Compare text with ``tests/golden/<name>``, or rewrite it under ``--update-golden``."""
    path = GOLDEN / name
    if update or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        if not update:
            pytest.fail(f"golden file {name} did not exist; written now, check it and commit it")
        return
    assert actual == path.read_text(encoding="utf-8"), f"output differs from golden {name}; rerun with --update-golden if intended"


def check_golden_json(name: str, doc: Any, update: bool) -> None:
    text = json.dumps(strip_volatile(doc), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    # floats differ in the last bits across BLAS builds: compare at 1e-9 relative by rounding the text
    text = re.sub(r"-?\d+\.\d{11,}(?:e-?\d+)?", lambda m: f"{float(m.group()):.10g}", text)
    check_golden(name, text, update)
