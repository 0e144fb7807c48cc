"""How reports for people print numbers: one place, so every format shows them alike."""

from __future__ import annotations

import math

__all__ = ["fmt", "fmt_p"]


def fmt(x: float | None, digits: int = 1) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{x:.{digits}f}"


def fmt_p(p: float | None) -> str:
    """A p-value as every report for people shows it (terminal, Markdown, HTML, the workbook's
    text): three decimals, ``<0.001`` below that. JSON and CSV keep the full value.

    >>> fmt_p(0.04551), fmt_p(0.00002), fmt_p(0.0005), fmt_p(1.0), fmt_p(float("nan")), fmt_p(None)
    ('0.046', '<0.001', '<0.001', '1.000', '–', '–')
    """
    if p is None or math.isnan(p):
        return "–"
    return "<0.001" if p < 0.001 else f"{p:.3f}"
