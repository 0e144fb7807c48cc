"""Masking personal data in free text (verbatim comments) before it reaches a report.

Masked: e-mail addresses, IPv4 addresses, mainland-China mobile numbers (11 digits from 1[3-9]), landline
numbers with an area code, resident ID numbers (18 characters, the last a digit or X), and any
other run of 7 or more digits (bank cards, account numbers, other phone formats).

:func:`mask_own` masks what patterns cannot know: the respondent's own name (the values of
their row's personal-data columns, ``pii:`` in the model) wherever it appears in their comment.

>>> mask_text("请联系 13812345678 或 li.ming@example.com，身份证 11010519491231002X，座机 021-61234567")
'请联系 [电话] 或 [邮箱]，身份证 [证件号]，座机 [电话]'
>>> mask_text("Call me on +44 20 7946 0958 please")
'Call me on [电话] please'
>>> mask_text("从 203.0.113.7 登录")
'从 [IP] 登录'
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["mask_text", "mask_own", "NAME"]

#: What :func:`mask_own` puts in place of a respondent's own personal value.
NAME = "[姓名]"

_PATTERNS = (
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[邮箱]"),
    (re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])"), "[IP]"),
    (re.compile(r"(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])"), "[证件号]"),
    (re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)"), "[电话]"),
    (re.compile(r"(?<!\d)0\d{2,3}[- ]?\d{7,8}(?!\d)"), "[电话]"),
    (re.compile(r"\+?\d[\d -]{6,}\d"), "[电话]"),
)


def mask_text(text: str) -> str:
    """``text`` with e-mail addresses, phone and ID numbers replaced by placeholders."""
    for pattern, placeholder in _PATTERNS:
        text = pattern.sub(placeholder, text)
    return text


def mask_own(text: str, values: Iterable[object]) -> str:
    """``text`` with the respondent's own personal values (their name, from the personal-data
    columns of their row) replaced by :data:`NAME`.

    A value is matched ignoring case and runs of spaces; a value of several words also word by
    word (words of 3 or more letters, as whole words); a Chinese name of 3 or 4 characters also
    without its one-character surname (王小明 → 小明). Values shorter than 2 characters would
    mask ordinary words and are left alone; so are values that :func:`mask_text` masks anyway
    (a phone number stays ``[电话]``).

    >>> mask_own("张伟说：王小明的账做错了，小明没回电话", ["王小明", None, "13812345678"])
    '张伟说：[姓名]的账做错了，[姓名]没回电话'
    >>> mask_own("Thanks to LI  Ming and to Ming alone; Mingle stays", ["Li Ming"])
    'Thanks to [姓名] and to [姓名] alone; Mingle stays'
    """
    if not text:
        return text
    wanted: set[str] = set()
    for value in values:
        if value is None or value != value:  # (a blank cell: None, NaN, NA)
            continue
        name = " ".join(str(value).split())
        if len(name) < 2 or mask_text(name) != name:
            continue
        wanted.add(name)
        words = name.split(" ")
        if len(words) > 1:
            wanted.update(w for w in words if len(w) >= 3)
        elif 3 <= len(name) <= 4 and all("\u4e00" <= ch <= "\u9fff" for ch in name):
            wanted.add(name[1:])
    for name in sorted(wanted, key=len, reverse=True):  # the whole name before its parts
        pattern = r"\s+".join(re.escape(w) for w in name.split(" "))
        if name.isascii():
            pattern = rf"(?<![\w]){pattern}(?![\w])"
        text = re.sub(pattern, NAME, text, flags=re.IGNORECASE)
    return text
