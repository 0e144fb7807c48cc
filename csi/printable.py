r"""Text from the data made safe to show: the one rule for every report and message.

Survey cells, header names, model names and result files are written by other people. Before
such text reaches a terminal, an error message, a Markdown digest, a workbook or any other
report, :func:`printable` escapes, visibly, every character that would act instead of being
read:

- the C0 controls (U+0000–U+001F) except tab and line feed — ESC starts the sequences that
  clear a screen, recolour it or retitle a window; BEL, VT and the rest crash a workbook
  writer (XML 1.0 cannot hold them);
- DEL (U+007F) and the C1 controls (U+0080–U+009F; U+009B is a one-character ESC ``[``);
- the bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), which
  make text read in another order than it is stored;
- lone surrogates (U+D800–U+DFFF, which no UTF-8 file can hold) and U+FFFE, U+FFFF (not
  allowed in XML).

Each becomes its Python escape — ``\x1b``, ``\u202e`` — so a reader sees that it was there
and what it was. A carriage return ending a line (``\r\n``, or alone, as old Mac files end
lines) is a line break and becomes ``\n``; tab and line feed stay.

>>> printable("\x1b[2J研发部\x07")
'\\x1b[2J研发部\\x07'
>>> printable("abc\u202edcba"), printable("a\r\nb\tc")
('abc\\u202edcba', 'a\nb\tc')

:func:`printable_copy` applies the rule to every text in a result, a comparison or any other
document of frozen dataclasses, dicts, lists and tuples, so a renderer never sees the raw
text; :func:`json_text` escapes the same characters in JSON with JSON's own ``\uXXXX``, which
reads back as the original text.
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from typing import Any, TypeVar

__all__ = ["printable", "printable_copy", "json_text", "UNSAFE"]

#: The characters :func:`printable` escapes (a regular-expression character class).
UNSAFE = "\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff"
_UNSAFE = re.compile(f"[{UNSAFE}]")
_NEWLINE = re.compile("\r\n?")
_T = TypeVar("_T")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with every unsafe character (:data:`UNSAFE`) written as its visible escape."""
    if "\r" in text:
        text = _NEWLINE.sub("\n", text)
    return _UNSAFE.sub(_escape, text)


def printable_copy(document: _T) -> _T:
    r"""``document`` with :func:`printable` applied to every text in it, keys included.

    Dataclasses are copied with :func:`dataclasses.replace` (only those whose text changes);
    numbers and other values are kept as they are. Nothing is copied when nothing changes.

    >>> printable_copy({"by": "部门\x1b", "groups": [("a\x07", 1.5)]})
    {'by': '部门\\x1b', 'groups': [('a\\x07', 1.5)]}
    """
    return _copy(document)


#: Types that hold no text, returned as they are without a look inside.
_ATOMS = {int, float, bool, complex, type(None), bytes}
#: The init fields of each dataclass met (None: not a dataclass).
_FIELDS: dict[type, tuple[str, ...] | None] = {}


def _copy(value: Any) -> Any:
    kind = type(value)
    if kind is str:
        return printable(value)
    if kind in _ATOMS:
        return value
    if kind is dict:
        out = {_copy(k): _copy(v) for k, v in value.items()}
        return value if _same_dict(out, value) else out
    if kind is list or kind is tuple:
        items = [_copy(v) for v in value]
        if all(a is b for a, b in zip(items, value, strict=True)):
            return value
        return items if kind is list else tuple(items)
    if kind in _FIELDS:
        names = _FIELDS[kind]
    else:
        names = _FIELDS[kind] = _text_fields(kind) if dataclasses.is_dataclass(value) and not isinstance(value, type) else None
    if not names:  # (a dataclass of numbers; numbers of numpy, paths, anything else: no text to escape)
        return value
    changes = {}
    for name in names:
        old = getattr(value, name)
        new = _copy(old)
        if new is not old:
            changes[name] = new
    return dataclasses.replace(value, **changes) if changes else value


def _text_fields(kind: type) -> tuple[str, ...]:
    """The init fields of dataclass ``kind`` whose declared type may hold text (not those
    declared as numbers, or tuples of numbers: an :class:`~csi.result.Estimate` is skipped)."""
    try:
        hints = typing.get_type_hints(kind)
    except (NameError, TypeError):  # (an annotation that cannot be resolved: look inside every field)
        hints = {}
    return tuple(f.name for f in dataclasses.fields(kind) if f.init and not _numeric(hints.get(f.name, object)))


def _numeric(hint: Any) -> bool:
    """Whether a type hint admits only numbers, None, and tuples of those."""
    if hint in (int, float, bool, complex, type(None)):
        return True
    origin = typing.get_origin(hint)
    if origin is tuple or origin is typing.Union or origin is types.UnionType:
        return all(_numeric(a) for a in typing.get_args(hint) if a is not Ellipsis)
    return False


def _same_dict(new: dict[Any, Any], old: dict[Any, Any]) -> bool:
    if len(new) != len(old):
        return False
    return all(a is b and new[a] is old[b] for a, b in zip(new, old, strict=True))


def json_text(text: str) -> str:
    r"""JSON text with every unsafe character (:data:`UNSAFE`) as a ``\uXXXX`` escape.

    JSON itself escapes the C0 controls; the C1 controls, the bidirectional controls and
    lone surrogates it writes as they are. They can only stand inside JSON strings, where
    ``\uXXXX`` reads back as the same character, so the document means exactly what it did.

    >>> json_text('{"name": "a\u202eb\x85"}')
    '{"name": "a\\u202eb\\u0085"}'
    """
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
