"""Masking personal data in free text (verbatim comments) before it reaches a report.

Masked: e-mail addresses, IPv4 addresses, mainland-China mobile numbers (11 digits from 1[3-9]), landline
numbers with an area code, resident ID numbers (18 characters, the last a digit or X), and any
other run of 7 or more digits (bank cards, account numbers, other phone formats).

>>> mask_text("请联系 13812345678 或 li.ming@example.com，身份证 11010519491231002X，座机 021-61234567")
'请联系 [电话] 或 [邮箱]，身份证 [证件号]，座机 [电话]'
>>> mask_text("Call me on +44 20 7946 0958 please")
'Call me on [电话] please'
>>> mask_text("从 203.0.113.7 登录")
'从 [IP] 登录'
"""

from __future__ import annotations

import re

__all__ = ["mask_text"]

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
