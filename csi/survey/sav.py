"""SPSS ``.sav`` / ``.zsav`` files, read with pyreadstat in a child process.

A file is named by its variable names (``Q5_1``: what SPSS users know), its variable labels
(question texts) are aliases, values declared missing are missing, and a value with a value
label reads as that label (``非常满意``), so that a model's ``labels:`` decide the scale
point, as for a 问卷星 按文本 download, and segments show names rather than codes; the codes
stay in :attr:`~csi.survey.table.Table.value_labels` for an item without labels of its own
(:func:`csi.survey.prepare.convert_column`). Rows are numbered from 1, as SPSS numbers its
cases.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from csi.survey.cells import number_cells
from csi.survey.files import SAV, fail, not_typed
from csi.survey.table import Grid

__all__ = ["sav_grid"]


# pyreadstat runs in a child process: readstat (C) crashes the whole process on some damaged
# files — measured with pyreadstat 1.3.7: 5 of 200 copies of a good .sav with 5 random bytes
# changed end in a segmentation fault, metadata-only reads too. A crash of the child is an
# error message; the child costs about 0.15 s (it imports pyreadstat, not pandas).
_SAV_CHILD = r"""
import io, pickle, sys
data = sys.stdin.buffer.read()
try:
    import pyreadstat
    try:
        values, meta = pyreadstat.read_sav(io.BytesIO(data), output_format="dict")
    except Exception as first:
        # SPSS files written before Unicode mode hold text in the writer's code page, GBK
        # for a Chinese one; tried only when the file cannot be read as it says
        try:
            values, meta = pyreadstat.read_sav(io.BytesIO(data), output_format="dict", encoding="GB18030")
        except Exception:
            raise first from None
    out = ("ok", values, list(meta.column_names), list(meta.column_labels or []),
           dict(meta.variable_value_labels), dict(meta.readstat_variable_types))
except ImportError as e:
    out = ("missing", str(e))
except Exception as e:
    out = ("error", (str(e).splitlines() or [type(e).__name__])[0])
sys.stdout.buffer.write(pickle.dumps(out))
"""


def sav_grid(data: bytes, shown: str, suffix: str) -> Grid:
    """An SPSS file: variables by name, labelled values as their labels, declared missing values missing."""
    import pickle
    import subprocess
    import sys

    if not data.startswith(SAV):
        raise not_typed(data, shown, suffix, "an SPSS data file")
    again = "save it again from SPSS (File → Save As → SPSS Statistics .sav)"
    try:
        done = subprocess.run([sys.executable, "-c", _SAV_CHILD], input=data, capture_output=True, check=False)
    except OSError as e:  # pragma: no cover - no interpreter to run
        raise fail("file-unreadable", f"cannot start the SPSS reader: {e}", shown) from e
    try:
        result = pickle.loads(done.stdout) if done.returncode == 0 else None
    except (pickle.UnpicklingError, EOFError, ValueError):
        result = None
    if result is None:
        raise fail("corrupt-file", f"is a damaged SPSS data file: the SPSS reader stopped on it (exit code "
                    f"{done.returncode}); {again}", shown)
    if result[0] == "missing":  # pragma: no cover - a dependency of csi
        raise fail("unsupported-format", "reading SPSS files needs the pyreadstat package: pip install pyreadstat",
                    shown)
    if result[0] != "ok":
        raise fail("corrupt-file", f"cannot be read as an SPSS data file ({result[1]}); {again}", shown)
    _, values, column_names, column_labels, value_labels, kinds = result
    names, texts, numbers, aliases, labels = [], [], [], [], []
    for position, name in enumerate(column_names):
        coded = dict(value_labels.get(name) or {})
        text, exact = _sav_cells(values[name], kinds.get(name) == "string", coded)
        label = str(column_labels[position] or "").strip() if position < len(column_labels) else ""
        names.append(name)
        texts.append(text)
        numbers.append(exact)
        aliases.append((label,) if label and label != name else ())
        labels.append(coded or None)
    if not names:
        raise fail("empty-file", "the SPSS file has no variables", shown)
    return Grid(tuple(names), tuple(range(len(names))), tuple(texts), 0, 1, tuple(numbers), typed=True,
                 aliases=tuple(aliases), labels=tuple(labels))


def _sav_cells(values: Sequence[Any], is_string: bool, coded: Mapping[Any, str]) -> tuple[Any, Any]:
    """One SPSS variable as (text, exact numbers or None); a labelled value is its label.

    Dates and times (pyreadstat turns date-formatted variables into them) read as text like a
    workbook's dates.
    """
    import datetime as dt

    import numpy as np
    import pyarrow as pa

    if not is_string and not any(isinstance(v, (dt.date, dt.time)) for v in values):
        numbers = np.array([np.nan if v is None else v for v in values], dtype=np.float64)
        codes = [c for c in coded if isinstance(c, (int, float)) and not isinstance(c, bool)]
        labelled = np.isin(numbers, np.asarray(codes, dtype=np.float64)) if codes else np.zeros(len(numbers), dtype=bool)
        text, exact = number_cells(numbers, labelled)
        if labelled.any():
            cells = np.array(text.to_pylist(), dtype=object)
            cells[labelled] = [coded[v] for v in numbers[labelled].tolist()]
            text = pa.array(cells, pa.string())
        return text, exact

    def cell(v: object) -> str | None:
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return None
        if isinstance(v, dt.datetime):
            return v.strftime("%Y-%m-%d %H:%M:%S")
        if isinstance(v, dt.date):
            return v.strftime("%Y-%m-%d 00:00:00")
        if isinstance(v, dt.time):
            return "1899-12-31 " + v.strftime("%H:%M:%S")
        if isinstance(v, float):
            return np.format_float_positional(v, trim="-")
        text = str(v)
        return coded.get(text, text) if coded else text

    return pa.array([cell(v) for v in values], pa.string()), None
