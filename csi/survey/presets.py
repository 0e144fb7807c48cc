"""Export formats ("presets") of survey platforms, recognised from the header row.

A :class:`Preset` says how many header rows an export has and which of its columns are
bookkeeping rather than answers: the respondent id (for duplicate detection), the submit
time, the time taken (for speeders), the columns that identify a person (never copied into
any output), and the answer codes that mean "not shown / skipped".

Detection looks at the first columns of the header: every ``signature`` header of a preset
must be there. Presets are tried in :data:`PRESETS` order; ``plain`` (one header row,
nothing known) is used when none matches. A new platform is one more entry.

>>> detect_preset(["序号", "提交答卷时间", "所用时间", "来源", "1、部门"]).name
'wjx'
>>> detect_preset(["id", "q1", "q2"]).name
'plain'
>>> get_preset("wjx").pii_in(["序号", "来自IP", "1、部门"])
('来自IP',)

This module is imported by ``csi --help``; it must stay free of pandas and numpy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from csi.errors import InputError, Issue

__all__ = ["Preset", "PRESETS", "get_preset", "detect_preset"]


@dataclass(frozen=True, slots=True)
class Preset:
    """What is known about one platform's export format.

    ``signature`` headers must all appear among the first ``look_within`` columns for the
    preset to be detected. ``header_rows`` is the number of rows above the data (3 for
    Qualtrics); the column names are taken from the first of them. ``missing_codes`` are
    compared with the stripped text of a cell; a code that looks numeric (``"-2"``) also
    matches a numeric cell of that value, since the reader turns numeric text into numbers.
    """

    name: str
    title: str
    signature: tuple[str, ...] = ()
    look_within: int = 10
    header_rows: int = 1
    id_column: str | None = None
    submitted_column: str | None = None
    duration_column: str | None = None
    pii: tuple[str, ...] = ()
    missing_codes: tuple[str, ...] = ()

    def matches(self, headers: Sequence[str]) -> bool:
        """True when every signature header is among the first columns."""
        return not self.missing_signature(headers)

    def missing_signature(self, headers: Sequence[str]) -> tuple[str, ...]:
        """The signature headers that are not among the first ``look_within`` columns."""
        first = set(headers[: self.look_within])
        return tuple(h for h in self.signature if h not in first)

    def known(self, column: str | None, headers: Sequence[str]) -> str | None:
        """``column`` if the file has it, else None."""
        return column if column is not None and column in headers else None

    def pii_in(self, headers: Sequence[str]) -> tuple[str, ...]:
        """The preset's PII headers that the file has, in file order."""
        wanted = set(self.pii)
        return tuple(h for h in headers if h in wanted)


# 问卷星 (wjx.cn), both the 按文本 (answer labels) and 按序号 (answer codes) downloads.
# 来自IP is personal data. 来源详情 is the referrer: usually 直接访问 / 微信, but for links
# sent per client it is the full URL, whose query string (sojumpparm=…) carries the
# client's id or phone number — so it is treated as PII too; nothing is scored from it.
# 按序号 writes -2 for a question the respondent never saw (skip logic) and -3 for one
# skipped; 按文本 writes (跳过) and (空).
WJX = Preset(
    name="wjx",
    title="问卷星 wjx.cn export",
    signature=("序号", "提交答卷时间", "所用时间"),
    id_column="序号",
    submitted_column="提交答卷时间",
    duration_column="所用时间",
    pii=("来自IP", "来源详情"),
    missing_codes=("-2", "-3", "(跳过)", "(空)"),
)

PLAIN = Preset(name="plain", title="one header row, no platform columns")

#: Every preset by name, in detection order; ``plain`` (no signature) is the fallback.
PRESETS: dict[str, Preset] = {p.name: p for p in (WJX, PLAIN)}


def get_preset(name: str) -> Preset:
    """The preset called ``name`` (case-insensitive), or :class:`InputError` ``unknown-preset``.

    >>> get_preset("WJX").duration_column
    '所用时间'
    """
    preset = PRESETS.get(str(name).strip().lower())
    if preset is None:
        valid = ", ".join(PRESETS)
        raise InputError(Issue("unknown-preset", f"unknown preset {name!r}; valid presets: {valid}",
                               value=name))
    return preset


def detect_preset(headers: Sequence[str]) -> Preset:
    """The first preset in :data:`PRESETS` whose signature the header row has, else ``plain``."""
    for preset in PRESETS.values():
        if preset.signature and preset.matches(headers):
            return preset
    return PLAIN
